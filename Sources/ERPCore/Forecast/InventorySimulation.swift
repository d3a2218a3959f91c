/// A day-by-day simulation of one SKU's stock under a replenishment policy, to show what the
/// policy of `Replenishment.plan` achieves on a demand history.
///
/// Days before `Settings.startDay` are history only. From then on, each day: orders due that
/// day arrive; on a review day (every `reviewDays` from the start) the policy looks at the
/// history before today and may order, the order arriving `leadTimeDays` later; then the
/// day's demand is served from stock, and what cannot be served is lost (a lost sale, not a
/// backorder). Nothing is reserved.
public enum InventorySimulation {
  /// How the simulated buyer decides.
  public enum Policy: Sendable, Equatable {
    /// `Replenishment.plan` on a monthly forecast (`Forecaster.choose` on the complete months
    /// before today, season 12, horizon 3) at this service level.
    case forecast(serviceLevel: Double)
    /// When on hand + on order falls below `months` months of average demand, order `months`
    /// months of average demand (the average over the last 365 days, 30.4375-day months).
    case fixedMonths(Double)
  }

  public struct Settings: Sendable, Equatable {
    /// The first simulated day (index into the demand series).
    public var startDay: Int
    /// Days on which calendar months start, ascending; a month is complete on a day when the
    /// next month's start is not after it.
    public var monthStarts: [Int]
    public var reviewDays: Int
    public var leadTimeDays: Int
    public var packSize: Int

    public init(
      startDay: Int, monthStarts: [Int], reviewDays: Int = 7, leadTimeDays: Int, packSize: Int = 1
    ) {
      (self.startDay, self.monthStarts, self.reviewDays) = (startDay, monthStarts, reviewDays)
      (self.leadTimeDays, self.packSize) = (leadTimeDays, packSize)
    }
  }

  /// What happened over the simulated days.
  public struct Outcome: Sendable, Equatable {
    public var demanded: Int = 0
    public var filled: Int = 0
    /// Σ end-of-day on hand over the simulated days (the mean is `averageOnHand`).
    public var onHandDays: Int = 0
    public var days: Int = 0
    public var orders: Int = 0

    /// Nothing yet: the start of a sum over SKUs.
    public init() {}

    init(demanded: Int, filled: Int, onHandDays: Int, days: Int, orders: Int) {
      (self.demanded, self.filled, self.onHandDays, self.days, self.orders) = (
        demanded, filled, onHandDays, days, orders
      )
    }

    /// Units filled / units demanded (1 when nothing was demanded).
    public var fillRate: Double { demanded == 0 ? 1 : Double(filled) / Double(demanded) }
    public var averageOnHand: Double { days == 0 ? 0 : Double(onHandDays) / Double(days) }

    /// Adds another SKU's outcome (units and stock-days add up).
    public static func + (a: Outcome, b: Outcome) -> Outcome {
      Outcome(
        demanded: a.demanded + b.demanded, filled: a.filled + b.filled,
        onHandDays: a.onHandDays + b.onHandDays,
        days: max(a.days, b.days), orders: a.orders + b.orders)
    }
  }

  /// Runs the simulation of one SKU with daily `demand` (units per day) under `policy`. The
  /// stock on the start day is one month (30.4375 days) of the average daily demand of the
  /// 365 days before it, rounded, for every policy; nothing is on order.
  public static func run(demand: [Int], policy: Policy, settings: Settings) -> Outcome {
    let start = max(1, settings.startDay)
    guard start < demand.count else { return Outcome() }
    func trailingDaily(_ day: Int) -> Double {
      let from = max(0, day - 365)
      return Double(demand[from..<day].reduce(0, +)) / Double(day - from)
    }
    var onHand = Int((trailingDaily(start) * 30.4375).rounded())
    var arrivals: [Int: Int] = [:]
    var onOrder = 0
    var outcome = Outcome()
    var cachedMonths = -1
    var cachedForecast: (forecast: [Double], sigma: Double) = ([], 0)

    for day in start..<demand.count {
      if let q = arrivals.removeValue(forKey: day) {
        onHand += q
        onOrder -= q
      }
      if (day - start) % max(1, settings.reviewDays) == 0 {
        var qty = 0
        switch policy {
        case .fixedMonths(let months):
          let level = trailingDaily(day) * 30.4375 * months
          if Double(onHand + onOrder) < level { qty = Int(level.rounded(.up)) }
        case .forecast(let serviceLevel):
          let complete = settings.monthStarts.filter { $0 <= day }.count - 1
          if complete != cachedMonths {
            cachedMonths = complete
            cachedForecast = monthlyForecast(
              demand: demand, monthStarts: settings.monthStarts, months: complete)
          }
          let line = Replenishment.plan(
            ReplenishmentInput(
              sku: "", onHand: onHand, onOrder: onOrder, leadTimeDays: settings.leadTimeDays,
              reviewDays: settings.reviewDays, packSize: settings.packSize,
              forecast: cachedForecast.forecast,
              sigma: cachedForecast.sigma, serviceLevel: serviceLevel))
          qty = line.suggestedQty
        }
        if qty > 0 {
          let pack = max(1, settings.packSize)
          qty = (qty + pack - 1) / pack * pack
          outcome.orders += 1
          if settings.leadTimeDays <= 0 {
            onHand += qty
          } else {
            arrivals[day + settings.leadTimeDays, default: 0] += qty
            onOrder += qty
          }
        }
      }
      let served = min(onHand, demand[day])
      onHand -= served
      outcome.demanded += demand[day]
      outcome.filled += served
      outcome.onHandDays += onHand
      outcome.days += 1
    }
    return outcome
  }

  /// The forecast of the next 3 months from the first `months` complete months (from the first
  /// month with demand on, SPEC 7), and its σ; nothing when there is no demand yet.
  static func monthlyForecast(demand: [Int], monthStarts: [Int], months: Int) -> (
    forecast: [Double], sigma: Double
  ) {
    guard months >= 1 else { return ([], 0) }
    var series: [Double] = []
    for i in 0..<months {
      let total = demand[monthStarts[i]..<min(demand.count, monthStarts[i + 1])].reduce(0, +)
      if total > 0 || !series.isEmpty { series.append(Double(total)) }
    }
    guard let choice = Forecaster.choose(series, seasonLength: 12, horizon: 3) else {
      return ([], 0)
    }
    return (choice.fit.forecast(3).map(\.forecast), choice.fit.sigma)
  }
}
