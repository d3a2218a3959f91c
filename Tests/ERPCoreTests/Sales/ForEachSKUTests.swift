import ERPTestSupport
import Testing

@testable import ERPCore

/// `forEachSKU` (the deciders' per-SKU totals) against a plain walk written here: the SKUs in
/// order of first appearance, each with the sum of its lines' quantities. Random lines with
/// repeated SKUs, up to and past the 16 lines it scans in place.
@Suite("per-SKU totals")
struct ForEachSKUTests {
  @Test func sameAsTheWalk() {
    var rng = SplitMix64(seed: 5)
    for _ in 0..<3_000 {
      let n = Int(rng.next() % 21)
      let lines = (0..<n).map { _ in ("SKU-\(rng.next() % 6)", Int64(rng.next() % 9) - 2) }
      var got: [(String, Int64)] = []
      SalesDecider.forEachSKU(lines, sku: { $0.0 }, qty: { $0.1 }) { got.append(($0, $1)) }
      var want: [(sku: String, qty: Int64)] = []
      for (sku, qty) in lines {
        if let i = want.firstIndex(where: { $0.sku == sku }) { want[i].qty += qty } else { want.append((sku, qty)) }
      }
      #expect(got.map(\.0) == want.map(\.sku) && got.map(\.1) == want.map(\.qty), "\(lines)")
    }
  }
}

/// `reservedAmount` (a shipment's invoiced amount, the order left unchanged) and `shipReserved`
/// (a shipment line folded into the order) against a plain walk written here: each line's
/// quantity taken from the reservations of its SKU's order lines in line order, each piece
/// priced at its line's net price. Random orders with repeated SKUs at different prices and
/// discounts, partly reserved, and shipments of several lines each.
@Suite("a shipment's amount without changing the order")
struct ReservedAmountTests {
  /// The walk: moves the quantity from reserved to shipped in `lines`, returns the amount.
  static func reference(_ qty: Int64, _ sku: String, _ lines: inout [OrderState.Line]) -> Money {
    var left = qty
    var amount = Money.zero
    for i in lines.indices where lines[i].sku == sku {
      let t = min(lines[i].reserved, left)
      lines[i].reserved -= t
      lines[i].shipped += t
      left -= t
      if t > 0 {
        amount = amount + LineMath.amount(qty: t, unitPrice: lines[i].unitPrice, discount: lines[i].discount ?? .zero)
      }
    }
    return amount
  }

  @Test func sameAsTheWalk() {
    var rng = SplitMix64(seed: 11)
    for _ in 0..<3_000 {
      let lines = (0..<Int(rng.next() % 7)).map { _ in
        var l = OrderState.Line(
          sku: "SKU-\(rng.next() % 3)", qty: Int64(rng.next() % 9), unitPrice: Money(minorUnits: Int64(rng.next() % 5_000)),
          discount: rng.next() % 2 == 0 ? nil : Rate("0.\(rng.next() % 100)"))
        l.reserved = Int64(rng.next() % UInt64(l.qty + 1))
        return l
      }
      let shipment = (0..<Int(rng.next() % 5)).map { _ in ("SKU-\(rng.next() % 4)", Int64(rng.next() % 6)) }
      var walked = lines
      let want = shipment.map { Self.reference($0.1, $0.0, &walked) }
      let got = withUnsafeTemporaryAllocation(of: Int64.self, capacity: lines.count) { taken in
        taken.initialize(repeating: 0)
        return shipment.map { SalesDecider.reservedAmount($0.1, sku: $0.0, in: lines, taken: taken) }
      }
      #expect(got == want, "\(lines) \(shipment)")
      var order = OrderState(customer: "C-1", rep: "R-1", termsDays: 30, lines: lines)
      let folded = shipment.map { SalesDecider.shipReserved($0.1, sku: $0.0, in: &order) }
      #expect(folded == want, "\(lines) \(shipment)")
      #expect(order.lines == walked, "\(lines) \(shipment)")
    }
  }
}
