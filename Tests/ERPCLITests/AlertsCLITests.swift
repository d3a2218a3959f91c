import ERPTestSupport
import Foundation
import Testing

/// `erpctl alerts` through the binary on `Fixtures/alerts/history.jsonl` (the figures are
/// worked out in AlertEngineTests): exit codes, formats, `--notify` and `--since-last`.
@Suite("alerts through the binary")
struct AlertsCLITests {
  static func store(_ dir: TemporaryDirectory) throws -> String {
    let s = dir.file("s.lmdb")
    try initStore(s, ["--currency", "CNY", "--timezone", "Asia/Shanghai"])
    let r = try erpctl(["import", "--store", s, Fixtures.path("alerts/history.jsonl")])
    #expect(r.exited(0), "\(describe(r))")
    return s
  }

  @Test func exitCodesAndFormats() throws {
    let dir = try TemporaryDirectory("erpctl-alerts-cli")
    defer { dir.remove() }
    let s = try Self.store(dir)
    // Nothing fires on 10-10: nothing at all on stdout, exit 0 (cron mails nothing).
    for format in ["table", "csv", "json"] {
      let quiet = try erpctl(["alerts", "--store", s, "--as-of", "2026-10-10", "--format", format])
      #expect(quiet.exited(0), "\(describe(quiet))")
      #expect(quiet.stdout.isEmpty && quiet.err.isEmpty)
    }
    let fired = try erpctl(["alerts", "--store", s, "--as-of", "2026-11-15", "--format", "json"])
    #expect(fired.exited(1), "\(describe(fired))")
    let array = try #require(try JSONSerialization.jsonObject(with: Data(fired.out.utf8)) as? [[String: Any]])
    #expect(array.map { $0["rule"] as? String } == ["target_pace", "target_shortfall"])
    let pace = array[0]
    #expect(Set(pace.keys) == ["rule", "scope", "id", "metric", "period", "actual", "target", "completion", "elapsed", "severity", "message", "events"])
    #expect(pace["actual"] as? String == "1000.00" && pace["target"] as? String == "10000.00")
    #expect((pace["completion"] as? NSNumber)?.doubleValue == 0.1 && (pace["elapsed"] as? NSNumber)?.doubleValue == 0.5)
    #expect(pace["id"] is NSNull && pace["scope"] as? String == "company")
    #expect((pace["events"] as? [Any])?.isEmpty == false)
    #expect((pace["message"] as? String)?.contains("10.00%") == true)

    let csv = try erpctl(["alerts", "--store", s, "--as-of", "2026-11-15", "--format", "csv"])
    #expect(csv.exited(1))
    #expect(csv.outLines.first == "rule,scope,id,metric,period,actual,target,completion,elapsed,severity,message,events")
    #expect(csv.outLines.count == 3)
    let zh = try erpctl(["alerts", "--store", s, "--as-of", "2026-11-15", "--lang", "zh"])
    #expect(zh.exited(1) && zh.out.contains("目标完成"), "\(describe(zh))")

    let rules = try erpctl(["alerts", "rules", "--store", s, "--format", "csv"])
    #expect(rules.exited(0), "\(describe(rules))")
    #expect(rules.outLines.count == 7)
    #expect(rules.out.contains("target_shortfall,true,warning,0.25,,0.8,"), "\(rules.out)")

    let bad = try erpctl(["alerts", "--store", s, "--as-of", "2026-13-01"])
    #expect(bad.exited(64))
    let missing = try erpctl(["alerts", "--store", dir.file("nope.lmdb")])
    #expect(missing.exited(66))
  }

