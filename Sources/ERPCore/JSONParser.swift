import Foundation

/// Why a text is not acceptable JSON for erpctl; `column` is the 1-based byte offset in its line.
public struct JSONParseError: Error, Equatable, Sendable, CustomStringConvertible {
  public var column: Int
  public var message: String
  /// Where in the document it happened, e.g. `data.lines[0].qty` (nil at the top level).
  public var path: String?

  public init(column: Int, message: String, path: String? = nil) {
    self.column = column
    self.message = message
    self.path = path
  }

  public var description: String { "column \(column): \(message)" }
}

/// A strict RFC 8259 parser over UTF-8 bytes: rejects invalid UTF-8, lone surrogates, duplicate
/// keys, trailing garbage and non-integer numbers (money and rates are decimal strings, SPEC 2),
/// with integers limited to ±(2^53 − 1) so that every JSON reader sees the same value.
public struct JSONParser {
  private let bytes: [UInt8]
  private var i: Int
  private let end: Int
  private var depth = 0
  /// The member names and array indexes leading to where an error was thrown, outermost first:
  /// filled in only as the error goes up through the values around it (keeping the path of
  /// every value parsed, for the rare error, cost a push and a pop per value).
  private var errorPath: [PathComponent] = []
  /// The members of the objects being parsed, innermost last: each object's go to one array of
  /// the right size when it ends (appending to an array per object had grown most of them two
  /// or three times, 6 % of an import's reading thread).
  private var memberStack: [JSONObject.Member] = []
  /// The same for the items of arrays.
  private var itemStack: [JSONValue] = []
  /// Whether the last string read was plain ASCII without escapes (its bytes are its text).
  private var lastStringWasPlain = false
  /// Whether the text read since this was last set is written as RFC 8785 writes the values
  /// read from it (`ByteWriter.json`): no white space, no escapes, members in order, no `-0`.
  /// (Strings without escapes hold no `"`, `\` or control character, which are all that RFC
  /// 8785 escapes; integers are refused with leading zeros.) Cleared where that fails.
  private var canonical = true
  /// The top-level member whose value's text `parse(_:start:end:canonicalSpanOf:)` reports.
  private var spanName: String? = nil
  /// Where that member's value lies, when its text is canonical.
  private var span: Range<Int>? = nil
  /// Strings returned as they are when read (`JSONStrings`). A constant of the parse, so that
  /// a lookup lends it: as a variable passed to a helper, it was retained and released at every
  /// string.
  private let known: JSONStrings?
  /// Whether the string being read is a member name.
  private var readingName = false
  public static let maxDepth = 64

  private enum PathComponent {
    case key(String)
    case index(Int)
  }

  /// Parses exactly one value in `bytes[start..<end]`, surrounded by optional white space.
  public static func parse(
    _ bytes: [UInt8], start: Int = 0, end: Int? = nil
  ) throws(JSONParseError) -> JSONValue {
    try parse(bytes, start: start, end: end, canonicalSpanOf: nil).value
  }

  /// `parse(_:start:end:)`, and where in `bytes` the value of member `name` of the top-level
  /// object lies when that text is exactly what RFC 8785 writes of the value parsed from it (nil
  /// otherwise): the import stores an event's `data` by copying that text instead of writing
  /// the object out again.
  /// - Parameter known: strings to return as they are where their text is read (a record's
  ///   member names and the values every record repeats), instead of making each again.
  public static func parse(
    _ bytes: [UInt8], start: Int = 0, end: Int? = nil, canonicalSpanOf name: String?,
    known: JSONStrings? = nil
  ) throws(JSONParseError) -> (value: JSONValue, span: Range<Int>?) {
    var scratch = Scratch()
    return try parse(bytes, start: start, end: end, canonicalSpanOf: name, known: known, scratch: &scratch)
  }

  /// The room the parser's stacks take, kept from one parse to the next by a caller that
  /// parses many lines (the import): allocated and freed for every line, with the parser that
  /// held them, they were 2.5 % of the import's reading thread. Empty between parses.
  public struct Scratch {
    fileprivate(set) var members: [JSONObject.Member] = []
    fileprivate(set) var items: [JSONValue] = []
    public init() {}
  }

