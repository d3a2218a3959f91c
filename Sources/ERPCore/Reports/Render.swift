/// The output formats every report command offers (SPEC 4).
public enum ReportFormat: String, Sendable, CaseIterable {
  case table, csv, json, jsonl
}

/// The language of table headings, summary labels and the reproducibility line (`--lang`).
/// CSV, JSON and JSON Lines always use the stable snake_case column names.
public enum Lang: String, Sendable, CaseIterable {
  case en, zh
}

/// Renders a report document in one of the shared formats (see `ReportRenderer`).
public func render(_ doc: ReportDocument, format: ReportFormat, lang: Lang) -> String {
  switch format {
  case .table: ReportRenderer.table(doc, lang: lang)
  case .csv: ReportRenderer.csv(doc)
  case .json: ReportRenderer.json(doc)
  case .jsonl: ReportRenderer.jsonLines(doc)
  }
}

/// Renders a report document and appends its UTF-8 bytes to `out`.
public func render(
  _ doc: ReportDocument, format: ReportFormat, lang: Lang, into out: inout [UInt8]
) {
  if format == .csv {
    ReportRenderer.csv(doc, into: &out)
  } else {
    out.append(contentsOf: render(doc, format: format, lang: lang).utf8)
  }
}

/// One renderer per format, shared by every report. Every line, in every format, ends with LF.
///
/// - table (for people): headings (`--lang`), numbers right-aligned and text left-aligned by
///   display width (East Asian wide characters count 2), money with thousands separators
///   (`12,345.60`), rates as percent with 2 decimals (`41.37%`), empty values as `-`; then the
///   summary as `name: value` lines, then one reproducibility line.
/// - csv: RFC 4180, LF line ends, a header of the column names, then the rows and nothing else;
///   money as a plain decimal (`1299.50`), rates with exactly 4 decimals (`0.4137`), empty values
///   as empty fields; text values starting with `=`, `+`, `-`, `@`, tab or CR get a leading `'`.
/// - json: one object `{"meta":…,"rows":[…],"summary":{…}}` (plus any sections), one row per
///   line; money as decimal strings, rates as numbers with up to 4 decimals or null.
/// - jsonl: one row object per line and nothing else.
public enum ReportRenderer {
  // MARK: Table

  public static func table(_ doc: ReportDocument, lang: Lang) -> String {
    let cols = doc.columns
    let headings = cols.map { heading($0.name, lang: lang) }
    let body = doc.rows.map { row in
      cols.indices.map { i in
        tableText(i < row.count ? row[i] : .null, moneyDigits: doc.moneyDigits)
      }
    }
    var widths = headings.map(displayWidth)
    for cells in body {
      for i in cells.indices { widths[i] = max(widths[i], displayWidth(cells[i])) }
    }
    var out = ""
    func line(_ cells: [String]) {
      var s = ""
      for (i, cell) in cells.enumerated() {
        if i > 0 { s += "  " }
        let fill = String(repeating: " ", count: max(0, widths[i] - displayWidth(cell)))
        s += cols[i].kind.isNumeric ? fill + cell : cell + fill
      }
      while s.last == " " { s.removeLast() }
      out += s + "\n"
    }
    if !cols.isEmpty { line(headings) }
    for cells in body { line(cells) }
    if doc.rows.isEmpty { out += (lang == .zh ? "(无数据)" : "(no rows)") + "\n" }

    var notes: [String] = []
    for (name, cell) in doc.summary {
      notes.append(heading(name, lang: lang, summary: true) + ": "
        + tableText(cell, moneyDigits: doc.moneyDigits))
    }
    for (section, members) in doc.sections {
      let prefix = heading(section, lang: lang, summary: true) + "."
      for (name, cell) in members {
        notes.append(prefix + heading(name, lang: lang, summary: true) + ": "
          + tableText(cell, moneyDigits: doc.moneyDigits))
      }
    }
    if !notes.isEmpty { out += "\n" + notes.joined(separator: "\n") + "\n" }
    out += "\n" + reproducibilityLine(doc.meta, lang: lang) + "\n"
    return out
  }

