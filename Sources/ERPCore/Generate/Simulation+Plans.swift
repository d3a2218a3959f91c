/// The first day of each month: the forecast, the year's promotions and list prices, targets,
/// campaign costs (written with the plain date, before anything else that day), then the
/// month's account activities and stocktake, and a review of every SKU's stock.
extension Simulation {
  func startMonth() {
    if today > 0 { updateForecasts() }
    if today == 0 || date.components.month == 1 {
      planPromotions()
      if today > 0 { raisePrices() }
    }
    setTargets()
    recordCampaignCosts()
    planAccountActivities()
    planStocktake()
    for k in products.indices {
      driftCost(k)
      replenish(k)
    }
    lastForecastDay = today
  }

  // MARK: Forecast

  /// Exponential smoothing of deseasonalised daily demand (units ordered, short or not).
  private func updateForecasts() {
    let previous = date.adding(days: -1)
    let span = Double(max(1, today - lastForecastDay))
    let f = season(previous)
    for k in products.indices {
      let observed = Double(products[k].monthQty) / f / span
      products[k].dailyDemand = 0.6 * products[k].dailyDemand + 0.4 * observed
      products[k].monthQty = 0
    }
  }

  private func driftCost(_ k: Int) {
    let c = Double(products[k].cost) * (1 + 0.0015 + 0.008 * rng.normal())
    products[k].cost = max(1, Int64(c.rounded()))
  }

  // MARK: Prices and promotions

  /// Each January a third of the list prices go up 3–8 % (ProductDefined again: master data
  /// changes from then on, history keeps what it said).
  private func raisePrices() {
    for k in products.indices where rng.chance(0.3) {
      let p = products[k]
      products[k].listPrice = Self.nicePrice(Double(p.listPrice) / 100 * rng.uniform(1.03, 1.08))
      products[k].cost = max(1, Int64((Double(p.cost) * rng.uniform(1.02, 1.05)).rounded()))
      definition(k)
    }
  }

  /// The year's promotions: a spring offer, the 618 mid-year sale, Double 11 and a year-end
  /// sale, each on some product lines, for every channel but direct sales.
  private func planPromotions() {
    let year = date.components.year
    let lineCount = min(options.products, Vocabulary.lines.count)
    promotions = []
    func add(_ name: String, _ from: (Int, Int), _ to: (Int, Int), _ discount: String, lines: Int, uplift: Double) {
      guard let a = CivilDate(year: year, month: from.0, day: from.1),
        let b = CivilDate(year: year, month: to.0, day: to.1), let rate = Rate(discount)
      else { return }
      var chosen: [UInt8] = []
      while chosen.count < min(lines, lineCount) {
        let l = UInt8(rng.below(lineCount))
        if !chosen.contains(l) { chosen.append(l) }
      }
      promotions.append(Promotion(
        id: "PROMO-\(year)-\(name)", first: Int(a.daysSinceEpoch - options.start.daysSinceEpoch),
        last: Int(b.daysSinceEpoch - options.start.daysSinceEpoch), lines: chosen, discount: rate,
        uplift: uplift))
    }
    add("SPRING", (3, 1), (3, 15), "0.05", lines: 1, uplift: 1.15)
    add("618", (6, 1), (6, 18), "0.10", lines: 2, uplift: 1.30)
    add("D11", (11, 1), (11, 11), "0.15", lines: 3, uplift: 1.35)
    add("YEAREND", (12, 15), (12, 31), "0.08", lines: 2, uplift: 1.20)
  }

  /// The promotion running today for a customer of this channel, if any.
  func promotion(channel: UInt8) -> Promotion? {
    guard channel != 0 else { return nil }
    return promotions.first { $0.first <= today && today <= $0.last }
  }

  // MARK: Targets and campaign costs

  /// Expected booked yuan per month of one customer, at the base season.
  func expectedMonthly(_ c: CustomerModel) -> Double {
    let size = c.size * DeterministicMath.pow(reps[Int(c.rep)].sizeFactor, 0.5)
    let linesFactor = (1 + 0.8 * DeterministicMath.pow(c.size, 0.25)) / 1.8
    return c.ordersPerMonth * 0.8 * size * linesFactor * typicalOrderValue * Double(c.pricePerMille) / 1000
  }

