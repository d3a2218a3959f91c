import ERPCore
import ERPTestSupport
import Testing

@testable import ERPStore

/// The import's fast path (`EventRecordReader.fastEvent`, `PreparedEvent(taking:…)`) against the
/// general one (`newEvent(…canonicalData:…)`, `PreparedEvent(_:canonicalData:digits:)`): on
/// every record of a generated history, on records changed at random, and on the forms it must
/// leave to the general path. Whenever the fast path reads a record, the event, its typed
/// decoding and every stored byte must be what the general path makes of it.
@Suite("import fast path")
struct FastRecordTests {
  static let reader = EventRecordReader(moneyDigits: 2)
  static let key = "import:0011223344556677:1"

  /// What a path makes of a record: the event (keyed as the import keys it) and its preparation.
  struct Read: Equatable, CustomStringConvertible {
    var event: NewEvent
    var typed: SalesEvent?
    var pieces: [[UInt8]]
    var cogs: [[Int]]?

    init(_ e: NewEvent, _ p: PreparedEvent) {
      event = e
      typed = p.typed
      pieces = [
        ByteWriter.bytes { p.writeCanonicalHead(&$0) }, ByteWriter.bytes { p.writeCanonicalTail(&$0) },
        ByteWriter.bytes { p.writeBinaryAt(&$0) }, ByteWriter.bytes { p.writeBinaryRest(&$0) },
      ]
      cogs = p.cogs.map { [$0.canonical, $0.binary] }
      // The canonical `at` the derived events take from their primary's pieces.
      let at = p.withAtDataName { $0.map(Array.init) }
      if let at { #expect(at == ByteWriter.bytes { CanonicalPieces.atDataName(e.at, &$0) }, "\(e.at)") }
      #expect((at != nil) == p.hasPieces)
      pieces.append(at ?? [])
    }

    var description: String {
      "\(event.type) \(event.at) \(event.key ?? "-") v\(event.v) \(CanonicalJSON.string(.object(event.data))) "
        + "head \(String(decoding: pieces[0], as: UTF8.self)) cogs \(String(describing: cogs))"
    }
  }

  /// The general path, as `ImportSource` takes it; nil when the record is refused.
  static func general(_ buffer: [UInt8], _ range: Range<Int>) -> Read? {
    var span: Range<Int>? = nil
    var scratch = JSONParser.Scratch()
    guard
      var e = try? reader.newEvent(
        buffer, start: range.lowerBound, end: range.upperBound, canonicalData: &span, scratch: &scratch)
    else { return nil }
    if e.key == nil { e.key = key }
    return Read(e, PreparedEvent(e, canonicalData: span.map { buffer[$0] }, digits: 2))
  }

  /// The fast path; nil when it leaves the record to the general one.
  static func fast(_ buffer: [UInt8], _ range: Range<Int>) -> Read? {
    var tape = RecordTape()
    guard var f = reader.fastEvent(buffer, start: range.lowerBound, end: range.upperBound, tape: &tape) else {
      return nil
    }
    if f.key == nil { f.key = key }
    let prepared = PreparedEvent(taking: &f, line: buffer, tape: tape, digits: 2)
    return Read(prepared.event, prepared)
  }

