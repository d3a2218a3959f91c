/// After-sales service cases.
/// Its `decide` takes the primary events it owns; its `evolve` folds what changes its records.
public enum ServiceCaseDecider: SalesAggregate {
  public static func decide(_ event: borrowing SalesEvent, _ ctx: DecideContext, _ s: SalesState) throws -> [SalesEvent]? {
    switch event {
    case .serviceCaseOpened(let e):
      guard try !s.exists(ServiceCaseState.self, e.caseID) else {
        throw DomainError.duplicate("service case", id: e.caseID)
      }
      try s.requireExists(CustomerState.self, e.customer, "customer")
      if let o = e.order { try s.requireExists(OrderState.self, o, "order") }
      return [copy event]

    case .serviceCaseClosed(let e):
      let c = try s.require(ServiceCaseState.self, e.caseID, "service case")
      if c.closed { throw DomainError.caseClosed(e.caseID) }
      return [copy event]

    default: return nil
    }
  }

  public static func evolve(_ s: SalesState, _ event: SalesEvent, defaultTermsDays: Int64) throws {
    switch event {
    case .serviceCaseOpened(let e):
      s.put(e.caseID, ServiceCaseState(customer: e.customer))

    case .serviceCaseClosed(let e):
      try s.update(ServiceCaseState.self, e.caseID) { $0.closed = true }

    default: break
    }
  }
}
