import ERPTestSupport
import Foundation
import Testing

/// `report customers` and `report funnel` against an independent computation
/// (`Fixtures/crosscheck/rfm_funnel.py`, numpy's percentiles, run once on the export of this
/// generated history; its output is committed beside it).
@Suite("customers and funnel against the cross-check script")
struct CrossCheckTests {
  static let generate = ["generate", "-q", "--months", "12", "--customers", "120", "--reps", "4", "--products", "10",
    "--seed", "21", "--start", "2025-01-01"]

  @Test func rfmAndFunnelMatchTheScript() throws {
    let dir = try TemporaryDirectory("erpctl-crosscheck")
    defer { dir.remove() }
    let file = dir.file("h.jsonl")
    #expect(try erpctl(Self.generate + ["--out", file]).exited(0))
    let s = dir.file("s.lmdb")
    try initStore(s, ["--currency", "CNY", "--timezone", "Asia/Shanghai"])
    #expect(try erpctl(["import", "--store", s, file]).exited(0))
    let hint = "if `erpctl generate` changed, regenerate the expectations (see Fixtures/crosscheck/rfm_funnel.py)"

    let r = try erpctl(["report", "customers", "--store", s, "--as-of", "2025-12-31", "--format", "csv"])
    #expect(r.exited(0), "\(describe(r))")
    let header = r.outLines[0].split(separator: ",").map(String.init)
    let wanted = ["customer", "orders", "monetary", "revenue", "gross_profit", "recency_days", "r", "f", "m", "segment"]
    let index = wanted.map { header.firstIndex(of: $0)! }
    let got = r.outLines.dropFirst().map { line in
      let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
      return index.map { f[$0] }.joined(separator: ",")
    }.sorted()
    let expected = Array(try Fixtures.lines("crosscheck/expected-customers.csv").dropFirst()).sorted()
    #expect(got.count == expected.count, "\(hint)")
    for (a, b) in zip(got, expected) where a != b { Issue.record("erpctl \(a) ≠ script \(b); \(hint)") }

    let f = try erpctl(["report", "funnel", "--store", s, "--as-of", "2025-12-31", "--period", "2025-Q2", "--format", "csv"])
    #expect(f.exited(0), "\(describe(f))")
    let funnel = f.outLines.dropFirst().map { $0.split(separator: ",").prefix(2).joined(separator: ",") }
    #expect(funnel == Array(try Fixtures.lines("crosscheck/expected-funnel.csv").dropFirst()), "\(hint)")
  }
}