  /// `parse(_:start:end:canonicalSpanOf:known:)` with its stacks in `scratch`.
  public static func parse(
    _ bytes: [UInt8], start: Int = 0, end: Int? = nil, canonicalSpanOf name: String?,
    known: JSONStrings? = nil, scratch: inout Scratch
  ) throws(JSONParseError) -> (value: JSONValue, span: Range<Int>?) {
    var p = JSONParser(bytes: bytes, i: start, end: end ?? bytes.count, known: known)
    p.spanName = name
    swap(&p.memberStack, &scratch.members)
    swap(&p.itemStack, &scratch.items)
    defer {
      // Handed back empty (an error leaves what it had read), keeping their room.
      p.memberStack.removeAll(keepingCapacity: true)
      p.itemStack.removeAll(keepingCapacity: true)
      swap(&p.memberStack, &scratch.members)
      swap(&p.itemStack, &scratch.items)
    }
    // Room for an event record's members at every level, allocated once.
    if p.memberStack.capacity < 32 { p.memberStack.reserveCapacity(32) }
    let base = start
    do throws(JSONParseError) {
      p.skipSpace()
      let v = try p.value()
      p.skipSpace()
      if p.i < p.end { throw p.error("unexpected text after the JSON value") }
      return (v, p.span)
    } catch {
      var text = ""
      for c in p.errorPath {
        switch c {
        case .key(let k): text += text.isEmpty ? k : ".\(k)"
        case .index(let n): text += "[\(n)]"
        }
      }
      throw JSONParseError(
        column: error.column - base, message: error.message, path: text.isEmpty ? nil : text)
    }
  }

  public static func parse(_ text: String) throws(JSONParseError) -> JSONValue {
    try parse(Array(text.utf8))
  }

  /// The error at `offset` (by default here); `parse` adds its path.
  private func error(_ message: String, at offset: Int? = nil) -> JSONParseError {
    JSONParseError(column: (offset ?? i) + 1, message: message)
  }

  @inline(__always)
  private mutating func skipSpace() {
    // Most calls find none (erpctl and most writers emit none): one comparison, inlined.
    if i < end && bytes[i] > 0x20 { return }
    skipSpaceSlowly()
  }

  private mutating func skipSpaceSlowly() {
    while i < end {
      switch bytes[i] {
      case 0x20, 0x09, 0x0A, 0x0D:
        i += 1
        canonical = false
      default: return
      }
    }
  }

  private mutating func value() throws(JSONParseError) -> JSONValue {
    guard i < end else { throw error("unexpected end of input") }
    switch bytes[i] {
    case UInt8(ascii: "{"): return try object()
    case UInt8(ascii: "["): return try array()
    case UInt8(ascii: "\""): return .string(try string())
    case UInt8(ascii: "t"): try literal("true"); return .bool(true)
    case UInt8(ascii: "f"): try literal("false"); return .bool(false)
    case UInt8(ascii: "n"): try literal("null"); return .null
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .int(try number())
    default:
      throw error("unexpected character \(describe(bytes[i])); expected a JSON value")
    }
  }

  private func describe(_ b: UInt8) -> String {
    b >= 0x20 && b < 0x7F ? "'\(Character(Unicode.Scalar(b)))'" : "byte 0x\(String(b, radix: 16))"
  }

  private mutating func literal(_ word: String) throws(JSONParseError) {
    let start = i
    for b in word.utf8 {
      guard i < end, bytes[i] == b else { throw error("invalid literal; expected '\(word)'", at: start) }
      i += 1
    }
  }

  private mutating func enter() throws(JSONParseError) {
    depth += 1
    if depth > Self.maxDepth { throw error("nesting deeper than \(Self.maxDepth) levels") }
  }

