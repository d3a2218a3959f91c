import ERPCore

#if canImport(Glibc)
  import Glibc
#endif

/// Persisted projections (SPEC 1: "projection read models with their checkpoints"). The sales
/// projection lives in the `proj` database under `sales\0…`: `meta` (version, checkpoint, fact
/// and tuple counts), the records of SalesProjection+Codec (one per order, invoice, open invoice,
/// customer, product, lead and tuple, plus `items` and `master`), read on demand by a catch-up
/// and rewritten only when changed, and the facts in chunks of `chunkFacts` records under `f` +
/// chunk number (appended; only the last chunk is rewritten).
/// The month pre-aggregate (SalesProjection+Aggregate) is one record per month under `a` + the
/// month, and the first tuple of each customer-less key in a record under `k` + the key's hash
/// (SalesProjection.KeyBucket); its rep level likewise under `b` and `j`. A catch-up writes the
/// sums of its new facts in a small record of their own after the month's (`a` + the month + a
/// 4-byte number), and merges those into the month's record once there are `maxMonthDeltas` of
/// them or they reach a quarter of its size: a catch-up costs what it adds, not the month.
/// Everything of one catch-up is written in the transaction that reads the events it folds, so
/// the checkpoint and the state never disagree, even after a crash: each event is folded once.
extension EventStore {
  static let projectionDatabase = "proj"
  static let chunkFacts = 4096
  /// How many records of new month sums a month gathers before a catch-up merges them into the
  /// month's record (sooner when they add up to a quarter of it).
  static let maxMonthDeltas = 32

  private static func projKey(_ name: String, _ part: String) -> [UInt8] {
    Array(name.utf8) + [0] + Array(part.utf8)
  }
  /// The record of a month at `level`: the month's first day, sign bit flipped and big-endian,
  /// so the records sort by month.
  private static func monthKey(_ name: String, _ level: SalesProjection.SumLevel, _ month: Int32) -> [UInt8] {
    let m = UInt32(bitPattern: month) ^ 0x8000_0000
    return projKey(name, level.monthLetter) + [0, UInt8(truncatingIfNeeded: m >> 24), UInt8(truncatingIfNeeded: m >> 16),
      UInt8(truncatingIfNeeded: m >> 8), UInt8(truncatingIfNeeded: m)]
  }
  private static func chunkKey(_ name: String, _ n: Int) -> [UInt8] {
    projKey(name, "f") + [0, UInt8(truncatingIfNeeded: n >> 24), UInt8(truncatingIfNeeded: n >> 16),
      UInt8(truncatingIfNeeded: n >> 8), UInt8(truncatingIfNeeded: n)]
  }

  /// What the stored meta says.
  struct ProjectionMeta {
    var version: UInt32
    var checkpoint: UInt64
    var facts: Int
    /// The latest business day folded.
    var maxDay: Int32
    /// The number of tuples made.
    var tuples: UInt32

    var bytes: [UInt8] {
      var out: [UInt8] = []
      for i in 0..<4 { out.append(UInt8(truncatingIfNeeded: version >> (8 * i))) }
      for i in 0..<8 { out.append(UInt8(truncatingIfNeeded: checkpoint >> (8 * i))) }
      for i in 0..<8 { out.append(UInt8(truncatingIfNeeded: UInt64(facts) >> (8 * i))) }
      for i in 0..<4 { out.append(UInt8(truncatingIfNeeded: UInt32(bitPattern: maxDay) >> (8 * i))) }
      for i in 0..<4 { out.append(UInt8(truncatingIfNeeded: tuples >> (8 * i))) }
      return out
    }

    init(version: UInt32, checkpoint: UInt64, facts: Int, maxDay: Int32, tuples: UInt32) {
      (self.version, self.checkpoint, self.facts, self.maxDay, self.tuples) = (version, checkpoint, facts, maxDay, tuples)
    }

    /// Nil for a meta of another layout (an older version: the projection is rebuilt).
    init?(_ b: [UInt8]) {
      guard b.count == 28 else { return nil }
      version = b[0..<4].reversed().reduce(0) { $0 << 8 | UInt32($1) }
      checkpoint = b[4..<12].reversed().reduce(0) { $0 << 8 | UInt64($1) }
      facts = Int(b[12..<20].reversed().reduce(0) { $0 << 8 | UInt64($1) })
      maxDay = Int32(bitPattern: b[20..<24].reversed().reduce(0) { $0 << 8 | UInt32($1) })
      tuples = b[24..<28].reversed().reduce(0) { $0 << 8 | UInt32($1) }
    }
  }

  /// The persisted sales projection brought up to the head of the log (folding only the events
  /// appended since its checkpoint, or everything when its version changed), with its facts.
  /// A read-only store gets a replay in memory instead.
  public func salesProjection() throws -> SalesProjection { try salesProjectionAtHead().projection }

  /// The sales projection a figure as of `day` reads: with `persisted` (a report for today), the
  /// persisted one caught up to the head, unless it holds events dated after `day`; otherwise a
  /// replay of the log up to `day`, touching nothing persisted (the auditor's view).
  public func salesProjection(asOf day: CivilDate, persisted: Bool) throws -> (projection: SalesProjection, head: ChainHead) {
    if persisted {
      let current = try salesProjectionAtHead()
      if current.projection.maxDay <= day.daysSinceEpoch { return current }
    }
    return try replaySalesAtHead(asOf: day)
  }

  /// `salesProjection()` with the head of the log it was folded to (the same snapshot), for a
  /// report's `meta`.
  public func salesProjectionAtHead() throws -> (projection: SalesProjection, head: ChainHead) {
    let r = try salesProjectionAtHead(.facts)
    return (r.projection, r.head)
  }

  /// `salesProjectionAtHead()` with the month sums of the pre-aggregate in place of the facts
  /// (`factsAreMonthSums`), for reports whose grouping needs no finer detail than the month. A
  /// read-only store gets a replay in memory (with its facts) instead.
  public func salesMonthSumsAtHead() throws -> (projection: SalesProjection, head: ChainHead) {
    let r = try salesProjectionAtHead(.monthSums)
    return (r.projection, r.head)
  }

