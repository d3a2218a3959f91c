import ERPCore
import Testing

/// An AlertRuleSet with the given fields.
private func rule(_ name: String, enabled: Bool? = nil, checkpoint: String? = nil, threshold: String? = nil,
  floor: String? = nil, days: Int64? = nil, amount: Money? = nil, quantity: Int64? = nil,
  severity: String? = nil) -> SalesEvent
{
  .alertRuleSet(AlertRuleSet(
    rule: name, enabled: enabled, checkpoint: checkpoint.flatMap { Rate($0) },
    threshold: threshold.flatMap { Rate($0) }, floor: floor.flatMap { Rate($0) }, days: days, amount: amount,
    quantity: quantity, severity: severity))
}

/// What appending `data` as an AlertRuleSet is refused with, along the store's path: the
/// catalogue's shape check, decoding, then the decider. Nil when it is accepted.
private func inputRefusal(_ data: String) throws -> (field: String?, message: String)? {
  do {
    let checked = try EventCatalog.check(type: AlertRuleSet.type, data: try jsonObject(data), moneyDigits: 2)
    let event = try SalesEvent(type: AlertRuleSet.type, data: checked, digits: 2)
    _ = try Scenario().when(event)
    return nil
  } catch let e as EventInputError {
    return (e.field, e.message)
  } catch let e as DomainError {
    guard case .invalid(let field, let message) = e else { return (nil, e.description) }
    return (field, message)
  }
}

@Suite("Alert rules: AlertRuleSet parameters per rule")
struct AlertRuleTests {
  /// Every parameter each rule reads, set to a value other than its default.
  static let full: [AlertRuleName: SalesEvent] = [
    .targetPace: rule("target_pace", enabled: true, checkpoint: "0.6", threshold: "0.5", severity: "critical"),
    .targetShortfall: rule("target_shortfall", checkpoint: "0.3", floor: "0.95", severity: "info"),
    .collectionRate: rule("collection_rate", floor: "0.75", days: 15, severity: "warning"),
    .overdue: rule("overdue", days: 90, amount: F.m("1000.00"), severity: "critical"),
    .dormantHighValue: rule("dormant_high_value", enabled: false, days: 120),
    .stockReorder: rule("stock_reorder", quantity: 5, severity: "warning"),
  ]

  @Test(arguments: AlertRuleName.allCases)
  func eachRuleIsAcceptedWithTheParametersItReads(_ name: AlertRuleName) throws {
    let e = try #require(Self.full[name])
    #expect(try Scenario().when(e) == [e], "a primary event that derives nothing")
    let bare = rule(name.rawValue)
    #expect(try Scenario().when(bare) == [bare])
  }

  @Test func ratesAtTheBoundsAreAccepted() throws {
    let s = Scenario()
    for r in ["0", "1", "0.123456", "1.000000"] {
      #expect(try s.when(rule("target_pace", checkpoint: r, threshold: r)).count == 1, "\(r)")
    }
    #expect(try s.when(rule("overdue", days: 0, amount: .zero)).count == 1)
    #expect(try s.when(rule("stock_reorder", quantity: 0)).count == 1)
  }

