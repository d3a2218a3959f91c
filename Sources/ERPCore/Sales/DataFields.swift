/// Typed access to the fields of an event's `data` (already shape-checked by `EventCatalog`),
/// and the inverse: building `data` from typed values.
struct DataReader {
  /// The data's members: an object, or (the import's fast path) an object of a `RecordTape`.
  private let source: Source
  let digits: Int
  /// Where the object is, for messages: `path`, or the line `lineIndex` of the member `lineName`
  /// of the object at `path` (built only for a message: an eagerly interpolated path per line
  /// cost more than reading the line).
  private let parentPath: String
  private let lineName: String?
  private let lineIndex: Int

  private enum Source {
    case object(JSONObject)
    case tape(TapeObject)
  }

  init(_ object: JSONObject, path: String = "data", digits: Int) {
    self.init(.object(object), parentPath: path, lineName: nil, lineIndex: 0, digits: digits)
  }

  /// Reads the object of a tape (valid while the tape is lent: `TapeObject`).
  init(_ object: TapeObject, path: String = "data", digits: Int) {
    self.init(.tape(object), parentPath: path, lineName: nil, lineIndex: 0, digits: digits)
  }

  private init(_ source: Source, parentPath: String, lineName: String?, lineIndex: Int, digits: Int) {
    self.source = source
    self.parentPath = parentPath
    self.lineName = lineName
    self.lineIndex = lineIndex
    self.digits = digits
  }

  var path: String {
    guard let lineName else { return parentPath }
    return "\(parentPath).\(lineName)[\(lineIndex)]"
  }

  private func fail(_ name: String, _ what: String) -> EventInputError {
    EventInputError(field: "\(path).\(name)", what)
  }

  /// The value of member `name` as it is (nil when absent).
  func value(_ name: String) -> JSONValue? {
    switch source {
    case .object(let o): return Self.value(name, in: o)
    case .tape(let t): return t.member(name).map { t.value(t.entries[$0]) }
    }
  }

  /// The member of `object` named `name`: a scan comparing lengths first, then bytes (a few
  /// members, mostly the same small string as the literal asked for), not a binary search of
  /// `String` comparisons.
  ///
  /// The members are read where they lie (a `for member in` loop copied each, retaining its
  /// name and value), and a name read from a record is mostly the very string asked for
  /// (`JSONStrings`), whose bits settle it before any length or byte is compared.
  private static func value(_ name: String, in object: JSONObject) -> JSONValue? {
    object.members.withUnsafeBufferPointer { members -> JSONValue? in
      for k in members.indices where Self.sameBits(members[k].key, name) { return members[k].value }
      let count = name.utf8.count
      for k in members.indices where members[k].key.utf8.count == count && JSONObject.same(members[k].key, name) {
        return members[k].value
      }
      return nil
    }
  }

  /// Whether `a` and `b` have the same representation (the same small string, or the same
  /// storage): then they are the same bytes (not the other way round).
  @inline(__always)
  private static func sameBits(_ a: String, _ b: String) -> Bool {
    unsafeBitCast(a, to: (UInt64, UInt64).self) == unsafeBitCast(b, to: (UInt64, UInt64).self)
  }

  func string(_ name: String) throws(EventInputError) -> String {
    guard let s = optString(name) else { throw fail(name, "is required") }
    return s
  }

  func optString(_ name: String) -> String? {
    // On a tape, read from the member's entry (not through a `JSONValue` made of it).
    if case .tape = source { return tapeString(name).map(RecordTape.string) }
    return value(name)?.stringValue
  }

  /// On a tape, the UTF-8 of the string member `name` (valid while the tape is lent); nil when
  /// it is absent or not a string, or when this reads an object.
  @inline(__always)
  private func tapeString(_ name: String) -> UnsafeBufferPointer<UInt8>? {
    guard case .tape(let t) = source, let k = t.member(name), t.entries[k].kind == .string else { return nil }
    return UnsafeBufferPointer(rebasing: t.bytes[t.entries[k].text])
  }

  func int(_ name: String) throws(EventInputError) -> Int64 {
    guard let i = optInt(name) else { throw fail(name, "is required") }
    return i
  }

  func optInt(_ name: String) -> Int64? {
    if case .tape(let t) = source {
      guard let k = t.member(name), t.entries[k].kind == .int else { return nil }
      return t.entries[k].value
    }
    return value(name)?.intValue
  }

  func bool(_ name: String) -> Bool {
    if case .bool(let b)? = value(name) { return b }
    return false
  }

  func money(_ name: String) throws(EventInputError) -> Money {
    if let m = tapeMoney(name) { return m }
    let s = try string(name)
    do { return try Money.parse(s, digits: digits) } catch { throw fail(name, error.description) }
  }

  func optMoney(_ name: String) throws(EventInputError) -> Money? {
    if let m = tapeMoney(name) { return m }
    guard value(name) != nil else { return nil }
    return try money(name)
  }

