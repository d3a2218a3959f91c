import ArgumentParser
import ERPCore
import ERPStore

extension DemandSeries.Interval: ExpressibleByArgument {}

extension ERPCommand {
  struct Forecast: ERPSubcommand {
    static let configuration = CommandConfiguration(
      commandName: "forecast",
      abstract: "Demand forecast per SKU (or line, or in total) with 80 % and 95 % intervals.",
      discussion: """
        Demand = confirmed order quantity per period (orders cancelled before shipping all of
        it count what shipped), from the SKU's first period with demand to the last period
        complete on --as-of. For each series a model is chosen automatically on a validation
        split inside the history (naive, snaive, ses, holt, holt_damped, hw_add, hw_mul,
        hw_add_damped, hw_mul_damped, croston, sba); the `models` section says which and why.
        Columns: sku (or line, total), period, forecast, lo80, hi80, lo95, hi95, model.
        --backtest: rolling-origin evaluation instead; columns sku, model, mase, smape,
        naive_mase, naive_smape, owa. See erpctl(1), FORECASTING AND REPLENISHMENT.
        Examples: erpctl forecast --sku P-100 --horizon 6
                  erpctl forecast --by line --format csv
                  erpctl forecast --backtest --interval month --format json
        """)

    @OptionGroup var store: StoreLocation
    @OptionGroup var report: ReportOptions
    @Option(help: "Only this SKU (or line with --by line); repeatable.") var sku: [String] = []
    @Option(help: "Periods to forecast (default 12 months or 13 weeks).") var horizon: Int?
    @Option(help: "month or week.") var interval: DemandSeries.Interval = .month
    @Flag(help: "Rolling-origin backtest: MASE and sMAPE of the chosen model and of seasonal naive.")
    var backtest = false
    @Option(help: "Rolling origins of the backtest.") var origins = 3

    func validate() throws {
      if let horizon, !(1...104).contains(horizon) {
        throw ValidationError("'--horizon' must be 1 to 104 periods, got \(horizon).")
      }
      guard (1...24).contains(origins) else { throw ValidationError("'--origins' must be 1 to 24, got \(origins).") }
      try report.refuseWindow(for: "forecast")
    }

    func execute() throws {
      let s = try store.open(readOnly: true)
      let today = Clock.today(in: s.metadata.timezone)
      let q = try report.resolve(today: today, dimensions: ForecastReport.Level.allCases.map(\.rawValue))
      guard q.by.count <= 1 else { throw ValidationError("'--by' takes one of sku, line, total.") }
      var o = ForecastReport.Options(asOf: q.asOf)
      o.level = q.by.first.flatMap(ForecastReport.Level.init(rawValue:)) ?? .sku
      o.keys = sku
      o.interval = interval
      o.horizon = horizon
      o.origins = origins
      let p = InventoryProjection()
      let head = try s.replay([p], asOf: q.asOf)
      let series = ForecastReport.series(p, o)
      let found = Set(series.map(\.key))
      for key in sku where !found.contains(key) {
        Output.error("warning: '\(key)' has no demand in a period complete on \(q.asOf) (unknown, or nothing ordered yet)")
      }
      let meta = q.meta(
        report: backtest ? "forecast-backtest" : "forecast", seq: head.seq, hash: Hex.encode(head.hash),
        extra: [("interval", interval.rawValue), ("horizon", String(horizon ?? interval.defaultHorizon))])
      var doc =
        backtest
        ? ForecastReport.backtestDocument(ForecastReport.backtests(series, o), o, meta: meta)
        : ForecastReport.document(ForecastReport.forecasts(series, o), o, meta: meta)
      try report.emit(&doc, q)
    }
  }

  struct Replenish: ERPSubcommand {
    static let configuration = CommandConfiguration(
      commandName: "replenish",
      abstract: "Purchase suggestions per SKU from the demand forecast: reorder point, quantity, cover.",
      discussion: """
        Columns: sku, on_hand, reserved, on_order, lead_time_days, demand_over_lead_time,
        safety_stock, reorder_point, suggested_qty, days_of_cover, status (order_now, ok,
        overstock), model, mase. Demand over lead time + review days comes from the monthly
        forecast; safety stock = z(service level) x sigma(one-step forecast error) x
        sqrt(lead time in months); reorder point = demand + safety stock; the suggestion
        brings the position (on hand - reserved + on order) up to the reorder point in whole
        packs. See erpctl(1), FORECASTING AND REPLENISHMENT.
        Examples: erpctl replenish --format csv > buy.csv
                  erpctl replenish --service-level 0.98 --review-days 14
        """)

    @OptionGroup var store: StoreLocation
    @OptionGroup var report: ReportOptions
    @Option(name: .customLong("service-level"), help: "Cycle service level, above 0.5 and below 1.")
    var serviceLevel = 0.95
    @Option(name: .customLong("review-days"), help: "Days between two reviews (orders).") var reviewDays = 7
    @Option(name: .customLong("overstock-days"), help: "Days of cover above which a SKU is overstocked.")
    var overstockDays = 180
    @Option(name: .customLong("lead-time-days"), help: "Lead time of products that name none.")
    var leadTimeDays = 14
    @Option(help: "Only this SKU; repeatable.") var sku: [String] = []
    @Flag(name: .customLong("no-backtest"), help: "Skip the per-SKU backtest (the mase column stays empty).")
    var noBacktest = false

    func validate() throws {
      guard serviceLevel > 0.5, serviceLevel < 1 else {
        throw ValidationError("'--service-level' must be above 0.5 and below 1, got \(serviceLevel).")
      }
      guard reviewDays >= 0, overstockDays > 0, leadTimeDays >= 0 else {
        throw ValidationError("'--review-days' and '--lead-time-days' must be 0 or more, '--overstock-days' above 0.")
      }
      try report.refuseWindow(for: "replenish")
      guard report.by.isEmpty else { throw ValidationError("replenish takes no '--by'.") }
    }

    func execute() throws {
      let s = try store.open(readOnly: true)
      let today = Clock.today(in: s.metadata.timezone)
      let q = try report.resolve(today: today, dimensions: [])
      let p = InventoryProjection()
      let head = try s.replay([p], asOf: q.asOf)
      var o = ReplenishReport.Options(asOf: q.asOf)
      o.serviceLevel = serviceLevel
      o.reviewDays = reviewDays
      o.overstockDays = Double(overstockDays)
      o.defaultLeadTimeDays = leadTimeDays
      o.backtest = !noBacktest
      o.skus = sku
      for key in sku where p.products[key] == nil { Output.error("warning: no product '\(key)' is defined") }
      let meta = q.meta(
        report: "replenish", seq: head.seq, hash: Hex.encode(head.hash),
        extra: [("service_level", String(serviceLevel)), ("review_days", String(reviewDays))])
      var doc = ReplenishReport.document(ReplenishReport.lines(p, o), meta: meta)
      try report.emit(&doc, q)
    }
  }
}

extension ReportOptions {
  /// For the commands whose history always runs to the as-of date: `--period`, `--from`,
  /// `--to` and `--attribution` are usage errors.
  func refuseWindow(for command: String) throws {
    if period != nil || from != nil || to != nil {
      throw ValidationError(
        "\(command) takes no '--period', '--from' or '--to': its history runs to the last complete period on --as-of.")
    }
    if attribution != .event { throw ValidationError("\(command) takes no '--attribution'.") }
  }
}