  /// The table's last line: what the report was computed from (SPEC 5), e.g.
  /// `report sales · as of 2026-11-27 · period 2026-11-01..2026-12-01 · attribution event ·
  /// head seq 1234 9f2c…` (the period's end is exclusive, the hash in full).
  public static func reproducibilityLine(_ meta: ReportMeta, lang: Lang) -> String {
    let zh = lang == .zh
    var parts = [
      (zh ? "报表 " : "report ") + meta.report,
      (zh ? "截至 " : "as of ") + meta.asOf.description,
      (zh ? "期间 " : "period ") + (meta.period?.description ?? (zh ? "全部历史" : "all history")),
    ]
    for (k, v) in meta.extra { parts.append(heading(k, lang: lang, summary: true) + " " + v) }
    var head = (zh ? "日志头 序号 " : "head seq ") + String(meta.seq)
    if !meta.hash.isEmpty { head += " " + meta.hash }
    parts.append(head)
    return parts.joined(separator: " · ")
  }

  /// A cell as the table shows it.
  public static func tableText(_ cell: Cell, moneyDigits: Int) -> String {
    switch cell {
    case .text(let s):
      if s.isEmpty { return "-" }
      // A line break or tab inside a value would break the table's rows and columns.
      return String(String.UnicodeScalarView(s.unicodeScalars.map { isControl($0) ? " " : $0 }))
    case .int(let i): return grouped(String(i))
    case .money(let m): return grouped(Money(minorUnits: m).format(digits: moneyDigits))
    case .rate(let r): return r?.percent ?? "-"
    case .date(let d): return d.description
    case .decimal(let v, let scale): return grouped(decimalString(v, scale: scale))
    case .null: return "-"
    }
  }

  /// The heading of a column (or the label of a summary value) in `lang`. English: the
  /// column name upper-cased with spaces for underscores (`GROSS MARGIN`), or the name itself
  /// for summary labels; Chinese: `zhHeadings`, falling back to the name.
  public static func heading(_ name: String, lang: Lang, summary: Bool = false) -> String {
    switch lang {
    case .en: summary ? name : name.replacingUnderscores().uppercased()
    case .zh: zhHeadings[name] ?? name
    }
  }

