/// `erpctl generate`: a realistic, seeded, reproducible sales history as primary events (SPEC 7
/// "Import": never derived ones), in business-time order, every one of them accepted by the
/// store's rules on a fresh store (`init --currency CNY --timezone Asia/Shanghai`, terms 30).
///
/// It is a day-by-day simulation of a distributor of pumps, valves, fittings, controls and
/// instruments: master data, monthly targets and campaign costs; leads from several sources
/// moving through the funnel (with activities, quotes, losses with reasons); a heavy-tailed
/// customer base that reorders with seasonality (February dip, year-end peak), growth and
/// promotions, some customers going dormant; stock kept by purchase orders from a smoothed
/// forecast, so most orders can be filled and some find it short (partial quantities or
/// backorders); shipments (some partial, some with freight), cancellations, invoices paid on
/// time, late, in instalments or never, returns, service cases, order costs and stocktakes.
///
/// Every event is decided against an in-memory `SalesState` exactly as `erpctl append` decides
/// it before it is written (`EventGate`). The output depends only on the options: the random
/// source is the generator's own (`SeededRandom`), nothing reads the clock, and nothing that
/// reaches the output depends on hashing order.
public enum HistoryGenerator {
  /// Runs the simulation and hands every event to `sink`, in order. An error thrown by `sink`
  /// stops the run (at the end of that simulated day) and is rethrown.
  public static func run(
    _ options: GenerateOptions, into sink: @escaping (NewEvent) throws -> Void
  ) throws -> GenerateSummary {
    try Simulation(options: options, sink: sink).run()
  }
}

/// The simulation behind `HistoryGenerator`: the calendar, the entities and the day loop. The
/// behaviour of each part of the business is in the extensions beside this file.
final class Simulation {
  let options: GenerateOptions
  let gate: EventGate
  var rng: SeededRandom
  /// Simulated days, and the current one (index and date).
  let days: Int
  var today = 0
  var date: CivilDate
  /// Actions per day; a day's list is taken when the day runs.
  var schedule: [[Action]]

  var customers: [CustomerModel] = []
  var customerIDs: [String] = []
  /// Registered customers in registration order, and slots still free for prospects.
  var registered: [Int32] = []
  var freeSlots: [Int32] = []
  var products: [ProductModel] = []
  var skuIDs: [String] = []
  /// SKU popularity: cumulative weights over all SKUs and within each product line.
  var popularity: [Double] = []
  var globalCumulative: [Double] = []
  var lineSKUs: [[Int32]] = []
  var lineCumulative: [[Double]] = []
  var reps: [RepModel] = []
  var repIDs: [String] = []
  var teams: [String] = []
  /// Yuan each rep booked this month, and the rep's smoothed deseasonalised monthly bookings.
  var repMonthBooked: [Double] = []
  var repBaseline: [Double] = []
  var repsByRegion: [[Int32]] = []
  var leads: [LeadModel] = []
  var orders: [OrderModel] = []
  var purchaseOrders: [PurchaseOrderModel] = []
  var promotions: [Promotion] = []
  var quotes = 0, shipments = 0, payments = 0, cases = 0
  var lostSales = 0
  /// Yuan of a typical order of a size-1 customer at list price (for targets and lead values).
  var typicalOrderValue = 5000.0
  /// The largest demand factor of the run (season × weekday × promotion × trend), for thinning.
  var maxDemandFactor = 1.0
  /// The day the forecasts were last updated.
  var lastForecastDay = 0

  init(options: GenerateOptions, sink: @escaping (NewEvent) throws -> Void) {
    self.options = options
    gate = EventGate(seed: options.seed, sink: sink)
    rng = SeededRandom(seed: options.seed)
    days = max(1, Int(options.end.daysSinceEpoch - options.start.daysSinceEpoch))
    date = options.start
    schedule = Array(repeating: [], count: days)
  }

