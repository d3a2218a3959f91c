import ERPCore

/// What a store was created with (SPEC 1: format version, currency, timezone).
public struct StoreMetadata: Sendable, Equatable {
  /// The on-disk format this build writes; opening another format is refused.
  public static let currentFormat = 1

  public var format: Int
  public var currency: String
  public var timezone: String
  public var paymentTermsDays: Int
  public var created: Instant

  public init(
    format: Int = StoreMetadata.currentFormat, currency: String = "CNY",
    timezone: String = "Asia/Shanghai", paymentTermsDays: Int = 30, created: Instant
  ) {
    self.format = format
    self.currency = currency
    self.timezone = timezone
    self.paymentTermsDays = paymentTermsDays
    self.created = created
  }

  /// Minor-unit digits of the store's currency.
  public var moneyDigits: Int { Currency.minorDigits(currency) }
}

/// The end of the log: the last sequence number and its hash (32 zero bytes when empty).
public struct ChainHead: Sendable, Equatable {
  public var seq: UInt64
  public var hash: [UInt8]
  public static let genesis = ChainHead(seq: 0, hash: [UInt8](repeating: 0, count: 32))
}
