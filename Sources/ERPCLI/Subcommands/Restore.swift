import ArgumentParser
import ERPCore
import ERPStore
import Foundation

extension ERPCommand {
  struct Restore: ERPSubcommand {
    static let configuration = CommandConfiguration(
      commandName: "restore",
      abstract: "Load a whole export into a new or empty store, checking the hash chain.",
      discussion: """
        The store must not exist yet (it is created with the --currency, --timezone and
        --payment-terms-days given) or be an initialised, empty store. Every line must carry
        the next seq and a hash that continues the chain; otherwise nothing is loaded (65).
        """)

    @OptionGroup var store: StoreLocation
    @OptionGroup var settings: NewStoreOptions

    @Argument(help: "An export (JSON Lines), or - for standard input.")
    var file: String

    func execute() throws {
      let input = try InputFile.read(file)
      let fm = FileManager.default
      let created = !fm.fileExists(atPath: store.path)
      let s: EventStore
      if created {
        s = try EventStore.create(at: store.path, metadata: settings.metadata(), options: store.options())
      } else {
        do { s = try store.open() } catch StoreError.storeNotFound {
          // An existing empty directory is fine too.
          s = try EventStore.create(at: store.path, metadata: settings.metadata(), options: store.options())
        }
      }
      let reader = EventRecordReader(moneyDigits: s.metadata.moneyDigits)
      do {
        try s.reserve(additionalBytes: input.bytes.count * 2)
        let head = try s.restore { sink in
          try input.forEachLine { number, start, end in
            let e: EventEnvelope
            do { e = try reader.envelope(input.bytes, start: start, end: end) } catch {
              throw CLIError.badData("\(input.name):\(number): \(error)")
            }
            do { try sink(e) } catch let error as StoreError {
              throw CLIError.badData("\(input.name):\(number): \(error)")
            }
          }
        }
        Output.note("restored \(head.seq) events into '\(s.path)'; head \(Hex.encode(head.hash))")
      } catch {
        // Nothing was written to the log; do not leave behind a store this command created.
        if created { try? fm.removeItem(atPath: store.path) }
        throw error
      }
    }
  }
}
