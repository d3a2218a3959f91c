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

  /// Due dates are read from the bytes: a date the general decoding rejects (a wrong separator,
  /// a letter, a day the month lacks) is left to it; a valid one is read the same.
  @Test(arguments: [(5 + 4, UInt8(ascii: "/")), (5 + 6, UInt8(ascii: "x")), (5 + 8, UInt8(ascii: "4"))])
  func readsDueDatesAsTheGeneralDecodingDoes(offset: Int, byte: UInt8) throws {
    let dir = try TemporaryDirectory("erpctl-typed")
    defer { dir.remove() }
    let s = try makeStore(dir)
    _ = try s.append(try generatedHistory(months: 3, customers: 30, reps: 3, products: 10, seed: 3), clock: { fixedInstant })
    let before = try s.checkTypedReader()
    #expect(before.differ == [])
    let invoice = try #require(try allEvents(s).first { $0.type == "InvoiceIssued" })
    // The record holds the key "due", the string tag, its length (10), then YYYY-MM-DD: the
    // offsets name the first '-', the month's second digit and the day's first digit.
    try tamperStoredEvent(s, seq: invoice.seq, marker: "due", offset: offset, byte: byte)
    let after = try s.checkTypedReader()
    #expect(after.differ == [])
    #expect(after.read == before.read - 1)
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

  /// A record with bytes after its data: the reader has already built the event (an order,
  /// with lines) when it finds them, drops it, and leaves the record to the general decoding.
  @Test func dropsAnEventBuiltFromARecordWithTrailingBytes() throws {
    let dir = try TemporaryDirectory("erpctl-typed")
    defer { dir.remove() }
    let s = try makeStore(dir)
    _ = try appendAll(s, [orderEvent(1), orderEvent(2)])
    try s.env.write { txn in
      let raw = try #require(try txn.get(s.events, SeqKey.encode(1)))
      try txn.put(s.events, SeqKey.encode(1), Array(raw) + [0])
    }
    let reader = TypedEventReader(digits: 2)
    let (first, second) = try s.env.read { txn in
      let read = { (seq: UInt64) throws -> SalesEvent? in
        let v = try #require(try txn.get(s.events, SeqKey.encode(seq)))
        return try v.withUnsafeBytes { v in
          let h = try TypedEventReader.head(v)
          return reader.event(v, h, type: try #require(reader.index(of: h.type)))
        }
      }
      return (try read(1), try read(2))
    }
    #expect(first == nil)
    #expect(second != nil)
  }

  /// Keys out of order ("rep" made "reg", which sorts before the "region" ahead of it): the
  /// reader leaves the record to the general decoding, which refuses it.
  @Test func leavesKeysOutOfOrderToTheGeneralDecoding() throws {
    let dir = try TemporaryDirectory("erpctl-typed")
    defer { dir.remove() }
    let s = try makeStore(dir)
    _ = try appendAll(s, [orderEvent(1)])
    #expect(try s.checkTypedReader().read == 1)
    try tamperStoredEvent(s, seq: 1, marker: "rep", offset: 2, byte: UInt8(ascii: "g"))
    #expect(try s.checkTypedReader().read == 0)
    #expect(throws: StoreError.self) { try s.replaySales() }
  }

  /// A record neither decoding reads (a required field renamed) is skipped by a pipelined
  /// replay: the checkpoint moves over it, and it adds no facts.
  @Test func aReplaySkipsARecordNeitherDecodingReads() throws {
    let dir = try TemporaryDirectory("erpctl-typed")
    defer { dir.remove() }
    let s = try makeStore(dir)
    _ = try appendAll(s, [orderEvent(1), orderEvent(2), orderEvent(3)])
    try tamperStoredEvent(s, seq: 2, marker: "unit_price", offset: 9, byte: UInt8(ascii: "f"))
    let p = try s.replaySales()
    #expect(p.checkpoint == 3)
    #expect(Set(p.facts.map(\.seq)) == [1, 3])
  }

  /// Money read from the bytes is `Money.parse`'s: the same value where it accepts the text,
  /// nothing where it rejects it (the general decoding then reports why). Texts with up to 18
  /// whole digits that it accepts are read here too, not left to the general decoding.
  @Test(arguments: [0, 2, 3])
  func readsMoneyAsMoneyParseDoes(digits: Int) {
    var texts = [
      "", "-", ".", "-.", "0", "-0", "0.0", "00.50", "1.", ".5", "1..2", "1.2.3", "12a", "1 ", " 1", "+1", "--1",
      "1.234", "1.2345", "999999999999999.99", "1000000000000000", "1000000000000000.01", "10000000000000000",
      "999999999999999999", "9999999999999999999", "1e3", "٣", "-999999999999999.999",
    ]
    var rng = SplitMix64(seed: UInt64(digits) + 11)
    let alphabet = Array("0123456789.-x")
    for _ in 0..<3000 {
      texts.append(String((0..<Int(rng.next() % 22)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }))
    }
    for text in texts {
      let bytes = [UInt8(4), UInt8(text.utf8.count)] + Array(text.utf8)
      let typed = bytes.withUnsafeBytes { buf in
        withUnsafeTemporaryAllocation(of: Int.self, capacity: 1) { at in
          at[0] = 0
          return try? TypedEventReader.Fields(buf: buf, at: at, digits: digits, inline: true).money(0)
        }
      }
      let general = try? Money.parse(text, digits: digits)
      let wholeDigits = text.utf8.drop { $0 == UInt8(ascii: "-") }.prefix { $0 != UInt8(ascii: ".") }.count
      if let typed { #expect(typed == general, "\(text)") }
      if general == nil { #expect(typed == nil, "\(text)") }
      if general != nil, wholeDigits <= 18 { #expect(typed != nil, "\(text)") }
    }
  }
}