  /// Chinese headings for the SPEC 4 dimensions and the SPEC 6 columns and summary names.
  public static let zhHeadings: [String: String] = [
    // Dimensions (SPEC 4) and period keys.
    "rep": "销售代表", "team": "团队", "region": "区域", "channel": "渠道", "customer": "客户",
    "tier": "客户等级", "product": "产品", "sku": "SKU", "line": "产品线", "source": "来源",
    "promotion": "促销", "day": "日", "week": "周", "month": "月", "quarter": "季度", "year": "年",
    "period": "期间",
    // report sales.
    "booked": "订单金额", "orders": "订单数", "aov": "客单价", "revenue": "收入", "units": "销量",
    "cogs": "销售成本", "gross_margin": "毛利", "margin_rate": "毛利率", "collections": "回款",
    "collection_rate": "回款率", "target": "目标", "completion": "完成率", "pace": "进度",
    "rank": "排名", "flag": "标记", "class": "分类", "share": "占比", "revenue_share": "收入占比",
    "growth": "增长率", "revenue_growth": "收入增长率", "previous_revenue": "上期收入",
    "elapsed": "时间进度",
    // report customers.
    "name": "名称", "gross_profit": "毛利额", "first_order": "首单日期", "last_order": "末单日期",
    "recency_days": "距今天数", "frequency": "购买频次", "monetary": "消费金额", "r": "R分",
    "f": "F分", "m": "M分", "segment": "客户分群", "ltv_historical": "历史价值",
    "p_alive": "活跃概率", "expected_purchases": "预期购买次数", "clv": "客户终身价值",
    "status": "状态", "customers": "客户数", "new_customers": "新客户数",
    "repurchase_rate": "复购率", "pareto_share": "帕累托占比", "pareto": "帕累托占比",
    "cac": "获客成本", "ltv_cac": "LTV/CAC", "model": "模型", "time_unit": "时间单位",
    // report funnel.
    "stage": "阶段", "reached": "到达数", "conversion": "转化率", "leads": "线索数",
    "won": "赢单数", "lost": "丢单数", "win_rate": "赢单率", "close_rate": "成交率",
    "avg_cycle_days": "平均成交天数", "median_cycle_days": "成交天数中位数",
    "lost_reasons": "丢单原因", "activities": "活动数", "activities_per_won": "每单活动数",
    "won_revenue": "赢单金额", "kind": "类型", "calls": "电话", "visits": "拜访",
    "emails": "邮件", "meetings": "会议", "drop_off": "流失数", "avg_days_in_stage": "平均停留天数",
    "reps": "销售代表数", "activity_revenue_correlation": "活动与赢单金额相关系数",
    "won_revenue_by_source": "按来源赢单金额", "dormant": "沉睡客户数",
    "dormant_high_value": "沉睡高价值客户数", "pareto_curve": "帕累托曲线", "log_likelihood": "对数似然",
    // report profit.
    "order": "订单", "freight": "运费", "production": "生产成本", "commission": "佣金",
    "other": "其他成本", "net_profit": "净利润", "net_margin": "净利率",
    // report pricing.
    "list_price": "标价", "realised_price": "成交价", "realized_price": "成交价",
    "discount": "折扣", "discount_depth": "折扣深度", "uplift": "提升",
    // report receivables (SPEC 5: open balances, overdue, aging).
    "invoice": "发票", "amount": "金额", "invoiced": "开票金额", "credit_notes": "红字冲减",
    "paid": "已回款", "open": "未收余额", "open_balance": "未收余额", "receivables": "应收账款",
    "due": "到期日", "days_overdue": "逾期天数", "overdue": "逾期金额", "aging": "账龄",
    "bucket": "账龄段", "current": "未到期", "not_due": "未到期",
    "d0_30": "0-30天", "d31_60": "31-60天", "d61_90": "61-90天", "d90_plus": "90天以上",
    "days_0_30": "0-30天", "days_31_60": "31-60天", "days_61_90": "61-90天",
    "days_90_plus": "90天以上", "aging_0_30": "0-30天", "aging_31_60": "31-60天",
    "aging_61_90": "61-90天", "aging_90_plus": "90天以上", "open_invoices": "未结发票数",
    "oldest_due": "最早到期日", "revenue_90d": "近90天收入", "dso": "应收账款周转天数",
    // report pivot.
    "measure": "指标", "rows": "行", "cols": "列", "total": "合计",
    // forecast and replenish.
    "forecast": "预测", "lo80": "80%下限", "hi80": "80%上限", "lo95": "95%下限",
    "hi95": "95%上限", "mase": "MASE", "smape": "sMAPE", "naive_mase": "基准MASE",
    "naive_smape": "基准sMAPE", "on_hand": "在库", "reserved": "已预留", "on_order": "在途",
    "lead_time_days": "交货期天数", "demand_over_lead_time": "交货期需求",
    "safety_stock": "安全库存", "reorder_point": "再订货点", "suggested_qty": "建议订货量",
    "days_of_cover": "可供天数",
    // alerts.
    "rule": "规则", "scope": "范围", "id": "编号", "metric": "指标", "actual": "实际",
    "severity": "严重程度", "message": "消息", "events": "事件",
    // Meta (the reproducibility line).
    "attribution": "归属口径",
  ]

  // MARK: CSV

  public static func csv(_ doc: ReportDocument) -> String {
    var out: [UInt8] = []
    csv(doc, into: &out)
    return String(decoding: out, as: UTF8.self)
  }

  /// Appends the CSV form of `doc` to `out`: numbers are written as bytes, without a string
  /// for each field (a report of thousands of rows has a hundred thousand fields).
  public static func csv(_ doc: ReportDocument, into out: inout [UInt8]) {
    let header = doc.columns.map { csvQuoted($0.name) }.joined(separator: ",") + "\n"
    out.reserveCapacity(out.count + header.utf8.count * (doc.rows.count + 1))
    out.append(contentsOf: header.utf8)
    let lone = doc.columns.count == 1
    for row in doc.rows {
      for i in doc.columns.indices {
        if i > 0 { out.append(UInt8(ascii: ",")) }
        let before = out.count
        appendCSVField(i < row.count ? row[i] : .null, moneyDigits: doc.moneyDigits, to: &out)
        // A lone empty field would be a blank line, which many readers skip.
        if lone && out.count == before { out.append(contentsOf: "\"\"".utf8) }
      }
      out.append(UInt8(ascii: "\n"))
    }
  }

