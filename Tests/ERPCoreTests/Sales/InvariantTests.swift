import ERPCore
import ERPTestSupport
import Testing

/// Random sequences of commands against the decider, skipping the refused ones.
struct Simulation {
  var rng: SplitMix64
  let s = Scenario()
  /// Every stored event, in order (what the log would hold).
  var log: [SalesEvent] = []
  var accepted: [String: Int] = [:]
  var refused: [String: Int] = [:]
  var orders: [String] = []
  var payments: [String] = []
  var invoices: [String] = []
  var pos: [String] = []
  var n = 0
  let skus = ["A1", "B2", "C3"]
  let customers = ["C-1", "C-2", "C-3"]

  init(seed: UInt64) throws {
    rng = SplitMix64(seed: seed)
    var setup: [SalesEvent] = [F.rep()]
    for c in customers { setup.append(F.customer(c)) }
    for sku in skus { setup.append(F.product(sku)) }
    for sku in skus { setup.append(F.receive(5, sku: sku, cost: "3.00")) }
    for e in setup { log += try s.when(e) }
  }

  mutating func money(_ r: ClosedRange<Int64>) -> Money { Money(minorUnits: rng.int(r)) }

  /// Decides one random command, recording whether it was accepted.
  mutating func step() throws {
    n += 1
    let (kind, event) = command()
    let before = s.state.snapshot
    do {
      let out = try s.when(event)
      accepted[kind, default: 0] += 1
      log += out
      for e in out {
        switch e {
        case .orderConfirmed(let o): orders.append(o.order)
        case .paymentReceived(let p): payments.append(p.payment)
        case .invoiceIssued(let i): invoices.append(i.invoice)
        case .purchaseOrderPlaced(let p): pos.append(p.po)
        default: break
        }
      }
    } catch is DomainError {
      refused[kind, default: 0] += 1
      // A refused command changes nothing.
      #expect(s.state.snapshot == before, "refused \(kind) changed the state")
    }
  }

  mutating func command() -> (String, SalesEvent) {
    switch rng.int(0...99) {
    case 0..<22:
      let lines = (0..<rng.int(1...3)).map { _ in
        OrderLine(sku: rng.pick(skus), qty: rng.int(1...6), unitPrice: money(0...5000),
          discount: rng.pick([nil, "0.1", "0.125", "0.333333", "1"]).flatMap { Rate($0) })
      }
      return ("confirm", .orderConfirmed(OrderConfirmed(order: "SO-\(n)", customer: rng.pick(customers), rep: "R-1",
        paymentTermsDays: rng.chance(50) ? rng.int(0...90) : nil, allowBackorder: rng.chance(60), lines: lines)))
    case 22..<44:
      guard !orders.isEmpty else { return ("ship", F.ship("SO-0", "SH-\(n)", ("A1", 1))) }
      // Mostly an order with something reserved, sometimes any order.
      let ready = orders.filter { (try? s.order($0))?.lines.contains { $0.reserved > 0 } == true }
      let id = rng.chance(80) && !ready.isEmpty ? rng.pick(ready) : rng.pick(orders)
      var lines: [(String, Int64)] = []
      if let o = try? s.order(id) {
        for l in o.lines where l.reserved > 0 && rng.chance(70) {
          // Now and then one more than reserved, to be refused.
          lines.append((l.sku, rng.chance(8) ? l.reserved + 1 : rng.int(1...l.reserved)))
        }
      }
      if lines.isEmpty { lines = [(rng.pick(skus), rng.int(1...2))] }
      return ("ship", F.ship(id, "SH-\(n)", lines))
    case 44..<50:
      return ("cancel", F.cancel(orders.isEmpty ? "SO-0" : rng.pick(orders)))
    case 50..<62:
      let sku = rng.pick(skus)
      let po: String? = rng.chance(30) && !pos.isEmpty ? rng.pick(pos) : nil
      return ("receive", .stockReceived(StockReceived(sku: sku, qty: rng.int(1...8), unitCost: money(0...2000), po: po)))
    case 62..<65:
      return ("po", F.po("PO-\(n)", sku: rng.pick(skus), qty: rng.int(1...20)))
    case 65..<72:
      var q = rng.int(-5...5)
      if q == 0 { q = 1 }
      let cost: Money? = rng.chance(40) ? money(0...2000) : nil
      return ("adjust", .stockAdjusted(StockAdjusted(sku: rng.pick(skus), qty: q, reason: "count", unitCost: cost)))
    case 72..<84:
      return ("pay", .paymentReceived(PaymentReceived(payment: "P-\(n)", customer: rng.pick(customers),
        amount: money(1...20000))))
    case 84..<88:
      let p = payments.isEmpty ? "P-0" : rng.pick(payments)
      let i = invoices.isEmpty ? "INV-0" : rng.pick(invoices)
      return ("match", .paymentMatched(PaymentMatched(payment: p, invoice: i, amount: money(0...3000))))
    default:
      // Mostly an order with something shipped and not yet returned, sometimes any order.
      let returnable = orders.filter { (try? s.order($0))?.lines.contains { $0.shipped > $0.returned } == true }
      let id = rng.chance(70) && !returnable.isEmpty ? rng.pick(returnable) : orders.isEmpty ? "SO-0" : rng.pick(orders)
      var sku = "A1"
      if let o = try? s.order(id), !o.lines.isEmpty { sku = rng.pick(o.lines).sku }
      return ("return", F.returned(id, sku, rng.int(1...3)))
    }
  }

