import ArgumentParser
import ERPCore

extension ERPCommand {
  struct AlertRule: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "rule", abstract: "Alert rules and their thresholds (set as events).",
      subcommands: [Set.self])

    struct Set: RecordCommand {
      var eventType: String { "AlertRuleSet" }
      static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Set the parameters of an alert rule (the latest for a rule is in force; what it leaves out takes the rule's default).",
        discussion: """
          Rules and the parameters they read (defaults in brackets); every rule also reads --enabled [true]:
            target_pace         --checkpoint [0.5] --threshold [0.4] --severity [warning]
            target_shortfall    --checkpoint [0.25] --floor [0.9] --severity [warning]
            collection_rate     --floor [0.8] --days [30] --severity [warning]
            overdue             --days [60] --amount [0] --severity [warning]
            dormant_high_value  --days [90] --severity [warning]
            stock_reorder       --quantity [0] --severity [critical]
          A parameter the rule does not read is refused. See erpctl-events(5), AlertRuleSet.
          Example: erpctl alerts rule set --rule target_pace --checkpoint 0.6 --threshold 0.5
          """)
      @OptionGroup var store: StoreLocation
      @OptionGroup var record: RecordOptions
      @Option(help: "target_pace, target_shortfall, collection_rate, overdue, dormant_high_value or stock_reorder.")
      var rule: String
      @Option(help: ArgumentHelp("Whether the rule runs (default true).", valueName: "true|false"))
      var enabled: Bool?
      @Option(help: "Elapsed fraction of the period from which a target is judged (rate, 0..1).") var checkpoint: String?
      @Option(help: "Completion under which target_pace fires (rate, 0..1).") var threshold: String?
      @Option(help: "Projected completion or collection rate under which the rule fires (rate, 0..1).") var floor: String?
      @Option(help: "Days: collection window lag, days past due, or days dormant.") var days: Int?
      @Option(help: "Overdue balance a customer may carry (decimal).") var amount: String?
      @Option(help: "Minimum available stock of a SKU without a forecast.") var quantity: Int?
      @Option(help: "info, warning or critical.") var severity: String?

      func data() throws -> JSONObject {
        var d = DataBuilder()
        d.set("rule", rule); d.object["enabled"] = enabled.map { .bool($0) }
        d.set("checkpoint", checkpoint); d.set("threshold", threshold); d.set("floor", floor)
        d.set("days", days); d.set("amount", amount); d.set("quantity", quantity); d.set("severity", severity)
        return d.object
      }
    }
  }
}
