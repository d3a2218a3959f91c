import ERPCore

/// What went wrong with the store; the CLI maps each case to an exit code (SPEC 4).
public enum StoreError: Error, Equatable, Sendable, CustomStringConvertible {
  /// No store at the path (66).
  case storeNotFound(path: String)
  /// `init` or `restore` into a path that already holds a store or other files (65).
  case alreadyExists(path: String)
  /// The store directory holds an LMDB environment erpctl cannot use (74).
  case notAStore(path: String, reason: String)
  /// Another process holds what is needed and retrying later may work (75).
  case busy(String)
  /// An LMDB call failed (74).
  case lmdb(code: Int32, call: String, message: String)
  /// The operating system refused a file operation (74).
  case io(String)
  /// An event was refused (65); `index` is its 0-based position in the batch.
  case rejected(index: Int, EventInputError)
  /// An event the business rules refuse (65); `index` is its 0-based position in the batch.
  case refused(index: Int, DomainError)
  /// Same idempotency key, different payload (65).
  case keyConflict(index: Int, key: String, existingSeq: UInt64)
  /// Restore input that does not continue the chain (65).
  case chainMismatch(seq: UInt64, reason: String)
  /// The store is not empty where an empty one is required (65).
  case notEmpty(path: String, events: UInt64)

  public var description: String {
    switch self {
    case .storeNotFound(let p): "no store at '\(p)' (create one with 'erpctl init')"
    case .alreadyExists(let p): "'\(p)' already exists and is not an empty erpctl store"
    case .notAStore(let p, let r): "'\(p)' is not an erpctl store: \(r)"
    case .busy(let m): "store busy: \(m)"
    case .lmdb(let code, let call, let message): "\(call) failed: \(message) (\(code))"
    case .io(let m): m
    case .rejected(_, let e): e.description
    case .refused(_, let e): e.description
    case .keyConflict(_, let key, let seq):
      "key '\(key)' already names event \(seq) with a different payload"
    case .chainMismatch(let seq, let reason): "seq \(seq): \(reason)"
    case .notEmpty(let p, let n): "store '\(p)' is not empty (\(n) events); restore needs an empty store"
    }
  }
}