  // MARK: invariants

  func checkStock() throws {
    var onHand: [String: Int64] = [:]
    for e in log {
      switch e {
      case .stockReceived(let r): onHand[r.sku, default: 0] += r.qty
      case .stockAdjusted(let a): onHand[a.sku, default: 0] += a.qty
      case .shipped(let sh): for l in sh.lines { onHand[l.sku, default: 0] -= l.qty }
      case .returnReceived(let r): onHand[r.sku, default: 0] += r.qty
      default: break
      }
    }
    var reserved: [String: Int64] = [:]
    var waiting: [String: [String: Int64]] = [:]
    for id in orders {
      let o = try #require(try s.order(id))
      for l in o.lines {
        #expect(l.reserved >= 0 && l.shipped >= 0 && l.reserved + l.shipped <= l.qty, "order \(id) line \(l.sku)")
        #expect(l.returned >= 0 && l.returned <= l.shipped, "order \(id) line \(l.sku) returns")
        reserved[l.sku, default: 0] += l.reserved
        if !o.cancelled && l.backordered > 0 { waiting[l.sku, default: [:]][id, default: 0] += l.backordered }
      }
      if o.cancelled { #expect(o.lines.allSatisfy { $0.reserved == 0 }, "cancelled \(id) still holds stock") }
    }
    for sku in skus {
      let st = try s.stock(sku)
      #expect(st.onHand >= 0, "\(sku) on hand \(st.onHand)")
      #expect(st.reserved >= 0 && st.reserved <= st.onHand, "\(sku) reserved \(st.reserved) of \(st.onHand)")
      #expect(st.value >= .zero, "\(sku) value \(st.value)")
      if st.onHand == 0 { #expect(st.value == .zero, "\(sku) has value \(st.value) with nothing on hand") }
      #expect(st.onHand == onHand[sku, default: 0], "\(sku) on hand vs the log")
      #expect(st.reserved == reserved[sku, default: 0], "\(sku) reserved vs the orders")
      var queue: [String: Int64] = [:]
      for b in st.backorders { queue[b.order, default: 0] += b.qty }
      #expect(queue == waiting[sku, default: [:]], "\(sku) backorder queue vs the orders")
    }
  }

  func checkMoney() throws {
    // An independent ledger from the log: every invoice's open balance and every payment's remainder.
    var open: [String: Money] = [:]
    var invoiceAmount: [String: Money] = [:]
    var matchedTo: [String: Money] = [:]
    var creditedTo: [String: Money] = [:]
    var unapplied: [String: Money] = [:]
    var paymentAmount: [String: Money] = [:]
    var matchedFrom: [String: Money] = [:]
    var noteCredit: [String: Money] = [:]
    var invoiceCustomer: [String: String] = [:]
    var paymentCustomer: [String: String] = [:]
    for e in log {
      switch e {
      case .invoiceIssued(let i):
        (open[i.invoice], invoiceAmount[i.invoice], invoiceCustomer[i.invoice]) = (i.amount, i.amount, i.customer)
      case .paymentReceived(let p):
        (unapplied[p.payment], paymentAmount[p.payment], paymentCustomer[p.payment]) = (p.amount, p.amount, p.customer)
      case .paymentMatched(let m):
        #expect(m.amount > .zero, "a match of \(m.amount)")
        #expect(paymentCustomer[m.payment] == invoiceCustomer[m.invoice], "match across customers")
        open[m.invoice] = open[m.invoice, default: .zero] - m.amount
        unapplied[m.payment] = unapplied[m.payment, default: .zero] - m.amount
        matchedTo[m.invoice] = matchedTo[m.invoice, default: .zero] + m.amount
        matchedFrom[m.payment] = matchedFrom[m.payment, default: .zero] + m.amount
      case .creditNoteIssued(let c):
        let inv = try #require(c.invoice, "a credit note without an invoice")
        let applied = min(open[inv, default: .zero], c.amount)
        open[inv] = open[inv, default: .zero] - applied
        creditedTo[inv] = creditedTo[inv, default: .zero] + applied
        noteCredit[c.customer] = noteCredit[c.customer, default: .zero] + (c.amount - applied)
      default: break
      }
    }
    for id in invoices {
      let inv = try #require(try s.invoice(id))
      #expect(inv.open >= .zero, "\(id) over-applied: open \(inv.open)")
      #expect(inv.open == open[id], "\(id) open vs the log")
      #expect(
        inv.amount == inv.open + matchedTo[id, default: .zero] + creditedTo[id, default: .zero],
        "\(id) does not balance")
      #expect(inv.amount == invoiceAmount[id])
    }
    for id in payments {
      let p = try #require(try s.payment(id))
      #expect(p.unapplied >= .zero, "\(id) over-applied: unapplied \(p.unapplied)")
      #expect(p.amount == p.unapplied + matchedFrom[id, default: .zero], "\(id) does not balance")
      #expect(p.unapplied == unapplied[id])
      #expect(p.amount == paymentAmount[id])
    }
    for c in customers {
      let cs = try #require(try s.customer(c))
      let openOnes = invoices.filter { invoiceCustomer[$0] == c && open[$0, default: .zero] > .zero }
      let creditOnes = payments.filter { paymentCustomer[$0] == c && unapplied[$0, default: .zero] > .zero }
      #expect(cs.openInvoices == openOnes, "\(c) open invoices")
      #expect(cs.unappliedPayments == creditOnes, "\(c) unapplied payments")
      #expect(cs.noteCredit == noteCredit[c, default: .zero], "\(c) note credit")
      // Automatic matching never leaves payment credit idle next to an open invoice.
      #expect(openOnes.isEmpty || creditOnes.isEmpty, "\(c) has both credit and open invoices")
    }
  }

  /// Folding `evolve` over the whole log into an empty state gives the same records.
  func checkReplay() throws {
    let fresh = SalesState()
    for e in log { try SalesDecider.evolve(fresh, e, defaultTermsDays: 30) }
    let a = fresh.snapshot
    let b = s.state.snapshot
    #expect(a.count == b.count, "replay has \(a.count) records, live state \(b.count)")
    for (k, v) in b where a[k] != v { Issue.record("replay differs at \(k): \(String(describing: a[k])) vs \(v)") }
    for k in a.keys where b[k] == nil { Issue.record("replay has extra \(k)") }
  }
}

@Suite("Invariants over random command sequences")
struct InvariantTests {
  static let seeds: [UInt64] = Array(1...24).map { UInt64($0) &* 0x2545_F491_4F6C_DD1D }

