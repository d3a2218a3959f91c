import ArgumentParser
import ERPCore

extension ERPCommand {
  struct Order: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "order",
      abstract: "Orders: confirm, cancel, ship, return.",
      subcommands: [Confirm.self, Cancel.self, Ship.self, Return.self])

    struct Confirm: RecordCommand {
      var eventType: String { "OrderConfirmed" }
      static let configuration = CommandConfiguration(
        commandName: "confirm",
        abstract: "Confirm an order; stock is reserved at once (refused when short, unless --allow-backorder).",
        discussion: """
          Example: erpctl order confirm --id SO-1001 --customer C-88 --rep R-1 \\
                     --line A1:40:120.00:0.05 --line B2:24:45.50
          """)
      @OptionGroup var store: StoreLocation
      @OptionGroup var record: RecordOptions
      @Option(help: "Order id.") var id: String
      @Option(help: "Customer.") var customer: String
      @Option(help: "Rep credited with the order.") var rep: String
      @Option(help: "Sales channel.") var channel: String?
      @Option(help: "Region.") var region: String?
      @Option(help: "The lead it wins.") var lead: String?
      @Option(help: "The quote it accepts.") var quote: String?
      @Option(help: "The promotion it used.") var promotion: String?
      @Option(help: "Payment terms in days (default: the store's).") var paymentTermsDays: Int?
      @Flag(help: "Reserve what is in stock and backorder the rest.") var allowBackorder = false
      @Option(help: ArgumentHelp("A line SKU:QTY:PRICE[:DISCOUNT] (repeatable).", valueName: "line"))
      var line: [String] = []

      func data() throws -> JSONObject {
        var d = DataBuilder()
        d.set("order", id); d.set("customer", customer); d.set("rep", rep); d.set("channel", channel)
        d.set("region", region); d.set("lead", lead); d.set("quote", quote); d.set("promotion", promotion)
        d.set("payment_terms_days", paymentTermsDays); d.set("allow_backorder", flag: allowBackorder)
        d.set("lines", lines: try line.map(LineArgument.orderLine))
        return d.object
      }
    }

    struct Cancel: RecordCommand {
      var eventType: String { "OrderCancelled" }
      static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Cancel the unshipped remainder of an order; its reservations are released.",
        discussion: "Example: erpctl order cancel --id SO-1001 --reason 'customer request'")
      @OptionGroup var store: StoreLocation
      @OptionGroup var record: RecordOptions
      @Option(help: "Order id.") var id: String
      @Option(help: "Why.") var reason: String

      func data() throws -> JSONObject {
        var d = DataBuilder()
        d.set("order", id); d.set("reason", reason)
        return d.object
      }
    }

    struct Ship: RecordCommand {
      var eventType: String { "Shipped" }
      static let configuration = CommandConfiguration(
        commandName: "ship",
        abstract: "Ship reserved goods; COGS is fixed and the invoice issued.",
        discussion: "Example: erpctl order ship --id SO-1001 --shipment SH-1 --line A1:40 --line B2:24 --carrier 'SF Express'")
      @OptionGroup var store: StoreLocation
      @OptionGroup var record: RecordOptions
      @Option(help: "Order id.") var id: String
      @Option(help: "Shipment id.") var shipment: String
      @Option(help: ArgumentHelp("A line SKU:QTY (repeatable).", valueName: "line")) var line: [String] = []
      @Option(help: "Carrier.") var carrier: String?
      @Option(help: "Tracking number.") var tracking: String?
      @Option(help: "Freight cost (decimal).") var freightCost: String?

      func data() throws -> JSONObject {
        var d = DataBuilder()
        d.set("order", id); d.set("shipment", shipment)
        d.set("lines", lines: try line.map(LineArgument.shipLine))
        d.set("carrier", carrier); d.set("tracking", tracking); d.set("freight_cost", freightCost)
        return d.object
      }
    }

    struct Return: RecordCommand {
      var eventType: String { "ReturnReceived" }
      static let configuration = CommandConfiguration(
        commandName: "return",
        abstract: "Take back shipped goods; they are restocked at the cost they left with and a credit note is issued.",
        discussion: "Example: erpctl order return --id SO-1001 --sku A1 --qty 2 --reason damaged")
      @OptionGroup var store: StoreLocation
      @OptionGroup var record: RecordOptions
      @Option(help: "Order id.") var id: String
      @Option(help: "SKU.") var sku: String
      @Option(help: "Quantity returned.") var qty: Int
      @Option(help: "Why.") var reason: String

      func data() throws -> JSONObject {
        var d = DataBuilder()
        d.set("order", id); d.set("sku", sku); d.set("qty", qty); d.set("reason", reason)
        return d.object
      }
    }
  }

  struct Stock: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "stock",
      abstract: "Stock: receipts and adjustments.", subcommands: [Receive.self, Adjust.self])

    struct Receive: RecordCommand {
      var eventType: String { "StockReceived" }
      static let configuration = CommandConfiguration(
        commandName: "receive",
        abstract: "Receive stock at a unit cost; backordered orders are reserved oldest first.",
        discussion: "Example: erpctl stock receive --sku A1 --qty 100 --unit-cost 70.00 --po PO-1")
      @OptionGroup var store: StoreLocation
      @OptionGroup var record: RecordOptions
      @Option(help: "SKU.") var sku: String
      @Option(help: "Quantity.") var qty: Int
      @Option(help: "Unit cost (decimal).") var unitCost: String
      @Option(help: "The purchase order it fills.") var po: String?

      func data() throws -> JSONObject {
        var d = DataBuilder()
        d.set("sku", sku); d.set("qty", qty); d.set("unit_cost", unitCost); d.set("po", po)
        return d.object
      }
    }

    struct Adjust: RecordCommand {
      var eventType: String { "StockAdjusted" }
      static let configuration = CommandConfiguration(
        commandName: "adjust",
        abstract: "Correct stock on hand (negative removes, never below what is reserved).",
        discussion: "Example: erpctl stock adjust --sku A1 --qty -2 --reason 'stocktake'")
      @OptionGroup var store: StoreLocation
      @OptionGroup var record: RecordOptions
      @Option(help: "SKU.") var sku: String
      // .unconditional: `--qty -2` is a value, not an option.
      @Option(parsing: .unconditional, help: "Quantity (negative removes).") var qty: Int
      @Option(help: "Why.") var reason: String
      @Option(help: "Unit cost of added stock (required into empty stock).") var unitCost: String?

      func data() throws -> JSONObject {
        var d = DataBuilder()
        d.set("sku", sku); d.set("qty", qty); d.set("reason", reason); d.set("unit_cost", unitCost)
        return d.object
      }
    }
  }

  struct PO: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "po", abstract: "Purchase orders.", subcommands: [Place.self])

    struct Place: RecordCommand {
      var eventType: String { "PurchaseOrderPlaced" }
      static let configuration = CommandConfiguration(
        commandName: "place",
        abstract: "Place a purchase order with a supplier.",
        discussion: "Example: erpctl po place --id PO-7 --sku A1 --qty 200 --expected 2026-12-10")
      @OptionGroup var store: StoreLocation
      @OptionGroup var record: RecordOptions
      @Option(help: "Purchase order id.") var id: String
      @Option(help: "SKU.") var sku: String
      @Option(help: "Quantity.") var qty: Int
      @Option(help: "Expected arrival date.") var expected: String?

      func data() throws -> JSONObject {
        var d = DataBuilder()
        d.set("po", id); d.set("sku", sku); d.set("qty", qty); d.set("expected", expected)
        return d.object
      }
    }
  }

  struct Payment: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "payment",
      abstract: "Payments and their matching to invoices.", subcommands: [Receive.self, Match.self])

    struct Receive: RecordCommand {
      var eventType: String { "PaymentReceived" }
      static let configuration = CommandConfiguration(
        commandName: "receive",
        abstract: "Receive a payment; it is matched to the customer's oldest open invoices, the rest kept as credit.",
        discussion: "Example: erpctl payment receive --id PAY-1 --customer C-88 --amount 3000.00 --method 'bank transfer'")
      @OptionGroup var store: StoreLocation
      @OptionGroup var record: RecordOptions
      @Option(help: "Payment id.") var id: String
      @Option(help: "Customer.") var customer: String
      @Option(help: "Amount (decimal).") var amount: String
      @Option(help: "Payment method.") var method: String?

      func data() throws -> JSONObject {
        var d = DataBuilder()
        d.set("payment", id); d.set("customer", customer); d.set("amount", amount); d.set("method", method)
        return d.object
      }
    }

    struct Match: RecordCommand {
      var eventType: String { "PaymentMatched" }
      static let configuration = CommandConfiguration(
        commandName: "match",
        abstract: "Match an unapplied payment amount to an invoice by hand.",
        discussion: "Example: erpctl payment match --payment PAY-1 --invoice INV-SH-1 --amount 500.00")
      @OptionGroup var store: StoreLocation
      @OptionGroup var record: RecordOptions
      @Option(help: "Payment id.") var payment: String
      @Option(help: "Invoice id.") var invoice: String
      @Option(help: "Amount (decimal).") var amount: String

      func data() throws -> JSONObject {
        var d = DataBuilder()
        d.set("payment", payment); d.set("invoice", invoice); d.set("amount", amount)
        return d.object
      }
    }
  }

  struct Case: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "case",
      abstract: "After-sales service cases.", subcommands: [Open.self, Close.self])

    struct Open: RecordCommand {
      var eventType: String { "ServiceCaseOpened" }
      static let configuration = CommandConfiguration(
        commandName: "open",
        abstract: "Open a service case.",
        discussion: "Example: erpctl case open --id CS-1 --customer C-88 --order SO-1001 --kind complaint --text 'late delivery'")
      @OptionGroup var store: StoreLocation
      @OptionGroup var record: RecordOptions
      @Option(help: "Case id.") var id: String
      @Option(help: "Customer.") var customer: String
      @Option(help: "complaint, repair, inquiry or feedback.") var kind: String
      @Option(help: "The order concerned.") var order: String?
      @Option(help: "Description.") var text: String?

      func data() throws -> JSONObject {
        var d = DataBuilder()
        d.set("case", id); d.set("customer", customer); d.set("kind", kind); d.set("order", order)
        d.set("text", text)
        return d.object
      }
    }

    struct Close: RecordCommand {
      var eventType: String { "ServiceCaseClosed" }
      static let configuration = CommandConfiguration(
        commandName: "close",
        abstract: "Close a service case.",
        discussion: "Example: erpctl case close --id CS-1 --resolution refunded --satisfaction 4")
      @OptionGroup var store: StoreLocation
      @OptionGroup var record: RecordOptions
      @Option(help: "Case id.") var id: String
      @Option(help: "How it was resolved.") var resolution: String?
      @Option(help: "Customer satisfaction 1-5.") var satisfaction: Int?

      func data() throws -> JSONObject {
        var d = DataBuilder()
        d.set("case", id); d.set("resolution", resolution); d.set("satisfaction", satisfaction)
        return d.object
      }
    }
  }
}
