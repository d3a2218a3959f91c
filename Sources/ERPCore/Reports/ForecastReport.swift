/// `erpctl forecast` and `erpctl replenish` (SPEC 5, 6, 7 "Forecast"; issue 8): demand series
/// from the inventory projection, the automatically chosen model per series, its backtest, and
/// the replenishment policy. Values only.
public enum ForecastReport {
  /// What a series is of: one per SKU, per product line, or the total.
  public enum Level: String, Sendable, CaseIterable {
    case sku, line, total
  }

  public struct Options: Sendable {
    public var asOf: CivilDate
    public var interval = DemandSeries.Interval.month
    public var level = Level.sku
    /// Only these keys (SKUs, or lines with `--by line`); all when empty.
    public var keys: [String] = []
    public var horizon: Int?
    /// Rolling origins of the backtest.
    public var origins = 3
    public init(asOf: CivilDate) { self.asOf = asOf }
  }

  /// The demand series of the level, in key order (SKUs in definition order, then any SKU
  /// ordered without a definition; lines and the total sorted).
  public static func series(_ p: InventoryProjection, _ o: Options) -> [DemandSeries] {
    var daily: [(String, [CivilDate: Int64])] = []
    let known = p.skus + p.demand.keys.filter { p.products[$0] == nil }.sorted {
      $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars)
    }
    switch o.level {
    case .sku:
      daily = known.compactMap { s in p.demand[s].map { (s, $0) } }
    case .line:
      var byLine: [String: [CivilDate: Int64]] = [:]
      for (sku, days) in p.demand {
        let line = p.products[sku]?.line ?? ""
        for (d, q) in days { byLine[line, default: [:]][d, default: 0] += q }
      }
      daily = byLine.sorted { $0.key.unicodeScalars.lexicographicallyPrecedes($1.key.unicodeScalars) }.map { ($0.key, $0.value) }
    case .total:
      var all: [CivilDate: Int64] = [:]
      for (_, days) in p.demand { for (d, q) in days { all[d, default: 0] += q } }
      daily = [("total", all)]
    }
    if !o.keys.isEmpty { daily = daily.filter { o.keys.contains($0.0) } }
    return daily.compactMap { DemandSeries.build(key: $0.0, daily: $0.1, interval: o.interval, asOf: o.asOf) }
  }

  /// One series' forecast: the chosen model and its points.
  public struct Forecast: Sendable {
    public var series: DemandSeries
    public var choice: ForecastChoice
    public var points: [ForecastPoint]
  }

  public static func forecasts(_ p: InventoryProjection, _ o: Options) -> [Forecast] {
    forecasts(series(p, o), o)
  }

  /// The forecast of each of `series` (built by `series(_:_:)` with the same options).
  public static func forecasts(_ series: [DemandSeries], _ o: Options) -> [Forecast] {
    let h = o.horizon ?? o.interval.defaultHorizon
    let season = o.interval.seasonLength
    // Each series' fit is independent of the others': on every core.
    return series.concurrentMap { s -> Forecast? in
      guard let c = Forecaster.choose(s.values, seasonLength: season, horizon: h) else { return nil }
      return Forecast(series: s, choice: c, points: c.fit.forecast(h))
    }.compactMap { $0 }
  }

  static func qty(_ x: Double) -> Cell { ReportMath.decimal(x, scale: 2) }

  /// The forecast rows (SPEC 6): key, period, forecast, lo80, hi80, lo95, hi95, model; the
  /// `models` section gives each series' model and the reason it was chosen.
  public static func document(_ fs: [Forecast], _ o: Options, meta: ReportMeta) -> ReportDocument {
    let columns = [
      Column(o.level.rawValue, .text), Column("period", .text), Column("forecast", .decimal), Column("lo80", .decimal),
      Column("hi80", .decimal), Column("lo95", .decimal), Column("hi95", .decimal), Column("model", .text),
    ]
    var rows: [[Cell]] = []
    for f in fs {
      let periods = f.series.futurePeriods(f.points.count, interval: o.interval)
      for (pt, key) in zip(f.points, periods) {
        rows.append([
          .text(f.series.key), .text(key), qty(pt.forecast), qty(pt.lo80), qty(pt.hi80), qty(pt.lo95), qty(pt.hi95),
          .text(f.choice.model.rawValue),
        ])
      }
    }
    return ReportDocument(
      meta: meta, columns: columns, rows: rows,
      summary: [("series", .int(Int64(fs.count)))],
      sections: [
        ("models", fs.map { f in
          (f.series.key, .text("\(f.choice.model.rawValue): \(f.choice.reason); history \(f.series.periods.first ?? "")..\(f.series.periods.last ?? "")"))
        })
      ])
  }

  /// One series' backtest.
  public struct Backtest: Sendable {
    public var key: String
    public var result: BacktestResult
  }

  public static func backtests(_ p: InventoryProjection, _ o: Options) -> [Backtest] {
    backtests(series(p, o), o)
  }

  /// The backtest of each of `series` (built by `series(_:_:)` with the same options).
  public static func backtests(_ series: [DemandSeries], _ o: Options) -> [Backtest] {
    let h = o.horizon ?? o.interval.defaultHorizon
    let (season, origins) = (o.interval.seasonLength, o.origins)
    return series.concurrentMap { s -> Backtest? in
      Forecaster.backtest(s.values, seasonLength: season, horizon: h, origins: origins)
        .map { Backtest(key: s.key, result: $0) }
    }.compactMap { $0 }
  }

  /// The backtest rows (SPEC 6): key, model, mase, smape, naive_mase, naive_smape, then owa;
  /// the summary gives the means over the series that have each figure.
  public static func backtestDocument(_ bs: [Backtest], _ o: Options, meta: ReportMeta) -> ReportDocument {
    func d(_ x: Double?) -> Cell { x.map { ReportMath.decimal($0, scale: 4) } ?? .null }
    let columns = [
      Column(o.level.rawValue, .text), Column("model", .text), Column("mase", .decimal), Column("smape", .decimal),
      Column("naive_mase", .decimal), Column("naive_smape", .decimal), Column("owa", .decimal),
    ]
    let rows: [[Cell]] = bs.map { b in
      let r = b.result
      return [.text(b.key), .text(r.model.rawValue), d(r.mase), d(r.smape), d(r.naiveMase), d(r.naiveSmape), d(r.owa)]
    }
    func mean(_ xs: [Double?]) -> Double? {
      let v = xs.compactMap { $0 }.filter(\.isFinite)
      return v.isEmpty ? nil : v.reduce(0, +) / Double(v.count)
    }
    let summary: [(String, Cell)] = [
      ("series", .int(Int64(bs.count))), ("mase", d(mean(bs.map(\.result.mase)))),
      ("smape", d(mean(bs.map(\.result.smape)))), ("naive_mase", d(mean(bs.map(\.result.naiveMase)))),
      ("naive_smape", d(mean(bs.map(\.result.naiveSmape)))), ("owa", d(mean(bs.map(\.result.owa)))),
    ]
    return ReportDocument(meta: meta, columns: columns, rows: rows, summary: summary)
  }
}