  /// On a tape, a money member parsed from its bytes (made a `String` first, and looked up
  /// twice by `optMoney`, it had cost more than the parse); nil when absent, not a string or
  /// not valid, for the general path to decide (and to say what is wrong).
  @inline(__always)
  private func tapeMoney(_ name: String) -> Money? {
    tapeString(name).flatMap { Money.parse(utf8: $0, digits: digits) }
  }

  func optRate(_ name: String) throws(EventInputError) -> Rate? {
    guard let s = optString(name) else { return nil }
    guard let r = Rate(s) else { throw fail(name, "'\(s)' is not a rate between 0 and 1") }
    return r
  }

  func date(_ name: String) throws(EventInputError) -> CivilDate {
    if let d = tapeDate(name) { return d }
    let s = try string(name)
    guard let d = CivilDate.parse(s) else { throw fail(name, "expected a date YYYY-MM-DD") }
    return d
  }

  func optDate(_ name: String) throws(EventInputError) -> CivilDate? {
    if let d = tapeDate(name) { return d }
    guard value(name) != nil else { return nil }
    return try date(name)
  }

  /// `tapeMoney` for a date.
  @inline(__always)
  private func tapeDate(_ name: String) -> CivilDate? {
    tapeString(name).flatMap { CivilDate.parse($0) }
  }

  func lines<T>(_ name: String, _ each: (DataReader) throws(EventInputError) -> T) throws(EventInputError) -> [T] {
    if case .tape(let t) = source {
      guard let k = t.member(name), t.entries[k].kind == .array else { throw fail(name, "is required") }
      var out: [T] = []
      out.reserveCapacity(Int(t.entries[k].value))
      var c = k + 1
      var i = 0
      while c < t.entries[k].next {
        guard t.entries[c].kind == .object else { throw fail("\(name)[\(i)]", "expected an object") }
        let line = TapeObject(entries: t.entries, bytes: t.bytes, index: c)
        out.append(try each(DataReader(.tape(line), parentPath: path, lineName: name, lineIndex: i, digits: digits)))
        c = t.entries[c].next
        i += 1
      }
      return out
    }
    guard let items = value(name)?.arrayValue else { throw fail(name, "is required") }
    var out: [T] = []
    for (i, item) in items.enumerated() {
      guard let o = item.objectValue else { throw fail("\(name)[\(i)]", "expected an object") }
      out.append(try each(DataReader(.object(o), parentPath: path, lineName: name, lineIndex: i, digits: digits)))
    }
    return out
  }
}

/// Receives an event's data members in key order (the names are ASCII, so byte order is RFC
/// 8785's order): into a `JSONObject` (`DataWriter`), or, for the events the store derives,
/// straight into the store's two stored forms without building the object (ERPStore).
public protocol DataSink {
  mutating func string(_ name: String, _ value: String)
  mutating func int(_ name: String, _ value: Int64)
  /// Written as its decimal text (the store's money digits), as `DataWriter` writes money.
  mutating func money(_ name: String, _ value: Money)
  /// Written as its `YYYY-MM-DD` text.
  mutating func date(_ name: String, _ value: CivilDate)
}

extension DataSink {
  mutating func string(_ name: String, _ value: String?) { if let value { string(name, value) } }
}

/// A payload that writes its data member by member in key order: the events the store derives
/// (one per reserved order line, shipment and matched payment), which it then stores without
/// building their data as a `JSONObject`. Its `write(to:)` comes from the same definition.
public protocol SortedDataPayload: EventPayload {
  func writeSorted<S: DataSink>(to sink: inout S)
}

extension SortedDataPayload {
  public func write(to b: inout DataWriterBox) { writeSorted(to: &b.w) }
}

extension DataWriter: DataSink {
  mutating func string(_ name: String, _ value: String) { object[name] = .string(value) }
  mutating func int(_ name: String, _ value: Int64) { object[name] = .int(value) }
  mutating func money(_ name: String, _ value: Money) { set(name, value) }
  mutating func date(_ name: String, _ value: CivilDate) { set(name, value) }
}

/// Builds `data` objects; optional values that are nil are left out.
struct DataWriter {
  var object = JSONObject()
  let digits: Int

  init(digits: Int) { self.digits = digits }

  mutating func set(_ name: String, _ s: String?) { if let s { object[name] = .string(s) } }
  mutating func set(_ name: String, _ i: Int64?) { if let i { object[name] = .int(i) } }
  mutating func set(_ name: String, _ m: Money?) {
    if let m { object[name] = .string(m.format(digits: digits)) }
  }
  mutating func set(_ name: String, _ r: Rate?) { if let r { object[name] = .string(r.text) } }
  mutating func set(_ name: String, _ d: CivilDate?) { if let d { object[name] = .string(d.description) } }
  mutating func set(_ name: String, flag: Bool) { if flag { object[name] = .bool(true) } }
  mutating func set(_ name: String, lines: [JSONObject]) { object[name] = .array(lines.map { .object($0) }) }
}
