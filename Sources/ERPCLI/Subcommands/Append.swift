import ArgumentParser
import ERPCore
import ERPStore

extension ERPCommand {
  struct Append: ERPSubcommand {
    static let configuration = CommandConfiguration(
      commandName: "append",
      abstract: "Append events (JSON Lines) to the log, all or nothing.",
      discussion: """
        Each line is {"type", "at", "data"} with optional "key" and "v". Every line is checked
        first; if any is invalid nothing is appended and every error is listed (file:line:
        field: reason). A line whose key is already in the log with the same payload is
        skipped and reported; with a different payload the whole append is refused.
        """)

    @OptionGroup var store: StoreLocation

    @Argument(help: "JSON Lines file, or - for standard input.")
    var file = "-"

    @Flag(name: .shortAndLong, help: "Print no summary on stderr.")
    var quiet = false

    func execute() throws {
      let s = try store.open()
      let input = try InputFile.read(file)
      let reader = EventRecordReader(moneyDigits: s.metadata.moneyDigits)
      var events: [NewEvent] = []
      var lineNumbers: [Int] = []
      var errors = ErrorList()
      input.forEachLine { number, start, end in
        do {
          events.append(try reader.newEvent(input.bytes, start: start, end: end))
          lineNumbers.append(number)
        } catch {
          errors.add("\(input.name):\(number): \(error)")
        }
      }
      guard errors.isEmpty else { throw errors.error }
      let outcomes: [AppendOutcome]
      let last: UInt64
      do {
        (outcomes, last) = try s.withAppender(clock: Clock.now) { log in
          (try log.append(contentsOf: events), log.head.seq)
        }
      } catch StoreError.refused(let index, let error) {
        throw CLIError.badData("\(input.name):\(lineNumbers[index]): \(error)")
      } catch StoreError.rejected(let index, let error) {
        throw CLIError.badData("\(input.name):\(lineNumbers[index]): \(error)")
      } catch StoreError.keyConflict(let index, let key, let seq) {
        let place = "\(input.name):\(lineNumbers[index]): field 'key'"
        if let earlier = events[..<index].firstIndex(where: { $0.key == key }) {
          throw CLIError.badData(
            "\(place): '\(key)' repeats the key of line \(lineNumbers[earlier]) with a different payload")
        }
        throw CLIError.badData("\(place): '\(key)' already names event \(seq) with a different payload")
      }
      guard !quiet else { return }
      let appended = outcomes.compactMap { if case .appended(let s) = $0 { s } else { nil } }
      var existing = ErrorList()
      for (i, o) in outcomes.enumerated() {
        if case .existing(let seq) = o {
          existing.add("\(input.name):\(lineNumbers[i]): already appended as seq \(seq) (same key and payload)")
        }
      }
      for line in existing.shown { Output.note(line) }
      if existing.total > existing.shown.count {
        Output.note("… and \(existing.total - existing.shown.count) more already appended")
      }
      if let first = appended.first {
        let derived = Int(last - first + 1) - appended.count
        Output.note(
          "appended \(appended.count) events and \(derived) derived (seq \(first)–\(last)), \(outcomes.count - appended.count) already present")
      } else {
        Output.note("appended 0 events, \(outcomes.count) already present")
      }
    }
  }
}
