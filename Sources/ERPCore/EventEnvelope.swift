/// A stored event (SPEC 2): its place in the log, what happened, and its link in the hash chain.
public struct EventEnvelope: Sendable, Equatable {
  public var seq: UInt64
  public var type: String
  public var at: BusinessTime
  /// When the store appended it (UTC).
  public var recorded: Instant
  public var key: String?
  public var v: Int
  public var data: JSONObject
  /// SHA-256(previous hash ‖ canonicalBytes), 32 bytes.
  public var hash: [UInt8]

  public init(
    seq: UInt64, type: String, at: BusinessTime, recorded: Instant, key: String?, v: Int,
    data: JSONObject, hash: [UInt8]
  ) {
    self.seq = seq
    self.type = type
    self.at = at
    self.recorded = recorded
    self.key = key
    self.v = v
    self.data = data
    self.hash = hash
  }

  /// The RFC 8785 bytes of the export object without `hash`: what the chain hashes (SPEC 7).
  /// Members in RFC 8785 order: at, data, key, recorded, seq, type, v; `key` is `null` when absent.
  public var canonicalBytes: [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(256)
    writeCanonical(into: &out, hashHex: nil)
    return out
  }

  /// One JSON Lines record of `export` (canonical, with `hash` last in key order).
  public var exportLine: String {
    var out: [UInt8] = []
    out.reserveCapacity(320)
    writeCanonical(into: &out, hashHex: Hex.encode(hash))
    return String(decoding: out, as: UTF8.self)
  }

  public func writeCanonical(into out: inout [UInt8], hashHex: String?) {
    out.append(contentsOf: #"{"at":"#.utf8)
    CanonicalJSON.writeString(at.description, into: &out)
    out.append(contentsOf: #","data":"#.utf8)
    CanonicalJSON.write(.object(data), into: &out)
    if let hashHex {
      out.append(contentsOf: #","hash":""#.utf8)
      out.append(contentsOf: hashHex.utf8)
      out.append(UInt8(ascii: "\""))
    }
    out.append(contentsOf: #","key":"#.utf8)
    if let key { CanonicalJSON.writeString(key, into: &out) } else { out.append(contentsOf: "null".utf8) }
    out.append(contentsOf: #","recorded":"#.utf8)
    CanonicalJSON.writeString(recorded.rfc3339(), into: &out)
    out.append(contentsOf: #","seq":"#.utf8)
    CanonicalJSON.writeInt(Int64(seq), into: &out)
    out.append(contentsOf: #","type":"#.utf8)
    CanonicalJSON.writeString(type, into: &out)
    out.append(contentsOf: #","v":"#.utf8)
    CanonicalJSON.writeInt(Int64(v), into: &out)
    out.append(UInt8(ascii: "}"))
  }
}

/// An event as a user or script supplies it to `append` (no seq, recorded or hash yet).
public struct NewEvent: Sendable, Equatable {
  public var type: String
  public var at: BusinessTime
  public var key: String?
  public var v: Int
  public var data: JSONObject

  public init(type: String, at: BusinessTime, key: String? = nil, v: Int = 1, data: JSONObject) {
    self.type = type
    self.at = at
    self.key = key
    self.v = v
    self.data = data
  }

  /// Whether a stored event says the same thing (the idempotency rule of SPEC 2).
  public func samePayload(as e: EventEnvelope) -> Bool {
    type == e.type && at == e.at && v == e.v && data == e.data
  }
}

public enum Hex {
  private static let digits: [UInt8] = Array("0123456789abcdef".utf8)

  public static func encode(_ bytes: [UInt8]) -> String {
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count * 2)
    for b in bytes {
      out.append(digits[Int(b >> 4)])
      out.append(digits[Int(b & 0xF)])
    }
    return String(decoding: out, as: UTF8.self)
  }

  public static func decode(_ text: String) -> [UInt8]? {
    let u = Array(text.utf8)
    guard u.count % 2 == 0 else { return nil }
    func nibble(_ c: UInt8) -> UInt8? {
      switch c {
      case 0x30...0x39: c - 0x30
      case 0x61...0x66: c - 0x61 + 10
      case 0x41...0x46: c - 0x41 + 10
      default: nil
      }
    }
    var out: [UInt8] = []
    out.reserveCapacity(u.count / 2)
    var i = 0
    while i < u.count {
      guard let hi = nibble(u[i]), let lo = nibble(u[i + 1]) else { return nil }
      out.append(hi << 4 | lo)
      i += 2
    }
    return out
  }
}
