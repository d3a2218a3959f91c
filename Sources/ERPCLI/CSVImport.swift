import ArgumentParser
import ERPCore
import Foundation

/// CSV input of `import`: one event type per file (`--type`), the header naming the fields
/// (man page, CSV LAYOUTS). Flat layouts stream row by row; the grouped ones (orders, quotes,
/// shipments) hand over their events when the file ends.
enum CSVImport {
  /// Calls `body(line, raw record, event or why not)` for every record of the file at `path`.
  static func forEach(
    path: String, name: String, type: String, moneyDigits: Int,
    _ body: (Int, ArraySlice<UInt8>, Result<NewEvent, EventInputError>) throws -> Void
  ) throws {
    var reader: CSVEventReader
    do {
      reader = try CSVEventReader(type: type, moneyDigits: moneyDigits)
    } catch {
      throw ValidationError("'--type': \(error.message)")
    }
    do {
      try withoutActuallyEscaping(body) { body in
        let emit: (CSVRecord) throws -> Void = { r in try body(r.line, Array(r.raw.utf8)[...], r.event) }
        try FileChunks(path: path).forEach { chunk in try reader.feed(chunk, emit) }
        try reader.finish(emit)
      }
    } catch let e as CSVError {
      throw CLIError.badRecords(["\(name):\(e.line): \(e.message)"], total: 1)
    }
  }
}
