/// The alert rules of SPEC 5 (`alerts`), by the name an AlertRuleSet event gives them.
public enum AlertRuleName: String, CaseIterable, Sendable, Hashable {
  /// A target whose period is at least `checkpoint` elapsed with completion under `threshold`.
  case targetPace = "target_pace"
  /// A target whose linear projection to the end of its period (completion / elapsed) is under
  /// `floor`, judged once at least `checkpoint` of the period has elapsed.
  case targetShortfall = "target_shortfall"
  /// The company collection rate of the invoices issued in the 90 days ending `days` days before
  /// the as-of date under `floor`.
  case collectionRate = "collection_rate"
  /// A customer whose open balance of invoices more than `days` days past due exceeds `amount`.
  case overdue
  /// A customer in the top decile by historical gross profit with no order for more than `days`.
  case dormantHighValue = "dormant_high_value"
  /// A SKU whose available stock (on hand − reserved + on order) is below its reorder point, or
  /// below `quantity` when it has no forecast.
  case stockReorder = "stock_reorder"

  /// The parameters the rule reads besides `enabled` and `severity` (which every rule reads); an
  /// AlertRuleSet giving any other is refused.
  public var parameters: [AlertParameter] {
    switch self {
    case .targetPace: [.checkpoint, .threshold]
    case .targetShortfall: [.checkpoint, .floor]
    case .collectionRate: [.floor, .days]
    case .overdue: [.days, .amount]
    case .dormantHighValue: [.days]
    case .stockReorder: [.quantity]
    }
  }
}

/// A tunable parameter of an alert rule: the name of its field in AlertRuleSet.
public enum AlertParameter: String, CaseIterable, Sendable, Hashable {
  case checkpoint, threshold, floor, days, amount, quantity
}

/// How serious a firing alert is.
public enum AlertSeverity: String, CaseIterable, Sendable, Hashable, Comparable {
  case info, warning, critical

  var rank: Int {
    switch self {
    case .info: 0
    case .warning: 1
    case .critical: 2
    }
  }

  public static func < (a: AlertSeverity, b: AlertSeverity) -> Bool { a.rank < b.rank }
}

/// The parameters one alert rule runs with: its defaults, with the fields of the latest
/// AlertRuleSet for that rule over them (SPEC 5: rules and thresholds are set as events).
///
/// Only the fields in `rule.parameters` (and `enabled`, `severity`) mean anything for a rule;
/// the others hold zero.
public struct AlertRuleParameters: Sendable, Equatable {
  public var rule: AlertRuleName
  public var enabled: Bool
  public var severity: AlertSeverity
  /// The elapsed fraction of a target's period from which it is judged.
  public var checkpoint: Rate
  /// The completion under which `target_pace` fires.
  public var threshold: Rate
  /// The projected completion (`target_shortfall`) or collection rate (`collection_rate`) under
  /// which the rule fires.
  public var floor: Rate
  /// A number of days: the lag of the collection window, how far past due, or how long dormant.
  public var days: Int64
  /// The overdue balance a customer may carry before `overdue` fires.
  public var amount: Money
  /// The minimum available stock of a SKU without a forecast.
  public var quantity: Int64
  /// The seq of the AlertRuleSet in force, or nil when the rule runs on its defaults.
  public var seq: UInt64?

  public init(
    rule: AlertRuleName, enabled: Bool = true, severity: AlertSeverity = .warning,
    checkpoint: Rate = .zero, threshold: Rate = .zero, floor: Rate = .zero, days: Int64 = 0,
    amount: Money = .zero, quantity: Int64 = 0, seq: UInt64? = nil
  ) {
    (self.rule, self.enabled, self.severity) = (rule, enabled, severity)
    (self.checkpoint, self.threshold, self.floor) = (checkpoint, threshold, floor)
    (self.days, self.amount, self.quantity, self.seq) = (days, amount, quantity, seq)
  }

  /// The parameters a rule runs with when no AlertRuleSet names it (SPEC 5: half the period gone
  /// and under 40 % done, as in the seed).
  public static func defaults(for rule: AlertRuleName) -> AlertRuleParameters {
    switch rule {
    case .targetPace:
      AlertRuleParameters(rule: rule, checkpoint: Rate(millionths: 500_000), threshold: Rate(millionths: 400_000))
    case .targetShortfall:
      AlertRuleParameters(rule: rule, checkpoint: Rate(millionths: 250_000), floor: Rate(millionths: 900_000))
    case .collectionRate:
      AlertRuleParameters(rule: rule, floor: Rate(millionths: 800_000), days: 30)
    case .overdue:
      AlertRuleParameters(rule: rule, days: 60, amount: .zero)
    case .dormantHighValue:
      AlertRuleParameters(rule: rule, days: 90)
    case .stockReorder:
      AlertRuleParameters(rule: rule, severity: .critical, quantity: 0)
    }
  }

  /// The defaults of the event's rule with every field the event gives over them (fields it
  /// leaves out keep their defaults, not an earlier event's values); nil for an unknown rule or
  /// severity, which the decider refuses.
  public static func merged(_ e: AlertRuleSet, seq: UInt64? = nil) -> AlertRuleParameters? {
    guard let rule = AlertRuleName(rawValue: e.rule) else { return nil }
    var p = defaults(for: rule)
    if let v = e.severity {
      guard let s = AlertSeverity(rawValue: v) else { return nil }
      p.severity = s
    }
    if let v = e.enabled { p.enabled = v }
    if let v = e.checkpoint { p.checkpoint = v }
    if let v = e.threshold { p.threshold = v }
    if let v = e.floor { p.floor = v }
    if let v = e.days { p.days = v }
    if let v = e.amount { p.amount = v }
    if let v = e.quantity { p.quantity = v }
    p.seq = seq
    return p
  }

  /// Every rule, in `AlertRuleName` order, with the latest of `sets` for it merged over its
  /// defaults (the latest AlertRuleSet per rule is in force); pass the events in log order.
  public static func inForce(_ sets: some Sequence<(seq: UInt64, event: AlertRuleSet)>) -> [AlertRuleParameters] {
    var latest: [AlertRuleName: AlertRuleParameters] = [:]
    for (seq, e) in sets {
      if let p = merged(e, seq: seq) { latest[p.rule] = p }
    }
    return AlertRuleName.allCases.map { latest[$0] ?? defaults(for: $0) }
  }

  /// The event seqs behind an alert: those of its figures and the AlertRuleSet in force (when
  /// one was set), ascending.
  func withRuleSet(_ seqs: [UInt64]) -> [UInt64] { (seqs + (seq.map { [$0] } ?? [])).sorted() }
}
