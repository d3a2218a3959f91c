import ERPCore
import Foundation

/// An object of a record's tape (`RecordTape`, the import's fast path) written out in the two
/// stored forms: the RFC 8785 text and the binary value format (`EventCodec`). The same bytes as
/// `ByteWriter.jsonObject` and `EventCodec.putObject` write of the `JSONObject` read from the
/// same text, without that object.
///
/// A shipment's data gets an empty `cogs` member in each object of its `lines` where it sorts
/// (`PreparedEvent.withEmptyCogs` does that to the object): the slots the appender writes the
/// costs it decides into.
///
/// One walk of the tape (`object`, `value`) does that for both forms; a `TapeFormat` says how
/// each part is written in its form.
enum TapeWriting {
  /// The name of the member added to each line of a shipment.
  static let cogs: [UInt8] = Array("cogs".utf8)

  /// The canonical text of the object at entry `k`; with `emptyCogsInLines`, the `cogs` slots
  /// in the objects of its member `lines`, the offset in `w` of each (where its value goes,
  /// between the quotes) appended to `slots`.
  static func canonical(
    _ b: UnsafeBufferPointer<UInt8>, _ entries: UnsafeBufferPointer<RecordTape.Entry>, object k: Int,
    emptyCogsInLines: Bool, slots: inout [Int], _ w: inout ByteWriter
  ) {
    object(Canonical.self, b, entries, k, insertCogs: false, cogsInLines: emptyCogsInLines, &slots, &w)
  }

  /// The binary value of the object at entry `k` (`EventCodec.putObject`); with
  /// `emptyCogsInLines`, the `cogs` slots in the objects of its member `lines`, the offset in
  /// `w` of each (its length byte) appended to `slots`.
  static func binary(
    _ b: UnsafeBufferPointer<UInt8>, _ entries: UnsafeBufferPointer<RecordTape.Entry>, object k: Int,
    emptyCogsInLines: Bool, slots: inout [Int], _ w: inout ByteWriter
  ) {
    object(Binary.self, b, entries, k, insertCogs: false, cogsInLines: emptyCogsInLines, &slots, &w)
  }

  /// The object at entry `k`, with an empty `cogs` member where it sorts when `insertCogs`, and
  /// with one in each object of its member `lines` when `cogsInLines`.
  private static func object<F: TapeFormat>(
    _ format: F.Type, _ b: UnsafeBufferPointer<UInt8>, _ entries: UnsafeBufferPointer<RecordTape.Entry>,
    _ k: Int, insertCogs: Bool, cogsInLines: Bool, _ slots: inout [Int], _ w: inout ByteWriter
  ) {
    F.objectStart(members: Int(entries[k].value) + (insertCogs ? 1 : 0), &w)
    var first = true
    var pending = insertCogs
    var c = k + 1
    while c < entries[k].next {
      let e = entries[c]
      if pending && precedes(b, e.name) {
        cogs.withUnsafeBufferPointer { F.name($0, first: first, &w) }
        emptyCogs(format, &slots, &w)
        (first, pending) = (false, false)
      }
      F.name(UnsafeBufferPointer(rebasing: b[e.name]), first: first, &w)
      first = false
      let lines = cogsInLines && e.kind == .array && isLines(b, e)
      value(format, b, entries, c, cogsInItems: lines, &slots, &w)
      c = e.next
    }
    if pending {
      cogs.withUnsafeBufferPointer { F.name($0, first: first, &w) }
      emptyCogs(format, &slots, &w)
    }
    F.objectEnd(&w)
  }

  /// A `cogs` slot's empty string, its offset noted (in both forms the byte after the first:
  /// the closing quote, or the length after the tag). Noted as written, where they had been
  /// searched for in the written bytes (5,000 instructions a shipment).
  @inline(__always)
  private static func emptyCogs<F: TapeFormat>(_ format: F.Type, _ slots: inout [Int], _ w: inout ByteWriter) {
    slots.append(w.count + 1)
    F.emptyString(&w)
  }

  /// The value at entry `c`; with `cogsInItems` (an array), each object item with its `cogs`.
  private static func value<F: TapeFormat>(
    _ format: F.Type, _ b: UnsafeBufferPointer<UInt8>, _ entries: UnsafeBufferPointer<RecordTape.Entry>,
    _ c: Int, cogsInItems: Bool, _ slots: inout [Int], _ w: inout ByteWriter
  ) {
    let e = entries[c]
    switch e.kind {
    case .string, .int, .bool, .null:
      F.scalar(b, e, &w)
    case .object:
      object(format, b, entries, c, insertCogs: false, cogsInLines: false, &slots, &w)
    case .array:
      F.arrayStart(items: Int(e.value), &w)
      var item = c + 1
      var first = true
      while item < e.next {
        F.item(first: first, &w)
        first = false
        let i = entries[item]
        if cogsInItems && i.kind == .object {
          object(format, b, entries, item, insertCogs: true, cogsInLines: false, &slots, &w)
        } else {
          value(format, b, entries, item, cogsInItems: false, &slots, &w)
        }
        item = i.next
      }
      F.arrayEnd(&w)
    }
  }

