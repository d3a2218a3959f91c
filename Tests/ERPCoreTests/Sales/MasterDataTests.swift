import ERPCore
import Testing

@Suite("Master data: upserts and reference checks")
struct MasterDataTests {
  @Test func masterDataIsAcceptedAsIs() throws {
    let s = Scenario()
    #expect(try s.when(F.customer()) == [F.customer()])
    #expect(try s.when(F.rep()) == [F.rep()])
    #expect(try s.when(F.product()) == [F.product()])
    let cost = SalesEvent.campaignCostRecorded(
      CampaignCostRecorded(channel: "web", period: "2026-11", amount: F.m("120.00")))
    #expect(try s.when(cost) == [cost])
  }

  @Test func reRegisteringACustomerChangesItAndKeepsItsOpenInvoices() throws {
    let s = try Scenario().given(F.customer("C-1", region: "east"), F.rep(), F.product(), F.receive(10, cost: "4.00"))
    try s.deciding(F.order(F.line(2, "10.00")), F.ship(("A1", 2)))
    #expect(try s.customer("C-1")?.openInvoices == ["INV-SH-1"])

    let again = F.customer("C-1", region: "west")
    #expect(try s.when(again) == [again])  // an upsert, not a duplicate
    let c = try #require(try s.customer("C-1"))
    #expect(c.region == "west")
    #expect(c.openInvoices == ["INV-SH-1"])
    // The open invoice still takes the customer's next payment: 2 × 10.00 = 20.00.
    #expect(try s.when(F.pay("P-1", "20.00")) == [F.pay("P-1", "20.00"), F.matched("P-1", "INV-SH-1", "20.00")])
  }

  @Test func reRegisteringACustomerKeepsCreditAndNoteCredit() throws {
    let s = try Scenario().given(F.customer(), F.rep(), F.product(), F.receive(10, cost: "4.00"))
    // Invoice 2 × 10.00 = 20.00, paid in full by P-1 (25.00, leaving 5.00 unapplied); returning 1
    // credits 1 × 10.00 = 10.00 against the paid invoice, so all 10.00 becomes note credit.
    try s.deciding(F.order(F.line(2, "10.00")), F.ship(("A1", 2)), F.pay("P-1", "25.00"), F.returned("SO-1", "A1", 1))
    #expect(try s.customer("C-1")?.unappliedPayments == ["P-1"])
    #expect(try s.customer("C-1")?.noteCredit == F.m("10.00"))
    try s.deciding(F.customer("C-1", region: "north"))
    let c = try #require(try s.customer("C-1"))
    #expect(c.region == "north")
    #expect(c.unappliedPayments == ["P-1"])
    #expect(c.noteCredit == F.m("10.00"))
  }

  @Test func redefiningAProductChangesListPriceAndCostButNotItsStock() throws {
    let s = try Scenario().given(F.product("A1", price: "10.00"), F.receive(7, cost: "4.00"))
    let again = SalesEvent.productDefined(
      ProductDefined(sku: "A1", name: "A1 v2", line: "gadgets", listPrice: F.m("12.50"), unitCost: F.m("5.00")))
    #expect(try s.when(again) == [again])
    let p = try #require(try s.state.get(ProductState.self, "A1"))
    #expect(p == ProductState(line: "gadgets", listPrice: F.m("12.50"), unitCost: F.m("5.00")))
    // 7 @ 4.00 = 28.00 still on hand.
    #expect(try s.stock("A1").onHand == 7)
    #expect(try s.stock("A1").value == F.m("28.00"))
  }

  @Test func reRegisteringARepChangesItsTeamAndRegion() throws {
    let s = try Scenario().given(F.rep("R-1"))
    try s.deciding(.repRegistered(RepRegistered(rep: "R-1", name: "Rep", team: "t2", region: "south")))
    #expect(try s.state.get(RepState.self, "R-1") == RepState(team: "t2", region: "south"))
  }

  // MARK: references must exist

  func base() throws -> Scenario {
    try Scenario().given(F.customer(), F.rep(), F.product(), F.receive(10, cost: "4.00"))
  }

  @Test func anOrderNeedsAKnownCustomer() throws {
    let s = try base()
    let e = s.refusal(F.order("SO-1", customer: "C-9", F.line(1, "10.00")))
    #expect(e == .unknown("customer", id: "C-9"))
    #expect(e?.description == "unknown customer 'C-9'")
    #expect(try s.order("SO-1") == nil)  // nothing was stored
  }

