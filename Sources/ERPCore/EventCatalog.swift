import Foundation

/// The events of SPEC 3 and the shape of their `data`: which fields exist, which are required,
/// and what each must hold. Checking against it refuses unknown fields by name and normalises
/// money to the currency's digits (so `"5"` and `"5.00"` are stored alike).
public enum EventCatalog {
  public indirect enum Kind: Sendable, Equatable {
    /// A non-empty identifier chosen by the user (`SO-1001`), at most 200 bytes, no control chars.
    case id
    /// Free text (names, reasons); no control characters other than tab and newline.
    case text
    /// A non-negative decimal string with at most the currency's minor digits.
    case money
    /// A positive integer quantity.
    case quantity
    /// A non-zero integer quantity (adjustments may be negative).
    case signedQuantity
    /// An integer within a range.
    case integer(ClosedRange<Int64>)
    /// A decimal string rate in 0...1 (`"0.10"` = 10 %).
    case rate
    /// A non-negative decimal string or integer (a target's value, whose unit depends on the metric).
    case amount
    /// A plain date `YYYY-MM-DD`.
    case date
    /// A period key (`2026`, `2026-Q4`, `2026-11`, `2026-W45`, `2026-11-03`).
    case period
    case oneOf([String])
    case boolean
    /// A non-empty array of objects with the given fields.
    case lines([Field])
  }

  public struct Field: Sendable, Equatable {
    public var name: String
    public var kind: Kind
    public var required: Bool
    /// Written by the store when it appends (e.g. `cogs`); refused in user input (SPEC 7).
    public var storeWritten: Bool

    public static func req(_ name: String, _ kind: Kind) -> Field {
      Field(name: name, kind: kind, required: true, storeWritten: false)
    }
    public static func opt(_ name: String, _ kind: Kind) -> Field {
      Field(name: name, kind: kind, required: false, storeWritten: false)
    }
    public static func store(_ name: String, _ kind: Kind) -> Field {
      Field(name: name, kind: kind, required: false, storeWritten: true)
    }
  }

  public struct Schema: Sendable {
    public var type: String
    public var fields: [Field]
    /// Derived by rule from a primary event (SPEC 3).
    public var derived: Bool
    /// The current version of `data`; older versions are upcast when read.
    public var version: Int
  }

  static let orderLine: [Field] = [
    .req("sku", .id), .req("qty", .quantity), .req("unit_price", .money), .opt("discount", .rate),
  ]
  static let days: Kind = .integer(0...3650)

