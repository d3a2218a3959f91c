/// One event read from a CSV file, or why its row (or rows) were refused.
public struct CSVRecord: Sendable, Equatable {
  /// The physical line of the event's first row, from which an import derives its key; for a
  /// refused record, the line of the row at fault (a bad `qty` on an order's third row names
  /// that row).
  public var line: Int
  /// The row as written, for a rejects file; the rows of one order are joined by `\n` in file
  /// order.
  public var raw: String
  public var event: Result<NewEvent, EventInputError>

  public init(line: Int, raw: String, event: Result<NewEvent, EventInputError>) {
    self.line = line
    self.raw = raw
    self.event = event
  }
}

/// Reads a CSV file of one primary event type into the events a JSON Lines file would give,
/// checked by the same code (`EventRecordReader.newEvent(object:)`) with the same messages, the
/// field named by its column (`field 'qty': expected a positive integer, got "1.5"`).
///
/// The first row names the columns (see `CSVLayout`); every later row is one event, except for
/// types with lines (OrderConfirmed, QuoteIssued, Shipped): there each row is one line, and the
/// rows with the same `order` (`quote`, `shipment`) make one event wherever they are in the
/// file, its lines in file order, its position the line of its first row. Their other columns
/// must be the same on every row of the event. Those types are emitted by `finish`, in order of
/// their first row, so memory grows with the file; the others stream row by row.
///
/// Cells: an empty cell is an absent field (`""` too); cells are taken as written, spaces
/// included. Integer fields take `-?[0-9]+` (no sign `+`, fraction, exponent or spaces);
/// booleans take `true` or `false` in any case; everything else (money, rates, dates, ids,
/// text) is the text of the cell. A row whose cells are all empty (`,,,`) is skipped.
///
/// Feed it the bytes of one file in chunks of any size, then call `finish` (a reader reads one
/// file; take a new one for the next). Problems of one record are `.failure` records, so an
/// import can list them all and go on; problems of the file (its header, broken quoting,
/// invalid UTF-8) are thrown as `CSVError` with their line.
public struct CSVEventReader: Sendable {
  public let layout: CSVLayout
  private let reader: EventRecordReader
  private var parser = CSVParser()
  /// For each header position, the index of its column in `layout.columns`; nil before the
  /// header is read.
  private var header: [Int]?
  /// Header positions of the columns that must agree across the rows of one event.
  private var sharedPositions: [Int] = []
  private var groupPosition: Int?
  /// Grouped types: the events in order of their first row, and refused rows in between.
  private var pending: [Pending] = []
  private var groups: [Group] = []
  /// Group id → index in `groups`.
  private var groupIndex: [String: Int] = [:]

  private struct Group: Sendable {
    /// The cells of the first row.
    var first: [String]
    /// Each row's line and cells, in file order.
    var rows: [(line: Int, fields: [String])]
    var raw: [String]
    /// The first row that disagreed with the first one.
    var failure: (line: Int, error: EventInputError)?
  }

  private enum Pending: Sendable {
    /// An index in `groups`.
    case group(Int)
    case refused(CSVRecord)
  }

  /// A reader for a file of `type` events (the `--type` of an import).
  /// - Parameter moneyDigits: the minor-unit digits of the store's currency.
  /// - Throws: for an unknown or a derived event type.
  public init(type: String, moneyDigits: Int, upcaster: Upcaster = .standard)
    throws(EventInputError)
  {
    layout = try CSVLayout(type: type)
    reader = EventRecordReader(moneyDigits: moneyDigits, upcaster: upcaster)
  }

  /// Reads the next bytes of the file, calling `emit` for every record they complete.
  /// - Throws: `CSVError` for a problem of the whole file, or what `emit` throws.
  public mutating func feed(_ chunk: ArraySlice<UInt8>, _ emit: (CSVRecord) throws -> Void) throws {
    // The parser is taken out while it runs, so the row handler may change the rest of self.
    var p = parser
    parser = CSVParser()
    defer { parser = p }
    try p.feed(chunk) { row in try take(row, emit) }
  }

