import ERPCore
import Testing

@Suite("Targets: scope ids and value kinds per metric")
struct TargetTests {
  func base() throws -> Scenario { try Scenario().given(F.rep("R-1")) }

  @Test func aCompanyTargetTakesNoId() throws {
    let s = try base()
    let ok = F.target("company", "revenue", .string("50000.00"))
    #expect(try s.when(ok) == [ok])
    let e = s.refusal(F.target("company", id: "ACME", "revenue", .string("50000.00")))
    #expect(e == .invalid(field: "data.id", "a company target takes no id"))
    #expect(e?.description == "field 'data.id': a company target takes no id")
  }

  @Test(arguments: ["team", "region", "rep"])
  func otherScopesNeedAnId(scope: String) throws {
    let e = try base().refusal(F.target(scope, "orders", .int(10)))
    #expect(e == .invalid(field: "data.id", "a \(scope) target needs an id"))
  }

  @Test func teamAndRegionIdsAreFreeText() throws {
    let s = try base()
    #expect(try s.when(F.target("team", id: "t9", "orders", .int(10))).count == 1)
    #expect(try s.when(F.target("region", id: "north", "orders", .int(10))).count == 1)
  }

  @Test func aRepTargetNeedsAKnownRep() throws {
    let s = try base()
    #expect(s.refusal(F.target("rep", id: "R-9", "revenue", .string("100.00"))) == .unknown("rep", id: "R-9"))
    #expect(try s.when(F.target("rep", id: "R-1", "revenue", .string("100.00"))).count == 1)
  }

  @Test(arguments: ["revenue", "gross_margin", "collections"])
  func moneyMetricsTakeAnAmountWithAtMostTheCurrencyDigits(metric: String) throws {
    let s = try base()
    for ok in ["50000.00", "50000", "0.5", "0"] {
      #expect(try s.when(F.target("company", metric, .string(ok))).count == 1, "\(ok)")
    }
    let bad = DomainError.invalid(
      field: "data.value", "a \(metric) target is an amount with at most 2 decimals, e.g. \"50000.00\"")
    for value: JSONValue in [.string("50000.005"), .string("fifty"), .string("1e5"), .int(50000), .null] {
      #expect(s.refusal(F.target("company", metric, value)) == bad, "\(value)")
    }
  }

  @Test func collectionRateIsARateBetweenZeroAndOne() throws {
    let s = try base()
    for ok in ["0", "0.85", "1", "0.123456"] {
      #expect(try s.when(F.target("company", "collection_rate", .string(ok))).count == 1, "\(ok)")
    }
    let bad = DomainError.invalid(field: "data.value", "a collection_rate target is a rate between 0 and 1, e.g. \"0.85\"")
    for value: JSONValue in [.string("1.2"), .string("-0.1"), .string("0.1234567"), .string("85%"), .int(1)] {
      #expect(s.refusal(F.target("company", "collection_rate", value)) == bad, "\(value)")
    }
  }

  @Test(arguments: ["new_customers", "orders"])
  func countMetricsTakeAWholeNumber(metric: String) throws {
    let s = try base()
    #expect(try s.when(F.target("company", metric, .int(12))).count == 1)
    let bad = DomainError.invalid(field: "data.value", "a \(metric) target is a whole number")
    for value: JSONValue in [.string("12"), .string("12.5"), .null] {
      #expect(s.refusal(F.target("company", metric, value)) == bad, "\(value)")
    }
  }
}
