import ERPCore
import ERPStore
import Foundation

/// Issue 5's figures: on a generated store, (a) a full replay of the sales projection in
/// process, (b) `erpctl report sales --by rep,month` end to end (process start included): cold
/// (building the persisted projection), warm after 1,000 new primary events, warm with nothing
/// new; (c) the peak memory of each; and, when Python has DuckDB, the same report's booked and
/// revenue by rep and month computed by DuckDB from `erpctl export` (`Benchmarks/duckdb_sales.py`).
enum ReportBench {
  static func run(events: Int, dir: String, binary: String, script: String) throws -> String {
    let months = 36
    let customers = max(20, events / 72)
    let file = dir + "/history.jsonl"
    let gen = ImportBench.spawn(binary, [
      "generate", "--months", String(months), "--customers", String(customers),
      "--reps", String(max(4, customers / 233)), "--products", String(max(20, min(customers / 7, 5000))),
      "--seed", "5", "--start", startDate(months: months), "--out", file,
    ])
    guard gen.status == 0 else { die("report bench: generate failed\(gen.why)") }
    // All but the last 1,000 lines now, the rest after the projection is built.
    let text = try String(contentsOfFile: file, encoding: .utf8)
    var lines = text.split(separator: "\n", omittingEmptySubsequences: true)
    let tail = lines.suffix(1000)
    lines.removeLast(tail.count)
    try (lines.joined(separator: "\n") + "\n").write(toFile: dir + "/head.jsonl", atomically: false, encoding: .utf8)
    try (tail.joined(separator: "\n") + "\n").write(toFile: dir + "/tail.jsonl", atomically: false, encoding: .utf8)
    lines = []
    let store = dir + "/store.lmdb"
    let initRun = ImportBench.spawn(binary, ["init", "--store", store])
    guard initRun.status == 0 else { die("report bench: init failed\(initRun.why)") }
    let headRun = ImportBench.spawn(binary, ["import", "--store", store, "-q", "--commit-every", "50000", dir + "/head.jsonl"])
    guard headRun.status == 0 else { die("report bench: import failed\(headRun.why)") }

    // (a) A full replay of the sales projection, in process: the import's pages written out
    // first (the kernel's writeback would compete with the replay), then the median of five (the
    // first replays right after the import ran up to 1.7 times the later ones).
    sync()
    let s = try EventStore.open(at: store, options: StoreOptions(readOnly: true))
    let stored = Int(try s.count())
    let before = Resident.now()
    var kept: SalesProjection?
    var replays = [try timed { kept = try s.replaySales() }]
    let after = Resident.now()  // what the first replay holds
    let facts = kept?.facts.count ?? 0
    kept = nil
    for _ in 0..<4 { replays.append(try timed { _ = try s.replaySales() }) }
    let replay = replays.sorted { $0.wall < $1.wall }[2]
    var md = "Store: `erpctl generate --months \(months) --customers \(customers) --seed 5 --start \(startDate(months: months))`, all but the last 1,000 "
    md += "primary events imported: \(stored) stored events.\n\n"
    md += "| measure | value |\n|---|---:|\n"
    md += "| (a) full replay of the sales projection, in process, median of 5 (\(replays.map { String(format: "%.2f", $0.wall) }.joined(separator: ", ")) s) | \(String(format: "%.2f", replay.wall)) s, \(rate(Double(stored) / replay.wall)) (CPU \(String(format: "%.2f", replay.cpu)) s, \(rate(Double(stored) / replay.cpu)) of CPU), \(facts) facts |\n"
    md += "| (a) heap held by the replayed projection | \(mib(after.anon - before.anon)) |\n"

    let report = ["report", "sales", "--store", store, "--by", "rep,month", "--format", "csv"]
    let cold = ImportBench.spawn(binary, report, stdout: dir + "/cold.csv")
    let tailRun = ImportBench.spawn(binary, ["import", "--store", store, "-q", dir + "/tail.jsonl"])
    guard tailRun.status == 0 else { die("report bench: import of the last 1,000 failed\(tailRun.why)") }
    let afterNew = ImportBench.spawn(binary, report, stdout: dir + "/warm1.csv")
    var warm: [ImportBench.ChildRun] = []
    for _ in 0..<5 { warm.append(ImportBench.spawn(binary, report, stdout: dir + "/warm.csv")) }
    let warmMedian = warm.map(\.wall).sorted()[2]
    let warmCPU = warm.map(\.cpu).sorted()[2]
    func cpu(_ r: ImportBench.ChildRun) -> String { ", CPU \(ms(r.cpu))" }
    for r in [cold, afterNew] + warm where r.status != 0 { die("report bench: report sales exited \(r.status)\(r.why)") }
    md += "| (b) `report sales --by rep,month`, cold (builds and stores the projection) | \(ms(cold.wall))\(cpu(cold)), peak RSS \(mib(cold.peakRSS)), anonymous \(mib(cold.peakAnon)) |\n"
    md += "| (b) the same after 1,000 new primary events (catch-up included) | \(ms(afterNew.wall))\(cpu(afterNew)), peak RSS \(mib(afterNew.peakRSS)), anonymous \(mib(afterNew.peakAnon)) |\n"
    md += "| (b) the same with nothing new, median of 5 | \(ms(warmMedian)), CPU \(ms(warmCPU)) |\n"

    // DuckDB from the export, when Python has it.
    let export = ImportBench.spawn(binary, ["export", "--store", store], stdout: dir + "/export.jsonl")
    guard export.status == 0 else { die("report bench: export failed") }
    let duck = ImportBench.spawn("/usr/bin/env", ["python3", script, dir + "/export.jsonl", dir + "/duckdb.csv"])
    if duck.status == 0, let timing = try? String(contentsOfFile: dir + "/duckdb.csv.time", encoding: .utf8) {
      let parts = timing.split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { Double($0) }
      if parts.count == 2 {
        md += "| DuckDB: load the export (JSON Lines) | \(ms(parts[0])) |\n"
        md += "| DuckDB: booked and revenue by rep and month | \(ms(parts[1])) |\n"
        md += String(format: "| ratio: replay (a) ÷ DuckDB load + query | %.2f |\n", replay.wall / (parts[0] + parts[1]))
        md += String(format: "| ratio: warm report (b) ÷ DuckDB load + query | %.3f |\n", afterNew.wall / (parts[0] + parts[1]))
        md += "| DuckDB agrees with erpctl on booked and revenue per rep and month | \(try agree(dir + "/warm.csv", dir + "/duckdb.csv")) |\n"
      }
    } else {
      md += "| DuckDB comparison | skipped: `python3 -c 'import duckdb'` fails (pip install duckdb) |\n"
    }
    return md
  }