  /// The line inside a buffer with other bytes around it, as the import's read buffer has it.
  static func embedded(_ line: [UInt8]) -> ([UInt8], Range<Int>) {
    let before = Array(#"{"x":1}"#.utf8) + [0x0A]
    let after: [UInt8] = [0x0A] + Array(#"{"at":"#.utf8)
    return (before + line + after, before.count..<(before.count + line.count))
  }

  /// Lines as `erpctl generate` writes them.
  static func generatedLines() throws -> [[UInt8]] {
    var lines: [[UInt8]] = []
    _ = try HistoryGenerator.run(GenerateOptions(months: 9, customers: 150, reps: 6, products: 40, seed: 11)) { e in
      var out = Array(#"{"at":"#.utf8)
      CanonicalJSON.writeString(e.at.description, into: &out)
      out += Array(#","data":"#.utf8)
      CanonicalJSON.write(.object(e.data), into: &out)
      if let key = e.key {
        out += Array(#","key":"#.utf8)
        CanonicalJSON.writeString(key, into: &out)
      }
      out += Array(#","type":"#.utf8)
      CanonicalJSON.writeString(e.type, into: &out)
      out.append(UInt8(ascii: "}"))
      lines.append(out)
    }
    return lines
  }

  @Test func generatedRecordsReadAlikeOnBothPaths() throws {
    let lines = try Self.generatedLines()
    #expect(lines.count > 3_000)
    var fastTypes: Set<String> = []
    var general = 0
    for line in lines {
      let (buffer, range) = Self.embedded(line)
      let g = Self.general(buffer, range)
      #expect(g != nil, "\(String(decoding: line, as: UTF8.self))")
      guard let f = Self.fast(buffer, range) else {
        general += 1
        // Left to the general path: text with escapes, and returns.
        #expect(
          line.contains(UInt8(ascii: "\\")) || g?.event.type == ReturnReceived.type,
          "not read fast: \(String(decoding: line, as: UTF8.self))")
        continue
      }
      fastTypes.insert(f.event.type)
      #expect(f == g, "\(String(decoding: line, as: UTF8.self))")
    }
    // Nearly every record is read fast, shipments (with their cogs slots) among them.
    #expect(general * 20 < lines.count)
    #expect(fastTypes.isSuperset(of: [OrderConfirmed.type, Shipped.type, PaymentReceived.type, LeadCreated.type]))
  }

  /// Records changed at random, a byte at a time: whatever the fast path still reads, the
  /// general path reads to the same event and bytes (and never refuses).
  @Test func changedRecordsNeverReadDifferently() throws {
    let lines = try Self.generatedLines()
    var rng = SplitMix64(seed: 99)
    let bytes = Array(#" "{}[],:-.0159aeElnrtu\"#.utf8) + [0x09, 0x7F, 0xC3, 0xA9]
    var accepted = 0
    var tried = 0
    for n in 0..<4_000 {
      var line = lines[Int(rng.next() % UInt64(lines.count))]
      let at = Int(rng.next() % UInt64(line.count))
      switch n % 5 {
      case 0: line.insert(bytes[Int(rng.next() % UInt64(bytes.count))], at: at)
      case 1: line.remove(at: at)
      case 2: line[at] = bytes[Int(rng.next() % UInt64(bytes.count))]
      case 3:
        // A digit for another: mostly still a valid record, with other values.
        guard let d = line.indices.filter({ line[$0] >= 0x30 && line[$0] <= 0x39 }).randomElement(using: &rng)
        else { continue }
        line[d] = UInt8(ascii: "0") + UInt8(rng.next() % 10)
      default:
        if at + 1 < line.count { line.swapAt(at, at + 1) }
      }
      tried += 1
      let (buffer, range) = Self.embedded(line)
      guard let f = Self.fast(buffer, range) else { continue }
      accepted += 1
      #expect(Self.general(buffer, range) == f, "\(String(decoding: line, as: UTF8.self))")
    }
    // The digit changes keep many records valid: the comparison did run.
    #expect(accepted > tried / 10)
  }

  static func line(_ s: String) -> [UInt8] { Array(s.utf8) }

  @Test(arguments: [
    // White space, members out of order, escapes.
    #"{"at":"2026-01-05", "data":{"amount":"5.00","customer":"C-1","payment":"P-1"},"type":"PaymentReceived"}"#,
    #"{"at":"2026-01-05","data":{"customer":"C-1","amount":"5.00","payment":"P-1"},"type":"PaymentReceived"}"#,
    #"{"at":"2026-01-05","data":{"amount":"5.00","customer":"C-\u0031","payment":"P-1"},"type":"PaymentReceived"}"#,
    #"{"data":{"amount":"5.00","customer":"C-1","payment":"P-1"},"at":"2026-01-05","type":"PaymentReceived"}"#,
    // Values the check normalises: money without its digits, a null member.
    #"{"at":"2026-01-05","data":{"amount":"5","customer":"C-1","payment":"P-1"},"type":"PaymentReceived"}"#,
    #"{"at":"2026-01-05","data":{"amount":"5.00","customer":"C-1","method":null,"payment":"P-1"},"type":"PaymentReceived"}"#,
    // A type the store writes into other than shipments.
    #"{"at":"2026-01-05","data":{"order":"SO-1","qty":1,"reason":"broken","sku":"A-1"},"type":"ReturnReceived"}"#,
  ])
  func validFormsGoTheGeneralWay(_ text: String) {
    let (buffer, range) = Self.embedded(Self.line(text))
    #expect(Self.fast(buffer, range) == nil)
    #expect(Self.general(buffer, range) != nil)
  }

  @Test(arguments: [
    #"{"at":"2026-01-05","data":{"amount":"5.00","customer":"C-1","payment":"P-1","tip":"1"},"type":"PaymentReceived"}"#,
    #"{"at":"2026-01-05","data":{"amount":"-5.00","customer":"C-1","payment":"P-1"},"type":"PaymentReceived"}"#,
    #"{"at":"2026-01-05","data":{"amount":"5.001","customer":"C-1","payment":"P-1"},"type":"PaymentReceived"}"#,
    #"{"at":"2026-01-05","data":{"customer":"C-1","payment":"P-1"},"type":"PaymentReceived"}"#,
    #"{"at":"2026-01-05","data":{"amount":"5.00","customer":"","payment":"P-1"},"type":"PaymentReceived"}"#,
    #"{"at":"2026-13-05","data":{"amount":"5.00","customer":"C-1","payment":"P-1"},"type":"PaymentReceived"}"#,
    #"{"at":"2026-01-05","data":{"amount":"5.00","customer":"C-1","payment":"P-1"},"type":"PaymentSent"}"#,
    #"{"at":"2026-01-05","data":{"amount":"5.00","customer":"C-1","payment":"P-1"},"type":"PaymentReceived","v":2}"#,
    #"{"at":"2026-01-05","data":{"amount":"5.00","customer":"C-1","payment":"P-1"},"key":"","type":"PaymentReceived"}"#,
    #"{"at":"2026-01-05","data":{"order":"SO-1","shipment":"SH-1","lines":[{"cogs":"1.00","qty":1,"sku":"A"}]},"type":"Shipped"}"#,
    #"{"at":"2026-01-05","data":{"lines":[],"order":"SO-1","shipment":"SH-1"},"type":"Shipped"}"#,
    #"{"at":"2026-01-05","data":{"lines":[{"qty":0,"sku":"A"}],"order":"SO-1","shipment":"SH-1"},"type":"Shipped"}"#,
    #"{"at":"2026-01-05","data":{"amount":"5.00","customer":"C-1","payment":"P-1"},"type":"PaymentReceived"} x"#,
    #"{"at":"2026-01-05","data":{"amount":"5.00","customer":"C-1","payment":"P-1"},"type":"PaymentReceived""#,
    #"{"at":"2026-01-05","data":{"amount":"5.00","customer":"C-1","payment":"P-1"},"type":"PaymentReceived","é":1}"#,
    #"{"at":"2026-01-05","data":{"amount":"5.00","amount":"6.00","customer":"C-1","payment":"P-1"},"type":"PaymentReceived"}"#,
    #"{"at":"2026-01-05","data":{"lines":[{"qty":1e3,"sku":"A"}],"order":"SO-1","shipment":"SH-1"},"type":"Shipped"}"#,
    #"{"at":"2026-01-05","data":{"lines":[{"qty":9007199254740993,"sku":"A"}],"order":"SO-1","shipment":"SH-1"},"type":"Shipped"}"#,
  ])
  func invalidRecordsAreLeftToTheGeneralPath(_ text: String) {
    let (buffer, range) = Self.embedded(Self.line(text))
    #expect(Self.fast(buffer, range) == nil)
    #expect(Self.general(buffer, range) == nil)
  }

  /// Bytes that are not UTF-8 in a string (a lone continuation byte, a truncated sequence, an
  /// overlong form, a surrogate) are refused by both.
  @Test(arguments: [[0x80], [0xC3], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xE4, 0xB8], [0xF4, 0x90, 0x80, 0x80]] as [[UInt8]])
  func invalidUTF8IsLeftToTheGeneralPath(_ bad: [UInt8]) {
    let line = Self.line(#"{"at":"2026-01-05","data":{"amount":"5.00","customer":"C-1","method":"x"#) + bad
      + Self.line(#"y","payment":"P-1"},"type":"PaymentReceived"}"#)
    let (buffer, range) = Self.embedded(line)
    #expect(Self.fast(buffer, range) == nil)
    #expect(Self.general(buffer, range) == nil)
  }

  @Test(arguments: [
    #"{"at":"2026-01-05","data":{"amount":"5.00","customer":"C-1","payment":"P-1"},"type":"PaymentReceived"}"#,
    #"{"at":"2026-01-05T09:30:00+08:00","data":{"amount":"5.00","customer":"C-1","method":"cash","payment":"P-1"},"key":null,"type":"PaymentReceived","v":1}"#,
    #"{"at":"2026-01-05","data":{"lines":[{"qty":2,"sku":"A-1"},{"qty":1,"sku":"B-2"}],"order":"SO-1","shipment":"SH-1"},"key":"k-1","type":"Shipped"}"#,
    #"{"at":"2026-01-05","data":{"allow_backorder":true,"customer":"C-1","lines":[{"discount":"0.10","qty":3,"sku":"A-1","unit_price":"9.99"}],"order":"SO-1","payment_terms_days":0,"rep":"R-1"},"type":"OrderConfirmed"}"#,
    #"{"at":"2026-01-05","data":{"qty":-4,"reason":"count","sku":"A-1"},"type":"StockAdjusted"}"#,
    #"{"at":"2026-01-05","data":{"amount":"5.00","customer":"C-é","method":"现金 𝄞","payment":"P-1"},"type":"PaymentReceived"}"#,
  ])
  func canonicalRecordsReadFast(_ text: String) {
    let (buffer, range) = Self.embedded(Self.line(text))
    let f = Self.fast(buffer, range)
    #expect(f != nil)
    #expect(f == Self.general(buffer, range))
  }

  /// Records with more values than the tape holds at first (64 entries), to the same event as
  /// the general path; and a tape that grew reads a short record after a long one to the same
  /// entries as a new tape.
  @Test func longRecordsGrowTheTape() throws {
    func order(lines n: Int) -> [UInt8] {
      let lines = (0..<n).map { #"{"qty":\#($0 + 1),"sku":"SKU-\#($0)","unit_price":"1.00"}"# }
      return Self.line(
        #"{"at":"2026-01-05","data":{"customer":"C-1","lines":["# + lines.joined(separator: ",")
          + #"],"order":"SO-1","rep":"R-1"},"key":"k-1","type":"OrderConfirmed"}"#)
    }
    for n in [1, 15, 16, 40, 100, 300] {
      let (buffer, range) = Self.embedded(order(lines: n))
      let f = Self.fast(buffer, range)
      #expect(f != nil, "\(n) lines")
      #expect(f == Self.general(buffer, range), "\(n) lines")
    }
    let long = order(lines: 300)
    let short = Self.line(#"{"at":"2026-01-05","data":{"qty":-4,"reason":"count","sku":"A-1"},"type":"StockAdjusted"}"#)
    var grown = RecordTape()
    var fresh = RecordTape()
    let readLong = long.withUnsafeBufferPointer { grown.read($0, start: 0, end: long.count) }
    // The record, at, data, customer, lines, 300 lines of four, order, rep, key, type.
    #expect(readLong && grown.entries.count == 9 + 300 * 4)
    let (a, b) = short.withUnsafeBufferPointer { (grown.read($0, start: 0, end: short.count), fresh.read($0, start: 0, end: short.count)) }
    #expect(a && b)
    let entries = { (t: RecordTape) in t.entries.map { "\($0.name) \($0.kind) \($0.text) \($0.value) \($0.next)" } }
    // The record, at, data, its three members, type.
    #expect(entries(grown) == entries(fresh) && grown.entries.count == fresh.entries.count && fresh.entries.count == 7)
  }
}
