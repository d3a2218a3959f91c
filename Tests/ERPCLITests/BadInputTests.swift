import ERPTestSupport
import Foundation
import Testing

/// Bad records: exit 65, nothing appended, every bad line listed as `FILE:LINE: field '…': …`.
@Suite("Bad input to append")
struct BadInputTests {
  func freshStore(_ dir: TemporaryDirectory) throws -> String {
    let s = dir.file("s.lmdb")
    try initStore(s)
    return s
  }

  /// The stderr lines that name `file:line:`.
  func diagnostics(_ r: RunResult, _ file: String, line: Int) -> [String] {
    r.errLines.filter { $0.contains("\(file):\(line): ") }
  }

  @Test func everyBadLineIsListedAndNothingIsAppended() throws {
    let dir = try TemporaryDirectory("erpctl-bad")
    defer { dir.remove() }
    let s = try freshStore(dir)
    let file = Fixtures.path("events/invalid.jsonl")
    let r = try erpctl(["append", "--store", s, file])
    #expect(r.exited(65), "\(describe(r))")
    #expect(r.out.isEmpty)
    // Lines 1 and 8 are valid; 2–7 each have one problem.
    #expect(diagnostics(r, file, line: 1).isEmpty)
    #expect(diagnostics(r, file, line: 8).isEmpty)
    let expectations: [(Int, String)] = [
      (2, "field 'data.lines[0].qty': "),
      (4, "field 'type': "),
      (5, "field 'data.colour': "),
      (6, "field 'seq': "),
      (7, "field 'data.lines[0].qty': "),
    ]
    for (line, field) in expectations {
      let d = diagnostics(r, file, line: line)
      #expect(d.count == 1, "line \(line): \(describe(r))")
      #expect(d.first?.contains("\(file):\(line): \(field)") == true, "line \(line): \(d)")
    }
    let malformed = diagnostics(r, file, line: 3)
    #expect(malformed.count == 1, "\(describe(r))")
    #expect(malformed.first?.uppercased().contains("JSON") == true, "\(malformed)")
    // The unknown type is named; the seq line hints at restore.
    #expect(diagnostics(r, file, line: 4).first?.contains("OrderShipped") == true)
    #expect(diagnostics(r, file, line: 6).first?.contains("restore") == true)
    #expect(try exportLines(s).isEmpty)
    let stats = try erpctl(["stats", "--store", s, "--format", "json"])
    #expect(int(try jsonObject(stats.out)["events"]) == 0)
  }