  /// The rows of each query grouped from the month sums (`SalesReport.Grouper`), fed straight
  /// from their stored records in the read transaction, so no array of the (many) month cells is
  /// made: the fast path of a warm `report sales`. The projection has the reps, targets and
  /// tuples the rows name, and no facts. Every query must be one the month sums answer
  /// (`monthSumsSuffice`). A read-only store gets a replay in memory, the rows grouped from its
  /// facts.
  public func salesMonthSumRowsAtHead(_ queries: [SalesReport.Query]) throws
    -> (projection: SalesProjection, head: ChainHead, rows: [[SalesReport.Row]])
  {
    let r = try salesProjectionAtHead(.grouped(queries))
    if let rows = r.rows { return (r.projection, r.head, rows) }
    return (r.projection, r.head, queries.map { SalesReport.rows(r.projection, $0).rows })
  }

  /// `salesMonthSumRowsAtHead` under the rule of `salesProjection(asOf:persisted:)`: for a
  /// replay, the rows are grouped from its facts.
  public func salesMonthSumRows(_ queries: [SalesReport.Query], asOf day: CivilDate, persisted: Bool) throws
    -> (projection: SalesProjection, head: ChainHead, rows: [[SalesReport.Row]])
  {
    if persisted {
      let current = try salesMonthSumRowsAtHead(queries)
      if current.projection.maxDay <= day.daysSinceEpoch { return current }
    }
    let r = try replaySalesAtHead(asOf: day)
    return (r.projection, r.head, queries.map { SalesReport.rows(r.projection, $0).rows })
  }

  /// What a report reads of the persisted projection.
  enum SalesRead {
    /// Every fact, tuple, item, customer and open invoice.
    case facts
    /// The month sums in place of the facts, and the tuples they name.
    case monthSums
    /// As `monthSums`, the sums grouped by each query as they are read.
    case grouped([SalesReport.Query])
  }

  private func salesProjectionAtHead(_ read: SalesRead) throws
    -> (projection: SalesProjection, head: ChainHead, rows: [[SalesReport.Row]]?)
  {
    let key = Self.projKey(SalesProjection.name, "meta")
    // Up to date: read it without taking the write lock.
    let current: (SalesProjection, ChainHead, [[SalesReport.Row]]?)? = try env.read { txn in
      let head = try Self.readHead { try txn.get(meta, $0) }
      guard let m = try txn.get(proj, key).flatMap(ProjectionMeta.init),
        m.version == SalesProjection.version, m.checkpoint == head.seq
      else { return nil }
      let (p, rows) = try loadSales(m, read) { try txn.get(proj, $0) } scan: { from, body in
        try txn.scan(proj, from: from, body)
      }
      return (p, head, rows)
    }
    if let current { return current }
    if env.readOnly {
      let r = try replaySalesAtHead(asOf: nil)
      return (r.projection, r.head, nil)
    }
    // A catch-up lost in a system crash is folded again at the next read: no meta-page flush.
    return try env.write(durable: false) { txn in
      let head = try Self.readHead { try txn.get(meta, $0) }
      let unreadable = StoreError.notAStore(path: path, reason: "the sales projection is unreadable")
      let p = SalesProjection()
      // The facts stored before this catch-up; those after them are the new ones.
      var stored = 0
      // A rebuild starts from nothing: the fold holds every record, and all of them are written.
      var rebuild = false
      if let m = try txn.get(proj, key).flatMap(ProjectionMeta.init), m.version == SalesProjection.version {
        stored = m.facts
        p.resume(checkpoint: m.checkpoint, maxDay: m.maxDay, tupleCount: m.tuples)
        do {
          if let items = try txn.get(proj, Self.projKey(SalesProjection.name, "items")) { try p.decodeItems(items) }
          if let master = try txn.get(proj, Self.projKey(SalesProjection.name, "master")) { try p.decodeMaster(master) }
        } catch is SalesProjection.CodecError { throw unreadable }
      } else {
        // Another version (or none): rebuild from seq 1.
        var old: [[UInt8]] = []
        let prefix = Array(SalesProjection.name.utf8) + [0]
        try txn.scan(proj, from: prefix) { k, _ in
          guard k.starts(with: prefix) else { return false }
          old.append(Array(k))
          return true
        }
        for k in old { try txn.delete(proj, k) }
        rebuild = true
      }
      // A catch-up's fold reads the records it names through the transaction, so the loader is
      // dropped before the transaction ends.
      if !rebuild {
        p.loader = { [proj] kind, id in try? txn.get(proj, Self.projKey(SalesProjection.name, "") + kind.key(id)) }
      }
      defer { p.loader = nil }
      let plan = salesFoldPlan()
      if rebuild {
        p.reserve(events: Int(head.seq), advise: Self.adviseHugePages)
        try foldPipelined(into: p, asOf: nil, plan: plan) { read in
          try txn.scan(events, from: SeqKey.encode(1)) { k, v in
            try read.record(v, seq: SeqKey.decode(k) ?? 0)
            return true
          }
        }
      } else {
        // A catch-up's fold reads through this transaction: on this thread.
        var dates = StoreTimeZone.DateCache(zone)
        try txn.scan(events, from: SeqKey.encode(p.checkpoint + 1)) { k, v in
          Self.fold(try foldStep(v, seq: SeqKey.decode(k) ?? 0, asOf: nil, plan: plan, dates: &dates), into: p)
          return true
        }
      }
      let tupleCount = p.tupleBase + UInt32(p.tuples.count)
      // The new facts' sums at each level, read before the tuples are written back.
      let added = try SalesProjection.SumLevel.allCases.map { level in
        (level, try newMonthSums(level, of: p, txn, unreadable: unreadable))
      }
      if rebuild {
        for (k, v) in p.allRecords() { try txn.put(proj, Self.projKey(SalesProjection.name, "") + k, v) }
      } else {
        for (k, v) in p.takeChangedRecords() {
          let full = Self.projKey(SalesProjection.name, "") + k
          if let v { try txn.put(proj, full, v) } else { try txn.delete(proj, full) }
        }
      }
      // The new facts after the stored ones: the last partial chunk is rewritten.
      let n = Self.chunkFacts
      let base = stored / n * n
      var tail = try loadFacts(from: base, count: stored - base, extra: p.facts.count) { from, body in
        try txn.scan(proj, from: from, body)
      }
      tail += p.facts
      let total = base + tail.count
      var chunk = base / n
      while chunk * n < total {
        let slice = tail[(chunk * n - base)..<(min(total, (chunk + 1) * n) - base)]
        try txn.put(proj, Self.chunkKey(SalesProjection.name, chunk), SalesProjection.encodeFacts(slice))
        chunk += 1
      }
      for (level, sums) in added { try addMonthSums(level, sums, txn, unreadable: unreadable) }
      let m = ProjectionMeta(
        version: SalesProjection.version, checkpoint: p.checkpoint, facts: total, maxDay: p.maxDay, tuples: tupleCount)
      try txn.put(proj, key, m.bytes)
      // What a report reads, from what was just written (the reps and targets as folded).
      let (loaded, rows) = try loadSales(m, read, master: p) { try txn.get(proj, $0) } scan: { from, body in
        try txn.scan(proj, from: from, body)
      }
      return (loaded, head, rows)
    }
  }

