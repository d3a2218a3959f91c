import Foundation

/// Writes state records in the store's value format without building their `json` first: the
/// bytes ERPStore's `EventCodec.putObject` makes of the object (tag 6, the member count, then
/// each name and value, with its varints and length-prefixed strings; its tests compare the
/// two), into one reused buffer. It lives here, beside the records, so that the write-back's
/// loop is compiled for each record type and this sink (a sink from another module would leave
/// it generic).
public struct StoredRecordSink: StateSink {
  private var bytes: [UInt8] = []
  /// Where the member count of the object being written is (-1 before the first member), and
  /// how many members it has.
  private var countAt = -1
  private var members = 0
  #if DEBUG
    private var lastKey: String?
  #endif

  public init() { bytes.reserveCapacity(256) }

  /// The record written since `reset` (an empty object when none was).
  public mutating func finish() -> [UInt8] {
    if countAt < 0 { begin() }
    finishObject()
    return bytes
  }

  /// Empties the sink for the next record.
  public mutating func reset() {
    bytes.removeAll(keepingCapacity: true)
    countAt = -1
  }

  private mutating func begin() {
    bytes.append(6)
    countAt = bytes.count
    bytes.append(0)
    members = 0
    #if DEBUG
      lastKey = nil
    #endif
  }

  private mutating func finishObject() {
    // Records have a handful of members: the count is one varint byte.
    precondition(members < 0x80, "a state record with \(members) members")
    bytes[countAt] = UInt8(members)
  }

  @inline(__always)
  private mutating func varint(_ v: UInt64) {
    var x = v
    while x >= 0x80 {
      bytes.append(UInt8(truncatingIfNeeded: x) | 0x80)
      x >>= 7
    }
    bytes.append(UInt8(x))
  }

  /// A string without its tag: the byte count, then the UTF-8 bytes.
  @inline(__always)
  private mutating func text(_ s: String) {
    var s = s
    s.withUTF8 { u in
      varint(UInt64(u.count))
      bytes.append(contentsOf: u)
    }
  }

  @inline(__always)
  private mutating func key(_ k: String) {
    if countAt < 0 { begin() }
    #if DEBUG
      if let lastKey { assert(JSONObject.less(lastKey, k), "state record member '\(k)' out of order") }
      lastKey = k
    #endif
    members += 1
    text(k)
  }

  private mutating func stringValue(_ v: String) {
    bytes.append(4)
    text(v)
  }

  private mutating func intValue(_ i: Int64) {
    bytes.append(3)
    varint(UInt64(bitPattern: (i << 1) ^ (i >> 63)))
  }

  public mutating func string(_ key: String, _ value: String) {
    self.key(key)
    stringValue(value)
  }

  public mutating func int(_ key: String, _ value: Int64) {
    self.key(key)
    intValue(value)
  }

  public mutating func flag(_ key: String) {
    self.key(key)
    bytes.append(2)
  }

  public mutating func strings(_ key: String, _ values: [String]) {
    self.key(key)
    bytes.append(5)
    varint(UInt64(values.count))
    for v in values { stringValue(v) }
  }

  public mutating func pairs<T>(_ key: String, _ items: [T], _ pair: (T) -> (String, Int64)) {
    self.key(key)
    bytes.append(5)
    varint(UInt64(items.count))
    for item in items {
      let (s, i) = pair(item)
      bytes.append(5)
      bytes.append(2)
      stringValue(s)
      intValue(i)
    }
  }

  public mutating func objects<T>(_ key: String, _ items: [T], _ each: (inout Self, T) -> Void) {
    self.key(key)
    bytes.append(5)
    varint(UInt64(items.count))
    let outer = (countAt, members)
    #if DEBUG
      let outerKey = lastKey
    #endif
    for item in items {
      begin()
      each(&self, item)
      finishObject()
    }
    (countAt, members) = outer
    #if DEBUG
      lastKey = outerKey
    #endif
  }
}
