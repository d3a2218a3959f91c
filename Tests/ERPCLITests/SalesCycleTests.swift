import ERPTestSupport
import Foundation
import Testing

/// The whole closed loop of the source document through the built binary: lead → quote → order →
/// reservation → shipment → invoice → payment → return → after-sales. Expected figures are worked
/// out by hand in the comments.
@Suite("Sales cycle through the binary")
struct SalesCycleTests {
  /// The commands of the walk, each with its business time and key.
  static let walk: [[String]] = [
    ["customer", "register", "--id", "C-1", "--name", "华东贸易", "--region", "east", "--channel", "direct", "--at", "2026-10-01"],
    ["rep", "register", "--id", "R-1", "--name", "王芳", "--team", "t1", "--region", "east", "--at", "2026-10-01"],
    ["product", "register", "--sku", "A1", "--name", "Widget", "--line", "widgets", "--list-price", "120", "--at", "2026-10-01"],
    ["po", "place", "--id", "PO-1", "--sku", "A1", "--qty", "100", "--at", "2026-10-02"],
    ["stock", "receive", "--sku", "A1", "--qty", "50", "--unit-cost", "70.00", "--po", "PO-1", "--at", "2026-10-10"],
    ["stock", "receive", "--sku", "A1", "--qty", "50", "--unit-cost", "76.00", "--po", "PO-1", "--at", "2026-10-12"],
    ["lead", "create", "--id", "L-1", "--source", "web", "--rep", "R-1", "--customer", "C-1", "--at", "2026-10-15T09:00:00+08:00"],
    ["lead", "stage", "--id", "L-1", "--stage", "contacted", "--at", "2026-10-16T10:00:00+08:00"],
    ["quote", "issue", "--id", "Q-1", "--customer", "C-1", "--lead", "L-1", "--line", "A1:30:120.00:0.05", "--at", "2026-10-20"],
    ["order", "confirm", "--id", "SO-1", "--customer", "C-1", "--rep", "R-1", "--lead", "L-1", "--quote", "Q-1",
     "--line", "A1:30:120.00:0.05", "--at", "2026-11-03T10:15:00+08:00"],
    ["order", "ship", "--id", "SO-1", "--shipment", "SH-1", "--line", "A1:20", "--at", "2026-11-05"],
    ["order", "ship", "--id", "SO-1", "--shipment", "SH-2", "--line", "A1:10", "--at", "2026-11-08"],
    ["payment", "receive", "--id", "P-1", "--customer", "C-1", "--amount", "2000.00", "--at", "2026-11-20"],
    ["payment", "receive", "--id", "P-2", "--customer", "C-1", "--amount", "1500.00", "--at", "2026-11-25"],
    ["order", "return", "--id", "SO-1", "--sku", "A1", "--qty", "2", "--reason", "damaged", "--at", "2026-11-26"],
    ["case", "open", "--id", "CS-1", "--customer", "C-1", "--order", "SO-1", "--kind", "complaint", "--at", "2026-11-26"],
    ["case", "close", "--id", "CS-1", "--satisfaction", "4", "--at", "2026-11-27"],
  ]

