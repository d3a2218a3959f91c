import ERPTestSupport
import Foundation
import XCTest

@testable import ERPCore

/// The accuracy bar: the airline passengers series (Fixtures/forecast/airline.csv), the last 12
/// months held out. The automatic choice, made on the first 132 months only, must score a MASE
/// within 10 % of statsmodels' Holt-Winters (additive trend, multiplicative season) on the same
/// split, as recorded by Fixtures/forecast/statsmodels_reference.py in
/// statsmodels_reference.json. No Python runs here.
final class ForecastAirlineTests: XCTestCase {
  func airline() throws -> [Double] {
    let lines = try Fixtures.lines("forecast/airline.csv").dropFirst()
    return try lines.map { line in
      let fields = line.split(separator: ",")
      guard fields.count == 2, let v = Double(fields[1]) else {
        throw CocoaError(.fileReadCorruptFile)
      }
      return v
    }
  }

  func reference() throws -> [String: Any] {
    let data = try Data(
      contentsOf: URL(fileURLWithPath: Fixtures.path("forecast/statsmodels_reference.json")))
    return try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
  }

  func testAutomaticChoiceIsWithinTenPercentOfStatsmodels() throws {
    let y = try airline()
    XCTAssertEqual(y.count, 144)
    XCTAssertEqual(y.reduce(0, +), 40363)
    let training = Array(y.prefix(132))
    let actual = Array(y.suffix(12))
    let ref = try reference()
    let refFit = try XCTUnwrap(ref["reference"] as? [String: Any])
    let refMASE = try XCTUnwrap(refFit["mase"] as? Double)
    let scale = try XCTUnwrap(ref["mase_scale"] as? Double)
    XCTAssertEqual(
      try XCTUnwrap(ForecastMetrics.maseScale(training: training, seasonLength: 12)), scale,
      accuracy: 1e-9)

    let choice = try XCTUnwrap(Forecaster.choose(training, seasonLength: 12, horizon: 12))
    let forecast = choice.fit.forecast(12).map(\.forecast)
    let mase = try XCTUnwrap(
      ForecastMetrics.mase(actual: actual, forecast: forecast, training: training, seasonLength: 12)
    )
    let smape = try XCTUnwrap(ForecastMetrics.smape(actual: actual, forecast: forecast))
    let naive = try XCTUnwrap(ref["seasonal_naive"] as? [String: Any])["mase"] as? Double
    print(
      String(
        format:
          "airline: chose %@ (%@): MASE %.4f sMAPE %.3f; statsmodels hw add/mul MASE %.4f; seasonal naive %.4f",
        choice.model.rawValue, choice.reason, mase, smape, refMASE, naive ?? .nan))
    XCTAssertLessThanOrEqual(mase, 1.10 * refMASE)

    // The intervals of the chosen model hold most of 1960 (the 95 % band all of it here).
    let points = choice.fit.forecast(12)
    let inside = zip(points, actual).filter { $0.lo95 <= $1 && $1 <= $0.hi95 }.count
    XCTAssertGreaterThanOrEqual(inside, 11)
  }

  /// Our own Holt-Winters multiplicative fit is as close as statsmodels' (which also estimates
  /// the 12 initial seasonal states): in-sample SSE within 5 %.
  func testHoltWintersMultiplicativeFitMatchesStatsmodels() throws {
    let training = Array(try airline().prefix(132))
    let refFit = try XCTUnwrap(try reference()["reference"] as? [String: Any])
    let refSSE = try XCTUnwrap(refFit["sse"] as? Double)
    let f = try XCTUnwrap(Forecaster.fit(.hwMul, to: training, seasonLength: 12))
    print(
      String(
        format: "airline hw_mul: SSE %.1f (statsmodels %.1f), alpha %.3f beta %.4f gamma %.3f",
        f.sse, refSSE, f.parameters.alpha!, f.parameters.beta!, f.parameters.gamma!))
    XCTAssertLessThanOrEqual(f.sse, 1.05 * refSSE)
  }

  func testBacktestOnAirline() throws {
    let r = try XCTUnwrap(
      Forecaster.backtest(try airline(), seasonLength: 12, horizon: 12, origins: 3))
    XCTAssertEqual(r.origins.map(\.trainingCount), [132, 131, 130])
    XCTAssertLessThan(try XCTUnwrap(r.mase), try XCTUnwrap(r.naiveMase))
    XCTAssertLessThan(try XCTUnwrap(r.smape), try XCTUnwrap(r.naiveSmape))
    XCTAssertLessThan(try XCTUnwrap(r.owa), 1)
    print(
      String(
        format: "airline backtest: %@ MASE %.4f sMAPE %.3f naive MASE %.4f sMAPE %.3f OWA %.3f",
        r.model.rawValue, r.mase!, r.smape!, r.naiveMase!, r.naiveSmape!, r.owa!))
  }
}
