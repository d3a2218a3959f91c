import ArgumentParser
import ERPCore
import ERPStore

extension CustomerReport.TimeUnit: ExpressibleByArgument {}

extension ERPCommand.Report {
  struct Customers: ERPSubcommand {
    static let configuration = CommandConfiguration(
      commandName: "customers",
      abstract: "Customer value: RFM scores and segments, historical LTV, BG/NBD + Gamma-Gamma CLV.",
      discussion: """
        Columns: customer, orders, revenue, gross_profit, aov, first_order, last_order,
        recency_days, frequency, monetary, r, f, m, segment, ltv_historical, p_alive,
        expected_purchases, clv, status. The period (default all history) bounds orders,
        frequency, monetary, aov, revenue and gross_profit and so the RFM scores; first and
        last order, recency, status, ltv_historical and the model use all history up to
        --as-of. With --by region|channel|tier, one row per group instead. The JSON form adds
        the summary (customers, new customers, repurchase rate, Pareto share, dormant
        high-value customers, segment counts) and the sections model, cac, ltv_cac,
        dormant_high_value and pareto_curve. See erpctl(1), CUSTOMER VALUE MODEL.
        Examples: erpctl report customers --sort clv --top 20
                  erpctl report customers --segment at_risk --format csv
                  erpctl report customers --status dormant --sort ltv_historical
        """)

    @OptionGroup var store: StoreLocation
    @OptionGroup var report: ReportOptions
    @Option(name: .customLong("dormant-days"), help: "Dormant after this many days without an order.")
    var dormantDays = 90
    @Option(help: "Months of predicted purchases and CLV.") var horizon = 12
    @Option(name: .customLong("discount-rate"), help: "Monthly discount rate of the CLV (0.01 = 1 %).")
    var discountRate = 0.01
    @Option(name: .customLong("time-unit"), help: "Time unit of the BG/NBD model.")
    var timeUnit: CustomerReport.TimeUnit = .day
    @Option(help: "Only customers of this RFM segment.") var segment: String?
    @Option(help: "Only active or dormant customers.") var status: String?

    func validate() throws {
      guard dormantDays >= 0 else { throw ValidationError("'--dormant-days' must be 0 or more, got \(dormantDays).") }
      guard (1...120).contains(horizon) else { throw ValidationError("'--horizon' must be 1 to 120 months, got \(horizon).") }
      guard discountRate >= 0, discountRate < 1 else {
        throw ValidationError("'--discount-rate' must be at least 0 and below 1, got \(discountRate).")
      }
      if let segment, !CustomerReport.segments.contains(segment) {
        throw ValidationError("'--segment': unknown segment '\(segment)'; one of " + CustomerReport.segments.joined(separator: ", ") + ".")
      }
      if let status, !["active", "dormant"].contains(status) {
        throw ValidationError("'--status' must be active or dormant, got '\(status)'.")
      }
    }

    func execute() throws {
      let s = try store.open(readOnly: true)
      let today = Clock.today(in: s.metadata.timezone)
      let q = try report.resolve(today: today, dimensions: CustomerReport.dimensions)
      let p = CustomerProjection()
      let head = try s.replay([p], asOf: q.asOf)
      var o = CustomerReport.Options(asOf: q.asOf, window: q.window)
      o.by = q.by
      o.dormantDays = dormantDays
      o.horizonMonths = horizon
      o.discountRate = discountRate
      o.timeUnit = timeUnit
      o.segment = segment
      o.status = status
      o.moneyDigits = s.metadata.moneyDigits
      let meta = q.meta(
        report: "customers", seq: head.seq, hash: Hex.encode(head.hash),
        extra: [
          ("dormant_days", String(dormantDays)), ("horizon", String(horizon)), ("discount_rate", String(discountRate)),
          ("time_unit", timeUnit.rawValue),
        ])
      let (built, result) = CustomerReport.document(p, o, meta: meta)
      var doc = built
      if let e = result.modelError { Output.error("warning: the CLV model was not fitted: \(e)") }
      if result.model?.atBound == true {
        Output.error("warning: the BG/NBD fit ended at a parameter bound (too little history?); p_alive, expected_purchases and clv are unreliable")
      }
      if let e = result.model?.gammaGammaError {
        Output.error("warning: the Gamma-Gamma spend model was not fitted (clv is 0): \(e)")
      }
      try report.emit(&doc, q)
    }
  }
}
