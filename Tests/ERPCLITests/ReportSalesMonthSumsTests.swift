import ERPTestSupport
import Foundation
import Testing

/// `report sales` answered from the month pre-aggregate prints the same bytes as from the facts:
/// the same query with `--as-of` today (which replays the log and groups every fact) is the
/// reference.
@Suite("report sales from the month sums")
struct ReportSalesMonthSumsTests {
  @Test func monthSumsPrintWhatTheFactsPrint() throws {
    let dir = try TemporaryDirectory("erpctl-monthsums")
    defer { dir.remove() }
    let target = dir.file("demo")
    let r = try erpctl(["demo", "--dir", target, "--months", "4", "--customers", "40", "--start", "2026-06-01"])
    #expect(r.exited(0), "\(describe(r))")
    let s = "\(target)/erpctl.lmdb"
    let today = try erpctl(["report", "sales", "--store", s, "--format", "json"])
    #expect(today.exited(0), "\(describe(today))")
    let doc = try #require(try JSONSerialization.jsonObject(with: Data(today.stdout)) as? [String: Any])
    let day = try #require((doc["meta"] as? [String: Any])?["as_of"] as? String)
    let queries: [[String]] = [
      ["--by", "rep,month"], ["--by", "region"], ["--by", "product"], ["--by", "line,quarter"],
      ["--period", "2026-Q3"], ["--by", "rep", "--period", "2026-08"], ["--by", "product", "--period", "2026-07"],
      ["--by", "region,channel", "--attribution", "current"], ["--by", "team,year"],
      ["--by", "customer", "--from", "2026-07-01", "--to", "2026-09-01"],
    ]
    for q in queries {
      for format in ["csv", "json", "table"] {
        let sums = try erpctl(["report", "sales", "--store", s, "--format", format] + q)
        let facts = try erpctl(["report", "sales", "--store", s, "--format", format, "--as-of", day] + q)
        #expect(sums.exited(0) && facts.exited(0), "\(describe(sums)) \(describe(facts))")
        #expect(sums.stdout == facts.stdout, "\(q) \(format)")
      }
    }
  }
}
