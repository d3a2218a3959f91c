// erpctl-bench: append and scan throughput of the event store on realistic events, beside a
// plain-C liblmdb baseline measured in the same run (BENCHMARKS.md says what and why).
//
//   erpctl-bench [--events N] [--batch B] [--single S] [--rounds R] [--dir PATH] [--keep]
//
// Not a test: it prints a Markdown report on stdout and exits 0 when every run completed.

import CLMDBBaseline
import ERPCore
import ERPStore
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

// MARK: Arguments

struct Options {
  var events = 1_000_000
  var batch = 1_000
  var single = 2_000
  var rounds = 3
  var dir: String?
  var keep = false
  var orders = 20_000
  var commandsOnly = false
  var importEvents: [Int] = []
  var reportEvents: Int?
  var analyticsCustomers: Int?
  var analyticsMonths = 10
  var replayStore: String?

  static let usage = """
    usage: erpctl-bench [--events N] [--batch B] [--single S] [--rounds R] [--dir PATH] [--keep]
      --events N   events appended in batches and scanned (default 1000000)
      --batch B    events per write transaction in the batched run (default 1000)
      --single S   events appended one per durable transaction (default 2000)
      --rounds R   rounds of the durable batched pair (erpctl, then raw LMDB), alternating so
                   that both see the same disk; medians are reported (default 3)
      --dir PATH   where the stores go: a new or empty directory on the disk to measure
                   (default: a new directory under the system temporary directory)
      --keep       keep the stores afterwards (default: removed)
      --orders N   orders confirmed and shipped through the business rules (default 20000;
                   0 skips that part); the `erpctl` binary beside this one is timed too
      --commands-only  only the business-rules part
      --import-events N  only the import part: `erpctl generate` about N primary events, then
                   `erpctl import` them (repeatable: e.g. 1000000 and 5000000 for the RSS check)
      --report-events N  only the report part: a generated store of about N primary events,
                   the sales projection's replay and `report sales` cold and warm (and DuckDB)
      --analytics-customers N  only the analytics part: a generated store of N customers
                   (--analytics-months M, default 10: about 2 million stored events for 50000),
                   `report customers` with the CLV fit, funnel, forecast, replenish, alerts
      --replay-store PATH  only (a) of the report part, on an existing store: the sales
                   projection's full replay in process, --rounds times (default 3), with a
                   fingerprint of what it folded (to compare builds)
    Set BENCH_TRACE=1 to see the batched append's progress on stderr.
    """

  static func parse(_ args: [String]) -> Options {
    var o = Options()
    var i = 0
    func fail(_ message: String) -> Never {
      FileHandle.standardError.write(Data("erpctl-bench: \(message)\n\(usage)\n".utf8))
      exit(64)
    }
    func value() -> String {
      i += 1
      guard i < args.count else { fail("\(args[i - 1]) needs a value") }
      return args[i]
    }
    func count(_ min: Int) -> Int {
      let name = args[i]
      let text = value()
      guard let n = Int(text.replacingOccurrences(of: "_", with: "")), n >= min else {
        fail("\(name) expects an integer ≥ \(min), got '\(text)'")
      }
      return n
    }
    while i < args.count {
      switch args[i] {
      case "--events": o.events = count(1)
      case "--batch": o.batch = count(1)
      case "--single": o.single = count(0)
      case "--rounds": o.rounds = count(1)
      case "--dir": o.dir = value()
      case "--keep": o.keep = true
      case "--orders": o.orders = count(0)
      case "--commands-only": o.commandsOnly = true
      case "--import-events": o.importEvents.append(count(1))
      case "--report-events": o.reportEvents = count(1000)
      case "--analytics-customers": o.analyticsCustomers = count(20)
      case "--analytics-months": o.analyticsMonths = count(1)
      case "--replay-store": o.replayStore = value()
      case "-h", "--help":
        print(usage)
        exit(0)
      default: fail("unknown argument '\(args[i])'")
      }
      i += 1
    }
    return o
  }
}

// MARK: Measuring

func now() -> Double {
  var ts = timespec()
  clock_gettime(CLOCK_MONOTONIC, &ts)
  return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

/// Peak resident set size of the process so far (ru_maxrss; KiB on Linux, bytes on macOS).
func peakRSSBytes() -> Int {
  var u = rusage()
  #if os(Linux)
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &u)
    return Int(u.ru_maxrss) * 1024
  #else
    getrusage(RUSAGE_SELF, &u)
    return Int(u.ru_maxrss)
  #endif
}

