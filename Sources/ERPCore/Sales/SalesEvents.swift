/// A typed event payload with its JSON codec (SPEC 3; snake_case fields, money as decimal
/// strings). Decoding assumes the data passed `EventCatalog.check`.
public protocol EventPayload: Sendable, Equatable {
  static var type: String { get }
  init(reading r: borrowing DataReaderBox) throws(EventInputError)
  func write(to w: inout DataWriterBox)
}

/// Public wrappers so payloads outside this file can be written against the internal helpers.
public struct DataReaderBox {
  let r: DataReader
}
public struct DataWriterBox {
  var w: DataWriter
}

extension EventPayload {
  public init(data: JSONObject, digits: Int) throws(EventInputError) {
    try self.init(reading: DataReaderBox(r: DataReader(data, digits: digits)))
  }

  public func data(digits: Int) -> JSONObject {
    var box = DataWriterBox(w: DataWriter(digits: digits))
    write(to: &box)
    return box.w.object
  }
}

public struct OrderLine: Sendable, Equatable {
  public var sku: String
  public var qty: Int64
  public var unitPrice: Money
  public var discount: Rate?

  public init(sku: String, qty: Int64, unitPrice: Money, discount: Rate? = nil) {
    self.sku = sku
    self.qty = qty
    self.unitPrice = unitPrice
    self.discount = discount
  }

  /// round(qty × unit_price × (1 − discount)) (SPEC 7).
  public func amount(qty q: Int64) -> Money {
    LineMath.amount(qty: q, unitPrice: unitPrice, discount: discount ?? .zero)
  }
  public var amount: Money { amount(qty: qty) }

  init(_ r: DataReader) throws(EventInputError) {
    sku = try r.string("sku")
    qty = try r.int("qty")
    unitPrice = try r.money("unit_price")
    discount = try r.optRate("discount")
  }

  func object(digits: Int) -> JSONObject {
    var w = DataWriter(digits: digits)
    w.set("sku", sku)
    w.set("qty", qty)
    w.set("unit_price", unitPrice)
    w.set("discount", discount)
    return w.object
  }
}

public struct ShippedLine: Sendable, Equatable {
  public var sku: String
  public var qty: Int64
  /// Written by the store at append (SPEC 7); nil in user input.
  public var cogs: Money?

  public init(sku: String, qty: Int64, cogs: Money? = nil) {
    self.sku = sku
    self.qty = qty
    self.cogs = cogs
  }
}

// MARK: Master data

public struct CustomerRegistered: EventPayload {
  public static let type = "CustomerRegistered"
  public var customer, name, region, channel: String
  public var tier: String?
  public var acquisitionCost: Money?

  public init(customer: String, name: String, region: String, channel: String, tier: String? = nil,
    acquisitionCost: Money? = nil)
  {
    (self.customer, self.name, self.region, self.channel) = (customer, name, region, channel)
    (self.tier, self.acquisitionCost) = (tier, acquisitionCost)
  }
  public init(reading b: borrowing DataReaderBox) throws(EventInputError) {
    self.init(
      customer: try b.r.string("customer"), name: try b.r.string("name"), region: try b.r.string("region"),
      channel: try b.r.string("channel"), tier: b.r.optString("tier"),
      acquisitionCost: try b.r.optMoney("acquisition_cost"))
  }
  public func write(to b: inout DataWriterBox) {
    b.w.set("customer", customer); b.w.set("name", name); b.w.set("region", region)
    b.w.set("channel", channel); b.w.set("tier", tier); b.w.set("acquisition_cost", acquisitionCost)
  }
}

public struct ProductDefined: EventPayload {
  public static let type = "ProductDefined"
  public var sku, name, line: String
  public var listPrice: Money
  public var unitCost: Money?
  public var leadTimeDays: Int64?
  public var packSize: Int64?

