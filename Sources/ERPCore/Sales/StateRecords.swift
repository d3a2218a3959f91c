/// The command side's current state (SPEC 1: "the current state the command side needs"),
/// one record per entity, kept in LMDB and updated in the same transaction as the events.
/// Records persist as JSON objects (integers in minor units), encoded by the store's binary codec.
public protocol StateRecord: Sendable, Equatable {
  static var kind: StateKind { get }
  init(json: JSONObject) throws(StateDecodingError)
  var json: JSONObject { get }
}

public enum StateKind: String, Sendable, CaseIterable {
  case customer, product, rep, lead, quote, order, stock, invoice, payment, shipment
  case serviceCase = "case"
  case purchaseOrder = "po"
}

public struct StateDecodingError: Error, Equatable, Sendable, CustomStringConvertible {
  public var message: String
  public var description: String { "unreadable state record: \(message)" }
}

/// Reads fields of a state record's JSON.
struct StateFields {
  let o: JSONObject
  init(_ o: JSONObject) { self.o = o }
  func str(_ k: String) throws(StateDecodingError) -> String {
    guard let s = o[k]?.stringValue else { throw StateDecodingError(message: "missing '\(k)'") }
    return s
  }
  func optStr(_ k: String) -> String? { o[k]?.stringValue }
  func int(_ k: String) throws(StateDecodingError) -> Int64 {
    guard let i = o[k]?.intValue else { throw StateDecodingError(message: "missing '\(k)'") }
    return i
  }
  func optInt(_ k: String) -> Int64? { o[k]?.intValue }
  func money(_ k: String) throws(StateDecodingError) -> Money { Money(minorUnits: try int(k)) }
  func optMoney(_ k: String) -> Money? { optInt(k).map { Money(minorUnits: $0) } }
  func bool(_ k: String) -> Bool { o[k] == .bool(true) }
  func array(_ k: String) -> [JSONValue] { o[k]?.arrayValue ?? [] }
}

extension JSONObject {
  mutating func put(_ k: String, _ s: String?) { if let s { self[k] = .string(s) } }
  mutating func put(_ k: String, _ i: Int64?) { if let i { self[k] = .int(i) } }
  mutating func put(_ k: String, _ m: Money?) { if let m { self[k] = .int(m.minorUnits) } }
  mutating func put(_ k: String, flag: Bool) { if flag { self[k] = .bool(true) } }
}

public struct CustomerState: StateRecord {
  public static let kind = StateKind.customer
  public var region, channel: String
  public var tier: String?
  /// Invoices with an open balance, oldest first (automatic matching order, SPEC 3).
  public var openInvoices: [String] = []
  /// Payments with an unapplied remainder, oldest first: the customer's credit.
  public var unappliedPayments: [String] = []
  /// Credit-note amounts beyond the invoice they named (customer credit not from payments).
  public var noteCredit: Money = .zero

  public init(region: String, channel: String, tier: String?) {
    (self.region, self.channel, self.tier) = (region, channel, tier)
  }
  public init(json: JSONObject) throws(StateDecodingError) {
    let f = StateFields(json)
    self.init(region: try f.str("region"), channel: try f.str("channel"), tier: f.optStr("tier"))
    openInvoices = f.array("open_invoices").compactMap(\.stringValue)
    unappliedPayments = f.array("unapplied_payments").compactMap(\.stringValue)
    noteCredit = f.optMoney("note_credit") ?? .zero
  }
  public var json: JSONObject {
    var o = JSONObject()
    o.put("region", region); o.put("channel", channel); o.put("tier", tier)
    if !openInvoices.isEmpty { o["open_invoices"] = .array(openInvoices.map { .string($0) }) }
    if !unappliedPayments.isEmpty { o["unapplied_payments"] = .array(unappliedPayments.map { .string($0) }) }
    if noteCredit != .zero { o.put("note_credit", noteCredit) }
    return o
  }
}

public struct ProductState: StateRecord {
  public static let kind = StateKind.product
  public var line: String
  public var listPrice: Money
  public var unitCost: Money?

  public init(line: String, listPrice: Money, unitCost: Money?) {
    (self.line, self.listPrice, self.unitCost) = (line, listPrice, unitCost)
  }
  public init(json: JSONObject) throws(StateDecodingError) {
    let f = StateFields(json)
    self.init(line: try f.str("line"), listPrice: try f.money("list_price"), unitCost: f.optMoney("unit_cost"))
  }
  public var json: JSONObject {
    var o = JSONObject()
    o.put("line", line); o.put("list_price", listPrice); o.put("unit_cost", unitCost)
    return o
  }
}

public struct RepState: StateRecord {
  public static let kind = StateKind.rep
  public var team, region: String

