import ERPCore
import Foundation
import Testing

/// A small hand-made report: Chinese text, formula-like text, a comma, quotes and a line break in
/// one value, a null rate and date, negative money, an empty text value.
func sampleDocument() -> ReportDocument {
  ReportDocument(
    meta: ReportMeta(
      seq: 42, hash: "9f2c1a", asOf: day("2026-11-27"), period: span("2026-11-01", "2026-12-01"),
      report: "sales", extra: [("attribution", "event")]),
    columns: [
      Column("rep", .text), Column("region", .text), Column("booked", .money), Column("orders", .int),
      Column("margin_rate", .rate), Column("first_order", .date),
    ],
    rows: [
      [.text("张三"), .text("华东"), .money(1_234_560), .int(3), .rate(Ratio4.of(4137, 10000)), .date(day("2026-11-03"))],
      [.text("=SUM(A1)"), .text("-west"), .money(-50), .int(0), .rate(nil), .null],
      [.text("Smith, \"Bob\"\nJr"), .text(""), .money(0), .int(12345), .rate(Ratio4(tenThousandths: 10000)), .date(day("2026-01-01"))],
    ],
    summary: [("booked", .money(1_234_510)), ("orders", .int(12348)), ("collection_rate", .rate(nil))],
    moneyDigits: 2)
}

func emptyDocument() -> ReportDocument {
  ReportDocument(
    meta: ReportMeta(seq: 0, hash: "", asOf: day("2026-11-27"), period: nil, report: "sales"),
    columns: [Column("rep", .text), Column("booked", .money)])
}

/// Strings compared scalar by scalar, with the first difference shown.
func expectSame(_ actual: String, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation) {
  let a = Array(actual.unicodeScalars)
  let e = Array(expected.unicodeScalars)
  if a == e { return }
  let i = zip(a, e).prefix { $0 == $1 }.count
  Issue.record(
    "differs at scalar \(i):\n--- actual\n\(actual)\n--- expected\n\(expected)", sourceLocation: sourceLocation)
}

@Suite("Render")
struct RenderTests {
  @Test func tableEnglish() {
    let expected = """
      REP              REGION     BOOKED  ORDERS  MARGIN RATE  FIRST ORDER
      张三             华东    12,345.60       3       41.37%  2026-11-03
      =SUM(A1)         -west       -0.50       0            -  -
      Smith, "Bob" Jr  -            0.00  12,345      100.00%  2026-01-01

      booked: 12,345.10
      orders: 12,348
      collection_rate: -

      report sales · as of 2026-11-27 · period 2026-11-01..2026-12-01 · attribution event · head seq 42 9f2c1a

      """
    expectSame(render(sampleDocument(), format: .table, lang: .en), expected)
  }

  @Test func tableChinese() {
    let expected = """
      销售代表         区域    订单金额  订单数   毛利率  首单日期
      张三             华东   12,345.60       3   41.37%  2026-11-03
      =SUM(A1)         -west      -0.50       0        -  -
      Smith, "Bob" Jr  -           0.00  12,345  100.00%  2026-01-01

      订单金额: 12,345.10
      订单数: 12,348
      回款率: -

      报表 sales · 截至 2026-11-27 · 期间 2026-11-01..2026-12-01 · 归属口径 event · 日志头 序号 42 9f2c1a

      """
    expectSame(render(sampleDocument(), format: .table, lang: .zh), expected)
  }

  /// Every row of the Chinese table has the same display width up to its last column.
  @Test func tableColumnsLineUpWithWideCharacters() {
    let lines = render(sampleDocument(), format: .table, lang: .zh).split(separator: "\n").prefix(4)
    let starts = lines.map { line -> Int in
      // The display column where the date (last column) starts.
      let s = String(line)
      let head = s.hasSuffix("首单日期") ? String(s.dropLast(4)) : String(s.dropLast(s.hasSuffix("-") ? 1 : 10))
      return ReportRenderer.displayWidth(head)
    }
    #expect(Set(starts).count == 1, "\(starts)")
  }

