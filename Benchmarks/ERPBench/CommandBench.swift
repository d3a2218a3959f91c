import ERPCore
import ERPStore
import Foundation

/// Issue 3's figures: confirming and shipping orders through the business rules (decide, derive,
/// fold the state), against appending the same primary events without rules, in one process
/// and through the `erpctl` binary (`append` of a JSON Lines file).
enum CommandBench {
  /// Master data, stock, then `orders` OrderConfirmed (1–3 lines) and one Shipped per order.
  static func events(orders: Int) -> [NewEvent] {
    var rng = SplitMix64(state: 42)
    var out: [NewEvent] = []
    let day = BusinessTime.date(CivilDate(year: 2026, month: 1, day: 5)!)
    func obj(_ pairs: [(String, JSONValue)]) -> JSONObject { JSONObject(pairs) }
    for c in 0..<50 {
      out.append(NewEvent(type: "CustomerRegistered", at: day, key: "b:c\(c)", data: obj([
        ("customer", .string("C-\(c)")), ("name", .string("客户 \(c)")), ("region", .string(["east", "north", "south"][c % 3])),
        ("channel", "direct"),
      ])))
    }
    for r in 0..<5 {
      out.append(NewEvent(type: "RepRegistered", at: day, key: "b:r\(r)", data: obj([
        ("rep", .string("R-\(r)")), ("name", .string("Rep \(r)")), ("team", "t1"), ("region", "east"),
      ])))
    }
    for p in 0..<40 {
      out.append(NewEvent(type: "ProductDefined", at: day, key: "b:p\(p)", data: obj([
        ("sku", .string("SKU-\(p)")), ("name", .string("Product \(p)")), ("line", .string("line-\(p % 4)")),
        ("list_price", "19.90"),
      ])))
      out.append(NewEvent(type: "StockReceived", at: day, key: "b:g\(p)", data: obj([
        ("sku", .string("SKU-\(p)")), ("qty", .int(Int64(orders) * 10)), ("unit_cost", .string("\(8 + p % 5).25")),
      ])))
    }
    var shipments: [NewEvent] = []
    for o in 0..<orders {
      let at = BusinessTime.instant(Instant(seconds: 1_767_600_000 + Int64(o) * 60), offsetSeconds: 8 * 3600)
      var lines: [JSONValue] = []
      var shipped: [JSONValue] = []
      var used: Set<Int> = []
      for _ in 0..<(1 + Int(rng.next() % 3)) {
        let p = Int(rng.next() % 40)
        guard used.insert(p).inserted else { continue }
        let qty = Int64(1 + rng.next() % 5)
        var line: [(String, JSONValue)] = [("sku", .string("SKU-\(p)")), ("qty", .int(qty)), ("unit_price", "19.90")]
        if rng.next() % 4 == 0 { line.append(("discount", "0.05")) }
        lines.append(.object(obj(line)))
        shipped.append(.object(obj([("sku", .string("SKU-\(p)")), ("qty", .int(qty))])))
      }
      out.append(NewEvent(type: "OrderConfirmed", at: at, key: "b:o\(o)", data: obj([
        ("order", .string("SO-\(o)")), ("customer", .string("C-\(o % 50)")), ("rep", .string("R-\(o % 5)")),
        ("lines", .array(lines)),
      ])))
      shipments.append(NewEvent(type: "Shipped", at: at, key: "b:s\(o)", data: obj([
        ("order", .string("SO-\(o)")), ("shipment", .string("SH-\(o)")), ("lines", .array(shipped)),
      ])))
    }
    return out + shipments
  }

  /// One JSON Lines record of `append` input.
  static func line(_ e: NewEvent) -> String {
    var o = JSONObject()
    o["type"] = .string(e.type)
    o["at"] = .string(e.at.description)
    if let k = e.key { o["key"] = .string(k) }
    o["data"] = .object(e.data)
    return CanonicalJSON.string(.object(o))
  }

  static func run(orders: Int, batch: Int, dir: String, binary: String?) throws -> String {
    let events = Self.events(orders: orders)
    let commands = 2 * orders
    let metadata = StoreMetadata(currency: "CNY", timezone: "Asia/Shanghai", created: Instant(seconds: 1_767_000_000))
    let fm = FileManager.default
    func fresh(_ name: String) -> String {
      let p = dir + "/" + name
      try? fm.removeItem(atPath: p)
      return p
    }
    func clock() -> Instant { Instant(seconds: Int64(Date().timeIntervalSince1970)) }
    func chunks() -> [[NewEvent]] {
      stride(from: 0, to: events.count, by: batch).map { Array(events[$0..<min($0 + batch, events.count)]) }
    }
    var rows: [(String, Double, String)] = []

    // In process: decide (rules, derived events, state) vs the same primaries without rules.
    var stored = 0
    let decidePath = fresh("cmd-decide")
    let decideStore = try EventStore.create(at: decidePath, metadata: metadata)
    let tDecide = try timed { for c in chunks() { _ = try decideStore.append(c, clock: clock) } }
    stored = Int(try decideStore.count())
    guard try decideStore.verify().ok else { die("command bench: the decided store does not verify") }
    let trustedStore = try EventStore.create(at: fresh("cmd-trusted"), metadata: metadata)
    let tTrusted = try timed { for c in chunks() { _ = try trustedStore.append(c, clock: clock, mode: .trusted) } }
    let logStore = try EventStore.create(at: fresh("cmd-log"), metadata: metadata)
    let tLog = try timed { for c in chunks() { _ = try logStore.appendLogOnly(c, clock: clock) } }
    rows.append(("in process, rules (`append`, decide)", tDecide.wall,
      "\(events.count) primary events → \(stored) stored (\(stored - events.count) derived)"))
    rows.append(("in process, same events, no rules (`.trusted`: state folded, nothing derived)", tTrusted.wall, ""))
    rows.append(("in process, same events, bare log (no state)", tLog.wall, ""))

    // Through the binary: one `erpctl append FILE` process, one write transaction.
    var tBinary: Double?
    if let binary, fm.isExecutableFile(atPath: binary) {
      let file = dir + "/commands.jsonl"
      try (events.map(line).joined(separator: "\n") + "\n").write(toFile: file, atomically: false, encoding: .utf8)
      let store = fresh("cmd-binary")
      func run(_ args: [String]) throws -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = args
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        return p.terminationStatus
      }
      guard try run(["init", "--store", store]) == 0 else { die("command bench: erpctl init failed") }
      var status: Int32 = 0
      let t = try timed { status = try run(["append", "--store", store, "-q", file]) }
      guard status == 0 else { die("command bench: erpctl append exited \(status)") }
      tBinary = t.wall
      rows.append(("`erpctl append` of the same file (parse, check, decide, derive, store)", t.wall, "one process, one transaction"))
    }

    var md = "| run | commands | wall s | commands/s | notes |\n|---|---:|---:|---:|---|\n"
    for (name, wall, note) in rows {
      md += "| \(name) | \(commands) | \(String(format: "%.3f", wall)) | \(rate(Double(commands) / wall)) | \(note) |\n"
    }
    md += "\n| ratio | value |\n|---|---:|\n"
    md += String(format: "| rules / no rules (decide ÷ trusted, in process) | %.2f |\n", tTrusted.wall / tDecide.wall)
    md += String(format: "| rules / bare log (in process) | %.2f |\n", tLog.wall / tDecide.wall)
    if let tBinary {
      md += String(format: "| binary / in process with rules | %.2f |\n", tDecide.wall / tBinary)
    }
    return md
  }
}