  @Test func invalidUTF8InALineIsRefused() throws {
    let dir = try TemporaryDirectory("erpctl-bad")
    defer { dir.remove() }
    let s = try freshStore(dir)
    let file = dir.file("latin1.jsonl")
    var bytes = Array((customerLine("C-1", key: "u1") + "\n").utf8)
    // Line 2: "Müller" written in Latin-1 (0xFC), then a lone continuation byte and 0xFF.
    bytes += Array(#"{"type":"CustomerRegistered","at":"2026-11-01","data":{"customer":"C-2","name":"M"#.utf8)
    bytes += [0xFC] + Array("ller ".utf8) + [0x80, 0xFF]
    bytes += Array(#"","region":"north","channel":"web"}}"#.utf8) + [0x0A]
    bytes += Array((customerLine("C-3", key: "u3") + "\n").utf8)
    try writeFile(file, bytes: bytes)
    let r = try erpctl(["append", "--store", s, file])
    #expect(r.exited(65), "\(describe(r))")
    #expect(diagnostics(r, file, line: 2).count == 1, "\(describe(r))")
    #expect(diagnostics(r, file, line: 1).isEmpty)
    #expect(diagnostics(r, file, line: 3).isEmpty)
    #expect(try exportLines(s).isEmpty)
  }

  @Test func lineNumbersCountBlankLinesAndCRLF() throws {
    let dir = try TemporaryDirectory("erpctl-bad")
    defer { dir.remove() }
    let s = try freshStore(dir)
    let file = dir.file("crlf.jsonl")
    let text = customerLine("C-1", key: "a") + "\r\n\r\n" + customerLine("C-2", key: "b") + "\r\n"
      + #"{"type":"CustomerRegistered","at":"2026-13-01","data":{"customer":"C-3","name":"N","region":"r","channel":"c"}}"#
      + "\r\n"
    try writeFile(file, text)
    let r = try erpctl(["append", "--store", s, file])
    #expect(r.exited(65), "\(describe(r))")
    let d = diagnostics(r, file, line: 4)
    #expect(d.count == 1, "\(describe(r))")
    #expect(d.first?.contains("field 'at'") == true)
    #expect(try exportLines(s).isEmpty)
  }

  @Test(arguments: [
    (#"{"type":"CustomerRegistered","at":"2026-11-01","data":{"customer":"C-1","name":"N","region":"r","channel":"c"},"colour":"red"}"#, "field 'colour'"),
    (#"{"type":"CustomerRegistered","at":"2026-11-01","data":{"customer":"C-1","name":"N","region":"r"}}"#, "field 'data.channel'"),
    (#"{"type":"CustomerRegistered","at":"2026-11-01","data":{"customer":"","name":"N","region":"r","channel":"c"}}"#, "field 'data.customer'"),
    (#"{"type":"CustomerRegistered","at":"yesterday","data":{"customer":"C-1","name":"N","region":"r","channel":"c"}}"#, "field 'at'"),
    (#"{"type":"CustomerRegistered","data":{"customer":"C-1","name":"N","region":"r","channel":"c"}}"#, "field 'at'"),
    (#"{"at":"2026-11-01","data":{"customer":"C-1","name":"N","region":"r","channel":"c"}}"#, "field 'type'"),
    (#"{"type":"customerregistered","at":"2026-11-01","data":{}}"#, "field 'type'"),
    (#"{"type":"ProductDefined","at":"2026-11-01","data":{"sku":"A","name":"N","line":"l","list_price":"12.345"}}"#, "field 'data.list_price'"),
    (#"{"type":"ProductDefined","at":"2026-11-01","data":{"sku":"A","name":"N","line":"l","list_price":"-1.00"}}"#, "field 'data.list_price'"),
    (#"{"type":"OrderConfirmed","at":"2026-11-03","data":{"order":"SO-1","customer":"C-1","rep":"R-1","lines":[]}}"#, "field 'data.lines'"),
    (#"{"type":"OrderConfirmed","at":"2026-11-03","data":{"order":"SO-1","customer":"C-1","rep":"R-1","lines":[{"sku":"A","qty":1,"unit_price":"1.00","discount":"1.5"}]}}"#, "field 'data.lines[0].discount'"),
    (#"{"type":"Shipped","at":"2026-11-03","data":{"order":"SO-1","shipment":"SH-1","lines":[{"sku":"A","qty":1,"cogs":"5.00"}]}}"#, "field 'data.lines[0].cogs'"),
    (#"{"type":"CustomerRegistered","at":"2026-11-01","key":"","data":{"customer":"C-1","name":"N","region":"r","channel":"c"}}"#, "field 'key'"),
    (#"{"type":"CustomerRegistered","at":"2026-11-01","v":99,"data":{"customer":"C-1","name":"N","region":"r","channel":"c"}}"#, "field 'v'"),
    (#"{"type":"CustomerRegistered","at":"2026-11-01","hash":"00","data":{"customer":"C-1","name":"N","region":"r","channel":"c"}}"#, "field 'hash'"),
    (#"{"type":"CustomerRegistered","at":"2026-11-01","recorded":"2026-11-01T00:00:00Z","data":{"customer":"C-1","name":"N","region":"r","channel":"c"}}"#, "field 'recorded'"),
    (#"{"type":"CustomerRegistered","type":"CustomerRegistered","at":"2026-11-01","data":{"customer":"C-1","name":"N","region":"r","channel":"c"}}"#, ""),
    (#"[1,2,3]"#, ""),
  ])
  func oneBadFieldIsNamed(line: String, expected: String) throws {
    let dir = try TemporaryDirectory("erpctl-bad")
    defer { dir.remove() }
    let s = try freshStore(dir)
    let file = dir.file("one.jsonl")
    try writeFile(file, customerLine("C-0", key: "ok") + "\n" + line + "\n")
    let r = try erpctl(["append", "--store", s, file])
    #expect(r.exited(65), "\(describe(r))")
    let d = diagnostics(r, file, line: 2)
    #expect(d.count == 1, "\(describe(r))")
    if !expected.isEmpty {
      #expect(d.first?.contains("\(file):2: \(expected)") == true, "\(describe(r))")
    }
    #expect(try exportLines(s).isEmpty)
  }

  @Test func moneyAsABinaryNumberIsRefused() throws {
    let dir = try TemporaryDirectory("erpctl-bad")
    defer { dir.remove() }
    let s = try freshStore(dir)
    let file = dir.file("float.jsonl")
    try writeFile(
      file,
      #"{"type":"ProductDefined","at":"2026-11-01","data":{"sku":"A","name":"N","line":"l","list_price":12.5}}"#
        + "\n")
    let r = try erpctl(["append", "--store", s, file])
    #expect(r.exited(65), "\(describe(r))")
    let d = diagnostics(r, file, line: 1)
    #expect(d.count == 1, "\(describe(r))")
    #expect(try exportLines(s).isEmpty)
    // "A clear error for every malformed field naming the field": the parser knows the path.
    #expect(d.first?.contains("field 'data.list_price'") == true, "\(d)")
    #expect(d.first?.contains("decimal strings") == true, "\(d)")
  }

  @Test func derivedEventsAreRefusedWithAHintToRestore() throws {
    // SPEC 7 (Import): append takes primary events only; a derived event is refused (65).
    let dir = try TemporaryDirectory("erpctl-bad")
    defer { dir.remove() }
    let s = try freshStore(dir)
    let file = dir.file("derived.jsonl")
    try writeFile(file, #"{"type":"StockReserved","at":"2026-11-03","data":{"order":"SO-1","sku":"A1","qty":1}}"# + "\n")
    let r = try erpctl(["append", "--store", s, file])
    #expect(r.exited(65), "\(describe(r))")
    #expect(r.err.contains("\(file):1: StockReserved is derived by the store"), "\(describe(r))")
    #expect(r.err.contains("erpctl restore"))
    #expect(try exportLines(s).isEmpty)
  }
}