  /// The sums by month and cell of the facts `p` folded, at `level`: a cell names the first tuple
  /// of its key, noted in the key's bucket the first time a key is met.
  private func newMonthSums(
    _ level: SalesProjection.SumLevel, of p: SalesProjection, _ txn: WriteTransaction, unreadable: StoreError
  ) throws -> SalesProjection.Aggregate {
    var firsts: [UInt32: UInt32] = [:]
    var sums: SalesProjection.Aggregate = [:]
    try SalesProjection.aggregate(p.facts, first: { (t: UInt32) throws -> UInt32 in
      if let f = firsts[t] { return f }
      let key = level.key(p.tuple(t))
      let k = Self.projKey(SalesProjection.name, level.keyLetter) + [0] + SalesProjection.KeyBucket.id(key)
      var bucket: SalesProjection.KeyBucket
      do {
        bucket = try txn.get(proj, k).map { v throws(SalesProjection.CodecError) in try SalesProjection.KeyBucket(v) }
          ?? SalesProjection.KeyBucket()
      } catch { throw unreadable }
      let f: UInt32
      if let known = bucket.first(of: key) {
        f = known
      } else {
        f = t
        bucket.add(key, first: t)
        try txn.put(proj, k, bucket.bytes)
      }
      firsts[t] = f
      return f
    }, into: &sums)
    return sums
  }

  /// Adds new facts' sums to the stored months of `level`: a small record of their own beside the
  /// month's, merged into it once the month has gathered enough of them.
  private func addMonthSums(
    _ level: SalesProjection.SumLevel, _ sums: SalesProjection.Aggregate, _ txn: WriteTransaction,
    unreadable: StoreError
  ) throws {
    for (month, cells) in sums {
      let k = Self.monthKey(SalesProjection.name, level, month)
      do {
        guard let base = try txn.get(proj, k) else {
          try txn.put(proj, k, SalesProjection.encodeCells(month: month, cells))
          continue
        }
        var deltas: [([UInt8], [UInt8])] = []
        try txn.scan(proj, from: k + [0, 0, 0, 0]) { dk, dv in
          guard dk.count == k.count + 4, dk.starts(with: k) else { return false }
          deltas.append((Array(dk), Array(dv)))
          return true
        }
        let pending = deltas.reduce(0) { $0 + $1.1.count }
        if deltas.count < Self.maxMonthDeltas && pending < max(base.count / 4, 1 << 16) {
          let n = deltas.count
          try txn.put(proj, k + [UInt8(truncatingIfNeeded: n >> 24), UInt8(truncatingIfNeeded: n >> 16),
            UInt8(truncatingIfNeeded: n >> 8), UInt8(truncatingIfNeeded: n)], SalesProjection.encodeCells(month: month, cells))
        } else {
          var all = cells
          for (_, dv) in deltas { all.merge(try SalesProjection.decodeCells(dv, month: month), uniquingKeysWith: +) }
          try txn.put(proj, k, try SalesProjection.mergeCells(base, month: month, adding: all))
          for (dk, _) in deltas { try txn.delete(proj, dk) }
        }
      } catch is SalesProjection.CodecError { throw unreadable }
    }
  }

