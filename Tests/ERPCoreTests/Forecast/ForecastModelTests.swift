import XCTest

@testable import ERPCore

/// Each model on a small series whose figures are worked out by hand in the comments.
final class ForecastModelTests: XCTestCase {
  func testNaiveAndSeasonalNaive() throws {
    let y: [Double] = [1, 2, 3, 4, 5, 6]
    let naive = try XCTUnwrap(Forecaster.fit(.naive, to: y, seasonLength: 3))
    XCTAssertEqual(naive.fitted, [nil, 1, 2, 3, 4, 5])
    XCTAssertEqual(naive.pointForecast(2), [6, 6])
    // Every one-step error is 1, so σ = 1; a random walk's h-step variance is h σ².
    XCTAssertEqual(naive.sigma, 1, accuracy: 1e-12)
    XCTAssertEqual(naive.varianceFactors(3), [1, 2, 3])

    let snaive = try XCTUnwrap(Forecaster.fit(.snaive, to: y, seasonLength: 3))
    XCTAssertEqual(snaive.fitted, [nil, nil, nil, 1, 2, 3])
    XCTAssertEqual(snaive.pointForecast(4), [4, 5, 6, 4])
    // errors 3, 3, 3: σ = 3; the variance grows once per whole season ahead.
    XCTAssertEqual(snaive.sigma, 3, accuracy: 1e-12)
    XCTAssertEqual(snaive.varianceFactors(4), [1, 1, 1, 2])
    XCTAssertNil(
      Forecaster.fit(.snaive, to: y, seasonLength: 1), "m = 1: snaive is naive, not a candidate")
    XCTAssertNil(Forecaster.fit(.snaive, to: [1, 2], seasonLength: 3), "less than one season")
  }

  /// SES, α = 0.5, ℓ₀ = 10 on 12, 8, 10, 14:
  ///   ŷ₁ = 10     ℓ₁ = ½·12 + ½·10   = 11
  ///   ŷ₂ = 11     ℓ₂ = ½·8  + ½·11   = 9.5
  ///   ŷ₃ = 9.5    ℓ₃ = ½·10 + ½·9.5  = 9.75
  ///   ŷ₄ = 9.75   ℓ₄ = ½·14 + ½·9.75 = 11.875  → forecast 11.875 flat
  /// SSE = 2² + 3² + 0.5² + 4.25² = 31.3125, σ = √(31.3125/4); vₕ = 1 + (h − 1)α².
  func testSimpleExponentialSmoothingByHand() throws {
    let f = try XCTUnwrap(
      Forecaster.fit(
        .ses, to: [12, 8, 10, 14], seasonLength: 1, fixing: ModelParameters(alpha: 0.5, level: 10)))
    XCTAssertEqual(f.fitted.map { $0! }, [10, 11, 9.5, 9.75])
    XCTAssertEqual(f.pointForecast(3), [11.875, 11.875, 11.875])
    XCTAssertEqual(f.sse, 31.3125, accuracy: 1e-12)
    let sigma = (31.3125 / 4.0).squareRoot()
    XCTAssertEqual(f.sigma, sigma, accuracy: 1e-12)
    XCTAssertEqual(f.varianceFactors(3), [1, 1.25, 1.5])
    let p = f.forecast(2)[1]
    XCTAssertEqual(p.step, 2)
    XCTAssertEqual(p.hi95, 11.875 + 1.959963984540054 * sigma * 1.25.squareRoot(), accuracy: 1e-9)
    XCTAssertEqual(p.lo80, 11.875 - 1.2815515655446004 * sigma * 1.25.squareRoot(), accuracy: 1e-9)
  }

