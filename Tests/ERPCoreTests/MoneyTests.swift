import ERPCore
import Testing

@Suite("Money")
struct MoneyTests {
  func parse(_ s: String, _ digits: Int) -> Result<Int64, MoneyError> {
    do { return .success(try Money.parse(s, digits: digits).minorUnits) } catch {
      return .failure(error)
    }
  }

  @Test(arguments: [
    // digits 2 (CNY)
    ("0", 2, Int64(0)),
    ("0.00", 2, 0),
    ("0.5", 2, 50),
    ("0.01", 2, 1),
    ("5", 2, 500),
    ("12.5", 2, 1250),
    ("1299.50", 2, 129_950),
    ("1299.5", 2, 129_950),
    ("1299", 2, 129_900),
    ("-3", 2, -300),
    ("-0.5", 2, -50),
    ("-1299.99", 2, -129_999),
    ("-0", 2, 0),
    // digits 0 (JPY)
    ("0", 0, 0),
    ("5", 0, 5),
    ("1299", 0, 1299),
    ("-7", 0, -7),
    // digits 3 (KWD)
    ("0", 3, 0),
    ("1.5", 3, 1500),
    ("0.005", 3, 5),
    ("12.345", 3, 12_345),
    ("-0.001", 3, -1),
    ("7", 3, 7000),
  ])
  func parses(_ text: String, _ digits: Int, _ minor: Int64) {
    #expect(parse(text, digits) == .success(minor))
  }

  @Test(arguments: [
    ("0.005", 2),
    ("1.999", 2),
    ("1.000", 2),  // exact, but still more digits than the currency has (SPEC 7)
    ("1.0", 0),
    ("5.5", 0),
    ("1.2345", 3),
    ("-0.001", 2),
  ])
  func tooManyDecimals(_ text: String, _ digits: Int) {
    #expect(parse(text, digits) == .failure(.tooManyDecimals(text, digits: digits)))
  }

  @Test(arguments: [
    "", ".", "1.", ".5", "1,000", "+1", "1e3", "1E3", " 1", "1 ", "abc", "-", "--1", "-.5",
    "1.2.3", "1-", "12a", "0x10", "1_000", "١٢", "１", "NaN",
  ])
  func malformed(_ text: String) {
    #expect(parse(text, 2) == .failure(.malformed(text)))
  }

  @Test func malformedWithZeroDigits() {
    #expect(parse("5.", 0) == .failure(.malformed("5.")))
    #expect(parse("", 0) == .failure(.malformed("")))
  }

  @Test func rangeIsTenToTheFifteenMinorUnits() {
    #expect(Money.maxMinorUnits == 1_000_000_000_000_000)
    // 10^13 with 2 digits is exactly 10^15 minor units: the limit itself is accepted.
    #expect(parse("10000000000000.00", 2) == .success(1_000_000_000_000_000))
    #expect(parse("-10000000000000", 2) == .success(-1_000_000_000_000_000))
    #expect(parse("1000000000000000", 0) == .success(1_000_000_000_000_000))
    #expect(parse("1000000000000", 3) == .success(1_000_000_000_000_000))
    for (text, digits) in [
      ("10000000000000.01", 2), ("10000000000001", 2), ("-10000000000000.01", 2),
      ("1000000000000001", 0), ("1000000000000.001", 3),
      ("99999999999999999999999999999", 2), ("-99999999999999999999999999999", 0),
    ] {
      #expect(parse(text, digits) == .failure(.outOfRange(text)), "\(text) with \(digits) digits")
    }
  }

  @Test(arguments: [
    (Int64(0), 2, "0.00"),
    (0, 0, "0"),
    (0, 3, "0.000"),
    (1, 2, "0.01"),
    (5, 2, "0.05"),
    (50, 2, "0.50"),
    (100, 2, "1.00"),
    (129_950, 2, "1299.50"),
    (-5, 2, "-0.05"),
    (-50, 2, "-0.50"),
    (-129_950, 2, "-1299.50"),
    (1299, 0, "1299"),
    (-1299, 0, "-1299"),
    (1500, 3, "1.500"),
    (5, 3, "0.005"),
    (-1, 3, "-0.001"),
    (1_000_000_000_000_000, 2, "10000000000000.00"),
    (Int64.max, 2, "92233720368547758.07"),
    (Int64.min, 2, "-92233720368547758.08"),
    (Int64.min, 0, "-9223372036854775808"),
    (0, 4, "0.0000"),
    (4137, 4, "0.4137"),
    (-10_000, 4, "-1.0000"),
    (7, 19, "0.0000000000000000007"),
  ])
  func formats(_ minor: Int64, _ digits: Int, _ text: String) {
    #expect(Money(minorUnits: minor).format(digits: digits) == text)
  }

  @Test func formatThenParseRoundTrips() {
    for digits in [0, 2, 3] {
      for minor: Int64 in [0, 1, -1, 7, 99, 100, 101, 123_456_789, -987_654, 1_000_000_000_000_000] {
        let text = Money(minorUnits: minor).format(digits: digits)
        #expect(parse(text, digits) == .success(minor), "\(text)")
      }
    }
  }

  @Test func descriptionUsesTwoDigits() {
    #expect(Money(minorUnits: 129_950).description == "1299.50")
    #expect(Money.zero.description == "0.00")
  }

  @Test func arithmeticAndOrder() {
    let a = Money(minorUnits: 1050)
    let b = Money(minorUnits: 250)
    #expect(a + b == Money(minorUnits: 1300))
    #expect(a - b == Money(minorUnits: 800))
    #expect(b - a == Money(minorUnits: -800))
    #expect(b < a)
    #expect(!(a < b))
    #expect([a, Money.zero, b].sorted() == [Money.zero, b, a])
  }

  @Test func errorMessagesQuoteTheInput() {
    #expect(MoneyError.malformed("1,000").description.contains("'1,000'"))
    #expect(MoneyError.tooManyDecimals("0.005", digits: 2).description == "'0.005' has more than 2 decimal places")
    #expect(MoneyError.outOfRange("1e99").description.contains("out of range"))
  }

  @Test func currencyMinorDigits() {
    #expect(Currency.minorDigits("CNY") == 2)
    #expect(Currency.minorDigits("USD") == 2)
    #expect(Currency.minorDigits("EUR") == 2)
    #expect(Currency.minorDigits("JPY") == 0)
    #expect(Currency.minorDigits("KRW") == 0)
    #expect(Currency.minorDigits("KWD") == 3)
    #expect(Currency.minorDigits("BHD") == 3)
  }

  @Test func currencyCodeShape() {
    #expect(Currency.isValidCode("CNY"))
    #expect(!Currency.isValidCode("cny"))
    #expect(!Currency.isValidCode("CN"))
    #expect(!Currency.isValidCode("CNYY"))
    #expect(!Currency.isValidCode("C1Y"))
    #expect(!Currency.isValidCode(""))
  }
}
