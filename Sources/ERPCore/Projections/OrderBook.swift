/// The orders a fold has seen, with what each line has shipped and whether the order was
/// cancelled: enough to value an order net of its cancelled remainder (SPEC 7) and to know an
/// order's customer, rep and lead when later events name only the order. The customer and
/// inventory projections share it; it is a plain value folded in log order.
public struct OrderBook: Sendable {
  public struct Line: Sendable, Equatable {
    public var line: OrderLine
    public var shipped: Int64 = 0
  }
  public struct Order: Sendable, Equatable {
    public var customer, rep: String
    public var lead: String?
    /// The business day of the confirmation.
    public var day: CivilDate
    public var seq: UInt64
    public var lines: [Line]
    /// Booked amount less the cancelled remainder (minor units).
    public var value: Int64
    public var shippedAny = false
    public var cancelled = false
    /// Cancelled before anything shipped: not a purchase (SPEC 7, Customers).
    public var fullyCancelled: Bool { cancelled && !shippedAny }
  }

  public private(set) var orders: [String: Order] = [:]
  /// Order ids in confirmation order.
  public private(set) var sequence: [String] = []

  public init() {}

  public subscript(id: String) -> Order? { orders[id] }

  /// Records a confirmation (a second confirmation of the same id, which the deciders refuse,
  /// is ignored).
  public mutating func confirm(_ e: OrderConfirmed, seq: UInt64, day: CivilDate) {
    guard orders[e.order] == nil else { return }
    orders[e.order] = Order(
      customer: e.customer, rep: e.rep, lead: e.lead, day: day, seq: seq,
      lines: e.lines.map { Line(line: $0) }, value: e.amount.minorUnits)
    sequence.append(e.order)
  }

  /// Cancels the unshipped remainder; returns it per line (sku, qty, amount in minor units),
  /// empty when the order is unknown or already cancelled.
  @discardableResult
  public mutating func cancel(_ id: String) -> [(sku: String, qty: Int64, amount: Int64)] {
    guard var o = orders[id], !o.cancelled else { return [] }
    o.cancelled = true
    var out: [(sku: String, qty: Int64, amount: Int64)] = []
    for l in o.lines where l.line.qty > l.shipped {
      let q = l.line.qty - l.shipped
      let amount = l.line.amount(qty: q).minorUnits
      out.append((l.line.sku, q, amount))
      o.value -= amount
    }
    orders[id] = o
    return out
  }

  /// Records a shipment against the order's lines, earliest lines first (as the store
  /// allocates invoice amounts).
  public mutating func ship(_ e: Shipped) {
    guard var o = orders[e.order] else { return }
    o.shippedAny = true
    for s in e.lines {
      var left = s.qty
      for i in o.lines.indices where o.lines[i].line.sku == s.sku && left > 0 {
        let take = min(o.lines[i].line.qty - o.lines[i].shipped, left)
        guard take > 0 else { continue }
        o.lines[i].shipped += take
        left -= take
      }
    }
    orders[e.order] = o
  }
}