  @Test(arguments: seeds)
  func moneyBalancesStockStaysSaneAndReplayMatches(seed: UInt64) throws {
    var sim = try Simulation(seed: seed)
    for i in 1...400 {
      try sim.step()
      try sim.checkStock()
      try sim.checkMoney()
      if i % 100 == 0 { try sim.checkReplay() }
    }
    // Not vacuous: each kind of command got through.
    for kind in ["confirm", "ship", "receive", "pay", "return", "cancel", "adjust"] {
      #expect(sim.accepted[kind, default: 0] > 0, "no \(kind) accepted with seed \(seed): \(sim.accepted)")
    }
  }

  @Test func theSequencesExerciseRefusalsToo() throws {
    var accepted: [String: Int] = [:]
    var refused: [String: Int] = [:]
    for seed in Self.seeds.prefix(6) {
      var sim = try Simulation(seed: seed)
      for _ in 1...400 { try sim.step() }
      accepted.merge(sim.accepted, uniquingKeysWith: +)
      refused.merge(sim.refused, uniquingKeysWith: +)
    }
    for kind in ["confirm", "ship", "cancel", "adjust", "match", "return"] {
      #expect(refused[kind, default: 0] > 0, "no \(kind) refused: \(refused)")
    }
    #expect(accepted["po", default: 0] > 0)
  }
}