/// User + system CPU time of the process so far, in seconds.
func cpuSeconds() -> Double {
  var u = rusage()
  #if os(Linux)
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &u)
  #else
    getrusage(RUSAGE_SELF, &u)
  #endif
  func s(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) * 1e-6 }
  return s(u.ru_utime) + s(u.ru_stime)
}

/// Wall-clock and CPU seconds of `body`.
func timed(_ body: () throws -> Void) rethrows -> (wall: Double, cpu: Double) {
  let c0 = cpuSeconds()
  let t0 = now()
  try body()
  return (now() - t0, cpuSeconds() - c0)
}

func median(_ xs: [Double]) -> Double {
  let s = xs.sorted()
  return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

/// Current resident memory split into anonymous (heap: the events, caches) and file-backed
/// (mostly the LMDB map's pages this process touched), from /proc/self/status; zeros elsewhere.
struct Resident {
  var anon = 0
  var file = 0

  static func now() -> Resident {
    var r = Resident()
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return r }
    for line in text.split(separator: "\n") {
      let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
      guard parts.count >= 2, let kib = Int(parts[1]) else { continue }
      switch parts[0] {
      case "RssAnon:": r.anon = kib * 1024
      case "RssFile:": r.file = kib * 1024
      default: break
      }
    }
    return r
  }
}

func mib(_ bytes: Int) -> String { String(format: "%.0f MiB", Double(bytes) / 1_048_576) }

/// Millisecond wall clock, like the CLI's.
func wallClock() -> Instant {
  let t = Date().timeIntervalSince1970
  let ms = Int64((t * 1000).rounded(.down))
  return Instant(seconds: ms / 1000, nanoseconds: Int32(ms % 1000) * 1_000_000)
}

func progress(_ message: String) {
  FileHandle.standardError.write(Data("· \(message)\n".utf8))
}

/// The bench's own directory, removed by `die` (a failure had left generated files and stores of
/// a gigabyte or more behind, and a later run then found the disk full).
nonisolated(unsafe) var removedOnDeath: String?

func die(_ message: String) -> Never {
  FileHandle.standardError.write(Data("erpctl-bench: \(message)\n".utf8))
  if let removedOnDeath { try? FileManager.default.removeItem(atPath: removedOnDeath) }
  exit(1)
}

// MARK: Realistic events

/// SplitMix64: a small seeded generator, so every run appends the same log.
struct SplitMix64: RandomNumberGenerator {
  var state: UInt64
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// A sales log like the one erpctl is for, and consistent the way a real one is: every order is
/// followed by the reservations of its lines, shipped later (oldest first), invoiced, paid and
/// matched; stock is received, leads come and move, a few customers and products are added.
/// Primary events carry import keys (`erp-export-DATE:LINE`); the derived ones (StockReserved,
/// InvoiceIssued, the automatic PaymentMatched) have none, as the store writes them.
struct SalesLog {
  var rng: SplitMix64
  var clock: Int64  // business time, UTC seconds
  var line = 0
  var orders = 0, shipments = 0, invoices = 0, payments = 0, leads = 0, purchaseOrders = 0
  var customers = 2_000, products = 800
  /// Events that must follow the one just produced (reservations, invoice, match).
  var pending: [NewEvent] = []
  /// Orders waiting to ship and invoices waiting to be paid, oldest first.
  var toShip = Queue<(order: String, customer: String, lines: [(sku: String, qty: Int, amount: Int)])>()
  var toPay = Queue<(invoice: String, customer: String, amount: Int)>()

  static let offset = 8 * 3600  // +08:00
  static let channels: [JSONValue] = ["direct", "distributor", "online", "retail"]
  static let regions: [JSONValue] = ["east", "north", "south", "west", "central"]
  static let carriers: [JSONValue] = ["SF Express", "JD Logistics", "ZTO Express", "EMS"]
  static let methods: [JSONValue] = ["bank_transfer", "alipay", "wechat_pay", "cheque"]
  static let sources: [JSONValue] = ["trade_show", "referral", "website", "cold_call", "wechat"]
  static let stages: [JSONValue] = ["contacted", "qualified", "quoted", "negotiating", "won", "lost"]
  static let kinds: [JSONValue] = ["call", "visit", "email", "meeting"]
  static let tiers: [JSONValue] = ["a", "b", "c"]
  static let productLines: [JSONValue] = ["pumps", "valves", "fittings", "controls"]
  static let companies = [
    "上海华东机电贸易有限公司", "Shenzhen Minghui Electronics Co., Ltd.", "杭州恒达工业设备有限公司",
    "Guangzhou Pearl River Trading", "苏州新元精密制造有限公司", "Chengdu Tianfu Supply Chain Ltd.",
  ]
  static let productNames = [
    "Stainless ball valve DN25", "Centrifugal pump 1.5kW", "Brass elbow fitting 1/2\"",
    "PLC pressure controller", "不锈钢闸阀 DN50", "Pipe clamp set (10 pcs)",
  ]