  /// The first day of the month `months` before this one, so the history ends with the last
  /// full month: a report for today then reads the persisted projection (events dated after the
  /// as-of day would make it replay the log instead).
  static func startDate(months: Int) -> String {
    wallClock().civil(offsetSeconds: 8 * 3600).date.firstOfMonth(monthsBefore: months).description
  }

  static func ms(_ s: Double) -> String { String(format: "%.0f ms", s * 1000) }

  /// Whether both CSVs give the same booked and revenue per (rep, month).
  static func agree(_ erpctl: String, _ duck: String) throws -> String {
    func table(_ path: String, _ columns: [String]) throws -> [String: [String]] {
      let rows = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map {
        $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
      }
      guard let header = rows.first else { return [:] }
      let idx = columns.compactMap { header.firstIndex(of: $0) }
      guard idx.count == columns.count else { return [:] }
      var out: [String: [String]] = [:]
      for r in rows.dropFirst() where r.count == header.count {
        out[r[idx[0]] + "|" + r[idx[1]]] = idx.dropFirst(2).map { r[$0] }
      }
      return out
    }
    let a = try table(erpctl, ["rep", "month", "booked", "revenue"])
    let b = try table(duck, ["rep", "month", "booked", "revenue"])
    // A group with only payments has no booked or revenue: DuckDB has no row for it.
    let zero = ["0.00", "0.00"]
    let differ = a.filter { (b[$0.key] ?? zero) != $0.value }.count + b.filter { a[$0.key] == nil && $0.value != zero }.count
    return differ == 0 ? "yes, all \(a.count) rows" : "NO: \(differ) of \(a.count) rows differ"
  }
}

extension ReportBench {
  /// (a) alone on an existing store: `rounds` full replays of the sales projection in process,
  /// each line with its wall and CPU time and a fingerprint of the fold (facts, tuples, items,
  /// open invoices and a sum over the facts), so that two builds can be compared on one store.
  static func replay(store: String, rounds: Int) throws -> String {
    let s = try EventStore.open(at: store, options: StoreOptions(readOnly: true))
    let stored = Int(try s.count())
    var md = "| round | wall | CPU | events/s (wall) | fingerprint |\n|---:|---:|---:|---:|---|\n"
    for round in 1...rounds {
      var p: SalesProjection?
      let t = try timed { p = try s.replaySales() }
      guard let p else { continue }
      var sum: UInt64 = 0
      for f in p.facts {
        sum = sum &* 31 &+ f.seq &+ UInt64(bitPattern: f.amount) &+ UInt64(f.tuple) << 20 &+ UInt64(f.item) << 40
          &+ UInt64(f.measure.rawValue) &+ UInt64(bitPattern: Int64(f.day))
      }
      let print = "\(p.facts.count) facts, \(p.tuples.count) tuples, \(p.items.count) items, \(p.openInvoices.count) open, \(String(sum, radix: 16))"
      md += "| \(round) | \(String(format: "%.2f", t.wall)) s | \(String(format: "%.2f", t.cpu)) s | \(rate(Double(stored) / t.wall)) | \(print) |\n"
    }
    return md
  }
}
