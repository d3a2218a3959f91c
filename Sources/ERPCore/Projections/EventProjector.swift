/// A projector module: a pure fold of typed events into a read model. The store feeds it the
/// events of `foldedTypes` in log order (`EventStore.replay(_:asOf:)`), each with its seq and
/// business day; events of other types are never decoded for it.
public protocol EventProjector: AnyObject {
  /// The event types `apply` reads.
  static var foldedTypes: Set<String> { get }
  /// Folds one event.
  func apply(seq: UInt64, day: CivilDate, _ event: SalesEvent)
}

extension EventProjector {
  /// The folded types of this projector's dynamic type.
  public var foldedTypes: Set<String> { Self.foldedTypes }
}

/// The sales projection folds like any projector, so a command that needs it beside others
/// (`alerts`) reads the log once.
extension SalesProjection: EventProjector {}
