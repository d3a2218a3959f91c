/// What a sales fact measures (SPEC 5). Every fact is one event's contribution to one measure,
/// attributed to the order's dimensions at confirmation (SPEC 7) and dated by business day.
public enum SalesMeasure: UInt8, Sendable, CaseIterable {
  /// Line amounts confirmed, less cancelled remainders (item-level).
  case booked = 0
  /// +1 at confirmation, −1 at a cancellation when nothing had shipped: per order (item 0),
  /// per distinct SKU of the order, and per distinct product line of the order.
  case ordersOrder, ordersSKU, ordersLine
  /// Invoiced amounts by shipped line, less credit notes (item-level).
  case revenue
  /// Shipped less returned quantity (item-level).
  case units
  /// COGS of shipments less COGS reversed by returns (item-level).
  case cogs
  /// PaymentMatched amounts by the match's day (order-level).
  case collections
  /// For the collection rate, dated by the invoice's issue day (order-level): the invoiced
  /// amount, the credit notes against it, and the amounts matched to it.
  case invoicedByIssue, creditByIssue, matchedByIssue
}

/// One contribution of one event to one measure.
public struct SalesFact: Sendable, Hashable {
  /// The event it comes from (for `--explain`).
  public var seq: UInt64
  /// Business day (days since 1970-01-01 in the store's timezone).
  public var day: Int32
  public var measure: SalesMeasure
  /// Index of the order's dimensions (`SalesProjection.tuples`).
  public var tuple: UInt32
  /// Index of the product and line (`SalesProjection.items`); 0 for order-level facts.
  public var item: UInt32
  public var amount: Int64

  public init(seq: UInt64, day: Int32, measure: SalesMeasure, tuple: UInt32, item: UInt32, amount: Int64) {
    (self.seq, self.day, self.measure, self.tuple, self.item, self.amount) = (seq, day, measure, tuple, item, amount)
  }
}

/// The dimensions an order carried at confirmation (SPEC 5: never rewritten by later master data).
public struct DimTuple: Sendable, Hashable {
  public var rep, team, region, channel, customer, tier, promotion, source: String

  public init(rep: String, team: String, region: String, channel: String, customer: String, tier: String,
    promotion: String, source: String)
  {
    (self.rep, self.team, self.region, self.channel) = (rep, team, region, channel)
    (self.customer, self.tier, self.promotion, self.source) = (customer, tier, promotion, source)
  }

  var fields: [String] { [rep, team, region, channel, customer, tier, promotion, source] }

  /// Equal when every field's bytes are (see `StateID`), which `FastHash` needs.
  public static func == (a: DimTuple, b: DimTuple) -> Bool {
    let same = StateID.sameBytes
    return same(a.rep, b.rep) && same(a.team, b.team) && same(a.region, b.region) && same(a.channel, b.channel)
      && same(a.customer, b.customer) && same(a.tier, b.tier) && same(a.promotion, b.promotion)
      && same(a.source, b.source)
  }

  /// `FastHash` of the fields (the fold interns a tuple for every order confirmed).
  public func _rawHashValue(seed: Int) -> Int {
    // Field by field: an array of the fields would be allocated for every lookup.
    var h = FastHash.mix(FastHash.mix(FastHash.mix(FastHash.start, rep), team), region)
    h = FastHash.mix(FastHash.mix(FastHash.mix(h, channel), customer), tier)
    return FastHash.finish(FastHash.mix(FastHash.mix(h, promotion), source), seed: seed)
  }
  init(fields f: [String]) { self.init(rep: f[0], team: f[1], region: f[2], channel: f[3], customer: f[4], tier: f[5], promotion: f[6], source: f[7]) }
}

/// A product and the line it belonged to on the order; `sku` empty for a line-only item.
public struct ItemKey: Sendable, Hashable {
  public var sku, line: String
  public init(sku: String, line: String) { (self.sku, self.line) = (sku, line) }

  /// Equal when the bytes are (see `StateID`), which `FastHash` needs.
  public static func == (a: ItemKey, b: ItemKey) -> Bool {
    StateID.sameBytes(a.sku, b.sku) && StateID.sameBytes(a.line, b.line)
  }