  /// The stored projection as a report reads it (`SalesRead`), and the rows of `.grouped`.
  /// `master`: a projection whose reps and targets are those stored (read from it, not decoded).
  private func loadSales(
    _ m: ProjectionMeta, _ read: SalesRead, master known: SalesProjection? = nil, get: ([UInt8]) throws -> [UInt8]?,
    scan: ([UInt8], (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Bool) throws -> Void
  ) throws -> (SalesProjection, [[SalesReport.Row]]?) {
    let p = SalesProjection()
    let unreadable = StoreError.notAStore(path: path, reason: "the sales projection is unreadable")
    do {
      if let known {
        p.setMaster(from: known)
      } else if let master = try get(Self.projKey(SalesProjection.name, "master")) {
        try p.decodeMaster(master)
      }
      switch read {
      case .facts: break
      case .monthSums:
        let (tuples, number) = try loadMonthTuples(.customerless, scan: scan)
        p.setLoaded(checkpoint: m.checkpoint, maxDay: m.maxDay, tuples: [])
        p.setMonthSums(try loadMonthSums(number: number, scan: scan), tuples: tuples)
        return (p, nil)
      case .grouped(let queries):
        // The rep level when it answers every query: a tenth of the cells.
        let level = SalesProjection.SumLevel.answering(queries) ?? .customerless
        let (tuples, number) = try loadMonthTuples(level, scan: scan)
        p.setLoaded(checkpoint: m.checkpoint, maxDay: m.maxDay, tuples: [])
        p.setMonthSums([], tuples: tuples)
        var groupers = queries.map { SalesReport.Grouper(p, $0) }
        try forEachMonthSum(level, number: number, scan: scan) { cells in
          for i in groupers.indices { groupers[i].add(contentsOf: cells) }
        }
        return (p, groupers.map { $0.rows() })
      }
      if let items = try get(Self.projKey(SalesProjection.name, "items")) { try p.decodeItems(items) }
      var tuples: [DimTuple] = []
      tuples.reserveCapacity(Int(m.tuples))
      try scanRecords(.tuple, scan: scan) { id, v in
        guard id.count == 4, SalesProjection.tupleKey(UInt32(tuples.count)).elementsEqual(id) else {
          throw SalesProjection.CodecError()
        }
        tuples.append(try SalesProjection.decodeTuple(Array(v)))
      }
      guard tuples.count == Int(m.tuples) else { throw unreadable }
      p.setLoaded(checkpoint: m.checkpoint, maxDay: m.maxDay, tuples: tuples)
      for kind in [SalesProjection.RecordKind.customer, .openInvoice] {
        try scanRecords(kind, scan: scan) { id, v in try p.loadRecord(kind, id: Array(id), Array(v)) }
      }
    } catch is SalesProjection.CodecError { throw unreadable }
    p.setFacts(try loadFacts(from: 0, count: m.facts, scan: scan))
    return (p, nil)
  }

  /// Calls `body` with the id and bytes of every stored record of `kind`, in key order.
  private func scanRecords(
    _ kind: SalesProjection.RecordKind,
    scan: ([UInt8], (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Bool) throws -> Void,
    _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Void
  ) throws {
    let prefix = Self.projKey(SalesProjection.name, "") + kind.key([])
    try withoutActuallyEscaping(body) { body in
      try scan(prefix) { k, v in
        guard k.starts(with: prefix) else { return false }
        try body(UnsafeRawBufferPointer(rebasing: k[prefix.count...]), v)
        return true
      }
    }
  }

  /// The tuples the month sums name: numbered from 0 in the order of their customer-less keys,
  /// each with those dimensions and an empty customer (the sums have none); and the new number
  /// of each first tuple (by its stored number; UInt32.max for the others).
  private func loadMonthTuples(
    _ level: SalesProjection.SumLevel,
    scan: ([UInt8], (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Bool) throws -> Void
  ) throws -> ([DimTuple], [UInt32]) {
    var tuples: [DimTuple] = []
    var number: [UInt32] = []
    let keys = Self.projKey(SalesProjection.name, level.keyLetter) + [0]
    var failed = false
    try scan(keys) { k, v in
      guard k.starts(with: keys) else { return false }
      // The bucket's entries (SalesProjection.KeyBucket), read in place: first tuple, length, key.
      var at = 0
      while at < v.count {
        guard at + 8 <= v.count else {
          failed = true
          return false
        }
        let first = Int(UInt32(littleEndian: v.loadUnaligned(fromByteOffset: at, as: UInt32.self)))
        let n = Int(UInt32(littleEndian: v.loadUnaligned(fromByteOffset: at + 4, as: UInt32.self)))
        at += 8
        guard n <= v.count - at, first < 1 << 28,
          let t = Self.keyTuple(level, UnsafeRawBufferPointer(rebasing: v[at..<(at + n)]))
        else {
          failed = true
          return false
        }
        at += n
        if first >= number.count { number += repeatElement(UInt32.max, count: first + 1 - number.count) }
        number[first] = UInt32(tuples.count)
        tuples.append(t)
      }
      return true
    }
    if failed { throw StoreError.notAStore(path: path, reason: "the sales projection is unreadable") }
    return (tuples, number)
  }

  /// The tuple a key of `level` (`SumLevel.key`) stands for, read in place from the stored
  /// bytes (nil for bytes that are not one).
  static func keyTuple(_ level: SalesProjection.SumLevel, _ b: UnsafeRawBufferPointer) -> DimTuple? {
    var f: [String] = []
    f.reserveCapacity(level.keyFields)
    var at = 0
    for _ in 0..<level.keyFields {
      guard at + 4 <= b.count else { return nil }
      let n = Int(UInt32(littleEndian: b.loadUnaligned(fromByteOffset: at, as: UInt32.self)))
      at += 4
      guard n <= b.count - at else { return nil }
      f.append(String(decoding: UnsafeRawBufferPointer(rebasing: b[at..<(at + n)]), as: UTF8.self))
      at += n
    }
    guard at == b.count else { return nil }
    return level.tuple(f)
  }

  /// The cells of the stored month records, record by record (months in order), as facts whose
  /// tuples are renumbered by `number` (`loadMonthTuples`). One buffer, the size of the largest
  /// record, is reused for all of them.
  private func forEachMonthSum(
    _ level: SalesProjection.SumLevel, number: [UInt32],
    scan: ([UInt8], (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Bool) throws -> Void,
    _ body: ([SalesFact]) -> Void
  ) throws {
    let prefix = Self.projKey(SalesProjection.name, level.monthLetter) + [0]
    let width = SalesProjection.factWidth
    var failed = false
    var cells: [SalesFact] = []
    try withoutActuallyEscaping(body) { body in
      try scan(prefix) { k, v in
        guard k.starts(with: prefix) else { return false }
        guard v.count % width == 0 else {
          failed = true
          return false
        }
        cells.removeAll(keepingCapacity: true)
        var at = 0
        while at < v.count {
          let t = Int(UInt32(littleEndian: v.loadUnaligned(fromByteOffset: at + 16, as: UInt32.self)))
          guard let m = SalesMeasure(rawValue: v[at + 12]), t < number.count, number[t] != UInt32.max else {
            failed = true
            return false
          }
          cells.append(SalesFact(
            seq: 0, day: Int32(littleEndian: v.loadUnaligned(fromByteOffset: at + 8, as: Int32.self)), measure: m,
            tuple: number[t], item: 0,
            amount: Int64(littleEndian: v.loadUnaligned(fromByteOffset: at + 24, as: Int64.self))))
          at += width
        }
        body(cells)
        return true
      }
    }
    if failed { throw StoreError.notAStore(path: path, reason: "the sales projection is unreadable") }
  }

  /// Every stored month record of the pre-aggregate, as fact records, months in order, their
  /// tuples renumbered by `number` (`loadMonthTuples`).
  private func loadMonthSums(
    number: [UInt32],
    scan: ([UInt8], (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Bool) throws -> Void
  ) throws -> [SalesFact] {
    // The records are measured first so the cells go into one array of the right size.
    let prefix = Self.projKey(SalesProjection.name, "a") + [0]
    var total = 0
    try scan(prefix) { k, v in
      guard k.starts(with: prefix) else { return false }
      total += v.count / SalesProjection.factWidth
      return true
    }
    var out: [SalesFact] = []
    out.reserveCapacity(total)
    try forEachMonthSum(.customerless, number: number, scan: scan) { out += $0 }
    return out
  }

  /// The `count` stored facts from number `from` on (a multiple of `chunkFacts`), in an array
  /// with room for `extra` more. With `toEnd`, they must be the last ones stored.
  private func loadFacts(
    from: Int, count: Int, extra: Int = 0, toEnd: Bool = true,
    scan: ([UInt8], (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Bool) throws -> Void
  ) throws -> [SalesFact] {
    let unreadable = StoreError.notAStore(path: path, reason: "the sales projection is unreadable")
    guard count >= 0, extra >= 0 else { throw unreadable }
    let prefix = Self.projKey(SalesProjection.name, "f") + [0]
    var failed = false
    var filled = 0
    // Every chunk is decoded straight into the array's storage.
    let facts = try [SalesFact](unsafeUninitializedCapacity: count + extra) { storage, initialized in
      Self.adviseHugePages(storage)
      guard count > 0 || toEnd else { return }
      try scan(Self.chunkKey(SalesProjection.name, from / Self.chunkFacts)) { k, v in
        guard k.starts(with: prefix) else { return false }
        guard v.count % SalesProjection.factWidth == 0, v.count / SalesProjection.factWidth <= count - filled,
          Self.decodeFacts(v, into: UnsafeMutableBufferPointer(rebasing: storage[filled...]))
        else {
          failed = true
          return false
        }
        filled += v.count / SalesProjection.factWidth
        initialized = filled
        return toEnd || filled < count
      }
    }
    guard !failed, facts.count == count else { throw unreadable }
    return facts
  }

  /// Asks the kernel to back the whole 2 MiB pages inside a large, fresh buffer with huge pages
  /// (where transparent huge pages are enabled "madvise"): a warm report fills tens or hundreds
  /// of megabytes of facts, and faulting them in 4 KiB at a time was a third of its time. Only
  /// advice: nothing changes where the kernel declines.
  ///
  /// The sales fold's order and invoice tables are advised too (`SalesProjection.reserve`):
  /// looked up at random, tens of megabytes of them missed the TLB at every lookup, and a full
  /// replay took about a tenth less CPU with huge pages there.
  static func adviseHugePages<T>(_ buffer: UnsafeMutableBufferPointer<T>) {
    adviseHugePages(UnsafeMutableRawBufferPointer(buffer))
  }

  static func adviseHugePages(_ buffer: UnsafeMutableRawBufferPointer) {
    #if os(Linux)
      let huge = 2 << 20
      let bytes = buffer.count
      guard bytes >= 2 * huge, let base = buffer.baseAddress else { return }
      let start = (Int(bitPattern: base) + huge - 1) & ~(huge - 1)
      let end = (Int(bitPattern: base) + bytes) & ~(huge - 1)
      guard end > start, let p = UnsafeMutableRawPointer(bitPattern: start) else { return }
      _ = madvise(p, end - start, MADV_HUGEPAGE)
    #endif
  }

  /// Whether a stored fact record has the layout of `SalesFact` in memory (little-endian, the
  /// same offsets, measures stored as their case numbers), so chunks can be copied as they are.
  private static let factsCopyAsIs: Bool = {
    #if _endian(little)
      let layout = MemoryLayout<SalesFact>.self
      return layout.stride == SalesProjection.factWidth && layout.offset(of: \.seq) == 0
        && layout.offset(of: \.day) == 8 && layout.offset(of: \.measure) == 12 && layout.offset(of: \.tuple) == 16
        && layout.offset(of: \.item) == 20 && layout.offset(of: \.amount) == 24
        && MemoryLayout<SalesMeasure>.size == 1
        && SalesMeasure.allCases.allSatisfy { m in withUnsafeBytes(of: m) { $0[0] } == m.rawValue }
    #else
      return false
    #endif
  }()

  /// Decodes a chunk of fixed-width fact records (`SalesProjection.encodeFacts`) straight from
  /// the LMDB value into `out` (room for every record): the hot part of a warm report. `buf` is
  /// valid inside the scan callback that hands it over, and nothing here keeps it.
  static func decodeFacts(_ buf: UnsafeRawBufferPointer, into out: UnsafeMutableBufferPointer<SalesFact>) -> Bool {
    let width = SalesProjection.factWidth
    guard buf.count % width == 0, buf.count / width <= out.count else { return false }
    let measures = UInt8(SalesMeasure.allCases.count)
    var at = 0
    if factsCopyAsIs {
      // Check every measure before the bytes become facts.
      while at < buf.count {
        guard buf[at + 12] < measures else { return false }
        at += width
      }
      if let src = buf.baseAddress, let dst = out.baseAddress {
        UnsafeMutableRawPointer(dst).copyMemory(from: src, byteCount: buf.count)
      }
      return true
    }
    guard let first = out.baseAddress else { return buf.isEmpty }
    var i = 0
    while at < buf.count {
      guard let m = SalesMeasure(rawValue: buf[at + 12]) else { return false }
      (first + i).initialize(to: SalesFact(
        seq: UInt64(littleEndian: buf.loadUnaligned(fromByteOffset: at, as: UInt64.self)),
        day: Int32(littleEndian: buf.loadUnaligned(fromByteOffset: at + 8, as: Int32.self)),
        measure: m,
        tuple: UInt32(littleEndian: buf.loadUnaligned(fromByteOffset: at + 16, as: UInt32.self)),
        item: UInt32(littleEndian: buf.loadUnaligned(fromByteOffset: at + 20, as: UInt32.self)),
        amount: Int64(littleEndian: buf.loadUnaligned(fromByteOffset: at + 24, as: Int64.self))))
      at += width
      i += 1
    }
    return true
  }

  /// A sales projection folded in memory from the events up to seq `through` whose business date
  /// is on or before `asOf` (the auditor's view, SPEC 7), touching nothing persisted.
  public func replaySales(through: UInt64? = nil, asOf: CivilDate? = nil) throws -> SalesProjection {
    try replay(through: through, asOf: asOf).projection
  }

  /// `replaySales(asOf:)` with the head of the log it read (the same snapshot).
  public func replaySalesAtHead(asOf: CivilDate?) throws -> (projection: SalesProjection, head: ChainHead) {
    try replay(through: nil, asOf: asOf)
  }

  private func replay(through: UInt64?, asOf: CivilDate?) throws -> (projection: SalesProjection, head: ChainHead) {
    let p = SalesProjection()
    let plan = salesFoldPlan()
    let head = try env.read { txn in
      let head = try Self.readHead { try txn.get(meta, $0) }
      p.reserve(events: Int(min(through ?? head.seq, head.seq)), advise: Self.adviseHugePages)
      try foldPipelined(into: p, asOf: asOf, plan: plan) { read in
        try txn.scan(events, from: SeqKey.encode(1)) { k, v in
          let seq = SeqKey.decode(k) ?? 0
          if let through, seq > through { return false }
          try read.record(v, seq: seq)
          return true
        }
      }
      return head
    }
    return (p, head)
  }

  /// What one pass over the log reads the same way for every record: the typed reader and
  /// which types (by the reader's index) the pass folds.
  struct FoldPlan {
    let reader: TypedEventReader
    let types: Set<String>
    let folded: [Bool]

    init(digits: Int, folding types: Set<String>) {
      reader = TypedEventReader(digits: digits)
      self.types = types
      folded = reader.names.map { types.contains($0) }
    }

    /// The reader's index of a record's type (nil for a type the catalog does not name), and
    /// whether the pass folds that type.
    @inline(__always)
    func type(_ head: TypedEventReader.Head) -> (index: Int?, folded: Bool) {
      if let t = reader.index(of: head.type) { return (t, folded[t]) }
      return (nil, types.contains(String(decoding: head.type, as: UTF8.self)))
    }

    /// The typed event of a record the pass folds: read straight from its bytes when the reader
    /// can, else decoded the general way; nil for data that does not decode.
    @inline(__always)
    func event(
      _ v: UnsafeRawBufferPointer, _ head: TypedEventReader.Head, index: Int?, general: () throws -> SalesEvent?
    ) rethrows -> SalesEvent? {
      if let index, let e = reader.event(v, head, type: index) { return e }
      return try general()
    }
  }

  func salesFoldPlan() -> FoldPlan { FoldPlan(digits: metadata.moneyDigits, folding: SalesProjection.foldedTypes) }

  /// What a fold does with one stored record.
  enum FoldStep {
    /// Dated after the as-of day: left out, the checkpoint does not move.
    case leftOut
    /// A type the fold ignores (not decoded), or data that does not decode: the checkpoint moves.
    case skip(seq: UInt64, day: CivilDate)
    /// A type the fold reads, decoded; `type` is its index in the plan's reader (nil for a type
    /// the catalogue does not name).
    case apply(seq: UInt64, day: CivilDate, SalesEvent, type: Int?)
  }

  /// What every fold reads first of a stored record: its head, business day and type (the
  /// plan's index, and whether the pass folds it); nil when it is dated after `asOf`.
  @inline(__always)
  fileprivate func foldHead(
    _ v: UnsafeRawBufferPointer, seq: UInt64, asOf: CivilDate?, plan: FoldPlan, dates: inout StoreTimeZone.DateCache
  ) throws -> (head: TypedEventReader.Head, day: CivilDate, index: Int?, folded: Bool)? {
    let head: TypedEventReader.Head
    do throws(CodecError) { head = try TypedEventReader.head(v) } catch {
      throw StoreError.notAStore(path: path, reason: "event \(seq) is unreadable: \(error.reason)")
    }
    let day = dates.date(of: head.at)
    if let asOf, asOf < day { return nil }
    let type = plan.type(head)
    return (head, day, type.index, type.folded)
  }

  /// A record's event decoded the general way (when the typed reader leaves it): nil for data
  /// that does not decode.
  fileprivate func generalEvent(_ v: UnsafeRawBufferPointer, seq: UInt64) throws -> SalesEvent? {
    typedEvent(try decode(v, seq: seq))
  }

  /// Reads one stored record for the sales fold: events dated after `asOf` are left out, and
  /// events of a type the fold ignores are skipped without being decoded.
  @inline(__always)
  fileprivate func foldStep(
    _ v: UnsafeRawBufferPointer, seq: UInt64, asOf: CivilDate?, plan: FoldPlan, dates: inout StoreTimeZone.DateCache
  ) throws -> FoldStep {
    guard let r = try foldHead(v, seq: seq, asOf: asOf, plan: plan, dates: &dates) else { return .leftOut }
    guard r.folded, let typed = try plan.event(v, r.head, index: r.index, general: { try generalEvent(v, seq: seq) })
    else { return .skip(seq: seq, day: r.day) }
    return .apply(seq: seq, day: r.day, typed, type: r.index)
  }

  /// Folds one step into `p`.
  @inline(__always)
  private static func fold(_ step: FoldStep, into p: SalesProjection) {
    switch step {
    case .leftOut: break
    case .skip(let seq, let day): p.skip(seq: seq, day: day)
    case .apply(let seq, let day, let e, _): p.apply(seq: seq, day: day, e)
    }
  }

  /// Folds into `p` (which must have no loader: it runs on another thread) the records `scan`
  /// passes to the reader it is given, decoding on this thread while `p` folds on a second one
  /// (`FoldPipeline`).
  private func foldPipelined(
    into p: SalesProjection, asOf: CivilDate?, plan: FoldPlan, _ scan: (inout PipelinedRead) throws -> Void
  ) throws {
    let box = UncheckedBox(p)
    let lookahead = p.lookahead
    let read = try FoldPipeline<FoldedEvent>.run(
      fold: { box.value.apply(seq: $0.seq, day: $0.day, $0.event) },
      ahead: { item, step in
        // The index slots first, their entries half as far ahead (reading the slots).
        if step == 0 {
          lookahead.slots(of: item.pointee.keys) { prefetch(address: $0) }
        } else {
          box.value.entryAddresses(of: item.pointee.keys) { prefetch(address: $0) }
        }
      }
    ) { pipe in
      var read = PipelinedRead(store: self, pipe: pipe, asOf: asOf, plan: plan, lookahead: lookahead)
      try scan(&read)
      return read
    }
    if let skipped = read.skipped { p.skip(through: skipped.seq, latestDay: skipped.day) }
  }

  /// The reading half of `foldPipelined`: decodes each record and hands it to the folding
  /// thread. Skips only move the checkpoint, so they are kept here (the last one's seq and the
  /// latest day) instead of being handed over. A struct, passed `inout`: as a class, its date
  /// cache and skips were checked for exclusive access on every record (a tenth of the reading).
  struct PipelinedRead {
    let store: EventStore
    let pipe: FoldPipeline<FoldedEvent>
    let asOf: CivilDate?
    let plan: FoldPlan
    /// Where the fold will look up each event's order and invoice, prefetched here: the fold's
    /// tables are too large for its caches, and this thread has time to spare.
    let lookahead: SalesProjection.Lookahead
    var skipped: (seq: UInt64, day: CivilDate)?
    var dates: StoreTimeZone.DateCache

    init(
      store: EventStore, pipe: FoldPipeline<FoldedEvent>, asOf: CivilDate?, plan: FoldPlan,
      lookahead: SalesProjection.Lookahead
    ) {
      (self.store, self.pipe, self.asOf, self.plan, self.lookahead) = (store, pipe, asOf, plan, lookahead)
      dates = StoreTimeZone.DateCache(store.zone)
    }

    @inline(__always)
    mutating func record(_ v: UnsafeRawBufferPointer, seq: UInt64) throws {
      guard let (head, day, index, folded) = try store.foldHead(v, seq: seq, asOf: asOf, plan: plan, dates: &dates)
      else { return }
      // Decoded into the pipeline's buffer (a decoded event is large: copies through the callers
      // were a tenth of the reading).
      let (store, plan, lookahead) = (store, plan, lookahead)
      let passed = try folded && pipe.emit { slot throws in
        let read = index.map { plan.reader.event(v, head, type: $0, seq: seq, day: day, into: slot) } ?? false
        if !read {
          guard let e = try store.generalEvent(v, seq: seq) else { return false }
          slot.initialize(to: FoldedEvent(seq: seq, day: day, event: e))
        }
        let keys = SalesProjection.foldKeys(of: slot.pointer(to: \.event)!)
        slot.pointer(to: \.keys)!.pointee = keys
        lookahead.slots(of: keys) { prefetch(address: $0) }
        return true
      }
      if !passed { skipped = (seq, max(day, skipped?.day ?? day)) }
    }
  }

  /// The typed event of an envelope (nil for data that does not decode, which only the trusted
  /// API can store).
  func typedEvent(_ e: EventEnvelope) -> SalesEvent? { typedEvent(type: e.type, v: e.v, data: e.data) }

  func typedEvent(type: String, v: Int, data: JSONObject) -> SalesEvent? {
    guard let current = try? Upcaster.standard.upcast(type: type, v: v, data: data) else { return nil }
    return try? SalesEvent(type: type, data: current, digits: metadata.moneyDigits)
  }

  /// `verify`'s projection check: the persisted sales projection equals a replay from scratch of
  /// the events up to its checkpoint, record by record. Nil when it checks out (or none is
  /// stored yet).
  func verifySalesProjection() throws -> String? {
    let prefix = Array(SalesProjection.name.utf8) + [0]
    let loaded: (ProjectionMeta, [SalesFact], [([UInt8], [UInt8])], [([UInt8], [UInt8])])? = try env.read { txn in
      guard let m = try txn.get(proj, Self.projKey(SalesProjection.name, "meta")).flatMap(ProjectionMeta.init)
      else { return nil }
      guard m.version == SalesProjection.version else { return nil }  // rebuilt at next use
      let facts = try loadFacts(from: 0, count: m.facts) { from, body in try txn.scan(proj, from: from, body) }
      // Every other record: the fold's, and the pre-aggregate's.
      var records: [([UInt8], [UInt8])] = []
      var aggregate: [([UInt8], [UInt8])] = []  // as stored
      let sumPrefixes = SalesProjection.SumLevel.allCases.flatMap { [$0.monthLetter, $0.keyLetter] }
        .map { Array($0.utf8) + [0] }
      try txn.scan(proj, from: prefix) { k, v in
        guard k.starts(with: prefix) else { return false }
        let key = Array(k[prefix.count...])
        if sumPrefixes.contains(where: { key.starts(with: $0) }) {
          aggregate.append((Array(k), Array(v)))
        } else if !key.starts(with: Array("f".utf8) + [0]), key != Array("meta".utf8) {
          records.append((key, Array(v)))
        }
        return true
      }
      return (m, facts, records, aggregate)
    }
    guard let (m, facts, records, stored) = loaded else { return nil }
    let replay = try replaySales(through: m.checkpoint)
    let expected = replay.allRecords()
    guard facts == replay.facts, m.checkpoint == replay.checkpoint, m.maxDay == replay.maxDay,
      m.tuples == UInt32(replay.tuples.count), expected.count == records.count,
      zip(expected, records).allSatisfy({ $0.key == $1.0 && $0.value == $1.1 })
    else {
      return "the sales projection differs from a replay of events 1–\(m.checkpoint)"
    }
    // The pre-aggregate against the sums of the replay's facts at each level, each month's
    // records summed.
    var sumsExpected: [([UInt8], [UInt8])] = []
    for level in SalesProjection.SumLevel.allCases {
      let (sums, firsts) = replay.monthSumsFromFacts(level)
      for (month, cells) in sums {
        sumsExpected.append((Self.monthKey(SalesProjection.name, level, month), SalesProjection.encodeCells(month: month, cells)))
      }
      var buckets: [[UInt8]: SalesProjection.KeyBucket] = [:]
      for (key, t) in firsts { buckets[SalesProjection.KeyBucket.id(key), default: SalesProjection.KeyBucket()].add(key, first: t) }
      for (id, bucket) in buckets {
        sumsExpected.append((Self.projKey(SalesProjection.name, level.keyLetter) + [0] + id, bucket.bytes))
      }
    }
    sumsExpected.sort { $0.0.lexicographicallyPrecedes($1.0) }
    let monthKeyLength = Self.monthKey(SalesProjection.name, .customerless, 0).count
    let monthPrefixes = SalesProjection.SumLevel.allCases.map { Self.projKey(SalesProjection.name, $0.monthLetter) + [0] }
    var aggregate: [([UInt8], [UInt8])] = []
    do {
      var at = 0
      while at < stored.count {
        let k = stored[at].0
        guard k.count == monthKeyLength, monthPrefixes.contains(where: { k.starts(with: $0) }) else {
          aggregate.append(stored[at])
          at += 1
          continue
        }
        let month = Int32(bitPattern: k.suffix(4).reduce(0) { $0 << 8 | UInt32($1) } ^ 0x8000_0000)
        var cells = try SalesProjection.decodeCells(stored[at].1, month: month)
        at += 1
        while at < stored.count, stored[at].0.count == k.count + 4, stored[at].0.starts(with: k) {
          cells.merge(try SalesProjection.decodeCells(stored[at].1, month: month), uniquingKeysWith: +)
          at += 1
        }
        aggregate.append((k, SalesProjection.encodeCells(month: month, cells)))
      }
    } catch {
      return "the sales pre-aggregate is unreadable"
    }
    guard sumsExpected.count == aggregate.count, zip(sumsExpected, aggregate).allSatisfy({ $0.0 == $1.0 && $0.1 == $1.1 }) else {
      return "the sales pre-aggregate differs from the sums of a replay of events 1–\(m.checkpoint)"
    }
    return nil
  }
}

extension EventStore {
  /// Replays the log into `projectors` in one read snapshot: every event up to seq `through`
  /// (the head when nil) whose business date is on or before `asOf` (all of them when nil) and
  /// whose type one of them folds, decoded once. Nothing persisted is touched. Returns the head
  /// of the log the snapshot holds.
  public func replay(_ projectors: [any EventProjector], asOf: CivilDate?, through: UInt64? = nil) throws -> ChainHead {
    let wanted = projectors.reduce(into: Set<String>()) { $0.formUnion($1.foldedTypes) }
    let plan = FoldPlan(digits: metadata.moneyDigits, folding: wanted)
    // The projectors of each type, by the reader's index.
    let folding = plan.reader.names.map { t in projectors.filter { $0.foldedTypes.contains(t) } }
    // Decoded on this thread, folded on a second one (`FoldPipeline`), each event with the
    // projectors it goes to.
    var dates = StoreTimeZone.DateCache(zone)
    return try env.read { txn in
      let head = try Self.readHead { try txn.get(meta, $0) }
      try FoldPipeline<(UInt64, CivilDate, SalesEvent, [any EventProjector])>.run(fold: { item in
        for p in item.3 { p.apply(seq: item.0, day: item.1, item.2) }
      }) { pipe in
        try txn.scan(events, from: SeqKey.encode(1)) { k, v in
          let seq = SeqKey.decode(k) ?? 0
          if let through, seq > through { return false }
          guard case .apply(_, let day, let typed, let t) = try foldStep(v, seq: seq, asOf: asOf, plan: plan, dates: &dates)
          else { return true }
          pipe.emit((seq, day, typed, t.map { folding[$0] } ?? projectors.filter { $0.foldedTypes.contains(typed.type) }))
          return true
        }
      }
      return head
    }
  }
}

extension EventStore {
  private static func auxiliaryKey(_ name: String) -> [UInt8] { Array("aux".utf8) + [0] + Array(name.utf8) }

  /// A small record the CLI keeps in the store beside the projections (e.g. which alerts
  /// `alerts --since-last` already notified); nil when none was written.
  public func auxiliary(_ name: String) throws -> [UInt8]? {
    try env.read { txn in try txn.get(proj, Self.auxiliaryKey(name)) }
  }

  /// Replaces the record `name` (one write transaction).
  public func setAuxiliary(_ name: String, _ bytes: [UInt8]) throws {
    try env.write { txn in try txn.put(proj, Self.auxiliaryKey(name), bytes) }
  }
}