  /// What happens next when nothing is pending, per 1,000 draws.
  static let mix: [(String, Int)] = [
    ("OrderConfirmed", 300), ("Shipped", 290), ("PaymentReceived", 260), ("StockReceived", 40),
    ("LeadCreated", 35), ("LeadStageChanged", 40), ("ActivityLogged", 25),
    ("CustomerRegistered", 8), ("ProductDefined", 2),
  ]

  /// A FIFO queue (an array and a moving head).
  struct Queue<T> {
    var items: [T] = []
    var head = 0
    var count: Int { items.count - head }
    mutating func push(_ x: T) { items.append(x) }
    mutating func pop() -> T? {
      guard head < items.count else { return nil }
      defer {
        head += 1
        if head > 4096 && head * 2 > items.count {
          items.removeFirst(head)
          head = 0
        }
      }
      return items[head]
    }
  }

  init(seed: UInt64) {
    rng = SplitMix64(state: seed)
    // 2024-01-01T00:00:00+08:00; ~90 s apart on average, 1M events span about three years.
    clock = Int64(CivilDate(year: 2024, month: 1, day: 1)!.daysSinceEpoch) * 86400 - Int64(Self.offset)
  }

  mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &rng) }
  mutating func chance(_ percent: Int) -> Bool { int(0...99) < percent }
  mutating func pick(_ values: [JSONValue]) -> JSONValue { values[int(0...(values.count - 1))] }

  func id(_ prefix: String, _ n: Int, _ width: Int) -> String {
    let digits = String(n)
    return prefix + String(repeating: "0", count: max(0, width - digits.count)) + digits
  }
  func money(_ minor: Int) -> JSONValue { .string(Money(minorUnits: Int64(minor)).description) }
  mutating func customer() -> String { id("C-", int(1...customers), 5) }
  mutating func sku() -> String { id("SKU-", int(1...products), 5) }
  mutating func rep() -> JSONValue { .string(id("R-", int(1...60), 3)) }
  mutating func recentLead() -> JSONValue { .string(id("L-", max(1, leads - int(0...300)), 6)) }
  mutating func price() -> Int { [1250, 4990, 12_900, 29_950, 129_950, 86_000][int(0...5)] + int(0...99) * 10 }

  /// The next event of the log.
  mutating func next() -> NewEvent {
    if !pending.isEmpty { return pending.removeFirst() }
    clock += Int64(int(0...240))
    var roll = int(0...999)
    var type = Self.mix[0].0
    for (t, w) in Self.mix {
      if roll < w {
        type = t
        break
      }
      roll -= w
    }
    // Nothing to ship or to pay yet (or too much waiting): take an order instead, or ship.
    if type == "Shipped" && toShip.count == 0 || type == "PaymentReceived" && toPay.count == 0 {
      type = "OrderConfirmed"
    }
    if toShip.count > 400 { type = "Shipped" }
    var d: [(String, JSONValue)] = []
    switch type {
    case "OrderConfirmed":
      orders += 1
      let order = id("SO-", orders, 6)
      let cust = customer()
      var skus: [String] = []
      let lineCount = int(1...4)
      while skus.count < lineCount {
        let s = sku()
        if !skus.contains(s) { skus.append(s) }
      }
      var lines: [JSONValue] = []
      var shipLines: [(sku: String, qty: Int, amount: Int)] = []
      for s in skus {
        let qty = int(1...48)
        let unit = price()
        var l: [(String, JSONValue)] = [("sku", .string(s)), ("qty", .int(Int64(qty))), ("unit_price", money(unit))]
        var percentOff = 0
        if chance(25) {
          percentOff = [5, 10, 15][int(0...2)]
          l.append(("discount", .string(percentOff == 5 ? "0.05" : "0.\(percentOff)")))
        }
        lines.append(.object(JSONObject(l)))
        shipLines.append((s, qty, (qty * unit * (100 - percentOff) + 50) / 100))
        // The store reserves each line in the same transaction (derived, no key).
        pending.append(NewEvent(
          type: "StockReserved", at: .instant(Instant(seconds: clock), offsetSeconds: Self.offset),
          data: JSONObject([("order", .string(order)), ("sku", .string(s)), ("qty", .int(Int64(qty)))])))
      }
      d = [
        ("order", .string(order)), ("customer", .string(cust)), ("rep", rep()),
        ("channel", pick(Self.channels)), ("region", pick(Self.regions)), ("lines", .array(lines)),
      ]
      if chance(30) { d.append(("payment_terms_days", .int([30, 45, 60][int(0...2)]))) }
      toShip.push((order, cust, shipLines))
    case "Shipped":
      let o = toShip.pop()!
      shipments += 1
      invoices += 1
      d = [
        ("order", .string(o.order)), ("shipment", .string(id("SH-", shipments, 6))),
        ("lines", .array(o.lines.map { l in
          .object(JSONObject([
            ("sku", .string(l.sku)), ("qty", .int(Int64(l.qty))), ("cogs", money(l.amount * 6 / 10)),
          ]))
        })),
      ]
      if chance(70) {
        d.append(("carrier", pick(Self.carriers)))
        d.append(("tracking", .string("SF" + String(int(100_000_000...999_999_999)) + "CN")))
      }
      let amount = o.lines.reduce(0) { $0 + $1.amount }
      let invoice = id("INV-", invoices, 6)
      let due = CivilDate(daysSinceEpoch: Int32((clock + Int64(Self.offset)) / 86400) + 30)
      pending.append(NewEvent(
        type: "InvoiceIssued", at: .instant(Instant(seconds: clock), offsetSeconds: Self.offset),
        data: JSONObject([
          ("invoice", .string(invoice)), ("order", .string(o.order)), ("customer", .string(o.customer)),
          ("amount", money(amount)), ("due", .string(due.description)),
        ])))
      toPay.push((invoice, o.customer, amount))
    case "PaymentReceived":
      let inv = toPay.pop()!
      payments += 1
      let payment = id("PAY-", payments, 6)
      d = [
        ("payment", .string(payment)), ("customer", .string(inv.customer)), ("amount", money(inv.amount)),
        ("method", pick(Self.methods)),
      ]
      pending.append(NewEvent(
        type: "PaymentMatched", at: .instant(Instant(seconds: clock), offsetSeconds: Self.offset),
        data: JSONObject([
          ("payment", .string(payment)), ("invoice", .string(inv.invoice)), ("amount", money(inv.amount)),
        ])))
    case "StockReceived":
      purchaseOrders += 1
      d = [
        ("sku", .string(sku())), ("qty", .int(Int64(int(100...2_000)))), ("unit_cost", money(price() / 2)),
        ("po", .string(id("PO-", purchaseOrders, 5))),
      ]
    case "LeadCreated":
      leads += 1
      d = [
        ("lead", .string(id("L-", leads, 6))), ("source", pick(Self.sources)), ("rep", rep()),
        ("region", pick(Self.regions)), ("company", .string(Self.companies[int(0...5)])),
        ("estimated_value", money(int(100_000...50_000_000))),
      ]
    case "LeadStageChanged":
      let stage = pick(Self.stages)
      d = [("lead", recentLead()), ("stage", stage)]
      if stage == "lost" { d.append(("reason", "price too high")) }
    case "ActivityLogged":
      d = [("rep", rep()), ("kind", pick(Self.kinds)), ("lead", recentLead())]
    case "CustomerRegistered":
      customers += 1
      d = [
        ("customer", .string(id("C-", customers, 5))), ("name", .string(Self.companies[int(0...5)])),
        ("region", pick(Self.regions)), ("channel", pick(Self.channels)), ("tier", pick(Self.tiers)),
      ]
    default:  // ProductDefined
      products += 1
      let list = price()
      d = [
        ("sku", .string(id("SKU-", products, 5))), ("name", .string(Self.productNames[int(0...5)])),
        ("line", pick(Self.productLines)), ("list_price", money(list)), ("unit_cost", money(list * 6 / 10)),
        ("lead_time_days", .int(Int64(int(3...45)))),
      ]
    }
    let day = CivilDate(daysSinceEpoch: Int32((clock + Int64(Self.offset)) / 86400))
    // Most events carry a time with the +08:00 offset; a few imports give only the date.
    let at: BusinessTime =
      chance(5) ? .date(day) : .instant(Instant(seconds: clock), offsetSeconds: Self.offset)
    // Derived events that follow share the business time of their primary.
    for i in pending.indices { pending[i].at = at }
    line += 1
    return NewEvent(type: type, at: at, key: "erp-export-\(day):\(line)", data: JSONObject(d))
  }
}