  /// (type, data) of every stored event after the walk, in seq order.
  nonisolated(unsafe) static let expected: [(String, [String: Any])] = [
    ("CustomerRegistered", ["customer": "C-1", "name": "华东贸易", "region": "east", "channel": "direct"]),
    ("RepRegistered", ["rep": "R-1", "name": "王芳", "team": "t1", "region": "east"]),
    ("ProductDefined", ["sku": "A1", "name": "Widget", "line": "widgets", "list_price": "120.00"]),
    ("PurchaseOrderPlaced", ["po": "PO-1", "sku": "A1", "qty": 100]),
    ("StockReceived", ["sku": "A1", "qty": 50, "unit_cost": "70.00", "po": "PO-1"]),
    ("StockReceived", ["sku": "A1", "qty": 50, "unit_cost": "76.00", "po": "PO-1"]),
    ("LeadCreated", ["lead": "L-1", "source": "web", "rep": "R-1", "customer": "C-1"]),
    ("LeadStageChanged", ["lead": "L-1", "stage": "contacted"]),
    ("QuoteIssued", ["quote": "Q-1", "customer": "C-1", "lead": "L-1"]),
    ("OrderConfirmed", ["order": "SO-1", "customer": "C-1", "rep": "R-1", "lead": "L-1", "quote": "Q-1"]),
    ("StockReserved", ["order": "SO-1", "sku": "A1", "qty": 30]),
    ("LeadStageChanged", ["lead": "L-1", "stage": "won"]),
    // Value 50 × 70 + 50 × 76 = 7300.00 over 100: 20 units take round(20 × 730000 / 100) = 1460.00.
    ("Shipped", ["order": "SO-1", "shipment": "SH-1"]),
    // 20 × 120.00 × 0.95 = 2280.00, due 2026-11-05 + 30 days.
    ("InvoiceIssued", ["invoice": "INV-SH-1", "order": "SO-1", "customer": "C-1", "amount": "2280.00", "due": "2026-12-05"]),
    // Value 7300 − 1460 = 5840.00 over 80: 10 units take round(10 × 584000 / 80) = 730.00.
    ("Shipped", ["order": "SO-1", "shipment": "SH-2"]),
    ("InvoiceIssued", ["invoice": "INV-SH-2", "order": "SO-1", "customer": "C-1", "amount": "1140.00", "due": "2026-12-08"]),
    ("PaymentReceived", ["payment": "P-1", "customer": "C-1", "amount": "2000.00"]),
    ("PaymentMatched", ["payment": "P-1", "invoice": "INV-SH-1", "amount": "2000.00"]),
    ("PaymentReceived", ["payment": "P-2", "customer": "C-1", "amount": "1500.00"]),
    // Oldest first: 280.00 closes INV-SH-1, 1140.00 closes INV-SH-2, 80.00 stays as credit.
    ("PaymentMatched", ["payment": "P-2", "invoice": "INV-SH-1", "amount": "280.00"]),
    ("PaymentMatched", ["payment": "P-2", "invoice": "INV-SH-2", "amount": "1140.00"]),
    // Back at round(2 × (1460 + 730) / 30) = round(146.00) = 146.00.
    ("ReturnReceived", ["order": "SO-1", "sku": "A1", "qty": 2, "reason": "damaged", "cogs": "146.00"]),
    // 2 × 114.00 = 228.00 against the latest invoice that covered A1.
    ("CreditNoteIssued", ["credit_note": "CN-SO-1-1", "invoice": "INV-SH-2", "order": "SO-1", "customer": "C-1", "amount": "228.00"]),
    ("ServiceCaseOpened", ["case": "CS-1", "customer": "C-1", "order": "SO-1", "kind": "complaint"]),
    ("ServiceCaseClosed", ["case": "CS-1", "satisfaction": 4]),
  ]

  static func check(_ exported: [String]) throws {
    #expect(exported.count == expected.count)
    for (i, (line, want)) in zip(exported, expected).enumerated() {
      let o = try jsonObject(line)
      #expect(int(o["seq"]) == i + 1)
      #expect(o["type"] as? String == want.0, "seq \(i + 1)")
      let data = try #require(o["data"] as? [String: Any])
      for (k, v) in want.1 {
        if let s = v as? String {
          #expect(data[k] as? String == s, "seq \(i + 1) \(want.0).\(k)")
        } else {
          #expect(int(data[k]) == v as? Int, "seq \(i + 1) \(want.0).\(k)")
        }
      }
    }
    let cogs = try exported.compactMap { line -> [String]? in
      let o = try jsonObject(line)
      guard o["type"] as? String == "Shipped", let lines = (o["data"] as? [String: Any])?["lines"] as? [[String: Any]]
      else { return nil }
      return lines.compactMap { $0["cogs"] as? String }
    }
    #expect(cogs == [["1460.00"], ["730.00"]])
  }

  @Test func aFullOrderFromLeadToPaidInvoice() throws {
    let dir = try TemporaryDirectory("erpctl-cycle")
    defer { dir.remove() }
    let s = dir.file("s.lmdb")
    try initStore(s)
    var printed = 0
    for (n, command) in Self.walk.enumerated() {
      let r = try erpctl(command + ["--store", s, "--key", "walk-\(n)", "--format", "json"])
      #expect(r.exited(0), "\(command.joined(separator: " ")): \(describe(r))")
      let events = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [[String: Any]])
      printed += events.count
    }
    #expect(printed == Self.expected.count, "each command prints what it stored, derived events included")
    try Self.check(try exportLines(s))
    #expect(try erpctl(["verify", "--store", s]).exited(0))

