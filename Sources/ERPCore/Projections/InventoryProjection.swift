/// The inventory projection (issue 8): demand per SKU and day (confirmed order quantity, less
/// the unshipped remainder of orders cancelled up to the as-of date, on the order's day), and the
/// stock position per SKU (on hand, reserved, on order) with the product's lead time and pack
/// size. `forecast` and `replenish` read it. A pure fold.
public final class InventoryProjection: EventProjector {
  public static let foldedTypes: Set<String> = [
    "ProductDefined", "OrderConfirmed", "OrderCancelled", "Shipped", "StockReserved", "ReservationReleased",
    "StockReceived", "StockAdjusted", "PurchaseOrderPlaced", "ReturnReceived",
  ]

  public struct Product: Sendable, Equatable {
    public var line: String
    public var leadTimeDays: Int64?
    public var packSize: Int64?
  }

  public struct Stock: Sendable, Equatable {
    public var onHand: Int64 = 0
    public var reserved: Int64 = 0
    public var onOrder: Int64 { openPOs.values.reduce(0) { $0 + max(0, $1) } }
    /// Open quantity per purchase order.
    public var openPOs: [String: Int64] = [:]
    /// The seq of the last event that moved this SKU's stock (for the alerts' `events`).
    public var lastSeq: UInt64 = 0
  }

  public private(set) var products: [String: Product] = [:]
  /// SKUs in definition order.
  public private(set) var skus: [String] = []
  public private(set) var stock: [String: Stock] = [:]
  /// Demand per SKU: business day → quantity.
  public private(set) var demand: [String: [CivilDate: Int64]] = [:]
  /// The seqs of the confirmations (and cancellations) behind each SKU's demand.
  public private(set) var demandSeqs: [String: [UInt64]] = [:]
  public private(set) var book = OrderBook()

  public init() {}

  public func apply(seq: UInt64, day: CivilDate, _ event: SalesEvent) {
    switch event {
    case .productDefined(let e):
      if products[e.sku] == nil { skus.append(e.sku) }
      products[e.sku] = Product(line: e.line, leadTimeDays: e.leadTimeDays, packSize: e.packSize)
    case .orderConfirmed(let e):
      book.confirm(e, seq: seq, day: day)
      for l in e.lines {
        demand[l.sku, default: [:]][day, default: 0] += l.qty
        demandSeqs[l.sku, default: []].append(seq)
      }
    case .orderCancelled(let e):
      guard let o = book[e.order] else { return }
      for r in book.cancel(e.order) {
        demand[r.sku, default: [:]][o.day, default: 0] -= r.qty
        demandSeqs[r.sku, default: []].append(seq)
      }
    case .shipped(let e):
      book.ship(e)
      for l in e.lines { move(l.sku, seq) { $0.onHand -= l.qty; $0.reserved -= l.qty } }
    case .stockReserved(let e):
      move(e.sku, seq) { $0.reserved += e.qty }
    case .reservationReleased(let e):
      move(e.sku, seq) { $0.reserved -= e.qty }
    case .stockReceived(let e):
      move(e.sku, seq) { s in
        s.onHand += e.qty
        if let po = e.po, let open = s.openPOs[po] { s.openPOs[po] = open - e.qty }
      }
    case .stockAdjusted(let e):
      move(e.sku, seq) { $0.onHand += e.qty }
    case .purchaseOrderPlaced(let e):
      move(e.sku, seq) { $0.openPOs[e.po, default: 0] += e.qty }
    case .returnReceived(let e):
      move(e.sku, seq) { $0.onHand += e.qty }
    default: break
    }
  }

  private func move(_ sku: String, _ seq: UInt64, _ change: (inout Stock) -> Void) {
    var s = stock[sku] ?? Stock()
    change(&s)
    s.lastSeq = seq
    stock[sku] = s
  }
}