// MARK: The run

let options = Options.parse(Array(CommandLine.arguments.dropFirst()))
let N = options.events
let B = options.batch
let fm = FileManager.default
let root = options.dir ?? fm.temporaryDirectory.appendingPathComponent("erpctl-bench-\(getpid())").path
do {
  try fm.createDirectory(atPath: root, withIntermediateDirectories: true)
} catch {
  die("cannot create '\(root)': \(error.localizedDescription)")
}
if options.dir == nil && !options.keep { removedOnDeath = root }
var created: [String] = []
@MainActor func freshDir(_ name: String) -> String {
  let path = root + "/" + name
  try? fm.removeItem(atPath: path)
  do { try fm.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
    die("cannot create '\(path)': \(error.localizedDescription)")
  }
  created.append(path)
  return path
}
@MainActor func discard(_ path: String) {
  if !options.keep { try? fm.removeItem(atPath: path) }
}

/// One line of the results table.
struct Row {
  var name: String
  var count: Int
  var seconds: Double
  var cpu: Double
  var note: String
  var rate: Double { Double(count) / seconds }
}
var rows: [Row] = []
var memory: [(String, Resident, Int)] = []
@MainActor func snapshot(_ label: String) { memory.append((label, Resident.now(), peakRSSBytes())) }

snapshot("start")

