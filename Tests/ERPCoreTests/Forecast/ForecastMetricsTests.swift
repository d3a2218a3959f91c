import XCTest

@testable import ERPCore

/// The accuracy measures and the normal quantile, by hand.
final class ForecastMetricsTests: XCTestCase {
  func testNormalQuantile() {
    XCTAssertEqual(normalQuantile(0.5), 0, accuracy: 1e-15)
    XCTAssertEqual(normalQuantile(0.95), 1.6448536269514722, accuracy: 1e-13)
    XCTAssertEqual(normalQuantile(0.975), 1.959963984540054, accuracy: 1e-13)
    XCTAssertEqual(normalQuantile(0.90), 1.2815515655446004, accuracy: 1e-13)
    XCTAssertEqual(normalQuantile(0.01), -2.3263478740408408, accuracy: 1e-12)
    XCTAssertEqual(normalQuantile(1e-10), -6.361340902404056, accuracy: 1e-9)
    XCTAssertEqual(normalQuantile(0.999), 3.090232306167813, accuracy: 1e-12)
    for p in stride(from: 0.001, to: 1, by: 0.037) {
      XCTAssertEqual(normalCDF(normalQuantile(p)), p, accuracy: 1e-14)
    }
    XCTAssertEqual(normalQuantile(0), -.infinity)
    XCTAssertEqual(normalQuantile(1), .infinity)
    XCTAssertTrue(normalQuantile(1.5).isNaN)
  }

  /// 200·10/210 = 9.5238…, 0/0 → 0, 200·10/90 = 22.222…; mean 10.582…
  func testSMAPE() throws {
    let s = try XCTUnwrap(ForecastMetrics.smape(actual: [100, 0, 50], forecast: [110, 0, 40]))
    XCTAssertEqual(s, (2000.0 / 210 + 0 + 2000.0 / 90) / 3, accuracy: 1e-12)
    XCTAssertEqual(ForecastMetrics.smape(actual: [0], forecast: [5]), 200)
    XCTAssertNil(ForecastMetrics.smape(actual: [], forecast: []))
  }

  /// Training 1, 3, 2, 5; actual 6, 7; forecast 5, 9 → MAE 1.5.
  /// m = 1: scale = (2 + 1 + 3)/3 = 2 → 0.75. m = 2 (two seasons): |2 − 1|, |5 − 3| → 1.5 → 1.
  /// m = 3 (not two seasons): lag 1 again → 0.75. A constant training part has no scale.
  func testMASE() throws {
    let training: [Double] = [1, 3, 2, 5]
    func mase(_ m: Int) -> Double? {
      ForecastMetrics.mase(actual: [6, 7], forecast: [5, 9], training: training, seasonLength: m)
    }
    XCTAssertEqual(try XCTUnwrap(mase(1)), 0.75, accuracy: 1e-12)
    XCTAssertEqual(try XCTUnwrap(mase(2)), 1, accuracy: 1e-12)
    XCTAssertEqual(try XCTUnwrap(mase(3)), 0.75, accuracy: 1e-12)
    XCTAssertNil(
      ForecastMetrics.mase(actual: [1], forecast: [2], training: [4, 4, 4], seasonLength: 1))
  }

  func testOWA() {
    XCTAssertEqual(ForecastMetrics.owa(smape: 10, mase: 0.5, naive2Smape: 20, naive2Mase: 1), 0.5)
    XCTAssertNil(ForecastMetrics.owa(smape: 10, mase: 0.5, naive2Smape: 0, naive2Mase: 1))
    XCTAssertNil(ForecastMetrics.owa(smape: nil, mase: 0.5, naive2Smape: 1, naive2Mase: 1))
  }

  /// yₜ = 100·sₜ with s = 0.8, 1.2, 0.9, 1.1 over three years: the 2×4 moving average is 100
  /// everywhere, so the indices come back exactly; the lag-4 autocorrelation is strong, so the
  /// series is seasonal; Naive2 = (last / its index) × the next indices = 80, 120, 90, 110.
  func testNaive2OnAnExactMultiplicativeSeason() throws {
    let s: [Double] = [0.8, 1.2, 0.9, 1.1]
    let y = (0..<12).map { 100 * s[$0 % 4] }
    let indices = try XCTUnwrap(
      ClassicalDecomposition.seasonalIndices(y, seasonLength: 4, multiplicative: true))
    for i in 0..<4 { XCTAssertEqual(indices[i], s[i], accuracy: 1e-12) }
    XCTAssertTrue(ForecastMetrics.isSeasonal(y, seasonLength: 4))
    let naive2 = ForecastMetrics.naive2(training: y, seasonLength: 4, horizon: 5)
    for (got, want) in zip(naive2, [80.0, 120, 90, 110, 80]) {
      XCTAssertEqual(got, want, accuracy: 1e-9)
    }
    // Not seasonal (a straight line), m = 1, or a zero: plain naive.
    let line = (0..<12).map { Double($0) + 1 }
    XCTAssertFalse(ForecastMetrics.isSeasonal(line, seasonLength: 4))
    XCTAssertEqual(ForecastMetrics.naive2(training: line, seasonLength: 4, horizon: 2), [12, 12])
    XCTAssertEqual(
      ForecastMetrics.naive2(training: y, seasonLength: 1, horizon: 2), [y[11], y[11]])
    var withZero = y
    withZero[3] = 0
    XCTAssertEqual(ForecastMetrics.naive2(training: withZero, seasonLength: 4, horizon: 1), [y[11]])
  }

  func testSeasonalNaiveBaseline() {
    XCTAssertEqual(
      ForecastMetrics.seasonalNaive(training: [1, 2, 3, 4, 5], seasonLength: 2, horizon: 3),
      [4, 5, 4])
    XCTAssertEqual(
      ForecastMetrics.seasonalNaive(training: [1, 2, 3], seasonLength: 12, horizon: 2), [3, 3])
  }
}
