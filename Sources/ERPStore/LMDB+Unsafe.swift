import CLMDB
import ERPCore
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

// The only file that imports CLMDB. Everything that holds an MDB_val or a pointer into the map
// lives here, and no pointer escapes the closure that was handed it: LMDB only guarantees a
// value's memory until the transaction that read it ends or writes again.

@inline(__always)
func check(_ rc: Int32, _ call: String) throws(StoreError) {
  guard rc != MDB_SUCCESS else { return }
  switch rc {
  case MDB_READERS_FULL, EAGAIN, EBUSY:
    throw .busy("\(call): \(String(cString: mdb_strerror(rc)))")
  default:
    throw .lmdb(code: rc, call: call, message: String(cString: mdb_strerror(rc)))
  }
}

/// A named database handle inside an environment.
struct Database: Sendable, Equatable {
  fileprivate let dbi: MDB_dbi
}

/// An LMDB environment (one store directory) with a map that grows by itself.
final class LMDBEnvironment {
  private let env: OpaquePointer
  let readOnly: Bool
  private(set) var mapSize: Int

  /// Opens the environment at `path` (a directory). `mapSize` is a lower bound: LMDB keeps the
  /// larger size recorded in the environment by an earlier growth.
  init(path: String, mapSize: Int, maxDatabases: Int, readOnly: Bool) throws(StoreError) {
    var e: OpaquePointer?
    try check(mdb_env_create(&e), "mdb_env_create")
    guard let e else { throw .lmdb(code: -1, call: "mdb_env_create", message: "no environment") }
    env = e
    self.readOnly = readOnly
    self.mapSize = mapSize
    do {
      try check(mdb_env_set_maxdbs(env, MDB_dbi(maxDatabases)), "mdb_env_set_maxdbs")
      try check(mdb_env_set_mapsize(env, mapSize), "mdb_env_set_mapsize")
      // NOTLS: read transactions are not tied to a thread (Swift may resume on another one).
      var flags = UInt32(MDB_NOTLS)
      if readOnly { flags |= UInt32(MDB_RDONLY) }
      try check(mdb_env_open(env, path, flags, 0o600), "mdb_env_open")
    } catch {
      mdb_env_close(env)
      throw error
    }
    var info = MDB_envinfo()
    mdb_env_info(env, &info)
    self.mapSize = info.me_mapsize
  }

  deinit { mdb_env_close(env) }

  var pageSize: Int {
    var st = MDB_stat()
    mdb_env_stat(env, &st)
    return Int(st.ms_psize)
  }

  /// Bytes of the map in use: (last page number + 1) × page size.
  var usedBytes: Int {
    var info = MDB_envinfo()
    mdb_env_info(env, &info)
    return (info.me_last_pgno + 1) * pageSize
  }

  func sync() throws(StoreError) { try check(mdb_env_sync(env, 1), "mdb_env_sync") }

  /// Opens named databases (creating them unless the environment is read-only). The handles
  /// outlive the transaction because it commits (an aborted one would close them).
  func databases(_ names: [String]) throws(StoreError) -> [Database] {
    var txn: OpaquePointer?
    try check(mdb_txn_begin(env, nil, readOnly ? UInt32(MDB_RDONLY) : 0, &txn), "mdb_txn_begin")
    guard let txn else {
        throw StoreError.lmdb(code: -1, call: "mdb_txn_begin", message: "no transaction")
      }
    var dbs: [Database] = []
    for name in names {
      var dbi: MDB_dbi = 0
      let rc = mdb_dbi_open(txn, name, readOnly ? 0 : UInt32(MDB_CREATE), &dbi)
      if rc != MDB_SUCCESS {
        mdb_txn_abort(txn)
        try check(rc, "mdb_dbi_open(\(name))")
      }
      dbs.append(Database(dbi: dbi))
    }
    try check(mdb_txn_commit(txn), "mdb_txn_commit")
    return dbs
  }

  /// Grows the map to at least `bytes` (no transaction of this process may be open).
  func reserve(bytes: Int) throws(StoreError) {
    guard bytes > mapSize else { return }
    try check(mdb_env_set_mapsize(env, bytes), "mdb_env_set_mapsize")
    mapSize = bytes
  }

