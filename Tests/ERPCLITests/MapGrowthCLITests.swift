import ERPTestSupport
import Foundation
import Testing

@Suite("The map grows by itself, through the binary")
struct MapGrowthCLITests {
  @Test func tinyInitialMapAndThousandsOfEvents() throws {
    let dir = try TemporaryDirectory("erpctl-map")
    defer { dir.remove() }
    let s = dir.file("s.lmdb")
    let env = ["ERPCTL_MAP_SIZE": "65536"]
    try initStore(s, environment: env)
    let file = dir.file("many.jsonl")
    try writeFile(file, (0..<3000).map { costLine($0, key: "m\($0)") }.joined(separator: "\n") + "\n")
    let r = try erpctl(["append", "--store", s, file], environment: env)
    #expect(r.exited(0), "\(describe(r))")
    #expect(!r.err.uppercased().contains("MAP_FULL"), "the user never sees the map filling up")
    // Small appends after it, still with the tiny map requested.
    let more = dir.file("more.jsonl")
    try writeFile(more, (3000..<3500).map { costLine($0, key: "m\($0)") }.joined(separator: "\n") + "\n")
    #expect(try erpctl(["append", "--store", s, more], environment: env).exited(0))

    let v = try erpctl(["verify", "--store", s], environment: env)
    #expect(v.exited(0), "\(describe(v))")
    let stats = try erpctl(["stats", "--store", s, "--format", "json"], environment: env)
    #expect(stats.exited(0))
    let o = try jsonObject(stats.out)
    #expect(int(o["events"]) == 3500)
    #expect((int(o["map_bytes"]) ?? 0) > 65536 * 8, "the map grew: \(stats.out)")
    let lines = try exportLines(s, environment: env)
    #expect(lines.count == 3500)
    #expect(try chainLinksMatch(lines).allSatisfy { $0 })
  }
}
