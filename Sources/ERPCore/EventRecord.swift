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
    var unchanged = false
    return try newEvent(object: try parseObject(line, start: start, end: end, canonicalData: nil).object, dataUnchanged: &unchanged)
  }

  /// `newEvent(_:start:end:)`, and where in `line` the record's `data` is written exactly as the
  /// event's `data` is in canonical form (RFC 8785: what the store hashes and `export` writes):
  /// nil unless the text is canonical already and checking it changed nothing. The import
  /// copies that text instead of writing the object out again (`PreparedEvent`).
  /// - Parameter scratch: the parser's room, kept by a caller reading many lines.
  public func newEvent(
    _ line: [UInt8], start: Int = 0, end: Int? = nil, canonicalData: inout Range<Int>?,
    scratch: inout JSONParser.Scratch
  ) throws(EventInputError) -> NewEvent {
    let (object, span) = try parseObject(line, start: start, end: end, canonicalData: "data", scratch: &scratch)
    var unchanged = false
    let e = try newEvent(object: object, dataUnchanged: &unchanged)
    canonicalData = unchanged ? span : nil
    return e
  }

  /// A primary event from a record already read into an object (the CSV reader builds one per
  /// row, or per order), checked exactly as a JSON line is.
  public func newEvent(object: JSONObject) throws(EventInputError) -> NewEvent {
    var unchanged = false
    return try newEvent(object: object, dataUnchanged: &unchanged)
  }

  /// - Parameter dataUnchanged: set to whether the event's `data` is the record's member `data`
  ///   as it is (checking normalised nothing in it).
  private func newEvent(object: JSONObject, dataUnchanged: inout Bool) throws(EventInputError) -> NewEvent {
    // One pass over the members finds the five fields by their bytes: the members and
    // `recordNames` are both in `JSONObject` order, and a name read from a record is mostly the
    // same small string as the literal. No array of keys, no hashing them into a set, no five
    // searches of the object.
    var fields = Fields()
    var next = 0
    for member in object.members {
      let k = member.key
      while next < Self.recordNames.count && !JSONObject.same(k, Self.recordNames[next]) { next += 1 }
      switch next {
      case 0: fields.at = member.value
      case 1: fields.data = member.value
      case 2: fields.key = member.value
      case 3: fields.type = member.value
      case 4: fields.v = member.value
      default:
        if Self.storeFields.contains(k) {
          throw EventInputError(
            field: k, "is assigned by the store; to load an export use 'erpctl restore'")
        }
        throw EventInputError(field: k, "unknown field")
      }
      next += 1
    }
    let (type, rules) = try typeField(fields.type)
    let at = try atField(fields.at)
    let key = try keyField(fields.key)
    let current = currentVersion(type, rules)
    let v = try versionField(fields.v, type: type, current: current, required: false)
    let data = try dataField(
      fields.data, type: type, rules: rules.rules, v: v, current: current, storeInput: false,
      unchanged: &dataUnchanged)
    return NewEvent(type: type, at: at, key: key, v: v, data: data)
  }

  /// A record read by the import's fast path (`fastEvent`).
  package struct FastEvent {
    /// The event's fields but its data, which its preparation holds (`PreparedEvent(taking:…)`
    /// makes the event, its data the canonical text it writes: a copy of its own had been an
    /// allocation per record, freed with it).
    package var type: String
    package var at: BusinessTime
    /// Where `at`'s text lies in the line, when it is what the store writes of `at`
    /// (`BusinessTime.writesAsItself`): the preparation copies it.
    package var atText: Range<Int>?
    package var key: String?
    package var v: Int
    /// The record's event decoded, as `SalesEvent(primary:digits:)` decodes it.
    package var typed: SalesEvent
    /// The entry of `data` in the tape it was read through.
    package var data: Int
  }

  /// The event of the JSON Lines record in `line[start..<end]`, read through `tape` without
  /// building a tree (`RecordTape`), when the record is in the form the tape reads (RFC 8785
  /// without escapes) and checking it changes nothing; nil otherwise, and the caller
  /// reads it with `newEvent(_:start:end:canonicalData:scratch:)`, which normalises it or says
  /// what is wrong with it. When it is not nil, it is that function's event but its data (the
  /// data's canonical text, which that function reports as `canonicalData`, is in the tape), and
  /// its typed decoding. The tape keeps the record's values for the preparation
  /// (`PreparedEvent(taking:…)`, which makes the event).
  package func fastEvent(_ line: [UInt8], start: Int, end: Int, tape: inout RecordTape) -> FastEvent? {
    // Records of older versions are upcast on the general path.
    guard upcaster.steps.isEmpty else { return nil }
    return line.withUnsafeBufferPointer { b -> FastEvent? in
      guard tape.read(b, start: start, end: end) else { return nil }
      return tape.entries.withUnsafeBufferPointer { entries -> FastEvent? in
        fastEvent(b, entries)
      }
    }
  }

  private func fastEvent(_ b: UnsafeBufferPointer<UInt8>, _ entries: UnsafeBufferPointer<RecordTape.Entry>)
    -> FastEvent?
  {
    guard let top = entries.first, top.kind == .object else { return nil }
    // The members by their place in `recordNames` (both in byte order).
    var found: InlineArray<5, Int> = .init(repeating: -1)
    var slot = 0
    var k = 1
    while k < top.next {
      let e = entries[k]
      while slot < Self.recordNameBytes.count
        && !Self.recordNameBytes[slot].withUnsafeBufferPointer({ RecordTape.named(b, e, $0) })
      {
        slot += 1
      }
      guard slot < Self.recordNameBytes.count else { return nil }
      found[slot] = k
      slot += 1
      k = e.next
    }
    // at, data, key, type, v
    guard found[0] >= 0, found[1] >= 0, found[3] >= 0 else { return nil }
    let typeEntry = entries[found[3]]
    guard typeEntry.kind == .string else { return nil }
    let typeText = UnsafeBufferPointer(rebasing: b[typeEntry.text])
    let type = Self.knownStrings.string(typeText, readable: b.count - typeEntry.text.lowerBound)
      ?? String(decoding: typeText, as: UTF8.self)
    // Of the types the store writes into, shipments are prepared with their `cogs` slots;
    // returns go the general way.
    guard let rules = EventCatalog.rules(for: type),
      !EventCatalog.hasStoreWrittenFields(type) || type == Shipped.type
    else { return nil }
    var v = rules.version
    if found[4] >= 0 {
      let e = entries[found[4]]
      guard e.kind == .int else { return nil }
      v = Int(e.value)
    }
    guard v == rules.version, upcaster.isIdentity(at: v) else { return nil }
    var key: String? = nil
    if found[2] >= 0 {
      let e = entries[found[2]]
      switch e.kind {
      case .null: break
      case .string:
        guard !e.text.isEmpty, e.text.count <= Self.maxKeyBytes else { return nil }
        key = RecordTape.string(b, e)
      default: return nil
      }
    }
    let atEntry = entries[found[0]]
    let atBytes = UnsafeBufferPointer(rebasing: b[atEntry.text])
    guard atEntry.kind == .string, let at = BusinessTime.parse(atBytes) else { return nil }
    let atText = BusinessTime.writesAsItself(atBytes) ? atEntry.text : nil
    let dataEntry = entries[found[1]]
    guard dataEntry.kind == .object else { return nil }
    let data = TapeObject(entries: entries, bytes: b, index: found[1])
    guard EventCatalog.unchanged(data, rules.rules, digits: moneyDigits),
      let typed = try? SalesEvent(type: type, reader: DataReader(data, digits: moneyDigits))
    else { return nil }
    return FastEvent(type: type, at: at, atText: atText, key: key, v: v, typed: typed, data: found[1])
  }

  /// `recordNames` as bytes.
  private static let recordNameBytes = recordNames.map { Array($0.utf8) }

  /// The names and values every record repeats (`EventCatalog.recordStrings`), which the parser
  /// returns as they are.
  static let knownStrings = JSONStrings(EventCatalog.recordStrings)

  /// `newEventFields` in `JSONObject` order, as `Fields` holds them.
  private static let recordNames = ["at", "data", "key", "type", "v"]

  /// The members of an event record, by name (nil when absent).
  private struct Fields {
    var at, data, key, type, v: JSONValue?
  }

  /// A whole exported envelope for `restore`: every field of SPEC 2, `hash` included.
  public func envelope(_ line: [UInt8], start: Int = 0, end: Int? = nil) throws(EventInputError)
    -> EventEnvelope
  {
    let object = try parseObject(line, start: start, end: end, canonicalData: nil).object
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
    let (type, rules) = try typeField(object["type"])
    let current = currentVersion(type, rules)
    let v = try versionField(object["v"], type: type, current: current, required: true)
    var unchanged = false
    return EventEnvelope(
      seq: UInt64(seq), type: type, at: try atField(object["at"]), recorded: recorded,
      key: try keyField(object["key"]), v: v,
      data: try dataField(
        object["data"], type: type, rules: rules.rules, v: v, current: current, storeInput: true,
        unchanged: &unchanged),
      hash: hash)
  }

  /// The record's object, and where the value of its member `canonicalData` lies when that text
  /// is canonical (`JSONParser.parse(_:start:end:canonicalSpanOf:)`).
  private func parseObject(_ line: [UInt8], start: Int, end: Int?, canonicalData: String?) throws(EventInputError)
    -> (object: JSONObject, span: Range<Int>?)
  {
    var scratch = JSONParser.Scratch()
    return try parseObject(line, start: start, end: end, canonicalData: canonicalData, scratch: &scratch)
  }

  private func parseObject(
    _ line: [UInt8], start: Int, end: Int?, canonicalData: String?, scratch: inout JSONParser.Scratch
  ) throws(EventInputError) -> (object: JSONObject, span: Range<Int>?) {
    let value: JSONValue
    let span: Range<Int>?
    do {
      (value, span) = try JSONParser.parse(
        line, start: start, end: end, canonicalSpanOf: canonicalData, known: Self.knownStrings,
        scratch: &scratch)
    } catch {
      throw EventInputError(field: error.path, "malformed JSON: \(error)")
    }
    guard let object = value.objectValue else {
      throw EventInputError(field: nil, "expected a JSON object, got \(value.kindName)")
    }
    return (object, span)
  }

  /// The type and what the catalogue has for it, looked up once for the whole record.
  private func typeField(_ v: JSONValue?) throws(EventInputError)
    -> (String, (rules: EventCatalog.Rules, version: Int))
  {
    guard let v else { throw EventInputError(field: "type", "is required") }
    guard let t = v.stringValue else {
      throw EventInputError(field: "type", "expected a string, got \(v.kindName)")
    }
    guard let rules = EventCatalog.rules(for: t) else {
      // Reuse the catalogue's message (with its did-you-mean).
      _ = try EventCatalog.check(type: t, data: JSONObject(), moneyDigits: moneyDigits)
      throw EventInputError(field: "type", "unknown event type '\(t)'")
    }
    return (t, rules)
  }

  /// `upcaster.currentVersion(of: type)`: the schema's version when the upcaster has no steps
  /// (as that function finds, without looking the type up again), else its answer.
  private func currentVersion(_ type: String, _ rules: (rules: EventCatalog.Rules, version: Int)) -> Int {
    upcaster.steps.isEmpty ? rules.version : upcaster.currentVersion(of: type)
  }

  private func atField(_ v: JSONValue?) throws(EventInputError) -> BusinessTime {
    guard let v else { throw EventInputError(field: "at", "is required") }
    guard let s = v.stringValue, let at = BusinessTime.parse(s) else {
      throw EventInputError(
        field: "at",
        "expected an RFC 3339 time with offset (2026-11-03T10:15:00+08:00) or a date (2026-11-03), got \(EventCatalog.describe(v))"
      )
    }
    return at
  }

  private func keyField(_ v: JSONValue?) throws(EventInputError) -> String? {
    guard let v, v != .null else { return nil }
    guard let k = v.stringValue, !k.isEmpty else {
      throw EventInputError(field: "key", "expected a non-empty string or null")
    }
    guard k.utf8.count <= Self.maxKeyBytes else {
      throw EventInputError(field: "key", "longer than \(Self.maxKeyBytes) bytes")
    }
    return k
  }

  /// - Parameter current: `upcaster.currentVersion(of: type)`.
  private func versionField(_ v: JSONValue?, type: String, current: Int, required: Bool)
    throws(EventInputError) -> Int
  {
    guard let v else {
      if required { throw EventInputError(field: "v", "is required") }
      return current
    }
    guard let i = v.intValue, i >= 1, i <= current else {
      throw EventInputError(
        field: "v", "expected a version from 1 to \(current) for \(type), got \(EventCatalog.describe(v))")
    }
    return Int(i)
  }

  /// - Parameter current: `upcaster.currentVersion(of: type)`.
  /// - Parameter unchanged: set to whether the data returned is `d`'s object as it is.
  private func dataField(
    _ d: JSONValue?, type: String, rules: EventCatalog.Rules, v: Int, current: Int, storeInput: Bool,
    unchanged: inout Bool
  ) throws(EventInputError) -> JSONObject {
    guard let d else { throw EventInputError(field: "data", "is required") }
    guard let data = d.objectValue else {
      throw EventInputError(field: "data", "expected an object, got \(d.kindName)")
    }
    // Check the current shape of the data; keep what was written (old versions stay old). Data
    // at the current version is its own upcast.
    let upcast = v == current ? data : try upcaster.upcast(type: type, v: v, data: data)
    let changed = try EventCatalog.checkChanged(
      rules: rules, data: upcast, moneyDigits: moneyDigits, storeInput: storeInput)
    guard v == current, let changed else {
      unchanged = true
      return data
    }
    return changed
  }
}