  public init(sku: String, name: String, line: String, listPrice: Money, unitCost: Money? = nil,
    leadTimeDays: Int64? = nil, packSize: Int64? = nil)
  {
    (self.sku, self.name, self.line, self.listPrice) = (sku, name, line, listPrice)
    (self.unitCost, self.leadTimeDays, self.packSize) = (unitCost, leadTimeDays, packSize)
  }
  public init(reading b: borrowing DataReaderBox) throws(EventInputError) {
    self.init(
      sku: try b.r.string("sku"), name: try b.r.string("name"), line: try b.r.string("line"),
      listPrice: try b.r.money("list_price"), unitCost: try b.r.optMoney("unit_cost"),
      leadTimeDays: b.r.optInt("lead_time_days"), packSize: b.r.optInt("pack_size"))
  }
  public func write(to b: inout DataWriterBox) {
    b.w.set("sku", sku); b.w.set("name", name); b.w.set("line", line)
    b.w.set("list_price", listPrice); b.w.set("unit_cost", unitCost)
    b.w.set("lead_time_days", leadTimeDays); b.w.set("pack_size", packSize)
  }
}

public struct RepRegistered: EventPayload {
  public static let type = "RepRegistered"
  public var rep, name, team, region: String
  public var commissionRate: Rate?

  public init(rep: String, name: String, team: String, region: String, commissionRate: Rate? = nil) {
    (self.rep, self.name, self.team, self.region, self.commissionRate) =
      (rep, name, team, region, commissionRate)
  }
  public init(reading b: borrowing DataReaderBox) throws(EventInputError) {
    self.init(
      rep: try b.r.string("rep"), name: try b.r.string("name"), team: try b.r.string("team"),
      region: try b.r.string("region"), commissionRate: try b.r.optRate("commission_rate"))
  }
  public func write(to b: inout DataWriterBox) {
    b.w.set("rep", rep); b.w.set("name", name); b.w.set("team", team); b.w.set("region", region)
    b.w.set("commission_rate", commissionRate)
  }
}

public struct TargetSet: EventPayload {
  public static let type = "TargetSet"
  public var scope: String
  public var id: String?
  public var metric: String
  public var period: String
  /// Kept as written: money for revenue, gross_margin and collections; a rate for
  /// collection_rate; a count for new_customers and orders.
  public var value: JSONValue

  public init(scope: String, id: String?, metric: String, period: String, value: JSONValue) {
    (self.scope, self.id, self.metric, self.period, self.value) = (scope, id, metric, period, value)
  }
  public init(reading b: borrowing DataReaderBox) throws(EventInputError) {
    self.init(
      scope: try b.r.string("scope"), id: b.r.optString("id"), metric: try b.r.string("metric"),
      period: try b.r.string("period"), value: b.r.value("value") ?? .null)
  }
  public func write(to b: inout DataWriterBox) {
    b.w.set("scope", scope); b.w.set("id", id); b.w.set("metric", metric); b.w.set("period", period)
    b.w.object["value"] = value
  }
}

/// Sets the parameters of one alert rule (SPEC 5); the latest per `rule` is in force, merged over
/// the rule's defaults (`AlertRuleParameters`).
public struct AlertRuleSet: EventPayload {
  public static let type = "AlertRuleSet"
  /// An `AlertRuleName`, kept as written (the decider refuses others).
  public var rule: String
  public var enabled: Bool?
  public var checkpoint, threshold, floor: Rate?
  public var days: Int64?
  public var amount: Money?
  public var quantity: Int64?
  /// An `AlertSeverity`, kept as written (the decider refuses others).
  public var severity: String?

