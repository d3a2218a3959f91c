/// Reads one JSON Lines record into an event, naming the field of every problem.
public struct EventRecordReader: Sendable {
  /// Minor-unit digits of the store's currency.
  public var moneyDigits: Int
  public var upcaster: Upcaster

  public init(moneyDigits: Int, upcaster: Upcaster = .standard) {
    self.moneyDigits = moneyDigits
    self.upcaster = upcaster
  }

  /// Idempotency keys are LMDB keys: at most 500 bytes (LMDB's default limit is 511).
  public static let maxKeyBytes = 500

  static let newEventFields: Set<String> = ["type", "at", "key", "v", "data"]
  static let storeFields: Set<String> = ["seq", "recorded", "hash"]

  /// A primary event for `append`: `type`, `at`, `data`, optional `key` and `v`.
  public func newEvent(_ line: [UInt8], start: Int = 0, end: Int? = nil) throws(EventInputError)
    -> NewEvent
  {
    try newEvent(object: try parseObject(line, start: start, end: end))
  }

  /// A primary event from a record already read into an object (the CSV reader builds one per
  /// row, or per order), checked exactly as a JSON line is.
  public func newEvent(object: JSONObject) throws(EventInputError) -> NewEvent {
    for key in object.keys where !Self.newEventFields.contains(key) {
      if Self.storeFields.contains(key) {
        throw EventInputError(
          field: key, "is assigned by the store; to load an export use 'erpctl restore'")
      }
      throw EventInputError(field: key, "unknown field")
    }
    let type = try typeField(object)
    let at = try atField(object)
    let key = try keyField(object)
    let v = try versionField(object, type: type, required: false)
    let data = try dataField(object, type: type, v: v, storeInput: false)
    return NewEvent(type: type, at: at, key: key, v: v, data: data)
  }

  /// A whole exported envelope for `restore`: every field of SPEC 2, `hash` included.
  public func envelope(_ line: [UInt8], start: Int = 0, end: Int? = nil) throws(EventInputError)
    -> EventEnvelope
  {
    let object = try parseObject(line, start: start, end: end)
    for key in object.keys
    where !Self.newEventFields.contains(key) && !Self.storeFields.contains(key) {
      throw EventInputError(field: key, "unknown field")
    }
    guard case .int(let seq)? = object["seq"], seq > 0 else {
      throw EventInputError(field: "seq", "expected a positive integer")
    }
    // Exactly as erpctl writes it, so the line's bytes are what the chain hashed.
    guard let rs = object["recorded"]?.stringValue,
      let (recorded, offset) = Instant.parseRFC3339(rs), offset == 0, recorded.rfc3339() == rs
    else {
      throw EventInputError(
        field: "recorded", "expected a UTC timestamp as erpctl writes it (e.g. 2026-11-03T02:15:02.5Z)")
    }
    guard let hs = object["hash"]?.stringValue, let hash = Hex.decode(hs), hash.count == 32 else {
      throw EventInputError(field: "hash", "expected 64 hexadecimal digits")
    }
    let type = try typeField(object)
    let v = try versionField(object, type: type, required: true)
    return EventEnvelope(
      seq: UInt64(seq), type: type, at: try atField(object), recorded: recorded,
      key: try keyField(object), v: v,
      data: try dataField(object, type: type, v: v, storeInput: true), hash: hash)
  }

  private func parseObject(_ line: [UInt8], start: Int, end: Int?) throws(EventInputError)
    -> JSONObject
  {
    let value: JSONValue
    do { value = try JSONParser.parse(line, start: start, end: end) } catch {
      throw EventInputError(field: error.path, "malformed JSON: \(error)")
    }
    guard let object = value.objectValue else {
      throw EventInputError(field: nil, "expected a JSON object, got \(value.kindName)")
    }
    return object
  }

  private func typeField(_ o: JSONObject) throws(EventInputError) -> String {
    guard let v = o["type"] else { throw EventInputError(field: "type", "is required") }
    guard let t = v.stringValue else {
      throw EventInputError(field: "type", "expected a string, got \(v.kindName)")
    }
    guard EventCatalog.schema(for: t) != nil else {
      // Reuse the catalogue's message (with its did-you-mean).
      _ = try EventCatalog.check(type: t, data: JSONObject(), moneyDigits: moneyDigits)
      throw EventInputError(field: "type", "unknown event type '\(t)'")
    }
    return t
  }

  private func atField(_ o: JSONObject) throws(EventInputError) -> BusinessTime {
    guard let v = o["at"] else { throw EventInputError(field: "at", "is required") }
    guard let s = v.stringValue, let at = BusinessTime.parse(s) else {
      throw EventInputError(
        field: "at",
        "expected an RFC 3339 time with offset (2026-11-03T10:15:00+08:00) or a date (2026-11-03), got \(EventCatalog.describe(v))"
      )
    }
    return at
  }

  private func keyField(_ o: JSONObject) throws(EventInputError) -> String? {
    guard let v = o["key"], v != .null else { return nil }
    guard let k = v.stringValue, !k.isEmpty else {
      throw EventInputError(field: "key", "expected a non-empty string or null")
    }
    guard k.utf8.count <= Self.maxKeyBytes else {
      throw EventInputError(field: "key", "longer than \(Self.maxKeyBytes) bytes")
    }
    return k
  }

  private func versionField(_ o: JSONObject, type: String, required: Bool) throws(EventInputError)
    -> Int
  {
    let current = upcaster.currentVersion(of: type)
    guard let v = o["v"] else {
      if required { throw EventInputError(field: "v", "is required") }
      return current
    }
    guard let i = v.intValue, i >= 1, i <= current else {
      throw EventInputError(
        field: "v", "expected a version from 1 to \(current) for \(type), got \(EventCatalog.describe(v))")
    }
    return Int(i)
  }

  private func dataField(_ o: JSONObject, type: String, v: Int, storeInput: Bool)
    throws(EventInputError) -> JSONObject
  {
    guard let d = o["data"] else { throw EventInputError(field: "data", "is required") }
    guard let data = d.objectValue else {
      throw EventInputError(field: "data", "expected an object, got \(d.kindName)")
    }
    // Check the current shape of the data; keep what was written (old versions stay old).
    let current = try upcaster.upcast(type: type, v: v, data: data)
    let checked = try EventCatalog.check(
      type: type, data: current, moneyDigits: moneyDigits, storeInput: storeInput)
    return v == upcaster.currentVersion(of: type) ? checked : data
  }
}
