import Crypto
import ERPCore
import ERPTestSupport
import Foundation
import Testing

@testable import ERPStore

/// SPEC 7: the chain is recomputed here from `export` lines with Foundation's JSON parser, a
/// serialiser written in the test and swift-crypto, never with the store's own code.
@Suite("Hash chain, recomputed independently")
struct HashChainTests {
  func hex(_ bytes: some Sequence<UInt8>) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

  @Test func independentSerialiserFollowsRFC8785() throws {
    // Hand-written expectations for the serialiser itself (RFC 8785 3.2.2.2 and 3.2.3).
    #expect(try IndependentJCS.serialize(["b": 1, "a": [true, NSNull(), "x"]] as [String: Any])
      == #"{"a":[true,null,"x"],"b":1}"#)
    #expect(IndependentJCS.quote("a\"b\\c\n\t\u{1}\u{1f}/é中") == "\"a\\\"b\\\\c\\n\\t\\u0001\\u001f/é中\"")
    // U+E000 sorts after U+1F600 in UTF-16 (0xD83D…) though not in UTF-8 or by scalar.
    #expect(try IndependentJCS.serialize(["\u{E000}": 1, "\u{1F600}": 2, "z": 3] as [String: Any])
      == "{\"z\":3,\"\u{1F600}\":2,\"\u{E000}\":1}")
  }

  /// The appender's one-buffer link (previous hash ‖ canonical bytes, written into a reused
  /// buffer) against swift-crypto over the two parts, including a buffer another array shares.
  @Test func chainedLinkMatchesHashingBothParts() {
    var rng = SplitMix64(seed: 7)
    var out = [UInt8](repeating: 0, count: 32)
    var previous = [UInt8](repeating: 0, count: 32)
    for n in [0, 1, 31, 32, 55, 56, 63, 64, 65, 119, 120, 1_000, 4_099] {
      let canonical = (0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
      let shared = out, before = out
      (previous + canonical).withUnsafeBufferPointer { HashChain.link(chained: $0, into: &out) }
      var h = SHA256()
      h.update(data: previous)
      h.update(data: canonical)
      #expect(out == Array(h.finalize()), "\(n) bytes")
      #expect(shared == before, "the shared copy must keep its bytes")
      previous = out
    }
    var short: [UInt8] = []
    [UInt8]([1, 2, 3]).withUnsafeBufferPointer { HashChain.link(chained: $0, into: &short) }
    #expect(short == Array(SHA256.hash(data: [1, 2, 3] as [UInt8])))
  }

  @Test func knownAnswerForOneEvent() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let s = try makeStore(dir)
    let e = NewEvent(
      type: "CustomerRegistered",
      at: .instant(Instant(seconds: 1_793_672_100), offsetSeconds: 8 * 3600),
      data: JSONObject([("name", "上海"), ("customer", "C-1"), ("region", "华东"), ("channel", "web")]))
    _ = try s.appendTrusted([e]) { Instant(seconds: 1_793_672_102, nanoseconds: 500_000_000) }
    // 1_793_672_100 = 2026-11-03T02:15:00Z = 10:15:00+08:00; written by hand from SPEC 2 and 7.
    let canonical =
      #"{"at":"2026-11-03T10:15:00+08:00","data":{"channel":"web","customer":"C-1","name":"上海","region":"华东"},"#
      + #""key":null,"recorded":"2026-11-03T02:15:02.5Z","seq":1,"type":"CustomerRegistered","v":1}"#
    let expected = hex(SHA256.hash(data: [UInt8](repeating: 0, count: 32) + Array(canonical.utf8)))
    let stored = try #require(try s.event(1))
    #expect(hex(stored.hash) == expected)
    let line = try #require(try exportLines(s).first)
    #expect(line == #"{"at":"2026-11-03T10:15:00+08:00","data":{"channel":"web","customer":"C-1","name":"上海","region":"华东"},"hash":""# + expected
      + #"","key":null,"recorded":"2026-11-03T02:15:02.5Z","seq":1,"type":"CustomerRegistered","v":1}"#)
  }

  @Test func chainOfAnExportRecomputes() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let s = try makeStore(dir)
    _ = try appendAll(s, (1...20).map { $0 % 3 == 0 ? caseEvent($0, key: "c\($0)") : orderEvent($0) })
    _ = try s.appendTrusted((21...40).map { orderEvent($0, key: "o\($0)") }) {
      Instant(seconds: 1_795_000_100, nanoseconds: 7)
    }
    let lines = try exportLines(s)
    #expect(lines.count == 40)
    #expect(lines.contains { $0.contains("客户投诉") })
    #expect(lines.contains { $0.contains("华东") })
    let chain = try recomputeChain(lines)
    for (n, link) in chain.enumerated() {
      #expect(link.stored == link.computed, "seq \(n + 1)")
    }
    // Each line is itself canonical (RFC 8785), hash included.
    for line in lines {
      #expect(try IndependentJCS.serialize(try IndependentJCS.parseObject(line)) == line)
    }
    // The head is the last link.
    #expect(hex(try s.head().hash) == chain.last?.computed)
    // And the envelope fields are all there, named as in SPEC 2.
    let first = try IndependentJCS.parseObject(lines[0])
    #expect(Set(first.keys) == ["seq", "type", "at", "recorded", "key", "v", "data", "hash"])
  }

  @Test func chainCoversUnusualStringsAndKeyOrder() throws {
    // The store takes any JSON data; the chain must stay RFC 8785 for all of it.
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let s = try makeStore(dir)
    let odd: JSONValue = [
      "\u{E000}": "private use",
      "\u{1F600}": "astral key",
      "é": "latin",
      "Z": "upper",
      "a": "lower",
      "controls": "\u{0}\u{1}\u{8}\u{9}\u{A}\u{B}\u{C}\u{D}\u{1F}\u{7F}",
      "quotes": "\"'\\/",
      "empty": "",
      "nested": ["list": [1, -2, 9_007_199_254_740_991, -9_007_199_254_740_991, true, false, .null],
                 "obj": [:]],
      "chinese": "销售指挥中心 — 业财一体化",
    ]
    let e = NewEvent(
      type: "ServiceCaseOpened", at: .date(CivilDate(year: 2026, month: 2, day: 28) ?? CivilDate(daysSinceEpoch: 0)),
      key: "键-🔑", data: odd.objectValue ?? JSONObject())
    _ = try appendAll(s, [orderEvent(1), e, caseEvent(3)])
    let lines = try exportLines(s)
    for (n, link) in try recomputeChain(lines).enumerated() {
      #expect(link.stored == link.computed, "seq \(n + 1): \(lines[n])")
    }
    for line in lines {
      #expect(try IndependentJCS.serialize(try IndependentJCS.parseObject(line)) == line)
    }
    // Read back exactly.
    #expect(try s.event(2)?.data == odd.objectValue)
    #expect(try s.event(2)?.key == "键-🔑")
  }

  @Test func changingAnyEarlierEventChangesEveryLaterHash() throws {
    // Two stores that differ only in event 2 share hash 1 and differ from 2 on.
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let a = try makeStore(dir, name: "a")
    let b = try makeStore(dir, name: "b")
    _ = try appendAll(a, [orderEvent(1), orderEvent(2), orderEvent(3)])
    _ = try appendAll(b, [orderEvent(1), orderEvent(2, qty: 4), orderEvent(3)])
    let ha = try allEvents(a).map(\.hash)
    let hb = try allEvents(b).map(\.hash)
    #expect(ha[0] == hb[0])
    #expect(ha[1] != hb[1])
    #expect(ha[2] != hb[2])
  }
}
