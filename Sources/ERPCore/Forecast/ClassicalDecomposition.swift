/// Classical seasonal decomposition, as statsmodels' `seasonal_decompose` (two-sided moving
/// average, no extrapolation) computes it: the trend is the centred moving average of order m
/// (2×m for even m), the detrended series is y / trend (multiplicative) or y − trend
/// (additive), each season position's index is the mean of its detrended values, and the
/// indices are normalised to mean 1 (multiplicative) or 0 (additive).
public enum ClassicalDecomposition {
  /// The m seasonal indices of `series`, index i for the positions t with t mod m = i (t
  /// counted from the series' first value). Nil when m < 2 or the series holds fewer than two
  /// full seasons, or (multiplicative) when a value or a moving average is not positive.
  public static func seasonalIndices(_ series: [Double], seasonLength m: Int, multiplicative: Bool)
    -> [Double]?
  {
    let n = series.count
    guard m >= 2, n >= 2 * m else { return nil }
    if multiplicative && series.contains(where: { $0 <= 0 }) { return nil }
    let half = m / 2
    var sums = [Double](repeating: 0, count: m)
    var counts = [Int](repeating: 0, count: m)
    for t in half..<(n - half) {
      var trend = 0.0
      if m % 2 == 0 {
        trend = 0.5 * series[t - half] + 0.5 * series[t + half]
        for k in (t - half + 1)..<(t + half) { trend += series[k] }
      } else {
        for k in (t - half)...(t + half) { trend += series[k] }
      }
      trend /= Double(m)
      if multiplicative {
        guard trend > 0 else { return nil }
        sums[t % m] += series[t] / trend
      } else {
        sums[t % m] += series[t] - trend
      }
      counts[t % m] += 1
    }
    var indices = (0..<m).map { sums[$0] / Double(counts[$0]) }
    let mean = indices.reduce(0, +) / Double(m)
    if multiplicative {
      guard mean > 0 else { return nil }
      indices = indices.map { $0 / mean }
    } else {
      indices = indices.map { $0 - mean }
    }
    return indices
  }
}