  /// A cell as a CSV field.
  public static func csvField(_ cell: Cell, moneyDigits: Int) -> String {
    var out: [UInt8] = []
    appendCSVField(cell, moneyDigits: moneyDigits, to: &out)
    return String(decoding: out, as: UTF8.self)
  }

  /// Appends a cell as a CSV field: numbers straight as bytes (`Money.appendDecimal`, the
  /// digits `Money.format` writes), without a string for each.
  static func appendCSVField(_ cell: Cell, moneyDigits: Int, to out: inout [UInt8]) {
    switch cell {
    case .text(let s): out.append(contentsOf: csvQuoted(spreadsheetSafe(s)).utf8)
    case .int(let i): Money.appendDecimal(i, places: 0, to: &out)
    case .money(let m): Money.appendDecimal(m, places: moneyDigits, to: &out)
    case .rate(let r): if let r { Money.appendDecimal(r.tenThousandths, places: 4, to: &out) }
    case .date(let d): out.append(contentsOf: d.description.utf8)
    case .decimal(let v, let scale): Money.appendDecimal(v, places: scale, to: &out)
    case .null: break
    }
  }

  /// Text that a spreadsheet would take for a formula (`=`, `+`, `-`, `@`, tab, CR first) gets a
  /// leading `'`. Only text values: numbers are never touched (SPEC 7).
  public static func spreadsheetSafe(_ s: String) -> String {
    guard let first = s.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else {
      return s
    }
    return "'" + s
  }

  /// RFC 4180: a field holding a comma, quote, CR or LF is quoted, quotes doubled.
  public static func csvQuoted(_ s: String) -> String {
    guard s.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
    else { return s }
    var out = "\""
    for u in s.unicodeScalars {
      if u == "\"" { out += "\"\"" } else { out.unicodeScalars.append(u) }
    }
    return out + "\""
  }

  // MARK: JSON

  public static func json(_ doc: ReportDocument) -> String {
    var out = "{\"meta\":"
    writeMeta(doc.meta, into: &out)
    out += ",\"rows\":["
    for (n, row) in doc.rows.enumerated() {
      out += n == 0 ? "\n" : ",\n"
      writeRow(row, doc, into: &out)
    }
    out += doc.rows.isEmpty ? "]" : "\n]"
    out += ",\"summary\":"
    writeMembers(doc.summary, moneyDigits: doc.moneyDigits, into: &out)
    for (name, members) in doc.sections {
      out += ","
      writeJSONString(name, into: &out)
      out += ":"
      writeMembers(members, moneyDigits: doc.moneyDigits, into: &out)
    }
    return out + "}\n"
  }

  public static func jsonLines(_ doc: ReportDocument) -> String {
    var out = ""
    for row in doc.rows {
      writeRow(row, doc, into: &out)
      out += "\n"
    }
    return out
  }

  /// A cell as a JSON value: money as a decimal string, rates and decimals as numbers (null
  /// without a denominator), dates as `"YYYY-MM-DD"`.
  public static func jsonValue(_ cell: Cell, moneyDigits: Int) -> String {
    var out = ""
    writeJSON(cell, moneyDigits: moneyDigits, into: &out)
    return out
  }

  static func writeMeta(_ meta: ReportMeta, into out: inout String) {
    out += "{\"report\":"
    writeJSONString(meta.report, into: &out)
    out += ",\"seq\":" + String(meta.seq) + ",\"hash\":"
    writeJSONString(meta.hash, into: &out)
    out += ",\"as_of\":\"" + meta.asOf.description + "\",\"period\":"
    if let p = meta.period {
      out += "{\"from\":\"\(p.from)\",\"to\":\"\(p.to)\"}"
    } else {
      out += "null"
    }
    for (k, v) in meta.extra {
      out += ","
      writeJSONString(k, into: &out)
      out += ":"
      writeJSONString(v, into: &out)
    }
    out += "}"
  }

  static func writeRow(_ row: [Cell], _ doc: ReportDocument, into out: inout String) {
    out += "{"
    for (i, column) in doc.columns.enumerated() {
      if i > 0 { out += "," }
      writeJSONString(column.name, into: &out)
      out += ":"
      writeJSON(i < row.count ? row[i] : .null, moneyDigits: doc.moneyDigits, into: &out)
    }
    out += "}"
  }