  /// Runs `body` in a read transaction (a consistent snapshot; never blocks writers).
  func read<T>(_ body: (ReadTransaction) throws -> T) throws -> T {
    var attempts = 0
    while true {
      var txn: OpaquePointer?
      let rc = mdb_txn_begin(env, nil, UInt32(MDB_RDONLY), &txn)
      if rc == MDB_MAP_RESIZED, attempts < 8 {
        // Another process grew the map: adopt its size and try again.
        attempts += 1
        try check(mdb_env_set_mapsize(env, 0), "mdb_env_set_mapsize")
        continue
      }
      try check(rc, "mdb_txn_begin")
      guard let txn else {
        throw StoreError.lmdb(code: -1, call: "mdb_txn_begin", message: "no transaction")
      }
      defer { mdb_txn_abort(txn) }
      return try body(ReadTransaction(txn: txn))
    }
  }

  /// Runs `body` in a write transaction and commits. When the map is full the transaction is
  /// aborted, the map doubled and `body` run again from the start, so it must not have effects
  /// outside the transaction. LMDB's writer lock serialises writers across processes.
  /// - Parameter durable: false for a transaction that may be lost in a system crash as long as
  ///   it is lost whole (a projection's catch-up, redone at the next read): its pages are synced
  ///   but not the meta page that makes it current (MDB_NOMETASYNC), one disk flush instead of
  ///   two. A crash keeps the store consistent either way.
  func write<T>(durable: Bool = true, _ body: (WriteTransaction) throws -> T) throws -> T {
    if !durable {
      try check(mdb_env_set_flags(env, UInt32(MDB_NOMETASYNC), 1), "mdb_env_set_flags")
    }
    defer { if !durable { mdb_env_set_flags(env, UInt32(MDB_NOMETASYNC), 0) } }
    var attempts = 0
    while true {
      var txn: OpaquePointer?
      let rc = mdb_txn_begin(env, nil, 0, &txn)
      if rc == MDB_MAP_RESIZED, attempts < 64 {
        attempts += 1
        try check(mdb_env_set_mapsize(env, 0), "mdb_env_set_mapsize")
        continue
      }
      try check(rc, "mdb_txn_begin")
      guard let txn else {
        throw StoreError.lmdb(code: -1, call: "mdb_txn_begin", message: "no transaction")
      }
      let result: T
      let cursors = PutCursors(txn: txn)
      // mdb_txn_commit frees the handle whether it succeeds or not; abort only before it.
      var commitCalled = false
      do {
        result = try body(WriteTransaction(txn: txn, cursors: cursors))
        cursors.close()
        commitCalled = true
        let flusher = CommitFlusher(env: env)
        defer { flusher.stop() }
        try check(mdb_txn_commit(txn), "mdb_txn_commit")
      } catch {
        cursors.close()
        if !commitCalled { mdb_txn_abort(txn) }
        if case StoreError.lmdb(let code, _, _) = error, code == MDB_MAP_FULL, attempts < 64 {
          attempts += 1
          try grow()
          continue
        }
        throw error
      }
      return result
    }
  }

  /// Doubles the map (no transaction of this process may be open).
  private func grow() throws(StoreError) {
    var info = MDB_envinfo()
    mdb_env_info(env, &info)
    let newSize = max(info.me_mapsize, mapSize) * 2
    try check(mdb_env_set_mapsize(env, newSize), "mdb_env_set_mapsize")
    mapSize = newSize
  }
}

/// A read-only view valid for the duration of the closure it is handed.
struct ReadTransaction {
  fileprivate let txn: OpaquePointer

  /// The value under `key`, copied out of the map.
  func get(_ db: Database, _ key: [UInt8]) throws -> [UInt8]? {
    try withValue(db, key) { Array($0) }
  }

  /// Hands the value under `key` to `body` without copying; the buffer is valid only inside.
  func withValue<T>(
    _ db: Database, _ key: [UInt8], _ body: (UnsafeRawBufferPointer) throws -> T
  ) throws -> T? {
    try lmdbGet(txn, db.dbi, key, body)
  }

  /// Visits entries in key order from `start` (or the first key) until `body` returns false.
  func scan(
    _ db: Database, from start: [UInt8]?, reverse: Bool = false,
    _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Bool
  ) throws {
    try lmdbScan(txn, db.dbi, from: start, reverse: reverse, lookAhead: true, body)
  }

  func count(_ db: Database) throws(StoreError) -> Int {
    var st = MDB_stat()
    try check(mdb_stat(txn, db.dbi, &st), "mdb_stat")
    return Int(st.ms_entries)
  }
}

/// The cursors a write transaction puts through, one per database, opened at the first put and
/// closed before the transaction ends. A put through a cursor that stays where the last put left
/// it costs no search from the root when the next key lands on the same leaf page (LMDB checks
/// the cursor's page first), and an append none at all: the event log, the key index's rising
/// import keys and the state write-back's sorted keys all put in order. LMDB keeps the cursors
/// right when other operations of the transaction change their pages.
final class PutCursors {
  private let txn: OpaquePointer
  private var cursors: [OpaquePointer?] = []

