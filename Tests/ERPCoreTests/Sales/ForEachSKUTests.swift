import ERPTestSupport
import Testing

@testable import ERPCore

/// `forEachSKU` (the deciders' per-SKU totals without arrays) gives what `bySKU` gives: the
/// same SKUs in the same order with the same totals, on random lines with repeated SKUs, up to
/// and past the 16 lines it scans.
@Suite("per-SKU totals")
struct ForEachSKUTests {
  @Test func sameAsBySKU() {
    var rng = SplitMix64(seed: 5)
    for _ in 0..<3_000 {
      let n = Int(rng.next() % 21)
      let lines = (0..<n).map { _ in ("SKU-\(rng.next() % 6)", Int64(rng.next() % 9) - 2) }
      var got: [(String, Int64)] = []
      SalesDecider.forEachSKU(lines, sku: { $0.0 }, qty: { $0.1 }) { got.append(($0, $1)) }
      let want = SalesDecider.bySKU(lines)
      #expect(got.map(\.0) == want.map(\.sku) && got.map(\.1) == want.map(\.qty), "\(lines)")
    }
  }
}
