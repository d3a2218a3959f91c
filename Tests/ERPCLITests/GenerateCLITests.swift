import ERPTestSupport
import Foundation
import Testing

@Suite("generate through the binary")
struct GenerateCLITests {
  static let small = ["--months", "6", "--customers", "60", "--reps", "6", "--products", "40", "--seed", "5"]

  @Test func aGeneratedHistoryImportsIntoAFreshStoreAndVerifies() throws {
    let dir = try TemporaryDirectory("erpctl-generate")
    defer { dir.remove() }
    let file = dir.file("history.jsonl")
    let gen = try erpctl(["generate"] + Self.small + ["--out", file])
    #expect(gen.exited(0), "\(describe(gen))")
    #expect(gen.out.isEmpty, "with --out nothing goes to standard output")
    #expect(!gen.err.contains("refused"), "\(describe(gen))")
    let lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n")
    #expect(lines.count > 300)
    let first = try jsonObject(String(lines[0]))
    #expect(Set(first.keys) == ["at", "data", "key", "type"])
    #expect(first["key"] as? String == "gen:5:1")

    let s = dir.file("s.lmdb")
    try initStore(s, ["--currency", "CNY", "--timezone", "Asia/Shanghai"])
    let imported = try erpctl(["import", "--store", s, file])
    #expect(imported.exited(0), "\(describe(imported))")
    #expect(imported.err.contains("imported \(lines.count) events"), "\(describe(imported))")
    #expect(imported.err.contains("0 rejected"), "\(describe(imported))")
    let verify = try erpctl(["verify", "--store", s])
    #expect(verify.exited(0), "\(describe(verify))")
  }

  @Test func runningItTwiceGivesTheSameBytesOnStandardOutputAndInAFile() throws {
    let dir = try TemporaryDirectory("erpctl-generate")
    defer { dir.remove() }
    let a = try erpctl(["generate", "-q"] + Self.small)
    let b = try erpctl(["generate", "-q"] + Self.small)
    #expect(a.exited(0) && b.exited(0), "\(describe(a))")
    #expect(a.err.isEmpty, "-q prints no summary")
    #expect(!a.stdout.isEmpty && a.stdout == b.stdout)
    let file = dir.file("h.jsonl")
    let c = try erpctl(["generate"] + Self.small + ["--out", file])
    #expect(c.exited(0))
    #expect(try Array(Data(contentsOf: URL(fileURLWithPath: file))) == a.stdout)
    #expect(c.err.contains("generated \(a.outLines.count) events"), "\(describe(c))")
    let other = try erpctl(["generate", "-q", "--seed", "6"] + Self.small.dropLast(2))
    #expect(other.exited(0) && other.stdout != a.stdout)
  }

  @Test func badOptionsAreUsageErrors() throws {
    for args in [["--months", "0"], ["--customers", "-3"], ["--start", "2025-13-01"], ["--products", "0"],
      ["--reps", "x"]]
    {
      let r = try erpctl(["generate"] + args)
      #expect(r.exited(64), "\(args): \(describe(r))")
      #expect(r.stdout.isEmpty)
    }
  }
}
