/// What `erpctl generate` simulates: how long, how many customers, reps and products, the seed
/// and the first day. The same options always give the same history, byte for byte.
public struct GenerateOptions: Sendable, Equatable {
  public var months: Int
  public var customers: Int
  public var reps: Int
  public var products: Int
  public var seed: UInt64
  public var start: CivilDate

  public static let monthsRange = 1...240
  public static let customersRange = 1...2_000_000
  public static let repsRange = 1...10_000
  public static let productsRange = 1...200_000
  /// The first day must leave room for the whole history before year 9999.
  public static let startYears = 1971...9000

  public init(
    months: Int = 24, customers: Int = 400, reps: Int = 12, products: Int = 60, seed: UInt64 = 1,
    start: CivilDate = CivilDate(year: 2025, month: 1, day: 1)!
  ) {
    (self.months, self.customers, self.reps, self.products) = (months, customers, reps, products)
    (self.seed, self.start) = (seed, start)
  }

  /// The first problem with these options, in words (nil when they are usable).
  public var problem: String? {
    func outside(_ name: String, _ value: Int, _ range: ClosedRange<Int>) -> String? {
      range.contains(value)
        ? nil : "'--\(name)' must be between \(range.lowerBound) and \(range.upperBound), got \(value)."
    }
    if let p = outside("months", months, Self.monthsRange) { return p }
    if let p = outside("customers", customers, Self.customersRange) { return p }
    if let p = outside("reps", reps, Self.repsRange) { return p }
    if let p = outside("products", products, Self.productsRange) { return p }
    let year = start.components.year
    if !Self.startYears.contains(year) {
      let (lo, hi) = (Self.startYears.lowerBound, Self.startYears.upperBound)
      return "'--start' must be a date in the years \(lo)–\(hi), got \(start)."
    }
    return nil
  }

  /// The day after the last simulated day: `start` plus `months` calendar months (clamped to
  /// the month's last day, so 2025-01-31 + 1 month is 2025-02-28).
  public var end: CivilDate {
    let (y, m, d) = start.components
    let total = (y * 12 + m - 1) + months
    let year = total / 12
    let month = total % 12 + 1
    let day = min(d, CivilDate.daysIn(month: month, year: year))
    return CivilDate(year: year, month: month, day: day) ?? start
  }
}

/// What a generation run produced.
public struct GenerateSummary: Sendable, Equatable {
  /// Events written, in total and per type (sorted by type name).
  public var events: Int
  public var byType: [(type: String, count: Int)]
  /// Primary events the rules refused (a generator bug; skipped, never written) and the first
  /// few reasons.
  public var refused: Int
  public var refusals: [String]
  /// Customers registered by the end, orders confirmed, and sales lost to short stock (orders
  /// not placed because nothing of them could be delivered).
  public var customersRegistered: Int
  public var orders: Int
  public var lostSales: Int

  public static func == (a: GenerateSummary, b: GenerateSummary) -> Bool {
    a.events == b.events && a.byType.map(\.type) == b.byType.map(\.type)
      && a.byType.map(\.count) == b.byType.map(\.count) && a.refused == b.refused
      && a.refusals == b.refusals && a.customersRegistered == b.customersRegistered
      && a.orders == b.orders && a.lostSales == b.lostSales
  }
}
