import ERPCore
import ERPStore
import Testing

let coreReader = EventRecordReader(moneyDigits: 2)

func coreNewEventError(_ line: String, reader: EventRecordReader = coreReader) -> EventInputError? {
  do {
    _ = try reader.newEvent(Array(line.utf8))
    return nil
  } catch {
    return error
  }
}

func coreEnvelopeError(_ line: String) -> EventInputError? {
  do {
    _ = try coreReader.envelope(Array(line.utf8))
    return nil
  } catch {
    return error
  }
}

private let cancel = #""type":"OrderCancelled","at":"2026-11-03","data":{"order":"SO-1","reason":"dup"}"#

@Suite("EventRecordReader.newEvent")
struct NewEventTests {
  @Test func minimalEvent() throws {
    let e = try coreReader.newEvent(Array("{\(cancel)}".utf8))
    #expect(e.type == "OrderCancelled")
    #expect(e.at == .date(CivilDate(daysSinceEpoch: 20760)))
    #expect(e.key == nil)
    #expect(e.v == 1)
    #expect(e.data == JSONObject([("order", "SO-1"), ("reason", "dup")]))
  }

  @Test func fullEventWithMoneyNormalised() throws {
    let line = #"{"type":"PaymentReceived","at":"2026-11-03T10:15:00+08:00","key":"bank:17","v":1,"data":{"payment":"P-1","customer":"C-1","amount":"5"}}"#
    let e = try coreReader.newEvent(Array(line.utf8))
    #expect(e.type == "PaymentReceived")
    #expect(e.at == .instant(Instant(seconds: 20760 * 86400 + 8100), offsetSeconds: 28800))
    #expect(e.key == "bank:17")
    #expect(e.v == 1)
    #expect(e.data["amount"] == .string("5.00"))
  }

  @Test func nullKeyIsNoKey() throws {
    let e = try coreReader.newEvent(Array("{\(cancel),\"key\":null}".utf8))
    #expect(e.key == nil)
  }

  struct Refusal: Sendable, CustomTestStringConvertible {
    var line: String
    var field: String?
    var message: String
    var testDescription: String { line }
  }

