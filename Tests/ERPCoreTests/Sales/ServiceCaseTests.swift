import ERPCore
import Testing

@Suite("Service cases")
struct ServiceCaseTests {
  func base() throws -> Scenario {
    try Scenario().given(F.customer(), F.rep(), F.product(), F.receive(10, cost: "4.00"))
  }

  @Test func aCaseOpensForAKnownCustomerAndOptionallyAnOrder() throws {
    let s = try base()
    #expect(try s.when(F.openCase("CS-1")) == [F.openCase("CS-1")])
    try s.deciding(F.order(F.line(1, "10.00")))
    #expect(try s.when(F.openCase("CS-2", order: "SO-1")) == [F.openCase("CS-2", order: "SO-1")])
    #expect(try s.state.get(ServiceCaseState.self, "CS-2")?.closed == false)
  }

  @Test func aCaseNeedsAKnownCustomer() throws {
    let e = try base().refusal(F.openCase("CS-1", customer: "C-9"))
    #expect(e == .unknown("customer", id: "C-9"))
  }

  @Test func aCaseNamingAnOrderNeedsItToExist() throws {
    let s = try base()
    #expect(s.refusal(F.openCase("CS-1", order: "SO-9")) == .unknown("order", id: "SO-9"))
    #expect(try s.state.get(ServiceCaseState.self, "CS-1") == nil)
  }

  @Test func aCaseIdIsUnique() throws {
    let s = try base()
    try s.deciding(F.openCase("CS-1"))
    let e = s.refusal(F.openCase("CS-1"))
    #expect(e == .duplicate("service case", id: "CS-1"))
    #expect(e?.description == "service case 'CS-1' already exists")
  }

  @Test func aCaseClosesOnce() throws {
    let s = try base()
    try s.deciding(F.openCase("CS-1"))
    #expect(try s.when(F.closeCase("CS-1")) == [F.closeCase("CS-1")])
    #expect(try s.state.get(ServiceCaseState.self, "CS-1")?.closed == true)
    let e = s.refusal(F.closeCase("CS-1"))
    #expect(e == .caseClosed("CS-1"))
    #expect(e?.description == "service case 'CS-1' is already closed")
  }

  @Test func closingAnUnknownCaseIsRefused() throws {
    let e = try base().refusal(F.closeCase("CS-9"))
    #expect(e == .unknown("service case", id: "CS-9"))
    #expect(e?.description == "unknown service case 'CS-9'")
  }
}