  /// `FastHash` of the SKU and line (the fold interns an item for every line confirmed).
  public func _rawHashValue(seed: Int) -> Int {
    FastHash.finish(FastHash.mix(FastHash.mix(FastHash.start, sku), line), seed: seed)
  }
}

/// The sales projection (issue 5): folds events into `facts`, keeping just enough state to
/// attribute later events (shipments, invoices, payments, returns) to their order. It is a pure
/// fold: the store persists it with its checkpoint, `--as-of` replays a fresh one in memory.
public final class SalesProjection {
  public static let name = "sales"
  /// Changing what the fold produces must bump this: a stored projection of another version is
  /// rebuilt from seq 1.
  /// 3: invoices carry their amount, due day and matched and credited sums (receivables).
  /// 4: orders and invoices stored as records of their own.
  /// 5: the month pre-aggregate (SalesProjection+Aggregate) stored beside the facts.
  /// 6: customers, products, leads, tuples and open invoices in records of their own.
  /// 7: the customer-less keys of the month sums stored by hash (a key could exceed LMDB's).
  /// 8: the month sums also by rep and team alone (`SumLevel.rep`); ids compared by bytes.
  public static let version: UInt32 = 8

  /// The last seq folded.
  public internal(set) var checkpoint: UInt64 = 0
  /// The latest business day of any event folded (a report as of an earlier day replays).
  public internal(set) var maxDay: Int32 = Int32.min
  public internal(set) var facts: [SalesFact] = []
  /// Whether `facts` holds the month sums of the pre-aggregate (seq 0, dated by the month's first
  /// day; SalesProjection+Aggregate) instead of the facts themselves.
  public internal(set) var factsAreMonthSums = false
  /// Dimension tuples and items, indexed by the facts (item 0 is "no item"). What a report reads
  /// always starts at tuple 0; while a stored projection catches up, `tuples` holds only the
  /// tuples made since it was stored (numbers from `tupleBase` on) and the older ones are read
  /// through the loader when the fold names them (`tuple(_:)`).
  public internal(set) var tuples: [DimTuple] = []
  public internal(set) var items: [ItemKey] = [ItemKey(sku: "", line: "")]
  /// The number of the first tuple of `tuples` (0 except while a stored projection catches up).
  public internal(set) var tupleBase: UInt32 = 0
  /// Current master data, for `--attribution current` (`currentCustomer`, `currentRep`), by id
  /// compared by its bytes (`StateID`: every order looks its customer and rep up).
  var customers: [StateID: CustomerDims] = [:]
  var reps: [StateID: RepDims] = [:]
  /// Targets in force, the latest TargetSet of each scope, id, metric and period.
  public internal(set) var targets: [TargetInfo] = []

  var tupleIndex: [DimTuple: UInt32] = [:]
  /// Where each target is in `targets`, by scope, id, metric and period.
  var targetIndex: [TargetKey: Int] = [:]
  struct TargetKey: Hashable {
    var scope, id, metric, period: String
    init(_ t: TargetInfo) { (scope, id, metric, period) = (t.scope, t.id, t.metric, t.period) }
  }
  /// Tuples older than `tupleBase` read through the loader.
  var olderTuples: [UInt32: DimTuple] = [:]
  var itemIndex: [ItemKey: UInt32] = [ItemKey(sku: "", line: ""): 0]
  /// The line-only item of each of the first `lineItems.count` items (`lineItem(of:)`).
  var lineItems: [UInt32] = []
  var products: [StateID: String] = [:]
  var leads: [StateID: String] = [:]
  /// Orders and invoices the fold has read or changed.
  var orders = IDTable<OrderInfo>()
  var invoices = IDTable<InvoiceInfo>()
  /// A stored projection keeps each order, invoice, customer, product, lead and tuple in a
  /// record of its own (SalesProjection+Codec), read through `loader` (record kind, id) when the
  /// fold first names it and written back when changed, so a catch-up costs what it touches, not
  /// the size of the history. Changes are noted only while the loader is set (a fold in memory
  /// writes nothing back).
  public var loader: ((RecordKind, [UInt8]) -> [UInt8]?)?
  var changes = Changes()