  @Test(arguments: [
    // Required members.
    Refusal(line: #"{"at":"2026-11-03","data":{"order":"SO-1","reason":"x"}}"#, field: "type", message: "is required"),
    Refusal(line: #"{"type":"OrderCancelled","data":{"order":"SO-1","reason":"x"}}"#, field: "at", message: "is required"),
    Refusal(line: #"{"type":"OrderCancelled","at":"2026-11-03"}"#, field: "data", message: "is required"),
    // Wrong kinds.
    Refusal(line: #"{"type":5,"at":"2026-11-03","data":{}}"#, field: "type", message: "expected a string, got a number"),
    Refusal(line: #"{"type":"OrderCancelled","at":"yesterday","data":{}}"#, field: "at", message: "RFC 3339"),
    Refusal(line: #"{"type":"OrderCancelled","at":"2026-11-03T10:15:00","data":{}}"#, field: "at", message: "RFC 3339"),
    Refusal(line: #"{"type":"OrderCancelled","at":20261103,"data":{}}"#, field: "at", message: "got 20261103"),
    Refusal(line: #"{"type":"OrderCancelled","at":"2026-11-03","data":[]}"#, field: "data", message: "expected an object, got an array"),
    Refusal(line: #"{"type":"OrderCancelled","at":"2026-11-03","data":null}"#, field: "data", message: "expected an object, got null"),
    // Store-assigned members: a hint to use restore.
    Refusal(line: "{\(cancel),\"seq\":1}", field: "seq", message: "erpctl restore"),
    Refusal(line: "{\(cancel),\"recorded\":\"2026-11-03T02:15:02Z\"}", field: "recorded", message: "erpctl restore"),
    Refusal(line: "{\(cancel),\"hash\":\"00\"}", field: "hash", message: "erpctl restore"),
    // Unknown top-level members.
    Refusal(line: "{\(cancel),\"foo\":1}", field: "foo", message: "unknown field"),
    Refusal(line: "{\(cancel),\"Type\":\"x\"}", field: "Type", message: "unknown field"),
    // Wherever they sort among the known names.
    Refusal(line: "{\(cancel),\"a\":1}", field: "a", message: "unknown field"),
    Refusal(line: "{\(cancel),\"b\":1}", field: "b", message: "unknown field"),
    Refusal(line: "{\(cancel),\"date\":1,\"key\":\"k\"}", field: "date", message: "unknown field"),
    Refusal(line: #"{"at":"2026-11-03","data":{},"k":1,"type":"OrderCancelled"}"#, field: "k", message: "unknown field"),
    Refusal(line: "{\(cancel),\"v\":1,\"w\":1}", field: "w", message: "unknown field"),
    Refusal(line: "{\(cancel),\"vv\":1}", field: "vv", message: "unknown field"),
    Refusal(line: #"{"at":"2026-11-03","data":{},"types":"OrderCancelled"}"#, field: "types", message: "unknown field"),
    // Idempotency keys.
    Refusal(line: "{\(cancel),\"key\":\"\"}", field: "key", message: "non-empty"),
    Refusal(line: "{\(cancel),\"key\":17}", field: "key", message: "non-empty string"),
    Refusal(line: "{\(cancel),\"key\":\"\(String(repeating: "k", count: 501))\"}", field: "key", message: "longer than 500 bytes"),
    Refusal(line: "{\(cancel),\"key\":\"\(String(repeating: "€", count: 167))\"}", field: "key", message: "longer than 500 bytes"),
    // Versions: only 1 exists so far.
    Refusal(line: "{\(cancel),\"v\":0}", field: "v", message: "expected a version from 1 to 1 for OrderCancelled, got 0"),
    Refusal(line: "{\(cancel),\"v\":2}", field: "v", message: "got 2"),
    Refusal(line: "{\(cancel),\"v\":-1}", field: "v", message: "got -1"),
    Refusal(line: "{\(cancel),\"v\":\"1\"}", field: "v", message: "expected a version"),
    Refusal(line: "{\(cancel),\"v\":null}", field: "v", message: "expected a version"),
    // Data errors keep their path.
    Refusal(line: #"{"type":"OrderCancelled","at":"2026-11-03","data":{"order":"SO-1"}}"#, field: "data.reason", message: "is required"),
    Refusal(line: #"{"type":"Shipped","at":"2026-11-03","data":{"order":"SO-1","shipment":"S-1","lines":[{"sku":"A1","qty":1,"cogs":"1.00"}]}}"#, field: "data.lines[0].cogs", message: "written by the store"),
    Refusal(line: #"{"type":"orderCancelled","at":"2026-11-03","data":{}}"#, field: "type", message: "did you mean 'OrderCancelled'?"),
    // Not an object, or not JSON.
    Refusal(line: "[1]", field: nil, message: "expected a JSON object, got an array"),
    Refusal(line: #""OrderCancelled""#, field: nil, message: "expected a JSON object, got a string"),
    Refusal(line: "null", field: nil, message: "expected a JSON object, got null"),
    Refusal(line: "5", field: nil, message: "expected a JSON object, got a number"),
  ])
  func refused(_ r: Refusal) throws {
    let e = try #require(coreNewEventError(r.line))
    #expect(e.field == r.field)
    #expect(e.message.contains(r.message), "message: \(e.message)")
  }

  @Test func keyLimitIsFiveHundredBytes() throws {
    #expect(EventRecordReader.maxKeyBytes == 500)
    let ascii = String(repeating: "k", count: 500)
    let e1 = try coreReader.newEvent(Array("{\(cancel),\"key\":\"\(ascii)\"}".utf8))
    #expect(e1.key == ascii)
    // 250 × "é" is 500 bytes.
    let accented = String(repeating: "é", count: 250)
    let e2 = try coreReader.newEvent(Array("{\(cancel),\"key\":\"\(accented)\"}".utf8))
    #expect(e2.key.map(scalarValues) == scalarValues(accented))
  }

  @Test func malformedJSONIsReportedWithItsColumn() throws {
    let e = try #require(coreNewEventError(#"{"type":"#))
    // Either no field, or the member whose value was being read.
    #expect(e.field == nil || e.field == "type")
    #expect(e.message == "malformed JSON: column 9: unexpected end of input")
    let e2 = try #require(coreNewEventError(#"{"type":"OrderCancelled",}"#))
    #expect(e2.message == "malformed JSON: column 26: expected a quoted member name")
    #expect(e2.description == e2.message)
    let e3 = try #require(coreNewEventError(#"{"type":"OrderCancelled","type":"Shipped"}"#))
    #expect(e3.message == "malformed JSON: column 26: duplicate member name 'type'")
  }

  @Test func columnIsCountedFromTheLineStartInABuffer() throws {
    let buffer = Array("{}\n{\"type\":1.5}\n".utf8)
    do {
      _ = try coreReader.newEvent(buffer, start: 3, end: 15)
      Issue.record("accepted a non-integer")
    } catch {
      #expect(error.message.hasPrefix("malformed JSON: column 9: numbers must be integers"))
    }
    // And a good line in the middle of a buffer reads without the rest.
    let good = "{\(cancel)}"
    let buffer2 = Array(("garbage\n" + good + "\nmore").utf8)
    let e = try coreReader.newEvent(buffer2, start: 8, end: 8 + good.utf8.count)
    #expect(e.type == "OrderCancelled")
  }
}

private let sampleHash = String(repeating: "0123456789abcdef", count: 4)
private let exportedCancel =
  #"{"at":"2026-11-03T10:15:00+08:00","data":{"order":"SO-1","reason":"dup"},"hash":"\#(sampleHash)","key":"imp:1","recorded":"2026-11-03T02:15:02Z","seq":42,"type":"OrderCancelled","v":1}"#

/// `exportedCancel` with one member replaced (or removed when `value` is nil).
private func exported(replacing name: String, with value: String?) throws -> String {
  var o = try jsonObject(exportedCancel)
  o[name] = try value.map { try JSONParser.parse($0) }
  return CanonicalJSON.string(.object(o))
}

@Suite("EventRecordReader.envelope")
struct EnvelopeReaderTests {
  @Test func readsAnExportLine() throws {
    let e = try coreReader.envelope(Array(exportedCancel.utf8))
    #expect(e.seq == 42)
    #expect(e.type == "OrderCancelled")
    #expect(e.at == .instant(Instant(seconds: 20760 * 86400 + 8100), offsetSeconds: 28800))
    #expect(e.recorded == Instant(seconds: 20760 * 86400 + 8102))
    #expect(e.key == "imp:1")
    #expect(e.v == 1)
    #expect(e.data == JSONObject([("order", "SO-1"), ("reason", "dup")]))
    #expect(e.hash == Array(repeating: [0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF], count: 4).flatMap { $0 })
    // Export → restore → export is byte-identical.
    #expect(Array(e.exportLine.utf8) == Array(exportedCancel.utf8))
  }

  @Test func storeWrittenFieldsAreAccepted() throws {
    let line = #"{"at":"2026-11-03","data":{"lines":[{"cogs":"12.00","qty":1,"sku":"A1"}],"order":"SO-1","shipment":"S-1"},"hash":"\#(sampleHash)","key":null,"recorded":"2026-11-03T02:15:02Z","seq":7,"type":"Shipped","v":1}"#
    let e = try coreReader.envelope(Array(line.utf8))
    #expect(e.key == nil)
    #expect(e.data["lines"]?.arrayValue?.first?.objectValue?["cogs"] == .string("12.00"))
  }

  @Test(arguments: [
    ("seq", nil as String?, "seq"),
    ("seq", "0", "seq"),
    ("seq", "-1", "seq"),
    ("seq", #""42""#, "seq"),
    ("recorded", nil, "recorded"),
    ("recorded", #""2026-11-03T10:15:02+08:00""#, "recorded"),
    ("recorded", #""2026-11-03""#, "recorded"),
    ("recorded", #""2026-11-03T02:15:02""#, "recorded"),
    ("hash", nil, "hash"),
    ("hash", #""\#(sampleHash.dropLast())""#, "hash"),
    ("hash", #""\#(sampleHash)00""#, "hash"),
    ("hash", #""\#(String(repeating: "zz", count: 32))""#, "hash"),
    ("hash", "0", "hash"),
    ("v", nil, "v"),
    ("v", "2", "v"),
    ("type", nil, "type"),
    ("at", nil, "at"),
    ("data", nil, "data"),
    ("key", #""""#, "key"),
    ("extra", "1", "extra"),
  ])
  func refused(_ name: String, _ value: String?, _ field: String) throws {
    let line = try exported(replacing: name, with: value)
    let e = try #require(coreEnvelopeError(line))
    #expect(e.field == field, "message: \(e.message)")
  }

  @Test func messagesSayWhatIsExpected() throws {
    #expect(coreEnvelopeError(try exported(replacing: "recorded", with: #""2026-11-03T10:15:02+08:00""#))?.message
      == "expected a UTC timestamp as erpctl writes it (e.g. 2026-11-03T02:15:02.5Z)")
    // +00:00 is the same instant but not the bytes erpctl hashed.
    #expect(coreEnvelopeError(try exported(replacing: "recorded", with: #""2026-11-03T10:15:02+00:00""#))?.field
      == "recorded")
    #expect(coreEnvelopeError(try exported(replacing: "hash", with: #""abc""#))?.message == "expected 64 hexadecimal digits")
    #expect(coreEnvelopeError(try exported(replacing: "v", with: nil))?.message == "is required")
  }
}

@Suite("EventEnvelope canonical form")
struct EventEnvelopeTests {
  static let data = JSONObject([
    ("order", "SO-1001"), ("customer", "C-88"), ("rep", "R-1"),
    ("lines", [["sku": "A1", "qty": 2, "unit_price": "1299.50"]]),
  ])

  static func envelope(key: String?, at: BusinessTime? = nil) -> EventEnvelope {
    EventEnvelope(
      seq: 42, type: "OrderConfirmed",
      at: at ?? .instant(Instant(seconds: 20760 * 86400 + 8100), offsetSeconds: 28800),
      recorded: Instant(seconds: 20760 * 86400 + 8102), key: key, v: 1, data: data,
      hash: (0..<32).map { UInt8($0) })
  }

  @Test func canonicalBytesMatchAHandWrittenDocument() {
    let expected = #"{"at":"2026-11-03T10:15:00+08:00","data":{"customer":"C-88","lines":[{"qty":2,"sku":"A1","unit_price":"1299.50"}],"order":"SO-1001","rep":"R-1"},"key":"erp-export-2026-11-03:17","recorded":"2026-11-03T02:15:02Z","seq":42,"type":"OrderConfirmed","v":1}"#
    #expect(Self.envelope(key: "erp-export-2026-11-03:17").canonicalBytes == Array(expected.utf8))
  }

  @Test func exportLineAddsTheHashInKeyOrder() {
    let expected = #"{"at":"2026-11-03T10:15:00+08:00","data":{"customer":"C-88","lines":[{"qty":2,"sku":"A1","unit_price":"1299.50"}],"order":"SO-1001","rep":"R-1"},"hash":"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f","key":"erp-export-2026-11-03:17","recorded":"2026-11-03T02:15:02Z","seq":42,"type":"OrderConfirmed","v":1}"#
    #expect(Array(Self.envelope(key: "erp-export-2026-11-03:17").exportLine.utf8) == Array(expected.utf8))
  }

  @Test func absentKeyIsNullAndPlainDateStaysADate() {
    let e = Self.envelope(key: nil, at: .date(CivilDate(daysSinceEpoch: 20760)))
    let expected = #"{"at":"2026-11-03","data":{"customer":"C-88","lines":[{"qty":2,"sku":"A1","unit_price":"1299.50"}],"order":"SO-1001","rep":"R-1"},"key":null,"recorded":"2026-11-03T02:15:02Z","seq":42,"type":"OrderConfirmed","v":1}"#
    #expect(e.canonicalBytes == Array(expected.utf8))
  }

  @Test func keyIsEscapedLikeAnyJSONString() {
    let e = Self.envelope(key: "a\"b\\c\u{1}")
    let text = String(decoding: e.canonicalBytes, as: UTF8.self)
    #expect(text.contains(#","key":"a\"b\\c\u0001","recorded":"#))
  }

  @Test func canonicalBytesEqualTheGenericEncoderOnTheSameObject() {
    // The envelope writer is hand-rolled for speed; it must agree with CanonicalJSON.
    let e = Self.envelope(key: "k")
    let generic = JSONValue.object(JSONObject([
      ("seq", 42), ("type", "OrderConfirmed"), ("at", "2026-11-03T10:15:00+08:00"),
      ("recorded", "2026-11-03T02:15:02Z"), ("key", "k"), ("v", 1), ("data", .object(Self.data)),
    ]))
    #expect(e.canonicalBytes == CanonicalJSON.encode(generic))
    let noKey = JSONValue.object(JSONObject([
      ("seq", 42), ("type", "OrderConfirmed"), ("at", "2026-11-03T10:15:00+08:00"),
      ("recorded", "2026-11-03T02:15:02Z"), ("key", .null), ("v", 1), ("data", .object(Self.data)),
      ("hash", "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"),
    ]))
    #expect(Array(Self.envelope(key: nil).exportLine.utf8) == CanonicalJSON.encode(noKey))
  }

  @Test func samePayloadIgnoresStoreFields() throws {
    let stored = Self.envelope(key: "k")
    let same = NewEvent(type: "OrderConfirmed", at: stored.at, key: "other", v: 1, data: Self.data)
    #expect(same.samePayload(as: stored))
    var changed = Self.data
    changed["rep"] = "R-2"
    #expect(!NewEvent(type: "OrderConfirmed", at: stored.at, v: 1, data: changed).samePayload(as: stored))
    #expect(!NewEvent(type: "OrderConfirmed", at: .date(CivilDate(daysSinceEpoch: 20760)), v: 1, data: Self.data).samePayload(as: stored))
  }

  @Test func hexEncodingAndDecoding() {
    #expect(Hex.encode([]) == "")
    #expect(Hex.encode([0x00, 0xFF, 0x9F, 0x2C, 0x0A]) == "00ff9f2c0a")
    #expect(Hex.decode("00ff9f2c0a") == [0x00, 0xFF, 0x9F, 0x2C, 0x0A])
    #expect(Hex.decode("00FF9F") == [0x00, 0xFF, 0x9F])
    #expect(Hex.decode("") == [])
    #expect(Hex.decode("abc") == nil)
    #expect(Hex.decode("zz") == nil)
    #expect(Hex.decode("0g") == nil)
    #expect(Hex.decode(" 0") == nil)
  }
}
