import Crypto
import ERPCore
import ERPTestSupport
import Foundation
import Testing

@testable import ERPStore

/// The built binary, located once.
let located: Result<BinaryRunner, any Error> = Result { try BinaryRunner() }

/// Runs `erpctl arguments…`.
@discardableResult
func erpctl(
  _ arguments: [String], stdin: [UInt8]? = nil, environment: [String: String] = [:],
  in directory: String? = nil
) throws -> RunResult {
  let runner = try located.get()
  let r = try runner.run(arguments, stdin: stdin, environment: environment, currentDirectory: directory)
  #expect(!r.timedOut, "erpctl \(arguments.joined(separator: " ")) timed out")
  return r
}

/// A one-line description of a run for failure messages.
func describe(_ r: RunResult) -> String {
  "exit \(r.status)\(r.signalled ? " (signal)" : "")\nstdout: \(r.out.prefix(2000))\nstderr: \(r.err.prefix(2000))"
}

/// `erpctl init --store PATH`, expecting success.
func initStore(_ path: String, _ extra: [String] = [], environment: [String: String] = [:]) throws {
  let r = try erpctl(["init", "--store", path] + extra, environment: environment)
  #expect(r.exited(0), "init: \(describe(r))")
}

/// `erpctl export --store PATH`, expecting success; the lines.
func exportLines(_ path: String, environment: [String: String] = [:]) throws -> [String] {
  let r = try erpctl(["export", "--store", path], environment: environment)
  #expect(r.exited(0), "export: \(describe(r))")
  return r.outLines
}

func writeFile(_ path: String, _ text: String) throws {
  try Data(text.utf8).write(to: URL(fileURLWithPath: path))
}

func writeFile(_ path: String, bytes: [UInt8]) throws {
  try Data(bytes).write(to: URL(fileURLWithPath: path))
}

/// A JSON object parsed with Foundation (independently of erpctl's own parser).
func jsonObject(_ text: String) throws -> [String: Any] {
  let any = try JSONSerialization.jsonObject(with: Data(text.utf8))
  return try #require(any as? [String: Any], "not a JSON object: \(text)")
}

func int(_ any: Any?) -> Int? { (any as? NSNumber)?.intValue }

/// One valid, keyed CustomerRegistered line.
func customerLine(_ id: String, key: String?, name: String = "客户", region: String = "华东") -> String {
  let k = key.map { #","key":"\#($0)""# } ?? ""
  return #"{"type":"CustomerRegistered","at":"2026-11-01"\#(k),"data":{"customer":"\#(id)","name":"\#(name)","region":"\#(region)","channel":"direct"}}"#
}

/// A keyed or unkeyed event line that needs no other event (a campaign cost), so storage tests
/// (sequence, keys, chain, concurrency) are not entangled with business rules; `n` names it
/// (`SO-<n>` appears in the channel, as a marker for tampering) and `qty` varies its payload.
func costLine(_ n: Int, key: String?, qty: Int = 2) -> String {
  let k = key.map { #","key":"\#($0)""# } ?? ""
  return #"{"type":"CampaignCostRecorded","at":"2026-11-03T10:15:00+08:00"\#(k),"data":{"channel":"华南-SO-\#(n)","period":"2026-11","amount":"\#(qty)99.50"}}"#
}

/// Changes one byte of event `seq`'s stored value through the LMDB API (the binary must not be
/// running): the byte at `offset` within the first occurrence of `marker`.
func tamperStoredEvent(storePath: String, seq: UInt64, marker: String, offset: Int, byte: UInt8) throws {
  // The store is closed when `s` goes away at the end of this function (EventStore deinit).
  let s = try EventStore.open(at: storePath)
  try s.env.write { txn in
    let raw = try #require(try txn.get(s.events, SeqKey.encode(seq)))
    let needle = Array(marker.utf8)
    var at: Int?
    if needle.count <= raw.count {
      for i in 0...(raw.count - needle.count) where raw[i..<(i + needle.count)].elementsEqual(needle) {
        at = i
        break
      }
    }
    let found = try #require(at, "marker '\(marker)' not in event \(seq)")
    var changed = raw
    #expect(changed[found + offset] != byte)
    changed[found + offset] = byte
    try txn.put(s.events, SeqKey.encode(seq), changed)
  }
}

/// SPEC 7 recomputed in the test (Foundation JSON, `IndependentJCS`, swift-crypto): per export
/// line, whether its stored hash is SHA-256(previous ‖ JCS(line without "hash")).
func chainLinksMatch(_ lines: [String]) throws -> [Bool] {
  var previous = [UInt8](repeating: 0, count: 32)
  var out: [Bool] = []
  for line in lines {
    var object = try IndependentJCS.parseObject(line)
    let stored = try #require(object.removeValue(forKey: "hash") as? String)
    let digest = Array(SHA256.hash(data: previous + Array(try IndependentJCS.serialize(object).utf8)))
    out.append(digest.map { String(format: "%02x", $0) }.joined() == stored)
    // Continue from the stored hash, as a verifier finding the first bad link would.
    previous = (0..<32).map { i in
      UInt8(stored.dropFirst(2 * i).prefix(2), radix: 16) ?? 0
    }
  }
  return out
}
