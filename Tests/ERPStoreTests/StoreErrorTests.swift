import ERPCore
import ERPTestSupport
import Testing

@testable import ERPStore

@Suite("StoreError descriptions name what failed")
struct StoreErrorTests {
  @Test func descriptionsNameThePathOrSeq() {
    let p = "/srv/erp/some store.lmdb"
    #expect(StoreError.storeNotFound(path: p).description.contains(p))
    #expect(StoreError.alreadyExists(path: p).description.contains(p))
    #expect(StoreError.notAStore(path: p, reason: "broken").description.contains(p))
    #expect(StoreError.notAStore(path: p, reason: "broken").description.contains("broken"))
    #expect(StoreError.notEmpty(path: p, events: 12).description.contains(p))
    #expect(StoreError.notEmpty(path: p, events: 12).description.contains("12"))
    let mismatch = StoreError.chainMismatch(seq: 4711, reason: "hash differs").description
    #expect(mismatch.contains("4711"))
    #expect(mismatch.contains("hash differs"))
    let conflict = StoreError.keyConflict(index: 3, key: "import:17", existingSeq: 982).description
    #expect(conflict.contains("import:17"))
    #expect(conflict.contains("982"))
    let lmdb = StoreError.lmdb(code: -30792, call: "mdb_put", message: "MDB_MAP_FULL").description
    #expect(lmdb.contains("mdb_put"))
    #expect(lmdb.contains("MDB_MAP_FULL"))
    let rejected = StoreError.rejected(
      index: 0, EventInputError(field: "data.lines[0].qty", "must be a positive integer, got 0"))
    #expect(rejected.description.contains("data.lines[0].qty"))
    // One line each (the CLI prints them as one stderr line).
    for e in [StoreError.storeNotFound(path: p), .alreadyExists(path: p), .notEmpty(path: p, events: 1)] {
      #expect(!e.description.contains("\n"))
    }
  }

  @Test func thrownErrorsCarryTheRealPath() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    let path = dir.file("missing")
    do {
      _ = try EventStore.open(at: path)
      Issue.record("opening a missing store succeeded")
    } catch let e as StoreError {
      #expect(e.description.contains(path))
    }
  }
}