  fileprivate init(txn: OpaquePointer) { self.txn = txn }

  fileprivate func cursor(_ dbi: MDB_dbi) -> (OpaquePointer?, Int32) {
    let i = Int(dbi)
    if i < cursors.count, let c = cursors[i] { return (c, MDB_SUCCESS) }
    var c: OpaquePointer?
    let rc = mdb_cursor_open(txn, dbi, &c)
    guard rc == MDB_SUCCESS else { return (nil, rc) }
    if i >= cursors.count { cursors += Array(repeating: nil, count: i + 1 - cursors.count) }
    cursors[i] = c
    return (c, rc)
  }

  /// Closes every cursor; must run before the transaction commits or aborts (LMDB frees a write
  /// transaction's cursors itself when it ends, so closing after that would free them twice).
  fileprivate func close() {
    for case let c? in cursors { mdb_cursor_close(c) }
    cursors = []
  }
}

/// A write transaction valid for the duration of the closure it is handed.
struct WriteTransaction {
  fileprivate let txn: OpaquePointer
  fileprivate let cursors: PutCursors

  func get(_ db: Database, _ key: [UInt8]) throws -> [UInt8]? {
    try lmdbGet(txn, db.dbi, key) { Array($0) }
  }

  func withValue<T>(
    _ db: Database, _ key: [UInt8], _ body: (UnsafeRawBufferPointer) throws -> T
  ) throws -> T? {
    try lmdbGet(txn, db.dbi, key, body)
  }

  func scan(
    _ db: Database, from start: [UInt8]?, reverse: Bool = false,
    _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Bool
  ) throws {
    try lmdbScan(txn, db.dbi, from: start, reverse: reverse, body)
  }

  /// Stores `value` under `key`. `append` promises the key sorts after every key in the
  /// database (the event log's rising sequence), which lets LMDB skip the search.
  func put(_ db: Database, _ key: [UInt8], _ value: [UInt8], append: Bool = false) throws(StoreError) {
    let rc = value.withUnsafeBytes { rawPut(db, key, $0, flags: append ? UInt32(MDB_APPEND) : 0) { _ in } }
    try check(rc, "mdb_put")
  }

  /// `put` of bytes lying elsewhere (a run of records made on the import's encoding thread).
  func put(_ db: Database, _ key: [UInt8], _ value: UnsafeRawBufferPointer, append: Bool = false) throws(StoreError) {
    try check(rawPut(db, key, value, flags: append ? UInt32(MDB_APPEND) : 0) { _ in }, "mdb_put")
  }

  /// `put` of a key and a value lying elsewhere (a chunk of the state's write-back).
  func put(_ db: Database, key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) throws(StoreError) {
    try check(rawPut(db, key, value, flags: 0) { _ in }, "mdb_put")
  }

  /// Stores `value` under `key` unless the key is there already; then stores nothing and
  /// returns the value it has (`MDB_NOOVERWRITE`: one search, where a `get` before a `put` took
  /// two).
  func insertNew(_ db: Database, _ key: [UInt8], _ value: [UInt8]) throws(StoreError) -> [UInt8]? {
    let result = key.withUnsafeBytes { k in Result { () throws(StoreError) in try insertNew(db, key: k, value) } }
    return try result.get()
  }

  /// `insertNew` of a key lying elsewhere (a string's UTF-8).
  func insertNew(_ db: Database, key: UnsafeRawBufferPointer, _ value: [UInt8]) throws(StoreError) -> [UInt8]? {
    var existing: [UInt8]?
    let rc = value.withUnsafeBytes { v in
      rawPut(db, key, v, flags: UInt32(MDB_NOOVERWRITE)) { existing = Array($0) }
    }
    if rc == MDB_KEYEXIST { return existing }
    try check(rc, "mdb_put")
    return nil
  }

  /// `mdb_put` with `flags`; on `MDB_KEYEXIST`, `existing` is shown the value stored under the
  /// key (LMDB points the value argument at it), valid during the call only.
  private func rawPut(
    _ db: Database, _ key: [UInt8], _ v: UnsafeRawBufferPointer, flags: UInt32,
    existing: (UnsafeRawBufferPointer) -> Void
  ) -> Int32 {
    key.withUnsafeBytes { k in rawPut(db, k, v, flags: flags, existing: existing) }
  }

