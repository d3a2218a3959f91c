/// The pre-aggregate of the sales projection (issue 5): the facts summed per month, measure and
/// dimension tuple without its customer. The store keeps one record per month, rewritten in the
/// transaction that moves the projection's checkpoint, so a report whose grouping needs neither
/// the customer, the product nor anything finer than the month (`--by rep,month`, `--by region`,
/// `--period 2026-Q3`) reads these sums instead of every fact.
///
/// The tuples that differ only by their customer share one cell: the cell names the first of
/// them (the lowest tuple number; every tuple's first fact is its order's count, folded when the
/// tuple is made, so it is also the first met in the facts), which carries the same rep, team,
/// region, channel, tier, promotion and source. A cell is written as a fact record
/// (`encodeFacts`) with seq 0, item 0 and the month's first day as its day, so the report groups
/// cells exactly as it groups facts: integer sums do not depend on how they are split, and a
/// cell exists as soon as one fact falls in it (even when its sum is 0), so the same groups
/// appear (the store may keep a month in several records, whose cells add up the same way). The
/// per-SKU and per-line order counts (read only by product and line groupings) are
/// left out. Cells are sorted by tuple and measure: the bytes are a function of the fold.
///
/// The sums are kept at two levels (`SumLevel`), each with its own records: without the customer
/// (every other dimension), and by rep and team alone, which has a tenth of the cells and
/// answers the nightly `--by rep,month` (and `--by team`, `--by month`, company totals).
extension SalesProjection {
  /// A level of the pre-aggregate: which dimensions its cells keep.
  public enum SumLevel: CaseIterable, Sendable {
    /// Every dimension but the customer: rep, team, region, channel, tier, promotion, source.
    case customerless
    /// The rep and the team (of the order, SPEC 5) alone.
    case rep

    /// The letters of its records in the store: month records, key buckets.
    public var monthLetter: String { self == .customerless ? "a" : "b" }
    public var keyLetter: String { self == .customerless ? "k" : "j" }

    /// The dimensions this level keeps, in key order: what `key(_:)` writes and `tuple(_:)`
    /// reads back.
    var dimensions: [WritableKeyPath<DimTuple, String>] {
      switch self {
      case .customerless: [\.rep, \.team, \.region, \.channel, \.tier, \.promotion, \.source]
      case .rep: [\.rep, \.team]
      }
    }

    /// The tuple's key at this level, as bytes (the store keeps the first tuple of each in a
    /// `KeyBucket`).
    public func key(_ t: DimTuple) -> [UInt8] {
      var w = BinaryWriter()
      for d in dimensions { w.string(t[keyPath: d]) }
      return w.bytes
    }

    /// How many strings a key holds.
    public var keyFields: Int { dimensions.count }

    /// The tuple a key's fields stand for (the dimensions the level drops left empty).
    public func tuple(_ f: [String]) -> DimTuple {
      var t = DimTuple(rep: "", team: "", region: "", channel: "", customer: "", tier: "", promotion: "", source: "")
      for (d, v) in zip(dimensions, f) { t[keyPath: d] = v }
      return t
    }

    /// The finest level whose cells answer every one of `queries` exactly (nil when none does:
    /// the facts are read).
    public static func answering(_ queries: [SalesReport.Query]) -> SumLevel? {
      guard queries.allSatisfy(\.monthSumsSuffice) else { return nil }
      let rep: Set<String> = ["rep", "team", "month", "quarter", "year"]
      return queries.allSatisfy { $0.by.allSatisfy(rep.contains) } ? .rep : .customerless
    }
  }

  /// Where a fact's amount is summed within its month.
  public struct CellKey: Hashable, Sendable, Comparable {
    /// The first tuple of the fact's tuple's customer-less key.
    public var tuple: UInt32
    public var measure: UInt8

    public init(tuple: UInt32, measure: UInt8) { (self.tuple, self.measure) = (tuple, measure) }

    public static func < (a: CellKey, b: CellKey) -> Bool { (a.tuple, a.measure) < (b.tuple, b.measure) }
  }

  /// The sums of each month (keyed by the month's first day, days since 1970-01-01).
  public typealias Aggregate = [Int32: [CellKey: Int64]]

  /// The first day of the month of `day`.
  public static func monthBucket(_ day: Int32) -> Int32 {
    PeriodUnit.month.range(of: CivilDate(daysSinceEpoch: day)).from.daysSinceEpoch
  }

  /// A tuple's dimensions without its customer, as bytes (the store keeps the first tuple of
  /// each in a `KeyBucket`).
  public static func customerlessKey(_ t: DimTuple) -> [UInt8] { SumLevel.customerless.key(t) }

  /// One record of the customer-less keys: every key whose hash (`bucketID`) is the record's id,
  /// with the first tuple that has it, by first tuple. A key itself can be longer than LMDB's
  /// keys (seven identifiers of up to 200 bytes), so it is stored in the value. The store reads
  /// these bytes in place when it loads the month sums (`EventStore.loadMonthTuples`).
  public struct KeyBucket: Sendable {
    public var entries: [(first: UInt32, key: [UInt8])] = []

    public init() {}

    /// The id of the record holding `key`.
    public static func id(_ key: [UInt8]) -> [UInt8] { SalesProjection.tupleHash(key) }

    public func first(of key: [UInt8]) -> UInt32? { entries.first { $0.key == key }?.first }

    /// Adds `key` with its first tuple, keeping the entries by first tuple.
    public mutating func add(_ key: [UInt8], first: UInt32) {
      let at = entries.firstIndex { $0.first > first } ?? entries.count
      entries.insert((first, key), at: at)
    }

