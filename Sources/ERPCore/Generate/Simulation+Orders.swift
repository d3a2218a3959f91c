/// Customers' orders: when they come (a thinned Poisson process per customer with season,
/// weekday, growth and promotions), what is in them (popular SKUs, the customer's favourite
/// line, quantities scaled by the customer's size), and what happens when stock is short.
extension Simulation {
  /// Schedules the customer's next order opportunity at the highest rate of the run; each is
  /// taken with probability (today's factor / that rate), which gives the seasonal rate.
  func scheduleNextOrder(_ c: Int) {
    let perDay = customers[c].ordersPerMonth / 30.4 * maxDemandFactor
    let gap = min(rng.exponential(mean: 1 / perDay), 100_000)
    plan(.customerOrder(Int32(c)), after: Int(gap.rounded(.up)))
  }

  func customerOrder(_ c: Int) {
    let cm = customers[c]
    // A dormant customer orders no more.
    guard today < cm.quietFrom else { return }
    let f = season(date) * Vocabulary.weekdayFactor[SimCalendar.weekday(date)] * trend(today)
      * (promotion(channel: cm.channel)?.uplift ?? 1)
    if rng.chance(f / maxDemandFactor) { placeOrder(customer: c) }
    scheduleNextOrder(c)
  }

  /// The lines a customer orders (or is quoted, for a project: more lines, larger quantities,
  /// some negotiated discounts). Promotions discount the lines of their product lines.
  func basket(customer c: Int, rep r: Int, project: Bool, promotion: Promotion? = nil) -> [PlannedLine] {
    let cm = customers[c]
    // A project is a few orders' worth, less so for the largest accounts; a good rep sells more.
    let size =
      project
      ? 2.2 * DeterministicMath.pow(cm.size, 0.75) * reps[r].sizeFactor
      : cm.size * DeterministicMath.pow(reps[r].sizeFactor, 0.5)
    let extra = rng.poisson(0.8 * DeterministicMath.pow(cm.size, 0.25) + (project ? 0.8 : 0))
    let count = min(products.count, 1 + min(5, extra))
    var picked: [Int32] = []
    var tries = 0
    let favorite = Int(cm.favoriteLine)
    while picked.count < count && tries < count * 8 {
      tries += 1
      let k =
        rng.chance(0.6) && !lineSKUs[favorite].isEmpty
        ? lineSKUs[favorite][rng.cumulative(lineCumulative[favorite])] : Int32(rng.cumulative(globalCumulative))
      if !picked.contains(k) { picked.append(k) }
    }
    return picked.map { k in
      let p = products[Int(k)]
      var q = p.typicalQty * size * rng.lognormal(median: 1, sigma: 0.5)
      if p.pack > 1 && q >= Double(p.pack) && rng.chance(0.7) { q = (q / Double(p.pack)).rounded() * Double(p.pack) }
      var line = PlannedLine(
        sku: k, qty: Int64(Self.clamp(q.rounded(), 1, 1_000_000)),
        price: (p.listPrice * Int64(cm.pricePerMille) + 500) / 1000)
      if let promotion, promotion.lines.contains(p.line) {
        line.discount = promotion.discount
        line.promoted = true
      } else if project && rng.chance(0.35) {
        line.discount = Rate(rng.pick(["0.03", "0.05", "0.08", "0.10"]))
      } else if cm.channel == 0 && cm.size > 3 && rng.chance(0.1) {
        line.discount = Rate("0.05")
      }
      return line
    }
  }

  func orderLine(_ p: PlannedLine) -> OrderLine {
    OrderLine(sku: skuIDs[Int(p.sku)], qty: p.qty, unitPrice: Money(minorUnits: p.price), discount: p.discount)
  }

  /// Confirms an order if anything of it can be had: a line short of stock is backordered
  /// when the customer accepts that (and always for a won project), else cut to what is
  /// available, else dropped; an order with nothing left is a lost sale. Returns whether an
  /// order was confirmed.
  @discardableResult
  func placeOrder(customer c: Int, lead l: Int? = nil) -> Bool {
    let cm = customers[c]
    let rep = l.map { Int(leads[$0].rep) } ?? Int(cm.rep)
    let offer = l == nil ? promotion(channel: cm.channel) : nil
    let planned = l.map { leads[$0].lines } ?? basket(customer: c, rep: rep, project: false, promotion: offer)
    var lines: [PlannedLine] = []
    var backorder = false
    for line in planned {
      products[Int(line.sku)].monthQty += line.qty
      let available = max(0, stock(Int(line.sku)).available)
      if line.qty <= available {
        lines.append(line)
      } else if l != nil || cm.acceptsBackorder {
        lines.append(line)
        backorder = true
      } else if available > 0 {
        var cut = line
        cut.qty = available
        lines.append(cut)
      }
    }
    defer { for line in planned { replenish(Int(line.sku)) } }
    guard !lines.isEmpty else {
      lostSales += 1
      return false
    }
    let o = orders.count
    let quote = l.flatMap { leads[$0].quote >= 0 ? quoteID(Int(leads[$0].quote)) : nil }
    let confirmed = gate.submit(.orderConfirmed(OrderConfirmed(
      order: orderID(o), customer: customerIDs[c], rep: repIDs[rep], channel: Vocabulary.channels[Int(cm.channel)],
      region: Vocabulary.regions[Int(cm.region)], lead: l.map(leadID), quote: quote,
      promotion: lines.contains(where: \.promoted) ? offer?.id : nil,
      paymentTermsDays: cm.termsDays > 0 ? Int64(cm.termsDays) : nil, allowBackorder: backorder,
      lines: lines.map(orderLine))))
    guard confirmed != nil else { return false }
    orders.append(OrderModel(customer: Int32(c), day: Int32(today)))
    repMonthBooked[rep] += lines.reduce(0.0) { total, l in
      total + Double(l.qty) * Double(l.price) / 100 * (1 - Double(l.discount?.millionths ?? 0) / 1e6)
    }
    let shipAfter = l != nil ? rng.int(2...6) : rng.int(1...3)
    plan(.ship(Int32(o)), after: shipAfter, businessDay: true)
    if rng.chance(0.025) { plan(.cancel(Int32(o)), after: rng.int(1...shipAfter)) }
    if rng.chance(0.03) { planForOrder(.recordCost(Int32(o)), o, after: shipAfter + rng.int(2...12)) }
    return true
  }

  /// Plans an action that names order `o` once it may be complete (so it is kept until then).
  func planForOrder(_ a: Action, _ o: Int, after: Int) {
    if plan(a, after: after) { orders[o].pending += 1 }
  }

  /// An action that named order `o` has run.
  func donePending(_ o: Int) {
    orders[o].pending -= 1
    settle(o)
  }

  /// Forgets a cancelled or fully shipped order that nothing scheduled will name again.
  func settle(_ o: Int) {
    guard orders[o].pending == 0 else { return }
    let id = orderID(o)
    if let st = record(OrderState.self, id), st.cancelled || st.fullyShipped { forget(OrderState.self, id) }
  }

  /// A customer cancels an order before anything of it shipped.
  func cancel(_ o: Int) {
    guard let st = record(OrderState.self, orderID(o)), !st.cancelled, st.lines.allSatisfy({ $0.shipped == 0 })
    else { return }
    gate.submit(.orderCancelled(OrderCancelled(order: orderID(o), reason: rng.pick(Vocabulary.cancelReasons))))
    settle(o)
  }
}