  struct Changes {
    var orders: Set<String> = []
    var invoices: Set<String> = []
    var customers: Set<String> = []
    var products: Set<String> = []
    var leads: Set<String> = []
    /// Reps or targets changed (they are stored together).
    var master = false
    /// The number of items when the catch-up began (items are stored together, rewritten when
    /// one is added).
    var itemsStored = 1
  }

  public struct CustomerDims: Sendable, Hashable {
    public var region, channel, tier: String
  }
  public struct RepDims: Sendable, Hashable {
    public var team, region: String
  }
  /// A TargetSet (SPEC 3): `value` as written (a decimal string or an integer's digits).
  public struct TargetInfo: Sendable, Hashable {
    public var scope, id, metric, period, value: String
    public var seq: UInt64
  }
  /// An order line as the fold keeps it: no strings (the SKU is its item's), so that orders are
  /// copied and freed without reference counting.
  struct LineInfo: Equatable {
    var item: UInt32
    var qty: Int64
    /// Minor units.
    var unitPrice: Int64
    /// Millionths; −1 when the line had none (as the stored record keeps it).
    var discount: Int64
    var shipped: Int64 = 0

    init(item: UInt32, qty: Int64, unitPrice: Int64, discount: Int64, shipped: Int64 = 0) {
      (self.item, self.qty, self.unitPrice, self.discount, self.shipped) = (item, qty, unitPrice, discount, shipped)
    }

    init(item: UInt32, _ l: OrderLine) {
      self.init(item: item, qty: l.qty, unitPrice: l.unitPrice.minorUnits, discount: l.discount?.millionths ?? -1)
    }

    /// `OrderLine.amount(qty:)`, in minor units.
    func amount(qty q: Int64) -> Int64 { LineMath.amount(qty: q, unitPrice: unitPrice, discount: max(0, discount)) }
  }
  struct OrderInfo: Equatable {
    var tuple: UInt32
    var lines: [LineInfo]
    var shippedAny = false
    var cancelled = false
    /// The item of the latest return, which the credit note that follows it reduces.
    var lastReturnItem: UInt32 = 0
  }
  struct InvoiceInfo: Equatable {
    var tuple: UInt32
    var issueDay: Int32
    /// For receivables (SalesProjection+Receivables): the invoiced amount, the due day, and the
    /// amounts matched and credited to it so far.
    var amount: Int64 = 0
    var dueDay: Int32 = 0
    var matched: Int64 = 0
    var credited: Int64 = 0
  }

  public init() {}

  /// The event types `apply` reads; a store may skip the others with `skip` without decoding them.
  public static let foldedTypes: Set<String> = [
    "CustomerRegistered", "RepRegistered", "ProductDefined", "LeadCreated", "TargetSet",
    "OrderConfirmed", "OrderCancelled", "Shipped", "ReturnReceived", "CreditNoteIssued",
    "InvoiceIssued", "PaymentMatched",
  ]

