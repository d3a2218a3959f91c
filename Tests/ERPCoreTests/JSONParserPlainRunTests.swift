import ERPStore
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
            bytes.withUnsafeBufferPointer { JSONParser.plainEnd($0, from: from, end: end) } == Self.reference(bytes, from: from, end: end),
            "round \(round) \(bytes) \(from)..<\(end)")
        }
      }
    }
    #expect([UInt8]().withUnsafeBufferPointer { JSONParser.plainEnd($0, from: 0, end: 0) } == 0)
  }

  @Test func wordTestMatchesEveryByte() {
    for b in 0...255 {
      for place in 0..<8 {
        let word = UInt64(0x4141_4141_4141_4141) & ~(UInt64(0xFF) << (8 * place)) | UInt64(b) << (8 * place)
        #expect((JSONParser.plainEnds(word) != 0) == Self.stops(UInt8(b)), "byte \(b) at \(place)")
        let escaped = b < 0x20 || b == 0x22 || b == 0x5C
        #expect((JSONParser.escapeMarks(word) != 0) == escaped, "byte \(b) at \(place)")
      }
    }
  }
}

/// `JSONStrings` (the strings the parser returns as they are): a text gets exactly the string of
/// its bytes or none, read word by word or byte by byte, and parsing with it gives what parsing
/// without it gives.
@Suite("JSONParser: known strings")
struct JSONStringsTests {
  static let names = EventCatalog.recordStrings

  @Test func aTextGetsItsOwnStringOrNone() {
    let known = JSONStrings(Self.names)
    var rng = SplitMix64(seed: 17)
    var texts: [[UInt8]] = Self.names.map { Array($0.utf8) }
    // Near misses: each name one byte longer, shorter, or with one byte changed.
    for name in Self.names {
      let u = Array(name.utf8)
      texts.append(u + [UInt8(ascii: "s")])
      texts.append(Array(u.dropLast()))
      var changed = u
      changed[Int(rng.next() % UInt64(u.count))] ^= 0x20
      texts.append(changed)
      texts.append(Array(u.dropFirst()))
    }
    texts += [[], Array("x".utf8), Array(String(repeating: "a", count: 25).utf8), Array("CustomerRegistered\0".utf8)]
    let set = Set(Self.names)
    var found = 0
    for t in texts {
      // The text at the end of a buffer (byte by byte) and followed by other bytes (word by word).
      for padding in [0, 1, 7, 30] {
        let buffer = t + [UInt8](repeating: 0x22, count: padding)
        let s = buffer.withUnsafeBufferPointer { b in
          known.string(UnsafeBufferPointer(rebasing: b[0..<t.count]), readable: b.count)
        }
        let text = String(decoding: t, as: UTF8.self)
        if let s {
          #expect(Array(s.utf8) == t, "\(text) gave \(s)")
          found += 1
        } else {
          #expect(!set.contains(text) || t.count > 24, "\(text) not found")
        }
      }
    }
    #expect(found >= Self.names.filter { $0.utf8.count <= 24 }.count * 4)
  }

  @Test func parsingWithThemGivesTheSameValues() throws {
    let lines = [
      #"{"at":"2026-11-01","data":{"channel":"direct","customer":"C-1","name":"好客户","region":"east"},"key":"k","type":"CustomerRegistered"}"#,
      #"{"type":"OrderConfirmed","at":"2026-11-03","data":{"order":"SO-1","customer":"C-1","rep":"R-1","lines":[{"sku":"A1","qty":3,"unit_price":"10.00","discount":"0.1"}],"payment_terms_days":30}}"#,
      #"{"type":"Shipped","data":{"lines":[{"qty":1,"sku":"type"}],"order":"data","shipment":"lines"},"at":"2026-11-03"}"#,
      #"{"typ":"x","types":"y","Type":"z","data":{"a":"at","b":"CustomerRegistere","c":"CustomerRegistered!"}}"#,
    ]
    for line in lines {
      let bytes = Array(line.utf8)
      // Every end of the buffer, so that texts near it are read byte by byte.
      for cut in [0, 5, 24] {
        let padded = bytes + [UInt8](repeating: 0x20, count: cut)
        let with = try JSONParser.parse(padded, canonicalSpanOf: nil, known: JSONStrings(Self.names))
        let without = try JSONParser.parse(padded, canonicalSpanOf: nil, known: nil)
        #expect(with.value == without.value, "\(line)")
        #expect(CanonicalJSON.encode(with.value) == CanonicalJSON.encode(without.value))
      }
    }
  }
}

/// One `JSONParser.Scratch` kept across many lines, as the import keeps it: every line, valid or
/// failing anywhere (which leaves the stacks part-filled), parses as it does with a fresh one.
@Suite("JSONParser: scratch kept across lines")
struct JSONParserScratchTests {
  @Test func sameValuesAndErrorsAsAFreshParse() {
    let good = #"{"a":[1,[2,{"b":[3,4]}],{"c":{"d":[]}}],"e":{"f":"g","h":[{"i":1},{"j":[5,6,7]}]},"k":-3}"#
    let u = Array(good.utf8)
    var lines: [[UInt8]] = [u]
    // Cut short, and broken, at every place: errors thrown from every depth.
    for k in 0..<u.count {
      lines.append(Array(u[..<k]))
      var broken = u
      broken[k] = UInt8(ascii: "x")
      lines.append(broken)
      lines.append(u)
    }
    var scratch = JSONParser.Scratch()
    for line in lines {
      let fresh = Result { () throws(JSONParseError) in try JSONParser.parse(line, canonicalSpanOf: "e") }
      let kept = Result { () throws(JSONParseError) in
        try JSONParser.parse(line, canonicalSpanOf: "e", scratch: &scratch)
      }
      switch (fresh, kept) {
      case (.success(let a), .success(let b)):
        #expect(a.value == b.value && a.span == b.span, "\(String(decoding: line, as: UTF8.self))")
      case (.failure(let a), .failure(let b)):
        #expect(a == b, "\(String(decoding: line, as: UTF8.self))")
      default:
        Issue.record("only one failed: \(String(decoding: line, as: UTF8.self))")
      }
      // Handed back empty, with the room kept.
      #expect(scratch.members.isEmpty && scratch.items.isEmpty)
      #expect(scratch.members.capacity >= 32)
    }
  }
}