  public static let schemas: [Schema] = [
    s("CustomerRegistered", [
      .req("customer", .id), .req("name", .text), .req("region", .id), .req("channel", .id),
      .opt("tier", .id), .opt("acquisition_cost", .money),
    ]),
    s("ProductDefined", [
      .req("sku", .id), .req("name", .text), .req("line", .id), .req("list_price", .money),
      .opt("unit_cost", .money), .opt("lead_time_days", days),
      .opt("pack_size", .integer(1...1_000_000)),
    ]),
    s("RepRegistered", [
      .req("rep", .id), .req("name", .text), .req("team", .id), .req("region", .id),
      .opt("commission_rate", .rate),
    ]),
    s("TargetSet", [
      .req("scope", .oneOf(["company", "team", "region", "rep"])), .opt("id", .id),
      .req("metric", .oneOf([
        "revenue", "gross_margin", "collections", "collection_rate", "new_customers", "orders",
      ])),
      .req("period", .period), .req("value", .amount),
    ]),
    s("AlertRuleSet", [
      .req("rule", .oneOf(AlertRuleName.allCases.map(\.rawValue))), .opt("enabled", .boolean),
      .opt("checkpoint", .rate), .opt("threshold", .rate), .opt("floor", .rate), .opt("days", days),
      .opt("amount", .money), .opt("quantity", .integer(0...1_000_000_000)),
      .opt("severity", .oneOf(AlertSeverity.allCases.map(\.rawValue))),
    ]),
    s("CampaignCostRecorded", [.req("channel", .id), .req("period", .period), .req("amount", .money)]),
    s("LeadCreated", [
      .req("lead", .id), .req("source", .id), .req("rep", .id), .opt("region", .id),
      .opt("customer", .id), .opt("company", .text), .opt("estimated_value", .money),
    ]),
    s("LeadStageChanged", [
      .req("lead", .id),
      .req("stage", .oneOf(["new", "contacted", "qualified", "quoted", "negotiating", "won", "lost"])),
      .opt("reason", .text),
    ]),
    s("ActivityLogged", [
      .req("rep", .id), .req("kind", .oneOf(["call", "visit", "email", "meeting"])),
      .opt("lead", .id), .opt("customer", .id),
    ]),
    s("QuoteIssued", [
      .req("quote", .id), .opt("lead", .id), .req("customer", .id), .req("lines", .lines(orderLine)),
    ]),
    s("OrderConfirmed", [
      .req("order", .id), .req("customer", .id), .req("rep", .id), .opt("channel", .id),
      .opt("region", .id), .opt("lead", .id), .opt("quote", .id), .opt("promotion", .id),
      .opt("payment_terms_days", days), .opt("allow_backorder", .boolean),
      .req("lines", .lines(orderLine)),
    ]),
    s("StockReserved", [.req("order", .id), .req("sku", .id), .req("qty", .quantity)], derived: true),
    s("OrderCancelled", [.req("order", .id), .req("reason", .text)]),
    s("ReservationReleased", [.req("order", .id), .req("sku", .id), .req("qty", .quantity)],
      derived: true),
    s("Shipped", [
      .req("order", .id), .req("shipment", .id),
      .req("lines", .lines([.req("sku", .id), .req("qty", .quantity), .store("cogs", .money)])),
      .opt("carrier", .text), .opt("tracking", .text), .opt("freight_cost", .money),
    ]),
    s("StockReceived", [
      .req("sku", .id), .req("qty", .quantity), .req("unit_cost", .money), .opt("po", .id),
    ]),
    s("StockAdjusted", [
      .req("sku", .id), .req("qty", .signedQuantity), .req("reason", .text),
      .opt("unit_cost", .money),
    ]),
    s("PurchaseOrderPlaced", [
      .req("po", .id), .req("sku", .id), .req("qty", .quantity), .opt("expected", .date),
    ]),
    s("ReturnReceived", [
      .req("order", .id), .req("sku", .id), .req("qty", .quantity), .req("reason", .text),
      .store("cogs", .money),
    ]),
    s("InvoiceIssued", [
      .req("invoice", .id), .req("order", .id), .req("customer", .id), .req("amount", .money),
      .req("due", .date),
    ], derived: true),
    s("PaymentReceived", [
      .req("payment", .id), .req("customer", .id), .req("amount", .money), .opt("method", .text),
    ]),
    s("PaymentMatched", [.req("payment", .id), .req("invoice", .id), .req("amount", .money)]),
    s("CreditNoteIssued", [
      .req("credit_note", .id), .opt("invoice", .id), .req("order", .id), .req("customer", .id),
      .req("amount", .money),
    ], derived: true),
    s("OrderCostRecorded", [
      .req("order", .id), .req("kind", .oneOf(["production", "freight", "commission", "other"])),
      .req("amount", .money),
    ]),
    s("ServiceCaseOpened", [
      .req("case", .id), .req("customer", .id), .opt("order", .id),
      .req("kind", .oneOf(["complaint", "repair", "inquiry", "feedback"])), .opt("text", .text),
    ]),
    s("ServiceCaseClosed", [
      .req("case", .id), .opt("resolution", .text), .opt("satisfaction", .integer(1...5)),
    ]),
  ]

  private static func s(_ type: String, _ fields: [Field], derived: Bool = false) -> Schema {
    Schema(type: type, fields: fields, derived: derived, version: 1)
  }

  private static let byType: [String: Schema] = Dictionary(
    uniqueKeysWithValues: schemas.map { ($0.type, $0) })

