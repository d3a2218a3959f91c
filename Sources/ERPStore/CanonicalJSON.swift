import ERPCore

/// RFC 8785 (JSON Canonicalization Scheme) serialisation. With integers only and keys kept
/// sorted by `JSONObject`, JCS reduces to: no white space, members in UTF-16 key order, strings
/// escaped minimally (only `"`, `\` and control characters), integers as plain digits.
public enum CanonicalJSON {
  public static func encode(_ value: JSONValue) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(256)
    write(value, into: &out)
    return out
  }

  public static func string(_ value: JSONValue) -> String {
    String(decoding: encode(value), as: UTF8.self)
  }

  public static func write(_ value: JSONValue, into out: inout [UInt8]) {
    ByteWriter.append(to: &out) { $0.json(value) }
  }

  public static func writeInt(_ i: Int64, into out: inout [UInt8]) {
    ByteWriter.append(to: &out) { $0.jsonInt(i) }
  }

  public static func writeString(_ s: String, into out: inout [UInt8]) {
    ByteWriter.append(to: &out) { $0.jsonString(s) }
  }
}

// MARK: The writer behind it

/// A growable byte buffer written through a raw pointer: one capacity comparison per write and no
/// copy-on-write uniqueness check per byte, which is what appending byte by byte to an `Array`
/// costs. The canonical JSON and the stored binary form (ERPStore) are written through it, on the
/// stack while they fit, and handed over to the caller's array in one copy.
package struct ByteWriter {
  @usableFromInline var base: UnsafeMutablePointer<UInt8>
  @usableFromInline var count: Int
  @usableFromInline var capacity: Int
  @usableFromInline var ownsBase: Bool

  /// Runs `body` with a writer and appends what it wrote to `out`.
  @inlinable
  package static func append(to out: inout [UInt8], _ body: (inout ByteWriter) -> Void) {
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 1024) { stack in
      var w = ByteWriter(base: stack.baseAddress!, count: 0, capacity: stack.count, ownsBase: false)
      body(&w)
      out.append(contentsOf: UnsafeBufferPointer(start: w.base, count: w.count))
      if w.ownsBase { w.base.deallocate() }
    }
  }

  /// Runs `body` with a writer, then `use` with what it wrote, where it lies (no copy into an
  /// array: the encoder hashes each event's canonical bytes so).
  @inlinable
  package static func withWritten<R>(
    _ body: (inout ByteWriter) -> Void, _ use: (UnsafeBufferPointer<UInt8>) throws -> R
  ) rethrows -> R {
    try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 1024) { stack in
      var w = ByteWriter(base: stack.baseAddress!, count: 0, capacity: stack.count, ownsBase: false)
      body(&w)
      defer { if w.ownsBase { w.base.deallocate() } }
      return try use(UnsafeBufferPointer(start: w.base, count: w.count))
    }
  }

  /// Runs `body` with a writer and returns what it wrote, in an array of exactly that size (one
  /// copy, where appending to an empty array went through the generic growth path: 650
  /// instructions per prepared event).
  @inlinable
  package static func bytes(_ body: (inout ByteWriter) -> Void) -> [UInt8] {
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 1024) { stack in
      var w = ByteWriter(base: stack.baseAddress!, count: 0, capacity: stack.count, ownsBase: false)
      body(&w)
      let out = Array(UnsafeBufferPointer(start: w.base, count: w.count))
      if w.ownsBase { w.base.deallocate() }
      return out
    }
  }

  @usableFromInline
  init(base: UnsafeMutablePointer<UInt8>, count: Int, capacity: Int, ownsBase: Bool) {
    self.base = base
    self.count = count
    self.capacity = capacity
    self.ownsBase = ownsBase
  }

  /// Makes room for `n` more bytes.
  @inlinable @inline(__always)
  package mutating func reserve(_ n: Int) {
    if _slowPath(capacity - count < n) { grow(n) }
  }

  @usableFromInline @inline(never)
  mutating func grow(_ n: Int) {
    let newCapacity = Swift.max(capacity * 2, count + n)
    let p = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
    p.initialize(from: base, count: count)
    if ownsBase { base.deallocate() }
    base = p
    capacity = newCapacity
    ownsBase = true
  }

  @inlinable @inline(__always)
  package mutating func byte(_ b: UInt8) {
    reserve(1)
    base[count] = b
    count += 1
  }

  @inlinable @inline(__always)
  package mutating func bytes(_ p: UnsafeBufferPointer<UInt8>) {
    guard let src = p.baseAddress, p.count > 0 else { return }
    reserve(p.count)
    (base + count).initialize(from: src, count: p.count)
    count += p.count
  }

  @inlinable @inline(__always)
  package mutating func bytes(_ p: UnsafeRawBufferPointer) {
    bytes(p.bindMemory(to: UInt8.self))
  }

  @inlinable @inline(__always)
  package mutating func bytes(_ a: [UInt8]) {
    a.withUnsafeBufferPointer { bytes($0) }
  }

  /// The UTF-8 bytes of a literal.
  @inlinable @inline(__always)
  package mutating func literal(_ s: StaticString) {
    bytes(UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
  }

  /// The UTF-8 bytes of `s`, unescaped.
  @inlinable
  package mutating func utf8(_ s: String) {
    let done: Void? = s.utf8.withContiguousStorageIfAvailable { bytes($0) }
    if done == nil { for b in s.utf8 { byte(b) } }
  }

  /// `n` (0 ≤ n < 10^width) as exactly `width` decimal digits.
  @inlinable @inline(__always)
  package mutating func digits(_ n: Int, width: Int) {
    reserve(width)
    var rest = n
    var i = width - 1
    while i >= 0 {
      base[count + i] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10)
      rest /= 10
      i -= 1
    }
    count += width
  }
}