  /// Folds one event (any type; those that do not concern sales change nothing).
  public func apply(seq: UInt64, day: CivilDate, _ event: SalesEvent) {
    checkpoint = seq
    let d = day.daysSinceEpoch
    maxDay = max(maxDay, d)
    func fact(_ m: SalesMeasure, _ tuple: UInt32, _ item: UInt32, _ amount: Int64) {
      facts.append(SalesFact(seq: seq, day: d, measure: m, tuple: tuple, item: item, amount: amount))
    }
    switch event {
    case .customerRegistered(let e):
      customers[StateID(e.customer)] = CustomerDims(region: e.region, channel: e.channel, tier: e.tier ?? "")
      if loader != nil { changes.customers.insert(e.customer) }
    case .repRegistered(let e):
      reps[StateID(e.rep)] = RepDims(team: e.team, region: e.region)
      changes.master = true
    case .productDefined(let e):
      products[StateID(e.sku)] = e.line
      if loader != nil { changes.products.insert(e.sku) }
    case .leadCreated(let e):
      leads[StateID(e.lead)] = e.source
      if loader != nil { changes.leads.insert(e.lead) }
    case .targetSet(let e):
      let value: String
      switch e.value {
      case .int(let i): value = String(i)
      case .string(let text): value = text
      default: return
      }
      let t = TargetInfo(scope: e.scope, id: e.id ?? "", metric: e.metric, period: e.period, value: value, seq: seq)
      // The index of each target by what it targets (built again after `targets` was read).
      if targetIndex.count != targets.count {
        targetIndex = [:]
        for (i, x) in targets.enumerated() { targetIndex[TargetKey(x)] = i }
      }
      let key = TargetKey(t)
      if let i = targetIndex[key] {
        targets[i] = t
      } else {
        targetIndex[key] = targets.count
        targets.append(t)
      }
      changes.master = true

    case .orderConfirmed(let e):
      let c = customer(e.customer)
      let t = intern(DimTuple(
        rep: e.rep, team: reps[StateID(e.rep)]?.team ?? "", region: e.region ?? c?.region ?? "",
        channel: e.channel ?? c?.channel ?? "", customer: e.customer, tier: c?.tier ?? "",
        promotion: e.promotion ?? "", source: e.lead.flatMap { lead($0) } ?? ""))
      var info = OrderInfo(tuple: t, lines: [])
      info.lines.reserveCapacity(e.lines.count)
      for l in e.lines {
        let item = intern(ItemKey(sku: l.sku, line: product(l.sku) ?? ""))
        info.lines.append(LineInfo(item: item, l))
        fact(.booked, t, item, l.amount.minorUnits)
      }
      setOrder(e.order, info)
      countOrder(info, sign: 1, fact)

    case .orderCancelled(let e):
      guard var info = order(e.order), !info.cancelled else { return }
      info.cancelled = true
      for l in info.lines where l.qty > l.shipped {
        fact(.booked, info.tuple, l.item, -l.amount(qty: l.qty - l.shipped))
      }
      if !info.shippedAny { countOrder(info, sign: -1, fact) }
      setOrder(e.order, info)

    case .shipped(let e):
      // In place: one lookup, and the lines are not copied.
      updateOrder(e.order) { info in
        info.shippedAny = true
        for s in e.lines {
          // The invoice's amount, split as the store allocates it: earliest lines first (SPEC 7).
          var left = s.qty
          for i in info.lines.indices where sku(info.lines[i]) == s.sku && left > 0 {
            let take = min(info.lines[i].qty - info.lines[i].shipped, left)
            guard take > 0 else { continue }
            info.lines[i].shipped += take
            left -= take
            fact(.revenue, info.tuple, info.lines[i].item, info.lines[i].amount(qty: take))
          }
          let item = info.lines.first { sku($0) == s.sku }?.item ?? 0
          fact(.units, info.tuple, item, s.qty)
          fact(.cogs, info.tuple, item, s.cogs?.minorUnits ?? 0)
        }
      }

    case .returnReceived(let e):
      updateOrder(e.order) { info in
        let item = info.lines.first { sku($0) == e.sku }?.item ?? 0
        fact(.units, info.tuple, item, -e.qty)
        fact(.cogs, info.tuple, item, -(e.cogs?.minorUnits ?? 0))
        info.lastReturnItem = item
      }

    case .creditNoteIssued(let e):
      guard let info = orderHead(e.order) else { return }
      fact(.revenue, info.tuple, info.lastReturnItem, -e.amount.minorUnits)
      if let inv = e.invoice, var i = invoice(inv) {
        facts.append(SalesFact(
          seq: seq, day: i.issueDay, measure: .creditByIssue, tuple: i.tuple, item: 0, amount: e.amount.minorUnits))
        i.credited += e.amount.minorUnits
        setInvoice(inv, i)
      }

    case .invoiceIssued(let e):
      guard let info = orderHead(e.order) else { return }
      setInvoice(e.invoice, InvoiceInfo(
        tuple: info.tuple, issueDay: d, amount: e.amount.minorUnits, dueDay: e.due.daysSinceEpoch))
      fact(.invoicedByIssue, info.tuple, 0, e.amount.minorUnits)

    case .paymentMatched(let e):
      updateInvoice(e.invoice) { i in
        fact(.collections, i.tuple, 0, e.amount.minorUnits)
        facts.append(SalesFact(
          seq: seq, day: i.issueDay, measure: .matchedByIssue, tuple: i.tuple, item: 0, amount: e.amount.minorUnits))
        i.matched += e.amount.minorUnits
      }

    default: break
    }
  }

