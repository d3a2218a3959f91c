import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What one run of the binary produced.
public struct RunResult: Sendable {
  public var stdout: [UInt8]
  public var stderr: [UInt8]
  /// The exit status, or the signal number when `signalled`.
  public var status: Int32
  public var signalled: Bool
  /// The run was killed because it exceeded its time limit.
  public var timedOut: Bool

  /// Standard output decoded as UTF-8 (invalid bytes replaced).
  public var out: String { String(decoding: stdout, as: UTF8.self) }
  /// Standard error decoded as UTF-8 (invalid bytes replaced).
  public var err: String { String(decoding: stderr, as: UTF8.self) }
  /// Non-empty lines of standard output.
  public var outLines: [String] { out.split(separator: "\n").map(String.init) }
  /// Non-empty lines of standard error.
  public var errLines: [String] { err.split(separator: "\n").map(String.init) }

  /// Whether the process exited normally with `code`.
  public func exited(_ code: Int32) -> Bool { !signalled && !timedOut && status == code }
}

/// Errors of the runner itself (not of the program it runs).
public enum BinaryRunnerError: Error, CustomStringConvertible {
  case notFound(String)
  case launch(String)

  public var description: String {
    switch self {
    case .notFound(let m): "erpctl binary not found: \(m)"
    case .launch(let m): "cannot launch erpctl: \(m)"
    }
  }
}

/// Runs the built `erpctl` executable (STYLE: "run the built erpctl found beside the test
/// bundle"), with arguments, optional standard input and extra environment.
public struct BinaryRunner: Sendable {
  /// Environment variables that would change which store or map size the binary uses; they are
  /// removed from the inherited environment so a developer's shell cannot leak into a test.
  public static let isolatedVariables = ["ERPCTL_STORE", "ERPCTL_MAP_SIZE"]

  public let executable: String

  public init(executable: String? = nil) throws {
    if let executable {
      self.executable = executable
    } else {
      self.executable = try Self.locate()
    }
  }

  /// `$ERPCTL_BIN` if set; else `erpctl` beside the running test executable, walking up from it
  /// (Linux: `<scratch>/debug/erpctlPackageTests.xctest` is a file beside `erpctl`; macOS: the
  /// executable is inside `<scratch>/debug/erpctlPackageTests.xctest/Contents/MacOS/`).
  public static func locate() throws -> String {
    let fm = FileManager.default
    if let explicit = ProcessInfo.processInfo.environment["ERPCTL_BIN"], !explicit.isEmpty {
      guard fm.isExecutableFile(atPath: explicit) else {
        throw BinaryRunnerError.notFound("ERPCTL_BIN='\(explicit)' is not an executable file")
      }
      return explicit
    }
    var starts: [URL] = []
    #if os(Linux)
      if let resolved = try? fm.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
        starts.append(URL(fileURLWithPath: resolved))
      }
    #endif
    if let main = Bundle.main.executableURL { starts.append(main.resolvingSymlinksInPath()) }
    for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
      starts.append(bundle.bundleURL.resolvingSymlinksInPath())
    }
    if let arg0 = CommandLine.arguments.first {
      starts.append(URL(fileURLWithPath: arg0).resolvingSymlinksInPath())
    }
    var tried: [String] = []
    for start in starts {
      var dir = start.deletingLastPathComponent()
      for _ in 0..<5 {
        let candidate = dir.appendingPathComponent("erpctl").path
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: candidate, isDirectory: &isDir), !isDir.boolValue,
          fm.isExecutableFile(atPath: candidate)
        {
          return candidate
        }
        tried.append(candidate)
        let parent = dir.deletingLastPathComponent()
        if parent.path == dir.path { break }
        dir = parent
      }
    }
    throw BinaryRunnerError.notFound(
      "set ERPCTL_BIN or build the erpctl product; tried \(tried.joined(separator: ", "))")
  }

  /// Runs `erpctl arguments…` to completion.
  /// - Parameters:
  ///   - stdin: bytes written to its standard input (which is then closed); nil gives it an
  ///     empty standard input.
  ///   - environment: added to (and overriding) the inherited environment, from which
  ///     `isolatedVariables` are removed first.
  ///   - currentDirectory: its working directory (default: the test's).
  ///   - timeout: seconds after which it is killed and the result marked `timedOut`.
  public func run(
    _ arguments: [String], stdin: [UInt8]? = nil, environment: [String: String] = [:],
    currentDirectory: String? = nil, timeout: TimeInterval = 300
  ) throws -> RunResult {
    try start(
      arguments, stdin: stdin, environment: environment, currentDirectory: currentDirectory,
      timeout: timeout
    ).wait()
  }

  /// Starts `erpctl arguments…` and returns at once; call `wait()` for the result.
  public func start(
    _ arguments: [String], stdin: [UInt8]? = nil, environment: [String: String] = [:],
    currentDirectory: String? = nil, timeout: TimeInterval = 300
  ) throws -> RunningProcess {
    // A child that exits without reading its input must not kill the test runner with SIGPIPE.
    signal(SIGPIPE, SIG_IGN)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    for name in Self.isolatedVariables { env[name] = nil }
    env.merge(environment) { _, new in new }
    process.environment = env
    if let currentDirectory {
      process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory, isDirectory: true)
    }
    let inPipe = Pipe()
    let outPipe = Pipe()
    let errPipe = Pipe()
    process.standardInput = inPipe
    process.standardOutput = outPipe
    process.standardError = errPipe
    let running = RunningProcess(process: process, timeout: timeout)
    process.terminationHandler = { [running] _ in running.exited.signal() }
    do {
      try process.run()
    } catch {
      throw BinaryRunnerError.launch("\(executable): \(error)")
    }
    // Both outputs are drained on their own threads while the child runs, so neither pipe can
    // fill up and block it, however much it writes.
    running.collect(outPipe.fileHandleForReading, stdout: true)
    running.collect(errPipe.fileHandleForReading, stdout: false)
    running.feed(inPipe.fileHandleForWriting, stdin ?? [])
    return running
  }

  /// Whether `/usr/bin/env python3` can run (for the optional cross-check with
  /// `tools/verify-chain.py`).
  public static let hasPython3: Bool = {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["python3", "-c", "import hashlib, json, sys"]
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    do { try p.run() } catch { return false }
    p.waitUntilExit()
    return p.terminationReason == .exit && p.terminationStatus == 0
  }()
}

