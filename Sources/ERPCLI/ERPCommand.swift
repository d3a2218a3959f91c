import ArgumentParser

/// The `erpctl` root command.
public struct ERPCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "erpctl",
    abstract: "An event-sourced sales-cycle log (LMDB) and the reports folded from it.",
    discussion: """
      The store is chosen by --store PATH, else $ERPCTL_STORE, else ./erpctl.lmdb.
      Exit codes: 0 ok; 1 verify found a problem; 64 usage; 65 bad data or a rejected
      command; 66 missing input or store; 70 internal error; 74 I/O error; 75 store busy.
      See erpctl(1).
      """,
    version: "0.1.0",
    subcommands: [
      Init.self, Customer.self, Product.self, Rep.self, Lead.self, Activity.self, Quote.self,
      Order.self, Stock.self, PO.self, Payment.self, Case.self, Cost.self, Target.self,
      Append.self, Import.self, Log.self, Export.self, Restore.self, Verify.self, Stats.self,
      Report.self, Forecast.self, Replenish.self, Alerts.self, Generate.self, Demo.self,
    ]
  )

  public init() {}
}
