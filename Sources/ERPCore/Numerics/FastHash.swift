/// A fast non-cryptographic hash of strings, for the dictionaries a full replay of the sales
/// projection and the command-side state probe millions of times (`StateID`, `DimTuple`,
/// `ItemKey`). Swift's own `Hasher` (SipHash-1-3) took a sixth of that fold; this mixes eight
/// bytes at a time.
///
/// It is only a dictionary's bucket choice: equality still decides, so a collision costs time,
/// never a wrong answer. The keys are the store's own identifiers (no untrusted party chooses
/// them against this process), and each dictionary still mixes in its own seed.
enum FastHash {
  static let start: UInt64 = 0x243F_6A88_85A3_08D3

  @inline(__always)
  static func mix(_ h: UInt64, _ word: UInt64) -> UInt64 {
    var x = (h ^ word) &* 0xBF58_476D_1CE4_E5B9
    x ^= x >> 31
    return x
  }

  /// `h` with `bytes` mixed in: their count, then eight at a time as little-endian words, the
  /// last one zero-padded. Up to 15 bytes are always two words, as an inline string holds them
  /// (`InlineString`), so that such a string is hashed from its own two words.
  @inline(__always)
  static func mix(_ h: UInt64, bytes: UnsafeRawBufferPointer) -> UInt64 {
    let n = bytes.count
    if n <= 15 {
      let (w0, w1) = InlineString.words(of: bytes)
      return mix(mix(mix(h, UInt64(n)), w0), w1)
    }
    var h = mix(h, UInt64(n))
    var i = 0
    while i + 8 <= n {
      h = mix(h, UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)))
      i += 8
    }
    if i < n { h = mix(h, InlineString.words(of: UnsafeRawBufferPointer(rebasing: bytes[i...])).0) }
    return h
  }

  /// `h` with the UTF-8 bytes of `s` mixed in (`mix(_:bytes:)`).
  @inline(__always)
  static func mix(_ h: UInt64, _ s: String) -> UInt64 { mix(h, s, inline: InlineString.holds) }

  /// `mix(_:_:)` with `InlineString.holds` read once by the caller: a lazily made global, it
  /// is checked at every read (a table hashing millions of ids keeps it).
  @inline(__always)
  static func mix(_ h: UInt64, _ s: String, inline holds: Bool) -> UInt64 {
    if let (n, w0, w1) = InlineString.inline(s, holds: holds) {
      return mix(mix(mix(h, UInt64(n)), w0), w1)
    }
    if let r = s.utf8.withContiguousStorageIfAvailable({ mix(h, bytes: UnsafeRawBufferPointer($0)) }) { return r }
    return Array(s.utf8).withUnsafeBytes { mix(h, bytes: $0) }
  }

  /// The bucket hash of a dictionary with `seed`.
  @inline(__always)
  static func finish(_ h: UInt64, seed: Int) -> Int {
    var x = mix(h, UInt64(bitPattern: Int64(seed))) &* 0x94D0_49BB_1331_11EB
    x ^= x >> 29
    return Int(truncatingIfNeeded: x)
  }
}
