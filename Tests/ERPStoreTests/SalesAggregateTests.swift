import ERPCore
import ERPTestSupport
import Foundation
import Testing

@testable import ERPStore

/// The month pre-aggregate of the sales projection (SalesProjection+Aggregate): kept in the
/// catch-up's transaction, it equals the sums of the facts whatever chunks the log is caught up
/// in, reports grouped from it equal reports grouped from the facts, and `verify` finds a
/// tampered month.
@Suite("sales pre-aggregate")
struct SalesAggregateTests {
  static let end = CivilDate(year: 2026, month: 12, day: 31)!

  /// A generated four-month history (also the sales projection tests' random histories).
  static func history(seed: UInt64) throws -> [NewEvent] {
    try generatedHistory(months: 4, customers: 40, reps: 4, products: 15, seed: seed)
  }

  static func month(_ y: Int, _ m: Int) -> CivilDate { CivilDate(year: y, month: m, day: 1)! }

  /// Queries the month sums answer, in every kind of grouping.
  static let queries: [SalesReport.Query] = [
    .init(range: nil, asOf: end, by: ["rep", "month"]),
    .init(range: nil, asOf: end, by: ["region"]),
    .init(range: nil, asOf: end, by: ["channel", "quarter"]),
    .init(range: nil, asOf: end, by: []),
    .init(range: DateRange(from: month(2026, 1), to: month(2026, 4)), asOf: end, by: []),
    .init(range: DateRange(from: month(2026, 2), to: month(2026, 4)), asOf: end, by: ["rep", "month"]),
    .init(range: nil, asOf: end, by: ["team", "year"], current: true),
    .init(range: nil, asOf: end, by: ["rep", "promotion", "source"], current: true),
    .init(range: nil, asOf: end, by: ["tier", "channel", "promotion", "source", "team"]),
    .init(range: DateRange(from: month(2026, 3), to: month(2026, 4)), asOf: end, by: ["rep"]),
  ]

  /// Queries the rep level of the month sums answers (rep, team and time alone).
  static let repQueries: [SalesReport.Query] = [
    .init(range: nil, asOf: end, by: ["rep", "month"]),
    .init(range: nil, asOf: end, by: []),
    .init(range: DateRange(from: month(2026, 2), to: month(2026, 4)), asOf: end, by: ["rep", "month"]),
    .init(range: nil, asOf: end, by: ["team", "year"], current: true),
    .init(range: nil, asOf: end, by: ["rep", "team", "quarter"]),
    .init(range: DateRange(from: month(2026, 3), to: month(2026, 4)), asOf: end, by: ["rep"]),
    .init(range: nil, asOf: end, by: ["month"], current: true),
  ]

  /// Month sums named by what their tuples mean (the store numbers the tuples of the sums it
  /// loads afresh), in one order.
  /// A month may be stored in several records: the cells are summed first.
  static func cells(_ facts: [SalesFact], _ p: SalesProjection) -> [String] {
    var sums: [String: Int64] = [:]
    for f in facts {
      sums["\(f.day) \(f.measure) \(SalesProjection.customerlessKey(p.tuples[Int(f.tuple)])) \(f.seq) \(f.item)", default: 0] += f.amount
    }
    return sums.map { "\($0.key) \($0.value)" }.sorted()
  }