  /// Revenue targets per rep and team for the month, the company's, and each quarter the
  /// company's orders, new customers, collection rate, gross margin and collections. A rep's
  /// target follows the rep's own bookings (smoothed and deseasonalised; at the start, what the
  /// rep's accounts are expected to buy), with the season ahead, growth and some stretch.
  private func setTargets() {
    let month = SimCalendar.monthKey(date)
    var expected = Array(repeating: 0.0, count: reps.count)
    var orderCount = 0.0
    for c in registered where customers[Int(c)].quietFrom > today {
      let cm = customers[Int(c)]
      expected[Int(cm.rep)] += expectedMonthly(cm)
      orderCount += cm.ordersPerMonth * 0.8
    }
    updateBaselines(expected)
    let factor = season(date) * trend(today)
    var teamTotals = Array(repeating: Int64(0), count: teams.count)
    var company: Int64 = 0
    for r in reps.indices {
      let yuan = max(1000, repBaseline[r] * season(date) * 1.02 * rng.uniform(0.95, 1.2))
      let value = Int64((yuan / 100).rounded()) * 10_000
      teamTotals[Int(reps[r].team)] += value
      company += value
      target("rep", repIDs[r], "revenue", month, money: value)
    }
    for t in teams.indices { target("team", teams[t], "revenue", month, money: teamTotals[t]) }
    target("company", nil, "revenue", month, money: company / 1_000_000 * 1_000_000)
    let (year, m, _) = date.components
    if today == 0 || (m - 1) % 3 == 0 {
      let quarter = "\(year)-Q\((m - 1) / 3 + 1)"
      let acquisitions = Double(options.customers - initialCustomers) / Double(options.months) * 3
      gate.submit(.targetSet(TargetSet(
        scope: "company", id: nil, metric: "orders", period: quarter,
        value: .int(Int64((orderCount * 3 * factor * 1.05 + acquisitions * 0.4).rounded())))), dated: true)
      gate.submit(.targetSet(TargetSet(
        scope: "company", id: nil, metric: "new_customers", period: quarter,
        value: .int(Int64(acquisitions.rounded(.up))))), dated: true)
      gate.submit(.targetSet(TargetSet(
        scope: "company", id: nil, metric: "collection_rate", period: quarter, value: .string("0.90"))), dated: true)
      let quarterly = company * 3
      target("company", nil, "gross_margin", quarter, money: quarterly * 28 / 100 / 1_000_000 * 1_000_000)
      target("company", nil, "collections", quarter, money: quarterly * 90 / 100 / 1_000_000 * 1_000_000)
    }
  }

  /// A money target (a target's value is read with six decimals, so it stays below 10^9).
  /// Folds last month's bookings into each rep's baseline (or starts it from `expected`).
  private func updateBaselines(_ expected: [Double]) {
    guard today > 0 else {
      repBaseline = expected.map { $0 * 0.8 + typicalOrderValue * 0.3 }
      repMonthBooked = Array(repeating: 0, count: reps.count)
      return
    }
    let previous = date.adding(days: -1)
    let months = Double(max(1, today - lastForecastDay)) / 30.4
    for r in reps.indices {
      let observed = repMonthBooked[r] / season(previous) / months
      repBaseline[r] = 0.65 * repBaseline[r] + 0.35 * observed
      repMonthBooked[r] = 0
    }
  }

  private func target(_ scope: String, _ id: String?, _ metric: String, _ period: String, money: Int64) {
    let value = min(money, 99_999_999_900)
    gate.submit(.targetSet(TargetSet(
      scope: scope, id: id, metric: metric, period: period,
      value: .string(Money(minorUnits: value).format(digits: EventGate.digits)))), dated: true)
  }

  /// Marketing spend per customer channel for the month: trade shows (direct) in March and
  /// September, online ads around the promotions.
  private func recordCampaignCosts() {
    let month = SimCalendar.monthKey(date)
    let m = date.components.month
    let perCustomer = [30.0, 12.0, 35.0, 8.0]
    for (i, channel) in Vocabulary.channels.enumerated() {
      var yuan = Double(options.customers) * perCustomer[i] * trend(today) * rng.uniform(0.8, 1.25)
      if i == 0 && (m == 3 || m == 9) { yuan *= 2 }
      if i == 2 && (m == 6 || m == 11) { yuan *= 1.8 }
      gate.submit(.campaignCostRecorded(CampaignCostRecorded(
        channel: channel, period: month, amount: Money(minorUnits: Self.minor(yuan: yuan.rounded())))),
        dated: true)
    }
  }

  // MARK: The month's routine

  /// Reps visit, call and write to their accounts: key accounts most.
  private func planAccountActivities() {
    let left = daysLeftInMonth
    guard left > 1 else { return }
    for c in registered where customers[Int(c)].quietFrom > today {
      let k = rng.poisson([0.8, 0.2, 0.03][Int(customers[Int(c)].tier)])
      for _ in 0..<k { plan(.accountActivity(c), after: rng.int(1...(left - 1)), businessDay: true) }
    }
  }

  /// A stocktake near the end of the month on a few SKUs.
  private func planStocktake() {
    let left = daysLeftInMonth
    guard left > 4 else { return }
    let after = left - 1 - rng.below(4)
    for _ in 0..<max(1, options.products / 25) {
      plan(.stocktake(Int32(rng.below(products.count))), after: after)
    }
  }

  /// Days from today to the end of the month, today included.
  var daysLeftInMonth: Int {
    let (y, m, d) = date.components
    return CivilDate.daysIn(month: m, year: y) - d + 1
  }
}
