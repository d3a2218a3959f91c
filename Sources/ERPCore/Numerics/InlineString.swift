/// Swift keeps a string of at most 15 UTF-8 bytes inline, in the two words of the `String`
/// value itself: the bytes in order (little-endian), unused bytes zero, and the top byte of the
/// second word `0xE0 | count` for ASCII (`0xA0 | count` otherwise). The store's identifiers
/// ("SO-000123", "C-00042", "VLV-0147") are such strings, and a full replay makes and hashes
/// millions of them: through the public API each one is validated byte by byte when made and
/// copied to the stack to be hashed. Here they are made and hashed from the two words.
///
/// This is the layout of the standard library on 64-bit platforms, not a public promise, so
/// it is checked once (`holds`) against strings the standard library made; where it does not
/// hold, every caller takes the general way. `InlineStringTests` compares both ways on many
/// strings.
public enum InlineString {
  /// Whether `String` has the layout above in this process.
  public static let holds: Bool = {
    guard MemoryLayout<String>.size == 16 else { return false }
    for text in ["", "a", "SO-000123", "abcdefghijklmno", "é", "日本語"] {
      let bytes = Array(text.utf8)
      // Made at run time, as the general decoding makes them.
      let s = String(decoding: bytes, as: UTF8.self)
      let (w0, w1) = unsafeBitCast(s, to: (UInt64, UInt64).self)
      let flag: UInt64 = bytes.allSatisfy { $0 < 0x80 } ? 0xE0 : 0xA0
      guard let (e0, e1) = pack(bytes), w0 == e0, w1 == e1 | (flag | UInt64(bytes.count)) << 56 else { return false }
    }
    return true
  }()

  /// The bytes (at most 15) as two zero-padded little-endian words.
  static func pack(_ bytes: [UInt8]) -> (UInt64, UInt64)? {
    guard bytes.count <= 15 else { return nil }
    return bytes.withUnsafeBytes { words(of: $0) }
  }

  /// At most 15 bytes as two zero-padded little-endian words.
  @inlinable @inline(__always)
  static func words(of bytes: UnsafeRawBufferPointer) -> (UInt64, UInt64) {
    // Overlapping loads inside the buffer instead of a copy (a `memcpy` call per string cost
    // more than the rest of the conversion): the bytes both loads see are the same.
    let n = bytes.count
    func load<T: FixedWidthInteger>(_ at: Int, _: T.Type) -> UInt64 {
      UInt64(T(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: T.self)))
    }
    switch n {
    case 8...:
      return (load(0, UInt64.self), n == 8 ? 0 : load(n - 8, UInt64.self) >> (8 * (16 - n)))
    case 4...:
      return (load(0, UInt32.self) | load(n - 4, UInt32.self) << (8 * (n - 4)), 0)
    default:
      var w: UInt64 = 0
      for i in 0..<n { w |= UInt64(bytes[i]) << (8 * i) }
      return (w, 0)
    }
  }

  /// The string of `bytes` when they are at most 15 ASCII bytes and `holds` (the caller passes
  /// it, read once); nil otherwise, for the general `String(decoding:as:)`.
  @inlinable @inline(__always)
  public static func ascii(_ bytes: UnsafeRawBufferPointer, holds: Bool) -> String? {
    guard holds, bytes.count <= 15 else { return nil }
    let (w0, w1) = words(of: bytes)
    guard (w0 | w1) & 0x8080_8080_8080_8080 == 0 else { return nil }
    return unsafeBitCast((w0, w1 | (0xE0 | UInt64(bytes.count)) << 56), to: String.self)
  }

  /// The count and two words of `s` when it is inline (and `holds`); nil for any other string.
  @inline(__always)
  static func inline(_ s: String, holds: Bool) -> (count: Int, w0: UInt64, w1: UInt64)? {
    let (w0, w1) = unsafeBitCast(s, to: (UInt64, UInt64).self)
    // 0xE0 or 0xA0 in the top nibbles: immortal, small (ASCII or not), not foreign.
    guard holds, (w1 >> 56) & 0xB0 == 0xA0 else { return nil }
    return (Int((w1 >> 56) & 0x0F), w0, w1 & 0x00FF_FFFF_FFFF_FFFF)
  }
}