  @Test(arguments: [UInt64(3), 17, 29])
  func monthSumsEqualTheFactsCaughtUpInRandomChunks(seed: UInt64) throws {
    let dir = try TemporaryDirectory("erpctl-agg")
    defer { dir.remove() }
    let events = try Self.history(seed: seed)
    let s = try makeStore(dir)
    var rng = SplitMix64(seed: seed &+ 101)
    var at = 0
    while at < events.count {
      let n = Int(rng.int(1...400))
      _ = try s.append(Array(events[at..<min(events.count, at + n)]), clock: { fixedInstant })
      at += n
      // Catch up now and then, through either reader; the sums always equal the facts'.
      if rng.chance(30) { _ = try s.salesProjection() }
      if rng.chance(20) {
        // Rows grouped as the sums are read (catching up first when there is something new).
        let grouped = try s.salesMonthSumRowsAtHead(Self.queries)
        let replay = try s.replaySales()
        for (q, rows) in zip(Self.queries, grouped.rows) { #expect(rows == SalesReport.rows(replay, q).rows, "\(q.by)") }
        // The same through the rep level.
        let byRep = try s.salesMonthSumRowsAtHead(Self.repQueries)
        for (q, rows) in zip(Self.repQueries, byRep.rows) { #expect(rows == SalesReport.rows(replay, q).rows, "rep level \(q.by)") }
      }
      if rng.chance(30) {
        let sums = try s.salesMonthSumsAtHead().projection
        #expect(sums.factsAreMonthSums)
        let replay = try s.replaySales()
        #expect(Self.cells(sums.facts, sums) == Self.cells(replay.monthSumFacts(), replay))
      }
    }
    let sums = try s.salesMonthSumsAtHead()
    let replay = try s.replaySales()
    #expect(sums.projection.factsAreMonthSums && !replay.factsAreMonthSums)
    #expect(sums.projection.checkpoint == replay.checkpoint && sums.head.seq == replay.checkpoint)
    #expect(Self.cells(sums.projection.facts, sums.projection) == Self.cells(replay.monthSumFacts(), replay))
    #expect(sums.projection.facts.count < replay.facts.count)
    // The sums, summed again by measure, are the facts' totals.
    for m in SalesMeasure.allCases where m != .ordersSKU && m != .ordersLine {
      #expect(
        sums.projection.facts.filter { $0.measure == m }.reduce(0) { $0 + $1.amount }
          == replay.facts.filter { $0.measure == m }.reduce(0) { $0 + $1.amount })
    }
    // Reports from the month sums equal reports from the facts, grouped from loaded sums or as
    // they are read.
    let grouped = try s.salesMonthSumRowsAtHead(Self.queries)
    #expect(grouped.rows.count == Self.queries.count)
    for (q, rows) in zip(Self.queries, grouped.rows) { #expect(rows == SalesReport.rows(replay, q).rows, "\(q.by)") }
    let byRep = try s.salesMonthSumRowsAtHead(Self.repQueries)
    #expect(byRep.rows.count == Self.repQueries.count)
    for (q, rows) in zip(Self.repQueries, byRep.rows) {
      #expect(!rows.isEmpty)
      #expect(rows == SalesReport.rows(replay, q).rows, "rep level \(q.by)")
    }
    // The rep level has fewer cells than the customer-less one.
    #expect(replay.monthSumFacts(.rep).count < replay.monthSumFacts(.customerless).count)
    for q in Self.queries {
      #expect(q.monthSumsSuffice)
      #expect(SalesReport.rows(sums.projection, q).rows == SalesReport.rows(replay, q).rows, "\(q.by)")
      #expect(SalesTargets.apply(SalesReport.rows(sums.projection, q).rows, sums.projection, q, metric: "revenue", moneyDigits: 2)
        == SalesTargets.apply(SalesReport.rows(replay, q).rows, replay, q, metric: "revenue", moneyDigits: 2))
    }
    #expect(try s.verify().ok)
  }

  @Test func monthSumsDoNotAnswerFinerQueries() {
    let e = Self.end
    #expect(!SalesReport.Query(range: nil, asOf: e, by: ["rep", "day"]).monthSumsSuffice)
    #expect(!SalesReport.Query(range: nil, asOf: e, by: ["week"]).monthSumsSuffice)
    let mid = DateRange(from: CivilDate(year: 2026, month: 1, day: 15)!, to: Self.month(2026, 3))
    #expect(!SalesReport.Query(range: mid, asOf: e, by: ["rep"]).monthSumsSuffice)
    let open = DateRange(from: Self.month(2026, 1), to: CivilDate(year: 2026, month: 3, day: 2)!)
    #expect(!SalesReport.Query(range: open, asOf: e, by: []).monthSumsSuffice)
    for by in [["product"], ["line"], ["customer"], ["rep", "product"]] {
      #expect(!SalesReport.Query(range: nil, asOf: e, by: by).monthSumsSuffice)
    }
    #expect(!SalesReport.Query(range: nil, asOf: e, by: ["region"], current: true).monthSumsSuffice)
    #expect(SalesReport.Query(range: nil, asOf: e, by: ["rep", "team"], current: true).monthSumsSuffice)
    #expect(SalesReport.Query(range: DateRange(from: Self.month(2026, 7), to: Self.month(2026, 10)), asOf: e, by: ["region"])
      .monthSumsSuffice)
  }

