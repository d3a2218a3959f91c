/// The trend and season of an exponential smoothing model.
struct ETSSpec: Sendable, Equatable {
  enum Trend: Sendable, Equatable { case none, additive, damped }
  enum Season: Sendable, Equatable { case none, additive, multiplicative }
  var trend: Trend
  var season: Season
}

/// The states of an exponential smoothing model after some observations: level, trend and the
/// m seasonal values, `seasonal[t % m]` being the one observation t uses (t from 0 at the
/// series' start).
struct ETSState: Sendable, Equatable {
  var level: Double
  var trend: Double
  var seasonal: [Double]
}

/// Smoothing coefficients in the component form (γ already the seasonal coefficient itself).
struct ETSCoefficients: Sendable, Equatable {
  var alpha: Double
  var beta: Double
  var gamma: Double
  var phi: Double
}

/// Exponential smoothing in component form (Hyndman et al., *Forecasting with Exponential
/// Smoothing*, 2008, table 2.1; the recursions statsmodels' `ExponentialSmoothing` uses):
///
///     base  = ℓₜ₋₁ + φ·bₜ₋₁            (φ = 1 undamped; no trend: base = ℓₜ₋₁)
///     ŷₜ    = base + sₜ₋ₘ  or  base · sₜ₋ₘ
///     ℓₜ    = α(yₜ − sₜ₋ₘ) + (1 − α)·base        or  α(yₜ / sₜ₋ₘ) + (1 − α)·base
///     bₜ    = β(ℓₜ − ℓₜ₋₁) + (1 − β)·φ·bₜ₋₁
///     sₜ    = γ(yₜ − base) + (1 − γ)sₜ₋ₘ        or  γ(yₜ / base) + (1 − γ)sₜ₋ₘ
enum ExponentialSmoothing {
  /// Runs the recursions over `y` from `initial`, returning the sum of squared one-step errors,
  /// the final state and (when `record`) the one-step forecasts. The SSE is +∞ when a
  /// multiplicative model meets a non-positive base or seasonal value.
  static func filter(
    _ y: [Double], spec: ETSSpec, coefficients k: ETSCoefficients, initial: ETSState,
    seasonLength m: Int,
    record: Bool = false
  ) -> (sse: Double, state: ETSState, fitted: [Double]) {
    var l = initial.level
    var b = initial.trend
    var s = initial.seasonal
    let damp = spec.trend == .damped ? k.phi : 1
    let hasTrend = spec.trend != .none
    var sse = 0.0
    var fitted: [Double] = []
    if record { fitted.reserveCapacity(y.count) }
    for t in 0..<y.count {
      let trendTerm = hasTrend ? damp * b : 0
      let base = l + trendTerm
      let yt = y[t]
      let newLevel: Double
      let yhat: Double
      switch spec.season {
      case .none:
        yhat = base
        newLevel = k.alpha * yt + (1 - k.alpha) * base
      case .additive:
        let st = s[t % m]
        yhat = base + st
        newLevel = k.alpha * (yt - st) + (1 - k.alpha) * base
        s[t % m] = k.gamma * (yt - base) + (1 - k.gamma) * st
      case .multiplicative:
        let st = s[t % m]
        guard base > 0, st > 0 else {
          return (.infinity, ETSState(level: l, trend: b, seasonal: s), fitted)
        }
        yhat = base * st
        newLevel = k.alpha * (yt / st) + (1 - k.alpha) * base
        s[t % m] = k.gamma * (yt / base) + (1 - k.gamma) * st
      }
      let e = yt - yhat
      sse += e * e
      if record { fitted.append(yhat) }
      if hasTrend { b = k.beta * (newLevel - l) + (1 - k.beta) * trendTerm }
      l = newLevel
    }
    return (sse, ETSState(level: l, trend: b, seasonal: s), fitted)
  }

