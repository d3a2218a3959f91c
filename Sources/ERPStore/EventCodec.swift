import ERPCore

/// The compact binary form of a stored event (the value under its seq in the log). JSON stays
/// for the text interfaces; the hash chain is over the RFC 8785 form, which is rebuilt from this
/// one exactly (`EventEnvelope.canonicalBytes`), so both forms share one canonical meaning.
///
/// Layout (little-endian; varints are LEB128):
/// ```
/// u8 format (1) · 32 bytes hash · at · i64 recorded seconds · i32 recorded nanos · varint v ·
/// str type · key (varint len + 1, 0 = none, then bytes) · value data
/// at    = u8 0, i32 days since 1970-01-01
///       | u8 1, i64 seconds, i32 nanos, i32 offset seconds
/// str   = varint byte count, UTF-8 bytes
/// value = 0 null | 1 false | 2 true | 3 zigzag varint | 4 str
///       | 5 varint count, values | 6 varint count, (str key, value)… in RFC 8785 key order
/// ```
enum EventCodec {
  static let format: UInt8 = 1

  static func encode(_ e: EventEnvelope) -> [UInt8] {
    var out: [UInt8] = []
    encode(e, into: &out)
    return out
  }

  /// Appends the stored form of `e` to `out`. The appender writes the same pieces from an
  /// event's parts (`putAt`, `putRecorded`, `putRest`), some of them made ahead.
  static func encode(_ e: EventEnvelope, into out: inout [UInt8]) {
    ByteWriter.append(to: &out) { w in
      w.byte(format)
      w.bytes(e.hash)
      putAt(e.at, &w)
      putRecorded(e.recorded, &w)
      putRest(v: e.v, type: e.type, key: e.key, data: e.data, &w)
    }
  }

  static func putAt(_ at: BusinessTime, _ w: inout ByteWriter) {
    switch at {
    case .date(let d):
      w.byte(0)
      putFixed(UInt32(bitPattern: d.daysSinceEpoch), &w)
    case .instant(let t, let off):
      w.byte(1)
      putFixed(UInt64(bitPattern: t.seconds), &w)
      putFixed(UInt32(bitPattern: t.nanoseconds), &w)
      putFixed(UInt32(bitPattern: Int32(off)), &w)
    }
  }

  static func putRecorded(_ recorded: Instant, _ w: inout ByteWriter) {
    putFixed(UInt64(bitPattern: recorded.seconds), &w)
    putFixed(UInt32(bitPattern: recorded.nanoseconds), &w)
  }

  /// v, type, key and data: what follows `recorded`.
  static func putRest(v: Int, type: String, key: String?, data: JSONObject, _ w: inout ByteWriter) {
    putRestHead(v: v, type: type, key: key, &w)
    putObject(data, &w)
  }

  /// v, type and key (the data object follows).
  static func putRestHead(v: Int, type: String, key: String?, _ w: inout ByteWriter) {
    putVarint(UInt64(v), &w)
    putString(type, &w)
    if let key {
      putString(key, lengthBias: 1, &w)
    } else {
      w.byte(0)
    }
  }

  /// The integer's bytes, little-endian.
  @inline(__always)
  static func putFixed<T: FixedWidthInteger>(_ v: T, _ w: inout ByteWriter) {
    withUnsafeBytes(of: v.littleEndian) { w.bytes($0) }
  }

  @inline(__always)
  static func putVarint(_ v: UInt64, _ w: inout ByteWriter) {
    var x = v
    while x >= 0x80 {
      w.byte(UInt8(x & 0x7F) | 0x80)
      x >>= 7
    }
    w.byte(UInt8(x))
  }

  /// The varint byte count (plus `lengthBias`), then the UTF-8 bytes.
  @inline(__always)
  static func putString(_ s: String, lengthBias: UInt64 = 0, _ w: inout ByteWriter) {
    let copied: Void? = s.utf8.withContiguousStorageIfAvailable { bytes in
      putString(bytes: bytes, lengthBias: lengthBias, &w)
    }
    if copied == nil {
      putVarint(UInt64(s.utf8.count) + lengthBias, &w)
      w.utf8(s)
    }
  }

  /// The tag of a string value in the stored form (`putValue`), before its `putString`.
  static let stringTag: UInt8 = 4

  /// A string value: its tag and `putString(s)`.
  @inline(__always)
  static func putStringValue(_ s: String, _ w: inout ByteWriter) {
    w.byte(stringTag)
    putString(s, &w)
  }

  /// A string value of the UTF-8 `bytes`: its tag and `putString(bytes:)`.
  @inline(__always)
  static func putStringValue(bytes: UnsafeBufferPointer<UInt8>, _ w: inout ByteWriter) {
    w.byte(stringTag)
    putString(bytes: bytes, &w)
  }