  @Test func anUnknownRuleIsRefused() {
    let e = Scenario().refusal(rule("target_speed", checkpoint: "0.5"))
    #expect(e == .invalid(field: "data.rule",
      "unknown alert rule 'target_speed'; one of target_pace, target_shortfall, collection_rate, overdue, dormant_high_value, stock_reorder"))
  }

  @Test func aRateOutOfRangeIsRefused() {
    let s = Scenario()
    let over = SalesEvent.alertRuleSet(AlertRuleSet(rule: "target_pace", checkpoint: Rate(millionths: 1_000_001)))
    #expect(s.refusal(over) == .invalid(field: "data.checkpoint", "'1.000001' is not a rate between 0 and 1"))
    let under = SalesEvent.alertRuleSet(AlertRuleSet(rule: "collection_rate", floor: Rate(millionths: -1)))
    #expect(s.refusal(under) == .invalid(field: "data.floor", "'-0.000001' is not a rate between 0 and 1"))
    let threshold = SalesEvent.alertRuleSet(AlertRuleSet(rule: "target_pace", threshold: Rate(millionths: 2_000_000)))
    #expect(s.refusal(threshold) == .invalid(field: "data.threshold", "'2' is not a rate between 0 and 1"))
  }

  @Test func negativeDaysAmountAndQuantityAreRefused() {
    let s = Scenario()
    #expect(s.refusal(rule("overdue", days: -1)) == .invalid(field: "data.days", "must not be negative, got -1"))
    #expect(s.refusal(rule("overdue", amount: Money(minorUnits: -1)))
      == .invalid(field: "data.amount", "must not be negative"))
    #expect(s.refusal(rule("stock_reorder", quantity: -3))
      == .invalid(field: "data.quantity", "must not be negative, got -3"))
  }

  @Test func aParameterTheRuleDoesNotReadIsRefusedByName() {
    let s = Scenario()
    #expect(s.refusal(rule("target_pace", floor: "0.9")) == .invalid(field: "data.floor",
      "the target_pace rule does not read floor (it reads checkpoint, threshold, enabled, severity)"))
    #expect(s.refusal(rule("target_shortfall", threshold: "0.4")) == .invalid(field: "data.threshold",
      "the target_shortfall rule does not read threshold (it reads checkpoint, floor, enabled, severity)"))
    #expect(s.refusal(rule("collection_rate", checkpoint: "0.5")) == .invalid(field: "data.checkpoint",
      "the collection_rate rule does not read checkpoint (it reads floor, days, enabled, severity)"))
    #expect(s.refusal(rule("overdue", quantity: 1)) == .invalid(field: "data.quantity",
      "the overdue rule does not read quantity (it reads days, amount, enabled, severity)"))
    #expect(s.refusal(rule("dormant_high_value", amount: F.m("10"))) == .invalid(field: "data.amount",
      "the dormant_high_value rule does not read amount (it reads days, enabled, severity)"))
    #expect(s.refusal(rule("stock_reorder", days: 7)) == .invalid(field: "data.days",
      "the stock_reorder rule does not read days (it reads quantity, enabled, severity)"))
  }

  @Test func aBadSeverityIsRefused() {
    #expect(Scenario().refusal(rule("overdue", severity: "urgent"))
      == .invalid(field: "data.severity", "unknown severity 'urgent'; one of info, warning, critical"))
  }

  @Test(arguments: [
    (#"{"rule":"target_speed"}"#, "data.rule", "one of target_pace, target_shortfall"),
    (#"{"rule":"target_pace","checkpoint":"1.5"}"#, "data.checkpoint", "not a rate between 0 and 1"),
    (#"{"rule":"target_pace","threshold":"-0.1"}"#, "data.threshold", "not a rate between 0 and 1"),
    (#"{"rule":"collection_rate","floor":1}"#, "data.floor", "decimal string rate"),
    (#"{"rule":"overdue","days":-1}"#, "data.days", "-1 is out of range 0...3650"),
    (#"{"rule":"overdue","amount":"-1"}"#, "data.amount", "must not be negative"),
    (#"{"rule":"overdue","amount":"10.005"}"#, "data.amount", "'10.005' has more than 2 decimal places"),
    (#"{"rule":"overdue","amount":100}"#, "data.amount", "decimal string"),
    (#"{"rule":"stock_reorder","quantity":-1}"#, "data.quantity", "-1 is out of range 0...1000000000"),
    (#"{"rule":"stock_reorder","severity":"urgent"}"#, "data.severity", "one of info, warning, critical"),
    (#"{"rule":"stock_reorder","enabled":"yes"}"#, "data.enabled", "true or false"),
    (#"{"rule":"stock_reorder","days":30}"#, "data.days", "the stock_reorder rule does not read days"),
    (#"{"rule":"overdue","colour":"red"}"#, "data.colour", "unknown field"),
    (#"{"days":30}"#, "data.rule", "is required"),
  ])
  func badInputIsRefusedNamingTheField(_ data: String, _ field: String, _ message: String) throws {
    let r = try #require(try inputRefusal(data), "\(data) was accepted")
    #expect(r.field == field, "\(data)")
    #expect(r.message.contains(message), "\(data): \(r.message)")
  }

  @Test func inputIsAcceptedAndMoneyNormalised() throws {
    #expect(try inputRefusal(#"{"rule":"overdue","days":45,"amount":"500","severity":"info","enabled":false}"#) == nil)
    let checked = try EventCatalog.check(
      type: AlertRuleSet.type, data: try jsonObject(#"{"rule":"overdue","amount":"500"}"#), moneyDigits: 2)
    #expect(checked["amount"] == .string("500.00"))
  }

  @Test func thePayloadRoundTripsThroughJSON() throws {
    let e = AlertRuleSet(
      rule: "target_pace", enabled: false, checkpoint: Rate("0.6"), threshold: Rate("0.45"), floor: Rate("1"),
      days: 30, amount: F.m("1200.50"), quantity: 7, severity: "critical")
    let data = e.data(digits: 2)
    #expect(data == (try jsonObject(
      #"{"rule":"target_pace","enabled":false,"checkpoint":"0.6","threshold":"0.45","floor":"1","days":30,"amount":"1200.50","quantity":7,"severity":"critical"}"#)))
    #expect(try AlertRuleSet(data: data, digits: 2) == e)
    #expect(try SalesEvent(type: "AlertRuleSet", data: data, digits: 2) == .alertRuleSet(e))
    #expect(SalesEvent.alertRuleSet(e).type == "AlertRuleSet")

    let bare = AlertRuleSet(rule: "overdue")
    #expect(bare.data(digits: 2) == (try jsonObject(#"{"rule":"overdue"}"#)))
    #expect(try AlertRuleSet(data: bare.data(digits: 2), digits: 2) == bare)
    let on = AlertRuleSet(rule: "overdue", enabled: true)
    #expect(on.data(digits: 2)["enabled"] == .bool(true))
    #expect(try AlertRuleSet(data: on.data(digits: 2), digits: 2) == on)
  }

  @Test func theCatalogueKnowsItAsAPrimaryEvent() throws {
    let s = try #require(EventCatalog.schema(for: "AlertRuleSet"))
    #expect(!s.derived)
    #expect(s.fields.map(\.name)
      == ["rule", "enabled", "checkpoint", "threshold", "floor", "days", "amount", "quantity", "severity"])
    #expect(s.fields.filter(\.required).map(\.name) == ["rule"])
  }
}

@Suite("Alert rules: defaults and the rule in force")
struct AlertRuleParametersTests {
  @Test func defaultsPerRule() {
    let pace = AlertRuleParameters.defaults(for: .targetPace)
    #expect(pace.enabled && pace.severity == .warning && pace.seq == nil)
    #expect(pace.checkpoint.millionths == 500_000 && pace.threshold.millionths == 400_000)
    let shortfall = AlertRuleParameters.defaults(for: .targetShortfall)
    #expect(shortfall.checkpoint.millionths == 250_000 && shortfall.floor.millionths == 900_000)
    #expect(shortfall.severity == .warning)
    let collection = AlertRuleParameters.defaults(for: .collectionRate)
    #expect(collection.floor.millionths == 800_000 && collection.days == 30 && collection.severity == .warning)
    let overdue = AlertRuleParameters.defaults(for: .overdue)
    #expect(overdue.days == 60 && overdue.amount == .zero && overdue.severity == .warning)
    let dormant = AlertRuleParameters.defaults(for: .dormantHighValue)
    #expect(dormant.days == 90 && dormant.severity == .warning)
    let stock = AlertRuleParameters.defaults(for: .stockReorder)
    #expect(stock.quantity == 0 && stock.severity == .critical)
    #expect(AlertRuleName.allCases.allSatisfy { AlertRuleParameters.defaults(for: $0).enabled })
  }

  @Test func anEventIsMergedOverTheDefaults() throws {
    let p = try #require(AlertRuleParameters.merged(
      AlertRuleSet(rule: "target_pace", threshold: Rate("0.3"), severity: "critical"), seq: 12))
    #expect(p.rule == .targetPace && p.seq == 12 && p.enabled)
    #expect(p.checkpoint.millionths == 500_000, "left out: the default")
    #expect(p.threshold.millionths == 300_000 && p.severity == .critical)
    #expect(AlertRuleParameters.merged(AlertRuleSet(rule: "nope")) == nil)
    #expect(AlertRuleParameters.merged(AlertRuleSet(rule: "overdue", severity: "urgent")) == nil)
  }

  @Test func theLatestEventPerRuleIsInForce() {
    let sets: [(seq: UInt64, event: AlertRuleSet)] = [
      (3, AlertRuleSet(rule: "overdue", days: 30, amount: F.m("100"))),
      (5, AlertRuleSet(rule: "stock_reorder", enabled: false)),
      (9, AlertRuleSet(rule: "overdue", days: 45)),
    ]
    let rules = AlertRuleParameters.inForce(sets)
    #expect(rules.map(\.rule) == AlertRuleName.allCases)
    let overdue = rules[3]
    #expect(overdue.days == 45 && overdue.amount == .zero && overdue.seq == 9,
      "the latest replaces the earlier one; what it leaves out takes the default")
    #expect(rules[5].enabled == false && rules[5].seq == 5)
    #expect(rules[0] == AlertRuleParameters.defaults(for: .targetPace))
  }

  @Test func severitiesAreOrdered() {
    #expect(AlertSeverity.info < .warning && AlertSeverity.warning < .critical)
    #expect(AlertSeverity.allCases.max() == .critical)
  }
}
