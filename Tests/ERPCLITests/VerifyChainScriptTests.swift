import ERPTestSupport
import Foundation
import Testing

/// `tools/verify-chain.py` (stdlib only) recomputes the chain from an export: the auditor's
/// "few lines of any language" of SPEC 7.
@Suite("tools/verify-chain.py", .enabled(if: BinaryRunner.hasPython3, "python3 not found"))
struct VerifyChainScriptTests {
  func python(_ script: String, stdin: [UInt8]) throws -> (status: Int32, out: String, err: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["python3", script]
    let input = Pipe()
    let output = Pipe()
    let error = Pipe()
    p.standardInput = input
    p.standardOutput = output
    p.standardError = error
    try p.run()
    try input.fileHandleForWriting.write(contentsOf: Data(stdin))
    try input.fileHandleForWriting.close()
    // The outputs are small (one line), so reading them after exit cannot deadlock.
    p.waitUntilExit()
    let out = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    let err = String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    return (p.terminationStatus, out, err)
  }

  @Test func scriptAcceptsAnExportAndRejectsATamperedOne() throws {
    let dir = try TemporaryDirectory("erpctl-py")
    defer { dir.remove() }
    let s = dir.file("s.lmdb")
    try initStore(s)
    #expect(try erpctl(["append", "--store", s, Fixtures.path("events/sample.jsonl")]).exited(0))
    let more = dir.file("more.jsonl")
    try writeFile(more, (1...30).map { costLine($0, key: "py\($0)") }.joined(separator: "\n") + "\n")
    #expect(try erpctl(["append", "--store", s, more]).exited(0))
    let export = try erpctl(["export", "--store", s])
    #expect(export.exited(0))

    let script = Fixtures.tool("verify-chain.py")
    let ok = try python(script, stdin: export.stdout)
    #expect(ok.status == 0, "\(ok.err)")
    #expect(ok.out.hasPrefix("ok"), "\(ok.out)")
    let head = try jsonObject(try erpctl(["verify", "--store", s, "--format", "json"]).out)["head_hash"] as? String
    #expect(head.map { ok.out.contains($0) } == true, "script head \(ok.out) vs \(head ?? "-")")

    var lines = export.outLines
    let i = try #require(lines.firstIndex { $0.contains(#""华南-SO-2""#) })
    lines[i] = lines[i].replacingOccurrences(of: #""华南-SO-2""#, with: #""华南-SO-3""#)
    let bad = try python(script, stdin: Array((lines.joined(separator: "\n") + "\n").utf8))
    #expect(bad.status != 0)
    #expect(!bad.out.hasPrefix("ok"))
  }
}