  /// `putString` of the UTF-8 `bytes` (text written without a String: money, a shipment's costs).
  @inline(__always)
  static func putString(bytes: UnsafeBufferPointer<UInt8>, lengthBias: UInt64 = 0, _ w: inout ByteWriter) {
    putVarint(UInt64(bytes.count) + lengthBias, &w)
    w.bytes(bytes)
  }

  /// Appends `o` in the stored value format to `out` (other tables store objects this way).
  static func putObject(_ o: JSONObject, _ out: inout [UInt8]) {
    ByteWriter.append(to: &out) { putObject(o, &$0) }
  }

  static func putObject(_ o: JSONObject, _ w: inout ByteWriter) {
    w.byte(6)
    putVarint(UInt64(o.count), &w)
    for m in o.members {
      putString(m.key, &w)
      putValue(m.value, &w)
    }
  }

  static func putValue(_ v: JSONValue, _ w: inout ByteWriter) {
    switch v {
    case .null: w.byte(0)
    case .bool(let b): w.byte(b ? 2 : 1)
    case .int(let i):
      w.byte(3)
      putVarint(UInt64(bitPattern: (i << 1) ^ (i >> 63)), &w)
    case .string(let s): putStringValue(s, &w)
    case .array(let items):
      w.byte(5)
      putVarint(UInt64(items.count), &w)
      for item in items { putValue(item, &w) }
    case .object(let o): putObject(o, &w)
    }
  }

  /// Decodes a stored value; `seq` comes from its key.
  static func decode(_ buf: UnsafeRawBufferPointer, seq: UInt64) throws(CodecError) -> EventEnvelope {
    var r = Reader(buf: buf)
    guard try r.byte() == format else { throw CodecError(reason: "unknown record format") }
    let hash = try r.bytes(32)
    let at = try readAt(&r)
    let rs = Int64(bitPattern: try r.fixed64())
    let rn = Int32(bitPattern: try r.fixed32())
    let v = Int(try r.varint())
    let type = try r.string()
    let keyLen = try r.varint()
    let key: String? = keyLen == 0 ? nil : try r.string(count: Int(keyLen - 1))
    guard case .object(let data) = try r.value(depth: 0) else {
      throw CodecError(reason: "data is not an object")
    }
    guard r.atEnd else { throw CodecError(reason: "trailing bytes") }
    return EventEnvelope(
      seq: seq, type: type, at: at, recorded: Instant(seconds: rs, nanoseconds: rn), key: key, v: v,
      data: data, hash: hash)
  }

  /// Only the type and key, for `stats` and index checks without decoding `data`.
  /// The business time after the hash: a date, or an instant with its offset.
  private static func readAt(_ r: inout Reader) throws(CodecError) -> BusinessTime {
    switch try r.byte() {
    case 0: return .date(CivilDate(daysSinceEpoch: Int32(bitPattern: try r.fixed32())))
    case 1:
      let s = Int64(bitPattern: try r.fixed64())
      let n = Int32(bitPattern: try r.fixed32())
      let off = Int32(bitPattern: try r.fixed32())
      return .instant(Instant(seconds: s, nanoseconds: n), offsetSeconds: Int(off))
    default: throw CodecError(reason: "bad 'at' tag")
    }
  }

  /// The type and business time of a record, without decoding its data (what a projection
  /// needs to skip the events it does not fold).
  static func decodeTypeAndAt(_ buf: UnsafeRawBufferPointer) throws(CodecError) -> (type: String, at: BusinessTime) {
    var r = Reader(buf: buf)
    guard try r.byte() == format else { throw CodecError(reason: "unknown record format") }
    try r.skip(32)
    let at = try readAt(&r)
    try r.skip(12)
    _ = try r.varint()
    return (try r.string(), at)
  }

  static func decodeHeader(_ buf: UnsafeRawBufferPointer) throws(CodecError) -> (type: String, key: String?) {
    var r = Reader(buf: buf)
    guard try r.byte() == format else { throw CodecError(reason: "unknown record format") }
    try r.skip(32)
    switch try r.byte() {
    case 0: try r.skip(4)
    case 1: try r.skip(16)
    default: throw CodecError(reason: "bad 'at' tag")
    }
    try r.skip(12)
    _ = try r.varint()
    let type = try r.string()
    let keyLen = try r.varint()
    let key: String? = keyLen == 0 ? nil : try r.string(count: Int(keyLen - 1))
    return (type, key)
  }

  /// A bounds-checked cursor over a value in the map.
  struct Reader {
    let buf: UnsafeRawBufferPointer
    var i = 0

    var atEnd: Bool { i == buf.count }

