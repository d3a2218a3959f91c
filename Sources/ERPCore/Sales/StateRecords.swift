/// The command side's current state (SPEC 1: "the current state the command side needs"),
/// one record per entity, kept in LMDB and updated in the same transaction as the events.
/// Records persist as JSON objects (integers in minor units), encoded by the store's binary codec.
public protocol StateRecord: Sendable, Equatable {
  /// (Computed in each type, not a `static let`: a stored one is a lazily made global, checked
  /// at every read, and the state reads it at every lookup.)
  static var kind: StateKind { get }
  init(json: JSONObject) throws(StateDecodingError)
  /// Writes the record's members to `sink` in key order (the one definition of what a record
  /// stores: `json` and the store's write-back both come from it).
  func write<S: StateSink>(to sink: inout S)
}

extension StateRecord {
  /// The record as the JSON object it persists as.
  public var json: JSONObject {
    var sink = JSONObjectSink()
    write(to: &sink)
    return sink.object
  }
}

/// Receives a state record's members, in key order (the names are ASCII, so byte order is RFC
/// 8785's order): into a `JSONObject` (`JSONObjectSink`), or straight into the store's binary
/// value format, which is what `EventCodec` makes of that object (the write-back, without
/// building the object first).
public protocol StateSink {
  mutating func string(_ key: String, _ value: String)
  mutating func int(_ key: String, _ value: Int64)
  /// `true` (a record writes a flag only when it is set).
  mutating func flag(_ key: String)
  mutating func strings(_ key: String, _ values: [String])
  /// An array of `[string, integer]` pairs.
  mutating func pairs<T>(_ key: String, _ items: [T], _ pair: (T) -> (String, Int64))
  /// An array of objects, each written by `each`.
  mutating func objects<T>(_ key: String, _ items: [T], _ each: (inout Self, T) -> Void)
}

extension StateSink {
  mutating func string(_ key: String, _ value: String?) { if let value { string(key, value) } }
  mutating func int(_ key: String, _ value: Int64?) { if let value { int(key, value) } }
  mutating func money(_ key: String, _ value: Money?) { if let value { int(key, value.minorUnits) } }
  mutating func flag(_ key: String, _ set: Bool) { if set { flag(key) } }
}

/// Builds the `JSONObject` of a record.
public struct JSONObjectSink: StateSink {
  public private(set) var object = JSONObject()
  public init() {}
  public mutating func string(_ key: String, _ value: String) { object[key] = .string(value) }
  public mutating func int(_ key: String, _ value: Int64) { object[key] = .int(value) }
  public mutating func flag(_ key: String) { object[key] = .bool(true) }
  public mutating func strings(_ key: String, _ values: [String]) {
    object[key] = .array(values.map { .string($0) })
  }
  public mutating func pairs<T>(_ key: String, _ items: [T], _ pair: (T) -> (String, Int64)) {
    object[key] = .array(items.map { let (s, i) = pair($0); return .array([.string(s), .int(i)]) })
  }
  public mutating func objects<T>(_ key: String, _ items: [T], _ each: (inout Self, T) -> Void) {
    object[key] = .array(items.map { item in
      var sink = JSONObjectSink()
      each(&sink, item)
      return .object(sink.object)
    })
  }
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

public struct CustomerState: StateRecord {
  public static var kind: StateKind { .customer }
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
  public func write<S: StateSink>(to s: inout S) {
    s.string("channel", channel)
    if noteCredit != .zero { s.money("note_credit", noteCredit) }
    if !openInvoices.isEmpty { s.strings("open_invoices", openInvoices) }
    s.string("region", region)
    s.string("tier", tier)
    if !unappliedPayments.isEmpty { s.strings("unapplied_payments", unappliedPayments) }
  }
}

public struct ProductState: StateRecord {
  public static var kind: StateKind { .product }
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
  public func write<S: StateSink>(to s: inout S) {
    s.string("line", line); s.money("list_price", listPrice); s.money("unit_cost", unitCost)
  }
}

public struct RepState: StateRecord {
  public static var kind: StateKind { .rep }
  public var team, region: String

