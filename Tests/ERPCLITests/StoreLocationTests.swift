import ERPTestSupport
import Foundation
import Testing

/// SPEC 1: `--store PATH`, else `$ERPCTL_STORE`, else `./erpctl.lmdb`.
@Suite("Which store a command uses")
struct StoreLocationTests {
  func eventCount(_ path: String) throws -> Int { try exportLines(path).count }

  @Test func defaultIsErpctlLmdbInTheWorkingDirectory() throws {
    let dir = try TemporaryDirectory("erpctl-loc")
    defer { dir.remove() }
    let r = try erpctl(["init"], in: dir.path)
    #expect(r.exited(0), "\(describe(r))")
    let store = dir.file("erpctl.lmdb")
    #expect(FileManager.default.fileExists(atPath: store + "/data.mdb"))
    let a = try erpctl(["append", Fixtures.path("events/sample.jsonl")], in: dir.path)
    #expect(a.exited(0), "\(describe(a))")
    #expect(try eventCount(store) == sampleEvents)
    let v = try erpctl(["verify"], in: dir.path)
    #expect(v.exited(0), "\(describe(v))")
  }

  @Test func environmentVariableNamesTheStore() throws {
    let dir = try TemporaryDirectory("erpctl-loc")
    defer { dir.remove() }
    let envStore = dir.file("from-env.lmdb")
    let env = ["ERPCTL_STORE": envStore]
    let r = try erpctl(["init"], environment: env, in: dir.path)
    #expect(r.exited(0), "\(describe(r))")
    #expect(FileManager.default.fileExists(atPath: envStore + "/data.mdb"))
    #expect(!FileManager.default.fileExists(atPath: dir.file("erpctl.lmdb")))
    let a = try erpctl(["append", Fixtures.path("events/sample.jsonl")], environment: env, in: dir.path)
    #expect(a.exited(0), "\(describe(a))")
    #expect(try eventCount(envStore) == sampleEvents)
  }

  @Test func environmentVariableWinsOverTheDefault() throws {
    let dir = try TemporaryDirectory("erpctl-loc")
    defer { dir.remove() }
    #expect(try erpctl(["init"], in: dir.path).exited(0))
    let envStore = dir.file("env.lmdb")
    try initStore(envStore)
    let a = try erpctl(
      ["append", Fixtures.path("events/sample.jsonl")], environment: ["ERPCTL_STORE": envStore], in: dir.path)
    #expect(a.exited(0), "\(describe(a))")
    #expect(try eventCount(envStore) == sampleEvents)
    #expect(try eventCount(dir.file("erpctl.lmdb")) == 0)
  }

  @Test func storeOptionWinsOverTheEnvironmentAndTheDefault() throws {
    let dir = try TemporaryDirectory("erpctl-loc")
    defer { dir.remove() }
    #expect(try erpctl(["init"], in: dir.path).exited(0))
    let envStore = dir.file("env.lmdb")
    let optStore = dir.file("opt.lmdb")
    try initStore(envStore)
    try initStore(optStore)
    let a = try erpctl(
      ["append", "--store", optStore, Fixtures.path("events/sample.jsonl")],
      environment: ["ERPCTL_STORE": envStore], in: dir.path)
    #expect(a.exited(0), "\(describe(a))")
    #expect(try eventCount(optStore) == sampleEvents)
    #expect(try eventCount(envStore) == 0)
    #expect(try eventCount(dir.file("erpctl.lmdb")) == 0)
    // Reading commands follow the same rule.
    let log = try erpctl(["log", "--format", "jsonl"], environment: ["ERPCTL_STORE": envStore], in: dir.path)
    #expect(log.exited(0))
    #expect(log.outLines.isEmpty)
  }

  @Test func missingDefaultStoreIs66() throws {
    let dir = try TemporaryDirectory("erpctl-loc")
    defer { dir.remove() }
    let r = try erpctl(["log"], in: dir.path)
    #expect(r.exited(66), "\(describe(r))")
    #expect(r.err.contains("erpctl.lmdb"))
    #expect(!FileManager.default.fileExists(atPath: dir.file("erpctl.lmdb")))
  }
}

/// events/sample.jsonl stores 11 events: its 9 lines and the 2 its order derives
/// (StockReserved, and LeadStageChanged won for the lead it names).
let sampleEvents = 11
