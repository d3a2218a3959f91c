import Foundation

/// A JSON Lines record read in one pass into a flat list of its values, without building a
/// `JSONValue` tree: the import's fast path (`EventRecordReader.fastEvent`). Building, checking,
/// decoding and freeing the tree of every record was about three quarters of the import's
/// reading thread (BENCHMARKS.md, issue 4, run 11).
///
/// It takes only text that is already what erpctl stores and hashes: RFC 8785 as `generate`
/// writes it (no white space, members in byte order, integers as plain digits), with strings in
/// valid UTF-8 without escapes, and member names in ASCII. Anything else (a space, an escape, a
/// name not in ASCII, members out of order) is not read here: `read` says false, and the record
/// goes through `JSONParser` and the catalogue, which normalise it or say what is wrong with it.
/// So the fast path never has to produce a message, and what it accepts is a subset of what the
/// general path accepts, read to the same values.
///
/// The list is kept from one line to the next (no allocation per record). Offsets are into the
/// buffer the line was read from.
package struct RecordTape {
  package enum Kind: UInt8 { case string, int, bool, null, object, array }

  package struct Entry {
    /// Where a member's name lies (its bytes, without quotes); an empty range for an item of
    /// an array and for the top-level object.
    package var name: Range<Int>
    package var kind: Kind
    /// A string's text (without quotes); a container's whole text, brackets included.
    package var text: Range<Int>
    /// An integer's value, a boolean's (0 or 1), or a container's number of children.
    package var value: Int64
    /// The index of the entry after this one and its descendants (a scalar's own index + 1): its
    /// next sibling, so that every walk over members steps by it.
    package var next: Int
  }

  package private(set) var entries: [Entry] = []

  package init() { entries.reserveCapacity(64) }

  /// The deepest nesting read here: a record, its data, a field's lines and their objects.
  static let maxDepth = 4

  /// Reads `b[start..<end]` as one value; false when it is not in the form described above
  /// (the entries are then meaningless).
  package mutating func read(_ b: UnsafeBufferPointer<UInt8>, start: Int, end: Int) -> Bool {
    entries.removeAll(keepingCapacity: true)
    var i = start
    guard end <= b.count, value(b, &i, end, name: start..<start, depth: 0) else { return false }
    return i == end
  }

  private mutating func value(
    _ b: UnsafeBufferPointer<UInt8>, _ i: inout Int, _ end: Int, name: Range<Int>, depth: Int
  ) -> Bool {
    guard i < end else { return false }
    switch b[i] {
    case UInt8(ascii: "\""):
      var ascii = true
      guard let text = Self.string(b, &i, end, ascii: &ascii) else { return false }
      entries.append(Entry(name: name, kind: .string, text: text, value: 0, next: entries.count + 1))
      return true
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
      let from = i
      guard let n = Self.integer(b, &i, end) else { return false }
      entries.append(Entry(name: name, kind: .int, text: from..<i, value: n, next: entries.count + 1))
      return true
    case UInt8(ascii: "t"):
      guard Self.literal(b, &i, end, "true") else { return false }
      entries.append(Entry(name: name, kind: .bool, text: i - 4..<i, value: 1, next: entries.count + 1))
      return true
    case UInt8(ascii: "f"):
      guard Self.literal(b, &i, end, "false") else { return false }
      entries.append(Entry(name: name, kind: .bool, text: i - 5..<i, value: 0, next: entries.count + 1))
      return true
    case UInt8(ascii: "n"):
      guard Self.literal(b, &i, end, "null") else { return false }
      entries.append(Entry(name: name, kind: .null, text: i - 4..<i, value: 0, next: entries.count + 1))
      return true
    case UInt8(ascii: "{"), UInt8(ascii: "["):
      guard depth < Self.maxDepth else { return false }
      let isObject = b[i] == UInt8(ascii: "{")
      let close = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
      let from = i
      let at = entries.count
      entries.append(Entry(name: name, kind: isObject ? .object : .array, text: from..<from, value: 0, next: 0))
      i += 1
      var children: Int64 = 0
      var previous: Range<Int>? = nil
      if i < end && b[i] == close {
        i += 1
      } else {
        while true {
          var childName = i..<i
          if isObject {
            // (Names in ASCII: their byte order is RFC 8785's, which for others it may not be.)
            var ascii = true
            guard i < end, b[i] == UInt8(ascii: "\""), let n = Self.string(b, &i, end, ascii: &ascii), ascii
            else { return false }
            // Strictly in byte order (which for ASCII is RFC 8785's): sorted, no repeats.
            if let previous, !JSONParser.precedes(b, previous, n) { return false }
            previous = n
            childName = n
            guard i < end, b[i] == UInt8(ascii: ":") else { return false }
            i += 1
          }
          guard value(b, &i, end, name: childName, depth: depth + 1) else { return false }
          children += 1
          guard i < end else { return false }
          if b[i] == UInt8(ascii: ",") {
            i += 1
            continue
          }
          guard b[i] == close else { return false }
          i += 1
          break
        }
      }
      entries[at].text = from..<i
      entries[at].value = children
      entries[at].next = entries.count
      return true
    default:
      return false
    }
  }

  /// A string without escapes or control characters, in valid UTF-8, from its opening quote at
  /// `i`: its text, with `i` past the closing quote. `ascii` is cleared when it is not ASCII.
  @inline(__always)
  private static func string(
    _ b: UnsafeBufferPointer<UInt8>, _ i: inout Int, _ end: Int, ascii: inout Bool
  ) -> Range<Int>? {
    let from = i + 1
    var k = from
    while true {
      // Stops at a quote, a backslash, a control character or a non-ASCII byte.
      k = JSONParser.plainEnd(b, from: k, end: end)
      guard k < end else { return nil }
      if b[k] == UInt8(ascii: "\"") { break }
      guard b[k] >= 0x80, let n = JSONParser.utf8Sequence(b, at: k, end: end) else { return nil }
      ascii = false
      k += n
    }
    i = k + 1
    return from..<k
  }

  /// An integer as RFC 8785 writes one: no leading zero, no `-0`, within ±(2^53 − 1), and no
  /// fraction or exponent after it.
  @inline(__always)
  private static func integer(_ b: UnsafeBufferPointer<UInt8>, _ i: inout Int, _ end: Int) -> Int64? {
    var negative = false
    if b[i] == UInt8(ascii: "-") {
      negative = true
      i += 1
    }
    let first = i
    var n: Int64 = 0
    while i < end, b[i] >= 0x30, b[i] <= 0x39 {
      guard i - first < 16 else { return nil }
      n = n * 10 + Int64(b[i] - 0x30)
      i += 1
    }
    let digits = i - first
    guard digits > 0, n <= JSONValue.maxSafeInteger, !(digits > 1 && b[first] == 0x30), !(negative && n == 0)
    else { return nil }
    if i < end, b[i] == UInt8(ascii: ".") || b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") { return nil }
    return negative ? -n : n
  }

  @inline(__always)
  private static func literal(_ b: UnsafeBufferPointer<UInt8>, _ i: inout Int, _ end: Int, _ word: StaticString) -> Bool {
    let n = word.utf8CodeUnitCount
    guard i + n <= end, memcmp(b.baseAddress! + i, word.utf8Start, n) == 0 else { return false }
    i += n
    return true
  }

  /// Whether entry `e`'s name is `name`'s bytes.
  @inline(__always)
  package static func named(_ b: UnsafeBufferPointer<UInt8>, _ e: Entry, _ name: UnsafeBufferPointer<UInt8>) -> Bool {
    // The first bytes settle most mismatches without a call to `memcmp` (a scan for a member
    // compares its name with every member before it, mostly of the same few lengths).
    guard e.name.count == name.count else { return false }
    guard !name.isEmpty else { return true }
    return b[e.name.lowerBound] == name[0] && equalBytes(b.baseAddress! + e.name.lowerBound, name.baseAddress!, name.count)
  }

  /// Whether the `n` bytes at `p` and at `q` are equal: for up to 16 bytes (names), by two
  /// overlapping loads a side, not a call to `memcmp` (whose calls were a tenth of the import's
  /// reading thread, with the scans for members that make them).
  @inline(__always)
  package static func equalBytes(_ p: UnsafeRawPointer, _ q: UnsafeRawPointer, _ n: Int) -> Bool {
    if n >= 8 {
      guard n <= 16 else { return memcmp(p, q, n) == 0 }
      return p.loadUnaligned(as: UInt64.self) == q.loadUnaligned(as: UInt64.self)
        && p.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
          == q.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
    }
    if n >= 4 {
      return p.loadUnaligned(as: UInt32.self) == q.loadUnaligned(as: UInt32.self)
        && p.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)
          == q.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)
    }
    for i in 0..<n where p.load(fromByteOffset: i, as: UInt8.self) != q.load(fromByteOffset: i, as: UInt8.self) {
      return false
    }
    return true
  }

  /// The text of a string entry as a `String` (its bytes are valid UTF-8).
  @inline(__always)
  package static func string(_ b: UnsafeBufferPointer<UInt8>, _ e: Entry) -> String {
    string(UnsafeBufferPointer(rebasing: b[e.text]))
  }

  /// A string of the tape's valid UTF-8 `text`: up to 15 ASCII bytes (most identifiers) made
  /// from their two words (`InlineString`), without `String(decoding:as:)`'s validation and
  /// generic path (about 145 instructions a string, a million strings per 200,000 records).
  @inline(__always)
  package static func string(_ text: UnsafeBufferPointer<UInt8>) -> String {
    InlineString.ascii(UnsafeRawBufferPointer(text), holds: InlineString.holds)
      ?? String(decoding: text, as: UTF8.self)
  }
}

