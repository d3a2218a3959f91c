/// A JSON value as erpctl stores it: integers only (money and rates are decimal strings, SPEC 2),
/// objects with unique keys kept in RFC 8785 order (UTF-16 code units), so equal values are
/// equal byte for byte once canonicalised.
public enum JSONValue: Sendable, Equatable, Hashable {
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

/// A JSON object whose members are unique and sorted by key in RFC 8785 order.
public struct JSONObject: Sendable, Equatable, Hashable {
  public private(set) var members: [Member]

  public struct Member: Sendable, Equatable, Hashable {
    public var key: String
    public var value: JSONValue
    public init(_ key: String, _ value: JSONValue) {
      self.key = key
      self.value = value
    }
  }

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
      return i < members.count && members[i].key == key ? members[i].value : nil
    }
    set {
      let i = insertionIndex(key)
      let found = i < members.count && members[i].key == key
      switch (found, newValue) {
      case (true, let v?): members[i].value = v
      case (true, nil): members.remove(at: i)
      case (false, let v?): members.insert(Member(key, v), at: i)
      case (false, nil): break
      }
    }
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
    // ASCII (every key erpctl itself writes) compares the same byte-wise; only fall back to UTF-16
    // when a non-ASCII scalar is involved, since UTF-8 and UTF-16 orders differ above U+FFFF.
    if a.utf8.allSatisfy({ $0 < 0x80 }) && b.utf8.allSatisfy({ $0 < 0x80 }) {
      return a.utf8.lexicographicallyPrecedes(b.utf8)
    }
    return a.utf16.lexicographicallyPrecedes(b.utf16)
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