  /// What the loader gives for a record, decoded (nil when there is no loader, no record, or it
  /// does not decode: `verify` compares every stored record with a replay).
  private func load<T>(_ kind: RecordKind, _ id: String, _ decode: ([UInt8]) throws(CodecError) -> T) -> T? {
    guard let loader, let bytes = loader(kind, Array(id.utf8)) else { return nil }
    return try? decode(bytes)
  }

  /// The record `id` of a table (`found`, when the table has it), else read through the loader
  /// and kept with `keep`. (The table is not passed by key path: that cost a tenth of a replay.)
  @inline(__always)
  private func cached<T>(
    _ found: T?, _ kind: RecordKind, _ id: String, _ decode: ([UInt8]) throws(CodecError) -> T, keep: (T) -> Void
  ) -> T? {
    if let found { return found }
    guard let v = load(kind, id, decode) else { return nil }
    keep(v)
    return v
  }

  func customer(_ id: String) -> CustomerDims? {
    cached(customers[StateID(id)], .customer, id, Self.decodeCustomer) { customers[StateID(id)] = $0 }
  }
  func product(_ sku: String) -> String? {
    cached(products[StateID(sku)], .product, sku, Self.decodeText) { products[StateID(sku)] = $0 }
  }
  func lead(_ id: String) -> String? { cached(leads[StateID(id)], .lead, id, Self.decodeText) { leads[StateID(id)] = $0 } }

  /// The customer's current region, channel and tier, as far as this projection read them.
  public func currentCustomer(_ id: String) -> CustomerDims? { customers[StateID(id)] }
  /// The rep's current team and region.
  public func currentRep(_ id: String) -> RepDims? { reps[StateID(id)] }
  func order(_ id: String) -> OrderInfo? {
    cached(IDTable.lend(&orders) { $0[StateID(id)] }, .order, id, Self.decodeOrder) { orders.set(StateID(id), $0) }
  }

  /// The tuple and latest return's item of the order `id`, read in place (an invoice needs no
  /// more, and copying the order out would retain and release its lines).
  func orderHead(_ id: String) -> (tuple: UInt32, lastReturnItem: UInt32)? {
    // (The tables are read where they lie: `IDTable.lend`.)
    let head = IDTable.lend(&orders) { t -> (tuple: UInt32, lastReturnItem: UInt32)? in
      t.entry(StateID(id)).map { (t[entry: $0].tuple, t[entry: $0].lastReturnItem) }
    }
    if let head { return head }
    return order(id).map { ($0.tuple, $0.lastReturnItem) }
  }

  func setOrder(_ id: String, _ o: OrderInfo) {
    orders.set(StateID(id), o)
    if loader != nil { changes.orders.insert(id) }
  }

  /// Changes the order `id` in place (nothing when it is unknown).
  func updateOrder(_ id: String, _ change: (inout OrderInfo) -> Void) {
    if Self.update(&orders, id, load: { load(.order, id, Self.decodeOrder) }, change), loader != nil {
      changes.orders.insert(id)
    }
  }

  /// Changes `table[id]` in place, first read through `load` when the table lacks it; false
  /// when it is unknown.
  private static func update<T>(
    _ table: inout IDTable<T>, _ id: String, load: () -> T?, _ change: (inout T) -> Void
  ) -> Bool {
    let key = StateID(id)
    var at = table.entry(key)
    if at == nil, let v = load() { at = table.set(key, v) }
    guard let at else { return false }
    change(&table[entry: at])
    return true
  }

  func invoice(_ id: String) -> InvoiceInfo? {
    cached(IDTable.lend(&invoices) { $0[StateID(id)] }, .invoice, id, Self.decodeInvoice) { invoices.set(StateID(id), $0) }
  }

  func setInvoice(_ id: String, _ i: InvoiceInfo) {
    invoices.set(StateID(id), i)
    if loader != nil { changes.invoices.insert(id) }
  }

