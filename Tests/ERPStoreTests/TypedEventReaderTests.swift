import ERPCore
import ERPTestSupport
import Foundation
import Testing

@testable import ERPStore

/// The typed reader (events read straight from the stored bytes) gives, for every record it
/// reads, the event the general decoding gives; the rest it leaves to the general decoding.
@Suite("typed event reader")
struct TypedEventReaderTests {
  @Test(arguments: ["demo.jsonl", "sample.jsonl", "reports/sales-small.jsonl", "reports/customers-small.jsonl"])
  func agreesWithTheGeneralDecoding(_ fixture: String) throws {
    let dir = try TemporaryDirectory("erpctl-typed")
    defer { dir.remove() }
    let s = try makeStore(dir)
    let reader = EventRecordReader(moneyDigits: 2)
    let lines = try Fixtures.lines(fixture.contains("/") ? fixture : "events/" + fixture)
    _ = try appendAll(s, try lines.map { try reader.newEvent(Array($0.utf8)) })
    let check = try s.checkTypedReader()
    #expect(check.read > 0)
    #expect(check.differ == [])
  }

  @Test func readsOrdersWithDiscountsAndChineseText() throws {
    let dir = try TemporaryDirectory("erpctl-typed")
    defer { dir.remove() }
    let s = try makeStore(dir)
    _ = try appendAll(s, (0..<20).map { orderEvent($0) })
    let check = try s.checkTypedReader()
    #expect(check.read == 20)
    #expect(check.differ == [])
  }

  @Test func leavesDamagedRecordsToTheGeneralDecoding() throws {
    let dir = try TemporaryDirectory("erpctl-typed")
    defer { dir.remove() }
    let s = try makeStore(dir)
    _ = try appendAll(s, [orderEvent(1)])
    // "unit_price" becomes "unit_pricf": the keys of the line are still in order, and the
    // price is missing, which the general decoding rejects too.
    try tamperStoredEvent(s, seq: 1, marker: "unit_price", offset: 9, byte: UInt8(ascii: "f"))
    let check = try s.checkTypedReader()
    #expect(check.read == 0)
  }
}
