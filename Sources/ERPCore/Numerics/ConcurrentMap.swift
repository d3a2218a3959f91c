import Dispatch

extension Array where Element: Sendable {
  /// `map` run on every core, results in the elements' order: for independent pieces of heavy
  /// work, such as one forecast model fit per series. `transform` must be a pure function of its
  /// element (it runs on several threads at once), so the result is the same as `map`'s.
  func concurrentMap<T: Sendable>(_ transform: @Sendable (Element) -> T) -> [T] {
    guard count > 1 else { return map(transform) }
    let results = ResultSlots<T>(count: count)
    DispatchQueue.concurrentPerform(iterations: count) { i in results.set(i, transform(self[i])) }
    return results.values
  }
}

/// One slot per index, each written by exactly one iteration of `concurrentPerform` and read
/// after all of them have returned.
private final class ResultSlots<T>: @unchecked Sendable {
  private var slots: [T?]
  init(count: Int) { slots = Array(repeating: nil, count: count) }
  func set(_ i: Int, _ value: T) {
    slots.withUnsafeMutableBufferPointer { $0[i] = value }
  }
  var values: [T] { slots.map { $0! } }
}