  func run() throws -> GenerateSummary {
    for d in 0..<days {
      today = d
      date = options.start.adding(days: d)
      gate.begin(date)
      if d == 0 { setUp() }
      if d == 0 || date.components.day == 1 { startMonth() }
      runDay()
      if let e = gate.sinkError { throw e }
    }
    return GenerateSummary(
      events: gate.emitted, byType: gate.byType, refused: gate.refused, refusals: gate.refusals,
      customersRegistered: registered.count, orders: orders.count, lostSales: lostSales)
  }

  /// The day's scheduled actions, phase by phase, with the day's new leads after the funnel's.
  private func runDay() {
    let actions = schedule[today]
    schedule[today] = []
    for phase in 0..<Action.phases {
      for a in actions where a.phase == phase { perform(a) }
      if phase == 1 { createLeads() }
    }
  }

  private func perform(_ a: Action) {
    switch a {
    case .receive(let po, let qty): receive(po: Int(po), qty: qty)
    case .leadStep(let l): leadStep(Int(l))
    case .customerOrder(let c): customerOrder(Int(c))
    case .cancel(let o): cancel(Int(o))
    case .ship(let o): ship(Int(o))
    case .returnGoods(let o): returnGoods(Int(o))
    case .openCase(let o): openCase(order: Int(o))
    case .closeCase(let c, let kind): closeCase(Int(c), kind: Int(kind))
    case .recordCost(let o): recordCost(Int(o))
    case .pay(let c, let amount): pay(customer: Int(c), planned: amount)
    case .accountActivity(let c): accountActivity(Int(c))
    case .stocktake(let k): stocktake(Int(k))
    }
  }

  // MARK: Calendar

  /// Schedules `a` `after` days from today (at least tomorrow); beyond the end it never happens
  /// (and false is returned). With `businessDay`, a Sunday moves to the Monday.
  @discardableResult
  func plan(_ a: Action, after: Int, businessDay: Bool = false) -> Bool {
    var day = today + max(1, after)
    if businessDay && SimCalendar.weekday(options.start.adding(days: day)) == 6 { day += 1 }
    guard day < days else { return false }
    schedule[day].append(a)
    return true
  }

  func dateOf(day: Int) -> CivilDate { options.start.adding(days: day) }

  /// Seasonal factor of a date's month.
  func season(_ d: CivilDate) -> Double { Vocabulary.monthFactor[d.components.month - 1] }

  /// Demand growth since the start (18 % a year).
  func trend(_ day: Int) -> Double {
    DeterministicMath.exp(DeterministicMath.log(1 + Vocabulary.growth) * Double(day) / 365)
  }

  // MARK: Helpers

  /// The rules' current record, if any (the in-memory state never fails to read).
  func record<R: StateRecord>(_ type: R.Type, _ id: String) -> R? { (try? gate.state.get(type, id)) ?? nil }

  /// Drops a record the simulation will never name again from the rules' state (memory stays
  /// flat; a test replays the output through a state that forgets nothing).
  func forget<R: StateRecord>(_ type: R.Type, _ id: String) { gate.state.forget(type, id) }

  func stock(_ sku: Int) -> StockState { record(StockState.self, skuIDs[sku]) ?? StockState() }

  func orderID(_ o: Int) -> String { "SO-" + pad(o + 1, 6) }
  func leadID(_ l: Int) -> String { "L-" + pad(l + 1, 6) }
  func quoteID(_ q: Int) -> String { "Q-" + pad(q + 1, 6) }
  func poID(_ p: Int) -> String { "PO-" + pad(p + 1, 6) }
  func caseID(_ c: Int) -> String { "CS-" + pad(c + 1, 6) }

  /// Yuan as exact minor units (a draw is a Double; what is written is an integer).
  static func minor(yuan: Double) -> Int64 { Int64((min(max(yuan, 0), 1e11) * 100).rounded()) }

  static func clamp(_ x: Double, _ lo: Double, _ hi: Double) -> Double { min(max(x, lo), hi) }

  /// A name built from the seed and an index only, so that it can be rebuilt at any time
  /// without storing it and without disturbing the main random stream.
  func nameRandom(_ kind: UInt64, _ index: Int) -> SeededRandom {
    SeededRandom(seed: options.seed &* 0x9E37_79B9_7F4A_7C15 ^ (kind << 56) ^ UInt64(index))
  }
}