  /// The rules `check` walks and the schema's version, by type.
  private static let rulesByType = IDTable<(rules: Rules, version: Int)>(
    schemas.map { ($0.type, (Rules($0.fields), $0.version)) })

  /// The rules of `type` and its schema's version (nil for an unknown type): what
  /// `EventRecordReader` needs of the catalogue for a record, in one lookup.
  static func rules(for type: String) -> (rules: Rules, version: Int)? { rulesByType.value(type) }

  public static func schema(for type: String) -> Schema? { byType[type] }

  /// The strings event records repeat: the names of a record's members and of every field, the
  /// types, and the options of every `.oneOf` field.
  static var recordStrings: [String] {
    var out = ["type", "at", "key", "v", "data", "seq", "recorded", "hash"]
    func add(_ fields: [Field]) {
      for f in fields {
        out.append(f.name)
        switch f.kind {
        case .oneOf(let options): out += options
        case .lines(let inner): add(inner)
        default: break
        }
      }
    }
    for s in schemas {
      out.append(s.type)
      add(s.fields)
    }
    return out
  }

  /// Whether the store may write fields into events of `type` (SPEC 7: `cogs`).
  public static func hasStoreWrittenFields(_ type: String) -> Bool {
    // Two types of 26: comparing with each costs less than hashing the name into a set (asked
    // for every imported event).
    storeWriting.contains(type)
  }

  private static let storeWriting: [String] = schemas.filter { writes($0.fields) }.map(\.type)

  private static func writes(_ fields: [Field]) -> Bool {
    fields.contains { f in
      if f.storeWritten { return true }
      if case .lines(let inner) = f.kind { return writes(inner) }
      return false
    }
  }

  /// Checks `data` against the schema of `type` and returns it normalised.
  /// - Parameter storeInput: true when reading a stored event (restore), which may carry
  ///   store-written fields such as `cogs`.
  public static func check(
    type: String, data: JSONObject, moneyDigits: Int, storeInput: Bool = false
  ) throws(EventInputError) -> JSONObject {
    guard let rules = rulesByType.value(type)?.rules else {
      throw EventInputError(field: "type", "unknown event type '\(type)'\(suggestion(type))")
    }
    return try check(rules: rules, data: data, moneyDigits: moneyDigits, storeInput: storeInput)
  }

  /// `check` with the rules of the type (`rules(for:)`).
  static func check(
    rules: Rules, data: JSONObject, moneyDigits: Int, storeInput: Bool
  ) throws(EventInputError) -> JSONObject {
    try checkObject(data, rules, path: "data", digits: moneyDigits, store: storeInput) ?? data
  }

  /// `check(rules:data:moneyDigits:storeInput:)`, nil when `data` is as it should be (nothing
  /// normalised): whether the event's data is the record's text as it was read.
  static func checkChanged(
    rules: Rules, data: JSONObject, moneyDigits: Int, storeInput: Bool
  ) throws(EventInputError) -> JSONObject? {
    try checkObject(data, rules, path: "data", digits: moneyDigits, store: storeInput)
  }

  /// `data` without the fields the store writes (to compare a stored event with its input).
  public static func removingStoreWritten(type: String, data: JSONObject) -> JSONObject {
    guard let schema = byType[type] else { return data }
    return strip(data, schema.fields)
  }

  private static func strip(_ o: JSONObject, _ fields: [Field]) -> JSONObject {
    var out = o
    for f in fields {
      if f.storeWritten {
        out[f.name] = nil
      } else if case .lines(let inner) = f.kind, let items = o[f.name]?.arrayValue {
        out[f.name] = .array(items.map { $0.objectValue.map { .object(strip($0, inner)) } ?? $0 })
      }
    }
    return out
  }

  private static func suggestion(_ type: String) -> String {
    let lower = type.lowercased()
    if let near = schemas.first(where: { $0.type.lowercased() == lower }) {
      return " (did you mean '\(near.type)'?)"
    }
    return ""
  }