  public init(team: String, region: String) { (self.team, self.region) = (team, region) }
  public init(json: JSONObject) throws(StateDecodingError) {
    let f = StateFields(json)
    self.init(team: try f.str("team"), region: try f.str("region"))
  }
  public var json: JSONObject {
    var o = JSONObject()
    o.put("team", team); o.put("region", region)
    return o
  }
}

public struct LeadState: StateRecord {
  public static let kind = StateKind.lead
  public var stage: LeadStage
  /// The order that won it.
  public var order: String?

  public init(stage: LeadStage, order: String? = nil) { (self.stage, self.order) = (stage, order) }
  public init(json: JSONObject) throws(StateDecodingError) {
    let f = StateFields(json)
    guard let stage = LeadStage(rawValue: try f.str("stage")) else {
      throw StateDecodingError(message: "bad stage")
    }
    self.init(stage: stage, order: f.optStr("order"))
  }
  public var json: JSONObject {
    var o = JSONObject()
    o.put("stage", stage.rawValue); o.put("order", order)
    return o
  }
}

/// Existence of an id that other events reference (quotes, shipments).
public struct Exists<Tag: ExistsTag>: StateRecord {
  public static var kind: StateKind { Tag.kind }
  public var owner: String

  public init(owner: String) { self.owner = owner }
  public init(json: JSONObject) throws(StateDecodingError) { owner = try StateFields(json).str("owner") }
  public var json: JSONObject { JSONObject([("owner", .string(owner))]) }
}

public protocol ExistsTag: Sendable { static var kind: StateKind { get } }
public enum QuoteTag: ExistsTag { public static let kind = StateKind.quote }
public enum ShipmentTag: ExistsTag { public static let kind = StateKind.shipment }
public typealias QuoteState = Exists<QuoteTag>
public typealias ShipmentState = Exists<ShipmentTag>

public struct OrderState: StateRecord {
  public static let kind = StateKind.order

  public struct Line: Sendable, Equatable {
    public var sku: String
    public var qty: Int64
    public var unitPrice: Money
    public var discount: Rate?
    public var reserved: Int64 = 0
    public var shipped: Int64 = 0
    public var returned: Int64 = 0
    /// COGS of everything shipped on this line, and of what came back (SPEC 7).
    public var shippedCOGS: Money = .zero
    public var returnedCOGS: Money = .zero
    /// The latest invoice that covered this line.
    public var invoice: String?

    public var orderLine: OrderLine { OrderLine(sku: sku, qty: qty, unitPrice: unitPrice, discount: discount) }
    /// Ordered but neither shipped nor reserved: waiting for stock.
    public var backordered: Int64 { qty - shipped - reserved }
  }

  public var customer, rep: String
  public var termsDays: Int64
  public var cancelled = false
  public var lines: [Line]
  public var creditNotes: Int64 = 0

  public init(customer: String, rep: String, termsDays: Int64, lines: [Line]) {
    (self.customer, self.rep, self.termsDays, self.lines) = (customer, rep, termsDays, lines)
  }

  public var fullyShipped: Bool { lines.allSatisfy { $0.shipped == $0.qty } }
  /// Open (unshipped, not cancelled) quantity of a SKU.
  public func unshipped(_ sku: String) -> Int64 {
    lines.filter { $0.sku == sku }.reduce(0) { $0 + $1.qty - $1.shipped }
  }

  public init(json: JSONObject) throws(StateDecodingError) {
    let f = StateFields(json)
    var lines: [Line] = []
    for v in f.array("lines") {
      guard let o = v.objectValue else { throw StateDecodingError(message: "bad order line") }
      let l = StateFields(o)
      var line = Line(
        sku: try l.str("sku"), qty: try l.int("qty"), unitPrice: try l.money("unit_price"),
        discount: l.optStr("discount").flatMap { Rate($0) })
      line.reserved = l.optInt("reserved") ?? 0
      line.shipped = l.optInt("shipped") ?? 0
      line.returned = l.optInt("returned") ?? 0
      line.shippedCOGS = l.optMoney("shipped_cogs") ?? .zero
      line.returnedCOGS = l.optMoney("returned_cogs") ?? .zero
      line.invoice = l.optStr("invoice")
      lines.append(line)
    }
    self.init(customer: try f.str("customer"), rep: try f.str("rep"), termsDays: try f.int("terms_days"), lines: lines)
    cancelled = f.bool("cancelled")
    creditNotes = f.optInt("credit_notes") ?? 0
  }

