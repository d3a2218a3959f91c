import Foundation

/// An RFC 8785 serialiser written for the tests, independent of `CanonicalJSON`: it works on
/// what Foundation's `JSONSerialization` returns and covers what erpctl stores (objects, arrays,
/// strings, integers, booleans, null).
public enum IndependentJCS {
  public struct Unsupported: Error, CustomStringConvertible {
    public var description: String
  }

  public static func serialize(_ value: Any) throws -> String {
    if value is NSNull { return "null" }
    if let s = value as? String { return quote(s) }
    if let n = value as? NSNumber {
      // JSONSerialization gives booleans as NSNumber with objCType "c" (char).
      if String(cString: n.objCType) == "c" { return n.boolValue ? "true" : "false" }
      let d = n.doubleValue
      guard d == d.rounded(), abs(d) < 9_007_199_254_740_992 else {
        throw Unsupported(description: "non-integer number \(n)")
      }
      return String(n.int64Value)
    }
    if let a = value as? [Any] {
      return "[" + (try a.map(serialize)).joined(separator: ",") + "]"
    }
    if let o = value as? [String: Any] {
      // RFC 8785 3.2.3: member names sorted by their UTF-16 code units.
      let keys = o.keys.sorted { Array($0.utf16).lexicographicallyPrecedes(Array($1.utf16)) }
      return "{" + (try keys.map { k in quote(k) + ":" + (try serialize(o[k] as Any)) }).joined(separator: ",") + "}"
    }
    throw Unsupported(description: "unsupported value \(type(of: value))")
  }

  /// RFC 8785 3.2.2.2 string escaping (as ECMAScript JSON.stringify).
  public static func quote(_ s: String) -> String {
    var out = "\""
    for u in s.unicodeScalars {
      switch u {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\u{08}": out += "\\b"
      case "\u{09}": out += "\\t"
      case "\u{0A}": out += "\\n"
      case "\u{0C}": out += "\\f"
      case "\u{0D}": out += "\\r"
      default:
        if u.value < 0x20 {
          let hex = String(u.value, radix: 16)
          out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          out.unicodeScalars.append(u)
        }
      }
    }
    return out + "\""
  }

  public static func parseObject(_ line: String) throws -> [String: Any] {
    let any = try JSONSerialization.jsonObject(with: Data(line.utf8), options: [.fragmentsAllowed])
    guard let o = any as? [String: Any] else { throw Unsupported(description: "not an object: \(line)") }
    return o
  }
}