  /// The fields of a schema (or of its lines) in the form `check` walks for every imported
  /// event: a plain `Rule` per field, and the names in the order of an object's members.
  /// Walking `[Field]` itself copied a `Kind` (an indirect enum: a retain and a release through
  /// outlined copies) at every step and found each member's field by `String ==`, about a fifth
  /// of the import's reading thread.
  final class Rules: Sendable {
    let fields: [Field]
    let rules: [Rule]
    /// The index in `fields` of each name, in RFC 8785 order (the order of an object's members).
    let byName: [Int]
    /// The place in `byName` of each field.
    let rank: [Int]
    /// The options of each `.oneOf` field (empty for the others).
    let options: [[String]]
    /// The rules of the objects of each `.lines` field (nil for the others).
    let lines: [Rules?]
    /// The UTF-8 of each name, in `byName` order (the fast path compares a record's bytes).
    let namesByRank: [[UInt8]]

    init(_ fields: [Field]) {
      // `checkObject` keeps the fields present in one 64-bit mask.
      precondition(fields.count <= 64, "at most 64 fields")
      self.fields = fields
      rules = fields.map(Rule.init)
      byName = fields.indices.sorted { JSONObject.less(fields[$0].name, fields[$1].name) }
      var rank = [Int](repeating: 0, count: fields.count)
      for (r, i) in byName.enumerated() { rank[i] = r }
      self.rank = rank
      options = fields.map { if case .oneOf(let o) = $0.kind { o } else { [] } }
      lines = fields.map { if case .lines(let inner) = $0.kind { Rules(inner) } else { nil } }
      namesByRank = byName.map { Array(fields[$0].name.utf8) }
    }
  }

  /// A field's `Kind` without its payloads (a bitwise copy), with what `checkObject` asks of it.
  struct Rule {
    enum Tag { case id, text, money, quantity, signedQuantity, integer, rate, amount, date, period, oneOf, boolean, lines }
    var tag: Tag
    var required: Bool
    var storeWritten: Bool
    /// The range of an `.integer` field.
    var range: ClosedRange<Int64> = 0...0

    init(_ field: Field) {
      required = field.required
      storeWritten = field.storeWritten
      switch field.kind {
      case .id: tag = .id
      case .text: tag = .text
      case .money: tag = .money
      case .quantity: tag = .quantity
      case .signedQuantity: tag = .signedQuantity
      case .integer(let r):
        tag = .integer
        range = r
      case .rate: tag = .rate
      case .amount: tag = .amount
      case .date: tag = .date
      case .period: tag = .period
      case .oneOf: tag = .oneOf
      case .boolean: tag = .boolean
      case .lines: tag = .lines
      }
    }
  }

  /// Checks `object` against `rules`; returns it normalised, or nil when that changes nothing
  /// (no copy of an object that was already as stored, the common case).
  private static func checkObject(
    _ object: JSONObject, _ rules: Rules, path: @autoclosure () -> String, digits: Int, store: Bool
  ) throws(EventInputError) -> JSONObject? {
    // The fields present, one bit per place in `byName`. Members and `byName` are both in RFC
    // 8785 order, so one pass over both finds the field of every member (names compared by
    // bytes: every field name is lower-case ASCII, which no other string is canonically
    // equivalent to, so this is what `String ==` found).
    var present: UInt64 = 0
    var next = 0
    for member in object.members {
      var r = next
      while r < rules.byName.count && !JSONObject.same(rules.fields[rules.byName[r]].name, member.key) {
        r += 1
      }
      guard r < rules.byName.count else {
        throw EventInputError(field: "\(path()).\(member.key)", "unknown field")
      }
      if rules.rules[rules.byName[r]].storeWritten && !store {
        throw EventInputError(
          field: "\(path()).\(member.key)", "is written by the store and cannot be supplied")
      }
      present |= 1 << UInt64(r)
      next = r + 1
    }
    // Paths are only built for a message: this runs for every field of every imported event.
    var out: JSONObject? = nil
    var nulls: UInt64 = 0
    for index in rules.rules.indices {
      let rule = rules.rules[index]
      let r = rules.rank[index]
      // The member of a present field: as many members precede it as present fields precede it
      // by name.
      let bit: UInt64 = 1 << UInt64(r)
      let member = (present & bit) == 0 ? nil : (present & (bit - 1)).nonzeroBitCount
      guard let member, object.members[member].value != .null else {
        if rule.required { throw EventInputError(field: "\(path()).\(rules.fields[index].name)", "is required") }
        if member != nil { nulls |= bit }
        continue
      }
      let value = object.members[member].value
      let checked = try checkValue(
        value, rules, index, path: "\(path()).\(rules.fields[index].name)", digits: digits, store: store)
      if let checked {
        if out == nil { out = object }
        out?.replaceValue(at: member, with: checked)
      }
    }
    if nulls != 0 {
      // Present but null: left out, as if absent (from the last, so the places stay right).
      if out == nil { out = object }
      for r in (0..<rules.byName.count).reversed() where nulls & (1 << UInt64(r)) != 0 {
        out?.removeValue(at: (present & ((1 << UInt64(r)) - 1)).nonzeroBitCount)
      }
    }
    return out
  }

