import Foundation

/// Forecast accuracy measures as the M4 competition defines them (SPEC 7 "Forecast").
public enum ForecastMetrics {
  /// sMAPE = mean over the horizon of 200·|y − ŷ| / (|y| + |ŷ|), in percent; a term whose
  /// denominator is 0 (both 0) counts as 0. Nil for an empty horizon.
  public static func smape(actual: [Double], forecast: [Double]) -> Double? {
    let n = min(actual.count, forecast.count)
    guard n > 0 else { return nil }
    var sum = 0.0
    for i in 0..<n {
      let den = abs(actual[i]) + abs(forecast[i])
      if den > 0 { sum += 200 * abs(actual[i] - forecast[i]) / den }
    }
    return sum / Double(n)
  }

  /// Mean absolute error. Nil for an empty horizon.
  public static func mae(actual: [Double], forecast: [Double]) -> Double? {
    let n = min(actual.count, forecast.count)
    guard n > 0 else { return nil }
    return (0..<n).reduce(0.0) { $0 + abs(actual[$1] - forecast[$1]) } / Double(n)
  }

  /// Root mean squared error. Nil for an empty horizon.
  public static func rmse(actual: [Double], forecast: [Double]) -> Double? {
    let n = min(actual.count, forecast.count)
    guard n > 0 else { return nil }
    return
      ((0..<n).reduce(0.0) { $0 + (actual[$1] - forecast[$1]) * (actual[$1] - forecast[$1]) }
      / Double(n)).squareRoot()
  }

  /// The lag of the MASE scale: the season length when the training part holds two whole
  /// seasons (and m ≥ 2), else 1.
  public static func scaleLag(trainingCount n: Int, seasonLength m: Int) -> Int {
    m >= 2 && n >= 2 * m ? m : 1
  }

  /// MASE's scale: the in-sample mean absolute error of the seasonal naive forecast of
  /// `training` with lag `scaleLag`. Nil when the training part is not longer than the lag or
  /// the scale is 0 (a constant series), where MASE is undefined.
  public static func maseScale(training: [Double], seasonLength m: Int) -> Double? {
    let lag = scaleLag(trainingCount: training.count, seasonLength: m)
    guard training.count > lag else { return nil }
    var sum = 0.0
    for t in lag..<training.count { sum += abs(training[t] - training[t - lag]) }
    let scale = sum / Double(training.count - lag)
    return scale > 0 ? scale : nil
  }

  /// MASE = MAE over the horizon / `maseScale(training:seasonLength:)`.
  public static func mase(
    actual: [Double], forecast: [Double], training: [Double], seasonLength m: Int
  ) -> Double? {
    guard let scale = maseScale(training: training, seasonLength: m),
      let e = mae(actual: actual, forecast: forecast)
    else { return nil }
    return e / scale
  }

  /// OWA = ½(sMAPE / sMAPE_Naive2 + MASE / MASE_Naive2). Nil when a term is missing or a
  /// Naive2 figure is 0.
  public static func owa(smape: Double?, mase: Double?, naive2Smape: Double?, naive2Mase: Double?)
    -> Double?
  {
    guard let smape, let mase, let s2 = naive2Smape, let m2 = naive2Mase, s2 > 0, m2 > 0 else {
      return nil
    }
    return 0.5 * (smape / s2 + mase / m2)
  }

  /// The seasonal naive forecast the backtest compares against: yₙ₊ₕ = yₙ₊ₕ₋ₘ when the training
  /// part holds a whole season and m ≥ 2, else the naive forecast (the last value).
  public static func seasonalNaive(training: [Double], seasonLength m: Int, horizon h: Int)
    -> [Double]
  {
    guard let last = training.last, h > 0 else { return [] }
    guard m >= 2, training.count >= m else { return Array(repeating: last, count: h) }
    let season = Array(training.suffix(m))
    return (0..<h).map { season[$0 % m] }
  }

  /// M4's seasonality test: the lag-m autocorrelation r_m is significant at 90 % when
  /// |r_m| > 1.645·√((1 + 2·S)/n), S = r₁ + Σₖ₌₂ᵐ⁻¹ rₖ² — the M4 benchmark code's own
  /// expression, which adds r₁ unsquared (1 + 2S is clamped at 0 where M4's would give NaN).
  public static func isSeasonal(_ series: [Double], seasonLength m: Int) -> Bool {
    let n = series.count
    guard m >= 2, n > m else { return false }
    let mean = series.reduce(0, +) / Double(n)
    let denominator = series.reduce(0.0) { $0 + ($1 - mean) * ($1 - mean) }
    guard denominator > 0 else { return false }
    func acf(_ k: Int) -> Double {
      var s = 0.0
      for i in k..<n { s += (series[i] - mean) * (series[i - k] - mean) }
      return s / denominator
    }
    var s = acf(1)
    if m > 2 { for k in 2..<m { s += acf(k) * acf(k) } }
    let limit = 1.645 * (max(0, 1 + 2 * s) / Double(n)).squareRoot()
    return abs(acf(m)) > limit
  }

  /// M4's Naive2: the naive forecast of the seasonally adjusted series, reseasonalised. The
  /// adjustment is a classical multiplicative decomposition, applied when m ≥ 2, the series
  /// holds two whole seasons, every value is > 0 and `isSeasonal` says so; otherwise Naive2 is
  /// the naive forecast.
  public static func naive2(training: [Double], seasonLength m: Int, horizon h: Int) -> [Double] {
    guard let last = training.last, h > 0 else { return [] }
    let n = training.count
    guard isSeasonal(training, seasonLength: m),
      let indices = ClassicalDecomposition.seasonalIndices(
        training, seasonLength: m, multiplicative: true)
    else { return Array(repeating: last, count: h) }
    let level = last / indices[(n - 1) % m]
    return (0..<h).map { level * indices[(n + $0) % m] }
  }
}