/// `erpctl replenish`: the policy of `Replenishment.plan` for every defined SKU.
public enum ReplenishReport {
  public struct Options: Sendable {
    public var asOf: CivilDate
    public var serviceLevel = 0.95
    public var reviewDays = 7
    public var overstockDays = 180.0
    /// For products that name no lead time.
    public var defaultLeadTimeDays = 14
    /// Backtest each SKU's forecast (one rolling origin) for the `mase` column.
    public var backtest = true
    public var skus: [String] = []
    public init(asOf: CivilDate) { self.asOf = asOf }
  }

  public struct Line: Sendable {
    public var plan: ReplenishmentLine
    public var model: ForecastModel?
    public var mase: Double?
    /// The seqs of the last stock movement and of the demand behind the forecast (alerts).
    public var seqs: [UInt64]
  }

  /// One line per defined SKU (in definition order), monthly forecasts over the lead time.
  public static func lines(_ p: InventoryProjection, _ o: Options) -> [Line] {
    let interval = DemandSeries.Interval.month
    var fo = ForecastReport.Options(asOf: o.asOf)
    fo.keys = o.skus
    let series = Dictionary(ForecastReport.series(p, fo).map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
    let skus = o.skus.isEmpty ? p.skus : p.skus.filter { o.skus.contains($0) }
    // Each SKU's model fit (and backtest) is independent of the others': on every core.
    let backtest = o.backtest
    let fits = skus.map { series[$0]?.values }.concurrentMap { values -> (ForecastChoice, Double?)? in
      guard let values,
        let c = Forecaster.choose(values, seasonLength: interval.seasonLength, horizon: interval.defaultHorizon)
      else { return nil }
      let mase = backtest
        ? Forecaster.backtest(values, seasonLength: interval.seasonLength, horizon: interval.defaultHorizon, origins: 1)?.mase
        : nil
      return (c, mase)
    }
    return zip(skus, fits).map { sku, fit in
      let product = p.products[sku]
      let stock = p.stock[sku] ?? InventoryProjection.Stock()
      let lead = Int(product?.leadTimeDays ?? Int64(o.defaultLeadTimeDays))
      var forecast: [Double] = [0]
      var sigma = 0.0
      var model: ForecastModel?
      var mase: Double?
      if let (c, m) = fit {
        forecast = c.fit.forecast(interval.defaultHorizon).map(\.forecast)
        sigma = c.fit.sigma
        model = c.model
        mase = m
      }
      let input = ReplenishmentInput(
        sku: sku, onHand: Int(stock.onHand), reserved: Int(stock.reserved), onOrder: Int(stock.onOrder),
        leadTimeDays: lead, reviewDays: o.reviewDays, packSize: Int(product?.packSize ?? 1), forecast: forecast,
        sigma: sigma, periodDays: interval.days, serviceLevel: o.serviceLevel, overstockDays: o.overstockDays)
      var seqs = p.demandSeqs[sku] ?? []
      if stock.lastSeq > 0 { seqs.append(stock.lastSeq) }
      return Line(plan: Replenishment.plan(input), model: model, mase: mase, seqs: seqs.sorted())
    }
  }

  /// The rows (SPEC 6): sku, on_hand, reserved, on_order, lead_time_days,
  /// demand_over_lead_time, safety_stock, reorder_point, suggested_qty, days_of_cover, status,
  /// then model and mase (how far to trust the forecast).
  public static func document(_ lines: [Line], meta: ReportMeta) -> ReportDocument {
    let columns = [
      Column("sku", .text), Column("on_hand", .int), Column("reserved", .int), Column("on_order", .int),
      Column("lead_time_days", .int), Column("demand_over_lead_time", .decimal), Column("safety_stock", .int),
      Column("reorder_point", .int), Column("suggested_qty", .int), Column("days_of_cover", .decimal),
      Column("status", .text), Column("model", .text), Column("mase", .decimal),
    ]
    let rows: [[Cell]] = lines.map { l in
      let p = l.plan
      return [
        .text(p.sku), .int(Int64(p.onHand)), .int(Int64(p.reserved)), .int(Int64(p.onOrder)), .int(Int64(p.leadTimeDays)),
        ReportMath.decimal(p.demandOverLeadTime, scale: 2), .int(Int64(p.safetyStock)), .int(Int64(p.reorderPoint)),
        .int(Int64(p.suggestedQty)), p.daysOfCover.map { ReportMath.decimal($0, scale: 1) } ?? .null,
        .text(p.status.rawValue), l.model.map { .text($0.rawValue) } ?? .null,
        l.mase.map { ReportMath.decimal($0, scale: 4) } ?? .null,
      ]
    }
    let count = { (s: ReplenishmentLine.Status) in Int64(lines.filter { $0.plan.status == s }.count) }
    return ReportDocument(
      meta: meta, columns: columns, rows: rows,
      summary: [
        ("skus", .int(Int64(lines.count))), ("order_now", .int(count(.orderNow))), ("ok", .int(count(.ok))),
        ("overstock", .int(count(.overstock))),
        ("suggested_qty", .int(lines.reduce(0) { $0 + Int64($1.plan.suggestedQty) })),
      ])
  }
}
