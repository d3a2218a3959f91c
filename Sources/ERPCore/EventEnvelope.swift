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
}

/// An event as a user or script supplies it to `append` (no seq, recorded or hash yet).
public struct NewEvent: Sendable, Equatable {
  public var type: String
  public var at: BusinessTime
  public var key: String?
  public var v: Int
  /// The event's data. An event read by the import's fast path holds the data's canonical text
  /// instead of the object (`EventRecordReader.fastEvent`): its preparation has everything the
  /// appender stores, so the object is parsed from the text only when asked for (comparing with
  /// an event already under the key, a re-import), not built and freed for every record.
  public var data: JSONObject {
    get {
      switch storage {
      case .object(let o): return o
      case .text(let t):
        // The text was checked as a JSON object when it was read.
        guard let o = (try? JSONParser.parse(Array(t)))?.objectValue else {
          preconditionFailure("NewEvent: the data text is not an object")
        }
        return o
      }
    }
    set { storage = .object(newValue) }
  }
  private var storage: DataStorage

  private enum DataStorage: Sendable {
    case object(JSONObject)
    /// RFC 8785 text of an object (a slice of the bytes of the event's preparation, which hold
    /// it: no copy of its own).
    case text(ArraySlice<UInt8>)
  }

  public init(type: String, at: BusinessTime, key: String? = nil, v: Int = 1, data: JSONObject) {
    self.type = type
    self.at = at
    self.key = key
    self.v = v
    self.storage = .object(data)
  }

  /// An event whose data is `dataText`, the RFC 8785 text of an object.
  package init(type: String, at: BusinessTime, key: String?, v: Int, dataText: ArraySlice<UInt8>) {
    self.type = type
    self.at = at
    self.key = key
    self.v = v
    self.storage = .text(dataText)
  }

  public static func == (a: NewEvent, b: NewEvent) -> Bool {
    a.type == b.type && a.at == b.at && a.key == b.key && a.v == b.v && a.data == b.data
  }

  /// Whether a stored event says the same thing (the idempotency rule of SPEC 2). Fields the
  /// store writes (`cogs`) are not part of what was said, on either side.
  public func samePayload(as e: EventEnvelope) -> Bool {
    type == e.type && at == e.at && v == e.v
      && EventCatalog.removingStoreWritten(type: type, data: data)
        == EventCatalog.removingStoreWritten(type: e.type, data: e.data)
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