    @inline(__always)
    mutating func need(_ n: Int) throws(CodecError) {
      guard n >= 0, buf.count - i >= n else { throw CodecError(reason: "truncated record") }
    }

    @inline(__always)
    mutating func byte() throws(CodecError) -> UInt8 {
      try need(1)
      defer { i += 1 }
      return buf[i]
    }

    @inline(__always)
    mutating func skip(_ n: Int) throws(CodecError) {
      try need(n)
      i += n
    }

    mutating func bytes(_ n: Int) throws(CodecError) -> [UInt8] {
      try need(n)
      defer { i += n }
      return Array(UnsafeRawBufferPointer(start: buf.baseAddress! + i, count: n))
    }

    @inline(__always)
    mutating func fixed32() throws(CodecError) -> UInt32 {
      try need(4)
      defer { i += 4 }
      return UInt32(littleEndian: buf.loadUnaligned(fromByteOffset: i, as: UInt32.self))
    }

    @inline(__always)
    mutating func fixed64() throws(CodecError) -> UInt64 {
      try need(8)
      defer { i += 8 }
      return UInt64(littleEndian: buf.loadUnaligned(fromByteOffset: i, as: UInt64.self))
    }

    @inline(__always)
    mutating func varint() throws(CodecError) -> UInt64 {
      // Lengths and small numbers take one byte.
      if i < buf.count, buf[i] < 0x80 {
        i += 1
        return UInt64(buf[i - 1])
      }
      var result: UInt64 = 0
      var shift: UInt64 = 0
      while true {
        let b = try byte()
        result |= UInt64(b & 0x7F) << shift
        if b < 0x80 { return result }
        shift += 7
        if shift > 63 { throw CodecError(reason: "bad varint") }
      }
    }

    @inline(__always)
    mutating func string() throws(CodecError) -> String {
      try string(count: Int(try varint()))
    }

    @inline(__always)
    mutating func string(count n: Int) throws(CodecError) -> String {
      try need(n)
      defer { i += n }
      return String(decoding: UnsafeRawBufferPointer(rebasing: buf[i..<(i + n)]), as: UTF8.self)
    }

    mutating func value(depth: Int) throws(CodecError) -> JSONValue {
      guard depth <= JSONParser.maxDepth else { throw CodecError(reason: "nesting too deep") }
      switch try byte() {
      case 0: return .null
      case 1: return .bool(false)
      case 2: return .bool(true)
      case 3:
        let z = try varint()
        return .int(Int64(bitPattern: (z >> 1) ^ (0 &- (z & 1))))
      case 4: return .string(try string())
      case 5:
        let n = Int(try varint())
        try need(n)  // every value takes at least one byte
        var items: [JSONValue] = []
        items.reserveCapacity(n)
        for _ in 0..<n { items.append(try value(depth: depth + 1)) }
        return .array(items)
      case 6:
        let n = Int(try varint())
        try need(n * 2)
        var members: [JSONObject.Member] = []
        members.reserveCapacity(n)
        var previous: String?
        for _ in 0..<n {
          let k = try string()
          // A damaged record must fail to decode, not break the sorted-members invariant.
          if let previous, !JSONObject.less(previous, k) {
            throw CodecError(reason: "object keys out of order")
          }
          members.append(JSONObject.Member(k, try value(depth: depth + 1)))
          previous = k
        }
        return .object(JSONObject(sortedMembers: members))
      default: throw CodecError(reason: "bad value tag")
      }
    }
  }
}

struct CodecError: Error, Equatable {
  var reason: String
}

/// Big-endian u64 keys, so LMDB's byte order is numeric order.
enum SeqKey {
  /// Overwrites the 8-byte `key` with `seq` (the appender reuses one key buffer).
  @inline(__always)
  static func set(_ seq: UInt64, in key: inout [UInt8]) {
    precondition(key.count == 8)
    key.withUnsafeMutableBytes { $0.storeBytes(of: seq.bigEndian, as: UInt64.self) }
  }

  static func encode(_ seq: UInt64) -> [UInt8] {
    var out = [UInt8](repeating: 0, count: 8)
    var x = seq
    for i in stride(from: 7, through: 0, by: -1) {
      out[i] = UInt8(truncatingIfNeeded: x)
      x >>= 8
    }
    return out
  }

  static func decode(_ buf: UnsafeRawBufferPointer) -> UInt64? {
    guard buf.count == 8 else { return nil }
    var x: UInt64 = 0
    for b in buf { x = x << 8 | UInt64(b) }
    return x
  }
}

extension EventStore {
  /// The size in bytes of `e`'s stored record (the value under its seq in the log), so the
  /// benchmark can size its raw-LMDB baseline like the real records.
  public static func storedRecordSize(of e: EventEnvelope) -> Int { EventCodec.encode(e).count }
}