  private mutating func object() throws(JSONParseError) -> JSONValue {
    try enter()
    i += 1
    let base = memberStack.count
    // Whether every name so far followed the previous one in `JSONObject` order (as erpctl and
    // most writers emit them): then none repeats an earlier one and the members need no sorting.
    var ordered = true
    // The bytes of the previous name when it was plain ASCII (no escapes), whose byte order is
    // `JSONObject` order: two such names are compared where they are, not as Strings.
    var previousPlain: Range<Int>? = nil
    skipSpace()
    if i < end && bytes[i] == UInt8(ascii: "}") {
      i += 1
      depth -= 1
      return .object(JSONObject())
    }
    while true {
      skipSpace()
      guard i < end, bytes[i] == UInt8(ascii: "\"") else {
        throw error(i < end ? "expected a quoted member name" : "unexpected end of input")
      }
      let keyStart = i
      readingName = true
      let key = try string()
      readingName = false
      let plain = lastStringWasPlain ? keyStart + 1..<i - 1 : nil
      skipSpace()
      guard i < end, bytes[i] == UInt8(ascii: ":") else { throw error("expected ':'") }
      i += 1
      skipSpace()
      let v: JSONValue
      // The member whose canonical text is asked for: its own span of `canonical`.
      let spanned = depth == 1 && spanName != nil && JSONObject.same(key, spanName!)
      let (outer, valueStart) = (canonical, i)
      if spanned { canonical = true }
      do { v = try value() } catch {
        errorPath.insert(.key(key), at: 0)
        throw error
      }
      if spanned {
        if canonical { span = valueStart..<i }
        canonical = outer && canonical
      }
      if ordered, memberStack.count > base {
        if let previous = previousPlain, let plain {
          ordered = precedes(previous, plain)
        } else {
          ordered = JSONObject.less(memberStack[memberStack.count - 1].key, key)
        }
      }
      if !ordered, memberStack[base...].contains(where: { JSONObject.same($0.key, key) }) {
        throw error("duplicate member name '\(key)'", at: keyStart)
      }
      previousPlain = plain
      memberStack.append(JSONObject.Member(key, v))
      skipSpace()
      guard i < end else { throw error("unexpected end of input; expected ',' or '}'") }
      if bytes[i] == UInt8(ascii: ",") {
        i += 1
        continue
      }
      if bytes[i] == UInt8(ascii: "}") {
        i += 1
        break
      }
      throw error("expected ',' or '}'")
    }
    depth -= 1
    // Out of order (or repeated, refused above): `JSONObject` sorts them, so the text is not
    // what is written of it.
    if !ordered { canonical = false }
    let members = Self.moveTop(of: &memberStack, from: base, leaving: JSONObject.Member("", .null))
    if ordered { return .object(JSONObject(sortedMembers: members)) }
    return .object(JSONObject(members.map { ($0.key, $0.value) }))
  }

  /// The elements of `stack` from `base` on, moved into an array of their own and removed.
  ///
  /// Moved, not copied: copied and then destroyed, every member had its name and value retained
  /// and released once more (2 % of an import's reading thread). The places moved from are
  /// filled with `spent`, a value with nothing to release, and removed one by one (the generic
  /// `removeSubrange` goes through unspecialised value witnesses). The array is made with
  /// `reserveCapacity`: `init(unsafeUninitializedCapacity:)` looked its storage's type up in the
  /// runtime's metadata cache each time, which cost more than the moves saved.
  @inline(__always)
  static func moveTop<T>(of stack: inout [T], from base: Int, leaving spent: T) -> [T] {
    let count = stack.count - base
    var moved: [T] = []
    guard count > 0 else { return moved }
    moved.reserveCapacity(count)
    stack.withUnsafeMutableBufferPointer { s in
      // (`s` is the stack's storage, held by the array for the closure.)
      let top = s.baseAddress! + base
      for k in 0..<count { moved.append((top + k).move()) }
      top.initialize(repeating: spent, count: count)
    }
    while stack.count > base { stack.removeLast() }
    return moved
  }

