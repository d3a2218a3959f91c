/// The model `Forecaster.choose` picked for a series, fitted to the whole series.
public struct ForecastChoice: Sendable, Equatable {
  /// One candidate's error on the validation holdout.
  public struct Candidate: Sendable, Equatable {
    public var model: ForecastModel
    public var error: Double
  }

  public var model: ForecastModel { fit.model }
  /// The chosen model refitted on the whole series; `fit.forecast(h)` gives the forecast.
  public var fit: FittedModel
  /// Why, in a few words: "lowest validation MAE of 7 candidates (holdout 12)".
  public var reason: String
  /// Periods held out at the end of the series to compare the candidates (0 when too short).
  public var holdout: Int
  /// The candidates that could be fitted on the part before the holdout, with their errors.
  public var candidates: [Candidate]
  /// Whether the series counted as intermittent (`Forecaster.isIntermittent`).
  public var intermittent: Bool
}

extension Forecaster {
  /// The candidates for a regular series, simplest first (ties go to the simpler model).
  public static let regularCandidates: [ForecastModel] = [
    .naive, .snaive, .ses, .holt, .holtDamped, .hwAdd, .hwMul, .hwAddDamped, .hwMulDamped,
  ]
  /// The candidates for an intermittent series.
  public static let intermittentCandidates: [ForecastModel] = [.naive, .snaive, .croston, .sba]

  /// Average demand interval: periods / periods with demand (∞ when none has demand).
  public static func averageDemandInterval(_ series: [Double]) -> Double {
    let nonZero = series.filter { $0 != 0 }.count
    return nonZero == 0 ? .infinity : Double(series.count) / Double(nonZero)
  }

  /// Intermittent when the average demand interval exceeds 1.32 (Syntetos & Boylan's cut-off,
  /// i.e. more than about 24 % of the periods without demand).
  public static func isIntermittent(_ series: [Double]) -> Bool {
    averageDemandInterval(series) > 1.32
  }

  /// The holdout used to choose a model for horizon `h` on n points: min(h, ⌊n/4⌋), at least 1
  /// from n = 4 on; 0 below (no validation).
  public static func validationHoldout(count n: Int, horizon h: Int) -> Int {
    n < 4 ? 0 : max(1, min(max(h, 1), n / 4))
  }

  /// Chooses a model for `series` using only the series itself (SPEC 7): the last
  /// `validationHoldout` points are held out, every candidate that applies is fitted on the
  /// points before them and forecasts the holdout, the one with the lowest error wins (the
  /// simpler on a tie), and it is refitted on the whole series.
  ///
  /// The error is the MAE for a regular series — equivalent to ranking by MASE, whose scale is
  /// the same for every candidate — and the RMSE for an intermittent one, where the MAE would
  /// reward forecasting zero (the median of intermittent demand), never reordering. Candidates:
  /// `regularCandidates` or `intermittentCandidates` unless `candidates` is given. A series of
  /// fewer than 4 points gets `naive`. Nil for an empty series.
  public static func choose(
    _ series: [Double], seasonLength m: Int, horizon h: Int, candidates: [ForecastModel]? = nil
  ) -> ForecastChoice? {
    guard !series.isEmpty else { return nil }
    let intermittent = isIntermittent(series)
    let holdout = validationHoldout(count: series.count, horizon: h)
    func fallback(_ reason: String) -> ForecastChoice? {
      guard let fit = fit(.naive, to: series, seasonLength: m) else { return nil }
      return ForecastChoice(
        fit: fit, reason: reason, holdout: holdout, candidates: [], intermittent: intermittent)
    }
    guard holdout > 0 else {
      return fallback("too short to validate (\(series.count) points): naive")
    }
    let training = Array(series.dropLast(holdout))
    let actual = Array(series.suffix(holdout))
    let pool = candidates ?? (intermittent ? intermittentCandidates : regularCandidates)
    let measure = intermittent ? "RMSE" : "MAE"
    var scored: [ForecastChoice.Candidate] = []
    for model in pool {
      guard let f = fit(model, to: training, seasonLength: m) else { continue }
      let forecast = f.pointForecast(holdout).map { max(0, $0) }
      let error =
        intermittent
        ? ForecastMetrics.rmse(actual: actual, forecast: forecast)
        : ForecastMetrics.mae(actual: actual, forecast: forecast)
      if let error, error.isFinite { scored.append(.init(model: model, error: error)) }
    }
    var best: ForecastChoice.Candidate?
    for c in scored where best == nil || c.error < best!.error { best = c }
    guard let best, let refit = fit(best.model, to: series, seasonLength: m) else {
      return fallback("no candidate could be fitted: naive")
    }
    let prefix = intermittent ? "intermittent: " : ""
    let reason =
      "\(prefix)lowest validation \(measure) of \(scored.count) candidates (holdout \(holdout))"
    return ForecastChoice(
      fit: refit, reason: reason, holdout: holdout, candidates: scored, intermittent: intermittent)
  }
}