/// Issue 3's part: commands through the business rules (see CommandBench.swift).
@MainActor func commandSection() throws {
  guard options.orders > 0 else { return }
  progress("commands: \(options.orders) orders confirmed and shipped through the rules")
  let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    .appendingPathComponent("erpctl").path
  let dir = freshDir("commands")
  let md = try CommandBench.run(orders: options.orders, batch: B, dir: dir, binary: binary)
  print()
  print("## Commands through the business rules (\(options.orders) orders confirmed and shipped)")
  print()
  print(md, terminator: "")
  discard(dir)
}
if let n = options.analyticsCustomers {
  let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    .appendingPathComponent("erpctl").path
  progress("analytics: a generated store of \(n) customers over \(options.analyticsMonths) months")
  let dir = freshDir("analytics-\(n)")
  print()
  print("## Customers, funnel, forecast, replenish and alerts (\(n) customers)")
  print()
  print(try AnalyticsBench.run(customers: n, months: options.analyticsMonths, dir: dir, binary: binary), terminator: "")
  discard(dir)
  if !options.keep { try? fm.removeItem(atPath: root) }
  exit(0)
}
if let path = options.replayStore {
  print(try ReportBench.replay(store: path, rounds: options.rounds), terminator: "")
  exit(0)
}
if let n = options.reportEvents {
  let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    .appendingPathComponent("erpctl").path
  let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("duckdb_sales.py").path
  progress("report: a generated store of about \(n) primary events")
  let dir = freshDir("report-\(n)")
  print()
  print("## The sales projection and `report sales` (about \(n) primary events)")
  print()
  print(try ReportBench.run(events: n, dir: dir, binary: binary, script: script), terminator: "")
  discard(dir)
  if !options.keep { try? fm.removeItem(atPath: root) }
  exit(0)
}
if !options.importEvents.isEmpty {
  let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    .appendingPathComponent("erpctl").path
  for n in options.importEvents {
    progress("import: about \(n) generated events through `erpctl import`")
    let dir = freshDir("import-\(n)")
    print()
    print("## Import of a generated history (about \(n) primary events)")
    print()
    print(try ImportBench.run(events: n, dir: dir, binary: binary), terminator: "")
    discard(dir)
  }
  if !options.keep { try? fm.removeItem(atPath: root) }
  exit(0)
}
if options.commandsOnly {
  try commandSection()
  if !options.keep { try? fm.removeItem(atPath: root) }
  exit(0)
}

// 1. The events, generated in memory up front (not timed).
progress("generating \(N) events")
var generator = SalesLog(seed: 2026_11_27)
var batches: [[NewEvent]] = []
batches.reserveCapacity((N + B - 1) / B)
var typeCounts: [String: Int] = [:]
var keyed = 0
var storedBytes = 0
do {
  var left = N
  var seq: UInt64 = 0
  while left > 0 {
    let n = min(left, B)
    var batch: [NewEvent] = []
    batch.reserveCapacity(n)
    for _ in 0..<n {
      let e = generator.next()
      typeCounts[e.type, default: 0] += 1
      if e.key != nil { keyed += 1 }
      // The stored record's size does not depend on seq, recorded or hash (fixed-width fields).
      seq += 1
      storedBytes += EventStore.storedRecordSize(of: EventEnvelope(
        seq: seq, type: e.type, at: e.at, recorded: Instant(seconds: 0), key: e.key, v: e.v,
        data: e.data, hash: ChainHead.genesis.hash))
      batch.append(e)
    }
    batches.append(batch)
    left -= n
  }
}
// The generator must produce what erpctl itself accepts (a sample is enough).
for e in batches[0].prefix(1_000) {
  do { _ = try EventCatalog.check(type: e.type, data: e.data, moneyDigits: 2, storeInput: true) } catch {
    die("generated \(e.type) is not valid: \(error)")
  }
}
let avgStored = Double(storedBytes) / Double(N)
let storedSize = Int(avgStored.rounded())
snapshot("events generated")

