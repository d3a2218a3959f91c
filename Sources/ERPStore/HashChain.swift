import Crypto
import ERPCore

/// SPEC 7: hash(n) = SHA-256(hash(n − 1) ‖ RFC 8785 bytes of event n without `hash`);
/// hash(0) = 32 zero bytes.
public enum HashChain {
  public static func link(previous: [UInt8], canonical: [UInt8]) -> [UInt8] {
    var h = SHA256()
    h.update(data: previous)
    h.update(data: canonical)
    return Array(h.finalize())
  }

  public static func hash(_ e: EventEnvelope, previous: [UInt8]) -> [UInt8] {
    link(previous: previous, canonical: e.canonicalBytes)
  }
}
