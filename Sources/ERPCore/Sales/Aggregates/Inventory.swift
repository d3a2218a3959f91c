/// Stock per SKU: on hand, reserved, the exact inventory value and the backorder queue;
/// receipts (filling backorders oldest first), adjustments and purchase orders.
/// Its `decide` takes the primary events it owns; its `evolve` folds what changes its records.
public enum InventoryDecider: SalesAggregate {
  public static func decide(_ event: borrowing SalesEvent, _ ctx: DecideContext, _ s: SalesState) throws -> [SalesEvent]? {
    switch event {
    case .stockReceived(let e): return try receive(e, event, s)
    case .stockAdjusted(let e):
      let stock = try SalesDecider.stockLevel(e.sku, s)
      if e.qty < 0 {
        guard -e.qty <= stock.available else {
          throw DomainError.adjustmentBelowAvailable(sku: e.sku, requested: -e.qty, available: stock.available)
        }
      } else if e.unitCost == nil && stock.onHand == 0 {
        throw DomainError.unitCostRequired(sku: e.sku)
      } else if let c = e.unitCost {
        try SalesDecider.checkAmount(Int128(e.qty) * Int128(c.minorUnits) + Int128(stock.value.minorUnits), "stock value of '\(e.sku)'")
      } else {
        // At the moving average (on hand > 0 here): evolve adds round(q × value / on_hand).
        let added = LineMath.divideRounded(Int128(e.qty) * Int128(stock.value.minorUnits), Int128(stock.onHand))
        try SalesDecider.checkAmount(added + Int128(stock.value.minorUnits), "stock value of '\(e.sku)'")
      }
      return [copy event]

    case .purchaseOrderPlaced(let e):
      guard try !s.exists(PurchaseOrderState.self, e.po) else { throw DomainError.duplicate("purchase order", id: e.po) }
      try s.requireExists(ProductState.self, e.sku, "product")
      return [copy event]

    default: return nil
    }
  }

  public static func evolve(_ s: SalesState, _ event: SalesEvent, defaultTermsDays: Int64) throws {
    switch event {
    case .orderConfirmed(let e):
      // Everything starts unreserved; the StockReserved events that follow take it off the queue.
      try SalesDecider.forEachSKU(e.lines, sku: { $0.sku }, qty: { $0.qty }) { sku, qty in
        try s.upsert(StockState.self, sku, StockState.init) { $0.backorders.append(.init(order: e.order, qty: qty)) }
      }

    case .stockReserved(let e):
      try s.upsert(StockState.self, e.sku, StockState.init) { st in
        st.reserved += e.qty
        if let i = st.backorders.firstIndex(where: { $0.order == e.order }) {
          st.backorders[i].qty -= e.qty
          if st.backorders[i].qty <= 0 { st.backorders.remove(at: i) }
        }
      }

    case .orderCancelled(let e):
      guard let o = try s.get(OrderState.self, e.order) else { return }
      for sku in Set(o.lines.map(\.sku)).sorted() {
        try s.update(StockState.self, sku) { $0.backorders.removeAll { $0.order == e.order } }
      }

    case .reservationReleased(let e):
      try s.update(StockState.self, e.sku) { $0.reserved -= e.qty }

    case .shipped(let e):
      for line in e.lines {
        let cogs = line.cogs ?? .zero
        try s.update(StockState.self, line.sku) { st in
          st.onHand -= line.qty
          st.reserved -= line.qty
          st.value = st.value - cogs
        }
      }

    case .stockReceived(let e):
      try s.upsert(StockState.self, e.sku, StockState.init) { st in
        st.onHand += e.qty
        st.value = st.value + Money(minorUnits: e.qty * e.unitCost.minorUnits)
      }
      if let po = e.po { try s.update(PurchaseOrderState.self, po) { $0.received += e.qty } }

    case .stockAdjusted(let e):
      try s.upsert(StockState.self, e.sku, StockState.init) { st in
        if e.qty < 0 {
          st.value = st.value - Money(minorUnits: LineMath.mulDiv(-e.qty, st.value.minorUnits, st.onHand))
        } else if let c = e.unitCost {
          st.value = st.value + Money(minorUnits: e.qty * c.minorUnits)
        } else if st.onHand > 0 {
          st.value = st.value + Money(minorUnits: LineMath.mulDiv(e.qty, st.value.minorUnits, st.onHand))
        }
        st.onHand += e.qty
      }

    case .purchaseOrderPlaced(let e):
      s.put(e.po, PurchaseOrderState(sku: e.sku, qty: e.qty))

    case .returnReceived(let e):
      let cogs = e.cogs ?? .zero
      try s.update(StockState.self, e.sku) { st in
        st.onHand += e.qty
        st.value = st.value + cogs
      }

    default: break
    }
  }

  static func receive(_ e: StockReceived, _ event: SalesEvent, _ s: SalesState) throws -> [SalesEvent] {
    let stock = try SalesDecider.stockOf(e.sku, s)
    if let po = e.po {
      let p = try s.require(PurchaseOrderState.self, po, "purchase order")
      guard p.sku == e.sku else { throw DomainError.purchaseOrderSKU(po: po, sku: e.sku, expected: p.sku) }
    }
    try SalesDecider.checkAmount(
      Int128(e.qty) * Int128(e.unitCost.minorUnits) + Int128(stock.value.minorUnits), "stock value of '\(e.sku)'")
    // Backordered quantities are reserved for the oldest orders first (SPEC 3).
    var out = SalesDecider.decided(event, more: min(stock.backorders.count, 8))
    var available = stock.available + e.qty
    for b in stock.backorders where available > 0 {
      let r = min(b.qty, available)
      out.append(.stockReserved(StockReserved(order: b.order, sku: e.sku, qty: r)))
      available -= r
    }
    return out
  }
}
