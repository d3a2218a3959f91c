/// Master data: customers, products, reps (upserted), campaign costs, targets and alert rules.
/// Its `decide` takes the primary events it owns; its `evolve` folds what changes its records.
public enum MasterDataDecider: SalesAggregate {
  public static func decide(_ event: borrowing SalesEvent, _ ctx: DecideContext, _ s: SalesState) throws -> [SalesEvent]? {
    switch event {
    case .customerRegistered, .productDefined, .repRegistered, .campaignCostRecorded:
      // Master data is upserted: registering an id again changes it from then on; history keeps
      // what each event said at its time.
      return [copy event]

    case .targetSet(let e):
      try checkTarget(e, ctx, s)
      return [copy event]

    case .alertRuleSet(let e):
      try checkAlertRule(e)
      return [copy event]

    default: return nil
    }
  }

  public static func evolve(_ s: SalesState, _ event: SalesEvent, defaultTermsDays: Int64) throws {
    switch event {
    case .customerRegistered(let e):
      var c = try s.get(CustomerState.self, e.customer) ?? CustomerState(region: e.region, channel: e.channel, tier: e.tier)
      (c.region, c.channel, c.tier) = (e.region, e.channel, e.tier)
      s.put(e.customer, c)

    case .productDefined(let e):
      s.put(e.sku, ProductState(line: e.line, listPrice: e.listPrice, unitCost: e.unitCost))

    case .repRegistered(let e):
      s.put(e.rep, RepState(team: e.team, region: e.region))

    default: break
    }
  }

  /// An AlertRuleSet names a known rule and gives only the parameters that rule reads, each in
  /// range (SPEC 5; the catalogue checks the same shapes on input, this also guards typed events).
  static func checkAlertRule(_ e: AlertRuleSet) throws {
    guard let rule = AlertRuleName(rawValue: e.rule) else {
      throw DomainError.invalid(
        field: "data.rule", "unknown alert rule '\(e.rule)'; one of "
          + AlertRuleName.allCases.map(\.rawValue).joined(separator: ", "))
    }
    let given: [(AlertParameter, Bool)] = [
      (.checkpoint, e.checkpoint != nil), (.threshold, e.threshold != nil), (.floor, e.floor != nil),
      (.days, e.days != nil), (.amount, e.amount != nil), (.quantity, e.quantity != nil),
    ]
    for (p, isGiven) in given where isGiven && !rule.parameters.contains(p) {
      let reads = (rule.parameters.map(\.rawValue) + ["enabled", "severity"]).joined(separator: ", ")
      throw DomainError.invalid(
        field: "data.\(p.rawValue)", "the \(rule.rawValue) rule does not read \(p.rawValue) (it reads \(reads))")
    }
    for (name, rate) in [("checkpoint", e.checkpoint), ("threshold", e.threshold), ("floor", e.floor)] {
      if let rate, !(0...Rate.scale).contains(rate.millionths) {
        throw DomainError.invalid(field: "data.\(name)", "'\(rate)' is not a rate between 0 and 1")
      }
    }
    for (name, n) in [("days", e.days), ("quantity", e.quantity)] {
      if let n, n < 0 { throw DomainError.invalid(field: "data.\(name)", "must not be negative, got \(n)") }
    }
    if let amount = e.amount {
      guard amount.minorUnits >= 0 else { throw DomainError.invalid(field: "data.amount", "must not be negative") }
      guard amount.minorUnits <= Money.maxMinorUnits else { throw DomainError.amountTooLarge("the overdue amount") }
    }
    if let severity = e.severity, AlertSeverity(rawValue: severity) == nil {
      throw DomainError.invalid(
        field: "data.severity", "unknown severity '\(severity)'; one of "
          + AlertSeverity.allCases.map(\.rawValue).joined(separator: ", "))
    }
  }

  static func checkTarget(_ e: TargetSet, _ ctx: DecideContext, _ s: SalesState) throws {
    if e.scope == "company" {
      if e.id != nil { throw DomainError.invalid(field: "data.id", "a company target takes no id") }
    } else {
      guard let id = e.id else { throw DomainError.invalid(field: "data.id", "a \(e.scope) target needs an id") }
      if e.scope == "rep" { try s.requireExists(RepState.self, id, "rep") }
    }
    switch e.metric {
    case "revenue", "gross_margin", "collections":
      guard let v = e.value.stringValue, (try? Money.parse(v, digits: ctx.digits)) != nil else {
        throw DomainError.invalid(
          field: "data.value", "a \(e.metric) target is an amount with at most \(ctx.digits) decimals, e.g. \"50000.00\"")
      }
    case "collection_rate":
      guard let v = e.value.stringValue, Rate(v) != nil else {
        throw DomainError.invalid(field: "data.value", "a collection_rate target is a rate between 0 and 1, e.g. \"0.85\"")
      }
    default:
      guard e.value.intValue != nil else {
        throw DomainError.invalid(field: "data.value", "a \(e.metric) target is a whole number")
      }
    }
  }
}
