import ERPCore
import Testing

/// The error `JSONParser.parse` throws for `text`, or nil when it parses.
func parseError(_ text: String) -> JSONParseError? {
  parseError(bytes: Array(text.utf8))
}

func parseError(bytes: [UInt8], start: Int = 0, end: Int? = nil) -> JSONParseError? {
  do {
    _ = try JSONParser.parse(bytes, start: start, end: end)
    return nil
  } catch {
    return error
  }
}

struct TestInputIsNotAnObject: Error {}

/// Parses `text`, which must be a JSON object (the test's own input, so a failure is a test bug).
func jsonObject(_ text: String) throws -> JSONObject {
  guard let o = try JSONParser.parse(text).objectValue else { throw TestInputIsNotAnObject() }
  return o
}

/// The error `EventCatalog.check` throws for `data` (JSON text), or nil when it is accepted.
func catalogError(
  _ type: String, _ data: String, digits: Int = 2, storeInput: Bool = false
) throws -> EventInputError? {
  let o = try jsonObject(data)
  do {
    _ = try EventCatalog.check(type: type, data: o, moneyDigits: digits, storeInput: storeInput)
    return nil
  } catch {
    return error
  }
}

/// Strings compared scalar by scalar: Swift's `==` on String uses canonical equivalence, which
/// would hide a normalisation change in a canonical-JSON test.
func scalarValues(_ s: String) -> [UInt32] { s.unicodeScalars.map(\.value) }