  @Test func theRepLevelAnswersRepTeamAndTimeAlone() {
    typealias Level = SalesProjection.SumLevel
    for q in Self.repQueries { #expect(Level.answering([q]) == .rep, "\(q.by)") }
    #expect(Level.answering(Self.repQueries) == .rep)
    for by in [["region"], ["rep", "channel"], ["promotion"], ["rep", "source", "month"], ["tier"]] {
      #expect(Level.answering([.init(range: nil, asOf: Self.end, by: by)]) == .customerless, "\(by)")
    }
    // One query that needs the finer level decides for all of them.
    #expect(Level.answering(Self.repQueries + [.init(range: nil, asOf: Self.end, by: ["region"])]) == .customerless)
    #expect(Level.answering([.init(range: nil, asOf: Self.end, by: ["rep", "day"])]) == nil)
    #expect(Level.answering([.init(range: nil, asOf: Self.end, by: ["product"])]) == nil)
  }

  @Test(arguments: ["a", "b"])
  func verifyFindsATamperedMonthAtEitherLevel(_ letter: String) throws {
    let dir = try TemporaryDirectory("erpctl-agg")
    defer { dir.remove() }
    let s = try makeStore(dir)
    _ = try s.append(try Self.history(seed: 5), clock: { fixedInstant })
    _ = try s.salesMonthSumsAtHead()
    #expect(try s.verify().ok)
    let prefix = Array("sales".utf8) + [0] + Array(letter.utf8) + [0]
    try s.env.write { txn in
      var first: [UInt8]?
      try txn.scan(s.proj, from: prefix) { k, _ in
        if k.starts(with: prefix) { first = Array(k) }
        return false
      }
      let key = try #require(first)
      var bytes = try #require(try txn.get(s.proj, key))
      bytes[24] ^= 1  // the first cell's amount
      try txn.put(s.proj, key, bytes)
    }
    let report = try s.verify()
    #expect(!report.ok)
    #expect(report.problem?.contains("pre-aggregate differs") == true)
    // A month missing altogether is found too.
    try s.env.write { txn in
      var first: [UInt8]?
      try txn.scan(s.proj, from: prefix) { k, _ in
        if k.starts(with: prefix) { first = Array(k) }
        return false
      }
      try txn.delete(s.proj, try #require(first))
    }
    #expect(try s.verify().problem?.contains("pre-aggregate differs") == true)
  }

  /// A catch-up writes its month sums in a record of their own; after `maxMonthDeltas` of them
  /// the next merges them into the month's record. Reports and `verify` agree all along, and a
  /// tampered record of added sums is found.
  @Test func catchUpsAddRecordsToAMonthAndMergeThem() throws {
    let dir = try TemporaryDirectory("erpctl-agg")
    defer { dir.remove() }
    let events = try Self.history(seed: 11)
    let s = try makeStore(dir)
    // The history's first three months, then its fourth an event at a time, caught up after
    // each: enough catch-ups in that month to merge its records at least once.
    let day = { (e: NewEvent) in String(e.at.description.prefix(7)) }
    let split = try #require(events.firstIndex { day($0) >= "2026-04" })
    _ = try s.append(Array(events[..<split]), clock: { fixedInstant })
    _ = try s.salesMonthSumsAtHead()
    let april = Self.month(2026, 4).daysSinceEpoch
    let key = Array("sales".utf8) + [0] + Array("a".utf8) + [0]
      + withUnsafeBytes(of: (UInt32(bitPattern: april) ^ 0x8000_0000).bigEndian) { Array($0) }
    func records() throws -> Int {
      try s.env.read { txn in
        var n = 0
        try txn.scan(s.proj, from: key) { k, _ in
          guard k.starts(with: key) else { return false }
          n += 1
          return true
        }
        return n
      }
    }
    var most = 0
    var merged = false
    for e in events[split...] where day(e) == "2026-04" {
      _ = try s.append([e], clock: { fixedInstant })
      let before = try records()
      let sums = try s.salesMonthSumsAtHead().projection
      let after = try records()
      if after < before { merged = true }
      most = max(most, after)
      let replay = try s.replaySales()
      #expect(Self.cells(sums.facts, sums) == Self.cells(replay.monthSumFacts(), replay))
    }
    #expect(merged)
    #expect(most <= 1 + EventStore.maxMonthDeltas)
    #expect(try s.verify().ok)
    // A tampered record of added sums (the month has some unless the last catch-up merged them).
    #expect(try records() > 1)
    try s.env.write { txn in
      var last: [UInt8]?
      try txn.scan(s.proj, from: key) { k, _ in
        guard k.starts(with: key) else { return false }
        last = Array(k)
        return true
      }
      let k = try #require(last)
      var bytes = try #require(try txn.get(s.proj, k))
      bytes[24] ^= 1
      try txn.put(s.proj, k, bytes)
    }
    #expect(try s.verify().problem?.contains("pre-aggregate differs") == true)
  }

  /// Identifiers may be 200 bytes each: a customer-less key (seven of them) is then longer than
  /// an LMDB key, which the store keeps by hash. The month sums answer, and `verify` agrees,
  /// through a rebuild and a catch-up.
  @Test func longIdentifiersInEveryDimension() throws {
    let dir = try TemporaryDirectory("erpctl-agg")
    defer { dir.remove() }
    let s = try makeStore(dir)
    let reader = EventRecordReader(moneyDigits: 2)
    func id(_ c: Character) -> String { String(repeating: c, count: 200) }
    func order(_ n: Int, promotion: Character) -> String {
      #"{"type":"OrderConfirmed","at":"2026-01-0\#(n + 2)","data":{"order":"O-\#(n)","customer":"\#(id("c"))","rep":"\#(id("r"))","promotion":"\#(id(promotion))","lead":"\#(id("l"))","allow_backorder":true,"lines":[{"sku":"S-1","qty":1,"unit_price":"10.00"}]}}"#
    }
    let lines = [
      #"{"type":"CustomerRegistered","at":"2026-01-01","data":{"customer":"\#(id("c"))","name":"n","region":"\#(id("g"))","channel":"\#(id("h"))","tier":"\#(id("t"))"}}"#,
      #"{"type":"RepRegistered","at":"2026-01-01","data":{"rep":"\#(id("r"))","name":"n","team":"\#(id("m"))","region":"\#(id("g"))"}}"#,
      #"{"type":"ProductDefined","at":"2026-01-01","data":{"sku":"S-1","name":"n","line":"L","list_price":"10.00","unit_cost":"1.00"}}"#,
      #"{"type":"LeadCreated","at":"2026-01-01","data":{"lead":"\#(id("l"))","source":"\#(id("s"))","rep":"\#(id("r"))"}}"#,
      order(1, promotion: "p"), order(2, promotion: "p"),
    ]
    _ = try s.append(try lines.map { try reader.newEvent(Array($0.utf8)) }, clock: { fixedInstant })
    let queries: [SalesReport.Query] = [.init(range: nil, asOf: Self.end, by: ["rep", "month"]),
      .init(range: nil, asOf: Self.end, by: ["promotion", "source", "tier"])]
    for round in 0..<2 {
      let grouped = try s.salesMonthSumRowsAtHead(queries)
      let replay = try s.replaySales()
      for (q, rows) in zip(queries, grouped.rows) { #expect(rows == SalesReport.rows(replay, q).rows, "\(q.by)") }
      #expect(grouped.rows[0].first?.sums.orders == Int64(2 + round))
      #expect(try s.verify().ok)
      // A catch-up adding a key to the store (another promotion).
      _ = try s.append([try reader.newEvent(Array(order(3 + round, promotion: "q").utf8))], clock: { fixedInstant })
    }
  }
}
