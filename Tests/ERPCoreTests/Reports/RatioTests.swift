import ERPCore
import Testing

@Suite("Ratio4")
struct RatioTests {
  @Test(arguments: [
    (Int64(1), Int64(2), Int64(5000)),
    (1, 3, 3333),
    (2, 3, 6667),
    (0, 5, 0),
    (5, 5, 10000),
    (7, 2, 35000),
    (41365, 100_000, 4137),  // 0.41365 → half away from zero
    (41364, 100_000, 4136),
    (-41365, 100_000, -4137),
    (41365, -100_000, -4137),
    (-41365, -100_000, 4137),
    (1, 20000, 1),  // exactly 0.00005
    (-1, 20000, -1),
    (1, -20000, -1),
    (-1, -20000, 1),
    (49_999, 1_000_000_000, 0),  // 0.000049999
    (-49_999, 1_000_000_000, 0),
    (50_001, 1_000_000_000, 1),
    (3, 80000, 0),  // 0.0000375
    (12_345, 1, 123_450_000),
    (-2, 3, -6667),
  ])
  func rounds(_ n: Int64, _ d: Int64, _ expected: Int64) {
    #expect(Ratio4.of(n, d) == Ratio4(tenThousandths: expected), "\(n)/\(d)")
  }

  @Test func zeroDenominatorHasNoRate() {
    #expect(Ratio4.of(5, 0) == nil)
    #expect(Ratio4.of(0, 0) == nil)
    #expect(Ratio4.of(-5, 0) == nil)
    #expect(Ratio4.of(Int128(1), Int128(0)) == nil)
  }

  @Test func hugeOperands() {
    #expect(Ratio4.of(Int64.max, Int64.max)?.tenThousandths == 10000)
    #expect(Ratio4.of(Int64.min, Int64.max)?.tenThousandths == -10000)
    #expect(Ratio4.of(Int64.max, Int64.min)?.tenThousandths == -10000)
    #expect(Ratio4.of(Int64.min, Int64.min)?.tenThousandths == 10000)
    #expect(Ratio4.of(Int64.max / 3, Int64.max)?.tenThousandths == 3333)
    #expect(Ratio4.of(1, Int64.max)?.tenThousandths == 0)
    #expect(Ratio4.of(922_337_203_685_477, 1)?.tenThousandths == 9_223_372_036_854_770_000)
    // Beyond Int64 ten-thousandths: saturates.
    #expect(Ratio4.of(Int64.max, 1)?.tenThousandths == Int64.max)
    #expect(Ratio4.of(Int64.min, 1)?.tenThousandths == -Int64.max)
    #expect(Ratio4.of(922_337_203_685_478, 1)?.tenThousandths == Int64.max)
    // 128-bit operands where 10 × remainder would overflow.
    let big = Int128.max
    #expect(Ratio4.of(big, big)?.tenThousandths == 10000)
    #expect(Ratio4.of(big - 1, big)?.tenThousandths == 10000)
    #expect(Ratio4.of(big / 3, big)?.tenThousandths == 3333)
    #expect(Ratio4.of(big / 3 * 2, big)?.tenThousandths == 6667)
    #expect(Ratio4.of(Int128.min, big)?.tenThousandths == -10000)
    #expect(Ratio4.of(big / 20000 + 1, big)?.tenThousandths == 1)  // just over 0.00005
    #expect(Ratio4.of(big / 20000 - 1, big)?.tenThousandths == 0)  // just under
    #expect(Ratio4.of(Int128(1) << 100, Int128(1) << 101)?.tenThousandths == 5000)
    #expect(Ratio4.of(Int128(1) << 100, (Int128(1) << 100) * 20000)?.tenThousandths == 1)
  }

  /// Against the direct formula round(n × 10000 / d), which cannot overflow 128 bits for these.
  @Test func agreesWithTheDirectFormula() {
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    func next() -> Int64 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int64(bitPattern: state >> 1) % 2_000_000_000_000_000 - 1_000_000_000_000_000
    }
    for i in 0..<20000 {
      var n = next()
      var d = next()
      if i % 3 == 0 { d %= 100_000 }  // small denominators: many exact halves
      if i % 5 == 0 { n %= 1000 }
      guard d != 0 else { continue }
      let q = LineMath.divideRounded(Int128(n) * 10000 * (d < 0 ? -1 : 1), Int128(d.magnitude))
      let expected = q > Int128(Int64.max) ? Int64.max : q < -Int128(Int64.max) ? -Int64.max : Int64(q)
      #expect(Ratio4.of(n, d)?.tenThousandths == expected, "\(n)/\(d)")
    }
  }

  @Test(arguments: [
    (Int64(4137), "0.4137", "0.4137", "41.37%"),
    (10000, "1.0000", "1", "100.00%"),
    (5000, "0.5000", "0.5", "50.00%"),
    (0, "0.0000", "0", "0.00%"),
    (1, "0.0001", "0.0001", "0.01%"),
    (-500, "-0.0500", "-0.05", "-5.00%"),
    (-10000, "-1.0000", "-1", "-100.00%"),
    (123_450_000, "12345.0000", "12345", "1234500.00%"),
    (12_345, "1.2345", "1.2345", "123.45%"),
  ])
  func formats(_ t: Int64, _ fixed: String, _ short: String, _ percent: String) {
    let r = Ratio4(tenThousandths: t)
    #expect(r.fixed4 == fixed)
    #expect(r.shortest == short)
    #expect(r.description == short)
    #expect(r.percent == percent)
  }

  @Test func ordering() throws {
    #expect(Ratio4(tenThousandths: -1) < Ratio4(tenThousandths: 0))
    #expect(try #require(Ratio4.of(1, 3)) < #require(Ratio4.of(1, 2)))
  }
}
