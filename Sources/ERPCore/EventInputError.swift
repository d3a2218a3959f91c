/// Why one event record was refused; `field` is a path such as `data.lines[0].qty`.
public struct EventInputError: Error, Equatable, Sendable, CustomStringConvertible {
  public var field: String?
  public var message: String

  public init(field: String?, _ message: String) {
    self.field = field
    self.message = message
  }

  public var description: String {
    if let field { return "field '\(field)': \(message)" }
    return message
  }
}
