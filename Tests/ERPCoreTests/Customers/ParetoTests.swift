import Testing

@testable import ERPCore

@Suite("Customers: Pareto")
struct CustomersParetoTests {
  @Test func smallestShareReachingEightyPercent() {
    // Sorted 50, 30, 10, 6, 4 (total 100): cumulative 50, 80 → 2 of 5 customers reach 80.
    #expect(Pareto.share([10, 50, 4, 30, 6]) == 0.4)
    // 79 after two: the third is needed.
    #expect(Pareto.share([50, 29, 11, 6, 4]) == 0.6)
    // One customer makes everything.
    #expect(Pareto.share([0, 0, 100, 0]) == 0.25)
    // Equal profits: 80 % needs 4 of 5.
    #expect(Pareto.share([7, 7, 7, 7, 7]) == 0.8)
    // Losses in the tail: total 80, 80 % = 64; the top customer's 100 is past it.
    #expect(Pareto.share([100, -20, 0]) == Double(1) / 3)
  }

  @Test func noShareWithoutPositiveTotal() {
    #expect(Pareto.share([]) == nil)
    #expect(Pareto.share([0, 0]) == nil)
    #expect(Pareto.share([10, -10]) == nil)
    #expect(Pareto.share([-5]) == nil)
    #expect(Pareto.curve([0, 0]) == [])
  }

  @Test func curveOfFewCustomersHasEveryCustomer() {
    #expect(
      Pareto.curve([10, 50, 4, 30, 6], points: 20) == [
        .init(customers: 0.2, profit: 0.5), .init(customers: 0.4, profit: 0.8),
        .init(customers: 0.6, profit: 0.9), .init(customers: 0.8, profit: 0.96),
        .init(customers: 1, profit: 1),
      ])
  }

  @Test func curveOfManyCustomersHasEvenSteps() {
    // 40 customers with profits 40, 39, …, 1 (total 820); 4 points: k = 10, 20, 30, 40.
    let profits = (1...40).map(Int64.init)
    let c = Pareto.curve(profits, points: 4)
    #expect(c.map(\.customers) == [0.25, 0.5, 0.75, 1])
    // Top 10: 40 + … + 31 = 355; top 20: 610; top 30: 765.
    let shares: [Double] = [355.0 / 820, 610.0 / 820, 765.0 / 820, 1]
    #expect(c.map(\.profit) == shares)
    // 7 customers, 3 points: k = round(7/3) = 2, round(14/3) = 5, 7.
    let sevenths: [Double] = [2.0 / 7, 5.0 / 7, 1]
    #expect(Pareto.curve([1, 1, 1, 1, 1, 1, 1], points: 3).map(\.customers) == sevenths)
  }
}