  public var json: JSONObject {
    var o = JSONObject()
    o.put("customer", customer); o.put("rep", rep); o.put("terms_days", termsDays)
    o.put("cancelled", flag: cancelled)
    if creditNotes > 0 { o.put("credit_notes", creditNotes) }
    o["lines"] = .array(lines.map { l in
      var lo = JSONObject()
      lo.put("sku", l.sku); lo.put("qty", l.qty); lo.put("unit_price", l.unitPrice)
      lo.put("discount", l.discount?.text)
      if l.reserved != 0 { lo.put("reserved", l.reserved) }
      if l.shipped != 0 { lo.put("shipped", l.shipped) }
      if l.returned != 0 { lo.put("returned", l.returned) }
      if l.shippedCOGS != .zero { lo.put("shipped_cogs", l.shippedCOGS) }
      if l.returnedCOGS != .zero { lo.put("returned_cogs", l.returnedCOGS) }
      lo.put("invoice", l.invoice)
      return .object(lo)
    })
    return o
  }
}

public struct StockState: StateRecord {
  public static let kind = StateKind.stock

  public struct Backorder: Sendable, Equatable {
    public var order: String
    public var qty: Int64
  }

  public var onHand: Int64 = 0
  public var reserved: Int64 = 0
  /// The inventory value in minor units (moving-average cost = value / on hand, SPEC 7).
  public var value: Money = .zero
  /// Unreserved open quantities of orders, oldest first.
  public var backorders: [Backorder] = []

  public init() {}
  public var available: Int64 { onHand - reserved }

  public init(json: JSONObject) throws(StateDecodingError) {
    let f = StateFields(json)
    onHand = f.optInt("on_hand") ?? 0
    reserved = f.optInt("reserved") ?? 0
    value = f.optMoney("value") ?? .zero
    for v in f.array("backorders") {
      guard let pair = v.arrayValue, pair.count == 2, let o = pair[0].stringValue, let q = pair[1].intValue
      else { throw StateDecodingError(message: "bad backorder") }
      backorders.append(Backorder(order: o, qty: q))
    }
  }
  public var json: JSONObject {
    var o = JSONObject()
    o.put("on_hand", onHand); o.put("reserved", reserved); o.put("value", value)
    if !backorders.isEmpty {
      o["backorders"] = .array(backorders.map { .array([.string($0.order), .int($0.qty)]) })
    }
    return o
  }
}

public struct InvoiceState: StateRecord {
  public static let kind = StateKind.invoice
  public var order, customer: String
  public var amount: Money
  public var open: Money

  public init(order: String, customer: String, amount: Money, open: Money) {
    (self.order, self.customer, self.amount, self.open) = (order, customer, amount, open)
  }
  public init(json: JSONObject) throws(StateDecodingError) {
    let f = StateFields(json)
    self.init(order: try f.str("order"), customer: try f.str("customer"), amount: try f.money("amount"),
      open: try f.money("open"))
  }
  public var json: JSONObject {
    var o = JSONObject()
    o.put("order", order); o.put("customer", customer); o.put("amount", amount); o.put("open", open)
    return o
  }
}

public struct PaymentState: StateRecord {
  public static let kind = StateKind.payment
  public var customer: String
  public var amount: Money
  public var unapplied: Money

  public init(customer: String, amount: Money, unapplied: Money) {
    (self.customer, self.amount, self.unapplied) = (customer, amount, unapplied)
  }
  public init(json: JSONObject) throws(StateDecodingError) {
    let f = StateFields(json)
    self.init(customer: try f.str("customer"), amount: try f.money("amount"), unapplied: try f.money("unapplied"))
  }
  public var json: JSONObject {
    var o = JSONObject()
    o.put("customer", customer); o.put("amount", amount); o.put("unapplied", unapplied)
    return o
  }
}

public struct ServiceCaseState: StateRecord {
  public static let kind = StateKind.serviceCase
  public var customer: String
  public var closed = false

  public init(customer: String) { self.customer = customer }
  public init(json: JSONObject) throws(StateDecodingError) {
    let f = StateFields(json)
    customer = try f.str("customer")
    closed = f.bool("closed")
  }
  public var json: JSONObject {
    var o = JSONObject()
    o.put("customer", customer); o.put("closed", flag: closed)
    return o
  }
}

public struct PurchaseOrderState: StateRecord {
  public static let kind = StateKind.purchaseOrder
  public var sku: String
  public var qty: Int64
  public var received: Int64 = 0

  public init(sku: String, qty: Int64) { (self.sku, self.qty) = (sku, qty) }
  public init(json: JSONObject) throws(StateDecodingError) {
    let f = StateFields(json)
    self.init(sku: try f.str("sku"), qty: try f.int("qty"))
    received = f.optInt("received") ?? 0
  }
  public var json: JSONObject {
    var o = JSONObject()
    o.put("sku", sku); o.put("qty", qty)
    if received != 0 { o.put("received", received) }
    return o
  }
}