  public init(rule: String, enabled: Bool? = nil, checkpoint: Rate? = nil, threshold: Rate? = nil,
    floor: Rate? = nil, days: Int64? = nil, amount: Money? = nil, quantity: Int64? = nil,
    severity: String? = nil)
  {
    (self.rule, self.enabled, self.severity) = (rule, enabled, severity)
    (self.checkpoint, self.threshold, self.floor) = (checkpoint, threshold, floor)
    (self.days, self.amount, self.quantity) = (days, amount, quantity)
  }
  public init(reading b: borrowing DataReaderBox) throws(EventInputError) {
    var enabled: Bool?
    if case .bool(let v)? = b.r.value("enabled") { enabled = v }
    self.init(
      rule: try b.r.string("rule"), enabled: enabled, checkpoint: try b.r.optRate("checkpoint"),
      threshold: try b.r.optRate("threshold"), floor: try b.r.optRate("floor"), days: b.r.optInt("days"),
      amount: try b.r.optMoney("amount"), quantity: b.r.optInt("quantity"), severity: b.r.optString("severity"))
  }
  public func write(to b: inout DataWriterBox) {
    b.w.set("rule", rule); b.w.object["enabled"] = enabled.map { .bool($0) }
    b.w.set("checkpoint", checkpoint); b.w.set("threshold", threshold); b.w.set("floor", floor)
    b.w.set("days", days); b.w.set("amount", amount); b.w.set("quantity", quantity)
    b.w.set("severity", severity)
  }
}

public struct CampaignCostRecorded: EventPayload {
  public static let type = "CampaignCostRecorded"
  public var channel, period: String
  public var amount: Money

  public init(channel: String, period: String, amount: Money) {
    (self.channel, self.period, self.amount) = (channel, period, amount)
  }
  public init(reading b: borrowing DataReaderBox) throws(EventInputError) {
    self.init(channel: try b.r.string("channel"), period: try b.r.string("period"),
      amount: try b.r.money("amount"))
  }
  public func write(to b: inout DataWriterBox) {
    b.w.set("channel", channel); b.w.set("period", period); b.w.set("amount", amount)
  }
}

// MARK: Funnel

public struct LeadCreated: EventPayload {
  public static let type = "LeadCreated"
  public var lead, source, rep: String
  public var region, customer, company: String?
  public var estimatedValue: Money?

  public init(lead: String, source: String, rep: String, region: String? = nil,
    customer: String? = nil, company: String? = nil, estimatedValue: Money? = nil)
  {
    (self.lead, self.source, self.rep) = (lead, source, rep)
    (self.region, self.customer, self.company, self.estimatedValue) =
      (region, customer, company, estimatedValue)
  }
  public init(reading b: borrowing DataReaderBox) throws(EventInputError) {
    self.init(
      lead: try b.r.string("lead"), source: try b.r.string("source"), rep: try b.r.string("rep"),
      region: b.r.optString("region"), customer: b.r.optString("customer"),
      company: b.r.optString("company"), estimatedValue: try b.r.optMoney("estimated_value"))
  }
  public func write(to b: inout DataWriterBox) {
    b.w.set("lead", lead); b.w.set("source", source); b.w.set("rep", rep)
    b.w.set("region", region); b.w.set("customer", customer); b.w.set("company", company)
    b.w.set("estimated_value", estimatedValue)
  }
}

public struct LeadStageChanged: EventPayload {
  public static let type = "LeadStageChanged"
  public var lead: String
  public var stage: LeadStage
  public var reason: String?

  public init(lead: String, stage: LeadStage, reason: String? = nil) {
    (self.lead, self.stage, self.reason) = (lead, stage, reason)
  }
  public init(reading b: borrowing DataReaderBox) throws(EventInputError) {
    let s = try b.r.string("stage")
    guard let stage = LeadStage(rawValue: s) else {
      throw EventInputError(field: "data.stage", "unknown stage '\(s)'")
    }
    self.init(lead: try b.r.string("lead"), stage: stage, reason: b.r.optString("reason"))
  }
  public func write(to b: inout DataWriterBox) {
    b.w.set("lead", lead); b.w.set("stage", stage.rawValue); b.w.set("reason", reason)
  }
}

/// The default funnel stages in order; `lost` is terminal from any open stage (SPEC 3).
public enum LeadStage: String, Sendable, CaseIterable, Comparable {
  case new, contacted, qualified, quoted, negotiating, won, lost

  public var rank: Int { LeadStage.allCases.firstIndex(of: self) ?? 0 }
  public static func < (a: LeadStage, b: LeadStage) -> Bool { a.rank < b.rank }
  public var isClosed: Bool { self == .won || self == .lost }
}

