/// What a decision needs besides the event and the state.
public struct DecideContext: Sendable {
  /// The primary event's business time (derived events share it) and its date in the store's
  /// timezone.
  public var at: BusinessTime
  public var date: CivilDate
  public var digits: Int
  /// The store's default payment terms (SPEC 7: 30 days unless `init` said otherwise).
  public var defaultTermsDays: Int64

  public init(at: BusinessTime, date: CivilDate, digits: Int, defaultTermsDays: Int64) {
    (self.at, self.date, self.digits, self.defaultTermsDays) = (at, date, digits, defaultTermsDays)
  }
}

/// One aggregate of the sales cycle: `decide` returns nil for a primary event it does not own;
/// `evolve` folds the events that change its records and ignores the rest. `decide` borrows its
/// event (the import decides it where it lies in its preparation) and copies it, explicitly,
/// only into the events it returns.
public protocol SalesAggregate {
  static func decide(_ event: borrowing SalesEvent, _ ctx: DecideContext, _ s: SalesState) throws -> [SalesEvent]?
  static func evolve(_ s: SalesState, _ event: SalesEvent, defaultTermsDays: Int64) throws
}

/// The sales-cycle decider (STYLE: decide / evolve), composed of one decider per aggregate:
/// master data, leads, orders, inventory, receivables and service cases. `decide` takes a primary
/// event (what happened in the business — the command) and returns the events to store: the
/// primary one (with the store-written `cogs` where SPEC 7 asks) followed by those derived from it
/// by rule (SPEC 3). Most rules span aggregates (confirming an order reserves stock and wins a
/// lead), so the owning aggregate reads the others' records from the same state. `evolve` lets
/// every aggregate fold the event; folding a log rebuilds exactly the state deciding it produced.
public enum SalesDecider {
  public static func decide(_ event: borrowing SalesEvent, _ ctx: DecideContext, _ s: SalesState) throws -> [SalesEvent] {
    switch event {
    case .stockReserved, .reservationReleased, .invoiceIssued, .creditNoteIssued:
      throw DomainError.derived(type: event.type)
    default:
      // The aggregates by name, not a loop over their metatypes: a call through `any
      // SalesAggregate.Type` copied the event into a temporary for each of the six (in `evolve`,
      // 1.6 % of an import's appending thread).
      if let out = try MasterDataDecider.decide(event, ctx, s) { return out }
      if let out = try LeadDecider.decide(event, ctx, s) { return out }
      if let out = try OrderDecider.decide(event, ctx, s) { return out }
      if let out = try InventoryDecider.decide(event, ctx, s) { return out }
      if let out = try ReceivablesDecider.decide(event, ctx, s) { return out }
      if let out = try ServiceCaseDecider.decide(event, ctx, s) { return out }
      return [copy event]
    }
  }

  /// Applies one stored event to the state. It trusts the event (it was decided, or comes from a
  /// checked log), so it never refuses.
  public static func evolve(_ s: SalesState, _ event: SalesEvent, defaultTermsDays: Int64) throws {
    try MasterDataDecider.evolve(s, event, defaultTermsDays: defaultTermsDays)
    try LeadDecider.evolve(s, event, defaultTermsDays: defaultTermsDays)
    try OrderDecider.evolve(s, event, defaultTermsDays: defaultTermsDays)
    try InventoryDecider.evolve(s, event, defaultTermsDays: defaultTermsDays)
    try ReceivablesDecider.evolve(s, event, defaultTermsDays: defaultTermsDays)
    try ServiceCaseDecider.evolve(s, event, defaultTermsDays: defaultTermsDays)
  }

  /// `evolve` of each of `events` in order, each read where it lies in the array. Passed as
  /// `events[i]`, each had been copied out first, retaining every string and array of it (an
  /// import folds two million events so). `inout` only reaches the elements in place: nothing
  /// is changed.
  public static func evolve(_ s: SalesState, each events: inout [SalesEvent], defaultTermsDays: Int64) throws {
    for i in events.indices { try evolve(s, inPlace: &events[i], defaultTermsDays: defaultTermsDays) }
  }

  private static func evolve(_ s: SalesState, inPlace event: inout SalesEvent, defaultTermsDays: Int64) throws {
    try evolve(s, event, defaultTermsDays: defaultTermsDays)
  }

  /// The id of the invoice a shipment raises: `INV-` and the shipment's id.
  ///
  /// Written into its storage at once (a small string up to 15 bytes): the interpolation took
  /// about 340 instructions, twice per shipment on the import's appending thread (decide and
  /// evolve) and once on its reading thread.
  static func invoiceID(shipment: String) -> String {
    var id = shipment
    return id.withUTF8 { s in
      String(unsafeUninitializedCapacity: 4 + s.count) { b in
        b[0] = UInt8(ascii: "I"); b[1] = UInt8(ascii: "N"); b[2] = UInt8(ascii: "V"); b[3] = UInt8(ascii: "-")
        if let from = s.baseAddress { b.baseAddress!.advanced(by: 4).update(from: from, count: s.count) }
        return 4 + s.count
      }
    }
  }