  /// Whether the object of a record's tape passes `rules` as it is: what `checkChanged` says of
  /// the object read from the same text when it returns nil without throwing (every member a
  /// known field of its kind, the required ones present, no null, nothing to normalise, nothing
  /// the store writes). False for anything else, and the record then goes through the general
  /// path, which says what is wrong or normalises it: the scalars are checked by the same
  /// `checkValue`, so the two paths cannot disagree about a value.
  static func unchanged(_ t: TapeObject, _ rules: Rules, digits: Int) -> Bool {
    var present: UInt64 = 0
    var r = 0
    var k = t.index + 1
    let end = t.entries[t.index].next
    while k < end {
      let e = t.entries[k]
      // The field of this member: names and `byName` are both in byte order.
      while r < rules.namesByRank.count
        && !rules.namesByRank[r].withUnsafeBufferPointer({ RecordTape.named(t.bytes, e, $0) })
      {
        r += 1
      }
      guard r < rules.namesByRank.count else { return false }
      let index = rules.byName[r]
      let rule = rules.rules[index]
      guard !rule.storeWritten else { return false }
      switch e.kind {
      case .null: return false
      case .object: return false
      case .array:
        guard rule.tag == .lines, e.value > 0, let inner = rules.lines[index] else { return false }
        var c = k + 1
        while c < e.next {
          guard t.entries[c].kind == .object,
            unchanged(TapeObject(entries: t.entries, bytes: t.bytes, index: c), inner, digits: digits)
          else { return false }
          c = t.entries[c].next
        }
      case .string, .int, .bool:
        if e.kind == .string, let valid = unchanged(UnsafeBufferPointer(rebasing: t.bytes[e.text]), rules, index, digits: digits) {
          guard valid else { return false }
          break
        }
        let value: JSONValue =
          e.kind == .string ? .string(RecordTape.string(t.bytes, e)) : e.kind == .int ? .int(e.value) : .bool(e.value != 0)
        do throws(EventInputError) {
          guard try checkValue(value, rules, index, path: "", digits: digits, store: false) == nil else { return false }
        } catch {
          return false
        }
      }
      present |= 1 << UInt64(r)
      r += 1
      k = e.next
    }
    for index in rules.rules.indices where rules.rules[index].required {
      guard present & (1 << UInt64(rules.rank[index])) != 0 else { return false }
    }
    return true
  }

  /// `checkValue` of a string given as its UTF-8 (`text`, a tape's string: without escapes),
  /// without making it a `String` first (each string of a record had been made twice, here and
  /// for its typed event): whether it is valid and unchanged, or nil for the kinds of field left
  /// to `checkValue`.
  private static func unchanged(
    _ text: UnsafeBufferPointer<UInt8>, _ rules: Rules, _ index: Int, digits: Int
  ) -> Bool? {
    switch rules.rules[index].tag {
    // A tape's strings hold no byte below 0x20 (JSON has none raw, and the tape reads no
    // escapes): of the control characters only DEL is left to look for, by `memchr`.
    case .id:
      return !text.isEmpty && text.count <= Self.maxIDBytes && !Self.hasDelete(text)
    case .text:
      return !Self.hasDelete(text)
    case .money:
      guard let m = Money.parse(utf8: text, digits: digits), m.minorUnits >= 0 else { return false }
      return Money.isCanonical(utf8: text, digits: digits)
    case .date:
      return CivilDate.parse(text) != nil
    case .oneOf:
      return rules.options[index].contains { option in
        var option = option
        return option.withUTF8 { $0.elementsEqual(text) }
      }
    default:
      return nil
    }
  }