    /// Each entry: the first tuple, the key's length (4 bytes each, little-endian), the key.
    public var bytes: [UInt8] {
      var w = BinaryWriter()
      for e in entries {
        w.u32(e.first)
        w.u32(UInt32(e.key.count))
        w.bytes += e.key
      }
      return w.bytes
    }

    public init(_ bytes: [UInt8]) throws(CodecError) {
      var r = BinaryReader(bytes)
      while !r.atEnd {
        let first = try r.u32()
        let n = Int(try r.u32())
        entries.append((first, Array(try r.take(n))))
      }
    }
  }

  /// Adds `facts` to `aggregate`; `first` names the cell's tuple of a fact's tuple.
  public static func aggregate<E: Error>(
    _ facts: some Sequence<SalesFact>, first: (UInt32) throws(E) -> UInt32, into aggregate: inout Aggregate
  ) throws(E) {
    var lastDay = Int32.min
    var month: Int32 = 0
    var lastTuple = UInt32.max
    var cellTuple: UInt32 = 0
    for f in facts where f.measure != .ordersSKU && f.measure != .ordersLine {
      if f.day != lastDay {
        lastDay = f.day
        month = monthBucket(f.day)
      }
      if f.tuple != lastTuple {
        lastTuple = f.tuple
        cellTuple = try first(f.tuple)
      }
      aggregate[month, default: [:]][CellKey(tuple: cellTuple, measure: f.measure.rawValue), default: 0] += f.amount
    }
  }

  /// The month sums of a whole fold at `level`, computed from its facts (for `verify` and
  /// tests), with the first tuple of each of the level's keys.
  public func monthSumsFromFacts(_ level: SumLevel = .customerless) -> (sums: Aggregate, firstTuples: [[UInt8]: UInt32]) {
    var firsts: [[UInt8]: UInt32] = [:]
    var byTuple: [UInt32: UInt32] = [:]
    var sums: Aggregate = [:]
    Self.aggregate(facts, first: { (t: UInt32) -> UInt32 in
      if let f = byTuple[t] { return f }
      let key = level.key(tuples[Int(t)])
      let f = firsts[key] ?? t
      firsts[key] = f
      byTuple[t] = f
      return f
    }, into: &sums)
    return (sums, firsts)
  }

  /// One month's cells as fact records, in cell order.
  public static func cellFacts(month: Int32, _ cells: [CellKey: Int64]) -> [SalesFact] {
    cells.sorted { $0.key < $1.key }.compactMap { k, v in
      SalesMeasure(rawValue: k.measure).map { SalesFact(seq: 0, day: month, measure: $0, tuple: k.tuple, item: 0, amount: v) }
    }
  }

  /// The stored record of one month.
  public static func encodeCells(month: Int32, _ cells: [CellKey: Int64]) -> [UInt8] {
    encodeFacts(cellFacts(month: month, cells)[...])
  }

  /// The cells of a stored month record (or of a record of sums added to it since).
  public static func decodeCells(_ bytes: [UInt8], month: Int32) throws(CodecError) -> [CellKey: Int64] {
    guard bytes.count % factWidth == 0 else { throw CodecError() }
    var r = BinaryReader(bytes)
    var cells: [CellKey: Int64] = [:]
    while !r.atEnd {
      guard try r.u64() == 0, Int32(bitPattern: try r.u32()) == month else { throw CodecError() }
      let m = try r.u8()
      _ = try r.take(3)
      let k = CellKey(tuple: try r.u32(), measure: m)
      guard SalesMeasure(rawValue: m) != nil, try r.u32() == 0 else { throw CodecError() }
      cells[k, default: 0] += try r.i64()
    }
    return cells
  }

  /// A stored month record with `added` summed into it, in one pass over its cells (which are
  /// sorted, as `encodeCells` writes them): what a catch-up writes back.
  public static func mergeCells(_ bytes: [UInt8], month: Int32, adding added: [CellKey: Int64]) throws(CodecError)
    -> [UInt8]
  {
    guard bytes.count % factWidth == 0 else { throw CodecError() }
    let new = added.sorted { $0.key < $1.key }
    var w = BinaryWriter()
    w.bytes.reserveCapacity(bytes.count + new.count * factWidth)
    func write(_ k: CellKey, _ v: Int64) {
      w.u64(0)
      w.u32(UInt32(bitPattern: month))
      w.u8(k.measure)
      w.u8(0); w.u8(0); w.u8(0)
      w.u32(k.tuple)
      w.u32(0)
      w.i64(v)
    }
    var r = BinaryReader(bytes)
    var j = 0
    var previous: CellKey?
    while !r.atEnd {
      guard try r.u64() == 0, Int32(bitPattern: try r.u32()) == month else { throw CodecError() }
      let m = try r.u8()
      _ = try r.take(3)
      let k = CellKey(tuple: try r.u32(), measure: m)
      guard SalesMeasure(rawValue: m) != nil, try r.u32() == 0, previous.map({ $0 < k }) ?? true else { throw CodecError() }
      previous = k
      var v = try r.i64()
      while j < new.count, new[j].key < k {
        write(new[j].key, new[j].value)
        j += 1
      }
      if j < new.count, new[j].key == k {
        v += new[j].value
        j += 1
      }
      write(k, v)
    }
    for (k, v) in new[j...] { write(k, v) }
    return w.bytes
  }

  /// Every month's cells at `level` as fact records, months in order (what a report reads from
  /// the store).
  public func monthSumFacts(_ level: SumLevel = .customerless) -> [SalesFact] {
    let a = monthSumsFromFacts(level).sums
    return a.keys.sorted().flatMap { Self.cellFacts(month: $0, a[$0] ?? [:]) }
  }
}
