import ERPCore
import ERPStore
import ERPTestSupport
import Testing

@Suite("CanonicalJSON (RFC 8785)")
struct CanonicalJSONTests {
  func encoded(_ v: JSONValue) -> [UInt8] { CanonicalJSON.encode(v) }
  func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

  @Test func rfc8785SortingExample() throws {
    // RFC 8785 section 3.2.3, input as printed there.
    let input = #"""
      {
        "\u20ac": "Euro Sign",
        "\r": "Carriage Return",
        "\ufb33": "Hebrew Letter Dalet With Dagesh",
        "1": "One",
        "\ud83d\ude00": "Emoji: Grinning Face",
        "\u0080": "Control",
        "\u00f6": "Latin Small Letter O With Diaeresis"
      }
      """#
    let o = try jsonObject(input)
    // The RFC's expected order: by UTF-16 code units, so U+1F600 (D83D DE00) sorts before
    // U+FB33 although its scalar value is larger.
    #expect(o.keys.map(scalarValues) == [[0x0D], [0x31], [0x80], [0xF6], [0x20AC], [0x1F600], [0xFB33]])
    #expect(o.members.map { $0.value.stringValue ?? "" } == [
      "Carriage Return", "One", "Control", "Latin Small Letter O With Diaeresis", "Euro Sign",
      "Emoji: Grinning Face", "Hebrew Letter Dalet With Dagesh",
    ])
    // U+0080 is not a control character for JSON (only U+0000-U+001F are), so it stays literal.
    let expected =
      #"{"\r":"Carriage Return","1":"One","\#u{80}":"Control","\#u{F6}":"Latin Small Letter O With Diaeresis","\#u{20AC}":"Euro Sign","\#u{1F600}":"Emoji: Grinning Face","\#u{FB33}":"Hebrew Letter Dalet With Dagesh"}"#
    #expect(encoded(.object(o)) == bytes(expected))
  }

  @Test func literalHebrewKeySortsTheSameAsItsEscape() throws {
    // "דּ" typed literally as U+FB33 (bytes EF AC B3), next to the emoji.
    let o = try JSONParser.parse([
      0x7B, 0x22, 0xEF, 0xAC, 0xB3, 0x22, 0x3A, 0x31, 0x2C,
      0x22, 0xF0, 0x9F, 0x98, 0x80, 0x22, 0x3A, 0x32, 0x7D,
    ])
    let out = encoded(o)
    #expect(out == [
      0x7B, 0x22, 0xF0, 0x9F, 0x98, 0x80, 0x22, 0x3A, 0x32, 0x2C,
      0x22, 0xEF, 0xAC, 0xB3, 0x22, 0x3A, 0x31, 0x7D,
    ])
  }

  @Test func keyComparisonIsByUTF16CodeUnits() {
    #expect(JSONObject.less("a", "b"))
    #expect(!JSONObject.less("b", "a"))
    #expect(!JSONObject.less("a", "a"))
    #expect(JSONObject.less("", "a"))
    #expect(JSONObject.less("a", "ab"))
    #expect(JSONObject.less("Z", "a"))  // upper case before lower case
    #expect(JSONObject.less("lines", "order"))
    #expect(JSONObject.less("qty", "sku"))
    #expect(JSONObject.less("sku", "unit_price"))
    #expect(JSONObject.less("\u{1F600}", "\u{FB33}"))  // D83D < FB33
    #expect(!JSONObject.less("\u{FB33}", "\u{1F600}"))
    #expect(JSONObject.less("\u{FB33}", "\u{FFFF}"))
    #expect(JSONObject.less("z", "\u{80}"))
    #expect(JSONObject.less("a\u{1F600}", "a\u{FB33}"))
  }

  /// `less` (bytes up to the first difference, UTF-16 only where two non-ASCII bytes differ)
  /// against the definition, UTF-16 code units, on random strings of 1- to 4-byte characters,
  /// equal prefixes included; and byte equality (`same`) against the bytes.
  @Test func keyOrderAgreesWithUTF16OnRandomStrings() {
    var rng = SplitMix64(seed: 8785)
    let alphabet: [Character] = ["a", "b", "Z", "_", "\u{7F}", "\u{80}", "\u{F6}", "\u{7FF}", "\u{800}", "长", "\u{FB33}",
      "\u{FFFF}", "\u{10000}", "\u{1F600}", "e\u{301}", "\u{E9}"]
    func random() -> String {
      String((0..<Int.random(in: 0...5, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! })
    }
    for _ in 0..<5_000 {
      let a = random()
      let b = Bool.random(using: &rng) ? a + random() : random()
      #expect(JSONObject.less(a, b) == a.utf16.lexicographicallyPrecedes(b.utf16), "\(a.debugDescription) < \(b.debugDescription)")
      #expect(JSONObject.less(b, a) == b.utf16.lexicographicallyPrecedes(a.utf16))
      #expect(JSONObject.same(a, b) == Array(a.utf8).elementsEqual(Array(b.utf8)))
    }
  }

  @Test func objectMembersStaySortedWhenBuiltInAnyOrder() {
    var o = JSONObject()
    o["v"] = 1
    o["at"] = "x"
    o["type"] = "T"
    o["data"] = .object(JSONObject())
    o["seq"] = 3
    o["key"] = .null
    o["recorded"] = "r"
    #expect(o.keys == ["at", "data", "key", "recorded", "seq", "type", "v"])
    o["key"] = nil
    #expect(o.keys == ["at", "data", "recorded", "seq", "type", "v"])
    o["seq"] = 4
    #expect(o["seq"] == .int(4))
    #expect(o.count == 6)
    // A later duplicate replaces an earlier one.
    let d = JSONObject([("a", 1), ("b", 2), ("a", 3)])
    #expect(d.keys == ["a", "b"])
    #expect(d["a"] == .int(3))
  }

  @Test func noWhiteSpaceAndSortedMembers() throws {
    let v = try JSONParser.parse(" { \"b\" : [ 1 , 2 ] , \"a\" : { } , \"c\" : [ ] } ")
    #expect(CanonicalJSON.string(v) == #"{"a":{},"b":[1,2],"c":[]}"#)
  }

  @Test func nestedObjectsAreSortedToo() throws {
    let v = try JSONParser.parse(#"{"z":{"y":1,"x":[{"b":true,"a":null}]},"a":false}"#)
    #expect(CanonicalJSON.string(v) == #"{"a":false,"z":{"x":[{"a":null,"b":true}],"y":1}}"#)
  }

  @Test(arguments: [
    (Int64(0), "0"),
    (1, "1"),
    (-1, "-1"),
    (10, "10"),
    (100, "100"),
    (-42, "-42"),
    (1_000_000, "1000000"),
    (9_007_199_254_740_991, "9007199254740991"),
    (-9_007_199_254_740_991, "-9007199254740991"),
    (Int64.max, "9223372036854775807"),
    (Int64.min, "-9223372036854775808"),
  ])
  func integers(_ i: Int64, _ text: String) {
    #expect(encoded(.int(i)) == bytes(text))
  }

  @Test func literals() {
    #expect(CanonicalJSON.string(.null) == "null")
    #expect(CanonicalJSON.string(.bool(true)) == "true")
    #expect(CanonicalJSON.string(.bool(false)) == "false")
    #expect(CanonicalJSON.string([]) == "[]")
    #expect(CanonicalJSON.string(.object(JSONObject())) == "{}")
    #expect(CanonicalJSON.string([1, "a", .null, [true]]) == #"[1,"a",null,[true]]"#)
  }

  @Test(arguments: [
    ("\"", #""\"""#),
    ("\\", #""\\""#),
    ("\u{08}", #""\b""#),
    ("\u{09}", #""\t""#),
    ("\u{0A}", #""\n""#),
    ("\u{0C}", #""\f""#),
    ("\u{0D}", #""\r""#),
    ("\u{00}", #""\u0000""#),
    ("\u{01}", #""\u0001""#),
    ("\u{0B}", #""\u000b""#),
    ("\u{0E}", #""\u000e""#),
    ("\u{1B}", #""\u001b""#),
    ("\u{1F}", #""\u001f""#),
    (" ", #"" ""#),
    ("/", #""/""#),
    ("'", #""'""#),
    ("\u{7F}", "\"\u{7F}\""),
    ("\u{80}", "\"\u{80}\""),
    ("é", "\"é\""),
    ("€", "\"€\""),
    ("😀", "\"😀\""),
    ("\u{2028}", "\"\u{2028}\""),
    ("a\"b\\c\nd", #""a\"b\\c\nd""#),
  ])
  func stringEscaping(_ s: String, _ json: String) {
    #expect(encoded(.string(s)) == bytes(json))
  }

  @Test func everyControlCharacterIsEscaped() {
    let short: [UInt8: String] = [0x08: "\\b", 0x09: "\\t", 0x0A: "\\n", 0x0C: "\\f", 0x0D: "\\r"]
    let hex = Array("0123456789abcdef")
    for c in UInt8(0)..<0x20 {
      let s = String(Character(Unicode.Scalar(c)))
      let body = short[c] ?? "\\u00" + String(hex[Int(c >> 4)]) + String(hex[Int(c & 0xF)])
      #expect(encoded(.string(s)) == bytes("\"" + body + "\""), "control 0x\(String(c, radix: 16))")
    }
  }

  @Test func rfc8785StringExample() throws {
    // RFC 8785 section 3.2.2.2 without its non-integer numbers, which erpctl refuses.
    let input = #"""
      {
        "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
        "literals": [null, true, false]
      }
      """#
    let v = try JSONParser.parse(input)
    let expected = #"{"literals":[null,true,false],"string":"€$\u000f\nA'B\"\\\\\"/"}"#
    #expect(encoded(v) == bytes(expected))
  }

  @Test(arguments: [
    #"{"a":1}"#,
    #"[]"#,
    #"{"seq":42,"type":"OrderConfirmed","data":{"lines":[{"sku":"A1","qty":2,"unit_price":"1299.50"}]}}"#,
    #"{"\u00e9":"\ud83d\ude00","e":"\u0001\t","k":[-9007199254740991,0,9007199254740991]}"#,
    " [ \"x\" , { \"b\" : null , \"a\" : [ ] } ] ",
  ])
  func roundTrip(_ text: String) throws {
    let v = try JSONParser.parse(text)
    let once = encoded(v)
    let back = try JSONParser.parse(once)
    #expect(back == v)
    // Canonicalising canonical text changes nothing.
    #expect(encoded(back) == once)
    // And canonical text has no white space outside strings.
    #expect(!once.contains(0x20))
    #expect(!once.contains(0x0A))
  }

  @Test func writeIntoAppends() {
    var out: [UInt8] = Array("x=".utf8)
    CanonicalJSON.write(["b": 1, "a": "é"], into: &out)
    #expect(out == bytes(#"x={"a":"é","b":1}"#))
  }
}