  /// Whether `cogs` sorts before the name at `name` (names are ASCII: byte order). A name equal
  /// to it never comes here: the fast path refuses data with a field the store writes.
  @inline(__always)
  private static func precedes(_ b: UnsafeBufferPointer<UInt8>, _ name: Range<Int>) -> Bool {
    cogs.withUnsafeBufferPointer { c in
      let n = min(c.count, name.count)
      let r = n == 0 ? 0 : memcmp(c.baseAddress!, b.baseAddress! + name.lowerBound, n)
      precondition(r != 0 || c.count != name.count, "TapeWriting: the record has a cogs member already")
      return r != 0 ? r < 0 : c.count < name.count
    }
  }

  private static let linesName: [UInt8] = Array("lines".utf8)

  @inline(__always)
  private static func isLines(_ b: UnsafeBufferPointer<UInt8>, _ e: RecordTape.Entry) -> Bool {
    linesName.withUnsafeBufferPointer { RecordTape.named(b, e, $0) }
  }
}

/// How one stored form writes the parts of a value (`TapeWriting`'s walk).
private protocol TapeFormat {
  static func objectStart(members: Int, _ w: inout ByteWriter)
  static func objectEnd(_ w: inout ByteWriter)
  /// A member's name (ASCII, as read), before its value.
  static func name(_ name: UnsafeBufferPointer<UInt8>, first: Bool, _ w: inout ByteWriter)
  /// A string, integer, boolean or null, from its entry.
  static func scalar(_ b: UnsafeBufferPointer<UInt8>, _ e: RecordTape.Entry, _ w: inout ByteWriter)
  static func emptyString(_ w: inout ByteWriter)
  static func arrayStart(items: Int, _ w: inout ByteWriter)
  /// Before each item of an array.
  static func item(first: Bool, _ w: inout ByteWriter)
  static func arrayEnd(_ w: inout ByteWriter)
}

/// RFC 8785: the tape's text is already canonical, so scalars are copied as they were read.
private enum Canonical: TapeFormat {
  static func objectStart(members: Int, _ w: inout ByteWriter) { w.byte(UInt8(ascii: "{")) }
  static func objectEnd(_ w: inout ByteWriter) { w.byte(UInt8(ascii: "}")) }

  static func name(_ name: UnsafeBufferPointer<UInt8>, first: Bool, _ w: inout ByteWriter) {
    if !first { w.byte(UInt8(ascii: ",")) }
    w.byte(UInt8(ascii: "\""))
    w.bytes(name)
    w.literal("\":")
  }

  static func scalar(_ b: UnsafeBufferPointer<UInt8>, _ e: RecordTape.Entry, _ w: inout ByteWriter) {
    let text = UnsafeBufferPointer(rebasing: b[e.text])
    guard e.kind == .string else { return w.bytes(text) }
    w.byte(UInt8(ascii: "\""))
    w.bytes(text)
    w.byte(UInt8(ascii: "\""))
  }

  static func emptyString(_ w: inout ByteWriter) { w.literal("\"\"") }
  static func arrayStart(items: Int, _ w: inout ByteWriter) { w.byte(UInt8(ascii: "[")) }
  static func item(first: Bool, _ w: inout ByteWriter) { if !first { w.byte(UInt8(ascii: ",")) } }
  static func arrayEnd(_ w: inout ByteWriter) { w.byte(UInt8(ascii: "]")) }
}

/// The binary value format (`EventCodec.putValue`): tags, varint counts, length-prefixed strings.
private enum Binary: TapeFormat {
  static func objectStart(members: Int, _ w: inout ByteWriter) {
    w.byte(6)
    EventCodec.putVarint(UInt64(members), &w)
  }
  static func objectEnd(_ w: inout ByteWriter) {}

  static func name(_ name: UnsafeBufferPointer<UInt8>, first: Bool, _ w: inout ByteWriter) {
    EventCodec.putVarint(UInt64(name.count), &w)
    w.bytes(name)
  }

  static func scalar(_ b: UnsafeBufferPointer<UInt8>, _ e: RecordTape.Entry, _ w: inout ByteWriter) {
    switch e.kind {
    case .null: w.byte(0)
    case .bool: w.byte(e.value != 0 ? 2 : 1)
    case .int:
      w.byte(3)
      EventCodec.putVarint(UInt64(bitPattern: (e.value << 1) ^ (e.value >> 63)), &w)
    default: EventCodec.putStringValue(bytes: UnsafeBufferPointer(rebasing: b[e.text]), &w)
    }
  }

  static func emptyString(_ w: inout ByteWriter) {
    w.byte(EventCodec.stringTag)
    w.byte(0)
  }
  static func arrayStart(items: Int, _ w: inout ByteWriter) {
    w.byte(5)
    EventCodec.putVarint(UInt64(items), &w)
  }
  static func item(first: Bool, _ w: inout ByteWriter) {}
  static func arrayEnd(_ w: inout ByteWriter) {}
}
