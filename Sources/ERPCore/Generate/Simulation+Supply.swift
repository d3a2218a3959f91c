/// Stock: a reorder-point policy on the smoothed forecast (with the season ahead), purchase
/// orders received after the SKU's lead time (some late, some in two deliveries), and monthly
/// stocktakes that find a little shrinkage.
extension Simulation {
  /// Places a purchase order when the SKU's position (available − backordered + on order)
  /// falls below its reorder point: enough for the lead time and a review period, with safety
  /// stock, up to one more month of demand, in whole packs.
  func replenish(_ k: Int) {
    let p = products[k]
    let st = stock(k)
    let backordered = st.backorders.reduce(Int64(0)) { $0 + $1.qty }
    let position = st.onHand - st.reserved - backordered + p.onOrder
    let ahead = max(season(date), season(date.adding(days: 30)))
    let perDay = max(p.dailyDemand, 0.001) * ahead
    let reorderPoint = perDay * Double(p.leadTime + 10) * 1.3
    guard Double(position) < reorderPoint else { return }
    let qty = Self.roundUp(reorderPoint + perDay * 30 - Double(position), to: p.pack)
    let po = purchaseOrders.count
    let placed = gate.submit(.purchaseOrderPlaced(PurchaseOrderPlaced(
      po: poID(po), sku: skuIDs[k], qty: qty, expected: date.adding(days: p.leadTime))))
    guard placed != nil else { return }
    purchaseOrders.append(PurchaseOrderModel(sku: Int32(k)))
    products[k].onOrder += qty
    let arrival = max(1, Int((Double(p.leadTime) * rng.uniform(0.85, 1.3)).rounded()))
    if qty >= 2 * p.pack && rng.chance(0.12) {
      let first = max(p.pack, qty * 6 / 10 / p.pack * p.pack)
      purchaseOrders[po].parts = 2
      plan(.receive(po: Int32(po), qty: first), after: arrival)
      plan(.receive(po: Int32(po), qty: qty - first), after: arrival + rng.int(4...12))
    } else {
      plan(.receive(po: Int32(po), qty: qty), after: arrival)
    }
  }

  /// A delivery against a purchase order, at about the current purchase cost; the store
  /// reserves it for backorders, oldest first.
  func receive(po: Int, qty: Int64) {
    let k = Int(purchaseOrders[po].sku)
    let cost = max(1, Int64((Double(products[k].cost) * (1 + 0.01 * rng.normal())).rounded()))
    let received = gate.submit(.stockReceived(StockReceived(
      sku: skuIDs[k], qty: qty, unitCost: Money(minorUnits: cost), po: poID(po))))
    if received != nil { products[k].onOrder -= qty }
    purchaseOrders[po].parts -= 1
    if purchaseOrders[po].parts == 0 { forget(PurchaseOrderState.self, poID(po)) }
  }

  /// A stocktake count of one SKU: usually a unit or a few missing (never more than is free),
  /// now and then one found.
  func stocktake(_ k: Int) {
    let st = stock(k)
    if rng.chance(0.85) {
      let missing = Int64(rng.int(1...3))
      guard st.available >= missing else { return }
      let reason = rng.pick(Vocabulary.shrinkReasons)
      gate.submit(.stockAdjusted(StockAdjusted(sku: skuIDs[k], qty: -missing, reason: reason)))
    } else {
      let cost = st.onHand > 0 ? nil : Money(minorUnits: products[k].cost)
      gate.submit(.stockAdjusted(StockAdjusted(sku: skuIDs[k], qty: 1, reason: "found in stocktake", unitCost: cost)))
    }
  }
}
