/// Where `v` upcasting lives (SPEC 2): stored `data` is never rewritten; a reader that needs the
/// current shape asks the upcaster, which applies one step per version until the current one.
public struct Upcaster: Sendable {
  public typealias Step = @Sendable (JSONObject) throws(EventInputError) -> JSONObject

  /// `steps[type][v]` turns version v into v + 1.
  public var steps: [String: [Int: Step]]

  public init(steps: [String: [Int: Step]] = [:]) { self.steps = steps }

  /// Every event type is at version 1 so far, so there is nothing to upcast yet.
  public static let standard = Upcaster()

  /// The version a type's data has after upcasting.
  public func currentVersion(of type: String) -> Int {
    let base = EventCatalog.schema(for: type)?.version ?? 1
    guard let typeSteps = steps[type] else { return base }
    var v = base
    while typeSteps[v] != nil { v += 1 }
    return v
  }

  /// Whether `upcast(type:v:data:)` returns `data` as it is whatever the type, answered without
  /// looking the type up: there are no steps, and `v` is at or past every schema's version. (The
  /// import decodes every event through the upcaster, whose type lookups were 1.3 % of its
  /// reading thread while every type is at version 1 and the upcaster has nothing to do.)
  @inline(__always)
  public func isIdentity(at v: Int) -> Bool { steps.isEmpty && v >= Self.highestSchemaVersion }

  /// The greatest version of any schema: no type's `currentVersion` exceeds it without steps.
  static let highestSchemaVersion = EventCatalog.schemas.map(\.version).max() ?? 1

  public func upcast(type: String, v: Int, data: JSONObject) throws(EventInputError) -> JSONObject {
    var v = v
    var data = data
    let current = currentVersion(of: type)
    while v < current {
      guard let step = steps[type]?[v] else {
        throw EventInputError(field: "v", "no upcaster from version \(v) of \(type)")
      }
      data = try step(data)
      v += 1
    }
    return data
  }
}
