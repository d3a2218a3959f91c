import ArgumentParser
import ERPCore

extension ERPCommand {
  struct Customer: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "customer",
      abstract: "Customers (master data).", subcommands: [Register.self])

    struct Register: RecordCommand {
      var eventType: String { "CustomerRegistered" }
      static let configuration = CommandConfiguration(
        commandName: "register",
        abstract: "Register a customer, or change one (later orders use the new values).",
        discussion: "Example: erpctl customer register --id C-88 --name 'Acme' --region east --channel direct --tier gold")
      @OptionGroup var store: StoreLocation
      @OptionGroup var record: RecordOptions
      @Option(help: "Customer id.") var id: String
      @Option(help: "Name.") var name: String
      @Option(help: "Sales region.") var region: String
      @Option(help: "Acquisition channel.") var channel: String
      @Option(help: "Customer tier.") var tier: String?
      @Option(help: "What acquiring the customer cost (decimal).") var acquisitionCost: String?

      func data() throws -> JSONObject {
        var d = DataBuilder()
        d.set("customer", id); d.set("name", name); d.set("region", region); d.set("channel", channel)
        d.set("tier", tier); d.set("acquisition_cost", acquisitionCost)
        return d.object
      }
    }
  }

  struct Product: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "product",
      abstract: "Products (master data).", subcommands: [Register.self])

    struct Register: RecordCommand {
      var eventType: String { "ProductDefined" }
      static let configuration = CommandConfiguration(
        commandName: "register",
        abstract: "Define a product, or change one (list price, cost, lead time, pack size).",
        discussion: "Example: erpctl product register --sku A1 --name Widget --line widgets --list-price 120.00 --lead-time-days 14 --pack-size 10")
      @OptionGroup var store: StoreLocation
      @OptionGroup var record: RecordOptions
      @Option(help: "SKU.") var sku: String
      @Option(help: "Name.") var name: String
      @Option(help: "Product line.") var line: String
      @Option(help: "List price (decimal).") var listPrice: String
      @Option(help: "Standard unit cost (decimal).") var unitCost: String?
      @Option(help: "Replenishment lead time in days.") var leadTimeDays: Int?
      @Option(help: "Units per purchase pack.") var packSize: Int?

      func data() throws -> JSONObject {
        var d = DataBuilder()
        d.set("sku", sku); d.set("name", name); d.set("line", line); d.set("list_price", listPrice)
        d.set("unit_cost", unitCost); d.set("lead_time_days", leadTimeDays); d.set("pack_size", packSize)
        return d.object
      }
    }
  }

  struct Rep: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "rep",
      abstract: "Sales reps (master data).", subcommands: [Register.self])

    struct Register: RecordCommand {
      var eventType: String { "RepRegistered" }
      static let configuration = CommandConfiguration(
        commandName: "register",
        abstract: "Register a sales rep, or change one.",
        discussion: "Example: erpctl rep register --id R-1 --name 'Wang Fang' --team east-1 --region east --commission-rate 0.03")
      @OptionGroup var store: StoreLocation
      @OptionGroup var record: RecordOptions
      @Option(help: "Rep id.") var id: String
      @Option(help: "Name.") var name: String
      @Option(help: "Team.") var team: String
      @Option(help: "Region.") var region: String
      @Option(help: "Commission rate (decimal, 0.03 = 3 %).") var commissionRate: String?

      func data() throws -> JSONObject {
        var d = DataBuilder()
        d.set("rep", id); d.set("name", name); d.set("team", team); d.set("region", region)
        d.set("commission_rate", commissionRate)
        return d.object
      }
    }
  }

  struct Target: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "target",
      abstract: "Sales targets.", subcommands: [Set.self, List.self])

    struct Set: RecordCommand {
      var eventType: String { "TargetSet" }
      static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Set a target for a period (a later target for the same scope, id, metric and period replaces it).",
        discussion: "Example: erpctl target set --scope rep --id R-1 --metric revenue --period 2026-11 --value 50000.00")
      @OptionGroup var store: StoreLocation
      @OptionGroup var record: RecordOptions
      @Option(help: "company, team, region or rep.") var scope: String
      @Option(help: "The team, region or rep (not for company).") var id: String?
      @Option(help: "revenue, gross_margin, collections, collection_rate, new_customers or orders.") var metric: String
      @Option(help: "Period key: 2026, 2026-Q4, 2026-11, 2026-W45 or 2026-11-03.") var period: String
      @Option(help: "Amount (decimal), rate (0..1) or count, by metric.") var value: String

      func data() throws -> JSONObject {
        var d = DataBuilder()
        d.set("scope", scope); d.set("id", id); d.set("metric", metric); d.set("period", period)
        if ["new_customers", "orders"].contains(metric), let n = Int(value) {
          d.set("value", n)
        } else {
          d.set("value", value)
        }
        return d.object
      }
    }
  }

  struct Cost: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "cost",
      abstract: "Costs: of an order, or of a campaign per channel.", subcommands: [Record.self])

    struct Record: RecordCommand {

      static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Record a cost of an order (--order, --kind) or a campaign cost (--channel, --period).",
        discussion: """
          Examples: erpctl cost record --order SO-1001 --kind freight --amount 180.00
                    erpctl cost record --channel web --period 2026-11 --amount 5000.00
          """)
      @OptionGroup var store: StoreLocation
      @OptionGroup var record: RecordOptions
      @Option(help: "The order the cost belongs to.") var order: String?
      @Option(help: "production, freight, commission or other.") var kind: String?
      @Option(help: "The acquisition channel of a campaign cost.") var channel: String?
      @Option(help: "The period of a campaign cost.") var period: String?
      @Option(help: "Amount (decimal).") var amount: String

      func validate() throws {
        guard (order != nil) != (channel != nil) else {
          throw ValidationError("give either '--order' and '--kind' or '--channel' and '--period'.")
        }
        if order != nil && kind == nil { throw ValidationError("'--kind' is required with '--order'.") }
        if channel != nil && period == nil { throw ValidationError("'--period' is required with '--channel'.") }
      }

      var eventType: String { channel == nil ? "OrderCostRecorded" : "CampaignCostRecorded" }

      func data() throws -> JSONObject {
        var d = DataBuilder()
        d.set("order", order); d.set("kind", kind); d.set("channel", channel); d.set("period", period)
        d.set("amount", amount)
        return d.object
      }
    }
  }
}
