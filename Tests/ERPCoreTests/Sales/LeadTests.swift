import ERPCore
import Testing

@Suite("Leads: creation, forward-only stages, won by an order")
struct LeadTests {
  func base() throws -> Scenario {
    try Scenario().given(F.customer(), F.rep(), F.product(), F.receive(10, cost: "4.00"))
  }

  @Test func aLeadStartsNew() throws {
    let s = try base()
    #expect(try s.when(F.lead("L-1")) == [F.lead("L-1")])
    #expect(try s.lead("L-1") == LeadState(stage: .new))
  }

  @Test func aLeadIdIsUnique() throws {
    let s = try base()
    try s.deciding(F.lead("L-1"))
    let e = s.refusal(F.lead("L-1"))
    #expect(e == .duplicate("lead", id: "L-1"))
    #expect(e?.description == "lead 'L-1' already exists")
  }

  @Test func aLeadNeedsAKnownRepAndCustomer() throws {
    let s = try base()
    #expect(s.refusal(F.lead("L-1", rep: "R-9")) == .unknown("rep", id: "R-9"))
    #expect(s.refusal(F.lead("L-1", customer: "C-9")) == .unknown("customer", id: "C-9"))
    #expect(try s.lead("L-1") == nil)
    #expect(try s.when(F.lead("L-1", customer: "C-1")).count == 1)
  }

  @Test func aStageChangeNeedsAKnownLead() throws {
    #expect(try base().refusal(F.stage("L-9", .contacted)) == .unknown("lead", id: "L-9"))
  }

  @Test func stagesMoveForwardOneAtATime() throws {
    let s = try base()
    try s.deciding(F.lead())
    for stage in [LeadStage.contacted, .qualified, .quoted, .negotiating, .won] {
      #expect(try s.when(F.stage("L-1", stage)) == [F.stage("L-1", stage)])
      #expect(try s.lead("L-1")?.stage == stage)
    }
  }

  @Test func stagesMaySkipForward() throws {
    let s = try base()
    try s.deciding(F.lead())
    #expect(try s.when(F.stage("L-1", .quoted)).count == 1)  // new → quoted skips two
    #expect(try s.when(F.stage("L-1", .won)).count == 1)  // quoted → won skips negotiating
    #expect(try s.lead("L-1")?.stage == .won)
  }

  @Test func stagesNeverMoveBackwards() throws {
    let s = try base()
    try s.deciding(F.lead(), F.stage("L-1", .quoted))
    let e = s.refusal(F.stage("L-1", .contacted))
    #expect(e == .stageBackwards(lead: "L-1", from: .quoted, to: .contacted))
    #expect(e?.description == "lead 'L-1' cannot move from quoted to contacted (stages only move forward)")
    #expect(s.refusal(F.stage("L-1", .new)) == .stageBackwards(lead: "L-1", from: .quoted, to: .new))
    #expect(try s.lead("L-1")?.stage == .quoted)
  }

  @Test func theSameStageAgainIsRefused() throws {
    let s = try base()
    try s.deciding(F.lead())
    #expect(s.refusal(F.stage("L-1", .new)) == .stageBackwards(lead: "L-1", from: .new, to: .new))
    try s.deciding(F.stage("L-1", .negotiating))
    #expect(s.refusal(F.stage("L-1", .negotiating)) == .stageBackwards(lead: "L-1", from: .negotiating, to: .negotiating))
  }

  @Test(arguments: [LeadStage.new, .contacted, .qualified, .quoted, .negotiating])
  func lostFromAnyOpenStageWithAReason(from stage: LeadStage) throws {
    let s = try base()
    try s.deciding(F.lead())
    if stage != .new { try s.deciding(F.stage("L-1", stage)) }
    let lost = F.stage("L-1", .lost, reason: "price")
    #expect(try s.when(lost) == [lost])
    #expect(try s.lead("L-1")?.stage == .lost)
  }

  @Test func losingNeedsAReason() throws {
    let s = try base()
    try s.deciding(F.lead(), F.stage("L-1", .qualified))
    let e = s.refusal(F.stage("L-1", .lost))
    #expect(e == .reasonRequired(lead: "L-1"))
    #expect(e?.description == "losing lead 'L-1' needs a reason")
    #expect(s.refusal(F.stage("L-1", .lost, reason: "")) == .reasonRequired(lead: "L-1"))
    #expect(try s.lead("L-1")?.stage == .qualified)
  }

  @Test func nothingHappensToAWonLead() throws {
    let s = try base()
    try s.deciding(F.lead(), F.stage("L-1", .won))
    let e = s.refusal(F.stage("L-1", .lost, reason: "changed mind"))
    #expect(e == .leadClosed(lead: "L-1", stage: .won))
    #expect(e?.description == "lead 'L-1' is already won")
    #expect(s.refusal(F.stage("L-1", .won)) == .leadClosed(lead: "L-1", stage: .won))
    #expect(s.refusal(F.stage("L-1", .negotiating)) == .leadClosed(lead: "L-1", stage: .won))
  }

  @Test func nothingHappensToALostLead() throws {
    let s = try base()
    try s.deciding(F.lead(), F.stage("L-1", .lost, reason: "budget"))
    #expect(s.refusal(F.stage("L-1", .won)) == .leadClosed(lead: "L-1", stage: .lost))
    #expect(s.refusal(F.stage("L-1", .lost, reason: "again")) == .leadClosed(lead: "L-1", stage: .lost))
    #expect(s.refusal(F.stage("L-1", .contacted)) == .leadClosed(lead: "L-1", stage: .lost))
  }

  @Test func anOrderNamingALeadWinsItAndLinksIt() throws {
    let s = try base()
    try s.deciding(F.lead(), F.stage("L-1", .negotiating))
    let order = F.order("SO-1", lead: "L-1", F.line(2, "10.00"))
    // Primary first, then the reservation, then the derived stage change.
    #expect(try s.when(order) == [order, F.reserved("SO-1", "A1", 2), F.stage("L-1", .won)])
    #expect(try s.lead("L-1") == LeadState(stage: .won, order: "SO-1"))
  }

  @Test func anOrderNamingAWonLeadDerivesNoStageChange() throws {
    let s = try base()
    try s.deciding(F.lead(), F.stage("L-1", .won))
    let order = F.order("SO-1", lead: "L-1", F.line(1, "10.00"))
    #expect(try s.when(order) == [order, F.reserved("SO-1", "A1", 1)])
    #expect(try s.lead("L-1") == LeadState(stage: .won, order: "SO-1"))
    // A second order on the same lead keeps the first link.
    let second = F.order("SO-2", lead: "L-1", F.line(1, "10.00"))
    #expect(try s.when(second) == [second, F.reserved("SO-2", "A1", 1)])
    #expect(try s.lead("L-1")?.order == "SO-1")
  }

  @Test func anOrderNamingALostLeadIsRefused() throws {
    let s = try base()
    try s.deciding(F.lead(), F.stage("L-1", .lost, reason: "budget"))
    #expect(s.refusal(F.order("SO-1", lead: "L-1", F.line(1, "10.00"))) == .leadClosed(lead: "L-1", stage: .lost))
    #expect(try s.order("SO-1") == nil)
    #expect(try s.stock("A1").reserved == 0)
    #expect(try s.lead("L-1") == LeadState(stage: .lost))
  }

  @Test func anOrderNamingAnUnknownLeadIsRefused() throws {
    #expect(try base().refusal(F.order("SO-1", lead: "L-9", F.line(1, "10.00"))) == .unknown("lead", id: "L-9"))
  }
}
