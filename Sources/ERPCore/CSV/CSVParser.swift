/// One row of a CSV file: its fields, where it starts and the text it was written as.
public struct CSVRow: Sendable, Equatable {
  /// The fields, unquoted (`""` read as `"`); a line break inside a quoted field is `\n`.
  public var fields: [String]
  /// The 1-based physical line on which the row starts (line breaks inside quoted fields count).
  public var line: Int
  /// The row as written, without its line end (for error reports and rejects files).
  public var raw: String

  public init(fields: [String], line: Int, raw: String) {
    self.fields = fields
    self.line = line
    self.raw = raw
  }
}

/// A CSV file that cannot be read past `line` (broken quoting, invalid UTF-8, a NUL byte, a bad
/// header): the whole file is refused, so it is thrown rather than reported per record.
public struct CSVError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The 1-based physical line of the problem.
  public var line: Int
  public var message: String

  public init(line: Int, _ message: String) {
    self.line = line
    self.message = message
  }

  public var description: String { message }
}

/// A streaming RFC 4180 reader, fed bytes in chunks that may split anything (a quoted field, a
/// CRLF, a multi-byte UTF-8 sequence): the rows are the same however the input is cut.
///
/// - Fields are separated by commas; a field may be enclosed in double quotes, and then holds
///   commas, line breaks and quotes written `""`. A quote in an unquoted field, or anything but
///   a comma or a line end after a closing quote, is an error.
/// - Rows end in LF or CRLF; the last row may have no line end. A carriage return outside quotes
///   that is not followed by a line feed is an error. Blank lines are skipped.
/// - A line break inside a quoted field (LF, CRLF or a lone CR) is read as one `\n` and counts as
///   one physical line, so a file converted to CRLF reads the same.
/// - A UTF-8 byte-order mark at the very start is skipped; invalid UTF-8 and NUL bytes are
///   refused with their line. Cells are not trimmed: spaces belong to the field.
/// - Memory holds one row at a time; a row longer than `maxRowBytes` is refused (usually a
///   quote left open).
public struct CSVParser: Sendable {
  /// The longest row accepted, in bytes.
  public var maxRowBytes: Int

  private enum State: Sendable {
    /// Before the first byte of a row (blank lines are skipped here).
    case rowStart
    /// At the start of a field after a comma.
    case fieldStart
    case unquoted
    case quoted
    /// A quote inside a quoted field: either the first of `""` or the closing quote.
    case quotedQuote
    /// A CR inside a quoted field, which may be the first half of a CRLF.
    case quotedCR
    /// A CR outside quotes: only a LF may follow (the row's CRLF end).
    case afterCR
  }

  private var state = State.rowStart
  /// The physical line of the next byte.
  private var line = 1
  private var rowLine = 1
  private var quoteLine = 1
  /// Whether the current row has any byte besides its line end (a CR at row start does not).
  private var rowStarted = false
  private var fields: [String] = []
  private var field: [UInt8] = []
  private var raw: [UInt8] = []
  /// How many bytes of a UTF-8 BOM have been seen at the start; nil once decided.
  private var bomSeen: Int? = 0

  private static let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
  private static let quote = UInt8(ascii: "\"")
  private static let comma = UInt8(ascii: ",")
  private static let lf: UInt8 = 0x0A
  private static let cr: UInt8 = 0x0D

  public init(maxRowBytes: Int = 16 << 20) {
    self.maxRowBytes = maxRowBytes
  }

  /// Reads the next bytes, calling `emit` for every row they complete.
  /// - Throws: `CSVError` for malformed input, or what `emit` throws.
  public mutating func feed(_ chunk: ArraySlice<UInt8>, _ emit: (CSVRow) throws -> Void) throws {
    var rest = chunk[...]
    if let seen = bomSeen {
      var n = seen
      while n < 3, let b = rest.first, b == Self.bom[n] {
        n += 1
        rest = rest.dropFirst()
      }
      if n == 3 {
        bomSeen = nil
      } else if rest.isEmpty {
        bomSeen = n
        return
      } else {
        // Not a BOM after all: the bytes held back are data.
        bomSeen = nil
        for b in Self.bom[0..<n] { try consume(b, emit) }
      }
    }
    for b in rest { try consume(b, emit) }
  }

  /// Ends the input: completes a last row without a line end, and refuses an open quote.
  /// The parser is ready for a new input afterwards.
  /// - Throws: `CSVError` for malformed input, or what `emit` throws.
  public mutating func finish(_ emit: (CSVRow) throws -> Void) throws {
    if let n = bomSeen, n > 0 {
      bomSeen = nil
      for b in Self.bom[0..<n] { try consume(b, emit) }
    }
    switch state {
    case .quoted, .quotedCR:
      throw CSVError(line: quoteLine, "unterminated quoted field starting on line \(quoteLine)")
    case .rowStart:
      break
    case .fieldStart, .unquoted, .quotedQuote, .afterCR:
      // A lone CR at the very end is taken as the row's end.
      if rowStarted { try endRow(emit) }
    }
    self = CSVParser(maxRowBytes: maxRowBytes)
  }