  /// Changes the invoice `id` in place (nothing when it is unknown).
  func updateInvoice(_ id: String, _ change: (inout InvoiceInfo) -> Void) {
    if Self.update(&invoices, id, load: { load(.invoice, id, Self.decodeInvoice) }, change), loader != nil {
      changes.invoices.insert(id)
    }
  }

  /// Moves the checkpoint over an event the fold cannot read (only the trusted API stores one).
  public func skip(seq: UInt64, day: CivilDate) {
    checkpoint = seq
    maxDay = max(maxDay, day.daysSinceEpoch)
  }

  /// Makes room for a fold from scratch of a log of `events` events, so that the tables do not
  /// grow (rehashing half a million orders each time) as they fill: generated histories hold an
  /// order and an invoice for about every tenth event, and under two facts per event. A table
  /// that needs more still grows; room not filled costs address space, not memory. `advise` is
  /// shown the orders' and invoices' tables as they are allocated (`IDTable.reserveCapacity`).
  public func reserve(events: Int, advise: (UnsafeMutableRawBufferPointer) -> Void = { _ in }) {
    guard events > 0 else { return }
    orders.reserveCapacity(events / 8, advise: advise)
    invoices.reserveCapacity(events / 8, advise: advise)
    facts.reserveCapacity(events * 2)
  }

  /// The order and invoice ids an event makes the fold look up, hashed (`StateID.preHash`; 0
  /// for none): a pipelined replay's reading thread computes them once, and both threads
  /// prefetch by them (`lookahead`, `entryAddresses`) without touching the event again.
  public struct FoldKeys: Sendable {
    public var order: UInt64 = 0
    public var invoice: UInt64 = 0
    public init() {}
  }

  /// The keys of `event` (read in place: copying it out would retain its strings and arrays).
  @inline(__always)
  public static func foldKeys(of event: UnsafePointer<SalesEvent>) -> FoldKeys {
    var k = FoldKeys()
    switch event.pointee {
    case .orderConfirmed(let e): k.order = StateID.preHash(e.order)
    case .shipped(let e): k.order = StateID.preHash(e.order)
    case .orderCancelled(let e): k.order = StateID.preHash(e.order)
    case .returnReceived(let e): k.order = StateID.preHash(e.order)
    case .invoiceIssued(let e): (k.order, k.invoice) = (StateID.preHash(e.order), StateID.preHash(e.invoice))
    case .paymentMatched(let e): k.invoice = StateID.preHash(e.invoice)
    case .creditNoteIssued(let e): (k.order, k.invoice) = (StateID.preHash(e.order), e.invoice.map(StateID.preHash) ?? 0)
    default: break
    }
    return k
  }

  /// Where the fold will start looking up the orders and invoices events name, for another
  /// thread to prefetch (`IDTableProbe`). Made before the fold starts, after `reserve`: it holds
  /// addresses, not the tables.
  public var lookahead: Lookahead { Lookahead(orders: orders.probe, invoices: invoices.probe) }

  public struct Lookahead: Sendable {
    let orders, invoices: IDTableProbe

    /// The index slots where `apply` will start looking up the order and invoice of `keys`.
    @inline(__always)
    public func slots(of keys: FoldKeys, _ body: (UInt) -> Void) {
      if keys.order != 0, let a = orders.slot(preHash: keys.order) { body(a) }
      if keys.invoice != 0, let a = invoices.slot(preHash: keys.invoice) { body(a) }
    }
  }

  /// The addresses of the order and invoice entries `apply` will read for `keys`, for the
  /// folding thread to prefetch a few events ahead (on that thread: it reads the tables' index).
  @inline(__always)
  public func entryAddresses(of keys: FoldKeys, _ body: (UInt) -> Void) {
    if keys.order != 0 { IDTable.lend(&orders) { $0.entryAddresses(preHash: keys.order, body) } }
    if keys.invoice != 0 { IDTable.lend(&invoices) { $0.entryAddresses(preHash: keys.invoice, body) } }
  }

  /// Moves the checkpoint over events up to seq `through` that the fold skipped, the latest of
  /// them dated `latestDay` (a pipelined fold keeps its skips apart and applies them at the end).
  public func skip(through seq: UInt64, latestDay: CivilDate) {
    checkpoint = max(checkpoint, seq)
    maxDay = max(maxDay, latestDay.daysSinceEpoch)
  }

