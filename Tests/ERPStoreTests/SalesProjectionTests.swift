import ERPCore
import ERPTestSupport
import Foundation
import Testing

@testable import ERPStore

/// The sales projection on `Fixtures/reports/sales-small.jsonl`, whose figures are worked out by
/// hand below, and the persistence rules: checkpoints, catch-up in any chunks equals a full
/// replay, a version change rebuilds, `verify` compares with a replay.
@Suite("sales projection")
struct SalesProjectionTests {
  static func fixtureEvents() throws -> [NewEvent] {
    let reader = EventRecordReader(moneyDigits: 2)
    return try Fixtures.lines("reports/sales-small.jsonl").map { try reader.newEvent(Array($0.utf8)) }
  }

  static func sums(
    booked: Int64, orders: Int64, revenue: Int64, units: Int64, cogs: Int64, collections: Int64 = 0,
    invoiced: Int64 = 0, credited: Int64 = 0, matched: Int64 = 0
  ) -> SalesReport.Sums {
    var s = SalesReport.Sums()
    (s.booked, s.orders, s.revenue, s.units, s.cogs) = (booked, orders, revenue, units, cogs)
    (s.collections, s.invoiced, s.credited, s.matched) = (collections, invoiced, credited, matched)
    return s
  }

  static let end = CivilDate(year: 2026, month: 12, day: 31)!