/// A started run of the binary.
public final class RunningProcess: @unchecked Sendable {
  // Mutable state below is written by the reader threads and read only after `group` is done.
  private let process: Process
  private let timeout: TimeInterval
  fileprivate let exited = DispatchSemaphore(value: 0)
  private let group = DispatchGroup()
  private let lock = NSLock()
  private var stdout: [UInt8] = []
  private var stderr: [UInt8] = []
  private var result: RunResult?

  fileprivate init(process: Process, timeout: TimeInterval) {
    self.process = process
    self.timeout = timeout
  }

  public var processIdentifier: Int32 { process.processIdentifier }

  fileprivate func collect(_ handle: FileHandle, stdout isStdout: Bool) {
    group.enter()
    let box = UncheckedSendable(handle)
    Thread.detachNewThread { [self] in
      let data = box.value.readDataToEndOfFile()
      lock.lock()
      if isStdout { stdout = [UInt8](data) } else { stderr = [UInt8](data) }
      lock.unlock()
      try? box.value.close()
      group.leave()
    }
  }

  fileprivate func feed(_ handle: FileHandle, _ bytes: [UInt8]) {
    group.enter()
    let box = UncheckedSendable(handle)
    Thread.detachNewThread { [self] in
      let fd = box.value.fileDescriptor
      var offset = 0
      bytes.withUnsafeBytes { buf in
        while offset < buf.count {
          let n = write(fd, buf.baseAddress! + offset, buf.count - offset)
          if n < 0 {
            if errno == EINTR { continue }
            break  // EPIPE: the child closed its input; the rest is not wanted.
          }
          offset += n
        }
      }
      try? box.value.close()
      group.leave()
    }
  }

  /// Waits for the process to exit (killing it after the timeout) and for its output.
  public func wait() -> RunResult {
    lock.lock()
    if let result {
      lock.unlock()
      return result
    }
    lock.unlock()
    var timedOut = false
    if exited.wait(timeout: .now() + timeout) == .timedOut {
      timedOut = true
      kill(process.processIdentifier, SIGKILL)
      exited.wait()
    }
    group.wait()
    process.waitUntilExit()
    lock.lock()
    defer { lock.unlock() }
    let r = RunResult(
      stdout: stdout, stderr: stderr, status: process.terminationStatus,
      signalled: process.terminationReason == .uncaughtSignal, timedOut: timedOut)
    result = r
    return r
  }
}

/// Carries a value the compiler cannot prove Sendable to a thread that alone uses it.
struct UncheckedSendable<T>: @unchecked Sendable {
  let value: T
  init(_ value: T) { self.value = value }
}
