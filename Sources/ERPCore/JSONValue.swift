/// A JSON value as erpctl stores it: integers only (money and rates are decimal strings, SPEC 2),
/// objects with unique keys kept in RFC 8785 order (UTF-16 code units), so equal values are
/// equal byte for byte once canonicalised.
///
/// Equality compares strings by their UTF-8 bytes, not by Swift's canonical equivalence: "é"
/// (U+00E9) and "e\u{301}" are different JSON strings with different hashes in the chain.
public enum JSONValue: Sendable, Hashable {
  case null
  case bool(Bool)
  case int(Int64)
  case string(String)
  case array([JSONValue])
  case object(JSONObject)

  /// The largest integer magnitude accepted: I-JSON (RFC 7493) interoperable integers, so any
  /// language's JSON reader gets the same value back and RFC 8785 prints them as plain digits.
  public static let maxSafeInteger: Int64 = 9_007_199_254_740_991

  public var stringValue: String? {
    if case .string(let s) = self { return s }
    return nil
  }
  public var intValue: Int64? {
    if case .int(let i) = self { return i }
    return nil
  }
  public var objectValue: JSONObject? {
    if case .object(let o) = self { return o }
    return nil
  }
  public var arrayValue: [JSONValue]? {
    if case .array(let a) = self { return a }
    return nil
  }
  public var isNull: Bool { self == .null }

  /// A short name of the value's kind, for error messages.
  public var kindName: String {
    switch self {
    case .null: "null"
    case .bool: "a boolean"
    case .int: "a number"
    case .string: "a string"
    case .array: "an array"
    case .object: "an object"
    }
  }
}

extension JSONValue: Equatable {
  public static func == (a: JSONValue, b: JSONValue) -> Bool {
    switch (a, b) {
    case (.null, .null): true
    case (.bool(let x), .bool(let y)): x == y
    case (.int(let x), .int(let y)): x == y
    case (.string(let x), .string(let y)): JSONObject.same(x, y)
    case (.array(let x), .array(let y)): x == y
    case (.object(let x), .object(let y)): x == y
    default: false
    }
  }

  public func hash(into h: inout Hasher) {
    switch self {
    case .null: h.combine(0)
    case .bool(let b): h.combine(b)
    case .int(let i): h.combine(i)
    // String's hash follows canonical equivalence, which byte equality refines, so equal
    // values hash alike (and it is far faster than hashing byte by byte).
    case .string(let s): h.combine(s)
    case .array(let a): h.combine(a)
    case .object(let o): h.combine(o)
    }
  }
}

/// A JSON object whose members are unique and sorted by key in RFC 8785 order.
public struct JSONObject: Sendable, Equatable, Hashable {
  public private(set) var members: [Member]

  public struct Member: Sendable, Hashable {
    public var key: String
    public var value: JSONValue
    public init(_ key: String, _ value: JSONValue) {
      self.key = key
      self.value = value
    }

    public static func == (a: Member, b: Member) -> Bool { JSONObject.same(a.key, b.key) && a.value == b.value }
    public func hash(into h: inout Hasher) {
      h.combine(key)
      h.combine(value)
    }
  }

  /// Byte-wise string equality (see `JSONValue`), over the contiguous UTF-8 (the generic
  /// `elementsEqual` of the two views was 3.5 % of an import).
  @inline(__always)
  public static func same(_ a: String, _ b: String) -> Bool { StateID.sameBytes(a, b) }

  public init() { members = [] }

  /// Builds an object from members in any order; a later duplicate key replaces an earlier one.
  public init(_ pairs: [(String, JSONValue)]) {
    self.init()
    for (k, v) in pairs { self[k] = v }
  }

  /// Members already sorted and unique (the binary decoder's fast path); checked in debug builds.
  public init(sortedMembers: [Member]) {
    assert(zip(sortedMembers, sortedMembers.dropFirst()).allSatisfy { Self.less($0.key, $1.key) })
    members = sortedMembers
  }

  public var count: Int { members.count }
  public var isEmpty: Bool { members.isEmpty }
  public var keys: [String] { members.map(\.key) }

  public subscript(key: String) -> JSONValue? {
    get {
      let i = insertionIndex(key)
      return i < members.count && Self.same(members[i].key, key) ? members[i].value : nil
    }
    set {
      let i = insertionIndex(key)
      let found = i < members.count && Self.same(members[i].key, key)
      switch (found, newValue) {
      case (true, let v?): members[i].value = v
      case (true, nil): members.remove(at: i)
      case (false, let v?): members.insert(Member(key, v), at: i)
      case (false, nil): break
      }
    }
  }

  /// Replaces the value of the member at `index` (its key stays, so the order does).
  mutating func replaceValue(at index: Int, with value: JSONValue) { members[index].value = value }

  /// Removes the member at `index`.
  mutating func removeValue(at index: Int) { members.remove(at: index) }

  /// Whether a UTF-8 byte of `s` satisfies `predicate`, over its contiguous UTF-8 when it has
  /// it (every native or small string; the generic `utf8.contains(where:)` was 3 % of an
  /// import's reading).
  @inline(__always)
  static func anyByte(of s: String, where predicate: (UInt8) -> Bool) -> Bool {
    s.utf8.withContiguousStorageIfAvailable { $0.contains(where: predicate) }
      ?? s.utf8.contains(where: predicate)
  }

  private func insertionIndex(_ key: String) -> Int {
    var lo = 0
    var hi = members.count
    while lo < hi {
      let mid = (lo + hi) / 2
      if Self.less(members[mid].key, key) { lo = mid + 1 } else { hi = mid }
    }
    return lo
  }

  /// RFC 8785 3.2.3: keys compare as arrays of UTF-16 code units.
  public static func less(_ a: String, _ b: String) -> Bool {
    // Compare the UTF-8 bytes up to the first difference: when that difference (or the end of a
    // string) falls on an ASCII byte, both strings agree up to a scalar boundary and byte order
    // is UTF-16 order. Only two differing non-ASCII bytes need UTF-16, since UTF-8 and UTF-16
    // orders differ above U+FFFF. Over the contiguous UTF-8 of both when they have it (every
    // native string: the generic iterators were 4 % of an import), else over copies.
    let fast: Int8?? = a.utf8.withContiguousStorageIfAvailable { p in
      b.utf8.withContiguousStorageIfAvailable { q in byteOrder(p, q) }
    }
    let order = fast.flatMap { $0 }
      ?? Array(a.utf8).withUnsafeBufferPointer { p in Array(b.utf8).withUnsafeBufferPointer { q in byteOrder(p, q) } }
    return order == 2 ? a.utf16.lexicographicallyPrecedes(b.utf16) : order == 1
  }

  /// `less` on UTF-8 bytes: 0 not less, 1 less, 2 when two non-ASCII bytes differ first (UTF-16
  /// decides).
  @inline(__always)
  private static func byteOrder(_ p: UnsafeBufferPointer<UInt8>, _ q: UnsafeBufferPointer<UInt8>) -> Int8 {
    let n = min(p.count, q.count)
    var i = 0
    while i < n {
      let (x, y) = (p[i], q[i])
      if x != y { return x < 0x80 || y < 0x80 ? (x < y ? 1 : 0) : 2 }
      i += 1
    }
    return p.count < q.count ? 1 : 0
  }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
  ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
  public init(stringLiteral value: String) { self = .string(value) }
  public init(integerLiteral value: Int64) { self = .int(value) }
  public init(booleanLiteral value: Bool) { self = .bool(value) }
  public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
  public init(dictionaryLiteral elements: (String, JSONValue)...) {
    self = .object(JSONObject(elements))
  }
}
