import ERPCore
import ERPStore
import Foundation

/// Issue 6's figures (and the other analytics commands' wall times on the same store):
/// `report customers` with the BG/NBD + Gamma-Gamma fit on a generated store of `customers`
/// customers, through the binary (wall time, peak memory), and in process the parts: the
/// replay of the customer projection, the report without the model, and the fit alone.
enum AnalyticsBench {
  static func run(customers: Int, months: Int, dir: String, binary: String) throws -> String {
    let file = dir + "/history.jsonl"
    let gen = ImportBench.spawn(binary, [
      "generate", "--months", String(months), "--customers", String(customers),
      "--reps", String(max(4, customers / 233)), "--products", String(max(20, min(customers / 7, 2000))),
      "--seed", "7", "--start", ReportBench.startDate(months: months), "--out", file,
    ])
    guard gen.status == 0 else { die("analytics bench: generate failed\(gen.why)") }
    let store = dir + "/store.lmdb"
    let initRun = ImportBench.spawn(binary, ["init", "--store", store])
    guard initRun.status == 0 else { die("analytics bench: init failed\(initRun.why)") }
    let imported = ImportBench.spawn(binary, ["import", "--store", store, "-q", "--commit-every", "50000", file])
    guard imported.status == 0 else { die("analytics bench: import failed\(imported.why)") }
    let s = try EventStore.open(at: store, options: StoreOptions(readOnly: true))
    let stored = Int(try s.count())

    var out = "Store: \(customers) customers over \(months) months, \(stored) events "
    out += "(generated in \(String(format: "%.1f", gen.wall)) s, imported in \(String(format: "%.1f", imported.wall)) s).\n\n"
    out += "| command (through the binary, process start included) | wall | peak RSS | peak anonymous RSS |\n|---|---:|---:|---:|\n"
    for args in [
      ["report", "customers", "--format", "csv"], ["report", "customers", "--format", "csv", "--time-unit", "week"],
      ["report", "funnel", "--period", "last-year", "--by", "source", "--format", "csv"],
      ["forecast", "--format", "csv"], ["forecast", "--backtest", "--format", "csv"],
      ["replenish", "--format", "csv"], ["alerts", "--format", "json"],
    ] {
      let r = ImportBench.spawn(binary, args + ["--store", store], stdout: "/dev/null")
      guard r.status == 0 || (args[0] == "alerts" && r.status == 1) else { die("analytics bench: \(args) exited \(r.status)\(r.why)") }
      out += "| `erpctl \(args.joined(separator: " "))` | \(ReportBench.ms(r.wall)) | \(mib(r.peakRSS)) | \(mib(r.peakAnon)) |\n"
    }
    // In process: the parts of `report customers`.
    let p = CustomerProjection()
    let today = CivilDate(daysSinceEpoch: Int32(Date().timeIntervalSince1970 / 86_400))
    let replay = try timed { _ = try s.replay([p], asOf: today) }
    var o = CustomerReport.Options(asOf: today, window: DateRange(from: DateRange.beginningOfTime, to: today.adding(days: 1)))
    o.moneyDigits = s.metadata.moneyDigits
    let without = timed { _ = CustomerReport.compute(p, o, model: false) }
    let inputs = Array(CustomerReport.modelInputs(p, o).values)
    var fit: CustomerReport.ModelFit?
    let fitting = try timed { fit = try CustomerReport.ModelFit.fit(inputs, unit: .day) }
    let with = timed { _ = CustomerReport.compute(p, o, model: true) }
    out += "\nIn process (\(inputs.count) customers with a purchase, \(fit?.repeatCustomers ?? 0) with repeat purchases):\n\n"
    out += "| part | wall | CPU |\n|---|---:|---:|\n"
    out += "| replay of the customer projection (\(p.book.sequence.count) orders) | \(ReportBench.ms(replay.wall)) | \(ReportBench.ms(replay.cpu)) |\n"
    out += "| the report's figures without the model (RFM, summary) | \(ReportBench.ms(without.wall)) | \(ReportBench.ms(without.cpu)) |\n"
    out += "| BG/NBD + Gamma-Gamma fit alone | \(ReportBench.ms(fitting.wall)) | \(ReportBench.ms(fitting.cpu)) |\n"
    out += "| the report's figures with the fit and every customer's CLV | \(ReportBench.ms(with.wall)) | \(ReportBench.ms(with.cpu)) |\n"
    if let m = fit?.bgnbd { out += "\nFitted (days): r \(m.r), α \(m.alpha), a \(m.a), b \(m.b).\n" }
    return out
  }
}
