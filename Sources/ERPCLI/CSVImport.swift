import ArgumentParser
import ERPCore

/// CSV input of `import` (placeholder until the CSV reader lands).
enum CSVImport {
  static func forEach(
    path: String, type: String, moneyDigits: Int,
    _ body: (Int, ArraySlice<UInt8>, Result<NewEvent, EventInputError>) throws -> Void
  ) throws {
    throw ValidationError("CSV import is not available yet.")
  }
}
