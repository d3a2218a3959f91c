/// The funnel: leads from prospects (who become customers when quoted) and from existing
/// accounts, moved stage by stage by their reps with activities; better reps and more
/// activities move more of them on; the rest are lost with a reason.
extension Simulation {
  /// Chance to move on from each open stage (new … negotiating), before rep skill, source
  /// quality and activity; activities logged per step; days to the next step.
  static let advance: [LeadStage: Double] = [
    .new: 0.82, .contacted: 0.62, .qualified: 0.78, .quoted: 0.72, .negotiating: 0.68,
  ]
  static let activityMean: [LeadStage: Double] = [
    .new: 0.9, .contacted: 1.2, .qualified: 1.4, .quoted: 0.9, .negotiating: 1.5,
  ]
  static let stepDays: [LeadStage: ClosedRange<Int>] = [
    .new: 1...3, .contacted: 2...9, .qualified: 3...12, .quoted: 3...14, .negotiating: 3...18,
  ]
  /// Activity kinds by stage: calls and emails early, visits and meetings later.
  static let activityWeights: [LeadStage: [Double]] = [
    .new: [0.55, 0.05, 0.35, 0.05], .contacted: [0.45, 0.15, 0.30, 0.10],
    .qualified: [0.25, 0.35, 0.15, 0.25], .quoted: [0.30, 0.20, 0.30, 0.20],
    .negotiating: [0.20, 0.30, 0.10, 0.40],
  ]
  /// Of all prospects' leads, about this many get to the quote (and so become customers).
  static let prospectQuoteRate = 0.40

  /// Today's new leads: prospects paced so the customer slots fill over the history (growing
  /// with the business), and leads from existing accounts for new projects.
  func createLeads() {
    let weekday = SimCalendar.weekday(date)
    let working = weekday < 5 ? 1.0 : (weekday == 5 ? 0.25 : 0.1)
    let toRegister = options.customers - registered.count
    if toRegister > 0 && !freeSlots.isEmpty {
      let daysLeft = Double(max(days - today, 45))
      let mean = Double(toRegister) / Self.prospectQuoteRate / daysLeft * working * 1.2 * season(date)
      for _ in 0..<rng.poisson(mean) {
        guard let slot = freeSlots.popLast() else { break }
        newProspectLead(slot: Int(slot))
      }
    }
    let accounts = Double(registered.count) * 0.012 / 30 * working * 1.2
    for _ in 0..<rng.poisson(accounts) {
      let c = registered[rng.below(registered.count)]
      if customers[Int(c)].quietFrom > today { newAccountLead(customer: Int(c)) }
    }
  }

  private func newProspectLead(slot: Int) {
    let source = rng.weighted(Vocabulary.sourceMix)
    let region = rng.weighted([0.30, 0.25, 0.20, 0.13, 0.12])
    // The prospect's future account takes the region and the channel of the lead.
    customers[slot].region = UInt8(region)
    customers[slot].channel = UInt8(Vocabulary.sourceChannel[source])
    let rep = rng.pick(repsByRegion[region])
    let lead = LeadModel(rep: rep, source: UInt8(source), region: UInt8(region), customer: Int32(slot), prospect: true)
    openLead(lead, company: companyName(slot))
  }

  private func newAccountLead(customer c: Int) {
    let cm = customers[c]
    let lead = LeadModel(
      rep: cm.rep, source: UInt8(Vocabulary.sources.count), region: cm.region, customer: Int32(c), prospect: false)
    openLead(lead, company: nil)
  }

  private func openLead(_ lead: LeadModel, company: String?) {
    let l = leads.count
    let value = projectValue(customer: Int(lead.customer), rep: Int(lead.rep)) * rng.lognormal(median: 1, sigma: 0.35)
    let source =
      Int(lead.source) < Vocabulary.sources.count ? Vocabulary.sources[Int(lead.source)] : Vocabulary.accountSource
    let created = gate.submit(.leadCreated(LeadCreated(
      lead: leadID(l), source: source, rep: repIDs[Int(lead.rep)], region: Vocabulary.regions[Int(lead.region)],
      customer: lead.prospect ? nil : customerIDs[Int(lead.customer)], company: company,
      estimatedValue: Money(minorUnits: Self.minor(yuan: (value / 100).rounded() * 100)))))
    guard created != nil else {
      if lead.prospect { freeSlots.append(lead.customer) }
      return
    }
    leads.append(lead)
    plan(.leadStep(Int32(l)), after: rng.int(Self.stepDays[.new] ?? 1...3), businessDay: true)
  }

  /// Yuan of a project order for a customer: a few typical orders, scaled by the rep's reach.
  func projectValue(customer c: Int, rep r: Int) -> Double {
    typicalOrderValue * 2.2 * DeterministicMath.pow(customers[c].size, 0.75) * reps[r].sizeFactor
  }