/// An object of a read `RecordTape`, with the buffer it was read from: what `DataReader` reads
/// a record's data through on the fast path. Valid only while the tape and the buffer are lent
/// (inside `EventRecordReader.fastEvent`).
struct TapeObject {
  let entries: UnsafeBufferPointer<RecordTape.Entry>
  let bytes: UnsafeBufferPointer<UInt8>
  /// The object's own entry.
  let index: Int

  /// The index of member `name`'s entry, if present.
  func member(_ name: String) -> Int? {
    var name = name
    return name.withUTF8 { n -> Int? in
      var k = index + 1
      let end = entries[index].next
      while k < end {
        let e = entries[k]
        if RecordTape.named(bytes, e, n) { return k }
        k = e.next
      }
      return nil
    }
  }

  /// The value of entry `e` as a `JSONValue` (a container is parsed from its text: only for
  /// the rare reader that wants the object itself).
  func value(_ e: RecordTape.Entry) -> JSONValue {
    switch e.kind {
    case .string: .string(RecordTape.string(bytes, e))
    case .int: .int(e.value)
    case .bool: .bool(e.value != 0)
    case .null: .null
    case .object, .array:
      (try? JSONParser.parse(Array(UnsafeBufferPointer(rebasing: bytes[e.text])))) ?? .null
    }
  }
}
