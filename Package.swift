// swift-tools-version: 6.0
import PackageDescription

// Dependencies, and why each is here:
// - swift-argument-parser: the CLI (subcommands, --help, usage errors with exit 64).
// - swift-crypto: SHA-256 for the hash chain (Foundation on Linux has no CryptoKit).
// - liblmdb (system, Debian liblmdb-dev): the event store, through the CLMDB system target.
// - mimalloc (system, Debian libmimalloc-dev), linked into the two executables only: the loader
//   then takes malloc and free from it for the whole process (the Swift runtime, Foundation,
//   LMDB). An import allocates and frees a few small objects per record on three threads, and
//   frees most of them on another thread than the one that made them; with glibc's malloc the
//   import of a million events takes about 9 % longer (BENCHMARKS.md, issue 4, run 15). The
//   library targets, and so the in-process tests, keep the C library's malloc.
// Release builds of the domain core and the store check exclusive access at compile time only:
// the run-time checks of class properties were about 7 % of a replay's instructions (issue 5,
// BENCHMARKS.md). Debug builds, which the tests run, keep them.
let foldSettings: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

let package = Package(
  name: "erpctl",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "erpctl", targets: ["erpctl"]),
    .executable(name: "erpctl-bench", targets: ["ERPBench"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
  ],
  targets: [
    .systemLibrary(
      name: "CLMDB", pkgConfig: "lmdb",
      providers: [.apt(["liblmdb-dev"]), .brew(["lmdb"])]),
    // (Debian's package has no pkg-config file: its header and library are on the default paths.)
    .systemLibrary(name: "CMimalloc", providers: [.apt(["libmimalloc-dev"]), .brew(["mimalloc"])]),
    .target(name: "ERPCore", swiftSettings: foldSettings),
    .target(
      name: "ERPStore",
      dependencies: ["ERPCore", "CLMDB", .product(name: "Crypto", package: "swift-crypto")],
      swiftSettings: foldSettings),
    .target(
      name: "ERPCLI",
      dependencies: [
        "ERPCore", "ERPStore",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),
    .executableTarget(name: "erpctl", dependencies: ["ERPCLI", "CMimalloc"]),
    // The benchmark and its plain-C baseline (raw liblmdb, same machine, same run).
    .target(name: "CLMDBBaseline", dependencies: ["CLMDB"], path: "Benchmarks/CLMDBBaseline"),
    .executableTarget(
      name: "ERPBench", dependencies: ["ERPCore", "ERPStore", "CLMDBBaseline", "CMimalloc"],
      path: "Benchmarks/ERPBench"),
    // Helpers for tests only: temporary stores, the binary runner, fixtures and golden files.
    .target(name: "ERPTestSupport", dependencies: ["ERPCore", "ERPStore"]),
    // ERPStore for the canonical serialisation (it lives beside the binary codec).
    .testTarget(name: "ERPCoreTests", dependencies: ["ERPCore", "ERPStore", "ERPTestSupport"]),
    .testTarget(
      name: "ERPStoreTests",
      dependencies: [
        "ERPCore", "ERPStore", "ERPTestSupport", .product(name: "Crypto", package: "swift-crypto"),
      ]),
    .testTarget(
      name: "ERPCLITests",
      dependencies: [
        "ERPCore", "ERPStore", "ERPTestSupport", "erpctl",
        .product(name: "Crypto", package: "swift-crypto"),
      ]),
  ],
  swiftLanguageModes: [.v6]
)
