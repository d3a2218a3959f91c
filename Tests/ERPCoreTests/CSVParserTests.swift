import ERPCore
import Testing

/// What a parse gives: the rows emitted, then the error that stopped it (if any).
struct CSVParse: Equatable, CustomStringConvertible {
  var rows: [CSVRow]
  var error: CSVError?

  var description: String {
    rows.map { "\($0.line): \($0.fields) raw \($0.raw.debugDescription)" }.joined(separator: "\n")
      + (error.map { "\nerror line \($0.line): \($0.message)" } ?? "")
  }
}

/// Parses `bytes` fed in chunks of `chunk` bytes (0: all at once).
func csvParse(_ bytes: [UInt8], chunk: Int = 0, maxRowBytes: Int = 16 << 20) -> CSVParse {
  var parser = CSVParser(maxRowBytes: maxRowBytes)
  var rows: [CSVRow] = []
  do {
    if chunk == 0 {
      try parser.feed(bytes[...]) { rows.append($0) }
    } else {
      var i = 0
      while i < bytes.count {
        try parser.feed(bytes[i..<min(i + chunk, bytes.count)]) { rows.append($0) }
        i += chunk
      }
    }
    try parser.finish { rows.append($0) }
    return CSVParse(rows: rows, error: nil)
  } catch let error as CSVError {
    return CSVParse(rows: rows, error: error)
  } catch {
    Issue.record("unexpected error \(error)")
    return CSVParse(rows: rows, error: nil)
  }
}

func csvParse(_ text: String, chunk: Int = 0) -> CSVParse { csvParse(Array(text.utf8), chunk: chunk) }

private func row(_ line: Int, _ fields: [String], raw: String? = nil) -> CSVRow {
  CSVRow(fields: fields, line: line, raw: raw ?? fields.joined(separator: ","))
}

@Suite("CSVParser")
struct CSVParserTests {
  struct Case: Sendable, CustomTestStringConvertible {
    var name: String
    var input: [UInt8]
    var rows: [CSVRow]
    var error: CSVError?
    var testDescription: String { name }

    init(_ name: String, _ input: String, _ rows: [CSVRow], error: CSVError? = nil) {
      self.init(name, bytes: Array(input.utf8), rows, error: error)
    }
    init(_ name: String, bytes: [UInt8], _ rows: [CSVRow], error: CSVError? = nil) {
      self.name = name
      input = bytes
      self.rows = rows
      self.error = error
    }
  }

