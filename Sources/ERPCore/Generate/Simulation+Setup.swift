/// Day one: reps, products, the customer slots (the existing base registered, the rest waiting
/// for prospects), and the opening stock, all written with the plain start date.
extension Simulation {
  func setUp() {
    makeReps()
    makeProducts()
    makeCustomerSlots()
    estimateDemand()
    for i in 0..<initialCustomers { register(i, acquisitionCost: nil, dated: true) }
    for k in products.indices { openingStock(k) }
    maxDemandFactor =
      (Vocabulary.monthFactor.max() ?? 1) * (Vocabulary.weekdayFactor.max() ?? 1) * 1.35 * trend(days)
    for c in 0..<initialCustomers { scheduleNextOrder(c) }
  }

  /// The customers that exist before the history starts (55 % of the slots).
  var initialCustomers: Int { max(1, Int((Double(options.customers) * 0.55).rounded())) }

  // MARK: Reps

  private func makeReps() {
    let n = options.reps
    let regions = min(n, Vocabulary.regions.count)
    repsByRegion = Array(repeating: [], count: Vocabulary.regions.count)
    let width = max(2, String(n).count)
    for i in 0..<n {
      let region = i % regions
      // Teams of up to four reps per region: T-east-1, T-south-1, …, T-east-2, …
      let group = i / regions / 4
      let team = "T-\(Vocabulary.regions[region])-\(group + 1)"
      if teams.count == group * regions + region { teams.append(team) }
      let win = Self.clamp(rng.lognormal(median: 1, sigma: 0.28), 0.5, 1.8)
      let rep = RepModel(
        region: UInt8(region), team: Int32(group * regions + region), winFactor: win,
        sizeFactor: Self.clamp(rng.lognormal(median: 1, sigma: 0.2) * DeterministicMath.pow(win, 0.3), 0.6, 1.7),
        activity: Self.clamp(rng.lognormal(median: 1, sigma: 0.3), 0.4, 2.2))
      reps.append(rep)
      repIDs.append("R-" + pad(i + 1, width))
      repsByRegion[region].append(Int32(i))
      let commission = rng.pick(["0.02", "0.025", "0.03", "0.03", "0.035", "0.04", "0.05"])
      gate.submit(.repRegistered(RepRegistered(
        rep: repIDs[i], name: personName(i), team: team, region: Vocabulary.regions[region],
        commissionRate: Rate(commission))), dated: true)
    }
    for r in repsByRegion.indices where repsByRegion[r].isEmpty { repsByRegion[r] = Array(0..<Int32(n)) }
  }

  private func personName(_ i: Int) -> String {
    var r = nameRandom(1, i)
    return r.pick(Vocabulary.surnames) + r.pick(Vocabulary.givenNames)
  }

  // MARK: Products

  private func makeProducts() {
    let n = options.products
    let lineCount = min(n, Vocabulary.lines.count)
    let width = max(4, String(n).count)
    var rank = Array(0..<n)
    for i in stride(from: n - 1, to: 0, by: -1) { rank.swapAt(i, rng.below(i + 1)) }
    var weights: [Double] = []
    lineSKUs = Array(repeating: [], count: Vocabulary.lines.count)
    for k in 0..<n {
      let line = k % lineCount
      let price = Self.nicePrice(
        rng.lognormal(median: Vocabulary.lineMedianPrice[line], sigma: Vocabulary.linePriceSigma[line]))
      let cost = max(1, Int64((Double(price) * rng.uniform(0.45, 0.72)).rounded()))
      let product = ProductModel(
        line: UInt8(line), listPrice: price, cost: cost,
        leadTime: max(2, Int((Double(Vocabulary.lineLeadTime[line]) * rng.uniform(0.6, 1.6)).rounded())),
        pack: Int64(rng.pick(Vocabulary.linePackSizes[line])),
        typicalQty: max(1, 2800 / (Double(price) / 100) * rng.uniform(0.6, 1.4)), dailyDemand: 0)
      products.append(product)
      skuIDs.append(Vocabulary.linePrefix[line] + "-" + pad(k + 1, width))
      lineSKUs[line].append(Int32(k))
      // Popularity falls with rank (Zipf-like); a quarter of the SKUs are slow movers (spare
      // parts, special sizes) whose demand is intermittent.
      let slow = rng.chance(0.25)
      weights.append(DeterministicMath.pow(Double(rank[k] + 1), -0.85) * (slow ? 0.1 : 1))
      definition(k)
    }
    globalCumulative = Self.cumulative(weights)
    lineCumulative = lineSKUs.map { skus in Self.cumulative(skus.map { weights[Int($0)] }) }
    popularity = weights
  }

  /// ProductDefined for SKU `k` as it is now (written again when its list price changes).
  func definition(_ k: Int, dated: Bool = true) {
    let p = products[k]
    var r = nameRandom(2, k)
    let line = Int(p.line)
    let name = r.pick(Vocabulary.productWords[line]) + " " + r.pick(Vocabulary.productSizes[line])
    gate.submit(.productDefined(ProductDefined(
      sku: skuIDs[k], name: name, line: Vocabulary.lines[line], listPrice: Money(minorUnits: p.listPrice),
      unitCost: Money(minorUnits: p.cost), leadTimeDays: Int64(p.leadTime), packSize: p.pack)), dated: dated)
  }

  /// A price list figure: to 0.10 yuan below 100, whole yuan below 1000, tens above.
  static func nicePrice(_ yuan: Double) -> Int64 {
    let y = max(yuan, 1)
    let step: Double = y < 100 ? 0.1 : (y < 1000 ? 1 : 10)
    return Int64(((y / step).rounded() * step * 100).rounded())
  }

  static func cumulative(_ weights: [Double]) -> [Double] {
    var total = 0.0
    return weights.map { w in
      total += w
      return total
    }
  }