  /// The most bytes an identifier may have (SPEC 2).
  static let maxIDBytes = 200

  @inline(__always)
  private static func hasDelete(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let base = text.baseAddress, !text.isEmpty else { return false }
    return memchr(base, 0x7F, text.count) != nil
  }

  /// Checks `value` against the field at `index` of `rules`; returns it normalised, or nil when
  /// that changes nothing.
  private static func checkValue(
    _ value: JSONValue, _ rules: Rules, _ index: Int, path: @autoclosure () -> String, digits: Int,
    store: Bool
  ) throws(EventInputError) -> JSONValue? {
    func expected(_ what: String) -> EventInputError {
      EventInputError(field: path(), "expected \(what), got \(describe(value))")
    }
    let rule = rules.rules[index]
    switch rule.tag {
    case .id:
      guard case .string(let s) = value, !s.isEmpty else { throw expected("a non-empty identifier") }
      guard s.utf8.count <= Self.maxIDBytes else {
        throw EventInputError(field: path(), "longer than \(Self.maxIDBytes) bytes")
      }
      // Control characters are single ASCII bytes in UTF-8: checking the bytes is checking the
      // scalars.
      guard !JSONObject.anyByte(of: s, where: { $0 < 0x20 || $0 == 0x7F }) else {
        throw EventInputError(field: path(), "contains a control character")
      }
      return nil
    case .text:
      guard case .string(let s) = value else { throw expected("a string") }
      guard
        !JSONObject.anyByte(of: s, where: {
          ($0 < 0x20 && $0 != UInt8(ascii: "\n") && $0 != UInt8(ascii: "\t")) || $0 == 0x7F
        })
      else { throw EventInputError(field: path(), "contains a control character") }
      return nil
    case .money:
      guard case .string(let s) = value else {
        throw expected("a decimal string such as \"12.50\"")
      }
      let m: Money
      do { m = try Money.parse(s, digits: digits) } catch {
        throw EventInputError(field: path(), error.description)
      }
      guard m.minorUnits >= 0 else { throw EventInputError(field: path(), "must not be negative") }
      // Normalised to the currency's digits, unless written so already.
      return m.isFormatted(as: s, digits: digits) ? nil : .string(m.format(digits: digits))
    case .quantity:
      guard case .int(let i) = value else { throw expected("a positive integer") }
      guard i > 0 else { throw EventInputError(field: path(), "must be a positive integer, got \(i)") }
      guard i <= 1_000_000_000 else { throw EventInputError(field: path(), "\(i) is too large") }
      return nil
    case .signedQuantity:
      guard case .int(let i) = value else { throw expected("a non-zero integer") }
      guard i != 0 else { throw EventInputError(field: path(), "must not be zero") }
      guard abs(i) <= 1_000_000_000 else { throw EventInputError(field: path(), "\(i) is too large") }
      return nil
    case .integer:
      let range = rule.range
      guard case .int(let i) = value else { throw expected("an integer") }
      guard range.contains(i) else {
        throw EventInputError(
          field: path(), "\(i) is out of range \(range.lowerBound)...\(range.upperBound)")
      }
      return nil
    case .rate:
      guard case .string(let s) = value else { throw expected("a decimal string rate such as \"0.10\"") }
      func notARate() -> EventInputError {
        EventInputError(field: path(), "'\(s)' is not a rate between 0 and 1 (write e.g. \"0.10\")")
      }
      let r: Money
      do { r = try Money.parse(s, digits: 6) } catch {
        if case .tooManyDecimals = error { throw EventInputError(field: path(), error.description) }
        throw notARate()
      }
      guard r.minorUnits >= 0, r.minorUnits <= 1_000_000 else { throw notARate() }
      return nil
    case .amount:
      if case .int(let i) = value {
        guard i >= 0 else { throw EventInputError(field: path(), "must not be negative") }
        return nil
      }
      guard case .string(let s) = value, let a = try? Money.parse(s, digits: 6), a.minorUnits >= 0
      else { throw expected("a non-negative decimal string or integer") }
      return nil
    case .date:
      guard case .string(let s) = value, CivilDate.parse(s) != nil else {
        throw expected("a date YYYY-MM-DD")
      }
      return nil
    case .period:
      guard case .string(let s) = value, PeriodKey.isValid(s) else {
        throw expected("a period such as 2026, 2026-Q4, 2026-11, 2026-W45 or 2026-11-03")
      }
      return nil
    case .oneOf:
      let options = rules.options[index]
      guard case .string(let s) = value, options.contains(s) else {
        throw expected("one of \(options.joined(separator: ", "))")
      }
      return nil
    case .boolean:
      guard case .bool = value else { throw expected("true or false") }
      return nil
    case .lines:
      guard case .array(let items) = value else { throw expected("an array of lines") }
      guard !items.isEmpty else { throw EventInputError(field: path(), "must have at least one line") }
      // Unchanged lines (the common case) are not copied.
      var out: [JSONValue]? = nil
      guard let inner = rules.lines[index] else { preconditionFailure("a .lines field has rules") }
      for (n, item) in items.enumerated() {
        guard case .object(let o) = item else {
          throw EventInputError(field: "\(path())[\(n)]", "expected an object, got \(describe(item))")
        }
        if let checked = try checkObject(o, inner, path: "\(path())[\(n)]", digits: digits, store: store) {
          if out == nil { out = items }
          out?[n] = .object(checked)
        }
      }
      return out.map { .array($0) }
    }
  }