  static let cases: [Case] = [
    Case("plain rows", "a,b,c\n1,2,3\n", [row(1, ["a", "b", "c"]), row(2, ["1", "2", "3"])]),
    Case("last row without a line end", "a,b\n1,2", [row(1, ["a", "b"]), row(2, ["1", "2"])]),
    Case("CRLF row ends", "a,b\r\n1,2\r\n", [row(1, ["a", "b"]), row(2, ["1", "2"])]),
    Case("a lone CR at the very end ends the row", "a\r", [row(1, ["a"])]),
    Case("empty fields", ",,\n", [row(1, ["", "", ""])]),
    Case("trailing comma", "a,", [row(1, ["a", ""])]),
    Case("spaces are kept", " a , b \n", [row(1, [" a ", " b "])]),
    Case("quoted comma", "\"x,y\",z\n", [row(1, ["x,y", "z"], raw: "\"x,y\",z")]),
    Case(
      "doubled quotes", "\"he said \"\"hi\"\"\",2\n",
      [row(1, ["he said \"hi\"", "2"], raw: "\"he said \"\"hi\"\"\",2")]),
    Case("empty quoted field", "\"\",a\n", [row(1, ["", "a"], raw: "\"\",a")]),
    Case("only a pair of quotes", "\"\"\"\"\n", [row(1, ["\""], raw: "\"\"\"\"")]),
    Case("quoted field at the end of input", "\"abc\"", [row(1, ["abc"], raw: "\"abc\"")]),
    Case("quoted field then CRLF", "\"a\"\r\nb", [row(1, ["a"], raw: "\"a\""), row(2, ["b"])]),
    Case(
      "embedded LF counts a line", "a,\"l1\nl2\",c\nnext,x,y\n",
      [row(1, ["a", "l1\nl2", "c"], raw: "a,\"l1\nl2\",c"), row(3, ["next", "x", "y"])]),
    Case(
      "embedded CRLF is one line, read as LF", "a,\"l1\r\nl2\r\nl3\"\r\nb\r\n",
      [row(1, ["a", "l1\nl2\nl3"], raw: "a,\"l1\r\nl2\r\nl3\""), row(4, ["b"])]),
    Case(
      "embedded lone CR is one line, read as LF", "\"l1\rl2\"\nb\n",
      [row(1, ["l1\nl2"], raw: "\"l1\rl2\""), row(3, ["b"])]),
    Case(
      "CR CR inside quotes is two lines", "\"a\r\rb\"\nc\n",
      [row(1, ["a\n\nb"], raw: "\"a\r\rb\""), row(4, ["c"])]),
    Case(
      "embedded newline right after the opening quote", "\"\nx\",y\nz\n",
      [row(1, ["\nx", "y"], raw: "\"\nx\",y"), row(3, ["z"])]),
    Case("blank lines are skipped", "\n\na\n\r\n\nb\n\n", [row(3, ["a"]), row(6, ["b"])]),
    Case("BOM at the start is skipped", "\u{FEFF}a,b\n", [row(1, ["a", "b"])]),
    Case("BOM elsewhere is data", "a\n\u{FEFF}b\n", [row(1, ["a"]), row(2, ["\u{FEFF}b"])]),
    Case("BOM alone", "\u{FEFF}", []),
    Case("empty input", "", []),
    Case("multi-byte UTF-8", "名称,价格\n华东,\"1,5\"\n", [row(1, ["名称", "价格"]), row(2, ["华东", "1,5"], raw: "华东,\"1,5\"")]),
    // Errors, each with its line.
    Case(
      "quote inside an unquoted field", "a,b\nc,d\"e\nf\n", [row(1, ["a", "b"])],
      error: CSVError(
        line: 2,
        "field 2: a quote in an unquoted field (enclose the field in quotes and write a quote as \"\")")),
    Case(
      "text after the closing quote", "\"abc\"x,1\n", [],
      error: CSVError(
        line: 1,
        "field 1: text after the closing quote (write a quote inside a quoted field as \"\")")),
    Case(
      "space after the closing quote", "a\n1,\"abc\" ,1\n", [row(1, ["a"])],
      error: CSVError(
        line: 2,
        "field 2: text after the closing quote (write a quote inside a quoted field as \"\")")),
    Case(
      "unterminated quoted field", "a,b\n\"open\nmore\nstill\n", [row(1, ["a", "b"])],
      error: CSVError(line: 2, "unterminated quoted field starting on line 2")),
    Case(
      "unterminated after an embedded CR", "x,\"a\r", [],
      error: CSVError(line: 1, "unterminated quoted field starting on line 1")),
    Case(
      "bare CR outside quotes", "a\rb\n", [],
      error: CSVError(line: 1, "a carriage return not followed by a line feed outside quotes")),
    Case(
      "NUL byte", "a,b\nc\0\n", [row(1, ["a", "b"])],
      error: CSVError(line: 2, "NUL byte in the input (a UTF-16 file? save it as UTF-8)")),
    Case(
      "UTF-16 file", bytes: [0xFF, 0xFE, 0x61, 0x00, 0x0A, 0x00], [],
      error: CSVError(line: 1, "NUL byte in the input (a UTF-16 file? save it as UTF-8)")),
    Case(
      "invalid UTF-8 on the second line of a row", bytes: Array("ok\n\"x\ny".utf8) + [0xFF] + Array("\"\nz\n".utf8),
      [row(1, ["ok"])], error: CSVError(line: 3, "invalid UTF-8 (save the file as UTF-8)")),
    Case(
      "truncated sequence at the end", bytes: [0x61, 0xE4, 0xB8], [],
      error: CSVError(line: 1, "invalid UTF-8 (save the file as UTF-8)")),
    Case(
      "overlong encoding", bytes: [0x0A, 0xC0, 0xAF, 0x0A], [],
      error: CSVError(line: 2, "invalid UTF-8 (save the file as UTF-8)")),
    Case(
      "surrogate", bytes: [0xED, 0xA0, 0x80], [],
      error: CSVError(line: 1, "invalid UTF-8 (save the file as UTF-8)")),
    Case(
      "above U+10FFFF", bytes: [0xF4, 0x90, 0x80, 0x80], [],
      error: CSVError(line: 1, "invalid UTF-8 (save the file as UTF-8)")),
    Case(
      "half a BOM", bytes: [0xEF, 0xBB, 0x61], [],
      error: CSVError(line: 1, "invalid UTF-8 (save the file as UTF-8)")),
  ]