  // MARK: Customers

  private func makeCustomerSlots() {
    let n = options.customers
    let width = max(4, String(n).count)
    let regionMix = [0.30, 0.25, 0.20, 0.13, 0.12]
    for i in 0..<n {
      let channel = rng.weighted(Vocabulary.channelMix)
      // Heavy tails: how often and how much are both lognormal; distributors buy more and in
      // bulk, retail and online buyers more often and less.
      let freqBias = [1.0, 1.2, 1.3, 1.4][channel]
      let sizeBias = [1.2, 1.8, 0.55, 0.45][channel]
      let c = CustomerModel(
        region: UInt8(rng.weighted(regionMix)), channel: UInt8(channel),
        payStyle: PayStyle(rawValue: UInt8(rng.weighted([0.45, 0.30, 0.15, 0.10]))) ?? .prompt,
        favoriteLine: UInt8(rng.below(min(options.products, Vocabulary.lines.count))),
        acceptsBackorder: rng.chance(0.35),
        termsDays: [0, 45, 60, 15, 90][rng.weighted([0.60, 0.15, 0.12, 0.08, 0.05])],
        ordersPerMonth: min(20, rng.lognormal(median: 0.5, sigma: 0.85) * freqBias),
        size: min(30, rng.lognormal(median: 1, sigma: 0.95) * sizeBias))
      customers.append(c)
      customerIDs.append("C-" + pad(i + 1, width))
    }
    assignTiers()
    freeSlots = Array((Int32(initialCustomers)..<Int32(n)).reversed())
  }

  /// Tier A for the top 10 % by expected value, B for the next 30 %, C for the rest; A
  /// customers have contract prices below list.
  private func assignTiers() {
    let value = customers.map { $0.ordersPerMonth * $0.size }
    let ranked = customers.indices.sorted { value[$0] > value[$1] || (value[$0] == value[$1] && $0 < $1) }
    let n = Double(customers.count)
    for (rank, i) in ranked.enumerated() {
      let tier: UInt8 = Double(rank) < n * 0.10 ? 0 : (Double(rank) < n * 0.40 ? 1 : 2)
      customers[i].tier = tier
      if tier == 0 { customers[i].pricePerMille = Int16(rng.int(900...970)) }
      if tier == 1 && rng.chance(0.5) { customers[i].pricePerMille = Int16(rng.int(960...990)) }
    }
  }

  func companyName(_ i: Int) -> String {
    var r = nameRandom(3, i)
    let city = r.pick(Vocabulary.cities[Int(customers[i].region)])
    return city + r.pick(Vocabulary.companyWords) + r.pick(Vocabulary.companyTrades)
      + r.pick(Vocabulary.companySuffix)
  }

  /// Registers slot `i` (CustomerRegistered) with a rep of its region; it may go dormant later.
  func register(_ i: Int, rep: Int32? = nil, acquisitionCost: Int64?, dated: Bool = false) {
    var c = customers[i]
    c.rep = rep ?? rng.pick(repsByRegion[Int(c.region)])
    let lifetimeMonths = 48.0 * [2.2, 1.3, 1.0][Int(c.tier)]
    c.registeredDay = Int32(today)
    c.quietFrom = Int32(min(Double(Int32.max), Double(today) + rng.exponential(mean: lifetimeMonths * 30.4)))
    customers[i] = c
    registered.append(Int32(i))
    gate.submit(.customerRegistered(CustomerRegistered(
      customer: customerIDs[i], name: companyName(i), region: Vocabulary.regions[Int(c.region)],
      channel: Vocabulary.channels[Int(c.channel)], tier: Vocabulary.tiers[Int(c.tier)],
      acquisitionCost: acquisitionCost.map { Money(minorUnits: $0) })), dated: dated)
  }

  // MARK: Opening stock

  /// Demand per SKU expected from the customer base (units per day, before seasons and growth),
  /// the first forecast; and the value of a typical order.
  private func estimateDemand() {
    var mass = 0.0
    var favoriteMass = Array(repeating: 0.0, count: Vocabulary.lines.count)
    for c in customers.prefix(initialCustomers) {
      mass += c.ordersPerMonth * c.size
      favoriteMass[Int(c.favoriteLine)] += c.ordersPerMonth * c.size
    }
    // Customers still to come, the growth of the first year and lines per order.
    let linesPerOrder = 1.8
    let scale = 1.3 * linesPerOrder * 1.13 / 30.4
    let total = globalCumulative.last ?? 1
    var lineValue = 0.0
    for k in products.indices {
      let line = Int(products[k].line)
      let lineTotal = lineCumulative[line].last ?? 1
      let share =
        0.4 * popularity[k] / total + 0.6 * popularity[k] / lineTotal * favoriteMass[line] / max(mass, 1e-9)
      products[k].dailyDemand = mass * scale * share * products[k].typicalQty
      lineValue += popularity[k] / total * products[k].typicalQty * Double(products[k].listPrice) / 100 * 1.13
    }
    typicalOrderValue = lineValue * linesPerOrder
  }

  private func openingStock(_ k: Int) {
    let p = products[k]
    let need = p.dailyDemand * season(date) * Double(p.leadTime + 40) * 1.3
    let qty = Self.roundUp(need, to: p.pack)
    let opening = StockReceived(sku: skuIDs[k], qty: qty, unitCost: Money(minorUnits: p.cost))
    gate.submit(.stockReceived(opening), dated: true)
  }

  /// `x` rounded up to a whole number of packs (at least one pack).
  static func roundUp(_ x: Double, to pack: Int64) -> Int64 {
    let packs = max(1, Int64((x / Double(pack)).rounded(.up)))
    return min(packs * pack, 100_000_000)
  }
}