  @Test func csv() {
    let expected = """
      rep,region,booked,orders,margin_rate,first_order
      张三,华东,12345.60,3,0.4137,2026-11-03
      '=SUM(A1),'-west,-0.50,0,,
      "Smith, ""Bob""
      Jr",,0.00,12345,1.0000,2026-01-01

      """
    expectSame(render(sampleDocument(), format: .csv, lang: .en), expected)
    // --lang does not change machine-readable output.
    expectSame(render(sampleDocument(), format: .csv, lang: .zh), expected)
  }

  @Test func json() {
    let expected = #"""
      {"meta":{"report":"sales","seq":42,"hash":"9f2c1a","as_of":"2026-11-27","period":{"from":"2026-11-01","to":"2026-12-01"},"attribution":"event"},"rows":[
      {"rep":"张三","region":"华东","booked":"12345.60","orders":3,"margin_rate":0.4137,"first_order":"2026-11-03"},
      {"rep":"=SUM(A1)","region":"-west","booked":"-0.50","orders":0,"margin_rate":null,"first_order":null},
      {"rep":"Smith, \"Bob\"\nJr","region":"","booked":"0.00","orders":12345,"margin_rate":1,"first_order":"2026-01-01"}
      ],"summary":{"booked":"12345.10","orders":12348,"collection_rate":null}}

      """#
    expectSame(render(sampleDocument(), format: .json, lang: .en), expected)
    expectSame(render(sampleDocument(), format: .json, lang: .zh), expected)
  }

  @Test func jsonParsesBack() throws {
    let text = render(sampleDocument(), format: .json, lang: .en)
    let any = try JSONSerialization.jsonObject(with: Data(text.utf8))
    let o = try #require(any as? [String: Any])
    #expect(Set(o.keys) == ["meta", "rows", "summary"])
    let meta = try #require(o["meta"] as? [String: Any])
    #expect((meta["seq"] as? NSNumber)?.intValue == 42)
    #expect(meta["as_of"] as? String == "2026-11-27")
    #expect((meta["period"] as? [String: String]) == ["from": "2026-11-01", "to": "2026-12-01"])
    #expect(meta["attribution"] as? String == "event")
    let rows = try #require(o["rows"] as? [[String: Any]])
    #expect(rows.count == 3)
    #expect(rows[0]["rep"] as? String == "张三")
    #expect(rows[0]["booked"] as? String == "12345.60")
    #expect((rows[0]["margin_rate"] as? NSNumber)?.decimalValue == Decimal(string: "0.4137"))
    #expect(rows[1]["margin_rate"] is NSNull)
    #expect(rows[1]["first_order"] is NSNull)
    #expect(rows[1]["booked"] as? String == "-0.50")
    #expect(rows[2]["rep"] as? String == "Smith, \"Bob\"\nJr")
    #expect((rows[2]["margin_rate"] as? NSNumber)?.intValue == 1)
    let summary = try #require(o["summary"] as? [String: Any])
    #expect(summary["collection_rate"] is NSNull)
    #expect((summary["orders"] as? NSNumber)?.intValue == 12348)
  }

  @Test func jsonLines() throws {
    let text = render(sampleDocument(), format: .jsonl, lang: .en)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines.count == 4)
    #expect(lines.last == "")
    #expect(lines[0] == #"{"rep":"张三","region":"华东","booked":"12345.60","orders":3,"margin_rate":0.4137,"first_order":"2026-11-03"}"#)
    for line in lines.dropLast() {
      let o = try JSONSerialization.jsonObject(with: Data(line.utf8))
      #expect(o is [String: Any])
    }
  }

  @Test func emptyDocumentInEveryFormat() throws {
    let doc = emptyDocument()
    expectSame(render(doc, format: .table, lang: .en), """
      REP  BOOKED
      (no rows)

      report sales · as of 2026-11-27 · period all history · head seq 0

      """)
    expectSame(render(doc, format: .table, lang: .zh), """
      销售代表  订单金额
      (无数据)

      报表 sales · 截至 2026-11-27 · 期间 全部历史 · 日志头 序号 0

      """)
    expectSame(render(doc, format: .csv, lang: .en), "rep,booked\n")
    let json = render(doc, format: .json, lang: .en)
    expectSame(json, #"{"meta":{"report":"sales","seq":0,"hash":"","as_of":"2026-11-27","period":null},"rows":[],"summary":{}}"# + "\n")
    let parsed = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    #expect((parsed["rows"] as? [Any])?.isEmpty == true)
    expectSame(render(doc, format: .jsonl, lang: .en), "")
  }

  @Test(arguments: [
    ("=1+2", "'=1+2"), ("+1", "'+1"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("\rx", "\"'\rx\""), ("a=b", "a=b"), ("", ""), ("x,y", "\"x,y\""),
    ("say \"hi\"", "\"say \"\"hi\"\"\""), ("a\nb", "\"a\nb\""), ("-a,b", "\"'-a,b\""),
    ("张三", "张三"), (" =x", " =x"),
  ])
  func csvTextFields(_ text: String, _ field: String) {
    #expect(ReportRenderer.csvField(.text(text), moneyDigits: 2) == field)
  }

  @Test func csvNumbersAreNeverPrefixed() {
    #expect(ReportRenderer.csvField(.money(-129_950), moneyDigits: 2) == "-1299.50")
    #expect(ReportRenderer.csvField(.int(-7), moneyDigits: 2) == "-7")
    #expect(ReportRenderer.csvField(.rate(Ratio4(tenThousandths: -500)), moneyDigits: 2) == "-0.0500")
    #expect(ReportRenderer.csvField(.decimal(-15, scale: 1), moneyDigits: 2) == "-1.5")
    #expect(ReportRenderer.csvField(.money(-5), moneyDigits: 0) == "-5")
    #expect(ReportRenderer.csvField(.money(1_299_500), moneyDigits: 3) == "1299.500")
    #expect(ReportRenderer.csvField(.rate(nil), moneyDigits: 2) == "")
    #expect(ReportRenderer.csvField(.null, moneyDigits: 2) == "")
  }

  /// The CSV is its fields (as `csvField` gives them) joined by commas row by row, a short row
  /// padded with empty fields; the extremes of Int64 come out as their digits (written here by
  /// hand); and `render(into:)` appends exactly what `render` returns, in every format.
  @Test func csvBytesEqualTheFieldsJoined() {
    var doc = sampleDocument()
    doc.rows.append([
      .text("@x"), .text("+1"), .money(Int64.min), .int(Int64.min), .rate(Ratio4(tenThousandths: -1)), .date(day("1999-12-31")),
    ])
    doc.rows.append([.text("a"), .text("b"), .money(Int64.max), .int(Int64.max), .rate(Ratio4(tenThousandths: 5)), .null])
    doc.rows.append([.text("short row")])
    var expected = "rep,region,booked,orders,margin_rate,first_order\n"
    for row in doc.rows {
      expected += doc.columns.indices.map { i in
        ReportRenderer.csvField(i < row.count ? row[i] : .null, moneyDigits: doc.moneyDigits)
      }.joined(separator: ",") + "\n"
    }
    expectSame(render(doc, format: .csv, lang: .en), expected)
    #expect(expected.contains("-92233720368547758.08,-9223372036854775808,-0.0001,1999-12-31"))
    for format in [ReportFormat.table, .csv, .json, .jsonl] {
      var out = Array("before".utf8)
      render(doc, format: format, lang: .en, into: &out)
      #expect(out == Array("before".utf8) + Array(render(doc, format: format, lang: .en).utf8), "\(format)")
    }
  }

  @Test func csvLoneEmptyFieldIsQuoted() {
    var doc = emptyDocument()
    doc.columns = [Column("rep", .text)]
    doc.rows = [[.text("")], [.null], [.text("a")]]
    #expect(render(doc, format: .csv, lang: .en) == "rep\n\"\"\n\"\"\na\n")
  }

  @Test func jsonEscapes() {
    #expect(ReportRenderer.jsonValue(.text("a\"b\\c/\u{01}\u{1F}\t\n\r\u{08}\u{0C}é"), moneyDigits: 2)
      == #""a\"b\\c/\u0001\u001f\t\n\r\b\fé""#)
    #expect(ReportRenderer.jsonValue(.money(-5), moneyDigits: 2) == #""-0.05""#)
    #expect(ReportRenderer.jsonValue(.rate(Ratio4(tenThousandths: 5000)), moneyDigits: 2) == "0.5")
    #expect(ReportRenderer.jsonValue(.rate(nil), moneyDigits: 2) == "null")
    #expect(ReportRenderer.jsonValue(.decimal(12_345_000, scale: 4), moneyDigits: 2) == "1234.5")
    #expect(ReportRenderer.jsonValue(.decimal(7, scale: 0), moneyDigits: 2) == "7")
    #expect(ReportRenderer.jsonValue(.date(day("2026-11-03")), moneyDigits: 2) == #""2026-11-03""#)
    #expect(ReportRenderer.jsonValue(.int(Int64.min), moneyDigits: 2) == "-9223372036854775808")
  }

  @Test func decimalsAndSections() throws {
    var doc = emptyDocument()
    doc.columns = [Column("sku", .text), Column("forecast", .decimal)]
    doc.rows = [[.text("A1"), .decimal(12_345_000, scale: 4)], [.text("B2"), .decimal(-5, scale: 1)]]
    doc.sections = [("model", [("r", .decimal(2431, scale: 4)), ("time_unit", .text("day"))])]
    expectSame(render(doc, format: .table, lang: .en), """
      SKU    FORECAST
      A1   1,234.5000
      B2         -0.5

      model.r: 0.2431
      model.time_unit: day

      report sales · as of 2026-11-27 · period all history · head seq 0

      """)
    expectSame(render(doc, format: .csv, lang: .en), "sku,forecast\nA1,1234.5000\nB2,-0.5\n")
    let json = render(doc, format: .json, lang: .en)
    #expect(json.hasSuffix(#"],"summary":{},"model":{"r":0.2431,"time_unit":"day"}}"# + "\n"))
    _ = try JSONSerialization.jsonObject(with: Data(json.utf8))
  }

  @Test func tableReplacesControlCharacters() {
    #expect(ReportRenderer.tableText(.text("a\tb\nc"), moneyDigits: 2) == "a b c")
    #expect(ReportRenderer.tableText(.text(""), moneyDigits: 2) == "-")
    #expect(ReportRenderer.tableText(.money(-123_456_789), moneyDigits: 2) == "-1,234,567.89")
    #expect(ReportRenderer.tableText(.money(5), moneyDigits: 0) == "5")
    #expect(ReportRenderer.tableText(.int(1_000_000), moneyDigits: 2) == "1,000,000")
  }

  @Test(arguments: [
    ("0", "0"), ("123", "123"), ("1234", "1,234"), ("-1234567.89", "-1,234,567.89"),
    ("100000", "100,000"), ("999.999", "999.999"), ("-1", "-1"), ("12345.6", "12,345.6"),
  ])
  func thousands(_ plain: String, _ grouped: String) {
    #expect(ReportRenderer.grouped(plain) == grouped)
  }

  @Test(arguments: [
    ("abc", 3), ("张三", 4), ("华东区 A", 8), ("e\u{301}", 1), ("ＡＢ", 4), ("ｱ", 1),
    ("😀", 2), ("한국", 4), ("", 0), ("、。", 4), ("\u{200B}", 0),
  ])
  func widths(_ s: String, _ width: Int) {
    #expect(ReportRenderer.displayWidth(s) == width)
  }

  @Test func headings() {
    #expect(ReportRenderer.heading("gross_margin", lang: .en) == "GROSS MARGIN")
    #expect(ReportRenderer.heading("gross_margin", lang: .en, summary: true) == "gross_margin")
    #expect(ReportRenderer.heading("gross_margin", lang: .zh) == "毛利")
    #expect(ReportRenderer.heading("no_such_column", lang: .zh) == "no_such_column")
    // Every SPEC 4 dimension and every SPEC 6 column has a Chinese heading.
    let spec6 = [
      "booked", "orders", "aov", "revenue", "units", "cogs", "gross_margin", "margin_rate",
      "collections", "collection_rate", "target", "completion", "pace", "rank", "flag", "class",
      "customer", "gross_profit", "first_order", "last_order", "recency_days", "frequency",
      "monetary", "r", "f", "m", "segment", "ltv_historical", "p_alive", "expected_purchases",
      "clv", "status", "stage", "reached", "conversion", "leads", "won", "lost", "win_rate",
      "close_rate", "avg_cycle_days", "median_cycle_days", "lost_reasons", "freight",
      "production", "commission", "other", "net_profit", "net_margin", "sku", "period",
      "forecast", "lo80", "hi80", "lo95", "hi95", "model", "mase", "smape", "naive_mase",
      "naive_smape", "on_hand", "reserved", "on_order", "lead_time_days",
      "demand_over_lead_time", "safety_stock", "reorder_point", "suggested_qty",
      "days_of_cover", "rule", "scope", "id", "metric", "actual", "elapsed", "severity",
      "message", "events",
    ]
    for name in ReportQuery.allDimensions + spec6 {
      #expect(ReportRenderer.zhHeadings[name] != nil, "\(name)")
    }
  }
}

@Suite("Render: sort and top")
struct RenderSortTests {
  func doc(_ values: [Cell]) -> ReportDocument {
    var d = emptyDocument()
    d.columns = [Column("id", .int), Column("v", .money), Column("name", .text), Column("rate", .rate)]
    d.rows = values.enumerated().map { [.int(Int64($0.offset)), $0.element, .text("n\($0.offset)"), .rate(nil)] }
    return d
  }

  func ids(_ d: ReportDocument) -> [Int64] {
    d.rows.map { if case .int(let i) = $0[0] { i } else { -1 } }
  }

  @Test func stableWithNullsLast() throws {
    var d = doc([.money(5), .null, .money(3), .money(5), .money(-1), .null, .money(3)])
    try d.sort(by: "v", descending: true)
    #expect(ids(d) == [0, 3, 2, 6, 4, 1, 5])
    try d.sort(by: "v", descending: false)
    #expect(ids(d) == [4, 2, 6, 0, 3, 1, 5])
  }

  @Test func ratesWithoutDenominatorSortLast() throws {
    var d = doc([.null, .null, .null])
    d.rows[0][3] = .rate(nil)
    d.rows[1][3] = .rate(Ratio4(tenThousandths: 10))
    d.rows[2][3] = .rate(Ratio4(tenThousandths: 20))
    try d.sort(by: "rate", descending: false)
    #expect(ids(d) == [1, 2, 0])
    try d.sort(by: "rate", descending: true)
    #expect(ids(d) == [2, 1, 0])
  }

  @Test func textByScalars() throws {
    var d = doc([.null, .null, .null, .null])
    for (i, s) in ["b", "张", "B", "a"].enumerated() { d.rows[i][2] = .text(s) }
    try d.sort(by: "name", descending: false)
    #expect(ids(d) == [2, 3, 0, 1])
  }

  @Test func unknownColumnListsColumns() {
    var d = doc([.money(1)])
    #expect(throws: ReportInputError("unknown sort column 'x'; columns: id, v, name, rate")) {
      try d.sort(by: "x", descending: true)
    }
  }

  @Test func decimalsOfDifferentScales() throws {
    var d = doc([.null, .null, .null])
    d.rows[0][1] = .decimal(15, scale: 1)
    d.rows[1][1] = .decimal(149, scale: 2)
    d.rows[2][1] = .decimal(2, scale: 0)
    try d.sort(by: "v", descending: false)
    #expect(ids(d) == [1, 0, 2])
  }

  @Test func keepTop() {
    var d = doc([.money(1), .money(2), .money(3)])
    d.keepTop(5)
    #expect(ids(d) == [0, 1, 2])
    d.keepTop(2)
    #expect(ids(d) == [0, 1])
    d.keepTop(0)
    #expect(d.rows.isEmpty)
    var e = doc([.money(1)])
    e.keepTop(-3)
    #expect(e.rows.isEmpty)
  }
}
