/// The funnel: leads and their stages, activities and quotes; a lead is linked to the order that wins it.
/// Its `decide` takes the primary events it owns; its `evolve` folds what changes its records.
public enum LeadDecider: SalesAggregate {
  public static func decide(_ event: borrowing SalesEvent, _ ctx: DecideContext, _ s: SalesState) throws -> [SalesEvent]? {
    switch event {
    case .leadCreated(let e):
      guard try !s.exists(LeadState.self, e.lead) else { throw DomainError.duplicate("lead", id: e.lead) }
      try s.requireExists(RepState.self, e.rep, "rep")
      if let c = e.customer { try s.requireExists(CustomerState.self, c, "customer") }
      return [copy event]

    case .leadStageChanged(let e):
      let lead = try s.require(LeadState.self, e.lead, "lead")
      if lead.stage.isClosed { throw DomainError.leadClosed(lead: e.lead, stage: lead.stage) }
      if e.stage == .lost {
        guard let r = e.reason, !r.isEmpty else { throw DomainError.reasonRequired(lead: e.lead) }
      } else if e.stage <= lead.stage {
        throw DomainError.stageBackwards(lead: e.lead, from: lead.stage, to: e.stage)
      }
      return [copy event]

    case .activityLogged(let e):
      try s.requireExists(RepState.self, e.rep, "rep")
      if let l = e.lead { try s.requireExists(LeadState.self, l, "lead") }
      if let c = e.customer { try s.requireExists(CustomerState.self, c, "customer") }
      return [copy event]

    case .quoteIssued(let e):
      guard try !s.exists(QuoteState.self, e.quote) else { throw DomainError.duplicate("quote", id: e.quote) }
      try s.requireExists(CustomerState.self, e.customer, "customer")
      if let l = e.lead { try s.requireExists(LeadState.self, l, "lead") }
      try SalesDecider.checkLines(e.lines, s)
      return [copy event]

    default: return nil
    }
  }

  public static func evolve(_ s: SalesState, _ event: SalesEvent, defaultTermsDays: Int64) throws {
    switch event {
    case .leadCreated(let e):
      s.put(e.lead, LeadState(stage: .new))

    case .leadStageChanged(let e):
      try s.update(LeadState.self, e.lead) { $0.stage = e.stage }

    case .quoteIssued(let e):
      s.put(e.quote, QuoteState(owner: e.customer))

    case .orderConfirmed(let e):
      if let l = e.lead { try s.update(LeadState.self, l) { if $0.order == nil { $0.order = e.order } } }

    default: break
    }
  }
}