public struct ActivityLogged: EventPayload {
  public static let type = "ActivityLogged"
  public var rep, kind: String
  public var lead, customer: String?

  public init(rep: String, kind: String, lead: String? = nil, customer: String? = nil) {
    (self.rep, self.kind, self.lead, self.customer) = (rep, kind, lead, customer)
  }
  public init(reading b: borrowing DataReaderBox) throws(EventInputError) {
    self.init(rep: try b.r.string("rep"), kind: try b.r.string("kind"), lead: b.r.optString("lead"),
      customer: b.r.optString("customer"))
  }
  public func write(to b: inout DataWriterBox) {
    b.w.set("rep", rep); b.w.set("kind", kind); b.w.set("lead", lead); b.w.set("customer", customer)
  }
}

public struct QuoteIssued: EventPayload {
  public static let type = "QuoteIssued"
  public var quote: String
  public var lead: String?
  public var customer: String
  public var lines: [OrderLine]

  public init(quote: String, lead: String? = nil, customer: String, lines: [OrderLine]) {
    (self.quote, self.lead, self.customer, self.lines) = (quote, lead, customer, lines)
  }
  public init(reading b: borrowing DataReaderBox) throws(EventInputError) {
    self.init(quote: try b.r.string("quote"), lead: b.r.optString("lead"),
      customer: try b.r.string("customer"), lines: try b.r.lines("lines") { r throws(EventInputError) in try OrderLine(r) })
  }
  public func write(to b: inout DataWriterBox) {
    b.w.set("quote", quote); b.w.set("lead", lead); b.w.set("customer", customer)
    b.w.set("lines", lines: lines.map { $0.object(digits: b.w.digits) })
  }
}

// MARK: Orders and stock

public struct OrderConfirmed: EventPayload {
  public static let type = "OrderConfirmed"
  public var order, customer, rep: String
  public var channel, region, lead, quote, promotion: String?
  public var paymentTermsDays: Int64?
  public var allowBackorder: Bool
  public var lines: [OrderLine]

  public init(order: String, customer: String, rep: String, channel: String? = nil,
    region: String? = nil, lead: String? = nil, quote: String? = nil, promotion: String? = nil,
    paymentTermsDays: Int64? = nil, allowBackorder: Bool = false, lines: [OrderLine])
  {
    (self.order, self.customer, self.rep) = (order, customer, rep)
    (self.channel, self.region, self.lead, self.quote, self.promotion) =
      (channel, region, lead, quote, promotion)
    (self.paymentTermsDays, self.allowBackorder, self.lines) = (paymentTermsDays, allowBackorder, lines)
  }
  public init(reading b: borrowing DataReaderBox) throws(EventInputError) {
    self.init(
      order: try b.r.string("order"), customer: try b.r.string("customer"), rep: try b.r.string("rep"),
      channel: b.r.optString("channel"), region: b.r.optString("region"), lead: b.r.optString("lead"),
      quote: b.r.optString("quote"), promotion: b.r.optString("promotion"),
      paymentTermsDays: b.r.optInt("payment_terms_days"), allowBackorder: b.r.bool("allow_backorder"),
      lines: try b.r.lines("lines") { r throws(EventInputError) in try OrderLine(r) })
  }
  public func write(to b: inout DataWriterBox) {
    b.w.set("order", order); b.w.set("customer", customer); b.w.set("rep", rep)
    b.w.set("channel", channel); b.w.set("region", region); b.w.set("lead", lead)
    b.w.set("quote", quote); b.w.set("promotion", promotion)
    b.w.set("payment_terms_days", paymentTermsDays); b.w.set("allow_backorder", flag: allowBackorder)
    b.w.set("lines", lines: lines.map { $0.object(digits: b.w.digits) })
  }

  /// The order's booked amount: the sum of rounded line amounts (SPEC 7).
  public var amount: Money { lines.reduce(.zero) { $0 + $1.amount } }
}