    // Running a keyed command again appends nothing.
    let again = try erpctl(Self.walk[10] + ["--store", s, "--key", "walk-10"])
    #expect(again.exited(0), "\(describe(again))")
    #expect(again.err.contains("already recorded as seq 13"), "\(describe(again))")
    #expect(try exportLines(s).count == Self.expected.count)
  }

  @Test func appendingTheSameFactsGivesTheIdenticalLog() throws {
    let dir = try TemporaryDirectory("erpctl-cycle")
    defer { dir.remove() }
    let viaCommands = dir.file("a.lmdb")
    let viaAppend = dir.file("b.lmdb")
    try initStore(viaCommands)
    try initStore(viaAppend)
    var primaries: [String] = []
    for (n, command) in Self.walk.enumerated() {
      let r = try erpctl(command + ["--store", viaCommands, "--key", "walk-\(n)", "--format", "jsonl"])
      #expect(r.exited(0), "\(describe(r))")
      // The first line a command prints is its primary event; strip what the store adds.
      var o = try jsonObject(try #require(r.outLines.first))
      for k in ["seq", "recorded", "hash"] { o[k] = nil }
      if var data = o["data"] as? [String: Any] {
        data["cogs"] = nil
        if let lines = data["lines"] as? [[String: Any]] {
          data["lines"] = lines.map { l -> [String: Any] in
            var l = l
            l["cogs"] = nil
            return l
          }
        }
        o["data"] = data
      }
      primaries.append(String(decoding: try JSONSerialization.data(withJSONObject: o), as: UTF8.self))
    }
    let file = dir.file("facts.jsonl")
    try writeFile(file, primaries.joined(separator: "\n") + "\n")
    let r = try erpctl(["append", "--store", viaAppend, file])
    #expect(r.exited(0), "\(describe(r))")

    // Identical logs but for the append time (and so the hashes, which cover it).
    func comparable(_ path: String) throws -> [String] {
      try exportLines(path).map { line in
        var o = try jsonObject(line)
        o["recorded"] = nil
        o["hash"] = nil
        return String(decoding: try JSONSerialization.data(withJSONObject: o, options: .sortedKeys), as: UTF8.self)
      }
    }
    #expect(try comparable(viaCommands) == comparable(viaAppend))
    try Self.check(try exportLines(viaAppend))
  }

  @Test func refusalsNameTheRuleAndExit65() throws {
    let dir = try TemporaryDirectory("erpctl-cycle")
    defer { dir.remove() }
    let s = dir.file("s.lmdb")
    try initStore(s)
    for command in Self.walk.prefix(5) { #expect(try erpctl(command + ["--store", s]).exited(0)) }
    let before = try exportLines(s)
    // 50 in stock: confirming 60 is refused, naming the SKU and both quantities.
    let short = try erpctl(["order", "confirm", "--store", s, "--id", "SO-9", "--customer", "C-1", "--rep", "R-1",
      "--line", "A1:60:120.00"])
    #expect(short.exited(65), "\(describe(short))")
    #expect(short.err.contains("cannot reserve 60 of 'A1': only 50 available"), "\(describe(short))")
    let unknown = try erpctl(["order", "confirm", "--store", s, "--id", "SO-9", "--customer", "C-404", "--rep", "R-1",
      "--line", "A1:1:120.00"])
    #expect(unknown.exited(65))
    #expect(unknown.err.contains("unknown customer 'C-404'"), "\(describe(unknown))")
    let badLine = try erpctl(["order", "confirm", "--store", s, "--id", "SO-9", "--customer", "C-1", "--rep", "R-1",
      "--line", "A1:many:120.00"])
    #expect(badLine.exited(64), "\(describe(badLine))")
    #expect(try exportLines(s) == before, "a refused command appends nothing")

    // With --allow-backorder the 50 are reserved and the rest waits for the next receipt.
    let back = try erpctl(["order", "confirm", "--store", s, "--id", "SO-9", "--customer", "C-1", "--rep", "R-1",
      "--line", "A1:60:120.00", "--allow-backorder", "--format", "jsonl"])
    #expect(back.exited(0), "\(describe(back))")
    #expect(back.outLines.count == 2)
    #expect(back.outLines.last?.contains(#""qty":50"#) == true)
    let receipt = try erpctl(["stock", "receive", "--store", s, "--sku", "A1", "--qty", "15", "--unit-cost", "70.00",
      "--format", "jsonl"])
    #expect(receipt.outLines.count == 2)
    #expect(receipt.outLines.last?.contains(#""order":"SO-9","qty":10"#) == true, "\(describe(receipt))")
  }
}
