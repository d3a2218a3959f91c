/// A rolling-origin backtest of the automatic model choice on one series (`--backtest`).
public struct BacktestResult: Sendable, Equatable {
  /// One forecast origin: the model chosen on the data before it and its errors over the
  /// `horizon` periods after it.
  public struct Origin: Sendable, Equatable {
    /// Points before the origin (the training part).
    public var trainingCount: Int
    public var horizon: Int
    public var model: ForecastModel
    public var mase: Double?
    public var smape: Double?
    public var naiveMase: Double?
    public var naiveSmape: Double?
    public var naive2Mase: Double?
    public var naive2Smape: Double?
  }

  /// The model chosen at the latest origin.
  public var model: ForecastModel
  /// Means over the origins of the per-origin figures (origins where a figure is undefined,
  /// such as MASE on a constant training part, are left out of that mean; nil when none has it).
  public var mase: Double?
  public var smape: Double?
  /// The same for the seasonal naive forecast (`ForecastMetrics.seasonalNaive`).
  public var naiveMase: Double?
  public var naiveSmape: Double?
  /// ½(sMAPE / sMAPE_Naive2 + MASE / MASE_Naive2) over the mean figures.
  public var owa: Double?
  public var origins: [Origin]
}

extension Forecaster {
  /// Rolling-origin evaluation: origins at n − h, n − h − 1, …, n − h − (origins − 1) (the
  /// latest first); at each, a model is chosen and fitted on the points before the origin only
  /// (`choose`, whose validation split lies inside them), forecasts min(h, points left) ahead,
  /// and is scored against the actual values with MASE (scaled on that training part) and
  /// sMAPE, beside the seasonal naive and Naive2 forecasts. Origins whose training part has
  /// fewer than 4 points are skipped; nil when none is left or h < 1.
  public static func backtest(
    _ series: [Double], seasonLength m: Int, horizon h: Int, origins: Int = 3
  ) -> BacktestResult? {
    guard h >= 1 else { return nil }
    var results: [BacktestResult.Origin] = []
    for k in 0..<max(1, origins) {
      let origin = series.count - h - k
      guard origin >= 4 else { break }
      let training = Array(series.prefix(origin))
      let actual = Array(series[origin..<min(series.count, origin + h)])
      guard let choice = choose(training, seasonLength: m, horizon: h) else { continue }
      let forecast = choice.fit.forecast(actual.count).map(\.forecast)
      let naive = ForecastMetrics.seasonalNaive(
        training: training, seasonLength: m, horizon: actual.count)
      let naive2 = ForecastMetrics.naive2(
        training: training, seasonLength: m, horizon: actual.count)
      func mase(_ f: [Double]) -> Double? {
        ForecastMetrics.mase(actual: actual, forecast: f, training: training, seasonLength: m)
      }
      results.append(
        .init(
          trainingCount: origin, horizon: actual.count, model: choice.model,
          mase: mase(forecast), smape: ForecastMetrics.smape(actual: actual, forecast: forecast),
          naiveMase: mase(naive),
          naiveSmape: ForecastMetrics.smape(actual: actual, forecast: naive),
          naive2Mase: mase(naive2),
          naive2Smape: ForecastMetrics.smape(actual: actual, forecast: naive2)))
    }
    guard let latest = results.first else { return nil }
    func mean(_ values: [Double?]) -> Double? {
      let present = values.compactMap { $0 }
      return present.isEmpty ? nil : present.reduce(0, +) / Double(present.count)
    }
    let mase = mean(results.map(\.mase))
    let smape = mean(results.map(\.smape))
    return BacktestResult(
      model: latest.model, mase: mase, smape: smape, naiveMase: mean(results.map(\.naiveMase)),
      naiveSmape: mean(results.map(\.naiveSmape)),
      owa: ForecastMetrics.owa(
        smape: smape, mase: mase, naive2Smape: mean(results.map(\.naive2Smape)),
        naive2Mase: mean(results.map(\.naive2Mase))),
      origins: results)
  }
}
