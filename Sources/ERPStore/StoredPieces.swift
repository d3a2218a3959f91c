import ERPCore

/// What `EventEncoder.encode` writes of an event besides `recorded`, its seq and its hash: the
/// canonical JSON (RFC 8785, hashed into the chain) before `recorded` and after the seq, and the
/// binary record's `at` and everything after `recorded`. Three sources write the same bytes:
/// an event's parts with its data as a `JSONObject` (`JSONPieces`), the pieces made ahead on the
/// import's reading thread (`PreparedEvent`), and a derived event's typed payload
/// (`DerivedPieces`).
protocol StoredPieces {
  /// `{"at":…,"data":…,"key":…,"recorded":`
  func writeCanonicalHead(_ w: inout ByteWriter)
  /// `,"type":…,"v":N}`
  func writeCanonicalTail(_ w: inout ByteWriter)
  func writeBinaryAt(_ w: inout ByteWriter)
  /// v, type, key, data.
  func writeBinaryRest(_ w: inout ByteWriter)
}

extension PreparedEvent: StoredPieces {}

/// An event from its parts.
struct JSONPieces: StoredPieces {
  var type: String
  var at: BusinessTime
  var key: String?
  var v: Int
  var data: JSONObject

  func writeCanonicalHead(_ w: inout ByteWriter) {
    CanonicalPieces.atData(at, data, &w)
    CanonicalPieces.keyThenRecordedName(key, &w)
  }
  func writeCanonicalTail(_ w: inout ByteWriter) { CanonicalPieces.tail(type: type, v: v, &w) }
  func writeBinaryAt(_ w: inout ByteWriter) { EventCodec.putAt(at, &w) }
  func writeBinaryRest(_ w: inout ByteWriter) { EventCodec.putRest(v: v, type: type, key: key, data: data, &w) }
}

/// A derived event (version 1, no key) written from its payload: the bytes `JSONPieces` writes
/// of `payload.data(digits:)`, without building that object.
struct DerivedPieces<P: SortedDataPayload>: StoredPieces {
  var at: BusinessTime
  var payload: P
  var digits: Int
  /// `CanonicalPieces.atDataName(at)`'s bytes, when the caller has them (lent for the call: the
  /// primary's preparation holds them, and writing `at` again was about 300 instructions for
  /// each derived event).
  var atDataName: UnsafeBufferPointer<UInt8>? = nil

  func writeCanonicalHead(_ w: inout ByteWriter) {
    if let atDataName { w.bytes(atDataName) } else { CanonicalPieces.atDataName(at, &w) }
    var sink = CanonicalDataSink(w, digits: digits)
    payload.writeSorted(to: &sink)
    w = sink.finish()
    CanonicalPieces.keyThenRecordedName(nil, &w)
  }
  func writeCanonicalTail(_ w: inout ByteWriter) { CanonicalPieces.tail(type: P.type, v: 1, &w) }
  func writeBinaryAt(_ w: inout ByteWriter) { EventCodec.putAt(at, &w) }
  func writeBinaryRest(_ w: inout ByteWriter) {
    EventCodec.putRestHead(v: 1, type: P.type, key: nil, &w)
    var sink = BinaryDataSink(w, digits: digits)
    payload.writeSorted(to: &sink)
    w = sink.finish()
  }
}

/// Writes data members as the canonical JSON object `ByteWriter.jsonObject` writes of the
/// `JSONObject` `DataWriter` builds: names and text as JSON strings, money as its decimal text,
/// dates as `YYYY-MM-DD`.
struct CanonicalDataSink: DataSink {
  private var w: ByteWriter
  private let digits: Int
  private var first = true
  #if DEBUG
    private var lastName: String?
  #endif

  /// Writes into (a copy of) `w`; `finish` hands it back.
  init(_ w: ByteWriter, digits: Int) {
    self.w = w
    self.digits = digits
  }

  mutating func finish() -> ByteWriter {
    if first { w.byte(UInt8(ascii: "{")) }
    w.byte(UInt8(ascii: "}"))
    return w
  }

  private mutating func name(_ n: String) {
    #if DEBUG
      if let lastName { assert(JSONObject.less(lastName, n), "data member '\(n)' out of order") }
      lastName = n
    #endif
    w.byte(UInt8(ascii: first ? "{" : ","))
    first = false
    w.jsonString(n)
    w.byte(UInt8(ascii: ":"))
  }

  mutating func string(_ name: String, _ value: String) {
    self.name(name)
    w.jsonString(value)
  }
  mutating func int(_ name: String, _ value: Int64) {
    self.name(name)
    w.jsonInt(value)
  }
  /// The text `format(digits:)` gives, written as bytes (no String: a digit, a point or a sign
  /// never needs escaping).
  mutating func money(_ name: String, _ value: Money) {
    self.name(name)
    Money.withDecimal(value.minorUnits, places: digits) { text in
      w.byte(UInt8(ascii: "\""))
      w.bytes(text)
      w.byte(UInt8(ascii: "\""))
    }
  }
  mutating func date(_ name: String, _ value: CivilDate) {
    self.name(name)
    value.writeJSON(into: &w)
  }
}

/// Writes data members as the binary object `EventCodec.putObject` writes of the `JSONObject`
/// `DataWriter` builds (tag 6, the member count, then each name and value).
struct BinaryDataSink: DataSink {
  private var w: ByteWriter
  private let digits: Int
  private let countAt: Int
  private var members = 0

  /// Writes into (a copy of) `w`; `finish` hands it back.
  init(_ w: ByteWriter, digits: Int) {
    self.w = w
    self.digits = digits
    self.w.byte(6)
    countAt = self.w.count
    self.w.byte(0)
  }

  mutating func finish() -> ByteWriter {
    // Payloads have a handful of members: the count is one varint byte.
    precondition(members < 0x80, "a data object with \(members) members")
    w.base[countAt] = UInt8(members)
    return w
  }

  private mutating func name(_ n: String) {
    members += 1
    EventCodec.putString(n, &w)
  }

  mutating func string(_ name: String, _ value: String) {
    self.name(name)
    EventCodec.putStringValue(value, &w)
  }
  mutating func int(_ name: String, _ value: Int64) {
    self.name(name)
    EventCodec.putValue(.int(value), &w)
  }
  /// The string `format(digits:)` gives, written from its bytes (no String).
  mutating func money(_ name: String, _ value: Money) {
    self.name(name)
    Money.withDecimal(value.minorUnits, places: digits) { EventCodec.putStringValue(bytes: $0, &w) }
  }
  /// The string `description` gives, written from its digits (building it was about 2,500
  /// instructions, for every invoice the import derives).
  mutating func date(_ name: String, _ value: CivilDate) {
    let (y, m, d) = value.components
    guard (0...9999).contains(y) else { return string(name, value.description) }
    self.name(name)
    w.byte(EventCodec.stringTag)
    EventCodec.putVarint(10, &w)
    CivilDate.writeDigits(y, m, d, into: &w)
  }
}