  @inline(__always)
  private mutating func consume(_ b: UInt8, _ emit: (CSVRow) throws -> Void) throws {
    if b == 0 {
      throw CSVError(line: line, "NUL byte in the input (a UTF-16 file? save it as UTF-8)")
    }
    switch state {
    case .rowStart:
      if b == Self.lf {
        line += 1
        return
      }
      if b == Self.cr {
        state = .afterCR
        return
      }
      rowLine = line
      rowStarted = true
      try fieldStart(b, emit)
    case .fieldStart:
      try fieldStart(b, emit)
    case .unquoted:
      switch b {
      case Self.comma: endField(b)
      case Self.lf: try endRowAtLF(emit)
      case Self.cr: state = .afterCR
      case Self.quote:
        throw CSVError(
          line: line,
          "field \(fields.count + 1): a quote in an unquoted field"
            + " (enclose the field in quotes and write a quote as \"\")")
      default: try append(b)
      }
    case .quoted:
      try quoted(b)
    case .quotedQuote:
      switch b {
      case Self.quote:
        try append(b)
        state = .quoted
      case Self.comma: endField(b)
      case Self.lf: try endRowAtLF(emit)
      case Self.cr: state = .afterCR
      default:
        throw CSVError(
          line: line,
          "field \(fields.count + 1): text after the closing quote"
            + " (write a quote inside a quoted field as \"\")")
      }
    case .quotedCR:
      line += 1
      field.append(Self.lf)
      state = .quoted
      if b == Self.lf {
        try appendRaw(b)
      } else {
        try quoted(b)
      }
    case .afterCR:
      guard b == Self.lf else {
        throw CSVError(line: line, "a carriage return not followed by a line feed outside quotes")
      }
      if rowStarted {
        try endRowAtLF(emit)
      } else {
        line += 1
        state = .rowStart
      }
    }
  }

  @inline(__always)
  private mutating func fieldStart(_ b: UInt8, _ emit: (CSVRow) throws -> Void) throws {
    switch b {
    case Self.quote:
      quoteLine = line
      state = .quoted
      try appendRaw(b)
    case Self.comma: endField(b)
    case Self.lf: try endRowAtLF(emit)
    case Self.cr: state = .afterCR
    default:
      state = .unquoted
      try append(b)
    }
  }

  @inline(__always)
  private mutating func quoted(_ b: UInt8) throws {
    switch b {
    case Self.quote:
      state = .quotedQuote
      try appendRaw(b)
    case Self.cr:
      state = .quotedCR
      try appendRaw(b)
    case Self.lf:
      line += 1
      try append(b)
    default: try append(b)
    }
  }

  /// A byte of the field's value (and of the row as written).
  @inline(__always)
  private mutating func append(_ b: UInt8) throws {
    field.append(b)
    try appendRaw(b)
  }

  @inline(__always)
  private mutating func appendRaw(_ b: UInt8) throws {
    guard raw.count < maxRowBytes else {
      throw CSVError(
        line: rowLine,
        "the row starting on line \(rowLine) is longer than \(maxRowBytes) bytes (a quote left open?)")
    }
    raw.append(b)
  }

  /// A comma: the field is complete.
  private mutating func endField(_ comma: UInt8) {
    fields.append(String(decoding: field, as: UTF8.self))
    field.removeAll(keepingCapacity: true)
    raw.append(comma)
    state = .fieldStart
  }

  private mutating func endRowAtLF(_ emit: (CSVRow) throws -> Void) throws {
    try endRow(emit)
    line += 1
  }

  private mutating func endRow(_ emit: (CSVRow) throws -> Void) throws {
    if let bad = UTF8Check.firstInvalid(raw) {
      let line = rowLine + UTF8Check.lineBreaks(raw[..<bad])
      throw CSVError(line: line, "invalid UTF-8 (save the file as UTF-8)")
    }
    fields.append(String(decoding: field, as: UTF8.self))
    let row = CSVRow(fields: fields, line: rowLine, raw: String(decoding: raw, as: UTF8.self))
    fields.removeAll(keepingCapacity: true)
    field.removeAll(keepingCapacity: true)
    raw.removeAll(keepingCapacity: true)
    rowStarted = false
    state = .rowStart
    try emit(row)
  }
}

/// UTF-8 validation that says where the input goes wrong.
enum UTF8Check {
  /// The offset of the first byte that does not start a well-formed UTF-8 sequence (overlong
  /// forms, surrogates and code points above U+10FFFF included), or nil when all is well-formed.
  static func firstInvalid(_ b: [UInt8]) -> Int? {
    let n = b.count
    var i = 0
    while i < n {
      let c = b[i]
      if c < 0x80 {
        i += 1
        continue
      }
      var need = 0
      var lo: UInt8 = 0x80
      var hi: UInt8 = 0xBF
      switch c {
      case 0xC2...0xDF: need = 1
      case 0xE0:
        need = 2
        lo = 0xA0
      case 0xE1...0xEC, 0xEE, 0xEF: need = 2
      case 0xED:
        need = 2
        hi = 0x9F
      case 0xF0:
        need = 3
        lo = 0x90
      case 0xF1...0xF3: need = 3
      case 0xF4:
        need = 3
        hi = 0x8F
      default: return i
      }
      guard i + need < n, (lo...hi).contains(b[i + 1]) else { return i }
      for k in stride(from: 2, through: need, by: 1) where !(0x80...0xBF).contains(b[i + k]) {
        return i
      }
      i += need + 1
    }
    return nil
  }

  /// Line breaks in `bytes` as the parser counts them: LF, CRLF and a lone CR are one each.
  static func lineBreaks(_ bytes: ArraySlice<UInt8>) -> Int {
    var count = 0
    var previousCR = false
    for b in bytes {
      if b == 0x0A {
        if !previousCR { count += 1 }
        previousCR = false
      } else if b == 0x0D {
        count += 1
        previousCR = true
      } else {
        previousCR = false
      }
    }
    return count
  }
}
