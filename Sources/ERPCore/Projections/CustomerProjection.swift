/// The customer projection (issue 6): folds the events `report customers` reads — master data,
/// campaign costs, orders with their cancellations, and the revenue and cost that invoices,
/// credit notes, shipments and returns attribute to a customer. A pure fold; `--as-of` folds
/// only the events up to that date, so every figure is as the log stood then.
public final class CustomerProjection: EventProjector {
  public static let foldedTypes: Set<String> = [
    "CustomerRegistered", "CampaignCostRecorded", "OrderConfirmed", "OrderCancelled", "Shipped",
    "ReturnReceived", "InvoiceIssued", "CreditNoteIssued",
  ]

  /// A customer's master data as last registered.
  public struct Customer: Sendable, Equatable {
    public var region, channel, tier: String
    public var registered: CivilDate
    public var acquisitionCost: Int64?
  }

  /// One event's contribution to a customer's revenue or COGS (minor units).
  public struct MoneyEntry: Sendable, Equatable {
    public var seq: UInt64
    public var day: CivilDate
    public var customer: String
    public var revenue: Int64
    public var cogs: Int64
  }

  public struct CampaignCost: Sendable, Equatable {
    public var seq: UInt64
    public var channel, period: String
    public var amount: Int64
  }

  public private(set) var customers: [String: Customer] = [:]
  public private(set) var book = OrderBook()
  public private(set) var entries: [MoneyEntry] = []
  public private(set) var campaignCosts: [CampaignCost] = []
  /// The seq of each invoice's InvoiceIssued (the events behind an overdue alert).
  public private(set) var invoiceSeqs: [String: UInt64] = [:]

  public init() {}

  public func apply(seq: UInt64, day: CivilDate, _ event: SalesEvent) {
    switch event {
    case .customerRegistered(let e):
      let registered = customers[e.customer]?.registered ?? day
      customers[e.customer] = Customer(
        region: e.region, channel: e.channel, tier: e.tier ?? "", registered: registered,
        acquisitionCost: e.acquisitionCost?.minorUnits)
    case .campaignCostRecorded(let e):
      campaignCosts.append(CampaignCost(seq: seq, channel: e.channel, period: e.period, amount: e.amount.minorUnits))
    case .orderConfirmed(let e):
      book.confirm(e, seq: seq, day: day)
    case .orderCancelled(let e):
      book.cancel(e.order)
    case .shipped(let e):
      book.ship(e)
      guard let o = book[e.order] else { return }
      let cogs = e.lines.reduce(Int64(0)) { $0 + ($1.cogs?.minorUnits ?? 0) }
      entries.append(MoneyEntry(seq: seq, day: day, customer: o.customer, revenue: 0, cogs: cogs))
    case .returnReceived(let e):
      guard let o = book[e.order] else { return }
      entries.append(MoneyEntry(seq: seq, day: day, customer: o.customer, revenue: 0, cogs: -(e.cogs?.minorUnits ?? 0)))
    case .invoiceIssued(let e):
      invoiceSeqs[e.invoice] = seq
      entries.append(MoneyEntry(seq: seq, day: day, customer: e.customer, revenue: e.amount.minorUnits, cogs: 0))
    case .creditNoteIssued(let e):
      entries.append(MoneyEntry(seq: seq, day: day, customer: e.customer, revenue: -e.amount.minorUnits, cogs: 0))
    default: break
    }
  }
}

/// The funnel projection (issue 6): leads with every stage transition and its day, activities,
/// and the orders that name a lead (for won revenue). A pure fold.
public final class FunnelProjection: EventProjector {
  public static let foldedTypes: Set<String> = [
    "LeadCreated", "LeadStageChanged", "ActivityLogged", "OrderConfirmed", "OrderCancelled", "Shipped",
  ]

  public struct Lead: Sendable, Equatable {
    public var id: String
    public var seq: UInt64
    public var created: CivilDate
    public var source, rep, region: String
    /// Every stage entered, in order, with its day; the first is `new` at creation.
    public var transitions: [Transition]
    public var lostReason: String?

    /// The furthest open stage reached (a lead that reached a later stage reached the earlier
    /// ones); `won` when won. Lost leads keep the stage they were lost from.
    public var furthest: LeadStage {
      transitions.filter { $0.stage != .lost }.max { $0.stage.rank < $1.stage.rank }?.stage ?? .new
    }
    public var won: Transition? { transitions.first { $0.stage == .won } }
    public var lost: Transition? { transitions.first { $0.stage == .lost } }

  }

  /// A stage a lead entered, when, and the event that says so.
  public struct Transition: Sendable, Equatable {
    public var stage: LeadStage
    public var day: CivilDate
    public var seq: UInt64
  }

  public struct Activity: Sendable, Equatable {
    public var seq: UInt64
    public var day: CivilDate
    public var rep, kind: String
    public var lead: String?
  }

  public private(set) var leads: [String: Lead] = [:]
  /// Lead ids in creation order.
  public private(set) var leadOrder: [String] = []
  public private(set) var activities: [Activity] = []
  public private(set) var book = OrderBook()

  public init() {}

  public func apply(seq: UInt64, day: CivilDate, _ event: SalesEvent) {
    switch event {
    case .leadCreated(let e):
      guard leads[e.lead] == nil else { return }
      leads[e.lead] = Lead(
        id: e.lead, seq: seq, created: day, source: e.source, rep: e.rep, region: e.region ?? "",
        transitions: [Transition(stage: .new, day: day, seq: seq)])
      leadOrder.append(e.lead)
    case .leadStageChanged(let e):
      guard var l = leads[e.lead] else { return }
      l.transitions.append(Transition(stage: e.stage, day: day, seq: seq))
      if e.stage == .lost { l.lostReason = e.reason ?? "" }
      leads[e.lead] = l
    case .activityLogged(let e):
      activities.append(Activity(seq: seq, day: day, rep: e.rep, kind: e.kind, lead: e.lead))
    case .orderConfirmed(let e):
      if e.lead != nil { book.confirm(e, seq: seq, day: day) }
    case .orderCancelled(let e):
      book.cancel(e.order)
    case .shipped(let e):
      book.ship(e)
    default: break
    }
  }
}