let metadata = StoreMetadata(currency: "CNY", timezone: "Asia/Shanghai", created: wallClock())

/// erpctl: every batch through `EventStore.append` (encode, hash chain, key index, put, durable
/// commit) into a new store.
@MainActor func swiftBatched(_ path: String) throws -> (wall: Double, cpu: Double) {
  let store = try EventStore.create(at: path, metadata: metadata)
  let trace = ProcessInfo.processInfo.environment["BENCH_TRACE"] != nil
  var tLast = now()
  return try timed {
    for (i, batch) in batches.enumerated() {
      _ = try store.appendLogOnly(batch, clock: wallClock)
      if trace, (i + 1) % 100 == 0 {
        let t = now()
        progress(String(format: "  %d batches, last 100 in %.3f s", i + 1, t - tLast))
        tLast = t
      }
    }
  }
}

/// The plain-C baseline: raw liblmdb appends into a new environment.
@MainActor func cAppend(_ name: String, size: Int, batch: Int, count: Int, nosync: Bool) -> (
  wall: Double, cpu: Double, path: String
) {
  let path = freshDir(name)
  var t = 0.0
  let (_, cpu) = timed { t = erp_baseline_append(path, UInt64(count), size, UInt64(batch), nosync ? 1 : 0) }
  guard t > 0 else { die("baseline append failed (\(name))") }
  return (t, cpu, path)
}

// 2. Durable batched appends: erpctl and raw LMDB (same value size) in alternating rounds, so
//    both see the same disk; the last erpctl store is kept for the scans.
var swiftRounds: [(wall: Double, cpu: Double)] = []
var cRounds: [(wall: Double, cpu: Double)] = []
var batchedPath = ""
var cDurablePath = ""
for round in 1...options.rounds {
  progress("round \(round)/\(options.rounds): erpctl batched durable append")
  if !batchedPath.isEmpty { discard(batchedPath) }
  batchedPath = freshDir("swift-batched-\(round)")
  swiftRounds.append(try swiftBatched(batchedPath))
  progress("round \(round)/\(options.rounds): C batched durable append")
  if !cDurablePath.isEmpty { discard(cDurablePath) }
  let c = cAppend("c-durable-\(storedSize)-\(round)", size: storedSize, batch: B, count: N, nosync: false)
  cRounds.append((c.wall, c.cpu))
  cDurablePath = c.path
}
snapshot("after batched appends")
let roundRatios = zip(swiftRounds, cRounds).map { Double(N) / $0.wall / (Double(N) / $1.wall) }
func roundsNote(_ rs: [(wall: Double, cpu: Double)]) -> String {
  rs.count == 1 ? "" : "; rounds: " + rs.map { rate(Double(N) / $0.wall) }.joined(separator: ", ")
}
rows.append(Row(
  name: "erpctl append, \(B) events/txn, durable", count: N, seconds: median(swiftRounds.map(\.wall)),
  cpu: median(swiftRounds.map(\.cpu)),
  note: "the envelope path: encode, hash chain, key index, put (no command-side state)\(roundsNote(swiftRounds))"))
rows.append(Row(
  name: "C liblmdb append, \(storedSize) B values, \(B)/txn, durable", count: N,
  seconds: median(cRounds.map(\.wall)), cpu: median(cRounds.map(\.cpu)),
  note: "value size = erpctl's average stored record\(roundsNote(cRounds))"))

