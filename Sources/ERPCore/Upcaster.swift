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