  private func rawPut(
    _ db: Database, _ k: UnsafeRawBufferPointer, _ v: UnsafeRawBufferPointer, flags: UInt32,
    existing: (UnsafeRawBufferPointer) -> Void
  ) -> Int32 {
    // The MDB_vals point into `k` and `v`, alive for this call; LMDB copies them.
    var mk = MDB_val(mv_size: k.count, mv_data: UnsafeMutableRawPointer(mutating: k.baseAddress))
    var mv = MDB_val(mv_size: v.count, mv_data: UnsafeMutableRawPointer(mutating: v.baseAddress))
    let (cursor, opened) = cursors.cursor(db.dbi)
    guard let cursor else { return opened }
    let rc = mdb_cursor_put(cursor, &mk, &mv, flags)
    if rc == MDB_KEYEXIST { existing(UnsafeRawBufferPointer(start: mv.mv_data, count: mv.mv_size)) }
    return rc
  }

  func delete(_ db: Database, _ key: [UInt8]) throws(StoreError) {
    var rc: Int32 = 0
    key.withUnsafeBytes { k in
      var mk = MDB_val(mv_size: k.count, mv_data: UnsafeMutableRawPointer(mutating: k.baseAddress))
      rc = mdb_del(txn, db.dbi, &mk, nil)
    }
    if rc == MDB_NOTFOUND { return }
    try check(rc, "mdb_del")
  }

  func count(_ db: Database) throws(StoreError) -> Int {
    var st = MDB_stat()
    try check(mdb_stat(txn, db.dbi, &st), "mdb_stat")
    return Int(st.ms_entries)
  }
}

private func lmdbGet<T>(
  _ txn: OpaquePointer, _ dbi: MDB_dbi, _ key: [UInt8],
  _ body: (UnsafeRawBufferPointer) throws -> T
) throws -> T? {
  var mv = MDB_val()
  var rc: Int32 = 0
  key.withUnsafeBytes { k in
    var mk = MDB_val(mv_size: k.count, mv_data: UnsafeMutableRawPointer(mutating: k.baseAddress))
    rc = mdb_get(txn, dbi, &mk, &mv)
  }
  if rc == MDB_NOTFOUND { return nil }
  try check(rc, "mdb_get")
  // mv points into the map, valid until the transaction ends or writes; `body` must not keep it.
  return try body(UnsafeRawBufferPointer(start: mv.mv_data, count: mv.mv_size))
}

/// `lookAhead` (read transactions only, where what LMDB returns stays valid until the
/// transaction ends): the cursor moves to the next entry before `body` reads this one, and the
/// next value and where the entries after it lie are prefetched (`erp_prefetch_ahead`), so that
/// their first touch does not stall the reading.
private func lmdbScan(
  _ txn: OpaquePointer, _ dbi: MDB_dbi, from start: [UInt8]?, reverse: Bool, lookAhead: Bool = false,
  _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Bool
) throws {
  var cursor: OpaquePointer?
  try check(mdb_cursor_open(txn, dbi, &cursor), "mdb_cursor_open")
  defer { mdb_cursor_close(cursor) }
  var mk = MDB_val()
  var mv = MDB_val()
  var rc: Int32
  if let start {
    rc = start.withUnsafeBytes { k in
      mk = MDB_val(mv_size: k.count, mv_data: UnsafeMutableRawPointer(mutating: k.baseAddress))
      return mdb_cursor_get(cursor, &mk, &mv, MDB_SET_RANGE)
    }
    if reverse {
      if rc == MDB_NOTFOUND {
        rc = mdb_cursor_get(cursor, &mk, &mv, MDB_LAST)
      } else if rc == MDB_SUCCESS,
        !start.withUnsafeBytes({ $0.elementsEqual(UnsafeRawBufferPointer(start: mk.mv_data, count: mk.mv_size)) })
      {
        rc = mdb_cursor_get(cursor, &mk, &mv, MDB_PREV)
      }
    }
  } else {
    rc = mdb_cursor_get(cursor, &mk, &mv, reverse ? MDB_LAST : MDB_FIRST)
  }
  let step = reverse ? MDB_PREV : MDB_NEXT
  if lookAhead {
    while rc == MDB_SUCCESS {
      let (k, v) = (mk, mv)
      rc = mdb_cursor_get(cursor, &mk, &mv, step)
      if rc == MDB_SUCCESS { erp_prefetch_ahead(mv.mv_data, mv.mv_size) }
      let keep = try body(UnsafeRawBufferPointer(start: k.mv_data, count: k.mv_size),
        UnsafeRawBufferPointer(start: v.mv_data, count: v.mv_size))
      if !keep { return }
    }
    if rc != MDB_NOTFOUND { try check(rc, "mdb_cursor_get") }
    return
  }
  while rc == MDB_SUCCESS {
    // Both buffers point into the map and stay valid only until the next cursor move.
    let keep = try body(
      UnsafeRawBufferPointer(start: mk.mv_data, count: mk.mv_size),
      UnsafeRawBufferPointer(start: mv.mv_data, count: mv.mv_size))
    if !keep { return }
    rc = mdb_cursor_get(cursor, &mk, &mv, step)
  }
  if rc != MDB_NOTFOUND { try check(rc, "mdb_cursor_get") }
}