  /// The forecasts 1…h steps after `n` observations from `state`: (ℓ + (φ + … + φʰ)·b) ⊕ s.
  static func forecast(
    state: ETSState, spec: ETSSpec, phi: Double, observations n: Int, seasonLength m: Int,
    horizon h: Int
  ) -> [Double] {
    var out: [Double] = []
    var damped = 0.0
    var power = 1.0
    for step in 1...max(1, h) {
      power *= spec.trend == .damped ? phi : 1
      damped += power
      let base = state.level + (spec.trend == .none ? 0 : damped * state.trend)
      switch spec.season {
      case .none: out.append(base)
      case .additive: out.append(base + state.seasonal[(n + step - 1) % m])
      case .multiplicative: out.append(base * state.seasonal[(n + step - 1) % m])
      }
    }
    return Array(out.prefix(h))
  }

  /// The h-step forecast error variance as a multiple of the one-step variance σ²:
  /// vₕ = 1 + Σⱼ₌₁ʰ⁻¹ cⱼ², cⱼ = α + αβ(φ + … + φʲ) + γ·[j mod m = 0] (Hyndman et al. 2008,
  /// class 1, the additive-error models; used as an approximation for multiplicative seasons).
  static func varianceFactors(
    spec: ETSSpec, coefficients k: ETSCoefficients, seasonLength m: Int, horizon h: Int
  ) -> [Double] {
    var out: [Double] = []
    var sum = 0.0
    var damped = 0.0
    var power = 1.0
    for j in 0..<h {
      out.append(1 + sum)
      let step = j + 1
      power *= spec.trend == .damped ? k.phi : 1
      damped += power
      var c = k.alpha
      if spec.trend != .none { c += k.alpha * k.beta * damped }
      if spec.season != .none && step % m == 0 { c += k.gamma }
      sum += c * c
    }
    return out
  }

  /// Starting states from the data (before any smoothing).
  ///
  /// With a season: the indices of a classical decomposition of the first min(⌊n/m⌋, 4) whole
  /// seasons, then a least-squares line through those seasons deseasonalised: ℓ₀ = a − b,
  /// b₀ = b (so that ℓ₀ + b₀ is the line at the first observation); without a trend ℓ₀ is the
  /// mean of the first season deseasonalised. Without a season: the line through the first
  /// min(n, 10) values for a trend model, and ℓ₀ = y₀ for simple smoothing.
  static func initialState(_ y: [Double], spec: ETSSpec, seasonLength m: Int) -> ETSState {
    func line(_ v: [Double]) -> (a: Double, b: Double) {
      let k = Double(v.count)
      guard v.count >= 2 else { return (v.first ?? 0, 0) }
      let tMean = (k - 1) / 2
      let vMean = v.reduce(0, +) / k
      var sxy = 0.0
      var sxx = 0.0
      for (t, value) in v.enumerated() {
        sxy += (Double(t) - tMean) * (value - vMean)
        sxx += (Double(t) - tMean) * (Double(t) - tMean)
      }
      let b = sxy / sxx
      return (vMean - b * tMean, b)
    }
    if spec.season != .none {
      let seasons = min(y.count / m, 4)
      let head = Array(y.prefix(seasons * m))
      let multiplicative = spec.season == .multiplicative
      let indices =
        ClassicalDecomposition.seasonalIndices(
          head, seasonLength: m, multiplicative: multiplicative)
        ?? [Double](repeating: multiplicative ? 1 : 0, count: m)
      let adjusted = head.enumerated().map { t, v in
        multiplicative ? v / indices[t % m] : v - indices[t % m]
      }
      if spec.trend == .none {
        let level = adjusted.prefix(m).reduce(0, +) / Double(m)
        return ETSState(level: level, trend: 0, seasonal: indices)
      }
      let (a, b) = line(adjusted)
      return ETSState(level: a - b, trend: b, seasonal: indices)
    }
    if spec.trend == .none { return ETSState(level: y.first ?? 0, trend: 0, seasonal: []) }
    let (a, b) = line(Array(y.prefix(10)))
    return ETSState(level: a - b, trend: b, seasonal: [])
  }
}
