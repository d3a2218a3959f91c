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

  public static func schema(for type: String) -> Schema? { byType[type] }

  /// Whether the store may write fields into events of `type` (SPEC 7: `cogs`).
  public static func hasStoreWrittenFields(_ type: String) -> Bool { storeWriting.contains(type) }

  private static let storeWriting: Set<String> = Set(schemas.filter { writes($0.fields) }.map(\.type))

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
    guard let schema = byType[type] else {
      throw EventInputError(field: "type", "unknown event type '\(type)'\(suggestion(type))")
    }
    return try checkObject(data, schema.fields, path: "data", digits: moneyDigits, store: storeInput)
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

  private static func checkObject(
    _ object: JSONObject, _ fields: [Field], path: @autoclosure () -> String, digits: Int, store: Bool
  ) throws(EventInputError) -> JSONObject {
    // The value of each field, by its index in `fields`: what `object[field.name]` gives, found
    // while checking the names (no second search per field).
    var values = [JSONValue?](repeating: nil, count: fields.count)
    for member in object.members {
      guard let index = fields.firstIndex(where: { $0.name == member.key }) else {
        throw EventInputError(field: "\(path()).\(member.key)", "unknown field")
      }
      let field = fields[index]
      if field.storeWritten && !store {
        throw EventInputError(
          field: "\(path()).\(member.key)", "is written by the store and cannot be supplied")
      }
      if JSONObject.same(field.name, member.key) { values[index] = member.value }
    }
    // Paths are only built for a message: this runs for every field of every imported event.
    var out = object
    for (index, field) in fields.enumerated() {
      guard let value = values[index], value != .null else {
        if field.required { throw EventInputError(field: "\(path()).\(field.name)", "is required") }
        if values[index] != nil { out[field.name] = nil }
        continue
      }
      let checked = try checkValue(value, field.kind, path: "\(path()).\(field.name)", digits: digits, store: store)
      if case .lines = field.kind {
        out[field.name] = checked
      } else if case .money = field.kind, checked != value {
        out[field.name] = checked  // normalised to the currency's digits
      }
    }
    return out
  }

  private static func checkValue(
    _ value: JSONValue, _ kind: Kind, path: @autoclosure () -> String, digits: Int, store: Bool
  ) throws(EventInputError) -> JSONValue {
    func expected(_ what: String) -> EventInputError {
      EventInputError(field: path(), "expected \(what), got \(describe(value))")
    }
    switch kind {
    case .id:
      guard let s = value.stringValue, !s.isEmpty else { throw expected("a non-empty identifier") }
      guard s.utf8.count <= 200 else { throw EventInputError(field: path(), "longer than 200 bytes") }
      // Control characters are single ASCII bytes in UTF-8: checking the bytes is checking the
      // scalars.
      guard !s.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) else {
        throw EventInputError(field: path(), "contains a control character")
      }
      return value
    case .text:
      guard let s = value.stringValue else { throw expected("a string") }
      guard
        !s.utf8.contains(where: {
          ($0 < 0x20 && $0 != UInt8(ascii: "\n") && $0 != UInt8(ascii: "\t")) || $0 == 0x7F
        })
      else { throw EventInputError(field: path(), "contains a control character") }
      return value
    case .money:
      guard let s = value.stringValue else {
        throw expected("a decimal string such as \"12.50\"")
      }
      let m: Money
      do { m = try Money.parse(s, digits: digits) } catch {
        throw EventInputError(field: path(), error.description)
      }
      guard m.minorUnits >= 0 else { throw EventInputError(field: path(), "must not be negative") }
      return .string(m.format(digits: digits))
    case .quantity:
      guard let i = value.intValue else { throw expected("a positive integer") }
      guard i > 0 else { throw EventInputError(field: path(), "must be a positive integer, got \(i)") }
      guard i <= 1_000_000_000 else { throw EventInputError(field: path(), "\(i) is too large") }
      return value
    case .signedQuantity:
      guard let i = value.intValue else { throw expected("a non-zero integer") }
      guard i != 0 else { throw EventInputError(field: path(), "must not be zero") }
      guard abs(i) <= 1_000_000_000 else { throw EventInputError(field: path(), "\(i) is too large") }
      return value
    case .integer(let range):
      guard let i = value.intValue else { throw expected("an integer") }
      guard range.contains(i) else {
        throw EventInputError(
          field: path(), "\(i) is out of range \(range.lowerBound)...\(range.upperBound)")
      }
      return value
    case .rate:
      guard let s = value.stringValue else { throw expected("a decimal string rate such as \"0.10\"") }
      func notARate() -> EventInputError {
        EventInputError(field: path(), "'\(s)' is not a rate between 0 and 1 (write e.g. \"0.10\")")
      }
      let r: Money
      do { r = try Money.parse(s, digits: 6) } catch {
        if case .tooManyDecimals = error { throw EventInputError(field: path(), error.description) }
        throw notARate()
      }
      guard r.minorUnits >= 0, r.minorUnits <= 1_000_000 else { throw notARate() }
      return value
    case .amount:
      if let i = value.intValue {
        guard i >= 0 else { throw EventInputError(field: path(), "must not be negative") }
        return value
      }
      guard let s = value.stringValue, let a = try? Money.parse(s, digits: 6), a.minorUnits >= 0
      else { throw expected("a non-negative decimal string or integer") }
      return value
    case .date:
      guard let s = value.stringValue, CivilDate.parse(s) != nil else {
        throw expected("a date YYYY-MM-DD")
      }
      return value
    case .period:
      guard let s = value.stringValue, PeriodKey.isValid(s) else {
        throw expected("a period such as 2026, 2026-Q4, 2026-11, 2026-W45 or 2026-11-03")
      }
      return value
    case .oneOf(let options):
      guard let s = value.stringValue, options.contains(s) else {
        throw expected("one of \(options.joined(separator: ", "))")
      }
      return value
    case .boolean:
      guard case .bool = value else { throw expected("true or false") }
      return value
    case .lines(let fields):
      guard let items = value.arrayValue else { throw expected("an array of lines") }
      guard !items.isEmpty else { throw EventInputError(field: path(), "must have at least one line") }
      var out: [JSONValue] = []
      out.reserveCapacity(items.count)
      for (n, item) in items.enumerated() {
        guard let o = item.objectValue else {
          throw EventInputError(field: "\(path())[\(n)]", "expected an object, got \(describe(item))")
        }
        out.append(.object(try checkObject(o, fields, path: "\(path())[\(n)]", digits: digits, store: store)))
      }
      return .array(out)
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
