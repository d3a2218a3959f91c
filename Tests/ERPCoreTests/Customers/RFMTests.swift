import Testing

@testable import ERPCore

@Suite("Customers: RFM")
struct CustomersRFMTests {
  // Expected values are numpy 2.4's `np.percentile(values, [20, 40, 60, 80])`, to the bit.
  // By hand, h = (n − 1)·q/100, value = v[⌊h⌋] + (h − ⌊h⌋)·(v[⌊h⌋+1] − v[⌊h⌋]):
  // - [1, 2, 3, 4, 5]: h = 0.8, 1.6, 2.4, 3.2 → 1.8, 2.6, 3.4, 4.2
  // - [10, 20]: h = 0.2, 0.4, 0.6, 0.8 → 12, 14, 16, 18
  // - [1, 1, 1, 2, 5, 5, 9]: h = 1.2 → 1; 2.4 → 1 + 0.4·1 = 1.4; 3.6 → 2 + 0.6·3 = 3.8; 4.8 → 5.
  //   numpy gives 1.4000000000000004 and 3.799999999999999: for g ≥ ½ it computes
  //   v[i+1] − (1 − g)·(v[i+1] − v[i]), and g itself is h − ⌊h⌋ in binary.
  // - [7]: every percentile is 7; [5, 5, 5, 5]: 5.
  // - [3, 1, 2] (unsorted input to cutPoints) = [1, 2, 3]: h = 0.4, 0.8, 1.2, 1.6
  //   → 1.4, 1.8, 2.2, 2.6
  // - 0.1 … 1.1 step 0.1 (11 values): h = 2, 4, 6, 8 exactly → 0.3, 0.5, 0.7, 0.9
  @Test(arguments: [
    ([1.0, 2, 3, 4, 5], [1.8, 2.6, 3.4, 4.2]),
    ([10, 20], [12, 14, 16, 18]),
    ([1, 1, 1, 2, 5, 5, 9], [1.0, 1.4000000000000004, 3.799999999999999, 5.0]),
    ([7], [7, 7, 7, 7]),
    ([5, 5, 5, 5], [5, 5, 5, 5]),
    ([3, 1, 2], [1.4, 1.8, 2.2, 2.6]),
    ([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1], [0.3, 0.5, 0.7, 0.9]),
  ])
  func cutPointsMatchNumpy(_ values: [Double], _ expected: [Double]) {
    #expect(RFM.cutPoints(values) == expected)
  }

  @Test func percentileEnds() {
    let v = [2.0, 4, 8]
    #expect(RFM.percentile(v, 0) == 2)
    #expect(RFM.percentile(v, 100) == 8)
    #expect(RFM.percentile(v, 50) == 4)
    #expect(RFM.percentile(v, 75) == 6)  // h = 1.5: 8 − 0.5·4
    #expect(RFM.percentile([], 50) == nil)
    #expect(RFM.cutPoints([]) == [])
  }

  @Test func scoresCountCutsStrictly() {
    let cuts = [1.8, 2.6, 3.4, 4.2]
    // F and M: 1 + #{c < value}.
    #expect(
      [1.0, 2, 3, 4, 5].map { RFM.score($0, cuts: cuts, inverted: false) } == [1, 2, 3, 4, 5])
    #expect(RFM.score(1.8, cuts: cuts, inverted: false) == 1)  // equal to a cut: not above it
    #expect(RFM.score(1.80001, cuts: cuts, inverted: false) == 2)
    // R (recency days): 1 + #{c > value}; the most recent scores 5.
    #expect(
      [1.0, 2, 3, 4, 5].map { RFM.score($0, cuts: cuts, inverted: true) } == [5, 4, 3, 2, 1])
    #expect(RFM.score(4.2, cuts: cuts, inverted: true) == 1)
    #expect(RFM.score(9, cuts: [], inverted: true) == 1)
  }

  @Test func tiesGetEqualScores() {
    // Order counts 1, 1, 1, 2, 5, 5, 9: cuts 1, 1.4, 3.8, 5.
    let values = [1.0, 1, 1, 2, 5, 5, 9]
    let cuts = RFM.cutPoints(values)
    #expect(values.map { RFM.score($0, cuts: cuts, inverted: false) } == [1, 1, 1, 3, 4, 4, 5])
    // Recency days, inverted: 1 + #{c > value}; 5 equals the top cut, so it scores like 9.
    #expect(values.map { RFM.score($0, cuts: cuts, inverted: true) } == [4, 4, 4, 3, 1, 1, 1])
    // All equal: every cut equals the value, so everyone scores 1 (F, M) and 1 (R).
    let same = RFM.cutPoints([3, 3, 3])
    #expect(RFM.score(3, cuts: same, inverted: false) == 1)
    #expect(RFM.score(3, cuts: same, inverted: true) == 1)
  }

  /// SPEC 7's grid, written out cell by cell (rows R 5…1, columns F 1…5).
  static let grid: [[String]] = [
    ["new", "potential_loyalist", "potential_loyalist", "champions", "champions"],
    ["promising", "potential_loyalist", "potential_loyalist", "loyal", "loyal"],
    ["about_to_sleep", "about_to_sleep", "need_attention", "loyal", "loyal"],
    ["hibernating", "hibernating", "at_risk", "at_risk", "cannot_lose"],
    ["hibernating", "hibernating", "at_risk", "at_risk", "cannot_lose"],
  ]

  @Test(arguments: 1...5, 1...5)
  func everyCell(_ r: Int, _ f: Int) {
    #expect(RFM.segment(r: r, f: f) == Self.grid[5 - r][f - 1], "R \(r) F \(f)")
  }

  @Test func gridIsAPartitionUsingEverySegment() {
    var cells: [String: Int] = [:]
    for r in 1...5 { for f in 1...5 { cells[RFM.segment(r: r, f: f), default: 0] += 1 } }
    #expect(Set(cells.keys) == Set(RFM.segments))
    #expect(cells.values.reduce(0, +) == 25)
    #expect(
      cells == [
        "champions": 2, "loyal": 4, "potential_loyalist": 4, "new": 1, "promising": 1,
        "need_attention": 1,
        "about_to_sleep": 2, "cannot_lose": 2, "at_risk": 4, "hibernating": 4,
      ])
  }
}
