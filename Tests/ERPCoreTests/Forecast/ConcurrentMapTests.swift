import Testing

@testable import ERPCore

/// `concurrentMap` (the per-series model fits run on every core) gives exactly what `map` gives,
/// in order.
@Suite("concurrent map")
struct ConcurrentMapTests {
  @Test func equalsMapInOrder() {
    // Uneven work per element, so the threads finish out of order.
    let input = (0..<2_000).map { UInt64($0) }
    let work: @Sendable (UInt64) -> UInt64 = { n in
      var x = n &+ 1
      for _ in 0..<(n % 97) * 50 { x = x &* 6364136223846793005 &+ 1442695040888963407 }
      return x
    }
    #expect(input.concurrentMap(work) == input.map(work))
    #expect([UInt64]().concurrentMap(work) == [])
    #expect([UInt64(7)].concurrentMap(work) == [work(7)])
  }

  @Test func forecastsOfManySeriesEqualOneByOne() {
    // The fits through `concurrentMap` against the same fits one at a time.
    let series = (0..<24).map { k in (0..<30).map { t in Double((t * (k + 3)) % 17 + k) } }
    let together = series.concurrentMap { Forecaster.choose($0, seasonLength: 12, horizon: 6)?.fit.forecast(6).map(\.forecast) }
    let apart = series.map { Forecaster.choose($0, seasonLength: 12, horizon: 6)?.fit.forecast(6).map(\.forecast) }
    #expect(together == apart)
    #expect(together.allSatisfy { $0 != nil })
  }
}
