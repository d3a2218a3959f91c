import XCTest

@testable import ERPCore

/// Automatic model choice and the rolling-origin backtest.
final class ForecastChoiceTests: XCTestCase {
  /// Four years of monthly demand with trend and a multiplicative season, little noise.
  func seasonalSeries(months: Int = 48, seed: UInt64 = 5) -> [Double] {
    var rng = SeededRandom(seed: seed)
    let season: [Double] = [0.7, 0.8, 1.0, 1.1, 1.2, 1.3, 1.2, 1.1, 1.0, 0.9, 0.8, 0.9]
    return (0..<months).map { t in
      (200 + 3 * Double(t)) * season[t % 12] * (1 + 0.03 * rng.normal())
    }
  }

  func testASeasonalSeriesWithTrendGetsAHoltWintersModel() throws {
    let y = seasonalSeries()
    let choice = try XCTUnwrap(Forecaster.choose(y, seasonLength: 12, horizon: 12))
    XCTAssertTrue(
      [.hwAdd, .hwMul, .hwAddDamped, .hwMulDamped].contains(choice.model), "\(choice.model)")
    XCTAssertEqual(choice.holdout, 12)
    XCTAssertFalse(choice.intermittent)
    XCTAssertEqual(choice.reason, "lowest validation MAE of 9 candidates (holdout 12)")
    XCTAssertEqual(choice.candidates.count, 9)
    let best = choice.candidates.min { $0.error < $1.error }!
    XCTAssertEqual(best.model, choice.model)
    XCTAssertEqual(choice.fit.fitted.count, y.count, "refitted on the whole series")
  }

  func testHoltWintersOnlyWithTwoSeasonsInTheTrainingPart() throws {
    // 30 months, holdout 7 (⌊30/4⌋): 23 training months are less than two seasons.
    let choice = try XCTUnwrap(
      Forecaster.choose(seasonalSeries(months: 30), seasonLength: 12, horizon: 12))
    XCTAssertEqual(choice.holdout, 7)
    XCTAssertFalse(choice.candidates.contains { $0.model.rawValue.hasPrefix("hw_") })
    XCTAssertEqual(choice.candidates.map(\.model), [.naive, .snaive, .ses, .holt, .holtDamped])
  }

  func testAnIntermittentSeriesChoosesAmongCrostonSBAAndNaiveBaselines() throws {
    var rng = SeededRandom(seed: 9)
    let y = (0..<36).map { _ in rng.chance(0.35) ? Double(rng.int(1...9)) : 0 }
    XCTAssertTrue(Forecaster.isIntermittent(y))
    let choice = try XCTUnwrap(Forecaster.choose(y, seasonLength: 12, horizon: 6))
    XCTAssertTrue(choice.intermittent)
    XCTAssertTrue(Forecaster.intermittentCandidates.contains(choice.model))
    XCTAssertTrue(
      choice.reason.hasPrefix("intermittent: lowest validation RMSE of "), choice.reason)
    XCTAssertEqual(Forecaster.averageDemandInterval([0, 3, 0, 5]), 2)
    XCTAssertFalse(Forecaster.isIntermittent([4, 3, 0, 5, 6]))  // ADI 1.25
  }

  func testShortSeries() throws {
    XCTAssertNil(Forecaster.choose([], seasonLength: 12, horizon: 12))
    let c = try XCTUnwrap(Forecaster.choose([3, 5, 4], seasonLength: 12, horizon: 12))
    XCTAssertEqual(c.model, .naive)
    XCTAssertEqual(c.reason, "too short to validate (3 points): naive")
    XCTAssertEqual(c.fit.forecast(2).map(\.forecast), [4, 4])
    XCTAssertEqual(Forecaster.validationHoldout(count: 4, horizon: 12), 1)
    XCTAssertEqual(Forecaster.validationHoldout(count: 132, horizon: 12), 12)
  }

  func testBacktestUsesOnlyDataBeforeEachOrigin() throws {
    let y = seasonalSeries(months: 60)
    let r = try XCTUnwrap(Forecaster.backtest(y, seasonLength: 12, horizon: 12, origins: 3))
    XCTAssertEqual(r.origins.map(\.trainingCount), [48, 47, 46])
    XCTAssertEqual(r.model, r.origins[0].model)
    // Each origin's choice is what `choose` makes on the prefix alone.
    for o in r.origins {
      let alone = try XCTUnwrap(
        Forecaster.choose(Array(y.prefix(o.trainingCount)), seasonLength: 12, horizon: 12))
      XCTAssertEqual(alone.model, o.model)
    }
    let mase = try XCTUnwrap(r.mase)
    let naive = try XCTUnwrap(r.naiveMase)
    XCTAssertLessThan(mase, naive, "trend + season beat the seasonal naive forecast")
    XCTAssertLessThan(try XCTUnwrap(r.owa), 1)
    XCTAssertEqual(mase, r.origins.map { $0.mase! }.reduce(0, +) / 3, accuracy: 1e-12)
    XCTAssertNil(Forecaster.backtest([1, 2, 3], seasonLength: 12, horizon: 12))
  }
}
