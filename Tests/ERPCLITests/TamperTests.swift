import ERPTestSupport
import Foundation
import Testing

@Suite("verify finds a byte altered through the LMDB API")
struct TamperTests {
  @Test func alteredStoredByteMakesVerifyFailAtThatSeq() throws {
    let dir = try TemporaryDirectory("erpctl-tamper")
    defer { dir.remove() }
    let s = dir.file("s.lmdb")
    try initStore(s)
    let file = dir.file("in.jsonl")
    try writeFile(file, (1...4).map { costLine(4700 + $0, key: "t\($0)") }.joined(separator: "\n") + "\n")
    #expect(try erpctl(["append", "--store", s, file]).exited(0))
    let good = try erpctl(["verify", "--store", s])
    #expect(good.exited(0), "\(describe(good))")
    let before = try exportLines(s)

    // Event 2 holds order SO-4702: make it SO-4703 in the stored record (binary not running).
    try tamperStoredEvent(storePath: s, seq: 2, marker: "SO-4702", offset: 6, byte: UInt8(ascii: "3"))

    // The change is real: export now shows it, and the first line is unchanged.
    let after = try exportLines(s)
    #expect(after[0] == before[0])
    #expect(after[1].contains("SO-4703"))

    let bad = try erpctl(["verify", "--store", s])
    #expect(bad.exited(1), "\(describe(bad))")
    #expect(bad.out.contains("seq 2"), "\(describe(bad))")
    #expect(!bad.out.contains("seq 3"), "names the first bad seq only")

    let json = try erpctl(["verify", "--store", s, "--format", "json"])
    #expect(json.exited(1), "\(describe(json))")
    let o = try jsonObject(json.out)
    #expect(int(o["first_bad_seq"]) == 2)
    #expect(o["ok"] as? Bool == false)

    // The altered log cannot be restored elsewhere either.
    let tampered = dir.file("tampered.jsonl")
    try writeFile(tampered, after.joined(separator: "\n") + "\n")
    let restore = try erpctl(["restore", "--store", dir.file("copy.lmdb"), tampered])
    #expect(restore.exited(65), "\(describe(restore))")
  }

  @Test func independentChainCheckAgreesAfterTampering() throws {
    // Recompute the chain of the tampered export in the test: the first mismatch is seq 2.
    let dir = try TemporaryDirectory("erpctl-tamper")
    defer { dir.remove() }
    let s = dir.file("s.lmdb")
    try initStore(s)
    #expect(try erpctl(["append", "--store", s, Fixtures.path("events/sample.jsonl")]).exited(0))
    try tamperStoredEvent(storePath: s, seq: 2, marker: "C-1002", offset: 5, byte: UInt8(ascii: "7"))
    let lines = try exportLines(s)
    let links = try chainLinksMatch(lines)
    #expect(links.firstIndex(of: false).map { $0 + 1 } == 2)
    // Only the altered event's own link breaks; later links still chain from stored hashes.
    #expect(links.filter { !$0 }.count == 1)
    let v = try erpctl(["verify", "--store", s, "--format", "json"])
    #expect(v.exited(1))
    #expect(int(try jsonObject(v.out)["first_bad_seq"]) == 2)
  }
}