  /// Holt, α = β = 0.5, ℓ₀ = 10, b₀ = 1 on 12, 13, 15:
  ///   ŷ₁ = 11        ℓ₁ = ½·12 + ½·11 = 11.5       b₁ = ½(11.5 − 10) + ½·1 = 1.25
  ///   ŷ₂ = 12.75     ℓ₂ = ½·13 + ½·12.75 = 12.875  b₂ = ½(1.375) + ½·1.25 = 1.3125
  ///   ŷ₃ = 14.1875   ℓ₃ = ½·15 + ½·14.1875 = 14.59375  b₃ = ½(1.71875) + ½·1.3125 = 1.515625
  /// forecast ℓ₃ + h·b₃: 16.109375, 17.625. Damped with φ = 0.8 the same start gives
  ///   ŷ₁ = 10 + 0.8 = 10.8  ℓ₁ = ½·12 + ½·10.8 = 11.4  b₁ = ½(1.4) + ½·0.8 = 1.1.
  func testHoltAndDampedHoltByHand() throws {
    let fixed = ModelParameters(alpha: 0.5, beta: 0.5, level: 10, trend: 1)
    let f = try XCTUnwrap(
      Forecaster.fit(.holt, to: [12, 13, 15, 15], seasonLength: 1, fixing: fixed))
    XCTAssertEqual(Array(f.fitted.prefix(3)).map { $0! }, [11, 12.75, 14.1875])
    let g = try XCTUnwrap(
      Forecaster.fit(.holt, to: [12, 13, 15, 15], seasonLength: 1, fixing: fixed))
    XCTAssertEqual(g, f, "fitting is deterministic")

    // The fourth value continues the recursion: ŷ₄ = 16.109375 (forecast one step from ℓ₃, b₃).
    XCTAssertEqual(f.fitted[3]!, 16.109375, accuracy: 1e-12)

    var damped = fixed
    damped.phi = 0.8
    let d = try XCTUnwrap(
      Forecaster.fit(.holtDamped, to: [12, 13, 15, 15], seasonLength: 1, fixing: damped))
    XCTAssertEqual(d.fitted[0]!, 10.8, accuracy: 1e-12)
    XCTAssertEqual(d.fitted[1]!, 11.4 + 0.8 * 1.1, accuracy: 1e-12)
    // Damped forecasts approach ℓ + b·φ/(1 − φ): the steps shrink by φ each period.
    let fc = d.pointForecast(3)
    XCTAssertEqual((fc[2] - fc[1]) / (fc[1] - fc[0]), 0.8, accuracy: 1e-12)
  }

  /// Holt-Winters additive, m = 2, on 10, 20, 12, 22. The seasonal start is the classical
  /// decomposition: 2×2 moving average at t = 1: (½·10 + 20 + ½·12)/2 = 15.5, at t = 2:
  /// (½·20 + 12 + ½·22)/2 = 16.5; detrended 20 − 15.5 = 4.5 (position 1), 12 − 16.5 = −4.5
  /// (position 0); indices −4.5, 4.5. With α = β = γ = ½, ℓ₀ = 14, b₀ = 1:
  ///   t = 0: base 15, ŷ = 15 − 4.5 = 10.5; ℓ = ½(10 + 4.5) + ½·15 = 14.75; b = ½·0.75 + ½ = 0.875
  ///   t = 1: base 15.625, ŷ = 15.625 + 4.5 = 20.125
  func testHoltWintersAdditiveByHand() throws {
    let indices = try XCTUnwrap(
      ClassicalDecomposition.seasonalIndices(
        [10, 20, 12, 22], seasonLength: 2, multiplicative: false))
    XCTAssertEqual(indices, [-4.5, 4.5])
    let fixed = ModelParameters(alpha: 0.5, beta: 0.5, gamma: 0.5, level: 14, trend: 1)
    let f = try XCTUnwrap(
      Forecaster.fit(.hwAdd, to: [10, 20, 12, 22], seasonLength: 2, fixing: fixed))
    XCTAssertEqual(f.fitted[0]!, 10.5, accuracy: 1e-12)
    XCTAssertEqual(f.fitted[1]!, 20.125, accuracy: 1e-12)
    XCTAssertNil(
      Forecaster.fit(.hwAdd, to: [10, 20, 12], seasonLength: 2), "fewer than two seasons")
    XCTAssertNil(
      Forecaster.fit(.hwMul, to: [10, 20, 0, 22], seasonLength: 2),
      "multiplicative needs values > 0")
  }

  /// Holt-Winters multiplicative on an exact series yₜ = (100 + 2t)·sₜ: the fit leaves almost
  /// no error and the forecast continues the pattern.
  func testHoltWintersMultiplicativeContinuesAnExactPattern() throws {
    let s: [Double] = [0.8, 1.2, 0.9, 1.1]
    let y = (0..<28).map { (100 + 2 * Double($0)) * s[$0 % 4] }
    let f = try XCTUnwrap(Forecaster.fit(.hwMul, to: Array(y.prefix(24)), seasonLength: 4))
    let fc = f.pointForecast(4)
    for i in 0..<4 { XCTAssertEqual(fc[i], y[24 + i], accuracy: 0.5, "step \(i + 1)") }
  }

