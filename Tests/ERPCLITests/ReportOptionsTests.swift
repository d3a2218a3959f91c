import ArgumentParser
import ERPCore
import Testing

@testable import ERPCLI

/// The shared report options, parsed as a command line would give them.
@Suite("ReportOptions")
struct ReportOptionsTests {
  let today = CivilDate(year: 2026, month: 11, day: 27) ?? CivilDate(daysSinceEpoch: 0)

  func query(_ args: [String], dimensions: [String] = ReportQuery.allDimensions) throws -> ReportQuery {
    try ReportOptions.parse(args).resolve(today: today, dimensions: dimensions)
  }

  /// The message of the usage error `args` give, or nil when they are accepted.
  func usageError(_ args: [String], dimensions: [String] = ReportQuery.allDimensions) -> String? {
    do {
      _ = try query(args, dimensions: dimensions)
      return nil
    } catch let e as ValidationError {
      return e.message
    } catch {
      return ReportOptions.message(for: error)
    }
  }

  @Test func defaults() throws {
    let q = try query([])
    #expect(q.asOf == today)
    #expect(q.range == nil)
    #expect(q.by.isEmpty)
    #expect(q.top == nil)
    #expect(q.sort == nil)
    #expect(q.format == .table)
    #expect(q.lang == .en)
    #expect(q.attribution == "event")
  }

  @Test func everyOption() throws {
    let q = try query([
      "--period", "last-month", "--as-of", "2026-06-15", "--by", "rep, month", "--by", "REGION",
      "--top", "5", "--sort", "booked:asc", "--format", "csv", "--lang", "zh",
      "--attribution", "current",
    ])
    #expect(q.asOf == CivilDate(year: 2026, month: 6, day: 15))
    // Relative periods are resolved against --as-of.
    #expect(q.range?.description == "2026-05-01..2026-06-01")
    #expect(q.by == ["rep", "month", "region"])
    #expect(q.top == 5)
    #expect(q.sort?.column == "booked")
    #expect(q.sort?.descending == false)
    #expect(q.sortDirectionGiven)
    #expect(q.format == .csv)
    #expect(q.lang == .zh)
    #expect(q.attribution == "current")
    #expect(q.currentAttribution)
  }

  @Test func fromTo() throws {
    let q = try query(["--from", "2026-01", "--to", "2026-07"])
    #expect(q.range?.description == "2026-01-01..2026-07-01")
    let future = try query(["--as-of", "2030-01-01"])
    #expect(future.asOf == CivilDate(year: 2030, month: 1, day: 1))
  }

  /// Without --as-of, parsing checks the syntax only; the range is checked against today.
  @Test func openEndedRanges() throws {
    #expect(try query(["--from", "2026-11"]).range?.description == "2026-11-01..2026-11-28")
    #expect(try query(["--to", "2026-02"]).range?.description == "0001-01-01..2026-02-01")
    #expect(try query(["--period", "from today to 2030-01"]).range?.description == "2026-11-27..2030-02-01")
    #expect(usageError(["--from", "2026-12"])?.contains("after the as-of date 2026-11-27") == true)
    #expect(usageError(["--from", "2026-12", "--as-of", "2027-01-01"]) == nil)
    #expect(usageError(["--from", "2026-12", "--as-of", "2026-11-01"])?.contains("after the as-of date") == true)
  }

  @Test func sortWithoutDirection() throws {
    let q = try query(["--sort", "rep"])
    #expect(q.sort?.column == "rep")
    #expect(!q.sortDirectionGiven)
  }

  @Test(arguments: [
    (["--period", "2026-11", "--from", "2026-01"], "'--period' cannot be combined with '--from' or '--to'"),
    (["--period", "soon"], "'--period': unknown period 'soon'"),
    (["--from", "2026-07", "--to", "2026-03"], "must be before '--to 2026-03'"),
    (["--as-of", "2026-02-30"], "'--as-of' must be a date YYYY-MM-DD, got '2026-02-30'."),
    (["--as-of", "yesterday"], "'--as-of' must be a date"),
    (["--by", "rep,,month"], "'--by' has an empty dimension"),
    (["--by", "colour"], "'--by': unknown dimension 'colour'; this report accepts rep, team"),
    (["--by", "rep,rep"], "'--by': 'rep' is given twice."),
    (["--top", "0"], "'--top' must be a positive integer, got 0."),
    (["--top=-2"], "'--top' must be a positive integer, got -2."),
    (["--sort", "booked:up"], "'--sort' takes COLUMN, COLUMN:asc or COLUMN:desc, got 'booked:up'."),
    (["--sort", ":asc"], "'--sort' takes COLUMN"),
  ])
  func usageErrors(_ args: [String], _ message: String) {
    let m = usageError(args)
    #expect(m?.contains(message) == true, "\(m ?? "accepted")")
  }

  @Test func dimensionsOfTheCommand() {
    #expect(usageError(["--by", "stage"], dimensions: ["source", "rep"])
      == "'--by': unknown dimension 'stage'; this report accepts source, rep.")
    #expect(usageError(["--by", "source"], dimensions: ["source", "rep"]) == nil)
  }

  @Test(arguments: [["--format", "xml"], ["--lang", "fr"], ["--attribution", "now"], ["--top", "x"]])
  func badValuesAreParseErrors(_ args: [String]) {
    #expect(throws: (any Error).self) { try ReportOptions.parse(args) }
  }
}