  static func writeMembers(_ members: [(String, Cell)], moneyDigits: Int, into out: inout String) {
    out += "{"
    for (i, (name, cell)) in members.enumerated() {
      if i > 0 { out += "," }
      writeJSONString(name, into: &out)
      out += ":"
      writeJSON(cell, moneyDigits: moneyDigits, into: &out)
    }
    out += "}"
  }

  static func writeJSON(_ cell: Cell, moneyDigits: Int, into out: inout String) {
    switch cell {
    case .text(let s): writeJSONString(s, into: &out)
    case .int(let i): out += String(i)
    case .money(let m): out += "\"" + Money(minorUnits: m).format(digits: moneyDigits) + "\""
    case .rate(let r): out += r?.shortest ?? "null"
    case .date(let d): out += "\"" + d.description + "\""
    case .decimal(let v, let scale): out += trimFraction(decimalString(v, scale: scale))
    case .null: out += "null"
    }
  }

  /// A JSON string (RFC 8259): `"` and `\` escaped, control characters as `\b \t \n \f \r` or
  /// `\u00XX`, everything else as UTF-8.
  static func writeJSONString(_ s: String, into out: inout String) {
    out += "\""
    for u in s.unicodeScalars {
      switch u {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\u{08}": out += "\\b"
      case "\t": out += "\\t"
      case "\n": out += "\\n"
      case "\u{0C}": out += "\\f"
      case "\r": out += "\\r"
      case "\u{00}"..."\u{1F}":
        let hex = Array("0123456789abcdef".unicodeScalars)
        out += "\\u00"
        out.unicodeScalars.append(hex[Int(u.value >> 4)])
        out.unicodeScalars.append(hex[Int(u.value & 0xF)])
      default: out.unicodeScalars.append(u)
      }
    }
    out += "\""
  }

  // MARK: Helpers

  /// `value` × 10^−`scale` with exactly `scale` decimals (no exponent).
  static func decimalString(_ value: Int64, scale: Int) -> String {
    Money(minorUnits: value).format(digits: max(0, scale))
  }

  /// Thousands separators in the integer part of a plain decimal: `-1234567.50` → `-1,234,567.50`.
  public static func grouped(_ plain: String) -> String {
    var sign = ""
    var rest = Substring(plain)
    if rest.first == "-" {
      sign = "-"
      rest = rest.dropFirst()
    }
    let point = rest.firstIndex(of: ".") ?? rest.endIndex
    let whole = Array(rest[..<point])
    var out = ""
    for (i, c) in whole.enumerated() {
      if i > 0 && (whole.count - i) % 3 == 0 { out += "," }
      out.append(c)
    }
    return sign + out + rest[point...]
  }

  /// Terminal columns `s` occupies: East Asian wide and fullwidth characters and emoji count 2,
  /// combining marks and format characters 0, everything else 1.
  public static func displayWidth(_ s: String) -> Int {
    s.unicodeScalars.reduce(0) { $0 + scalarWidth($1) }
  }

  static func scalarWidth(_ u: Unicode.Scalar) -> Int {
    if isControl(u) { return 0 }
    switch u.properties.generalCategory {
    case .nonspacingMark, .enclosingMark, .format: return 0
    default: break
    }
    if u.properties.isEmojiPresentation { return 2 }
    let v = u.value
    for r in wideRanges where r.contains(v) { return 2 }
    return 1
  }

  /// East Asian Wide (W) and Fullwidth (F) blocks of Unicode's EastAsianWidth.txt, in brief.
  static let wideRanges: [ClosedRange<UInt32>] = [
    0x1100...0x115F, 0x2329...0x232A, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF,
    0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF,
    0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1B000...0x1B2FF,
    0x1F200...0x1F2FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD,
  ]

  static func isControl(_ u: Unicode.Scalar) -> Bool {
    u.value < 0x20 || (0x7F..<0xA0).contains(u.value)
  }
}

extension String {
  fileprivate func replacingUnderscores() -> String {
    String(unicodeScalars.map { $0 == "_" ? " " : Character($0) })
  }
}