  /// ±1 order per order, per distinct SKU and per distinct line.
  private func countOrder(_ info: OrderInfo, sign: Int64, _ fact: (SalesMeasure, UInt32, UInt32, Int64) -> Void) {
    fact(.ordersOrder, info.tuple, 0, sign)
    // An order has a few lines: the earlier ones are searched instead of building sets.
    let lines = info.lines
    for (n, l) in lines.enumerated() {
      let earlier = lines[..<n]
      if !earlier.contains(where: { $0.item == l.item }) { fact(.ordersSKU, info.tuple, l.item, sign) }
      let line = lineItem(of: l.item)
      if !earlier.contains(where: { lineItem(of: $0.item) == line }) { fact(.ordersLine, info.tuple, line, sign) }
    }
  }

  /// The SKU of an order line (its item's; empty for an item number a damaged record names).
  @inline(__always)
  func sku(_ l: LineInfo) -> String { Int(l.item) < items.count ? items[Int(l.item)].sku : "" }

  /// The line-only item of item `i`'s product line (interned when first asked for, then kept in
  /// `lineItems`: counting an order's lines would otherwise hash every line's name).
  @inline(__always)
  func lineItem(of i: UInt32) -> UInt32 {
    if Int(i) < lineItems.count { return lineItems[Int(i)] }
    while lineItems.count <= Int(i) {
      let at = lineItems.count
      lineItems.append(0)
      lineItems[at] = intern(ItemKey(sku: "", line: items[at].line))
    }
    return lineItems[Int(i)]
  }

  func intern(_ t: DimTuple) -> UInt32 {
    if let i = tupleIndex[t] { return i }
    // A stored tuple: its number is under the hash of its fields, with any others that share it
    // (a fold in memory has no loader, and no stored tuples).
    if let loader, let bytes = loader(.tupleIndex, Self.tupleHash(Self.encodeTuple(t))), bytes.count % 4 == 0 {
      for at in stride(from: 0, to: bytes.count, by: 4) {
        let i = bytes[at..<(at + 4)].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }  // big-endian
        if tuple(i) == t {
          tupleIndex[t] = i
          return i
        }
      }
    }
    let i = tupleBase + UInt32(tuples.count)
    tuples.append(t)
    tupleIndex[t] = i
    return i
  }

  /// Tuple number `i` (read through the loader when it is older than the catch-up; an empty
  /// tuple for a number that names none, which only a damaged store can hold).
  public func tuple(_ i: UInt32) -> DimTuple {
    if i >= tupleBase, Int(i - tupleBase) < tuples.count { return tuples[Int(i - tupleBase)] }
    if let t = olderTuples[i] { return t }
    let blank = DimTuple(rep: "", team: "", region: "", channel: "", customer: "", tier: "", promotion: "", source: "")
    guard let loader, let bytes = loader(.tuple, Self.tupleKey(i)), let t = try? Self.decodeTuple(bytes) else { return blank }
    olderTuples[i] = t
    return t
  }

  func intern(_ k: ItemKey) -> UInt32 {
    if let i = itemIndex[k] { return i }
    let i = UInt32(items.count)
    items.append(k)
    itemIndex[k] = i
    return i
  }

  /// Whether two projections give a report the same figures: facts, dimensions, master data,
  /// targets and open invoices (for tests: a projection loaded for reading holds only these).
  public func sameReadModel(as other: SalesProjection) -> Bool {
    facts == other.facts && checkpoint == other.checkpoint && maxDay == other.maxDay && tuples == other.tuples
      && items == other.items && customers == other.customers && reps == other.reps && targets == other.targets
      && openInvoices == other.openInvoices
  }

  /// Whether two projections hold the same fold (for `verify` and tests), compared in their
  /// stored form.
  public func sameFold(as other: SalesProjection) -> Bool {
    facts == other.facts && checkpoint == other.checkpoint && maxDay == other.maxDay
      && allRecords().elementsEqual(other.allRecords(), by: { $0.key == $1.key && $0.value == $1.value })
  }
}
