/// Exact rounding helpers shared by the reports.
public enum ReportMath {
  /// numerator / denominator rounded half away from zero to `scale` decimals, as a
  /// `Cell.decimal`; `.null` when the denominator is 0.
  public static func decimal(_ numerator: Int64, _ denominator: Int64, scale: Int) -> Cell {
    guard denominator != 0 else { return .null }
    var p: Int128 = 1
    for _ in 0..<scale { p *= 10 }
    let n = Int128(numerator) * p
    let d = Int128(denominator)
    let negative = (n < 0) != (d < 0)
    let (q, r) = (n.magnitude / d.magnitude, n.magnitude % d.magnitude)
    let rounded = r * 2 >= d.magnitude ? q + 1 : q
    let v = Int64(clamping: rounded)
    return .decimal(negative ? -v : v, scale: scale)
  }

  /// A Double rounded half away from zero to `scale` decimals as a `Cell.decimal`; `.null`
  /// when it is not finite.
  public static func decimal(_ x: Double, scale: Int) -> Cell {
    guard x.isFinite else { return .null }
    var p = 1.0
    for _ in 0..<scale { p *= 10 }
    let v = (x * p).rounded(.toNearestOrAwayFromZero)
    guard abs(v) < 9e18 else { return .null }
    return .decimal(Int64(v), scale: scale)
  }

  /// A Double rate rounded half away from zero to 4 decimals; nil rate when not finite.
  public static func rate(_ x: Double) -> Cell {
    guard x.isFinite, abs(x) < 9e14 else { return .rate(nil) }
    return .rate(Ratio4(tenThousandths: Int64((x * 10_000).rounded(.toNearestOrAwayFromZero))))
  }

  /// The median of integers, exact to 1 decimal (the mean of the middle two for an even count).
  public static func median(_ values: [Int64]) -> Cell {
    guard !values.isEmpty else { return .null }
    let s = values.sorted()
    let n = s.count
    return n % 2 == 1 ? .decimal(s[n / 2] * 10, scale: 1) : decimal(s[n / 2 - 1] + s[n / 2], 2, scale: 1)
  }
}

extension ReportMath {
  /// A fraction in [0, 1] written with `scale` decimals (`0.05`), for JSON object keys.
  public static func decimalText(_ x: Double, scale: Int) -> String {
    guard case .decimal(let v, let s) = decimal(x, scale: scale) else { return "" }
    return Money(minorUnits: v).format(digits: s)
  }
}
