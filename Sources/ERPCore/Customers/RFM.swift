import Foundation

/// Recency / frequency / monetary scores and segments (SPEC 5 and 7 "Customers").
public enum RFM {
  /// The segments of the R × F grid, in SPEC 7's order.
  public static let segments = [
    "champions", "loyal", "potential_loyalist", "new", "promising", "need_attention",
    "about_to_sleep",
    "cannot_lose", "at_risk", "hibernating",
  ]

  /// The q-th percentile (0 ≤ q ≤ 100) of ascending `sorted` values with linear interpolation,
  /// as numpy's default (`method="linear"`): with h = (n − 1)·q/100, i = ⌊h⌋ and g = h − i, the
  /// value is vᵢ + g·(vᵢ₊₁ − vᵢ) — evaluated as vᵢ₊₁ − (1 − g)·(vᵢ₊₁ − vᵢ) when g ≥ ½, as numpy
  /// does, so results agree to the last bit. Nil for no values.
  public static func percentile(_ sorted: [Double], _ q: Double) -> Double? {
    guard let first = sorted.first else { return nil }
    let n = sorted.count
    guard n > 1 else { return first }
    let h = (q / 100) * Double(n - 1)
    let i = min(max(Int(h.rounded(.down)), 0), n - 1)
    let j = min(i + 1, n - 1)
    let g = h - Double(i)
    let (lo, hi) = (sorted[i], sorted[j])
    let d = hi - lo
    return g >= 0.5 ? hi - d * (1 - g) : lo + d * g
  }

  /// The cut points c1..c4: the 20th, 40th, 60th and 80th percentiles of `values` (any order).
  /// Empty for no values, which makes every score 1.
  public static func cutPoints(_ values: [Double]) -> [Double] {
    let s = values.sorted()
    return [20.0, 40, 60, 80].compactMap { percentile(s, $0) }
  }

  /// The score 1–5 of `value`: 1 + #{cᵢ < value} (frequency, monetary), or with `inverted`
  /// 1 + #{cᵢ > value} (recency in days: the more recent, the higher). Equal values get equal
  /// scores.
  public static func score(_ value: Double, cuts: [Double], inverted: Bool) -> Int {
    1 + cuts.filter { inverted ? $0 > value : $0 < value }.count
  }

  /// The segment of an R and F score (each 1–5), SPEC 7's grid (R rows, F columns):
  ///
  ///     R\F   1               2               3                   4           5
  ///     5     new             potential_loy.  potential_loyalist  champions   champions
  ///     4     promising       potential_loy.  potential_loyalist  loyal       loyal
  ///     3     about_to_sleep  about_to_sleep  need_attention      loyal       loyal
  ///     1–2   hibernating     hibernating     at_risk             at_risk     cannot_lose
  public static func segment(r: Int, f: Int) -> String {
    precondition((1...5).contains(r) && (1...5).contains(f), "RFM scores are 1...5")
    switch (r, f) {
    case (5, 4...5): return "champions"
    case (3...4, 4...5): return "loyal"
    case (4...5, 2...3): return "potential_loyalist"
    case (5, 1): return "new"
    case (4, 1): return "promising"
    case (3, 3): return "need_attention"
    case (3, 1...2): return "about_to_sleep"
    case (1...2, 5): return "cannot_lose"
    case (1...2, 3...4): return "at_risk"
    default: return "hibernating"  // (1...2, 1...2)
    }
  }
}
