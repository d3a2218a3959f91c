import ERPTestSupport
import Testing

@testable import ERPCore

/// `JSONParser.plainEnd` finds where a string's plain text ends eight bytes at a time: against
/// the byte-by-byte definition it replaces, at every start and end of random buffers.
@Suite("JSONParser: plain runs in strings")
struct JSONParserPlainRunTests {
  static func stops(_ c: UInt8) -> Bool { c == 0x22 || c == 0x5C || c < 0x20 || c >= 0x80 }

  static func reference(_ bytes: [UInt8], from: Int, end: Int) -> Int {
    var k = from
    while k < end && !stops(bytes[k]) { k += 1 }
    return k
  }

  @Test func sameEndAsByteByByte() {
    var rng = SplitMix64(seed: 3)
    // Mostly plain letters, sometimes a byte that ends the run, at every place in a word.
    let special: [UInt8] = [0x22, 0x5C, 0x00, 0x1F, 0x20, 0x21, 0x7F, 0x80, 0xE4, 0xFF, 0x5B, 0x5D, 0x23, 0x5A]
    for round in 0..<400 {
      let n = Int(rng.next() % 40)
      var bytes = (0..<n).map { _ in UInt8(0x41 + rng.next() % 26) }
      for _ in 0..<Int(rng.next() % 3) where n > 0 {
        bytes[Int(rng.next() % UInt64(n))] = special[Int(rng.next() % UInt64(special.count))]
      }
      for from in 0...n {
        for end in from...n {
          #expect(
            JSONParser.plainEnd(bytes, from: from, end: end) == Self.reference(bytes, from: from, end: end),
            "round \(round) \(bytes) \(from)..<\(end)")
        }
      }
    }
    #expect(JSONParser.plainEnd([], from: 0, end: 0) == 0)
  }

  @Test func wordTestMatchesEveryByte() {
    for b in 0...255 {
      for place in 0..<8 {
        let word = UInt64(0x4141_4141_4141_4141) & ~(UInt64(0xFF) << (8 * place)) | UInt64(b) << (8 * place)
        #expect(JSONParser.mayEndPlain(word) == Self.stops(UInt8(b)), "byte \(b) at \(place)")
      }
    }
  }
}