  /// Whether plain name `a` comes before plain name `b` (byte order, which for ASCII is UTF-16
  /// order).
  private func precedes(_ a: Range<Int>, _ b: Range<Int>) -> Bool {
    bytes.withUnsafeBufferPointer { Self.precedes($0, a, b) }
  }

  /// Whether the bytes of `b[a]` come strictly before those of `b[c]` (the order of names in
  /// ASCII; the import's `RecordTape` checks its names with it too).
  @inline(__always)
  static func precedes(_ b: UnsafeBufferPointer<UInt8>, _ a: Range<Int>, _ c: Range<Int>) -> Bool {
    // Names that follow each other mostly differ in their first byte: no call to `memcmp`.
    if !a.isEmpty, !c.isEmpty, b[a.lowerBound] != b[c.lowerBound] { return b[a.lowerBound] < b[c.lowerBound] }
    let n = min(a.count, c.count)
    let r = n == 0 ? 0 : memcmp(b.baseAddress! + a.lowerBound, b.baseAddress! + c.lowerBound, n)
    return r != 0 ? r < 0 : a.count < c.count
  }

  private mutating func array() throws(JSONParseError) -> JSONValue {
    try enter()
    i += 1
    skipSpace()
    if i < end && bytes[i] == UInt8(ascii: "]") {
      i += 1
      depth -= 1
      return .array([])
    }
    let base = itemStack.count
    while true {
      skipSpace()
      let index = itemStack.count - base
      do { itemStack.append(try value()) } catch {
        errorPath.insert(.index(index), at: 0)
        throw error
      }
      skipSpace()
      guard i < end else { throw error("unexpected end of input; expected ',' or ']'") }
      if bytes[i] == UInt8(ascii: ",") {
        i += 1
        continue
      }
      if bytes[i] == UInt8(ascii: "]") {
        i += 1
        break
      }
      throw error("expected ',' or ']'")
    }
    depth -= 1
    return .array(Self.moveTop(of: &itemStack, from: base, leaving: .null))
  }

  private mutating func number() throws(JSONParseError) -> Int64 {
    let start = i
    var negative = false
    if bytes[i] == UInt8(ascii: "-") {
      negative = true
      i += 1
    }
    guard i < end, bytes[i] >= 0x30, bytes[i] <= 0x39 else {
      throw error("invalid number", at: start)
    }
    if bytes[i] == 0x30, i + 1 < end, bytes[i + 1] >= 0x30, bytes[i + 1] <= 0x39 {
      throw error("invalid number: leading zero", at: start)
    }
    var magnitude: Int64 = 0
    var tooBig = false
    while i < end, bytes[i] >= 0x30, bytes[i] <= 0x39 {
      if !tooBig {
        magnitude = magnitude &* 10 &+ Int64(bytes[i] - 0x30)
        if magnitude > JSONValue.maxSafeInteger { tooBig = true }
      }
      i += 1
    }
    if i < end,
      bytes[i] == UInt8(ascii: ".") || bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E")
    {
      throw error(
        "numbers must be integers (write money and rates as decimal strings, e.g. \"12.50\")",
        at: start)
    }
    if tooBig { throw error("integer out of range (more than 2^53 - 1)", at: start) }
    // `-0` is written `0`.
    if negative && magnitude == 0 { canonical = false }
    return negative ? -magnitude : magnitude
  }

  private mutating func hex4() throws(JSONParseError) -> UInt32 {
    guard i + 4 <= end else { throw error("truncated \\u escape") }
    var v: UInt32 = 0
    for _ in 0..<4 {
      let b = bytes[i]
      let d: UInt32
      switch b {
      case 0x30...0x39: d = UInt32(b - 0x30)
      case 0x41...0x46: d = UInt32(b - 0x41 + 10)
      case 0x61...0x66: d = UInt32(b - 0x61 + 10)
      default: throw error("invalid \\u escape")
      }
      v = v << 4 | d
      i += 1
    }
    return v
  }