  /// Ends the file: reads a last row without a line end and emits the grouped events.
  /// - Throws: `CSVError` for a problem of the whole file (an empty file has no header), or what
  ///   `emit` throws.
  public mutating func finish(_ emit: (CSVRecord) throws -> Void) throws {
    var p = parser
    parser = CSVParser()
    defer { parser = p }
    try p.finish { row in try take(row, emit) }
    guard header != nil else {
      throw CSVError(line: 1, "empty file: expected a header row naming the columns")
    }
    var records: [CSVRecord] = []
    records.reserveCapacity(pending.count)
    for entry in pending {
      switch entry {
      case .refused(let r): records.append(r)
      case .group(let i): records.append(record(groups[i]))
      }
    }
    pending = []
    groups = []
    groupIndex = [:]
    // A group refused at a later row sorts by that row (no two records share a line).
    records.sort { $0.line < $1.line }
    for r in records { try emit(r) }
  }

  // MARK: Rows

  private mutating func take(_ row: CSVRow, _ emit: (CSVRecord) throws -> Void) throws {
    guard let header else {
      try readHeader(row)
      return
    }
    if row.fields.allSatisfy(\.isEmpty) { return }
    guard row.fields.count == header.count else {
      let r = CSVRecord(
        line: row.line, raw: row.raw,
        event: .failure(
          EventInputError(
            field: nil, "expected \(header.count) fields as in the header, got \(row.fields.count)")))
      if groupPosition == nil { try emit(r) } else { pending.append(.refused(r)) }
      return
    }
    guard let gp = groupPosition else {
      let event = Result { () throws(EventInputError) in try self.event(row.fields, lines: []) }
      try emit(CSVRecord(line: row.line, raw: row.raw, event: event.mapError { locate($0, [row.line]) }))
      return
    }
    let id = row.fields[gp]
    guard !id.isEmpty, let i = groupIndex[id] else {
      // A new event (a row without its group id stands alone, and is refused by the check).
      if !id.isEmpty { groupIndex[id] = groups.count }
      pending.append(.group(groups.count))
      groups.append(Group(first: row.fields, rows: [(row.line, row.fields)], raw: [row.raw]))
      return
    }
    if groups[i].failure == nil,
      let p = sharedPositions.first(where: { !JSONObject.same(row.fields[$0], groups[i].first[$0]) })
    {
      let here = EventCatalog.describe(.string(row.fields[p]))
      let there = EventCatalog.describe(.string(groups[i].first[p]))
      let message =
        "differs from line \(groups[i].rows[0].line) of the same \(layout.groupBy ?? "event")"
        + " (\(here) here, \(there) there)"
      groups[i].failure = (row.line, EventInputError(field: layout.columns[header[p]].name, message))
    }
    groups[i].rows.append((row.line, row.fields))
    groups[i].raw.append(row.raw)
  }

  /// The record of a complete group.
  private func record(_ g: Group) -> CSVRecord {
    let raw = g.raw.joined(separator: "\n")
    if let (line, error) = g.failure {
      return CSVRecord(line: line, raw: raw, event: .failure(error))
    }
    let lines = g.rows.map(\.line)
    let event = Result { () throws(EventInputError) in try self.event(g.first, lines: g.rows.map(\.fields)) }
    if case .failure(let e) = event {
      let (line, error) = locateWithLine(e, lines)
      return CSVRecord(line: line, raw: raw, event: .failure(error))
    }
    return CSVRecord(line: lines[0], raw: raw, event: event)
  }

  // MARK: Header

  private mutating func readHeader(_ row: CSVRow) throws {
    var map: [Int] = []
    var seen: [String: Int] = [:]
    for (i, name) in row.fields.enumerated() {
      guard !name.isEmpty else { throw CSVError(line: row.line, "column \(i + 1) has no name") }
      if let j = seen[name] {
        throw CSVError(line: row.line, "column '\(name)' appears twice (columns \(j + 1) and \(i + 1))")
      }
      seen[name] = i
      if layout.storeWritten.contains(name) {
        throw CSVError(line: row.line, "column '\(name)' is written by the store and cannot be supplied")
      }
      guard let c = layout.columns.firstIndex(where: { $0.name == name }) else {
        throw CSVError(line: row.line, unknownColumn(name))
      }
      map.append(c)
    }
    let missing = layout.columns.filter { $0.required && seen[$0.name] == nil }.map { "'\($0.name)'" }
    if !missing.isEmpty {
      throw CSVError(
        line: row.line,
        "missing required column\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", "))")
    }
    header = map
    if let g = layout.groupBy {
      groupPosition = seen[g]
      sharedPositions = map.indices.filter { layout.columns[map[$0]].role != .lineField }
    }
  }