/// `{order, sku, qty}`: the shape StockReserved and ReservationReleased share.
public protocol ReservationChange: SortedDataPayload {
  var order: String { get }
  var sku: String { get }
  var qty: Int64 { get }
  init(order: String, sku: String, qty: Int64)
}

extension ReservationChange {
  public init(reading b: borrowing DataReaderBox) throws(EventInputError) {
    self.init(order: try b.r.string("order"), sku: try b.r.string("sku"), qty: try b.r.int("qty"))
  }
  public func writeSorted<S: DataSink>(to s: inout S) {
    s.string("order", order); s.int("qty", qty); s.string("sku", sku)
  }
}

public struct StockReserved: ReservationChange {
  public static let type = "StockReserved"
  public var order, sku: String
  public var qty: Int64
  public init(order: String, sku: String, qty: Int64) { (self.order, self.sku, self.qty) = (order, sku, qty) }
}

public struct ReservationReleased: ReservationChange {
  public static let type = "ReservationReleased"
  public var order, sku: String
  public var qty: Int64
  public init(order: String, sku: String, qty: Int64) { (self.order, self.sku, self.qty) = (order, sku, qty) }
}

public struct OrderCancelled: EventPayload {
  public static let type = "OrderCancelled"
  public var order, reason: String
  public init(order: String, reason: String) { (self.order, self.reason) = (order, reason) }
  public init(reading b: borrowing DataReaderBox) throws(EventInputError) {
    self.init(order: try b.r.string("order"), reason: try b.r.string("reason"))
  }
  public func write(to b: inout DataWriterBox) { b.w.set("order", order); b.w.set("reason", reason) }
}

public struct Shipped: EventPayload {
  public static let type = "Shipped"
  public var order, shipment: String
  public var lines: [ShippedLine]
  public var carrier, tracking: String?
  public var freightCost: Money?

  public init(order: String, shipment: String, lines: [ShippedLine], carrier: String? = nil,
    tracking: String? = nil, freightCost: Money? = nil)
  {
    (self.order, self.shipment, self.lines) = (order, shipment, lines)
    (self.carrier, self.tracking, self.freightCost) = (carrier, tracking, freightCost)
  }
  public init(reading b: borrowing DataReaderBox) throws(EventInputError) {
    self.init(
      order: try b.r.string("order"), shipment: try b.r.string("shipment"),
      lines: try b.r.lines("lines") { r throws(EventInputError) in
        ShippedLine(sku: try r.string("sku"), qty: try r.int("qty"), cogs: try r.optMoney("cogs"))
      }, carrier: b.r.optString("carrier"), tracking: b.r.optString("tracking"),
      freightCost: try b.r.optMoney("freight_cost"))
  }
  public func write(to b: inout DataWriterBox) {
    b.w.set("order", order); b.w.set("shipment", shipment)
    let digits = b.w.digits
    b.w.set("lines", lines: lines.map { l in
      var w = DataWriter(digits: digits)
      w.set("sku", l.sku); w.set("qty", l.qty); w.set("cogs", l.cogs)
      return w.object
    })
    b.w.set("carrier", carrier); b.w.set("tracking", tracking); b.w.set("freight_cost", freightCost)
  }
}

public struct StockReceived: EventPayload {
  public static let type = "StockReceived"
  public var sku: String
  public var qty: Int64
  public var unitCost: Money
  public var po: String?
  public init(sku: String, qty: Int64, unitCost: Money, po: String? = nil) {
    (self.sku, self.qty, self.unitCost, self.po) = (sku, qty, unitCost, po)
  }
  public init(reading b: borrowing DataReaderBox) throws(EventInputError) {
    self.init(sku: try b.r.string("sku"), qty: try b.r.int("qty"), unitCost: try b.r.money("unit_cost"),
      po: b.r.optString("po"))
  }
  public func write(to b: inout DataWriterBox) {
    b.w.set("sku", sku); b.w.set("qty", qty); b.w.set("unit_cost", unitCost); b.w.set("po", po)
  }
}

