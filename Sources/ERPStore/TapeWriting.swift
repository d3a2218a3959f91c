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
enum TapeWriting {
  /// The name of the member added to each line of a shipment, and its place among names.
  static let cogs: [UInt8] = Array("cogs".utf8)

  /// The canonical text of the object at entry `k`; with `emptyCogsInLines`, the `cogs` slots
  /// in the objects of its member `lines`.
  static func canonical(
    _ b: UnsafeBufferPointer<UInt8>, _ entries: UnsafeBufferPointer<RecordTape.Entry>, object k: Int,
    emptyCogsInLines: Bool, _ w: inout ByteWriter
  ) {
    canonicalObject(b, entries, k, insertCogs: false, cogsInLines: emptyCogsInLines, &w)
  }

  private static func canonicalObject(
    _ b: UnsafeBufferPointer<UInt8>, _ entries: UnsafeBufferPointer<RecordTape.Entry>, _ k: Int,
    insertCogs: Bool, cogsInLines: Bool, _ w: inout ByteWriter
  ) {
    w.byte(UInt8(ascii: "{"))
    var first = true
    var pending = insertCogs
    var c = k + 1
    while c < entries[k].next {
      let e = entries[c]
      if pending && precedes(b, e.name) {
        writeCanonicalCogs(first: first, &w)
        (first, pending) = (false, false)
      }
      if !first { w.byte(UInt8(ascii: ",")) }
      first = false
      w.byte(UInt8(ascii: "\""))
      w.bytes(UnsafeBufferPointer(rebasing: b[e.name]))
      w.literal("\":")
      let lines = cogsInLines && e.kind == .array && isLines(b, e)
      canonicalValue(b, entries, c, cogsInItems: lines, &w)
      c = e.kind == .object || e.kind == .array ? e.next : c + 1
    }
    if pending { writeCanonicalCogs(first: first, &w) }
    w.byte(UInt8(ascii: "}"))
  }

  private static func canonicalValue(
    _ b: UnsafeBufferPointer<UInt8>, _ entries: UnsafeBufferPointer<RecordTape.Entry>, _ c: Int,
    cogsInItems: Bool, _ w: inout ByteWriter
  ) {
    let e = entries[c]
    switch e.kind {
    case .string:
      w.byte(UInt8(ascii: "\""))
      w.bytes(UnsafeBufferPointer(rebasing: b[e.text]))
      w.byte(UInt8(ascii: "\""))
    case .int, .bool, .null:
      w.bytes(UnsafeBufferPointer(rebasing: b[e.text]))
    case .object:
      canonicalObject(b, entries, c, insertCogs: false, cogsInLines: false, &w)
    case .array:
      w.byte(UInt8(ascii: "["))
      var item = c + 1
      var first = true
      while item < e.next {
        if !first { w.byte(UInt8(ascii: ",")) }
        first = false
        let i = entries[item]
        if cogsInItems && i.kind == .object {
          canonicalObject(b, entries, item, insertCogs: true, cogsInLines: false, &w)
        } else {
          canonicalValue(b, entries, item, cogsInItems: false, &w)
        }
        item = i.kind == .object || i.kind == .array ? i.next : item + 1
      }
      w.byte(UInt8(ascii: "]"))
    }
  }

  private static func writeCanonicalCogs(first: Bool, _ w: inout ByteWriter) {
    if !first { w.byte(UInt8(ascii: ",")) }
    w.literal("\"cogs\":\"\"")
  }

  /// The binary value of the object at entry `k` (`EventCodec.putObject`); with
  /// `emptyCogsInLines`, the `cogs` slots in the objects of its member `lines`.
  static func binary(
    _ b: UnsafeBufferPointer<UInt8>, _ entries: UnsafeBufferPointer<RecordTape.Entry>, object k: Int,
    emptyCogsInLines: Bool, _ w: inout ByteWriter
  ) {
    binaryObject(b, entries, k, insertCogs: false, cogsInLines: emptyCogsInLines, &w)
  }

  private static func binaryObject(
    _ b: UnsafeBufferPointer<UInt8>, _ entries: UnsafeBufferPointer<RecordTape.Entry>, _ k: Int,
    insertCogs: Bool, cogsInLines: Bool, _ w: inout ByteWriter
  ) {
    w.byte(6)
    EventCodec.putVarint(UInt64(entries[k].value) + (insertCogs ? 1 : 0), &w)
    var pending = insertCogs
    var c = k + 1
    while c < entries[k].next {
      let e = entries[c]
      if pending && precedes(b, e.name) {
        writeBinaryCogs(&w)
        pending = false
      }
      putBytes(b, e.name, &w)
      let lines = cogsInLines && e.kind == .array && isLines(b, e)
      binaryValue(b, entries, c, cogsInItems: lines, &w)
      c = e.kind == .object || e.kind == .array ? e.next : c + 1
    }
    if pending { writeBinaryCogs(&w) }
  }

  private static func binaryValue(
    _ b: UnsafeBufferPointer<UInt8>, _ entries: UnsafeBufferPointer<RecordTape.Entry>, _ c: Int,
    cogsInItems: Bool, _ w: inout ByteWriter
  ) {
    let e = entries[c]
    switch e.kind {
    case .null: w.byte(0)
    case .bool: w.byte(e.value != 0 ? 2 : 1)
    case .int:
      w.byte(3)
      EventCodec.putVarint(UInt64(bitPattern: (e.value << 1) ^ (e.value >> 63)), &w)
    case .string:
      w.byte(4)
      putBytes(b, e.text, &w)
    case .object:
      binaryObject(b, entries, c, insertCogs: false, cogsInLines: false, &w)
    case .array:
      w.byte(5)
      EventCodec.putVarint(UInt64(e.value), &w)
      var item = c + 1
      while item < e.next {
        let i = entries[item]
        if cogsInItems && i.kind == .object {
          binaryObject(b, entries, item, insertCogs: true, cogsInLines: false, &w)
        } else {
          binaryValue(b, entries, item, cogsInItems: false, &w)
        }
        item = i.kind == .object || i.kind == .array ? i.next : item + 1
      }
    }
  }

  /// `"cogs": ""` in the binary form: the name, then an empty string.
  private static func writeBinaryCogs(_ w: inout ByteWriter) {
    EventCodec.putVarint(UInt64(cogs.count), &w)
    w.bytes(cogs)
    w.byte(4)
    w.byte(0)
  }

  /// A varint byte count, then the bytes (`EventCodec.putString`).
  @inline(__always)
  private static func putBytes(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>, _ w: inout ByteWriter) {
    EventCodec.putVarint(UInt64(r.count), &w)
    w.bytes(UnsafeBufferPointer(rebasing: b[r]))
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