  /// One step of an open lead: the rep's activities, then it moves on or is lost.
  func leadStep(_ l: Int) {
    let lead = leads[l]
    guard !lead.stage.isClosed else { return }
    let rep = reps[Int(lead.rep)]
    let k = rng.poisson((Self.activityMean[lead.stage] ?? 1) * rep.activity)
    for _ in 0..<k { logActivity(lead: l) }
    // Leads from existing accounts convert best.
    let quality =
      Int(lead.source) < Vocabulary.sourceQuality.count ? Vocabulary.sourceQuality[Int(lead.source)] : 1.25
    let p = (Self.advance[lead.stage] ?? 0.5) * DeterministicMath.pow(rep.winFactor, 0.35)
      * DeterministicMath.pow(quality, 0.5) * (0.82 + 0.07 * Double(min(k, 4)))
    if rng.chance(Self.clamp(p, 0.05, 0.97)) { moveOn(l) } else { lose(l) }
    if !leads[l].stage.isClosed {
      plan(.leadStep(Int32(l)), after: rng.int(Self.stepDays[leads[l].stage] ?? 2...9), businessDay: true)
    }
  }

  private func logActivity(lead l: Int) {
    let lead = leads[l]
    let kind = rng.weighted(Self.activityWeights[lead.stage] ?? [1, 1, 1, 1])
    let known = customers[Int(lead.customer)].isRegistered
    gate.submit(.activityLogged(ActivityLogged(
      rep: repIDs[Int(lead.rep)], kind: Vocabulary.activityKinds[kind], lead: leadID(l),
      customer: known ? customerIDs[Int(lead.customer)] : nil)))
  }

  private func moveOn(_ l: Int) {
    let stage = leads[l].stage
    switch stage {
    case .new:
      // Referrals and partners' leads are often qualified straight away.
      let warm = leads[l].source == 3 || leads[l].source == 5
      changeStage(l, to: warm && rng.chance(0.3) ? .qualified : .contacted)
    case .contacted: changeStage(l, to: .qualified)
    case .qualified: quote(l)
    case .quoted:
      if rng.chance(0.15) { win(l) } else { changeStage(l, to: .negotiating) }
    case .negotiating: win(l)
    case .won, .lost: break
    }
  }

  private func changeStage(_ l: Int, to stage: LeadStage) {
    if gate.submit(.leadStageChanged(LeadStageChanged(lead: leadID(l), stage: stage))) != nil {
      leads[l].stage = stage
    }
  }

  /// The quote: a prospect becomes a customer account first (CustomerRegistered, sometimes
  /// with what winning it cost); the quoted lines are kept for the order.
  private func quote(_ l: Int) {
    let lead = leads[l]
    let c = Int(lead.customer)
    if lead.prospect && !customers[c].isRegistered {
      let source = Int(lead.source)
      let cost = rng.chance(0.6)
        ? Self.minor(yuan: rng.lognormal(median: Vocabulary.sourceCost[source], sigma: 0.5).rounded()) : nil
      register(c, rep: lead.rep, acquisitionCost: cost)
    }
    let lines = basket(customer: c, rep: Int(lead.rep), project: true)
    let q = quotes
    quotes += 1
    let issued = gate.submit(.quoteIssued(QuoteIssued(
      quote: quoteID(q), lead: leadID(l), customer: customerIDs[c], lines: lines.map(orderLine))))
    guard issued != nil else { return lose(l) }
    leads[l].quote = Int32(q)
    leads[l].lines = lines
    changeStage(l, to: .quoted)
  }

  /// Won: the order naming the lead and its quote (the store derives the stage won); a new
  /// customer starts reordering from then on.
  private func win(_ l: Int) {
    let c = Int(leads[l].customer)
    guard placeOrder(customer: c, lead: l) else { return lose(l) }
    leads[l].stage = .won
    close(l)
    if leads[l].prospect { scheduleNextOrder(c) }
  }

  /// A closed lead and its quote are named by nothing any more.
  private func close(_ l: Int) {
    leads[l].lines = []
    forget(LeadState.self, leadID(l))
    if leads[l].quote >= 0 { forget(QuoteState.self, quoteID(Int(leads[l].quote))) }
  }

  private func lose(_ l: Int) {
    let late = leads[l].stage >= .quoted
    let reason = late
      ? Vocabulary.lateLostReasons[rng.weighted(Vocabulary.lateLostWeights)]
      : Vocabulary.earlyLostReasons[rng.weighted(Vocabulary.earlyLostWeights)]
    if gate.submit(.leadStageChanged(LeadStageChanged(lead: leadID(l), stage: .lost, reason: reason))) != nil {
      leads[l].stage = .lost
      close(l)
    }
    let c = leads[l].customer
    if leads[l].prospect && !customers[Int(c)].isRegistered { freeSlots.append(c) }
  }

  /// An account manager's call, visit, email or meeting with a customer.
  func accountActivity(_ c: Int) {
    let cm = customers[c]
    let kind = rng.weighted(cm.tier == 0 ? [0.35, 0.35, 0.10, 0.20] : [0.50, 0.15, 0.30, 0.05])
    gate.submit(.activityLogged(ActivityLogged(
      rep: repIDs[Int(cm.rep)], kind: Vocabulary.activityKinds[kind], customer: customerIDs[c])))
  }
}
