import ERPTestSupport
import Foundation
import Testing

/// `erpctl import` of the CSV fixtures (layouts in the man page, CSV LAYOUTS).
@Suite("import (CSV)")
struct CSVImportTests {
  static func fixture(_ name: String) -> String { Fixtures.path("csv/\(name)") }

  /// The good fixtures in dependency order, with what each appends. Worked out by hand:
  /// orders reserve 3 + 2 + 1 lines; each shipment derives its invoice
  /// (INV-SH-2001 = 40 × 120.00 × 0.95 + 12 × 45.50 = 5106.00, INV-SH-2002 = 24 × 45.50 +
  /// 10 × 118.00 × 0.90 = 2154.00); PAY-2001 (3000.00) and PAY-2003 (2106) pay INV-SH-2001 off
  /// and PAY-2002 pays INV-SH-2002: three automatic matches; C-203 has no invoice, so the
  /// payments of bom_crlf.csv stay credit.
  static let files: [(type: String, file: String, summary: String)] = [
    ("CustomerRegistered", "customers.csv", "imported 3 events and 0 derived"),
    ("RepRegistered", "reps.csv", "imported 2 events and 0 derived"),
    ("ProductDefined", "products.csv", "imported 3 events and 0 derived"),
    ("StockReceived", "stock_received.csv", "imported 3 events and 0 derived"),
    ("OrderConfirmed", "orders.csv", "imported 3 events and 6 derived"),
    ("Shipped", "shipments.csv", "imported 2 events and 2 derived"),
    ("PaymentReceived", "payments.csv", "imported 3 events and 3 derived"),
    ("PaymentReceived", "bom_crlf.csv", "imported 2 events and 0 derived"),
  ]

  @Test func theGoodFixturesImportInOrderAndOnlyOnce() throws {
    let dir = try TemporaryDirectory("erpctl-csv")
    defer { dir.remove() }
    let s = dir.file("s.lmdb")
    try initStore(s)
    for f in Self.files {
      let r = try erpctl(["import", "--store", s, "--type", f.type, Self.fixture(f.file)])
      #expect(r.exited(0), "\(f.file): \(describe(r))")
      #expect(r.err.contains(f.summary + ", 0 already present, 0 rejected"), "\(f.file): \(describe(r))")
    }
    let log = try exportLines(s)
    #expect(log.count == 32)
    #expect(try erpctl(["verify", "--store", s]).exited(0))

    // The matches and their amounts, from the log.
    let matches = try log.map { try jsonObject($0) }.filter { $0["type"] as? String == "PaymentMatched" }
      .map { ($0["data"] as? [String: Any])?["amount"] as? String }
    #expect(matches == ["3000.00", "2154.00", "2106.00"])
    // A grouped order keeps its lines in file order and its own key.
    let so2001 = try #require(try log.map { try jsonObject($0) }.first { $0["key"] as? String == "erp:SO-2001" })
    let lines = try #require((so2001["data"] as? [String: Any])?["lines"] as? [[String: Any]])
    #expect(lines.map { $0["sku"] as? String } == ["W-10", "G-20", "S-30"])
    // The quoted name with a comma and a line break arrives whole.
    #expect(log.contains { $0.contains(#""name":"Nordic Supply AS\nOslo office""#) })

    // Again: nothing is appended. `--format csv` is implied by the .csv name.
    let again = try erpctl(["import", "--store", s, "--type", "OrderConfirmed", Self.fixture("orders.csv")])
    #expect(again.err.contains("imported 0 events and 0 derived, 3 already present"), "\(describe(again))")
    #expect(try exportLines(s) == log)
  }

