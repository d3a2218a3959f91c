import ArgumentParser
import ERPCore
import ERPStore

/// Options that describe a new store (`init`, and `restore` into a new path).
struct NewStoreOptions: ParsableArguments {
  @Option(help: "ISO 4217 currency of all amounts (sets the minor-unit digits).")
  var currency = "CNY"

  @Option(help: "IANA timezone that turns business times into business dates.")
  var timezone = "Asia/Shanghai"

  @Option(help: "Default payment terms in days for orders that name none.")
  var paymentTermsDays = 30

  func validate() throws {
    guard Currency.isValidCode(currency) else {
      throw ValidationError("'--currency' must be an ISO 4217 code such as CNY, got '\(currency)'.")
    }
    guard StoreTimeZone(timezone) != nil else {
      throw ValidationError("'--timezone' must be an IANA timezone such as Asia/Shanghai, got '\(timezone)'.")
    }
    guard (0...3650).contains(paymentTermsDays) else {
      throw ValidationError("'--payment-terms-days' must be between 0 and 3650.")
    }
  }

  func metadata() -> StoreMetadata {
    StoreMetadata(
      currency: currency, timezone: timezone, paymentTermsDays: paymentTermsDays, created: Clock.now())
  }
}

extension ERPCommand {
  struct Init: ERPSubcommand {
    static let configuration = CommandConfiguration(
      commandName: "init",
      abstract: "Create a new, empty store.",
      discussion: "The directory is created with mode 0700 and its files 0600.")

    @OptionGroup var store: StoreLocation
    @OptionGroup var settings: NewStoreOptions

    func execute() throws {
      let s = try EventStore.create(
        at: store.path, metadata: settings.metadata(), options: store.options())
      Output.note(
        "initialised store '\(s.path)' (currency \(s.metadata.currency), timezone \(s.metadata.timezone))")
    }
  }
}
