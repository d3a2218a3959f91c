/// The compact per-entity state of the simulation (the business rules' own state lives in the
/// gate's `SalesState`; these hold only what the simulated people intend and remember).

/// A customer account slot: registered at the start (the existing customer base) or when a
/// prospect's lead reaches the quote. Its latent parameters make the value heavy-tailed.
struct CustomerModel {
  var region: UInt8
  var channel: UInt8
  var tier: UInt8 = 2
  var payStyle: PayStyle
  var favoriteLine: UInt8
  var acceptsBackorder: Bool
  var rep: Int32 = 0
  var registeredDay: Int32 = -1
  /// The day it stops ordering (goes dormant).
  var quietFrom: Int32 = .max
  /// Payment terms in days; 0 = the store default.
  var termsDays: Int16
  /// Contract price in per mille of list (tier A customers buy below list).
  var pricePerMille: Int16 = 1000
  /// Expected orders per month at the base season, and order size relative to a typical one.
  var ordersPerMonth: Double
  var size: Double

  var isRegistered: Bool { registeredDay >= 0 }
}

/// How a customer pays its invoices.
enum PayStyle: UInt8 {
  /// Around the due date.
  case prompt
  /// Weeks after the due date.
  case late
  /// In two instalments.
  case instalments
  /// Very late, and some invoices never.
  case poor
}

struct ProductModel {
  var line: UInt8
  var listPrice: Int64
  /// The current purchase cost (minor units), drifting a little month by month.
  var cost: Int64
  var leadTime: Int
  var pack: Int64
  /// Units a typical customer orders on one line.
  var typicalQty: Double
  /// Deseasonalised demand forecast, units per day (exponentially smoothed, monthly).
  var dailyDemand: Double
  /// Units ordered this month, and on purchase orders not yet received.
  var monthQty: Int64 = 0
  var onOrder: Int64 = 0
}

struct RepModel {
  var region: UInt8
  var team: Int32
  /// Skill: a multiplier on the chance to move a lead on, on deal size, on activity.
  var winFactor: Double
  var sizeFactor: Double
  var activity: Double
}

/// An open or closed lead of the funnel.
struct LeadModel {
  var rep: Int32
  var source: UInt8
  var region: UInt8
  /// The customer slot: an existing customer, or the prospect's future account.
  var customer: Int32
  var prospect: Bool
  var stage: LeadStage = .new
  var quote: Int32 = -1
  /// The quoted lines (kept only while the lead is open).
  var lines: [PlannedLine] = []
}

/// An order or quote line as the simulation plans it (the SKU by index).
struct PlannedLine {
  var sku: Int32
  var qty: Int64
  /// Unit price in minor units.
  var price: Int64
  var discount: Rate?
  /// Discounted by the promotion running when it was ordered.
  var promoted = false
}

/// What the simulation remembers of an order (the rules' state has the lines).
struct OrderModel {
  var customer: Int32
  var day: Int32
  var shipments: Int16 = 0
  /// Scheduled returns, service cases and costs that will name the order.
  var pending: Int16 = 0
}

struct PurchaseOrderModel {
  var sku: Int32
  /// Deliveries still expected.
  var parts: Int8 = 1
}

/// A promotion: a discount on some product lines during some days, for some channels.
struct Promotion {
  var id: String
  var first: Int
  var last: Int
  var lines: [UInt8]
  var discount: Rate
  /// Extra demand while it runs.
  var uplift: Double
}

/// Something scheduled for a day. Actions of a day run phase by phase (receipts first, then the
/// funnel, orders, cancellations, shipments, after-sales, payments, housekeeping), which is also
/// the order of their business times.
enum Action {
  case receive(po: Int32, qty: Int64)
  case leadStep(Int32)
  case customerOrder(Int32)
  case cancel(Int32)
  case ship(Int32)
  case returnGoods(Int32)
  case openCase(Int32)
  case closeCase(Int32, kind: UInt8)
  case recordCost(Int32)
  case pay(customer: Int32, amount: Int64)
  case accountActivity(Int32)
  case stocktake(Int32)

  var phase: Int {
    switch self {
    case .receive: 0
    case .leadStep: 1
    case .customerOrder: 2
    case .cancel: 3
    case .ship: 4
    case .returnGoods, .openCase, .closeCase, .recordCost: 5
    case .pay: 6
    case .accountActivity, .stocktake: 7
    }
  }
  static let phases = 8
}