extension ByteWriter {
  /// RFC 8785 serialisation of `value`.
  package mutating func json(_ value: JSONValue) {
    switch value {
    case .null: literal("null")
    case .bool(let b): if b { literal("true") } else { literal("false") }
    case .int(let i): jsonInt(i)
    case .string(let s): jsonString(s)
    case .array(let items):
      byte(UInt8(ascii: "["))
      var first = true
      for item in items {
        if !first { byte(UInt8(ascii: ",")) }
        first = false
        json(item)
      }
      byte(UInt8(ascii: "]"))
    case .object(let object): jsonObject(object)
    }
  }

  package mutating func jsonObject(_ object: JSONObject) {
    byte(UInt8(ascii: "{"))
    var first = true
    for member in object.members {
      if !first { byte(UInt8(ascii: ",")) }
      first = false
      jsonString(member.key)
      byte(UInt8(ascii: ":"))
      json(member.value)
    }
    byte(UInt8(ascii: "}"))
  }

  /// An integer as plain digits, `-` first when negative.
  package mutating func jsonInt(_ i: Int64) {
    reserve(20)
    if i < 0 {
      base[count] = UInt8(ascii: "-")
      count += 1
    }
    var magnitude = i.magnitude
    let start = count
    repeat {
      base[count] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude % 10)
      count += 1
      magnitude /= 10
    } while magnitude > 0
    // The digits went in least significant first.
    var lo = start
    var hi = count - 1
    while lo < hi {
      let t = base[lo]
      base[lo] = base[hi]
      base[hi] = t
      lo += 1
      hi -= 1
    }
  }

  /// A JSON string: `"`, `\` and control characters escaped (RFC 8785 3.2.2.2), the rest as is.
  package mutating func jsonString(_ s: String) {
    // Fast path (almost every string): nothing to escape, so the bytes are checked and copied
    // eight at a time.
    let copied: Bool? = s.utf8.withContiguousStorageIfAvailable { utf8 in
      let n = utf8.count
      reserve(n + 2)
      let out = UnsafeMutableRawPointer(base + count + 1)
      if n > 0 {
        let src = UnsafeRawPointer(utf8.baseAddress!)
        var i = 0
        while i + 8 <= n {
          let word = src.loadUnaligned(fromByteOffset: i, as: UInt64.self)
          if JSONParser.escapeMarks(word) != 0 { return false }
          out.storeBytes(of: word, toByteOffset: i, as: UInt64.self)
          i += 8
        }
        while i < n {
          let b = utf8[i]
          if b < 0x20 || b == 0x22 || b == 0x5C { return false }
          out.storeBytes(of: b, toByteOffset: i, as: UInt8.self)
          i += 1
        }
      }
      base[count] = UInt8(ascii: "\"")
      base[count + n + 1] = UInt8(ascii: "\"")
      count += n + 2
      return true
    }
    if copied == true { return }
    byte(UInt8(ascii: "\""))
    for b in s.utf8 {
      switch b {
      case UInt8(ascii: "\""): literal(#"\""#)
      case UInt8(ascii: "\\"): literal(#"\\"#)
      case 0x08: literal(#"\b"#)
      case 0x09: literal(#"\t"#)
      case 0x0A: literal(#"\n"#)
      case 0x0C: literal(#"\f"#)
      case 0x0D: literal(#"\r"#)
      case 0..<0x20:
        literal(#"\u00"#)
        byte(Self.hex[Int(b >> 4)])
        byte(Self.hex[Int(b & 0xF)])
      default: byte(b)
      }
    }
    byte(UInt8(ascii: "\""))
  }

  private static let hex: [UInt8] = Array("0123456789abcdef".utf8)
}