  private func unknownColumn(_ name: String) -> String {
    let takes = "\(layout.type) takes: \(layout.columns.map(\.name).joined(separator: ", "))"
    if name == "type" {
      return "unknown column 'type': a CSV file holds one event type, given by --type"
        + " (\(layout.type) here); \(takes)"
    }
    let lower = name.lowercased()
    let near = layout.columns.first { $0.name.lowercased() == lower }
    return "unknown column '\(name)'\(near.map { " (did you mean '\($0.name)'?)" } ?? ""); \(takes)"
  }

  // MARK: Events

  /// The event of a row (`fields`), with the line cells of `lines` for a grouped type.
  private func event(_ fields: [String], lines: [[String]]) throws(EventInputError) -> NewEvent {
    guard let header else { throw EventInputError(field: nil, "no header") }
    var object = JSONObject()
    var data = JSONObject()
    object["type"] = .string(layout.type)
    for (i, cell) in fields.enumerated() where !cell.isEmpty {
      let column = layout.columns[header[i]]
      switch column.role {
      case .envelope:
        object[column.name] = column.name == "v" ? try Self.integer(cell, column.name) : .string(cell)
      case .field:
        data[column.name] = try Self.value(cell, column)
      case .lineField:
        break
      }
    }
    if let linesField = layout.linesField {
      var items: [JSONValue] = []
      items.reserveCapacity(lines.count)
      for (n, cells) in lines.enumerated() {
        var item = JSONObject()
        for (i, cell) in cells.enumerated() where !cell.isEmpty {
          let column = layout.columns[header[i]]
          if column.role == .lineField {
            do { item[column.name] = try Self.value(cell, column) } catch {
              throw EventInputError(field: "data.\(linesField)[\(n)].\(error.field ?? "")", error.message)
            }
          }
        }
        items.append(.object(item))
      }
      data[linesField] = .array(items)
    }
    object["data"] = .object(data)
    return try reader.newEvent(object: object)
  }

  /// The JSON value of a non-empty cell, as the column's kind expects it; a cell that is not
  /// what the kind takes stays text, so the catalogue refuses it in its own words.
  private static func value(_ cell: String, _ column: CSVLayout.Column) throws(EventInputError)
    -> JSONValue
  {
    switch column.kind {
    case .quantity?, .signedQuantity?, .integer?: try integer(cell, column.name)
    case .boolean?:
      switch cell.lowercased() {
      case "true": .bool(true)
      case "false": .bool(false)
      default: .string(cell)
      }
    default: .string(cell)
    }
  }

  /// `-?[0-9]+` as an integer; other text as a string.
  private static func integer(_ cell: String, _ name: String) throws(EventInputError) -> JSONValue {
    var digits = cell.utf8[...]
    let negative = digits.first == UInt8(ascii: "-")
    if negative { digits = digits.dropFirst() }
    guard !digits.isEmpty, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return .string(cell) }
    var v: Int64 = 0
    for d in digits {
      v = v * 10 + Int64(d - 0x30)
      guard v <= JSONValue.maxSafeInteger else {
        throw EventInputError(field: name, "\(cell) is too large")
      }
    }
    return .int(negative ? -v : v)
  }

  /// An error of the check with its path made a column name (`data.customer` → `customer`),
  /// for a one-row event.
  private func locate(_ e: EventInputError, _ lines: [Int]) -> EventInputError {
    locateWithLine(e, lines).1
  }

  /// The row at fault (a line's row for `data.lines[n].…`, else the first) and the error with
  /// its path made a column name.
  private func locateWithLine(_ e: EventInputError, _ lines: [Int]) -> (Int, EventInputError) {
    guard let path = e.field, path.hasPrefix("data.") else { return (lines[0], e) }
    let rest = path.dropFirst(5)
    if let linesField = layout.linesField, rest.hasPrefix(linesField + "["),
      let close = rest.firstIndex(of: "]")
    {
      let n = Int(rest[rest.index(rest.startIndex, offsetBy: linesField.count + 1)..<close]) ?? 0
      let after = rest[rest.index(after: close)...]
      let name = after.hasPrefix(".") ? String(after.dropFirst()) : linesField
      return (lines.indices.contains(n) ? lines[n] : lines[0], EventInputError(field: name, e.message))
    }
    return (lines[0], EventInputError(field: String(rest), e.message))
  }
}
