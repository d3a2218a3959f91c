import ArgumentParser
import ERPCore

extension ERPCommand {
  struct Lead: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "lead",
      abstract: "Sales leads and their funnel stages.", subcommands: [Create.self, Stage.self, Lose.self])

    struct Create: RecordCommand {
      var eventType: String { "LeadCreated" }
      static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create a lead (stage new).",
        discussion: "Example: erpctl lead create --id L-7 --source trade-show --rep R-1 --customer C-88 --estimated-value 6000.00")
      @OptionGroup var store: StoreLocation
      @OptionGroup var record: RecordOptions
      @Option(help: "Lead id.") var id: String
      @Option(help: "Lead source (e.g. web, referral, trade-show).") var source: String
      @Option(help: "Owning rep.") var rep: String
      @Option(help: "Region.") var region: String?
      @Option(help: "Existing customer, if any.") var customer: String?
      @Option(help: "Company name of a prospect.") var company: String?
      @Option(help: "Estimated deal value (decimal).") var estimatedValue: String?

      func data() throws -> JSONObject {
        var d = DataBuilder()
        d.set("lead", id); d.set("source", source); d.set("rep", rep); d.set("region", region)
        d.set("customer", customer); d.set("company", company); d.set("estimated_value", estimatedValue)
        return d.object
      }
    }

    struct Stage: RecordCommand {
      var eventType: String { "LeadStageChanged" }
      static let configuration = CommandConfiguration(
        commandName: "stage",
        abstract: "Move a lead forward: contacted, qualified, quoted, negotiating or won.",
        discussion: "Stages only move forward (skipping is allowed). Example: erpctl lead stage --id L-7 --stage qualified")
      @OptionGroup var store: StoreLocation
      @OptionGroup var record: RecordOptions
      @Option(help: "Lead id.") var id: String
      @Option(help: "The new stage.") var stage: String

      func data() throws -> JSONObject {
        var d = DataBuilder()
        d.set("lead", id); d.set("stage", stage)
        return d.object
      }
    }

    struct Lose: RecordCommand {
      var eventType: String { "LeadStageChanged" }
      static let configuration = CommandConfiguration(
        commandName: "lose",
        abstract: "Mark an open lead lost, with the reason.",
        discussion: "Example: erpctl lead lose --id L-9 --reason price")
      @OptionGroup var store: StoreLocation
      @OptionGroup var record: RecordOptions
      @Option(help: "Lead id.") var id: String
      @Option(help: "Why it was lost.") var reason: String

      func data() throws -> JSONObject {
        var d = DataBuilder()
        d.set("lead", id); d.set("stage", "lost"); d.set("reason", reason)
        return d.object
      }
    }
  }

  struct Activity: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "activity",
      abstract: "Sales activities (calls, visits, emails, meetings).", subcommands: [Log.self])

    struct Log: RecordCommand {
      var eventType: String { "ActivityLogged" }
      static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Log an activity of a rep.",
        discussion: "Example: erpctl activity log --rep R-1 --kind visit --lead L-7")
      @OptionGroup var store: StoreLocation
      @OptionGroup var record: RecordOptions
      @Option(help: "The rep.") var rep: String
      @Option(help: "call, visit, email or meeting.") var kind: String
      @Option(help: "The lead it concerned.") var lead: String?
      @Option(help: "The customer it concerned.") var customer: String?

      func data() throws -> JSONObject {
        var d = DataBuilder()
        d.set("rep", rep); d.set("kind", kind); d.set("lead", lead); d.set("customer", customer)
        return d.object
      }
    }
  }

  struct Quote: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "quote", abstract: "Quotes.", subcommands: [Issue.self])

    struct Issue: RecordCommand {
      var eventType: String { "QuoteIssued" }
      static let configuration = CommandConfiguration(
        commandName: "issue",
        abstract: "Issue a quote.",
        discussion: "Example: erpctl quote issue --id Q-3 --customer C-88 --lead L-7 --line A1:40:120.00:0.05")
      @OptionGroup var store: StoreLocation
      @OptionGroup var record: RecordOptions
      @Option(help: "Quote id.") var id: String
      @Option(help: "Customer.") var customer: String
      @Option(help: "The lead it answers.") var lead: String?
      @Option(help: ArgumentHelp("A line SKU:QTY:PRICE[:DISCOUNT] (repeatable).", valueName: "line"))
      var line: [String] = []

      func data() throws -> JSONObject {
        var d = DataBuilder()
        d.set("quote", id); d.set("customer", customer); d.set("lead", lead)
        d.set("lines", lines: try line.map(LineArgument.orderLine))
        return d.object
      }
    }
  }
}