  private mutating func string() throws(JSONParseError) -> String {
    i += 1
    let start = i
    // Fast path: no escapes, the common case for identifiers, amounts and names; the text is
    // used where it is. Non-ASCII sequences are checked here just as below (copying them out,
    // byte sequence by byte sequence, had cost names in Chinese four times as much).
    var ascii = true
    while i < end {
      i = bytes.withUnsafeBufferPointer { Self.plainEnd($0, from: i, end: end) }
      guard i < end else { break }
      let b = bytes[i]
      if b == UInt8(ascii: "\"") {
        // Known strings are looked for among names, and the values of the top-level members
        // (an event's type): elsewhere values are ids, amounts and text, which would miss.
        let lookUp = ascii && (readingName || depth == 1)
        let s = bytes.withUnsafeBufferPointer { b -> String in
          let text = UnsafeBufferPointer(rebasing: b[start..<i])
          if lookUp, let k = known?.string(text, readable: b.count - start) { return k }
          return String(decoding: text, as: UTF8.self)
        }
        i += 1
        lastStringWasPlain = ascii
        return s
      }
      if b >= 0x80 {
        i += try utf8Sequence()
        ascii = false
        continue
      }
      if b == UInt8(ascii: "\\") || b < 0x20 { break }
      i += 1
    }
    lastStringWasPlain = false
    // An escape (or a control character, refused below): not the text RFC 8785 writes, or not
    // always (it writes `\u00e9` as `é`).
    canonical = false
    var out: [UInt8] = Array(bytes[start..<i])
    while i < end {
      let b = bytes[i]
      switch b {
      case UInt8(ascii: "\""):
        i += 1
        return String(decoding: out, as: UTF8.self)
      case UInt8(ascii: "\\"):
        i += 1
        guard i < end else { throw error("unterminated string") }
        let e = bytes[i]
        i += 1
        switch e {
        case UInt8(ascii: "\""): out.append(0x22)
        case UInt8(ascii: "\\"): out.append(0x5C)
        case UInt8(ascii: "/"): out.append(0x2F)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
          var scalar = try hex4()
          if scalar >= 0xD800 && scalar < 0xDC00 {
            guard i + 6 <= end, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u")
            else { throw error("lone surrogate in \\u escape") }
            i += 2
            let low = try hex4()
            guard low >= 0xDC00 && low < 0xE000 else { throw error("lone surrogate in \\u escape") }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
          } else if scalar >= 0xDC00 && scalar < 0xE000 {
            throw error("lone surrogate in \\u escape")
          }
          // Every value here is a valid scalar: surrogates were paired or refused above.
          out.append(contentsOf: String(Character(Unicode.Scalar(scalar)!)).utf8)
        default: throw error("invalid escape '\\\(Character(Unicode.Scalar(e)))'", at: i - 2)
        }
      case 0..<0x20:
        throw error("control character in string (must be escaped)")
      case 0x80...:
        let n = try utf8Sequence()
        out.append(contentsOf: bytes[i..<(i + n)])
        i += n
      default:
        out.append(b)
        i += 1
      }
    }
    throw error("unterminated string", at: start - 1)
  }

  /// The first index from `from` on (`end` if none, `end <= b.count`) of a byte that ends a run of plain text in a
  /// string: `"`, `\\`, a control character or a non-ASCII byte. Eight bytes at a time (byte by
  /// byte, the loop over a string's bytes was 9 % of the import's reading thread).
  @inline(__always)
  static func plainEnd(_ b: UnsafeBufferPointer<UInt8>, from: Int, end: Int) -> Int {
    guard let start = b.baseAddress else { return from }
    // (Reads stay within `b`: `k + 8 <= end <= b.count` for every word loaded.)
    let base = UnsafeRawPointer(start)
    var k = from
    while k + 8 <= end {
      // The first byte that ends the run is the lowest one marked (little-endian: the first
      // in memory), found by its bit; byte by byte from the word on, the loop had run five
      // times a string.
      let marks = Self.plainEnds(UInt64(littleEndian: base.loadUnaligned(fromByteOffset: k, as: UInt64.self)))
      if marks != 0 { return k + marks.trailingZeroBitCount / 8 }
      k += 8
    }
    while k < end {
      let c = b[k]
      if c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\") || c < 0x20 || c >= 0x80 { break }
      k += 1
    }
    return k
  }

