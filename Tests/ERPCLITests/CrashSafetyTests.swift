import ERPTestSupport
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Issue 4's crash safety: an import killed with SIGKILL at any moment leaves a valid store with
/// none or whole batches of the file, and running it again completes it to exactly the log of
/// one uninterrupted import.
@Suite("import killed with SIGKILL", .serialized)
struct CrashSafetyTests {
  static let orders = 1_500
  static let batch = 250

  /// Master data, plenty of stock, then orders each followed by its shipment; the records have
  /// no keys (import derives them), except every tenth order, which names its own.
  static func file() -> String {
    var lines: [String] = []
    for c in 0..<10 {
      lines.append(#"{"type":"CustomerRegistered","at":"2026-01-02","data":{"customer":"C-\#(c)","name":"客户 \#(c)","region":"east","channel":"direct"}}"#)
    }
    lines.append(#"{"type":"RepRegistered","at":"2026-01-02","data":{"rep":"R-1","name":"Li","team":"t1","region":"east"}}"#)
    for p in 0..<5 {
      lines.append(#"{"type":"ProductDefined","at":"2026-01-02","data":{"sku":"P-\#(p)","name":"Pump \#(p)","line":"pumps","list_price":"10.00"}}"#)
      lines.append(#"{"type":"StockReceived","at":"2026-01-02","data":{"sku":"P-\#(p)","qty":100000,"unit_cost":"4.\#(p)0"}}"#)
    }
    for o in 0..<orders {
      let key = o % 10 == 0 ? #","key":"so-\#(o)""# : ""
      lines.append(#"{"type":"OrderConfirmed","at":"2026-02-03T10:00:00+08:00"\#(key),"data":{"order":"SO-\#(o)","customer":"C-\#(o % 10)","rep":"R-1","lines":[{"sku":"P-\#(o % 5)","qty":\#(1 + o % 3),"unit_price":"10.00"}]}}"#)
      lines.append(#"{"type":"Shipped","at":"2026-02-04","data":{"order":"SO-\#(o)","shipment":"SH-\#(o)","lines":[{"sku":"P-\#(o % 5)","qty":\#(1 + o % 3)}]}}"#)
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// What an event says, without what differs between runs (`seq` stays: it must match too).
  static func content(_ line: String) throws -> String {
    var o = try jsonObject(line)
    o["recorded"] = nil
    o["hash"] = nil
    let d = try JSONSerialization.data(withJSONObject: o, options: [.sortedKeys])
    return String(decoding: d, as: UTF8.self)
  }

  @Test(arguments: [false, true])
  func killedAtRandomPointsThenCompleted(commitBatches: Bool) throws {
    let dir = try TemporaryDirectory("erpctl-crash")
    defer { dir.remove() }
    let input = dir.file("big.jsonl")
    try writeFile(input, Self.file())
    let records = Self.file().split(separator: "\n").count
    let options = commitBatches ? ["--commit-every", String(Self.batch)] : []

    // The uninterrupted import, and how long it takes.
    let reference = dir.file("reference.lmdb")
    try initStore(reference)
    let started = Date()
    let whole = try erpctl(["import", "--store", reference, input] + options)
    let duration = Date().timeIntervalSince(started)
    #expect(whole.exited(0), "\(describe(whole))")
    let expected = try exportLines(reference).map(Self.content)
    #expect(expected.count > records)

    var rng = SplitMix64(seed: commitBatches ? 7 : 11)
    var killedMidway = 0
    for round in 0..<3 {
      let s = dir.file("killed-\(round).lmdb")
      try initStore(s)
      // A point anywhere in the import, from process start to its last commit.
      let delay = duration * Double(rng.next() % 1000) / 1000
      let running = try located.get().start(["import", "--store", s, input] + options)
      Thread.sleep(forTimeInterval: delay)
      kill(running.processIdentifier, SIGKILL)
      let killed = running.wait()

      let check = try erpctl(["verify", "--store", s])
      #expect(check.exited(0), "round \(round) after \(delay) s: \(describe(check))")
      let log = try exportLines(s).map(Self.content)
      // Nothing, everything, or (with batches) whole batches: a prefix of the reference log that
      // ends after a number of primary records that is a multiple of the batch size.
      #expect(Array(expected.prefix(log.count)) == log, "round \(round): not a prefix of the uninterrupted log")
      let primaries = try exportLines(s).filter { try jsonObject($0)["key"] is String }.count
      if commitBatches {
        #expect(
          primaries % Self.batch == 0 || primaries == records,
          "round \(round): \(primaries) records, \(log.count) events; killed after \(delay) s: \(describe(killed))")
      } else {
        #expect(
          primaries == 0 || primaries == records,
          "round \(round): \(primaries) records, \(log.count) events; killed after \(delay) s: \(describe(killed))")
      }
      if killed.signalled && primaries < records { killedMidway += 1 }

      // Running the same import again completes it.
      let again = try erpctl(["import", "--store", s, input] + options)
      #expect(again.exited(0), "\(describe(again))")
      #expect(again.err.contains("\(primaries) already present"), "\(describe(again))")
      #expect(try exportLines(s).map(Self.content) == expected, "round \(round): the completed log differs")
      #expect(try erpctl(["verify", "--store", s]).exited(0))
    }
    // The kills did land inside imports (a point drawn over the whole run nearly always does).
    #expect(killedMidway > 0)
  }
}
