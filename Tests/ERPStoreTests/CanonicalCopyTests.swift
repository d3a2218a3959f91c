import ERPCore
import ERPTestSupport
import Testing

@testable import ERPStore

/// The import copies a record's `data` text into the canonical pieces when the parser found it
/// canonical and checking changed nothing (`EventRecordReader.newEvent(_:start:end:canonicalData:)`,
/// `PreparedEvent(_:canonicalData:digits:)`). Wherever it does, the text must be what RFC 8785
/// writes of the event's data, and the pieces those of the general path; non-canonical text of
/// every kind must fall back.
@Suite("canonical data copied from the input")
struct CanonicalCopyTests {
  static let reader = EventRecordReader(moneyDigits: 2)

  /// The event, and the data's span, through the reading the import does.
  static func read(_ line: [UInt8]) -> (NewEvent, Range<Int>?)? {
    var span: Range<Int>? = nil
    var scratch = JSONParser.Scratch()
    guard let e = try? reader.newEvent(line, canonicalData: &span, scratch: &scratch) else { return nil }
    return (e, span)
  }

  /// Checks one line; returns whether the data was copied.
  @discardableResult
  static func check(_ text: String, _ comment: String = "") -> Bool {
    let line = Array(text.utf8)
    let general = try? reader.newEvent(line)
    guard let (e, span) = read(line) else {
      #expect(general == nil, "only one reading refused: \(text)")
      return false
    }
    #expect(general == e, "the readings differ: \(text)")
    let copied = span.map { PreparedEvent(e, canonicalData: line[$0], digits: 2) }
    if let span {
      #expect(Array(line[span]) == CanonicalJSON.encode(.object(e.data)), "not canonical: \(comment) \(text)")
      #expect(
        DerivedPiecesTests.pieces(copied!) == DerivedPiecesTests.pieces(PreparedEvent(e, digits: 2)),
        "pieces differ: \(text)")
    }
    return span != nil
  }

  static func line(_ data: String, type: String) -> String {
    #"{"at":"2026-11-05T10:00:00+08:00","data":"# + data + #","key":"k-1","type":""# + type + #""}"#
  }

  @Test func handMadeLines() {
    let canonical: [(String, String)] = [
      (#"{"channel":"direct","customer":"C-1","name":"好客户","region":"east"}"#, "CustomerRegistered"),
      (#"{"channel":"direct","customer":"C-1","name":""# + "é €\u{2028}😀" + #"","region":"east","tier":"A"}"#,
        "CustomerRegistered"),
      (#"{"customer":"C-1","lines":[{"discount":"0.10","qty":3,"sku":"A1","unit_price":"100.00"}],"order":"SO-1","rep":"R-1"}"#, "OrderConfirmed"),
      (#"{"allow_backorder":true,"customer":"C-1","lines":[{"qty":3,"sku":"A1","unit_price":"1.00"},{"qty":1,"sku":"B","unit_price":"0.00"}],"order":"SO-1","payment_terms_days":0,"rep":"R-1"}"#, "OrderConfirmed"),
      (#"{"metric":"orders","period":"2026","scope":"company","value":5}"#, "TargetSet"),
      (#"{"qty":-5,"reason":"count","sku":"A1"}"#, "StockAdjusted"),
      (#"{"lead_time_days":0,"line":"l","list_price":"1.00","name":"P","sku":"B"}"#, "ProductDefined"),
      // Found canonical; `PreparedEvent` writes the data with its `cogs` slots instead.
      (#"{"lines":[{"qty":1,"sku":"A1"}],"order":"SO-1","shipment":"SH-1"}"#, "Shipped"),
    ]
    for (data, type) in canonical {
      #expect(Self.check(Self.line(data, type: type)), "not copied: \(data)")
    }
    // Each is refused the copy: white space, an escape (even one RFC 8785 writes alike), members
    // out of order, `-0`, money normalised, a null member left out.
    let other: [(String, String)] = [
      (#"{"channel":"direct","customer":"C-1","name":"N","region":"east" }"#, "CustomerRegistered"),
      (#"{ "channel":"direct","customer":"C-1","name":"N","region":"east"}"#, "CustomerRegistered"),
      (#"{"channel":"direct","customer":"C-1","name":"N","region":"east","tier":"A"}"#.replacingOccurrences(of: ":\"A\"", with: ": \"A\""), "CustomerRegistered"),
      (#"{"channel":"direct","customer":"C-1","name":"a\"b","region":"east"}"#, "CustomerRegistered"),
      (#"{"channel":"direct","customer":"C-1","name":"a\nb","region":"east"}"#, "CustomerRegistered"),
      (#"{"channel":"direct","customer":"C-1","name":"\u00e9","region":"east"}"#, "CustomerRegistered"),
      (#"{"channel":"direct","customer":"C-1","name":"a\/b","region":"east"}"#, "CustomerRegistered"),
      (#"{"\u0063hannel":"direct","customer":"C-1","name":"N","region":"east"}"#, "CustomerRegistered"),
      (#"{"customer":"C-1","channel":"direct","name":"N","region":"east"}"#, "CustomerRegistered"),
      (#"{"customer":"C-1","lines":[{"qty":3,"unit_price":"1.00","sku":"A1"}],"order":"SO-1","rep":"R-1"}"#, "OrderConfirmed"),
      (#"{"customer":"C-1","lines":[{"qty":3,"sku":"A1","unit_price":"1.00"} ],"order":"SO-1","rep":"R-1"}"#, "OrderConfirmed"),
      (#"{"lead_time_days":-0,"line":"l","list_price":"1.00","name":"P","sku":"B"}"#, "ProductDefined"),
      (#"{"line":"l","list_price":"1","name":"P","sku":"B"}"#, "ProductDefined"),
      (#"{"line":"l","list_price":"1.00","name":"P","sku":"B","unit_cost":null}"#, "ProductDefined"),
    ]
    for (data, type) in other {
      #expect(!Self.check(Self.line(data, type: type), "fallback"), "copied: \(data)")
    }
    // White space around the data, or elsewhere in the record, does not matter.
    #expect(Self.check(#" {"at" : "2026-11-05","data":{"channel":"direct","customer":"C-1","name":"N","region":"east"} ,"type":"CustomerRegistered"}"#))
    // Nor does the record's member order (the data still copied as its text is).
    #expect(Self.check(#"{"type":"CustomerRegistered","data":{"channel":"direct","customer":"C-1","name":"N","region":"east"},"at":"2026-11-05"}"#))
  }

  /// Every line of a generated history, as `erpctl generate` writes it and changed in ways that
  /// make it non-canonical: the copy is taken wherever the text is canonical and the pieces
  /// always agree.
  @Test func generatedLines() throws {
    var lines: [String] = []
    _ = try HistoryGenerator.run(GenerateOptions(months: 3, customers: 40, reps: 4, products: 20, seed: 5)) { e in
      var o = JSONObject()
      o["type"] = .string(e.type)
      o["at"] = .string(e.at.description)
      o["key"] = e.key.map { .string($0) }
      o["data"] = .object(e.data)
      lines.append(CanonicalJSON.string(.object(o)))
    }
    #expect(lines.count > 500)
    var copied = 0
    var rng = SplitMix64(seed: 9)
    for line in lines {
      if Self.check(line) { copied += 1 }
      // Changed at a random place inside the data: a space after a comma or colon (outside
      // strings as well as inside, where it changes the text but keeps it canonical), an
      // escaped letter, "-0".
      let u = Array(line.utf8)
      guard let dataStart = line.range(of: #""data":"#)?.upperBound.utf16Offset(in: line) else { continue }
      let positions = u.indices.filter { $0 > dataStart && (u[$0] == UInt8(ascii: ",") || u[$0] == UInt8(ascii: ":")) }
      if let p = positions.isEmpty ? nil : positions[Int(rng.next() % UInt64(positions.count))] {
        var spaced = u
        spaced.insert(0x20, at: p + 1)
        Self.check(String(decoding: spaced, as: UTF8.self), "spaced")
      }
      Self.check(line.replacingOccurrences(of: #""sku":"S"#, with: #""sku":"\u0053"#), "escaped")
      Self.check(line.replacingOccurrences(of: #""qty":1,"#, with: #""qty":-0,"#), "-0")
      Self.check(line.replacingOccurrences(of: #"0","#, with: #"","#), "money")
    }
    // Shipments (slots) and records the generator writes otherwise are left to the general path.
    #expect(copied > lines.count / 2, "copied \(copied) of \(lines.count)")
  }
}