/// The LMDB version string, for `stats` and the benchmark.
var lmdbVersion: String { String(cString: mdb_version(nil, nil, nil)) }

/// Asks the CPU to bring the memory at `address` into its caches: a hint, for any address (one
/// of freed memory is ignored), never a read.
@inline(__always)
func prefetch(address: UInt) { erp_prefetch_address(address) }

/// Lets the disk write a commit's pages while the commit is still writing the rest.
///
/// `mdb_txn_commit` writes a transaction's dirty pages into the file (the page cache) and then
/// syncs it, which waits for the disk to write them all: for an import of a million events,
/// 560 MB written in 0.15 s and then 0.2 s of waiting, on one thread while the other core idled.
/// While a commit runs, this thread asks the kernel every `interval` to start writing the
/// file's dirty pages back (`sync_file_range(SYNC_FILE_RANGE_WRITE)`, which does not wait), so
/// the disk works during the writes and the sync finds little left. Durability is unchanged:
/// LMDB still syncs before the commit returns. A commit shorter than `interval` makes no call.
final class CommitFlusher: @unchecked Sendable {
  static let interval: TimeInterval = 0.01
  private let condition = NSCondition()
  private var stopped = false
  private var finished = false

  /// Starts the thread for the data file of `env` (none where the file cannot be had).
  convenience init(env: OpaquePointer) {
    var fd: Int32 = -1
    if mdb_env_get_fd(env, &fd) != MDB_SUCCESS { fd = -1 }
    self.init(file: fd)
  }

  /// Calls `writeback` with `file` every `interval` until `stop` (tests count the calls).
  init(
    file: Int32, interval: TimeInterval = CommitFlusher.interval,
    writeback: @escaping @Sendable (Int32) -> Void = { _ = CommitFlusher.startWriteback($0) }
  ) {
    guard file >= 0 else {
      finished = true
      return
    }
    HelperThread.start(stackSize: 1 << 18) { [self] in
      condition.lock()
      defer {
        finished = true
        condition.broadcast()
        condition.unlock()
      }
      while !stopped {
        _ = condition.wait(until: Date(timeIntervalSinceNow: interval))
        if stopped { return }
        condition.unlock()
        writeback(file)
        condition.lock()
      }
    }
  }

  /// `sync_file_range(file, 0, 0, SYNC_FILE_RANGE_WRITE)` on Linux (0, or -1 with `errno`);
  /// elsewhere nothing (0).
  static func startWriteback(_ file: Int32) -> Int32 { erp_start_writeback(file) }

  /// Stops the thread and waits until it has (the file may be closed after this).
  func stop() {
    condition.lock()
    stopped = true
    condition.broadcast()
    while !finished { condition.wait() }
    condition.unlock()
  }
}

/// The helper threads of a pipeline whose calling thread bounds its speed (an import's reading,
/// encoding and write-back threads; the appending thread is the one that bounds it).
public enum HelperThread {
  /// Runs `body` on a new thread of `stackSize` bytes that yields on wake-up (`yieldOnWakeup`).
  /// The thread's object is not returned: the callers wait for their thread through their own
  /// condition or semaphore.
  public static func start(stackSize: Int, _ body: @escaping @Sendable () -> Void) {
    let thread = Thread {
      yieldOnWakeup()
      body()
    }
    thread.stackSize = stackSize
    thread.start()
  }

  /// Puts the calling thread under Linux's `SCHED_BATCH` (elsewhere: nothing). Such a thread,
  /// woken up, waits for the scheduler's next tick instead of preempting the thread that runs:
  /// on two cores an import's encoding thread, woken for each run, had preempted the appending
  /// thread about 650 times per million events, about 0.16 s in all (a `sched_switch` trace).
  /// It still gets its fair share of the cores. Alternated imports of the million: faster in 20
  /// of 22 pairs, about 3 % (BENCHMARKS.md, issue 4, run 18). (A failure changes only the
  /// speed: the thread then keeps the default policy.)
  private static func yieldOnWakeup() { _ = erp_sched_batch() }

  /// Whether the calling thread is under `SCHED_BATCH` (always false off Linux).
  public static var yieldsOnWakeup: Bool { erp_sched_policy() == 3 }
}
