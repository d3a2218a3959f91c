/// The demand models of `erpctl forecast` (SPEC 5 and 7), by the names the output uses.
///
/// Exponential smoothing models are written in component form with one-step forecast
/// ŷₜ = (ℓ + φ_b·b) ⊕ s, where ⊕ is + (additive season) or × (multiplicative season):
/// - `naive`: ŷₜ = yₜ₋₁. `snaive`: ŷₜ = yₜ₋ₘ (needs m ≥ 2 and one full season).
/// - `ses`: level only. `holt`: level and additive trend. `holt_damped`: trend damped by φ.
/// - `hw_add`, `hw_mul`: Holt-Winters with additive trend and additive / multiplicative season;
///   `hw_add_damped`, `hw_mul_damped`: the same with a damped trend. Only when the series holds
///   at least two full seasons (n ≥ 2m, m ≥ 2); multiplicative only when every value is > 0.
/// - `croston`, `sba`: Croston's method for intermittent demand and the Syntetos–Boylan
///   approximation (Croston's forecast × (1 − α/2)); need at least one period with demand.
public enum ForecastModel: String, CaseIterable, Sendable, Codable {
  case naive, snaive, ses, holt
  case holtDamped = "holt_damped"
  case hwAdd = "hw_add"
  case hwMul = "hw_mul"
  case hwAddDamped = "hw_add_damped"
  case hwMulDamped = "hw_mul_damped"
  case croston, sba

  /// The smoothing structure of an exponential smoothing model (nil for naive, snaive, Croston).
  var ets: ETSSpec? {
    switch self {
    case .naive, .snaive, .croston, .sba: nil
    case .ses: ETSSpec(trend: .none, season: .none)
    case .holt: ETSSpec(trend: .additive, season: .none)
    case .holtDamped: ETSSpec(trend: .damped, season: .none)
    case .hwAdd: ETSSpec(trend: .additive, season: .additive)
    case .hwMul: ETSSpec(trend: .additive, season: .multiplicative)
    case .hwAddDamped: ETSSpec(trend: .damped, season: .additive)
    case .hwMulDamped: ETSSpec(trend: .damped, season: .multiplicative)
    }
  }

  /// Whether the model can be fitted to `series` with season length `seasonLength` (the data
  /// requirements listed on the type).
  public func isApplicable(to series: [Double], seasonLength m: Int) -> Bool {
    let n = series.count
    switch self {
    case .naive: return n >= 1
    case .snaive: return m >= 2 && n >= m
    case .ses: return n >= 2
    case .holt, .holtDamped: return n >= 4
    case .hwAdd, .hwAddDamped: return m >= 2 && n >= 2 * m
    case .hwMul, .hwMulDamped: return m >= 2 && n >= 2 * m && series.allSatisfy { $0 > 0 }
    case .croston, .sba:
      return n >= 2 && series.allSatisfy { $0 >= 0 } && series.contains { $0 > 0 }
    }
  }
}

/// Smoothing parameters and initial states of a model. In `Forecaster.fit(_:to:seasonLength:
/// fixing:)` a value that is set is held fixed and a nil one is estimated; in a fitted model
/// the values the model uses are set and the others are nil.
///
/// - `alpha`: level (or, for Croston, the smoothing constant of both sizes and intervals).
/// - `beta`: trend, as a share of the level's change (β* of Hyndman et al.: bₜ = β(ℓₜ − ℓₜ₋₁)
///   + (1 − β)φbₜ₋₁).
/// - `gamma`: season, 0 ≤ γ ≤ 1 − α (the usual admissible region).
/// - `phi`: damping, in [0.8, 0.98] when estimated.
/// - `level`, `trend`: the states before the first observation (ℓ₀, b₀); for Croston `level` is
///   the initial demand size and `trend` unused.
public struct ModelParameters: Sendable, Equatable {
  public var alpha: Double?
  public var beta: Double?
  public var gamma: Double?
  public var phi: Double?
  public var level: Double?
  public var trend: Double?

  public init(
    alpha: Double? = nil, beta: Double? = nil, gamma: Double? = nil, phi: Double? = nil,
    level: Double? = nil, trend: Double? = nil
  ) {
    (self.alpha, self.beta, self.gamma, self.phi) = (alpha, beta, gamma, phi)
    (self.level, self.trend) = (level, trend)
  }
}