  /// The high bit of each of the eight bytes (little-endian) that is below 0x20, `"`, `\\` or
  /// non-ASCII, and maybe of bytes above such a byte (a borrow only runs upwards from a byte
  /// that matched): the lowest bit set marks exactly the first such byte, and there is one
  /// whenever any byte is such.
  @inline(__always)
  static func plainEnds(_ x: UInt64) -> UInt64 {
    escapeMarks(x) | x & 0x8080_8080_8080_8080
  }

  /// The high bit of each of the eight bytes (little-endian) that is below 0x20, `"` or `\\`,
  /// the bytes RFC 8785 escapes in a string (and maybe of bytes above such a byte): zero exactly
  /// when none is. Shared by the parser's plain-run scan and `ByteWriter.jsonString`'s fast path.
  @inlinable @inline(__always)
  package static func escapeMarks(_ x: UInt64) -> UInt64 {
    let ones: UInt64 = 0x0101_0101_0101_0101
    let highs: UInt64 = 0x8080_8080_8080_8080
    let quote = x ^ (ones &* 0x22)
    let backslash = x ^ (ones &* 0x5C)
    let below20 = (x &- ones &* 0x20) & ~x
    let isQuote = (quote &- ones) & ~quote
    let isBackslash = (backslash &- ones) & ~backslash
    return (below20 | isQuote | isBackslash) & highs
  }

  /// Length of the valid UTF-8 sequence starting at `i` (RFC 3629: no overlongs, no surrogates).
  private func utf8Sequence() throws(JSONParseError) -> Int {
    let n = bytes.withUnsafeBufferPointer { Self.utf8Sequence($0, at: i, end: end) }
    guard let n else { throw error("invalid UTF-8") }
    return n
  }

  /// Length of the valid UTF-8 sequence starting at `i` in `b[..<end]` (RFC 3629: no
  /// overlongs, no surrogates); nil when there is none.
  @inline(__always)
  static func utf8Sequence(_ b: UnsafeBufferPointer<UInt8>, at i: Int, end: Int) -> Int? {
    let b0 = b[i]
    func cont(_ k: Int, _ lo: UInt8 = 0x80, _ hi: UInt8 = 0xBF) -> Bool {
      i + k < end && b[i + k] >= lo && b[i + k] <= hi
    }
    switch b0 {
    case 0xC2...0xDF: if cont(1) { return 2 }
    case 0xE0: if cont(1, 0xA0) && cont(2) { return 3 }
    case 0xE1...0xEC, 0xEE...0xEF: if cont(1) && cont(2) { return 3 }
    case 0xED: if cont(1, 0x80, 0x9F) && cont(2) { return 3 }
    case 0xF0: if cont(1, 0x90) && cont(2) && cont(3) { return 4 }
    case 0xF1...0xF3: if cont(1) && cont(2) && cont(3) { return 4 }
    case 0xF4: if cont(1, 0x80, 0x8F) && cont(2) && cont(3) { return 4 }
    default: break
    }
    return nil
  }
}

/// Strings a parser returns as they are where their text is read: the member names, types and
/// options every event record repeats. Made again for every record, each was a new String whose
/// UTF-8 was checked again (and a heap allocation past 15 bytes, as `CustomerRegistered` is):
/// a third of the parser's strings, which cost as much as the parser's own work.
///
/// Found by a hash of the text (up to 24 bytes) and its bytes compared in full, so a text gets
/// the string of exactly its bytes or none.
public final class JSONStrings: Sendable {
  /// Open addressing: the length and the first 24 bytes (zero-padded) of each string, at its
  /// hash's slot or one of the next few; length 0 marks an empty slot.
  private let lengths: [Int]
  private let words: [(UInt64, UInt64, UInt64)]
  private let strings: [String]
  private let mask: Int
  private static let probes = 4
  static let maxLength = 24