  @Test func everyBadCellIsListedAndNothingIsAppended() throws {
    let dir = try TemporaryDirectory("erpctl-csv")
    defer { dir.remove() }
    let s = dir.file("s.lmdb")
    try initStore(s)
    for f in Self.files.prefix(4) {
      #expect(try erpctl(["import", "--store", s, "--type", f.type, Self.fixture(f.file)]).exited(0))
    }
    let before = try exportLines(s)
    let bad = Self.fixture("bad_cells.csv")
    let r = try erpctl(["import", "--store", s, "--type", "OrderConfirmed", bad])
    #expect(r.exited(65), "\(describe(r))")
    #expect(r.errLines == [
      #"erpctl: \#(bad):2: field 'qty': expected a positive integer, got "1.5""#,
      #"erpctl: \#(bad):3: field 'at': expected an RFC 3339 time with offset (2026-11-03T10:15:00+08:00) or a date (2026-11-03), got "2026-11-3""#,
      "erpctl: \(bad):4: field 'unit_price': '12.345' has more than 2 decimal places",
      "erpctl: \(bad):5: field 'customer': is required",
      #"erpctl: \#(bad):6: field 'discount': '1.5' is not a rate between 0 and 1 (write e.g. "0.10")"#,
      "erpctl: \(bad):7: expected 8 fields as in the header, got 7",
      #"erpctl: \#(bad):9: field 'customer': differs from line 8 of the same order ("C-202" here, "C-201" there)"#,
      "erpctl: \(bad):11: field 'qty': must be a positive integer, got 0",
      "erpctl: \(bad):12: field 'order': is required",
    ], "\(describe(r))")
    #expect(try exportLines(s) == before, "a failed atomic import leaves the store unchanged")

    // Broken quoting stops the file at its line; the valid row before it is not appended.
    let quote = Self.fixture("bad_quote.csv")
    let q = try erpctl(["import", "--store", s, "--type", "PaymentReceived", quote])
    #expect(q.exited(65), "\(describe(q))")
    #expect(q.errLines == [
      #"erpctl: \#(quote):3: field 3: a quote in an unquoted field (enclose the field in quotes and write a quote as "")"#
    ], "\(describe(q))")
    let header = Self.fixture("bad_header.csv")
    let h = try erpctl(["import", "--store", s, "--type", "OrderConfirmed", header])
    #expect(h.exited(65), "\(describe(h))")
    #expect(h.err.hasPrefix("erpctl: \(header):1: unknown column 'customer_id'; OrderConfirmed takes: at, key, v, order,"), "\(describe(h))")
    #expect(try exportLines(s) == before)

    // --skip-invalid appends the two valid orders (SO-9007's rows disagree; SO-9008 has qty 0).
    let rejects = dir.file("rejects.jsonl")
    let skip = try erpctl(["import", "--store", s, "--type", "OrderConfirmed", "--skip-invalid", "--rejects", rejects, bad])
    #expect(skip.exited(0), "\(describe(skip))")
    #expect(skip.err.contains("imported 0 events and 0 derived, 0 already present, 9 rejected"), "\(describe(skip))")
  }

  @Test func standardInputAndUsage() throws {
    let dir = try TemporaryDirectory("erpctl-csv")
    defer { dir.remove() }
    let s = dir.file("s.lmdb")
    try initStore(s)
    #expect(try erpctl(["import", "--store", s, "--type", "CustomerRegistered", Self.fixture("customers.csv")]).exited(0))
    let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: Self.fixture("bom_crlf.csv"))))
    let r = try erpctl(["import", "--store", s, "--format", "csv", "--type", "PaymentReceived", "-"], stdin: bytes)
    #expect(r.exited(0), "\(describe(r))")
    #expect(r.err.contains("imported 2 events and 0 derived"), "\(describe(r))")

    // A .csv file needs --type; --type goes with CSV; derived and unknown types are refused.
    let noType = try erpctl(["import", "--store", s, Self.fixture("payments.csv")])
    #expect(noType.exited(64), "\(describe(noType))")
    #expect(noType.err.contains("needs '--type EVENT'"), "\(describe(noType))")
    #expect(try erpctl(["import", "--store", s, "--format", "jsonl", "--type", "Shipped", "x"]).exited(64))
    let derived = try erpctl(["import", "--store", s, "--type", "InvoiceIssued", Self.fixture("payments.csv")])
    #expect(derived.exited(64), "\(describe(derived))")
    #expect(derived.err.contains("restore"), "\(describe(derived))")
    #expect(try erpctl(["import", "--store", s, "--type", "Payment", Self.fixture("payments.csv")]).exited(64))
  }
}
