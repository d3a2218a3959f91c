import ERPCore

/// The canonical (RFC 8785) form of a stored event: what the hash chain covers and what
/// `export` writes (SPEC 2, 7). It lives beside the binary codec because it is the hot path of
/// every append and verify and is written through `ByteWriter`.
extension EventEnvelope {
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
    // The hot path of every verify: written through one ByteWriter, timestamps straight into
    // bytes (the same bytes as writing their String forms). The appender writes the same pieces
    // at different times (`CanonicalPieces`).
    ByteWriter.append(to: &out) { w in
      CanonicalPieces.atData(at, data, &w)
      if let hashHex {
        w.literal(#","hash":""#)
        w.utf8(hashHex)
        w.byte(UInt8(ascii: "\""))
      }
      CanonicalPieces.keyThenRecordedName(key, &w)
      recorded.writeJSON(offsetSeconds: 0, into: &w)
      CanonicalPieces.seq(seq, &w)
      CanonicalPieces.tail(type: type, v: v, &w)
    }
  }
}

/// The canonical form of an event (RFC 8785 member order: at, data, key, recorded, seq, type, v)
/// in the pieces `LogAppender` writes at different times: what the event alone gives (made ahead
/// on the import's reading thread, `PreparedEvent`), the transaction's `recorded`, and the seq.
enum CanonicalPieces {
  /// `{"at":…,"data":…`
  static func atData(_ at: BusinessTime, _ data: JSONObject, _ w: inout ByteWriter) {
    atDataName(at, &w)
    w.jsonObject(data)
  }

  /// `{"at":…,"data":` (the data follows).
  static func atDataName(_ at: BusinessTime, _ w: inout ByteWriter) {
    w.literal(#"{"at":"#)
    at.writeJSON(into: &w)
    w.literal(#","data":"#)
  }

  /// The same, with `at` written as `text`: the text read, when `BusinessTime.writesAsItself`.
  static func atDataName(text: UnsafeBufferPointer<UInt8>, _ w: inout ByteWriter) {
    w.literal(#"{"at":""#)
    w.bytes(text)
    w.literal(#"","data":"#)
  }

  /// `,"key":…,"recorded":` (`null` when there is no key).
  static func keyThenRecordedName(_ key: String?, _ w: inout ByteWriter) {
    w.literal(#","key":"#)
    if let key { w.jsonString(key) } else { w.literal("null") }
    w.literal(#","recorded":"#)
  }

  /// `,"seq":N`
  static func seq(_ seq: UInt64, _ w: inout ByteWriter) {
    w.literal(#","seq":"#)
    w.jsonInt(Int64(seq))
  }

  /// `,"type":…,"v":N}`
  static func tail(type: String, v: Int, _ w: inout ByteWriter) {
    w.literal(#","type":"#)
    w.jsonString(type)
    w.literal(#","v":"#)
    w.jsonInt(Int64(v))
    w.byte(UInt8(ascii: "}"))
  }
}

// MARK: Timestamps as JSON strings, straight into bytes

extension BusinessTime {
  /// Writes `description` as a JSON string: the same bytes as `jsonString(description)`,
  /// without building the String.
  func writeJSON(into w: inout ByteWriter) {
    switch self {
    case .instant(let t, let off): t.writeJSON(offsetSeconds: off, into: &w)
    case .date(let d): d.writeJSON(into: &w)
    }
  }
}

extension CivilDate {
  /// Writes `description` as a JSON string (the same bytes as writing the String).
  func writeJSON(into w: inout ByteWriter) {
    let (y, m, d) = components
    // `pad` writes other years differently (more digits, or a sign): leave them to the String.
    guard (0...9999).contains(y) else {
      w.jsonString(description)
      return
    }
    w.reserve(12)
    w.byte(UInt8(ascii: "\""))
    Self.writeDigits(y, m, d, into: &w)
    w.byte(UInt8(ascii: "\""))
  }

  /// `YYYY-MM-DD` for a year in 0...9999.
  static func writeDigits(_ y: Int, _ m: Int, _ d: Int, into w: inout ByteWriter) {
    w.digits(y, width: 4)
    w.byte(UInt8(ascii: "-"))
    w.digits(m, width: 2)
    w.byte(UInt8(ascii: "-"))
    w.digits(d, width: 2)
  }
}

extension Instant {
  /// Writes `rfc3339(offsetSeconds:)` as a JSON string (the same bytes as writing the String).
  func writeJSON(offsetSeconds: Int, into w: inout ByteWriter) {
    let (date, sod) = civil(offsetSeconds: offsetSeconds)
    let (y, m, d) = date.components
    let offMinutes = abs(offsetSeconds) / 60
    // Outside these ranges `rfc3339` pads differently; leave those rare values to it.
    guard (0...9999).contains(y), (0..<1_000_000_000).contains(nanoseconds), offMinutes < 100 * 60
    else {
      w.jsonString(rfc3339(offsetSeconds: offsetSeconds))
      return
    }
    w.reserve(38)
    w.byte(UInt8(ascii: "\""))
    CivilDate.writeDigits(y, m, d, into: &w)
    w.byte(UInt8(ascii: "T"))
    w.digits(sod / 3600, width: 2)
    w.byte(UInt8(ascii: ":"))
    w.digits(sod / 60 % 60, width: 2)
    w.byte(UInt8(ascii: ":"))
    w.digits(sod % 60, width: 2)
    if nanoseconds != 0 {
      // The fraction without trailing zeros.
      var n = Int(nanoseconds)
      var width = 9
      while n % 10 == 0 {
        n /= 10
        width -= 1
      }
      w.byte(UInt8(ascii: "."))
      w.digits(n, width: width)
    }
    if offsetSeconds == 0 {
      w.byte(UInt8(ascii: "Z"))
    } else {
      w.byte(UInt8(ascii: offsetSeconds < 0 ? "-" : "+"))
      w.digits(offMinutes / 60, width: 2)
      w.byte(UInt8(ascii: ":"))
      w.digits(offMinutes % 60, width: 2)
    }
    w.byte(UInt8(ascii: "\""))
  }
}

