/// One step of a forecast: the point forecast and its 80 % and 95 % prediction intervals.
/// Demand is never negative, so the point forecast and the lower bounds are clamped at 0.
public struct ForecastPoint: Sendable, Equatable {
  /// 1 for the first period after the series, and so on.
  public var step: Int
  public var forecast: Double
  public var lo80: Double
  public var hi80: Double
  public var lo95: Double
  public var hi95: Double
}

/// A model fitted to a series: its parameters, in-sample one-step forecasts and the state from
/// which it forecasts.
public struct FittedModel: Sendable, Equatable {
  public let model: ForecastModel
  public let seasonLength: Int
  /// The parameters and initial states the model uses (others nil).
  public let parameters: ModelParameters
  /// The one-step forecast of each observation from the ones before it; nil where the model
  /// makes none (the first value for naive, the first season for snaive, up to the first
  /// demand for Croston).
  public let fitted: [Double?]
  /// σ of the one-step forecast error: the root mean square of the in-sample one-step errors
  /// (0 when there are none).
  public let sigma: Double
  /// The in-sample sum of squared one-step errors, which the fit minimised.
  public let sse: Double
  let kind: Kind

  enum Kind: Sendable, Equatable {
    case naive(last: Double)
    case snaive(lastSeason: [Double])
    case ets(ETSSpec, ETSCoefficients, ETSState, observations: Int)
    case croston(size: Double, interval: Double, alpha: Double, sba: Bool)
  }

  init(
    model: ForecastModel, seasonLength: Int, parameters: ModelParameters, series: [Double],
    fitted: [Double?], kind: Kind
  ) {
    self.model = model
    self.seasonLength = seasonLength
    self.parameters = parameters
    self.fitted = fitted
    self.kind = kind
    var sse = 0.0
    var count = 0
    for (y, f) in zip(series, fitted) {
      guard let f else { continue }
      sse += (y - f) * (y - f)
      count += 1
    }
    self.sse = sse
    sigma = count > 0 ? (sse / Double(count)).squareRoot() : 0
  }

  /// The point forecasts for the next `h` periods, unclamped (a trend may go below 0).
  public func pointForecast(_ h: Int) -> [Double] {
    guard h > 0 else { return [] }
    switch kind {
    case .naive(let last): return Array(repeating: last, count: h)
    case .snaive(let season): return (0..<h).map { season[$0 % season.count] }
    case .ets(let spec, let k, let state, let n):
      return ExponentialSmoothing.forecast(
        state: state, spec: spec, phi: k.phi, observations: n, seasonLength: seasonLength,
        horizon: h)
    case .croston(let size, let interval, let alpha, let sba):
      return Array(repeating: size / interval * (sba ? 1 - alpha / 2 : 1), count: h)
    }
  }

  /// The variance of the h-step forecast error as a multiple of σ², for steps 1…h:
  /// naive h (a random walk); snaive 1 + ⌊(h − 1)/m⌋; exponential smoothing the class-1 formula
  /// of Hyndman et al. (see `ExponentialSmoothing.varianceFactors`); Croston and SBA
  /// 1 + (h − 1)α², the simple-smoothing formula, an approximation.
  public func varianceFactors(_ h: Int) -> [Double] {
    guard h > 0 else { return [] }
    switch kind {
    case .naive: return (1...h).map(Double.init)
    case .snaive: return (1...h).map { Double(1 + ($0 - 1) / seasonLength) }
    case .ets(let spec, let k, _, _):
      return ExponentialSmoothing.varianceFactors(
        spec: spec, coefficients: k, seasonLength: seasonLength, horizon: h)
    case .croston(_, _, let alpha, _): return (1...h).map { 1 + Double($0 - 1) * alpha * alpha }
    }
  }

  /// The forecast for the next `h` periods with 80 % and 95 % intervals: ŷ ± z·σ·√vₕ, z the
  /// normal quantile of 0.90 and 0.975; the point and the lower bounds clamped at 0.
  public func forecast(_ h: Int) -> [ForecastPoint] {
    let points = pointForecast(h)
    let factors = varianceFactors(h)
    let z80 = normalQuantile(0.90)
    let z95 = normalQuantile(0.975)
    return points.indices.map { i in
      let sd = sigma * factors[i].squareRoot()
      let y = points[i]
      return ForecastPoint(
        step: i + 1, forecast: max(0, y), lo80: max(0, y - z80 * sd), hi80: max(0, y + z80 * sd),
        lo95: max(0, y - z95 * sd), hi95: max(0, y + z95 * sd))
    }
  }
}
