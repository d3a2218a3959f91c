import ArgumentParser
import ERPCore
import ERPStore
import Foundation

/// Errors that only the command line has (input files, arguments found wrong at run time).
enum CLIError: Error, CustomStringConvertible {
  /// An input file that does not exist or cannot be read (66).
  case missingInput(String)
  /// One or more bad records (65), already formatted `file:line: field …`.
  case badRecords([String], total: Int, note: String? = nil)
  /// Bad data of another kind (65).
  case badData(String)
  /// An I/O failure (74).
  case io(String)

  var description: String {
    switch self {
    case .missingInput(let m), .badData(let m), .io(let m): m
    case .badRecords(let lines, let total, let note):
      lines.joined(separator: "\n")
        + (total > lines.count ? "\n… and \(total - lines.count) more errors" : "")
        + (note.map { "\n" + $0 } ?? "")
    }
  }
}

/// The one place that turns an error into an exit code (SPEC 4, sysexits).
enum ExitStatus {
  static func code(for error: any Error) -> Int32 {
    switch error {
    case let e as StoreError:
      switch e {
      case .storeNotFound: 66
      case .busy: 75
      case .lmdb, .io, .notAStore: 74
      case .alreadyExists, .rejected, .refused, .keyConflict, .chainMismatch, .notEmpty: 65
      }
    case let e as CLIError:
      switch e {
      case .missingInput: 66
      case .badRecords, .badData: 65
      case .io: 74
      }
    case is EventInputError, is MoneyError, is DomainError: 65
    case is ValidationError, is ReportInputError: 64
    case is StateDecodingError: 74
    default: 70
    }
  }
}

/// A subcommand whose `execute()` may throw any error; `run()` prints it as one
/// `erpctl: …` line on stderr and exits with the mapped code.
protocol ERPSubcommand: ParsableCommand {
  func execute() throws
}

extension ERPSubcommand {
  public func run() throws {
    do {
      try execute()
      Output.flush()
    } catch let e as ExitCode {
      Output.flush()
      throw e
    } catch {
      Output.flush()
      Output.error("\(error)")
      throw ExitCode(ExitStatus.code(for: error))
    }
  }
}
