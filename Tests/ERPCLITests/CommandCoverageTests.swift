import ERPTestSupport
import Foundation
import Testing

/// The commands the lead-to-cash walk does not use, each through the binary, with the event
/// (and derived events) it must store.
@Suite("Every recording command through the binary")
struct CommandCoverageTests {
  @Test func theRemainingCommandsStoreTheirEvents() throws {
    let dir = try TemporaryDirectory("erpctl-cmds")
    defer { dir.remove() }
    let s = dir.file("s.lmdb")
    try initStore(s)
    for command in SalesCycleTests.walk.prefix(5) { #expect(try erpctl(command + ["--store", s]).exited(0)) }

    /// Runs a command and returns the (type, data) of what it stored.
    func run(_ args: [String]) throws -> [(String, [String: Any])] {
      let r = try erpctl(args + ["--store", s, "--format", "json"])
      #expect(r.exited(0), "\(args.joined(separator: " ")): \(describe(r))")
      let events = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [[String: Any]])
      return events.map { ($0["type"] as? String ?? "", $0["data"] as? [String: Any] ?? [:]) }
    }

    let lost = try run(["lead", "create", "--id", "L-9", "--source", "web", "--rep", "R-1", "--company", "某公司"])
      + run(["lead", "lose", "--id", "L-9", "--reason", "price"])
    #expect(lost.map(\.0) == ["LeadCreated", "LeadStageChanged"])
    #expect(lost[1].1["stage"] as? String == "lost" && lost[1].1["reason"] as? String == "price")

    let activity = try run(["activity", "log", "--rep", "R-1", "--kind", "call", "--customer", "C-1"])
    #expect(activity.map(\.0) == ["ActivityLogged"])

    // 50 in stock. Confirm 8, cancel: the 8 reserved are released.
    _ = try run(["order", "confirm", "--id", "SO-7", "--customer", "C-1", "--rep", "R-1", "--line", "A1:8:120.00"])
    let cancel = try run(["order", "cancel", "--id", "SO-7", "--reason", "customer request"])
    #expect(cancel.map(\.0) == ["OrderCancelled", "ReservationReleased"])
    #expect(int(cancel[1].1["qty"]) == 8)

    // Remove 5 of the 50 (value 3500.00): takes round(5 × 350000 / 50) = 350.00.
    let adjust = try run(["stock", "adjust", "--sku", "A1", "--qty", "-5", "--reason", "stocktake"])
    #expect(adjust.map(\.0) == ["StockAdjusted"])
    #expect(int(adjust[0].1["qty"]) == -5)

    // A payment with no open invoice stays unapplied; after a shipment its credit is matched
    // automatically; a hand match beyond what is left is refused.
    _ = try run(["payment", "receive", "--id", "P-9", "--customer", "C-1", "--amount", "100.00"])
    _ = try run(["order", "confirm", "--id", "SO-8", "--customer", "C-1", "--rep", "R-1", "--line", "A1:1:120.00"])
    let ship = try run(["order", "ship", "--id", "SO-8", "--shipment", "SH-8", "--line", "A1:1"])
    #expect(ship.map(\.0) == ["Shipped", "InvoiceIssued", "PaymentMatched"])
    #expect(ship[2].1["amount"] as? String == "100.00")
    let over = try erpctl(["payment", "match", "--store", s, "--payment", "P-9", "--invoice", "INV-SH-8",
      "--amount", "20.00"])
    #expect(over.exited(65), "\(describe(over))")
    // INV-SH-8 has 20.00 open (120.00 − 100.00), but P-9 has nothing left to apply.
    #expect(over.err.contains("cannot match 20.00 from payment 'P-9': only 0.00 is unapplied"), "\(describe(over))")
    _ = try run(["payment", "receive", "--id", "P-10", "--customer", "C-1", "--amount", "5.00"])  // matched at once
    let match = try erpctl(["payment", "match", "--store", s, "--payment", "P-10", "--invoice", "INV-SH-8",
      "--amount", "1.00"])
    // P-10 went to INV-SH-8 at once (open 20.00 → 15.00), so it has nothing left to match by hand.
    #expect(match.exited(65), "\(describe(match))")
    #expect(match.err.contains("only 0.00 is unapplied"), "\(describe(match))")

    let costs = try run(["cost", "record", "--order", "SO-8", "--kind", "freight", "--amount", "12.50"])
      + run(["cost", "record", "--channel", "web", "--period", "2026-11", "--amount", "5000"])
    #expect(costs.map(\.0) == ["OrderCostRecorded", "CampaignCostRecorded"])
    #expect(costs[1].1["amount"] as? String == "5000.00")
    let bothForms = try erpctl(["cost", "record", "--store", s, "--order", "SO-8", "--channel", "web", "--amount", "1"])
    #expect(bothForms.exited(64), "\(describe(bothForms))")

    _ = try run(["target", "set", "--scope", "rep", "--id", "R-1", "--metric", "revenue", "--period", "2026-11",
      "--value", "50000"])
    _ = try run(["target", "set", "--scope", "company", "--metric", "orders", "--period", "2026-11", "--value", "40"])
    _ = try run(["target", "set", "--scope", "rep", "--id", "R-1", "--metric", "revenue", "--period", "2026-11",
      "--value", "60000.00"])
    let list = try erpctl(["target", "list", "--store", s, "--format", "json"])
    #expect(list.exited(0), "\(describe(list))")
    let targets = try #require(try JSONSerialization.jsonObject(with: Data(list.out.utf8)) as? [[String: Any]])
    #expect(targets.count == 2, "the later rep target replaces the earlier one")
    #expect(targets.contains { $0["value"] as? String == "60000.00" })
    #expect(targets.contains { int($0["value"]) == 40 && $0["id"] is NSNull })

    #expect(try erpctl(["verify", "--store", s]).exited(0))
  }
}
