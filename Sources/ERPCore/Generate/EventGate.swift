/// Where every generated primary event passes: it gets its business time and key, is checked
/// and decided against an in-memory `SalesState` exactly as the store's appender does
/// (`EventCatalog.check`, `SalesEvent(type:data:digits:)`, `SalesDecider.decide`, then `evolve`
/// of the primary and everything derived from it), and only then handed to the sink. A refusal
/// is a generator bug: the event is skipped and counted, never written.
final class EventGate {
  /// The state the rules read, as a fresh store (CNY, default terms 30 days) would hold it.
  let state = SalesState(tracksChanges: false)
  static let digits = 2
  static let defaultTermsDays: Int64 = 30
  /// Asia/Shanghai: +08:00 all year (no daylight saving since 1991).
  static let offset = 8 * 3600

  private let seed: UInt64
  private let sink: (NewEvent) throws -> Void
  /// The first error the sink threw; the run stops at the end of that day.
  private(set) var sinkError: (any Error)?

  private(set) var emitted = 0
  private(set) var refused = 0
  private(set) var refusals: [String] = []
  private var counts: [String: Int] = [:]

  // The day's clock: events get increasing local times from about 08:00.
  private var clockRandom: SeededRandom
  private var day = CivilDate(daysSinceEpoch: 0)
  private var second = 0
  private var timedToday = false
  private var meanGap = 60
  private var todayCount = 0
  private var recentPerDay = 100.0

  init(seed: UInt64, sink: @escaping (NewEvent) throws -> Void) {
    self.seed = seed
    self.sink = sink
    clockRandom = SeededRandom(seed: seed ^ 0x7F4A_7C15_9E37_79B9)
  }

  /// Starts a business day: times restart at about 08:00, spaced so a day like the recent ones
  /// fits in the working hours.
  func begin(_ date: CivilDate) {
    recentPerDay = 0.8 * recentPerDay + 0.2 * Double(todayCount)
    day = date
    todayCount = 0
    timedToday = false
    second = 8 * 3600 + clockRandom.below(1800)
    meanGap = max(1, Int(11.0 * 3600 / max(recentPerDay, 1)))
  }

  /// Decides `event` at the next time of the day (or at the plain date, for master data and
  /// plans written before anything else that day) and writes it; returns the events the store
  /// would store (the primary with what the store writes into it, then the derived ones), or
  /// nil when the rules refused it.
  @discardableResult
  func submit(_ event: SalesEvent, dated: Bool = false) -> [SalesEvent]? {
    let at = time(dated: dated)
    let type = event.type
    var decided: [SalesEvent]
    let data: JSONObject
    do {
      data = try EventCatalog.check(type: type, data: event.data(digits: Self.digits), moneyDigits: Self.digits)
      let typed = try SalesEvent(type: type, data: data, digits: Self.digits)
      let ctx = DecideContext(at: at, date: day, digits: Self.digits, defaultTermsDays: Self.defaultTermsDays)
      decided = try SalesDecider.decide(typed, ctx, state)
      try SalesDecider.evolve(state, each: &decided, defaultTermsDays: Self.defaultTermsDays)
    } catch {
      refused += 1
      if refusals.count < 10 { refusals.append("\(day) \(type): \(error)") }
      return nil
    }
    emitted += 1
    todayCount += 1
    counts[type, default: 0] += 1
    if sinkError == nil {
      do { try sink(NewEvent(type: type, at: at, key: "gen:\(seed):\(emitted)", data: data)) } catch {
        sinkError = error
      }
    }
    return decided
  }

  /// Events written per type, sorted by type name.
  var byType: [(type: String, count: Int)] {
    counts.keys.sorted().map { ($0, counts[$0] ?? 0) }
  }

  private func time(dated: Bool) -> BusinessTime {
    if dated && !timedToday { return .date(day) }
    timedToday = true
    second = min(second + 1 + clockRandom.below(2 * meanGap), 86_399)
    let utc = Int64(day.daysSinceEpoch) * 86_400 + Int64(second) - Int64(Self.offset)
    return .instant(Instant(seconds: utc), offsetSeconds: Self.offset)
  }
}