  /// Croston, α = 0.5, on 0, 4, 0, 0, 2, 0, 6. Start at the first demand: z = 4, p = 2 (its
  /// 1-based position). t = 2, 3, 4 are forecast 4/2 = 2; at t = 4 demand 2 arrives 3 periods
  /// after the last: z = 4 + ½(2 − 4) = 3, p = 2 + ½(3 − 2) = 2.5; t = 5, 6 are forecast
  /// 3/2.5 = 1.2; at t = 6 demand 6, 2 periods on: z = 3 + ½·3 = 4.5, p = 2.5 + ½(2 − 2.5) = 2.25.
  /// Forecast 4.5/2.25 = 2; SBA × (1 − α/2) = 1.5.
  func testCrostonAndSBAByHand() throws {
    let y: [Double] = [0, 4, 0, 0, 2, 0, 6]
    let c = try XCTUnwrap(
      Forecaster.fit(.croston, to: y, seasonLength: 1, fixing: ModelParameters(alpha: 0.5)))
    XCTAssertEqual(c.fitted, [nil, nil, 2, 2, 2, 1.2, 1.2])
    XCTAssertEqual(c.pointForecast(2), [2, 2])
    let sba = try XCTUnwrap(
      Forecaster.fit(.sba, to: y, seasonLength: 1, fixing: ModelParameters(alpha: 0.5)))
    XCTAssertEqual(sba.pointForecast(1)[0], 1.5, accuracy: 1e-12)
    XCTAssertNil(Forecaster.fit(.croston, to: [0, 0, 0], seasonLength: 1), "no demand at all")
    let fitted = try XCTUnwrap(Forecaster.fit(.croston, to: y, seasonLength: 1))
    XCTAssertTrue((0.01...0.5).contains(fitted.parameters.alpha!))
  }

  func testIntervalsWidenAndStayNonNegative() throws {
    let y: [Double] = [5, 0, 3, 9, 2, 0, 4, 7, 1, 6, 0, 3]
    for model in ForecastModel.allCases {
      guard let f = Forecaster.fit(model, to: y, seasonLength: 4) else { continue }
      let points = f.forecast(6)
      XCTAssertEqual(points.count, 6, model.rawValue)
      for p in points {
        XCTAssertTrue(
          p.lo95 <= p.lo80 && p.lo80 <= p.forecast + 1e-9 && p.forecast <= p.hi80 + 1e-9,
          model.rawValue)
        XCTAssertTrue(p.hi80 <= p.hi95 && p.lo95 >= 0, model.rawValue)
      }
      let v = f.varianceFactors(6)
      XCTAssertEqual(v[0], 1, accuracy: 1e-12, model.rawValue)
      XCTAssertTrue(zip(v, v.dropFirst()).allSatisfy { $0 <= $1 }, model.rawValue)
    }
  }

  /// Data drawn from the models themselves (error-correction form, Gaussian errors): the
  /// optimiser finds parameters close to the true ones.
  func testTheOptimiserRecoversKnownParameters() throws {
    var rng = SeededRandom(seed: 2024)
    // SES with α = 0.3.
    var level = 50.0
    var ses: [Double] = []
    for _ in 0..<1500 {
      let e = 2 * rng.normal()
      ses.append(level + e)
      level += 0.3 * e
    }
    let a = try XCTUnwrap(Forecaster.fit(.ses, to: ses, seasonLength: 1)).parameters.alpha!
    XCTAssertEqual(a, 0.3, accuracy: 0.05)

    // Holt with α = 0.4, β = 0.2 (bₜ = bₜ₋₁ + αβεₜ).
    level = 100
    var slope = 0.5
    var holt: [Double] = []
    for _ in 0..<1500 {
      let e = 1.5 * rng.normal()
      holt.append(level + slope + e)
      level += slope + 0.4 * e
      slope += 0.4 * 0.2 * e
    }
    let h = try XCTUnwrap(Forecaster.fit(.holt, to: holt, seasonLength: 1)).parameters
    XCTAssertEqual(h.alpha!, 0.4, accuracy: 0.06)
    XCTAssertEqual(h.beta!, 0.2, accuracy: 0.08)

    // Holt-Winters additive, m = 4, α = 0.2, β = 0.1, γ = 0.3.
    level = 200
    slope = 1
    var season: [Double] = [-20, 10, -5, 15]
    var hw: [Double] = []
    for t in 0..<1200 {
      let e = 3 * rng.normal()
      let s = season[t % 4]
      hw.append(level + slope + s + e)
      level += slope + 0.2 * e
      slope += 0.2 * 0.1 * e
      season[t % 4] = s + 0.3 * e
    }
    let w = try XCTUnwrap(Forecaster.fit(.hwAdd, to: hw, seasonLength: 4)).parameters
    XCTAssertEqual(w.alpha!, 0.2, accuracy: 0.06)
    XCTAssertEqual(w.gamma!, 0.3, accuracy: 0.08)
  }
}