  /// Strings of 1 to 24 UTF-8 bytes; others, and any that find no free slot near their hash,
  /// are left out (their text is made into a string as any other).
  public init(_ all: some Sequence<String>) {
    var size = 64
    let unique = Array(Set(all)).sorted()
    while size < unique.count * 4 { size *= 2 }
    var lengths = [Int](repeating: 0, count: size)
    var words = [(UInt64, UInt64, UInt64)](repeating: (0, 0, 0), count: size)
    var strings = [String](repeating: "", count: size)
    for s in unique {
      let u = Array(s.utf8)
      guard (1...Self.maxLength).contains(u.count) else { continue }
      let w = u.withUnsafeBufferPointer { Self.words($0) }
      var k = Self.hash(w, u.count) & (size - 1)
      for _ in 0..<Self.probes {
        if lengths[k] == 0 {
          (lengths[k], words[k], strings[k]) = (u.count, w, s)
          break
        }
        k = (k + 1) & (size - 1)
      }
    }
    (self.lengths, self.words, self.strings, mask) = (lengths, words, strings, size - 1)
  }

  /// The string whose UTF-8 is `text`, if it is one of these.
  /// - Parameter readable: how many bytes may be read from `text.baseAddress` on (at least
  ///   `text.count`): from 24, the text is read a word at a time.
  @inline(__always)
  public func string(_ text: UnsafeBufferPointer<UInt8>, readable: Int) -> String? {
    let n = text.count
    guard n > 0 && n <= Self.maxLength else { return nil }
    let w = readable >= 24 ? Self.words(UnsafeRawPointer(text.baseAddress!), n) : Self.words(text)
    var k = Self.hash(w, n) & mask
    for _ in 0..<Self.probes {
      let length = lengths[k]
      if length == 0 { return nil }
      if length == n && words[k] == w { return strings[k] }
      k = (k + 1) & mask
    }
    return nil
  }

  /// The bytes (at most 24) as three little-endian words, zero-padded.
  @inline(__always)
  private static func words(_ text: UnsafeBufferPointer<UInt8>) -> (UInt64, UInt64, UInt64) {
    var w: (UInt64, UInt64, UInt64) = (0, 0, 0)
    // (`text.count` <= 24, the size of `w`.)
    withUnsafeMutableBytes(of: &w) { $0.baseAddress!.copyMemory(from: text.baseAddress!, byteCount: text.count) }
    return (UInt64(littleEndian: w.0), UInt64(littleEndian: w.1), UInt64(littleEndian: w.2))
  }

  /// `words` of the `n` (1...24) bytes at `p`, read as three whole words: 24 bytes at `p` must
  /// be readable. The bytes past `n` are cleared.
  @inline(__always)
  private static func words(_ p: UnsafeRawPointer, _ n: Int) -> (UInt64, UInt64, UInt64) {
    var w = (
      UInt64(littleEndian: p.loadUnaligned(as: UInt64.self)),
      UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 8, as: UInt64.self)),
      UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 16, as: UInt64.self)))
    if n <= 8 {
      (w.0, w.1, w.2) = (w.0 & lowBytes(n), 0, 0)
    } else if n <= 16 {
      (w.1, w.2) = (w.1 & lowBytes(n - 8), 0)
    } else {
      w.2 &= lowBytes(n - 16)
    }
    return w
  }

  /// A mask of the low `k` (1...8) bytes of a word.
  @inline(__always)
  private static func lowBytes(_ k: Int) -> UInt64 { k >= 8 ? ~0 : (1 << UInt64(8 * k)) &- 1 }

  @inline(__always)
  private static func hash(_ w: (UInt64, UInt64, UInt64), _ n: Int) -> Int {
    let h = (w.0 &* 0x9E37_79B9_7F4A_7C15) ^ (w.1 &* 0xC2B2_AE3D_27D4_EB4F) ^ (w.2 &* 0x1656_67B1_9E37_79F9)
      ^ UInt64(n)
    return Int(truncatingIfNeeded: ((h ^ (h >> 29)) &* 0xBF58_476D_1CE4_E5B9) >> 40)
  }
}