// 3. One event per durable transaction (what one interactive `erpctl append` of a line does).
let singleCount = min(options.single, N)
var singlePair: (swift: Double, c: Double)?
if singleCount > 0 {
  progress("erpctl: one event per durable transaction")
  let path = freshDir("swift-single")
  let store = try EventStore.create(at: path, metadata: metadata)
  let events = batches.joined().prefix(singleCount)
  let t = try timed { for e in events { _ = try store.append([e], clock: wallClock, mode: .trusted) } }
  discard(path)
  rows.append(Row(
    name: "erpctl append, 1 event/txn, durable", count: singleCount, seconds: t.wall, cpu: t.cpu,
    note: "each commit waits for the disk"))
  progress("C: one value per durable transaction")
  let c = cAppend("c-single-\(storedSize)", size: storedSize, batch: 1, count: singleCount, nosync: false)
  discard(c.path)
  rows.append(Row(
    name: "C liblmdb append, \(storedSize) B values, 1/txn, durable", count: singleCount,
    seconds: c.wall, cpu: c.cpu, note: "each commit waits for the disk"))
  singlePair = (Double(singleCount) / t.wall, Double(singleCount) / c.wall)
}

// The same events with the command-side state folded in (`.trusted`: no rules, nothing derived),
// into a store that `verify` (which replays the state) accepts.
progress("erpctl: batched durable append with the state fold")
let statePath = freshDir("swift-with-state")
do {
  let store = try EventStore.create(at: statePath, metadata: metadata)
  let t = try timed { for batch in batches { _ = try store.append(batch, clock: wallClock, mode: .trusted) } }
  rows.append(Row(
    name: "erpctl append with state fold, \(B) events/txn, durable", count: N, seconds: t.wall, cpu: t.cpu,
    note: "append(mode: .trusted): the envelope path + folding each event into the command-side state"))
}

// The appends are done: let the pre-generated events go, so the scans' own footprint shows.
batches = []
erp_release_free_memory()
snapshot("events released")

// 4. Full scan with decode, and verify, on the last batched store.
var canonicalBytes = 0
do {
  let store = try EventStore.open(at: batchedPath)
  progress("erpctl: full scan with decode")
  var n = 0
  var members = 0
  let t = try timed {
    try store.forEach { e in
      n += 1
      members &+= e.data.count
      return true
    }
  }
  guard n == N else { die("scan saw \(n) events, expected \(N)") }
  rows.append(Row(
    name: "erpctl scan, decode every event", count: n, seconds: t.wall, cpu: t.cpu,
    note: "EventStore.forEach"))
  snapshot("after scan")

  progress("erpctl: verify")
  var report: VerifyReport?
  let stateStore = try EventStore.open(at: statePath)
  let v = try timed { report = try stateStore.verify() }
  guard let report, report.ok, report.events == UInt64(N) else {
    die("verify failed: \(report?.problem ?? "wrong count")")
  }
  rows.append(Row(
    name: "erpctl verify", count: Int(report.events), seconds: v.wall, cpu: v.cpu,
    note: "decode + canonical JSON + SHA-256 + key index + state replay"))
  snapshot("after verify")

  // The canonical size (depends on seq and recorded, so measured on the store; not timed).
  try store.forEach { e in
    canonicalBytes += e.canonicalBytes.count
    return true
  }
}
let avgCanonical = Double(canonicalBytes) / Double(N)

// 5. The rest of the plain-C baseline: no-sync appends, the 160-byte reference, scans.
@MainActor func cScan(_ path: String) -> (wall: Double, cpu: Double) {
  var n: UInt64 = 0
  var bytes: UInt64 = 0
  var t = 0.0
  let (_, cpu) = timed { t = erp_baseline_scan(path, &n, &bytes) }
  guard t > 0, n == UInt64(N) else { die("baseline scan failed at \(path)") }
  return (t, cpu)
}
progress("C: scans, no-sync and 160-byte appends")
let cScanStored = cScan(cDurablePath)
rows.append(Row(
  name: "C liblmdb scan, \(storedSize) B values", count: N, seconds: cScanStored.wall,
  cpu: cScanStored.cpu, note: "cursor walk, no decode"))
let cNoSync = cAppend("c-nosync-\(storedSize)", size: storedSize, batch: B, count: N, nosync: true)
discard(cNoSync.path)
rows.append(Row(
  name: "C liblmdb append, \(storedSize) B values, \(B)/txn, MDB_NOSYNC", count: N,
  seconds: cNoSync.wall, cpu: cNoSync.cpu, note: "no fsync at commit"))
let c160 = cAppend("c-durable-160", size: 160, batch: B, count: N, nosync: false)
rows.append(Row(
  name: "C liblmdb append, 160 B values, \(B)/txn, durable", count: N, seconds: c160.wall,
  cpu: c160.cpu, note: "reference class: ~0.7 M/s"))
let c160NoSync = cAppend("c-nosync-160", size: 160, batch: B, count: N, nosync: true)
discard(c160NoSync.path)
rows.append(Row(
  name: "C liblmdb append, 160 B values, \(B)/txn, MDB_NOSYNC", count: N, seconds: c160NoSync.wall,
  cpu: c160NoSync.cpu, note: "reference class: ~5 M/s"))
