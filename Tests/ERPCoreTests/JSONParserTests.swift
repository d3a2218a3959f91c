import ERPCore
import Testing

@Suite("JSONParser: valid documents")
struct JSONParserValidTests {
  @Test func scalarsAtTopLevel() throws {
    #expect(try JSONParser.parse("true") == .bool(true))
    #expect(try JSONParser.parse("false") == .bool(false))
    #expect(try JSONParser.parse("null") == .null)
    #expect(try JSONParser.parse("0") == .int(0))
    #expect(try JSONParser.parse("42") == .int(42))
    #expect(try JSONParser.parse("-42") == .int(-42))
    #expect(try JSONParser.parse("-0") == .int(0))
    #expect(try JSONParser.parse(#""SO-1001""#) == .string("SO-1001"))
    #expect(try JSONParser.parse(#""""#) == .string(""))
  }

  @Test func nestedObjectAndArray() throws {
    let v = try JSONParser.parse(
      #"{"order":"SO-1","lines":[{"sku":"A1","qty":2},{"sku":"B2","qty":10}],"ok":true,"n":null}"#)
    let o = try #require(v.objectValue)
    #expect(o.count == 4)
    #expect(o["order"] == .string("SO-1"))
    #expect(o["ok"] == .bool(true))
    #expect(o["n"] == .null)
    let lines = try #require(o["lines"]?.arrayValue)
    #expect(lines.count == 2)
    #expect(lines[0].objectValue?["sku"] == .string("A1"))
    #expect(lines[1].objectValue?["qty"] == .int(10))
    #expect(o["missing"] == nil)
  }

  @Test func membersAreKeptInKeyOrderWhateverTheInputOrder() throws {
    let o = try jsonObject(#"{"b":1,"a":2,"c":3,"B":4}"#)
    #expect(o.keys == ["B", "a", "b", "c"])
  }

  @Test func emptyContainers() throws {
    #expect(try JSONParser.parse("{}") == .object(JSONObject()))
    #expect(try JSONParser.parse("[]") == .array([]))
    #expect(try JSONParser.parse("{ }") == .object(JSONObject()))
    #expect(try JSONParser.parse("[ \n ]") == .array([]))
    #expect(try JSONParser.parse("[[],{}]") == .array([.array([]), .object(JSONObject())]))
  }

  @Test func insignificantWhiteSpaceEverywhere() throws {
    let v = try JSONParser.parse(" \t\r\n{ \"a\" :\n[ 1 ,\t2 ] ,\r\n\"b\" : { } } \n")
    #expect(v == .object(JSONObject([("a", .array([1, 2])), ("b", .object(JSONObject()))])))
  }

  @Test func shortEscapes() throws {
    let v = try JSONParser.parse(#""\"\\\/\b\f\n\r\t""#)
    #expect(v.stringValue.map(scalarValues) == [0x22, 0x5C, 0x2F, 0x08, 0x0C, 0x0A, 0x0D, 0x09])
  }

  @Test func unicodeEscapes() throws {
    #expect(try JSONParser.parse(#""\u0041\u00e9\u20AC""#).stringValue.map(scalarValues) == [0x41, 0xE9, 0x20AC])
    #expect(try JSONParser.parse(#""\u0000""#).stringValue.map(scalarValues) == [0])
    #expect(try JSONParser.parse(#""\uFFFF""#).stringValue.map(scalarValues) == [0xFFFF])
  }

  @Test func surrogatePairDecodesToOneScalar() throws {
    // RFC 8259 section 7: U+1F600 is written as the pair D83D DE00.
    let lower = try JSONParser.parse(#""\ud83d\ude00""#)
    #expect(lower.stringValue.map(scalarValues) == [0x1F600])
    #expect(lower.stringValue == "😀")
    let upper = try JSONParser.parse(#""x\uD83D\uDE00y""#)
    #expect(upper.stringValue.map(scalarValues) == [0x78, 0x1F600, 0x79])
    // The highest scalar, U+10FFFF = DBFF DFFF.
    #expect(try JSONParser.parse(#""\udbff\udfff""#).stringValue.map(scalarValues) == [0x10FFFF])
    // U+10000 = D800 DC00.
    #expect(try JSONParser.parse(#""\ud800\udc00""#).stringValue.map(scalarValues) == [0x10000])
  }

  @Test(arguments: [
    [0x22, 0xC3, 0xA9, 0x22],  // é, 2 bytes
    [0x22, 0xE2, 0x82, 0xAC, 0x22],  // €, 3 bytes
    [0x22, 0xF0, 0x9F, 0x98, 0x80, 0x22],  // 😀, 4 bytes
    [0x22, 0xED, 0x9F, 0xBF, 0x22],  // U+D7FF, just below the surrogates
    [0x22, 0xEE, 0x80, 0x80, 0x22],  // U+E000, just above them
    [0x22, 0xEF, 0xBF, 0xBF, 0x22],  // U+FFFF
    [0x22, 0xF4, 0x8F, 0xBF, 0xBF, 0x22],  // U+10FFFF, the last scalar
    [0x22, 0x7F, 0x22],  // DEL is not a control character for JSON
  ] as [[UInt8]])
  func validUTF8InStringsIsKept(_ bytes: [UInt8]) throws {
    let v = try JSONParser.parse(bytes)
    let s = try #require(v.stringValue)
    #expect(Array(s.utf8) == Array(bytes.dropFirst().dropLast()))
  }

  @Test func integerLimits() throws {
    #expect(try JSONParser.parse("9007199254740991") == .int(9_007_199_254_740_991))
    #expect(try JSONParser.parse("-9007199254740991") == .int(-9_007_199_254_740_991))
    #expect(JSONValue.maxSafeInteger == (1 << 53) - 1)
    #expect(try JSONParser.parse("[10,-7,100]") == .array([10, -7, 100]))
  }

  @Test func nestingOfExactly64IsAccepted() throws {
    let arrays = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
    #expect(throws: Never.self) { try JSONParser.parse(arrays) }
    let objects = String(repeating: #"{"a":"#, count: 64) + "1" + String(repeating: "}", count: 64)
    #expect(throws: Never.self) { try JSONParser.parse(objects) }
    #expect(JSONParser.maxDepth == 64)
  }

  @Test func siblingsDoNotAddToTheDepth() throws {
    // 64 levels, then a sibling at level 64: the depth must come back down after each container.
    let deep = String(repeating: "[", count: 63) + "[],[]" + String(repeating: "]", count: 63)
    #expect(throws: Never.self) { try JSONParser.parse(deep) }
  }

  @Test func sameKeyInDifferentObjectsIsNotADuplicate() throws {
    let v = try JSONParser.parse(#"{"a":{"a":1},"b":[{"a":2},{"a":3}]}"#)
    #expect(v.objectValue?["a"]?.objectValue?["a"] == .int(1))
  }

  @Test func parsesASliceOfABuffer() throws {
    let buffer = Array(#"xx{"a":1}yy"#.utf8)
    let v = try JSONParser.parse(buffer, start: 2, end: 9)
    #expect(v == .object(JSONObject([("a", .int(1))])))
  }
}

@Suite("JSONParser: malformed input")
struct JSONParserErrorTests {
  struct Case: Sendable, CustomTestStringConvertible {
    var text: String
    var column: Int
    var message: String
    var testDescription: String { "\(text.debugDescription) -> column \(column)" }
  }

  static let cases: [Case] = [
    // Trailing commas.
    Case(text: #"{"a":1,}"#, column: 8, message: "expected a quoted member name"),
    Case(text: "[1,2,]", column: 6, message: "unexpected character ']'"),
    // Structure.
    Case(text: #"{"a" 1}"#, column: 6, message: "expected ':'"),
    Case(text: #"{"a":1 "b":2}"#, column: 8, message: "expected ',' or '}'"),
    Case(text: "[1 2]", column: 4, message: "expected ',' or ']'"),
    Case(text: "{a:1}", column: 2, message: "expected a quoted member name"),
    Case(text: "{'a':1}", column: 2, message: "expected a quoted member name"),
    // Strings.
    Case(text: #""abc"#, column: 1, message: "unterminated string"),
    Case(text: #"{"a":"xyz"#, column: 6, message: "unterminated string"),
    Case(text: "[\"a\tb\"]", column: 4, message: "control character"),
    Case(text: "\"a\nb\"", column: 3, message: "control character"),
    Case(text: "\"\u{1F}\"", column: 2, message: "control character"),
    Case(text: "\"é\u{01}\"", column: 4, message: "control character"),
    Case(text: #""a\qb""#, column: 3, message: "invalid escape"),
    Case(text: #""\x41""#, column: 2, message: "invalid escape"),
    Case(text: #""\U0041""#, column: 2, message: "invalid escape"),
    Case(text: #""\'""#, column: 2, message: "invalid escape"),
    Case(text: #""\u12G4""#, column: 6, message: "invalid \\u escape"),
    Case(text: #""\u12""#, column: 4, message: "truncated \\u escape"),
    // Duplicate member names (RFC 8259 says SHOULD be unique; I-JSON and erpctl say MUST).
    Case(text: #"{"a":1,"a":2}"#, column: 8, message: "duplicate member name 'a'"),
    Case(text: #"{"x":{"k":1,"j":2,"k":3}}"#, column: 19, message: "duplicate member name 'k'"),
    // Numbers: integers only, money and rates are decimal strings.
    Case(text: "1.5", column: 1, message: "decimal strings"),
    Case(text: "1e3", column: 1, message: "decimal strings"),
    Case(text: "1E3", column: 1, message: "decimal strings"),
    Case(text: "-0.5", column: 1, message: "decimal strings"),
    Case(text: "[0.0]", column: 2, message: "decimal strings"),
    Case(text: #"{"p":12.50}"#, column: 6, message: "decimal strings"),
    Case(text: "01", column: 1, message: "leading zero"),
    Case(text: "-01", column: 1, message: "leading zero"),
    Case(text: "00", column: 1, message: "leading zero"),
    Case(text: "[007]", column: 2, message: "leading zero"),
    Case(text: "9007199254740992", column: 1, message: "out of range"),
    Case(text: "-9007199254740992", column: 1, message: "out of range"),
    Case(text: "[1, 99999999999999999999999]", column: 5, message: "out of range"),
    Case(text: "-", column: 1, message: "invalid number"),
    Case(text: "-x", column: 1, message: "invalid number"),
    Case(text: "[-]", column: 2, message: "invalid number"),
    Case(text: ".5", column: 1, message: "unexpected character '.'"),
    Case(text: "+1", column: 1, message: "unexpected character '+'"),
    Case(text: "NaN", column: 1, message: "unexpected character 'N'"),
    // Literals.
    Case(text: "tru", column: 1, message: "invalid literal"),
    Case(text: "[nul]", column: 2, message: "invalid literal"),
    Case(text: "False", column: 1, message: "unexpected character 'F'"),
    // Trailing garbage.
    Case(text: "{} x", column: 4, message: "unexpected text after the JSON value"),
    Case(text: "1 2", column: 3, message: "unexpected text after the JSON value"),
    Case(text: "truex", column: 5, message: "unexpected text after the JSON value"),
    Case(text: "[1]]", column: 4, message: "unexpected text after the JSON value"),
    Case(text: "{}{}", column: 3, message: "unexpected text after the JSON value"),
    // Empty and truncated input.
    Case(text: "", column: 1, message: "unexpected end of input"),
    Case(text: "   ", column: 4, message: "unexpected end of input"),
    Case(text: "[", column: 2, message: "unexpected end of input"),
    Case(text: "{", column: 2, message: "unexpected end of input"),
    Case(text: "[1,", column: 4, message: "unexpected end of input"),
    Case(text: #"{"a":1"#, column: 7, message: "unexpected end of input"),
    Case(text: #"{"a":"#, column: 6, message: "unexpected end of input"),
    // Only space, tab, LF and CR are white space.
    Case(text: "\u{0C}1", column: 1, message: "unexpected character byte 0xc"),
    Case(text: "\u{0B}1", column: 1, message: "unexpected character byte 0xb"),
  ]

  @Test(arguments: cases)
  func refusedWithColumn(_ c: Case) throws {
    let e = try #require(parseError(c.text))
    #expect(e.column == c.column)
    #expect(e.message.contains(c.message), "message: \(e.message)")
    #expect(e.description == "column \(e.column): \(e.message)")
  }

  @Test func nonIntegerMessageMentionsDecimalStrings() throws {
    let e = try #require(parseError(#"{"amount":1299.5}"#))
    #expect(e.message.contains("integers"))
    #expect(e.message.contains("decimal strings"))
    #expect(e.column == 11)
  }

  struct Surrogate: Sendable {
    var text: String
    /// The columns of the escape's backslash through the byte just after it.
    var columns: ClosedRange<Int>
  }

  @Test(arguments: [
    Surrogate(text: #""\ud800""#, columns: 2...8),  // lone high at end of string
    Surrogate(text: #""\ud83dx""#, columns: 2...8),  // high followed by a plain character
    Surrogate(text: #""\ud83dabcdef""#, columns: 2...8),  // high followed by text of escape length
    Surrogate(text: #""\ud800\u0041""#, columns: 2...14),  // high followed by a non-surrogate escape
    Surrogate(text: #""\ud800\ud800""#, columns: 2...14),  // two highs
    Surrogate(text: #""\udc00""#, columns: 2...8),  // lone low
    Surrogate(text: #""\udfff""#, columns: 2...8),  // lone low, top of range
    Surrogate(text: #""\ude00\ud83d""#, columns: 2...8),  // a pair in the wrong order
    Surrogate(text: #""ab\udc00""#, columns: 4...10),
  ])
  func loneSurrogatesAreRefused(_ s: Surrogate) throws {
    let e = try #require(parseError(s.text))
    #expect(e.message.contains("lone surrogate"), "message: \(e.message)")
    #expect(s.columns.contains(e.column), "column \(e.column)")
  }

  struct BadBytes: Sendable, CustomTestStringConvertible {
    var name: String
    var bytes: [UInt8]
    var column: Int
    var testDescription: String { name }
  }

  @Test(arguments: [
    BadBytes(name: "overlong NUL C0 80", bytes: [0x22, 0xC0, 0x80, 0x22], column: 2),
    BadBytes(name: "overlong C1 BF", bytes: [0x22, 0xC1, 0xBF, 0x22], column: 2),
    BadBytes(name: "overlong 3-byte E0 80 80", bytes: [0x22, 0xE0, 0x80, 0x80, 0x22], column: 2),
    BadBytes(name: "overlong 4-byte F0 80 80 80", bytes: [0x22, 0xF0, 0x80, 0x80, 0x80, 0x22], column: 2),
    BadBytes(name: "encoded surrogate ED A0 80", bytes: [0x22, 0x61, 0xED, 0xA0, 0x80, 0x22], column: 3),
    BadBytes(name: "encoded surrogate ED BF BF", bytes: [0x22, 0xED, 0xBF, 0xBF, 0x22], column: 2),
    BadBytes(name: "truncated 3-byte", bytes: [0x22, 0xE2, 0x82, 0x22], column: 2),
    BadBytes(name: "truncated at end of input", bytes: [0x22, 0xE2, 0x82], column: 2),
    BadBytes(name: "truncated 4-byte", bytes: [0x22, 0xF0, 0x9F, 0x98, 0x22], column: 2),
    BadBytes(name: "stray FF", bytes: [0x22, 0xFF, 0x22], column: 2),
    BadBytes(name: "stray FE", bytes: [0x22, 0xFE, 0x22], column: 2),
    BadBytes(name: "lone continuation byte", bytes: [0x22, 0x80, 0x22], column: 2),
    BadBytes(name: "beyond U+10FFFF F4 90", bytes: [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], column: 2),
    BadBytes(name: "F5 lead byte", bytes: [0x22, 0xF5, 0x80, 0x80, 0x80, 0x22], column: 2),
    BadBytes(name: "after a valid euro sign", bytes: [0x22, 0xE2, 0x82, 0xAC, 0xFF, 0x22], column: 5),
    BadBytes(name: "in a member name", bytes: [0x7B, 0x22, 0xC0, 0x80, 0x22, 0x3A, 0x31, 0x7D], column: 3),
  ])
  func invalidUTF8InStringsIsRefused(_ b: BadBytes) throws {
    let e = try #require(parseError(bytes: b.bytes))
    #expect(e.column == b.column)
    #expect(e.message.contains("invalid UTF-8"), "message: \(e.message)")
  }

  @Test func nonASCIIByteOutsideAStringIsRefused() throws {
    let e = try #require(parseError(bytes: [0xFF]))
    #expect(e.column == 1)
    #expect(e.message.contains("0xff"))
    let e2 = try #require(parseError(bytes: [0x5B, 0x31, 0x2C, 0xC3, 0xA9, 0x5D]))  // [1,é]
    #expect(e2.column == 4)
  }

  @Test func nestingDeeperThan64IsRefused() throws {
    let arrays = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
    let e = try #require(parseError(arrays))
    #expect(e.column == 65)
    #expect(e.message.contains("64"))

    // Each level `{"a":` is 5 bytes, so the 65th `{` is at byte 321.
    let objects = String(repeating: #"{"a":"#, count: 65) + "1" + String(repeating: "}", count: 65)
    let e2 = try #require(parseError(objects))
    #expect(e2.column == 321)
    #expect(e2.message.contains("nesting"))

    // Far deeper input must be refused, not overflow the stack.
    let huge = String(repeating: "[", count: 100_000)
    #expect(parseError(huge)?.column == 65)
  }

  @Test func columnIsRelativeToTheSliceStart() throws {
    let buffer = Array("abc[1,]xyz".utf8)
    let e = try #require(parseError(bytes: buffer, start: 3, end: 7))
    #expect(e.column == 4)
    // Text after `end` is not read.
    #expect(parseError(bytes: Array("[1]garbage".utf8), start: 0, end: 3) == nil)
    // But text before `end` is.
    #expect(parseError(bytes: Array("[1] x".utf8), start: 0, end: 5)?.column == 5)
  }

  @Test func membersInAnyOrderGiveTheSameObject() throws {
    let sorted = try JSONParser.parse(#"{"a":1,"b":{"x":"1","y":[2]},"c\u00e9":3,"d":null}"#)
    let shuffled = try JSONParser.parse(#"{"d":null,"c\u00e9":3,"b":{"y":[2],"x":"1"},"a":1}"#)
    #expect(sorted == shuffled)
    #expect(sorted.objectValue?.keys == ["a", "b", "c\u{E9}", "d"])
    #expect(shuffled.objectValue?["b"]?.objectValue?.keys == ["x", "y"])
    // A repeat after names in order is still found, wherever it falls.
    #expect(parseError(#"{"a":1,"b":2,"a":3}"#)?.message == "duplicate member name 'a'")
    #expect(parseError(#"{"a":1,"b":2,"b":3}"#)?.column == 14)
  }

  @Test(arguments: [
    (#"{"data":{"lines":[{"qty":1},{"qty":1.5}]}}"#, "data.lines[1].qty"),
    (#"{"a":[[1,2,3],[4,x]]}"#, "a[1][1]"),
    (#"{"a":[[1,2,3],{"b":[{}, {"c":tru}]}]}"#, "a[1].b[1].c"),
    (#"[0,{"k\u00e9":[1,{"\"":"\x"}]}]"#, "[1].k\u{E9}[1].\""),
    // The name is left out once its value was read, and a path of empty names is none.
    (#"{"a":{"b":[1,2} }"#, "a.b"),
    (#"{"a":{"b":1 "c":2}}"#, "a"),
    (#"{"":{"b":x}}"#, "b"),
    (#"{"":[x]}"#, "[0]"),
    (#"{"a":1 x}"#, nil),
  ] as [(String, String?)])
  func errorNamesThePathOfTheValue(_ text: String, _ path: String?) throws {
    #expect(parseError(text)?.path == path)
  }

  @Test func nonASCIITextWithAndWithoutEscapes() throws {
    #expect(try JSONParser.parse(#""赵海燕""#) == .string("赵海燕"))
    #expect(try JSONParser.parse(#""é\n€𝄞""#) == .string("é\n€𝄞"))
    #expect(try JSONParser.parse(#""€\u00e9x""#) == .string("€éx"))
    // Errors after non-ASCII text are where they were: 赵 is three bytes.
    #expect(parseError(bytes: Array(#"["赵"#.utf8) + [0xE6, 0x41] + Array(#""]"#.utf8))?.column == 6)
    #expect(parseError(bytes: Array(#"["赵"#.utf8) + [0xE6, 0x41] + Array(#""]"#.utf8))?.message == "invalid UTF-8")
    let control = try #require(parseError(bytes: Array(#"["é"#.utf8) + [0x01] + Array(#""]"#.utf8)))
    #expect(control.column == 5)
    #expect(control.message.contains("control character"))
    #expect(parseError(#"["赵"#)?.message == "unterminated string")
  }

  @Test func mixedNamesKeepTheirOrder() throws {
    // Plain ASCII names are compared where they are, others as Strings: any mix of the two
    // must be put in order, and a repeat found.
    let o = try #require(try JSONParser.parse(#"{"b":1,"\u0061":2,"é":3,"c":4,"ab":5}"#).objectValue)
    #expect(o.keys == ["a", "ab", "b", "c", "é"])
    #expect(parseError(#"{"a":1,"\u0062":2,"b":3}"#)?.message == "duplicate member name 'b'")
    #expect(parseError(#"{"é":1,"f":2,"\u00e9":3}"#)?.message == "duplicate member name 'é'")
    #expect(try JSONParser.parse(#"{"a":1,"ab":2,"b":3}"#).objectValue?.keys == ["a", "ab", "b"])
    #expect(try JSONParser.parse(#"{"b":1,"a":2}"#).objectValue?.keys == ["a", "b"])
    #expect(try JSONParser.parse(#"{"ab":1,"a":2}"#).objectValue?.keys == ["a", "ab"])
  }

  @Test func duplicateMemberIsReportedAtTheSecondName() throws {
    let e = try #require(parseError(#"{"order":"SO-1", "order":"SO-2"}"#))
    #expect(e.column == 18)
    #expect(e.message.contains("'order'"))
  }
}