  @Test func notifyGetsTheAlertsOnStdinAndItsFailureIs74() throws {
    let dir = try TemporaryDirectory("erpctl-alerts-cli")
    defer { dir.remove() }
    let s = try Self.store(dir)
    let record = dir.file("mail.json")
    let ok = try erpctl(["alerts", "--store", s, "--as-of", "2026-12-02", "--format", "csv", "--notify", "cat > '\(record)'"])
    #expect(ok.exited(1), "\(describe(ok))")
    let sent = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: record))) as? [[String: Any]])
    #expect(Set(sent.map { $0["rule"] as? String ?? "" }) == ["stock_reorder", "overdue"])
    #expect(ok.outLines.count == 3, "the alerts are on stdout too")

    let failing = try erpctl(["alerts", "--store", s, "--as-of", "2026-12-02", "--format", "json", "--notify", "cat >/dev/null; exit 3"])
    #expect(failing.exited(74), "\(describe(failing))")
    #expect(failing.err.contains("exit status 3"))
    let kept = try #require(try JSONSerialization.jsonObject(with: Data(failing.out.utf8)) as? [[String: Any]])
    #expect(kept.count == 2, "the alerts are not lost")
    // A command that exits without reading its input (a broken pipe for erpctl): still 74.
    let early = try erpctl(["alerts", "--store", s, "--as-of", "2026-12-02", "--format", "json", "--notify", "exit 4"])
    #expect(early.exited(74), "\(describe(early))")
    #expect(early.err.contains("exit status 4"))
    // Nothing fires: the command is not run.
    let marker = dir.file("ran")
    let none = try erpctl(["alerts", "--store", s, "--as-of", "2026-10-10", "--notify", "touch '\(marker)'"])
    #expect(none.exited(0))
    #expect(!FileManager.default.fileExists(atPath: marker))
  }

  @Test func sinceLastSuppressesWhatWasSentUntilItGetsWorse() throws {
    let dir = try TemporaryDirectory("erpctl-alerts-cli")
    defer { dir.remove() }
    let s = try Self.store(dir)
    func run(_ day: String) throws -> [String] {
      let r = try erpctl(["alerts", "--store", s, "--as-of", day, "--since-last", "--format", "csv"])
      #expect(r.exited(r.outLines.isEmpty ? 0 : 1), "\(describe(r))")
      return r.outLines.dropFirst().map {
        $0.split(separator: ",", omittingEmptySubsequences: false).prefix(3).joined(separator: " ")
          .trimmingCharacters(in: .whitespaces)
      }
    }
    #expect(try run("2026-11-15") == ["target_pace company", "target_shortfall company"])
    #expect(try run("2026-11-15").isEmpty, "already sent")
    let later = try run("2026-11-20")
    #expect(Set(later) == ["target_shortfall company", "target_shortfall rep R-1", "stock_reorder sku P-B"], "\(later)")
    #expect(try run("2026-11-20").isEmpty)
    // Without --since-last everything firing is printed.
    let all = try erpctl(["alerts", "--store", s, "--as-of", "2026-11-20", "--format", "csv"])
    #expect(all.outLines.count == 5)
  }

  /// `target list` and `alerts` for today read the persisted sales projection (caught up), and
  /// `target list` replays first purchases only for new_customers targets; an explicit --as-of
  /// of the same day replays the log. Both give the same figures, before and after more events.
  @Test func targetListFromThePersistedProjectionEqualsAReplay() throws {
    let dir = try TemporaryDirectory("erpctl-alerts-cli")
    defer { dir.remove() }
    let s = try Self.store(dir)
    for (scope, id) in [("company", nil), ("rep", "R-1")] as [(String, String?)] {
      let set = try erpctl(["target", "set", "--store", s, "--scope", scope] + (id.map { ["--id", $0] } ?? [])
        + ["--metric", "new_customers", "--period", "2026-11", "--value", "3"])
      #expect(set.exited(0), "\(describe(set))")
    }
    var shanghai = Calendar(identifier: .gregorian)
    shanghai.timeZone = TimeZone(identifier: "Asia/Shanghai")!
    let c = shanghai.dateComponents([.year, .month, .day], from: Date())
    let today = String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
    for _ in 0..<2 {
      let persisted = try erpctl(["target", "list", "--store", s, "--format", "csv"])
      let replayed = try erpctl(["target", "list", "--store", s, "--format", "csv", "--as-of", today])
      #expect(persisted.exited(0) && replayed.exited(0), "\(describe(persisted)) \(describe(replayed))")
      #expect(persisted.out == replayed.out)
      #expect(persisted.out.contains("new_customers"))
      // alerts too: the persisted sales projection for today, a replay for --as-of today.
      let alerts = try erpctl(["alerts", "--store", s, "--format", "json"])
      let alertsReplayed = try erpctl(["alerts", "--store", s, "--format", "json", "--as-of", today])
      #expect([0, 1].contains(alerts.status), "\(describe(alerts))")
      #expect(alerts.status == alertsReplayed.status && alerts.out == alertsReplayed.out, "\(describe(alerts))")
      let period = try erpctl(["target", "list", "--store", s, "--format", "csv", "--period", "2026-11"])
      #expect(period.outLines.dropFirst().allSatisfy { $0.contains(",2026-11,") }, "\(describe(period))")
      #expect(period.outLines.count > 1 && period.outLines.count <= persisted.outLines.count)
      // More events: the next list catches the projection up.
      _ = try erpctl(["target", "set", "--store", s, "--scope", "company", "--metric", "revenue", "--period", "2026-12",
        "--value", "100"])
    }
  }
}
