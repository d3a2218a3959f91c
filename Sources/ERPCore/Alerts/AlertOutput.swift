/// How alerts are written (SPEC 6): JSON is a plain array of alert objects; table and CSV are a
/// report document with one row per alert.
extension Alert {
  public static let columns = [
    "rule", "scope", "id", "metric", "period", "actual", "target", "completion", "elapsed", "severity", "message", "events",
  ]

  /// The JSON array, one alert per line, keys in SPEC 6 order.
  public static func json(_ alerts: [Alert], moneyDigits: Int) -> String {
    func text(_ s: String?) -> String { ReportRenderer.jsonValue(s.map(Cell.text) ?? .null, moneyDigits: moneyDigits) }
    var out = "["
    for (n, a) in alerts.enumerated() {
      out += n == 0 ? "\n" : ",\n"
      let values = [
        text(a.rule.rawValue), text(a.scope), text(a.id), text(a.metric), text(a.period),
        ReportRenderer.jsonValue(a.actual, moneyDigits: moneyDigits), ReportRenderer.jsonValue(a.target, moneyDigits: moneyDigits),
        ReportRenderer.jsonValue(.rate(a.completion), moneyDigits: moneyDigits),
        ReportRenderer.jsonValue(.rate(a.elapsed), moneyDigits: moneyDigits), text(a.severity.rawValue), text(a.message),
        "[" + a.events.map(String.init).joined(separator: ",") + "]",
      ]
      out += "{" + zip(columns, values).map { "\"\($0)\":\($1)" }.joined(separator: ",") + "}"
    }
    return out + (alerts.isEmpty ? "]\n" : "\n]\n")
  }

  /// The rows for table and CSV. CSV lists every event seq, separated by spaces; a table, for
  /// people, shows how many and the first and last.
  public static func document(_ alerts: [Alert], meta: ReportMeta, moneyDigits: Int, forTable: Bool) -> ReportDocument {
    let kinds: [Column.Kind] = [.text, .text, .text, .text, .text, .text, .text, .rate, .rate, .text, .text, .text]
    let rows: [[Cell]] = alerts.map { a in
      let events =
        forTable
        ? (a.events.count <= 3
          ? a.events.map(String.init).joined(separator: " ")
          : "\(a.events.count): \(a.events[0])…\(a.events[a.events.count - 1])")
        : a.events.map(String.init).joined(separator: " ")
      func plain(_ c: Cell) -> Cell {
        forTable ? .text(ReportRenderer.tableText(c, moneyDigits: moneyDigits)) : .text(ReportRenderer.csvField(c, moneyDigits: moneyDigits))
      }
      return [
        .text(a.rule.rawValue), .text(a.scope), a.id.map(Cell.text) ?? .null, .text(a.metric),
        a.period.map(Cell.text) ?? .null, plain(a.actual), plain(a.target), .rate(a.completion), .rate(a.elapsed),
        .text(a.severity.rawValue), .text(a.message), .text(events),
      ]
    }
    return ReportDocument(
      meta: meta, columns: zip(columns, kinds).map { Column($0, $1) }, rows: rows, moneyDigits: moneyDigits)
  }
}

/// What `alerts --since-last` remembers: the alerts last notified, by fingerprint, with their
/// severity and badness. An alert is news when it was not notified, or it got worse: a higher
/// severity, or a larger badness (the rule's own measure: the amount overdue, the units short,
/// a lower completion or collection rate). Alerts that stopped firing are forgotten, so they are
/// news again when they come back.
public struct AlertMemory: Sendable, Equatable {
  /// What an alert was last notified with.
  public struct Sent: Sendable, Equatable {
    public var severity: AlertSeverity
    public var badness: Double
  }

  public var notified: [String: Sent]

  public init() { notified = [:] }

  /// The alerts that are news.
  public func news(_ alerts: [Alert]) -> [Alert] {
    alerts.filter { a in
      guard let old = notified[a.fingerprint] else { return true }
      return a.severity > old.severity || a.badness > old.badness + 1e-9
    }
  }

  /// The memory after `news` was notified, with `firing` the alerts firing now.
  public func after(notifying news: [Alert], firing: [Alert]) -> AlertMemory {
    var next = AlertMemory()
    let sent = Set(news.map(\.fingerprint))
    for a in firing {
      if sent.contains(a.fingerprint) || notified[a.fingerprint] == nil {
        next.notified[a.fingerprint] = Sent(severity: a.severity, badness: a.badness)
      } else {
        next.notified[a.fingerprint] = notified[a.fingerprint]
      }
    }
    return next
  }

  /// One line per alert: fingerprint, severity, badness, tab-separated, sorted.
  public var bytes: [UInt8] {
    Array(notified.sorted { $0.key < $1.key }.map { k, v in "\(k)\t\(v.severity.rawValue)\t\(v.badness)\n" }.joined().utf8)
  }

  public init(bytes: [UInt8]) {
    notified = [:]
    for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
      let f = line.split(separator: "\t", omittingEmptySubsequences: false)
      guard f.count == 3, let s = AlertSeverity(rawValue: String(f[1])), let b = Double(f[2]) else { continue }
      notified[String(f[0])] = Sent(severity: s, badness: b)
    }
  }
}