  @Test(arguments: cases)
  func parses(_ c: Case) {
    let whole = csvParse(c.input)
    #expect(whole == CSVParse(rows: c.rows, error: c.error))
  }

  /// Chunk boundaries anywhere (inside quotes, between CR and LF, inside a UTF-8 sequence, inside
  /// the BOM) give the same rows and the same error.
  @Test(arguments: cases)
  func chunkingDoesNotMatter(_ c: Case) {
    let whole = csvParse(c.input)
    for size in [1, 2, 3, 5, 7] {
      #expect(csvParse(c.input, chunk: size) == whole, "chunks of \(size)")
    }
  }

  @Test func everyTwoWaySplitGivesTheSameRows() {
    let text = "\u{FEFF}名称,\"多\r\n行,\"\"引号\"\"\"\r\n\r\nx,\"\ry\"\n末行,é"
    let bytes = Array(text.utf8)
    let whole = csvParse(bytes)
    #expect(whole.error == nil)
    #expect(whole.rows == [
      row(1, ["名称", "多\n行,\"引号\""], raw: "名称,\"多\r\n行,\"\"引号\"\"\""),
      row(4, ["x", "\ny"], raw: "x,\"\ry\""),
      row(6, ["末行", "é"]),
    ])
    for cut in 0...bytes.count {
      var parser = CSVParser()
      var rows: [CSVRow] = []
      #expect(throws: Never.self) {
        try parser.feed(bytes[..<cut]) { rows.append($0) }
        try parser.feed(bytes[cut...]) { rows.append($0) }
        try parser.finish { rows.append($0) }
      }
      #expect(rows == whole.rows, "cut at \(cut)")
    }
  }

  @Test func rowLongerThanTheLimit() {
    let r = csvParse(Array("a\n\"0123456789abcdef".utf8), maxRowBytes: 10)
    #expect(r.rows == [row(1, ["a"])])
    #expect(r.error == CSVError(line: 2, "the row starting on line 2 is longer than 10 bytes (a quote left open?)"))
  }

  @Test func finishResetsForTheNextInput() throws {
    var parser = CSVParser()
    var rows: [CSVRow] = []
    try parser.feed(Array("a\nb".utf8)[...]) { rows.append($0) }
    try parser.finish { rows.append($0) }
    try parser.feed(Array("\u{FEFF}c\n".utf8)[...]) { rows.append($0) }
    try parser.finish { rows.append($0) }
    #expect(rows == [row(1, ["a"]), row(2, ["b"]), row(1, ["c"])])
  }

  @Test func errorsFromEmitPassThrough() {
    struct Stop: Error {}
    var parser = CSVParser()
    #expect(throws: Stop.self) {
      try parser.feed(Array("a\nb\n".utf8)[...]) { _ in throw Stop() }
    }
  }
}