  static func describe(_ v: JSONValue) -> String {
    switch v {
    case .string(let s): "\"\(s.count > 40 ? String(s.prefix(40)) + "…" : s)\""
    case .int(let i): String(i)
    case .bool(let b): String(b)
    default: v.kindName
    }
  }
}

/// The period keys of SPEC 6 (`2026-11-03`, `2026-W45`, `2026-11`, `2026-Q4`, `2026`).
public enum PeriodKey {
  public static func isValid(_ s: String) -> Bool {
    let u = Array(s.utf8)
    func digits(_ r: Range<Int>) -> Int? {
      guard r.upperBound <= u.count else { return nil }
      var v = 0
      for i in r {
        guard u[i] >= 0x30 && u[i] <= 0x39 else { return nil }
        v = v * 10 + Int(u[i] - 0x30)
      }
      return v
    }
    guard let year = digits(0..<4), year >= 1 else { return false }
    switch u.count {
    case 4: return true
    case 7 where u[4] == UInt8(ascii: "-") && u[5] == UInt8(ascii: "Q"):
      return (1...4).contains(digits(6..<7) ?? 0)
    case 7 where u[4] == UInt8(ascii: "-"): return (1...12).contains(digits(5..<7) ?? 0)
    case 8 where u[4] == UInt8(ascii: "-") && u[5] == UInt8(ascii: "W"):
      return (1...isoWeeks(year)).contains(digits(6..<8) ?? 0)
    case 10: return CivilDate.parse(s) != nil
    default: return false
    }
  }

  /// 52 or 53: a year has 53 ISO weeks when it starts on a Thursday, or on a Wednesday in a
  /// leap year.
  public static func isoWeeks(_ year: Int) -> Int {
    guard let jan1 = CivilDate(year: year, month: 1, day: 1) else { return 52 }
    // 1970-01-01 was a Thursday; weekday 0 = Monday.
    let weekday = ((Int(jan1.daysSinceEpoch) + 3) % 7 + 7) % 7
    return weekday == 3 || (weekday == 2 && CivilDate.isLeap(year)) ? 53 : 52
  }
}