  public init(team: String, region: String) { (self.team, self.region) = (team, region) }
  public init(json: JSONObject) throws(StateDecodingError) {
    let f = StateFields(json)
    self.init(team: try f.str("team"), region: try f.str("region"))
  }
  public func write<S: StateSink>(to s: inout S) { s.string("region", region); s.string("team", team) }
}

public struct LeadState: StateRecord {
  public static var kind: StateKind { .lead }
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
  public func write<S: StateSink>(to s: inout S) { s.string("order", order); s.string("stage", stage.rawValue) }
}

/// Existence of an id that other events reference (quotes, shipments).
public struct Exists<Tag: ExistsTag>: StateRecord {
  public static var kind: StateKind { Tag.kind }
  public var owner: String

  public init(owner: String) { self.owner = owner }
  public init(json: JSONObject) throws(StateDecodingError) { owner = try StateFields(json).str("owner") }
  public func write<S: StateSink>(to s: inout S) { s.string("owner", owner) }
}

public protocol ExistsTag: Sendable { static var kind: StateKind { get } }
public enum QuoteTag: ExistsTag { public static var kind: StateKind { .quote } }
public enum ShipmentTag: ExistsTag { public static var kind: StateKind { .shipment } }
public typealias QuoteState = Exists<QuoteTag>
public typealias ShipmentState = Exists<ShipmentTag>

public struct OrderState: StateRecord {
  public static var kind: StateKind { .order }

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

  public func write<S: StateSink>(to s: inout S) {
    s.flag("cancelled", cancelled)
    if creditNotes > 0 { s.int("credit_notes", creditNotes) }
    s.string("customer", customer)
    s.objects("lines", lines) { s, l in
      s.string("discount", l.discount?.text)
      s.string("invoice", l.invoice)
      s.int("qty", l.qty)
      if l.reserved != 0 { s.int("reserved", l.reserved) }
      if l.returned != 0 { s.int("returned", l.returned) }
      if l.returnedCOGS != .zero { s.money("returned_cogs", l.returnedCOGS) }
      if l.shipped != 0 { s.int("shipped", l.shipped) }
      if l.shippedCOGS != .zero { s.money("shipped_cogs", l.shippedCOGS) }
      s.string("sku", l.sku)
      s.money("unit_price", l.unitPrice)
    }
    s.string("rep", rep)
    s.int("terms_days", termsDays)
  }
}

public struct StockState: StateRecord {
  public static var kind: StateKind { .stock }

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
  public func write<S: StateSink>(to s: inout S) {
    if !backorders.isEmpty { s.pairs("backorders", backorders) { ($0.order, $0.qty) } }
    s.int("on_hand", onHand); s.int("reserved", reserved); s.money("value", value)
  }
}

public struct InvoiceState: StateRecord {
  public static var kind: StateKind { .invoice }
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
  public func write<S: StateSink>(to s: inout S) {
    s.money("amount", amount); s.string("customer", customer); s.money("open", open); s.string("order", order)
  }
}

public struct PaymentState: StateRecord {
  public static var kind: StateKind { .payment }
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
  public func write<S: StateSink>(to s: inout S) {
    s.money("amount", amount); s.string("customer", customer); s.money("unapplied", unapplied)
  }
}

public struct ServiceCaseState: StateRecord {
  public static var kind: StateKind { .serviceCase }
  public var customer: String
  public var closed = false

  public init(customer: String) { self.customer = customer }
  public init(json: JSONObject) throws(StateDecodingError) {
    let f = StateFields(json)
    customer = try f.str("customer")
    closed = f.bool("closed")
  }
  public func write<S: StateSink>(to s: inout S) { s.flag("closed", closed); s.string("customer", customer) }
}

public struct PurchaseOrderState: StateRecord {
  public static var kind: StateKind { .purchaseOrder }
  public var sku: String
  public var qty: Int64
  public var received: Int64 = 0

  public init(sku: String, qty: Int64) { (self.sku, self.qty) = (sku, qty) }
  public init(json: JSONObject) throws(StateDecodingError) {
    let f = StateFields(json)
    self.init(sku: try f.str("sku"), qty: try f.int("qty"))
    received = f.optInt("received") ?? 0
  }
  public func write<S: StateSink>(to s: inout S) {
    s.int("qty", qty)
    if received != 0 { s.int("received", received) }
    s.string("sku", sku)
  }
}