  /// The decided events' array, `first` in it and room for `more` (growing it from one event as
  /// each derived one was appended had reallocated it about once per event decided).
  static func decided(_ first: SalesEvent, more: Int) -> [SalesEvent] {
    var out: [SalesEvent] = []
    out.reserveCapacity(1 + more)
    out.append(first)
    return out
  }

  // MARK: Rules

  /// (`what` is made only for the error: an interpolated name per stock receipt had cost the
  /// import's appending thread about 400 instructions each.)
  static func checkAmount(_ v: Int128, _ what: @autoclosure () -> String) throws {
    guard v <= Int128(Money.maxMinorUnits) else { throw DomainError.amountTooLarge(what()) }
  }

  static func checkLines(_ lines: [OrderLine], _ s: SalesState) throws {
    var total: Int128 = 0
    for l in lines {
      try s.requireExists(ProductState.self, l.sku, "product")
      total += Int128(l.qty) * Int128(l.unitPrice.minorUnits)
    }
    try checkAmount(total, "the amount of these lines")
  }

  static func stockOf(_ sku: String, _ s: SalesState) throws -> StockState {
    try s.requireExists(ProductState.self, sku, "product")
    return try s.get(StockState.self, sku) ?? StockState()
  }

  /// A product's stock without its backorder queue (`stockOf` copies the queue out).
  static func stockLevel(_ sku: String, _ s: SalesState) throws -> StockLevel {
    try s.requireExists(ProductState.self, sku, "product")
    return try s.read(StockState.self, sku) { StockLevel(onHand: $0.onHand, reserved: $0.reserved, value: $0.value) }
      ?? StockLevel(onHand: 0, reserved: 0, value: .zero)
  }

  struct StockLevel {
    var onHand, reserved: Int64
    var value: Money
    var available: Int64 { onHand - reserved }
  }

  /// `body` with each SKU of `lines` and its total quantity, in the order where each SKU first
  /// appears. A few lines are summed by scans in place, with no array (every order confirmed,
  /// cancelled and shipped, decided and folded, comes here on the appending thread; a dictionary
  /// hashed every SKU with SipHash, and two arrays per call had been two allocations apiece).
  /// Many lines go through a dictionary.
  @inline(__always)
  static func forEachSKU<L>(
    _ lines: [L], sku: (L) -> String, qty: (L) -> Int64, _ body: (String, Int64) throws -> Void
  ) rethrows {
    guard lines.count <= 16 else {
      var order: [String] = []
      var totals: [String: Int64] = [:]
      for line in lines {
        let s = sku(line)
        if totals[s] == nil { order.append(s) }
        totals[s, default: 0] += qty(line)
      }
      for s in order { try body(s, totals[s] ?? 0) }
      return
    }
    outer: for i in lines.indices {
      let s = sku(lines[i])
      for j in 0..<i where sku(lines[j]) == s { continue outer }
      var total = qty(lines[i])
      for k in (i + 1)..<lines.count where sku(lines[k]) == s { total += qty(lines[k]) }
      try body(s, total)
    }
  }

  /// Moves `qty` of `sku` from reserved to shipped across the order's lines, in line order (a
  /// shipment line folded), and returns the invoiced amount of what moved (rounded per line,
  /// SPEC 7): `reservedAmount`'s walk, applied to the order.
  @discardableResult
  static func shipReserved(_ qty: Int64, sku: String, in order: inout OrderState) -> Money {
    withUnsafeTemporaryAllocation(of: Int64.self, capacity: order.lines.count) { taken in
      taken.initialize(repeating: 0)
      let amount = reservedAmount(qty, sku: sku, in: order.lines, taken: taken)
      for i in order.lines.indices where taken[i] > 0 {
        order.lines[i].reserved -= taken[i]
        order.lines[i].shipped += taken[i]
      }
      return amount
    }
  }

  /// The invoiced amount of shipping `qty` of `sku` from the lines' reservations, in line order,
  /// without changing them: what each line has given up already (earlier lines of the same
  /// shipment) is in `taken`, one count per line, added to. The decider totals a shipment with
  /// it; `shipReserved` folds one.
  static func reservedAmount(
    _ qty: Int64, sku: String, in lines: [OrderState.Line], taken: UnsafeMutableBufferPointer<Int64>
  ) -> Money {
    var left = qty
    var amount = Money.zero
    for i in lines.indices where lines[i].sku == sku && left > 0 {
      let t = min(lines[i].reserved - taken[i], left)
      guard t > 0 else { continue }
      taken[i] += t
      amount = amount + lines[i].orderLine.amount(qty: t)
      left -= t
    }
    return amount
  }

  /// Credits returned units at their lines' net prices, earliest lines first.
  @discardableResult
  static func returnAllocation(_ qty: Int64, sku: String, in order: inout OrderState) -> Money {
    var left = qty
    var amount = Money.zero
    for i in order.lines.indices where order.lines[i].sku == sku && left > 0 {
      let t = min(order.lines[i].shipped - order.lines[i].returned, left)
      guard t > 0 else { continue }
      order.lines[i].returned += t
      amount = amount + order.lines[i].orderLine.amount(qty: t)
      left -= t
    }
    return amount
  }

}