public struct StockAdjusted: EventPayload {
  public static let type = "StockAdjusted"
  public var sku: String
  public var qty: Int64
  public var reason: String
  public var unitCost: Money?
  public init(sku: String, qty: Int64, reason: String, unitCost: Money? = nil) {
    (self.sku, self.qty, self.reason, self.unitCost) = (sku, qty, reason, unitCost)
  }
  public init(reading b: borrowing DataReaderBox) throws(EventInputError) {
    self.init(sku: try b.r.string("sku"), qty: try b.r.int("qty"), reason: try b.r.string("reason"),
      unitCost: try b.r.optMoney("unit_cost"))
  }
  public func write(to b: inout DataWriterBox) {
    b.w.set("sku", sku); b.w.set("qty", qty); b.w.set("reason", reason); b.w.set("unit_cost", unitCost)
  }
}

public struct PurchaseOrderPlaced: EventPayload {
  public static let type = "PurchaseOrderPlaced"
  public var po, sku: String
  public var qty: Int64
  public var expected: CivilDate?
  public init(po: String, sku: String, qty: Int64, expected: CivilDate? = nil) {
    (self.po, self.sku, self.qty, self.expected) = (po, sku, qty, expected)
  }
  public init(reading b: borrowing DataReaderBox) throws(EventInputError) {
    self.init(po: try b.r.string("po"), sku: try b.r.string("sku"), qty: try b.r.int("qty"),
      expected: try b.r.optDate("expected"))
  }
  public func write(to b: inout DataWriterBox) {
    b.w.set("po", po); b.w.set("sku", sku); b.w.set("qty", qty); b.w.set("expected", expected)
  }
}

public struct ReturnReceived: EventPayload {
  public static let type = "ReturnReceived"
  public var order, sku: String
  public var qty: Int64
  public var reason: String
  /// Written by the store at append (SPEC 7).
  public var cogs: Money?
  public init(order: String, sku: String, qty: Int64, reason: String, cogs: Money? = nil) {
    (self.order, self.sku, self.qty, self.reason, self.cogs) = (order, sku, qty, reason, cogs)
  }
  public init(reading b: borrowing DataReaderBox) throws(EventInputError) {
    self.init(order: try b.r.string("order"), sku: try b.r.string("sku"), qty: try b.r.int("qty"),
      reason: try b.r.string("reason"), cogs: try b.r.optMoney("cogs"))
  }
  public func write(to b: inout DataWriterBox) {
    b.w.set("order", order); b.w.set("sku", sku); b.w.set("qty", qty); b.w.set("reason", reason)
    b.w.set("cogs", cogs)
  }
}

// MARK: Finance

public struct InvoiceIssued: SortedDataPayload {
  public static let type = "InvoiceIssued"
  public var invoice, order, customer: String
  public var amount: Money
  public var due: CivilDate
  public init(invoice: String, order: String, customer: String, amount: Money, due: CivilDate) {
    (self.invoice, self.order, self.customer, self.amount, self.due) = (invoice, order, customer, amount, due)
  }
  public init(reading b: borrowing DataReaderBox) throws(EventInputError) {
    self.init(invoice: try b.r.string("invoice"), order: try b.r.string("order"),
      customer: try b.r.string("customer"), amount: try b.r.money("amount"), due: try b.r.date("due"))
  }
  public func writeSorted<S: DataSink>(to s: inout S) {
    s.money("amount", amount); s.string("customer", customer); s.date("due", due)
    s.string("invoice", invoice); s.string("order", order)
  }
}

public struct PaymentReceived: EventPayload {
  public static let type = "PaymentReceived"
  public var payment, customer: String
  public var amount: Money
  public var method: String?
  public init(payment: String, customer: String, amount: Money, method: String? = nil) {
    (self.payment, self.customer, self.amount, self.method) = (payment, customer, amount, method)
  }
  public init(reading b: borrowing DataReaderBox) throws(EventInputError) {
    self.init(payment: try b.r.string("payment"), customer: try b.r.string("customer"),
      amount: try b.r.money("amount"), method: b.r.optString("method"))
  }
  public func write(to b: inout DataWriterBox) {
    b.w.set("payment", payment); b.w.set("customer", customer); b.w.set("amount", amount)
    b.w.set("method", method)
  }
}