let cScan160 = cScan(c160.path)
discard(c160.path)
rows.append(Row(
  name: "C liblmdb scan, 160 B values", count: N, seconds: cScan160.wall, cpu: cScan160.cpu,
  note: "reference class: ~5–12 M/s"))
snapshot("end")

if !options.keep {
  for path in created { try? fm.removeItem(atPath: path) }
  if options.dir == nil { try? fm.removeItem(atPath: root) }
}

// MARK: Report

func rate(_ r: Double) -> String {
  r >= 1_000_000
    ? String(format: "%.2f M/s", r / 1e6)
    : r >= 10_000 ? String(format: "%.0f k/s", r / 1e3) : String(format: "%.0f /s", r)
}
@MainActor func rowRate(_ prefix: String) -> Double { rows.first { $0.name.hasPrefix(prefix) }!.rate }

let swiftBatchedRate = rowRate("erpctl append, \(B)")
let swiftScanRate = rowRate("erpctl scan")
let cDurableRate = rowRate("C liblmdb append, \(storedSize) B values, \(B)/txn, durable")
let c160Rate = rowRate("C liblmdb append, 160 B values, \(B)/txn, durable")
let cScanRate = rowRate("C liblmdb scan, \(storedSize)")
let appendRatio = median(roundRatios)

print("## erpctl-bench results")
print()
print("- events \(N), batch \(B), single \(singleCount), rounds \(options.rounds); \(String(cString: erp_baseline_lmdb_version())); \(ProcessInfo.processInfo.activeProcessorCount) CPUs; stores under \(root)")
let mixText = typeCounts.sorted { $0.value > $1.value }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
print("- events: \(mixText); \(keyed) with keys (\(String(format: "%.0f", 100 * Double(keyed) / Double(N))) %)")
print(String(format: "- average canonical JSON (RFC 8785, what is hashed): %.1f bytes; average stored record: %.1f bytes", avgCanonical, avgStored))
print()
print("| run | events | wall s | CPU s | events/s | notes |")
print("|---|---:|---:|---:|---:|---|")
for r in rows {
  print("| \(r.name) | \(r.count) | \(String(format: "%.3f", r.seconds)) | \(String(format: "%.2f", r.cpu)) | \(rate(r.rate)) | \(r.note) |")
}
print()
print("| ratio | value | goal |")
print("|---|---:|---|")
print(String(format: "| erpctl batched durable append / C durable append, same value size (median of per-round ratios; ratio of medians %.3f) | %.3f | ≥ 0.25: %@ |",
  swiftBatchedRate / cDurableRate, appendRatio, appendRatio >= 0.25 ? "met" : "missed"))
if roundRatios.count > 1 {
  print("| … per round | \(roundRatios.map { String(format: "%.3f", $0) }.joined(separator: ", ")) | |")
}
print(String(format: "| erpctl batched durable append / C durable append, 160 B values | %.2f | (reference) |", swiftBatchedRate / c160Rate))
print(String(format: "| erpctl scan with decode / 2 M events/s | %.2f | ≥ 1.00: %@ |",
  swiftScanRate / 2e6, swiftScanRate >= 2e6 ? "met" : "missed"))
print(String(format: "| erpctl scan with decode / C scan, same value size | %.2f | |", swiftScanRate / cScanRate))
if let singlePair {
  print(String(format: "| erpctl 1 event/txn / C 1 value/txn, durable | %.2f | |", singlePair.swift / singlePair.c))
}
print()
print("| memory at | resident heap (anon) | resident file pages (LMDB map, binary) | peak RSS so far (ru_maxrss) |")
print("|---|---:|---:|---:|")
for (label, r, peak) in memory {
  print("| \(label) | \(mib(r.anon)) | \(mib(r.file)) | \(mib(peak)) |")
}
@MainActor func anon(_ label: String) -> Int { memory.first { $0.0 == label }!.1.anon }
print()
print(String(format: "Peak RSS %@. The pre-generated events take %@ of heap (%.0f bytes per event in memory); the appends add %@ of heap; the scan and verify add %@ of heap and map the store's pages (file-backed, shared with the page cache).",
  mib(peakRSSBytes()), mib(anon("events generated") - anon("start")),
  Double(anon("events generated") - anon("start")) / Double(N),
  mib(anon("after batched appends") - anon("events generated")),
  mib(max(0, anon("after verify") - anon("events released")))))

try commandSection()