  @Test func anOrderNeedsAKnownRep() throws {
    #expect(try base().refusal(F.order("SO-1", rep: "R-9", F.line(1, "10.00"))) == .unknown("rep", id: "R-9"))
  }

  @Test func anOrderNeedsKnownProducts() throws {
    let s = try base()
    let e = s.refusal(F.order("SO-1", F.line(1, "10.00"), F.line(1, "3.00", sku: "Z9")))
    #expect(e == .unknown("product", id: "Z9"))
    #expect(e?.description == "unknown product 'Z9'")
    #expect(try s.stock("A1").reserved == 0)
  }

  @Test func anOrderNamingAQuoteNeedsItToExist() throws {
    let s = try base()
    #expect(s.refusal(F.order("SO-1", quote: "Q-9", F.line(1, "10.00"))) == .unknown("quote", id: "Q-9"))
    try s.deciding(F.quote("Q-1", F.line(1, "10.00")))
    #expect(try s.when(F.order("SO-1", quote: "Q-1", F.line(1, "10.00"))).count == 2)
  }

  @Test func aQuoteNeedsCustomerLeadAndProducts() throws {
    let s = try base()
    #expect(s.refusal(F.quote("Q-1", customer: "C-9", F.line(1, "10.00"))) == .unknown("customer", id: "C-9"))
    #expect(s.refusal(F.quote("Q-1", lead: "L-9", F.line(1, "10.00"))) == .unknown("lead", id: "L-9"))
    #expect(s.refusal(F.quote("Q-1", F.line(1, "10.00", sku: "Z9"))) == .unknown("product", id: "Z9"))
    let q = F.quote("Q-1", F.line(1, "10.00"))
    #expect(try s.when(q) == [q])  // a quote reserves nothing
    #expect(try s.stock("A1").reserved == 0)
  }

  @Test func aQuoteIdIsUnique() throws {
    let s = try base()
    try s.deciding(F.quote("Q-1", F.line(1, "10.00")))
    let e = s.refusal(F.quote("Q-1", F.line(2, "10.00")))
    #expect(e == .duplicate("quote", id: "Q-1"))
    #expect(e?.description == "quote 'Q-1' already exists")
  }

  @Test func anOrderIdIsUnique() throws {
    let s = try base()
    try s.deciding(F.order("SO-1", F.line(1, "10.00")))
    #expect(s.refusal(F.order("SO-1", F.line(1, "10.00"))) == .duplicate("order", id: "SO-1"))
    // The refused duplicate reserved nothing more: 1 reserved.
    #expect(try s.stock("A1").reserved == 1)
  }

  @Test func stockEventsNeedAKnownProduct() throws {
    let s = try base()
    #expect(s.refusal(F.receive(1, sku: "Z9", cost: "1.00")) == .unknown("product", id: "Z9"))
    #expect(s.refusal(F.adjust(1, sku: "Z9", cost: "1.00")) == .unknown("product", id: "Z9"))
    #expect(s.refusal(F.po("PO-1", sku: "Z9")) == .unknown("product", id: "Z9"))
  }

  @Test func anOrderCostNeedsAKnownOrder() throws {
    let s = try base()
    let cost = SalesEvent.orderCostRecorded(OrderCostRecorded(order: "SO-9", kind: "freight", amount: F.m("9.00")))
    #expect(s.refusal(cost) == .unknown("order", id: "SO-9"))
    try s.deciding(F.order("SO-1", F.line(1, "10.00")))
    let ok = SalesEvent.orderCostRecorded(OrderCostRecorded(order: "SO-1", kind: "freight", amount: F.m("9.00")))
    #expect(try s.when(ok) == [ok])
  }

  @Test func anActivityNeedsKnownRepLeadAndCustomer() throws {
    let s = try base()
    #expect(s.refusal(F.activity(rep: "R-9")) == .unknown("rep", id: "R-9"))
    #expect(s.refusal(F.activity(lead: "L-9")) == .unknown("lead", id: "L-9"))
    #expect(s.refusal(F.activity(customer: "C-9")) == .unknown("customer", id: "C-9"))
    try s.deciding(F.lead("L-1"))
    let ok = F.activity(lead: "L-1", customer: "C-1")
    #expect(try s.when(ok) == [ok])
  }
}
