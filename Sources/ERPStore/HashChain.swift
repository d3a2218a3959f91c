import Crypto
import ERPCore

/// SPEC 7: hash(n) = SHA-256(hash(n − 1) ‖ RFC 8785 bytes of event n without `hash`);
/// hash(0) = 32 zero bytes.
public enum HashChain {
  public static func link(previous: [UInt8], canonical: [UInt8]) -> [UInt8] {
    var h = SHA256()
    h.update(data: previous)
    h.update(data: canonical)
    // Copied as bytes: `Array(digest)` went through the digest's Sequence, byte by byte.
    return h.finalize().withUnsafeBytes { Array($0) }
  }

  /// `link` over `chained`, which holds the previous hash in its first 32 bytes and the
  /// canonical bytes after them (one update instead of two), read where they lie (the encoder
  /// lends them from where it wrote them), written into `hash` (32 bytes, its storage reused: no
  /// array per event).
  static func link(chained: UnsafeBufferPointer<UInt8>, into hash: inout [UInt8]) {
    var h = SHA256()
    h.update(bufferPointer: UnsafeRawBufferPointer(chained))
    let digest = h.finalize()
    if hash.count != 32 { hash = [UInt8](repeating: 0, count: 32) }
    digest.withUnsafeBytes { d in hash.withUnsafeMutableBytes { $0.copyMemory(from: d) } }
  }

  public static func hash(_ e: EventEnvelope, previous: [UInt8]) -> [UInt8] {
    link(previous: previous, canonical: e.canonicalBytes)
  }
}

/// SHA-256 over data given in pieces (for content hashes of import files).
public struct ContentHasher {
  private var h = SHA256()
  public init() {}
  public mutating func update(_ bytes: [UInt8]) { h.update(data: bytes) }
  public mutating func update(_ bytes: ArraySlice<UInt8>) { bytes.withUnsafeBytes { h.update(bufferPointer: $0) } }
  public func finalize() -> [UInt8] { Array(h.finalize()) }
}
