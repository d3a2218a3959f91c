import ERPTestSupport
import Foundation
import Testing

/// `erpctl report receivables` through the binary on `Fixtures/reports/sales-small.jsonl`.
/// The figures are worked out by hand in `Tests/ERPStoreTests/ReceivablesReportTests.swift`:
/// INV-SH-1 (C-1, R-1) 1100.00 issued 2026-10-06, due 11-05, 500.00 matched on 11-04, 50.00
/// credited on 11-10; INV-SH-2 (C-2, R-2) 200.00 issued 11-02, due 12-02, paid on 11-20.
@Suite("report receivables")
struct ReportReceivablesTests {
  static let header =
    "open_invoices,receivables,current,overdue,aging_0_30,aging_31_60,aging_61_90,aging_90_plus,oldest_due"

  @Test func byCustomerRepAndInvoiceAsCSV() throws {
    let dir = try TemporaryDirectory("erpctl-rcv")
    defer { dir.remove() }
    let s = try ReportSalesTests.store(dir)

    // 11-05: INV-SH-1 is due that day (600.00 open after PAY-1): still current.
    let nov5 = try erpctl(["report", "receivables", "--store", s, "--as-of", "2026-11-05", "--format", "csv"])
    #expect(nov5.exited(0), "\(describe(nov5))")
    #expect(nov5.outLines == [
      "customer," + Self.header,
      "C-1,1,600.00,600.00,0.00,0.00,0.00,0.00,0.00,2026-11-05",
      "C-2,1,200.00,200.00,0.00,0.00,0.00,0.00,0.00,2026-12-02",
    ], "\(describe(nov5))")

    // 12-31: only INV-SH-1, 550.00 after the credit note, 56 days past due.
    let dec31 = try erpctl(["report", "receivables", "--store", s, "--by", "rep", "--as-of", "2026-12-31", "--format", "csv"])
    #expect(dec31.outLines == [
      "rep," + Self.header,
      "R-1,1,550.00,0.00,550.00,0.00,550.00,0.00,0.00,2026-11-05",
    ], "\(describe(dec31))")

    // One row per invoice, with its due date and days overdue (0 when not due yet).
    let invoices = try erpctl([
      "report", "receivables", "--store", s, "--by", "customer,invoice", "--as-of", "2026-11-06", "--format", "csv",
    ])
    #expect(invoices.outLines == [
      "customer,invoice," + Self.header + ",due,days_overdue",
      "C-1,INV-SH-1,1,600.00,0.00,600.00,600.00,0.00,0.00,0.00,2026-11-05,2026-11-05,1",
      "C-2,INV-SH-2,1,200.00,200.00,0.00,0.00,0.00,0.00,0.00,2026-12-02,2026-12-02,0",
    ], "\(describe(invoices))")

    // A period keeps the invoices issued in it: November holds INV-SH-2 only.
    let nov = try erpctl([
      "report", "receivables", "--store", s, "--period", "2026-11", "--as-of", "2026-11-06", "--format", "csv",
    ])
    #expect(nov.outLines.dropFirst() == ["C-2,1,200.00,200.00,0.00,0.00,0.00,0.00,0.00,2026-12-02"], "\(describe(nov))")

    // Before the first invoice: the header alone.
    let none = try erpctl(["report", "receivables", "--store", s, "--as-of", "2026-10-01", "--format", "csv"])
    #expect(none.outLines == ["customer," + Self.header], "\(describe(none))")
  }

  @Test func jsonSummaryWithDSOAndTheAgingBoundaries() throws {
    let dir = try TemporaryDirectory("erpctl-rcv")
    defer { dir.remove() }
    let s = try ReportSalesTests.store(dir)

    func report(_ asOf: String) throws -> [String: Any] {
      let r = try erpctl(["report", "receivables", "--store", s, "--as-of", asOf, "--format", "json"])
      #expect(r.exited(0), "\(describe(r))")
      return try jsonObject(r.out)
    }

    // 12-31: revenue of 2026-10-03 … 12-31 = 1100.00 + 200.00 − 50.00 = 1250.00;
    // DSO = 550.00 / 1250.00 × 90 = 39.6.
    let dec31 = try report("2026-12-31")
    let meta = try #require(dec31["meta"] as? [String: Any])
    #expect(meta["report"] as? String == "receivables")
    #expect(int(meta["seq"]) == 31)
    #expect(meta["as_of"] as? String == "2026-12-31")
    #expect(meta["period"] is NSNull)
    #expect(meta["attribution"] as? String == "event")
    let rows = try #require(dec31["rows"] as? [[String: Any]])
    #expect(rows.count == 1)
    #expect(rows.first?["customer"] as? String == "C-1")
    #expect(rows.first?["aging_31_60"] as? String == "550.00")
    let summary = try #require(dec31["summary"] as? [String: Any])
    #expect(int(summary["open_invoices"]) == 1)
    #expect(summary["receivables"] as? String == "550.00")
    #expect(summary["overdue"] as? String == "550.00")
    #expect(summary["current"] as? String == "0.00")
    #expect(summary["oldest_due"] as? String == "2026-11-05")
    #expect(summary["revenue_90d"] as? String == "1250.00")
    #expect((summary["dso"] as? NSNumber)?.doubleValue == 39.6)

    // 2027-01-04: 60 days past due (still 31–60); the window starts on 2026-10-07 and leaves out
    // INV-SH-1's 1100.00: 150.00, DSO = 550.00 / 150.00 × 90 = 330.
    let jan4 = try report("2027-01-04")
    let jan4Summary = try #require(jan4["summary"] as? [String: Any])
    #expect(jan4Summary["aging_31_60"] as? String == "550.00")
    #expect(jan4Summary["revenue_90d"] as? String == "150.00")
    #expect((jan4Summary["dso"] as? NSNumber)?.doubleValue == 330)

    // 2027-02-04: 91 days past due; the window (from 2026-11-07) holds only the credit note.
    let feb4 = try report("2027-02-04")
    let feb4Summary = try #require(feb4["summary"] as? [String: Any])
    #expect(feb4Summary["aging_61_90"] as? String == "0.00")
    #expect(feb4Summary["aging_90_plus"] as? String == "550.00")
    #expect(feb4Summary["revenue_90d"] as? String == "-50.00")
    #expect(feb4Summary["dso"] is NSNull)
  }

  @Test func tableSortAndUsageErrors() throws {
    let dir = try TemporaryDirectory("erpctl-rcv")
    defer { dir.remove() }
    let s = try ReportSalesTests.store(dir)
    // Sorted by days overdue, biggest first.
    let sorted = try erpctl([
      "report", "receivables", "--store", s, "--by", "invoice", "--as-of", "2026-11-06", "--sort", "days_overdue",
      "--format", "jsonl",
    ])
    #expect(sorted.exited(0), "\(describe(sorted))")
    let lines = try sorted.outLines.map { try jsonObject($0) }
    #expect(lines.map { $0["invoice"] as? String } == ["INV-SH-1", "INV-SH-2"])
    #expect(lines.map { int($0["days_overdue"]) } == [1, 0])

    let table = try erpctl(["report", "receivables", "--store", s, "--as-of", "2026-12-31", "--lang", "zh"])
    #expect(table.exited(0), "\(describe(table))")
    #expect(table.out.contains("应收账款") && table.out.contains("31-60天"), "\(describe(table))")
    #expect(table.outLines.last?.hasPrefix("报表 receivables") == true, "\(describe(table))")

    // Today's view (the persisted projection, or a replay when the log runs past today), then
    // verify: the stored projection equals a replay.
    #expect(try erpctl(["report", "receivables", "--store", s]).exited(0))
    #expect(try erpctl(["verify", "--store", s]).exited(0))

    #expect(try erpctl(["report", "receivables", "--store", s, "--by", "product"]).exited(64))
    #expect(try erpctl(["report", "receivables", "--store", s, "--sort", "colour"]).exited(64))
  }
}