public struct PaymentMatched: SortedDataPayload {
  public static let type = "PaymentMatched"
  public var payment, invoice: String
  public var amount: Money
  public init(payment: String, invoice: String, amount: Money) {
    (self.payment, self.invoice, self.amount) = (payment, invoice, amount)
  }
  public init(reading b: borrowing DataReaderBox) throws(EventInputError) {
    self.init(payment: try b.r.string("payment"), invoice: try b.r.string("invoice"),
      amount: try b.r.money("amount"))
  }
  public func writeSorted<S: DataSink>(to s: inout S) {
    s.money("amount", amount); s.string("invoice", invoice); s.string("payment", payment)
  }
}

public struct CreditNoteIssued: SortedDataPayload {
  public static let type = "CreditNoteIssued"
  public var creditNote: String
  public var invoice: String?
  public var order, customer: String
  public var amount: Money
  public init(creditNote: String, invoice: String?, order: String, customer: String, amount: Money) {
    (self.creditNote, self.invoice, self.order, self.customer, self.amount) =
      (creditNote, invoice, order, customer, amount)
  }
  public init(reading b: borrowing DataReaderBox) throws(EventInputError) {
    self.init(creditNote: try b.r.string("credit_note"), invoice: b.r.optString("invoice"),
      order: try b.r.string("order"), customer: try b.r.string("customer"), amount: try b.r.money("amount"))
  }
  public func writeSorted<S: DataSink>(to s: inout S) {
    s.money("amount", amount); s.string("credit_note", creditNote); s.string("customer", customer)
    s.string("invoice", invoice); s.string("order", order)
  }
}

public struct OrderCostRecorded: EventPayload {
  public static let type = "OrderCostRecorded"
  public var order, kind: String
  public var amount: Money
  public init(order: String, kind: String, amount: Money) { (self.order, self.kind, self.amount) = (order, kind, amount) }
  public init(reading b: borrowing DataReaderBox) throws(EventInputError) {
    self.init(order: try b.r.string("order"), kind: try b.r.string("kind"), amount: try b.r.money("amount"))
  }
  public func write(to b: inout DataWriterBox) {
    b.w.set("order", order); b.w.set("kind", kind); b.w.set("amount", amount)
  }
}

// MARK: After-sales

public struct ServiceCaseOpened: EventPayload {
  public static let type = "ServiceCaseOpened"
  public var caseID, customer: String
  public var order: String?
  public var kind: String
  public var text: String?
  public init(caseID: String, customer: String, order: String? = nil, kind: String, text: String? = nil) {
    (self.caseID, self.customer, self.order, self.kind, self.text) = (caseID, customer, order, kind, text)
  }
  public init(reading b: borrowing DataReaderBox) throws(EventInputError) {
    self.init(caseID: try b.r.string("case"), customer: try b.r.string("customer"),
      order: b.r.optString("order"), kind: try b.r.string("kind"), text: b.r.optString("text"))
  }
  public func write(to b: inout DataWriterBox) {
    b.w.set("case", caseID); b.w.set("customer", customer); b.w.set("order", order)
    b.w.set("kind", kind); b.w.set("text", text)
  }
}

public struct ServiceCaseClosed: EventPayload {
  public static let type = "ServiceCaseClosed"
  public var caseID: String
  public var resolution: String?
  public var satisfaction: Int64?
  public init(caseID: String, resolution: String? = nil, satisfaction: Int64? = nil) {
    (self.caseID, self.resolution, self.satisfaction) = (caseID, resolution, satisfaction)
  }
  public init(reading b: borrowing DataReaderBox) throws(EventInputError) {
    self.init(caseID: try b.r.string("case"), resolution: b.r.optString("resolution"),
      satisfaction: b.r.optInt("satisfaction"))
  }
  public func write(to b: inout DataWriterBox) {
    b.w.set("case", caseID); b.w.set("resolution", resolution); b.w.set("satisfaction", satisfaction)
  }
}