  @Test func monthsRepsAndProductsOfTheSmallFixture() throws {
    let dir = try TemporaryDirectory("erpctl-proj")
    defer { dir.remove() }
    let s = try makeStore(dir)
    _ = try s.append(try Self.fixtureEvents(), clock: { fixedInstant })
    let p = try s.salesProjection()

    // By month. Oct: SO-1 = 10 × 100.00 × 0.90 + 4 × 50.00 = 1100.00 and SO-2 = 500.00 booked;
    // SH-1 invoices 1100.00 at COGS 10 × 60.00 + 4 × 20.00 = 680.00; INV-SH-1 (Oct) has 500.00
    // matched and a 50.00 credit note against it. Nov: SO-2's unshipped 3 × 100.00 cancelled
    // (−300.00; SO-2 had shipped, so orders stay), SO-3 = 10 × 45.00 = 450.00; SH-2 invoices
    // 2 × 100.00 at 120.00 COGS; the return of one P-B credits 50.00 and reverses 80.00 / 4 =
    // 20.00 COGS; collections 500.00 + 200.00; INV-SH-2 (Nov) fully matched. Dec: SO-4 confirmed
    // and cancelled before shipping: +100.00 −100.00, +1 −1 order.
    let byMonth = SalesReport.rows(p, .init(range: nil, asOf: Self.end, by: ["month"])).rows
    #expect(byMonth.map(\.keys) == [["2026-10"], ["2026-11"], ["2026-12"]])
    #expect(byMonth[0].sums == Self.sums(
      booked: 160_000, orders: 2, revenue: 110_000, units: 14, cogs: 68_000, invoiced: 110_000, credited: 5_000,
      matched: 50_000))
    #expect(byMonth[1].sums == Self.sums(
      booked: 15_000, orders: 1, revenue: 15_000, units: 1, cogs: 10_000, collections: 70_000, invoiced: 20_000,
      matched: 20_000))
    #expect(byMonth[2].sums == Self.sums(booked: 0, orders: 0, revenue: 0, units: 0, cogs: 0))

    // The cells: Oct AOV 1600.00 / 2, margin 420.00 / 1100.00 = 0.381818…, collection rate
    // 500.00 / (1100.00 − 50.00) = 0.476190…; Dec has no orders, revenue or invoices.
    #expect(SalesReport.cells(byMonth[0].sums, byItem: false) == [
      .money(160_000), .int(2), .money(80_000), .money(110_000), .int(14), .money(68_000), .money(42_000),
      .rate(Ratio4(tenThousandths: 3818)), .money(0), .rate(Ratio4(tenThousandths: 4762)),
    ])
    #expect(SalesReport.cells(byMonth[2].sums, byItem: false) == [
      .money(0), .int(0), .null, .money(0), .int(0), .money(0), .money(0), .rate(nil), .money(0), .rate(nil),
    ])

    // By rep: R-1 has SO-1 and SO-3, R-2 SO-2 and SO-4.
    let byRep = SalesReport.rows(p, .init(range: nil, asOf: Self.end, by: ["rep"])).rows
    #expect(byRep.map(\.keys) == [["R-1"], ["R-2"]])
    #expect(byRep[0].sums == Self.sums(
      booked: 155_000, orders: 2, revenue: 105_000, units: 13, cogs: 66_000, collections: 50_000,
      invoiced: 110_000, credited: 5_000, matched: 50_000))
    #expect(byRep[1].sums == Self.sums(
      booked: 20_000, orders: 1, revenue: 20_000, units: 2, cogs: 12_000, collections: 20_000,
      invoiced: 20_000, matched: 20_000))

    // By product: order counts per product (SO-4 confirmed and cancelled nets 0); order-level
    // measures are left out.
    let byProduct = SalesReport.rows(p, .init(range: nil, asOf: Self.end, by: ["product"])).rows
    #expect(byProduct.map(\.keys) == [["P-A"], ["P-B"]])
    #expect(byProduct[0].sums == Self.sums(booked: 110_000, orders: 2, revenue: 110_000, units: 12, cogs: 72_000))
    #expect(byProduct[1].sums == Self.sums(booked: 65_000, orders: 2, revenue: 15_000, units: 3, cogs: 6_000))

    // The auditor's view as of 2026-11-05: the return, SO-3 and PAY-2 have not happened; INV-SH-1
    // has 500.00 matched and no credit yet, INV-SH-2 nothing.
    let asOf = CivilDate(year: 2026, month: 11, day: 5)!
    let past = try s.replaySales(asOf: asOf)
    let then = SalesReport.rows(past, .init(range: nil, asOf: asOf, by: ["month"])).rows
    #expect(then.map(\.keys) == [["2026-10"], ["2026-11"]])
    #expect(then[0].sums == Self.sums(
      booked: 160_000, orders: 2, revenue: 110_000, units: 14, cogs: 68_000, invoiced: 110_000, matched: 50_000))
    #expect(then[1].sums == Self.sums(
      booked: -30_000, orders: 0, revenue: 20_000, units: 2, cogs: 12_000, collections: 50_000, invoiced: 20_000))
  }

  @Test func productClassesAgainstThePreviousMonth() throws {
    let dir = try TemporaryDirectory("erpctl-proj")
    defer { dir.remove() }
    let s = try makeStore(dir)
    _ = try s.append(try Self.fixtureEvents(), clock: { fixedInstant })
    let p = try s.salesProjection()
    let nov = DateRange(from: CivilDate(year: 2026, month: 11, day: 1)!, to: CivilDate(year: 2026, month: 12, day: 1)!)
    let oct = DateRange(from: CivilDate(year: 2026, month: 10, day: 1)!, to: nov.from)
    let rows = SalesReport.rows(p, .init(range: nov, asOf: Self.end, by: ["product"])).rows
    let previous = SalesReport.rows(p, .init(range: oct, asOf: Self.end, by: ["product"])).rows
    // Nov revenue: P-A 200.00, P-B −50.00 (the credit note); total 150.00. Oct: P-A 900.00,
    // P-B 200.00. Shares 1.3333 and −0.3333 (median 0.5); growth (200 − 900) / 900 = −0.7778 and
    // (−50 − 200) / 200 = −1.25 (median −1.0139): P-A high/high = star, P-B low/low = dog.
    let classes = SalesReport.classify(rows, previous: previous)
    #expect(classes.map { $0.share } == [Ratio4(tenThousandths: 13_333), Ratio4(tenThousandths: -3_333)])
    #expect(classes.map { $0.growth } == [Ratio4(tenThousandths: -7_778), Ratio4(tenThousandths: -12_500)])
    #expect(classes.map { $0.label } == ["star", "dog"])
  }

  @Test func catchUpInRandomChunksEqualsAFullReplay() throws {
    let dir = try TemporaryDirectory("erpctl-proj")
    defer { dir.remove() }
    let events = try Self.fixtureEvents()
    var rng = SplitMix64(seed: 2026)
    for round in 0..<6 {
      let s = try makeStore(dir, name: "s\(round).lmdb")
      var at = 0
      while at < events.count {
        let n = Int(rng.int(1...5))
        _ = try s.append(Array(events[at..<min(events.count, at + n)]), clock: { fixedInstant })
        at += n
        if rng.chance(60) { _ = try s.salesProjection() }  // catch up now and then
      }
      let persisted = try s.salesProjection()
      let replay = try s.replaySales()
      // What reports read (facts and dimensions); verify compares the working state too.
      #expect(persisted.sameReadModel(as: replay), "round \(round)")
      #expect(persisted.checkpoint == (try s.head().seq))
      // A second read folds nothing and loads the same facts.
      #expect(try s.salesProjection().facts == replay.facts)
      #expect(try s.verify().ok)
    }
  }

  @Test func aProjectionFromAnotherVersionIsRebuiltAndATamperedOneFailsVerify() throws {
    let dir = try TemporaryDirectory("erpctl-proj")
    defer { dir.remove() }
    let s = try makeStore(dir)
    _ = try s.append(try Self.fixtureEvents(), clock: { fixedInstant })
    let first = try s.salesProjection()
    let metaKey = Array("sales".utf8) + [0] + Array("meta".utf8)
    // Another version in the meta: the next use rebuilds from seq 1.
    try s.env.write { txn in
      var m = try #require(try txn.get(s.proj, metaKey).flatMap(EventStore.ProjectionMeta.init))
      m.version += 1
      m.checkpoint = 3
      try txn.put(s.proj, metaKey, m.bytes)
    }
    #expect(try s.salesProjection().sameReadModel(as: first))
    // A changed fact: verify reports that the projection differs from a replay.
    let chunk = Array("sales".utf8) + [0] + Array("f".utf8) + [0, 0, 0, 0, 0]
    try s.env.write { txn in
      var bytes = try #require(try txn.get(s.proj, chunk))
      bytes[24] ^= 1  // the first fact's amount
      try txn.put(s.proj, chunk, bytes)
    }
    let report = try s.verify()
    #expect(!report.ok)
    #expect(report.problem?.contains("sales projection differs from a replay") == true)
  }

  /// The property of issue 5 on generated histories: whatever chunks the log is appended and
  /// caught up in, the persisted projection equals a full replay (and `verify` agrees).
  @Test(arguments: [UInt64(3), 17, 29])
  func generatedHistoriesCaughtUpInRandomChunksEqualAFullReplay(seed: UInt64) throws {
    let dir = try TemporaryDirectory("erpctl-proj")
    defer { dir.remove() }
    let events = try SalesAggregateTests.history(seed: seed)
    let s = try makeStore(dir)
    var rng = SplitMix64(seed: seed)
    var at = 0
    while at < events.count {
      let n = Int(rng.int(1...400))
      _ = try s.append(Array(events[at..<min(events.count, at + n)]), clock: { fixedInstant })
      at += n
      if rng.chance(50) { _ = try s.salesProjection() }
    }
    let persisted = try s.salesProjection()
    let replay = try s.replaySales()
    #expect(persisted.sameReadModel(as: replay))
    #expect(!replay.facts.isEmpty)
    // The store skips the types the fold ignores without decoding them: the same as folding all.
    let everything = SalesProjection()
    try s.forEach { e in
      let day = s.zone.date(of: e.at)
      if let typed = s.typedEvent(e) { everything.apply(seq: e.seq, day: day, typed) } else { everything.skip(seq: e.seq, day: day) }
      return true
    }
    #expect(everything.sameFold(as: replay))
    #expect(try s.verify().ok)
    // Money balances: revenue by rep sums to the revenue of the whole log.
    let end = CivilDate(year: 2027, month: 1, day: 1)!
    let byRep = SalesReport.rows(replay, .init(range: nil, asOf: end, by: ["rep"])).rows
    let all = SalesReport.rows(replay, .init(range: nil, asOf: end, by: [])).rows
    #expect(byRep.reduce(0) { $0 + $1.sums.revenue } == all.first?.sums.revenue)
    #expect(byRep.reduce(0) { $0 + $1.sums.booked } == all.first?.sums.booked)
    // And revenue is what the log's invoices and credit notes say, added up directly.
    var direct: Int64 = 0
    try s.forEach { e in
      let amount = e.data["amount"]?.stringValue.flatMap { try? Money.parse($0, digits: 2).minorUnits } ?? 0
      if e.type == "InvoiceIssued" { direct += amount }
      if e.type == "CreditNoteIssued" { direct -= amount }
      return true
    }
    #expect(all.first?.sums.revenue == direct)
  }
}
