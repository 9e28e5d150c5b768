// swift-tools-version:6.0
import PackageDescription

// One library per job; the executable only wires commands to them.
// See docs/architecture.md for what flows between the modules.
let package = Package(
    name: "tradsec",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "tradsec", targets: ["tradsec"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // Alert model, JSON codec, priorities, time and duration parsing, terminal-safe text.
        .target(name: "TradsecCore", dependencies: ["CByteScan"]),
        // The alert scanner's SIMD inner loop (header-only C: Swift has no portable movemask).
        .target(name: "CByteScan", path: "Sources/CByteScan"),
        // config.yaml and theme files: read once (size-limited, alias bombs refused), one typed
        // reader of YAML nodes, one error type, sections decoded by the modules that own them.
        .target(name: "Config", dependencies: [
            "TradsecCore",
            .product(name: "Yams", package: "Yams"),
        ]),
        // Falco-compatible rules loader, condition compiler and evaluator.
        .target(name: "RuleEngine", dependencies: [
            "TradsecCore", "Config",
            .product(name: "Yams", package: "Yams"),
        ]),
        // LZ4 (liblz4): the history keeps raw alert lines in compressed chunks.
        .systemLibrary(name: "CLZ4", path: "Sources/CLZ4", pkgConfig: "liblz4", providers: [.apt(["liblz4-dev"])]),
        // SQLite history: schema, migrations, batched writes, queries, retention.
        // The `alerts` virtual table over the packed alert rows (C: SQLite's module API).
        .target(name: "CAlertRows", path: "Sources/CAlertRows", linkerSettings: [.linkedLibrary("sqlite3")]),
        .target(name: "AlertStore", dependencies: [
            "TradsecCore", "CLZ4", "CAlertRows",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "GRDBSQLite", package: "GRDB.swift"),
        ]),
        // Alert sources: line reading, file following with rotation and checkpoints.
        .target(name: "Feeds", dependencies: ["TradsecCore", "AlertStore"]),
        // ncursesw, through a module map and a shim header of static inline accessors.
        .systemLibrary(name: "CNcurses", path: "Sources/CNcurses", providers: [.apt(["libncurses-dev"])]),
        // The console: screen grid, screens, key handling, data loading, ncurses driver.
        .target(name: "Console", dependencies: ["CNcurses", "TradsecCore", "Config", "AlertStore", "Feeds", "CurlClient", "Actions", "Gauges", "Processor"]),
        // libcurl, through a module map, and non-variadic wrappers for its variadic setopt/getinfo.
        .systemLibrary(name: "CCurl", path: "Sources/CCurl", pkgConfig: "libcurl",
                       providers: [.apt(["libcurl4-openssl-dev"])]),
        .target(name: "CCurlShim", dependencies: ["CCurl"], path: "Sources/CCurlShim"),
        // Blocking HTTP (TCP or Unix socket) and SMTP clients over libcurl: notifications,
        // the Docker Engine API, the trading bot's emergency endpoint.
        .target(name: "CurlClient", dependencies: ["CCurl", "CCurlShim"]),
        // The event processor behind `tradsec serve`: HTTP intake (SwiftNIO), group-committed
        // ingestion, enrichment, correlation into incidents, the live feed, health and metrics.
        .target(name: "Processor", dependencies: [
            "TradsecCore", "Config", "AlertStore",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "Prometheus", package: "swift-prometheus"),
        ]),
        // OpenSSL's libcrypto as a system library: SHA-256 of backups and forensics bundles.
        .systemLibrary(name: "CCrypto", path: "Sources/CCrypto", pkgConfig: "libcrypto",
                       providers: [.apt(["libssl-dev"])]),
        // Incident actions: stop trading, isolate/restore a container (Docker Engine API), backup,
        // forensics bundle; every attempt recorded in the history's audit log.
        .target(name: "Actions", dependencies: ["TradsecCore", "Config", "AlertStore", "CurlClient", "CCrypto"]),
        // Resource gauges: Falco and the trading bot from /proc, cgroups and the Docker stats API;
        // Falco's health and drop counters; feed staleness; a sampler thread with history rings.
        .target(name: "Gauges", dependencies: ["TradsecCore", "Config", "AlertStore", "CurlClient"]),
        // Notifications: channel formats (Slack, Telegram, Discord, webhook, PagerDuty, e-mail,
        // Alertmanager), the persistent outbox's routing and the dispatcher that drains it.
        .target(name: "Notify", dependencies: ["TradsecCore", "Config", "AlertStore", "CurlClient"]),
        // The host sensor's loader, in C: libbpf through dlopen (tradsec builds and starts without
        // it), the BPF program's record layout shared with the kernel side. `bpf/` holds the BPF
        // program itself, built by `make` (clang -target bpf), not by SwiftPM.
        .target(name: "CSensor", path: "Sources/CSensor", exclude: ["bpf"], linkerSettings: [.linkedLibrary("dl")]),
        // The live host sensor: this host's syscalls through eBPF into the embedded rule engine
        // (process table, containers, users, field filling, rule coverage).
        .target(name: "Sensor", dependencies: ["CSensor", "TradsecCore", "Config", "RuleEngine", "Actions", "Gauges"]),
        // The composition root: builds what a command needs (the history, the console's sources,
        // the processor's pipeline, gauges, actions, the host sensor) from flags and the config.
        .target(name: "Assembly", dependencies: [
            "TradsecCore", "Config", "RuleEngine", "AlertStore", "Feeds", "Console", "Processor", "Notify", "Actions", "Gauges", "Sensor",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        // The measuring code of `tradsec bench ...` (the product modules carry none; the
        // executable's bench commands parse options and print).
        .target(name: "Benchmarks", dependencies: [
            "TradsecCore", "RuleEngine", "AlertStore", "Feeds", "Console", "Processor", "Actions", "Gauges", "Notify", "Sensor",
            "CCurl", "CCurlShim", "CurlClient",
        ]),
        .executableTarget(name: "tradsec", dependencies: [
            "TradsecCore", "Config", "Assembly", "RuleEngine", "AlertStore", "Feeds", "Console", "Processor", "CurlClient", "Actions", "Gauges", "Notify", "Sensor", "Benchmarks",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // Helpers shared by the test targets: child processes without a shell, temporary files.
        .target(name: "TestSupport", dependencies: ["CurlClient", "TradsecCore"], path: "Tests/TestSupport"),
        // Fuzzing (Fuzz/README.md): one harness per decoder of untrusted bytes, each checking
        // invariants; `tradsec-fuzz` is libFuzzer's program when `make fuzz` builds it (in
        // .build-fuzz, with sanitizers) and a replayer of inputs otherwise.
        .target(name: "FuzzHarness", dependencies: [
            "TradsecCore", "RuleEngine", "AlertStore", "Processor", "Console", "Gauges", "Actions", "Notify", "CurlClient",
            "TestSupport",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOEmbedded", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),
        // libFuzzer's LLVMFuzzerRunDriver, declared for the fuzz build (header only).
        .target(name: "CFuzzDriver", path: "Sources/CFuzzDriver"),
        .executableTarget(name: "tradsec-fuzz", dependencies: ["FuzzHarness", "CFuzzDriver", "TradsecCore"], path: "Sources/FuzzDriver"),
        .testTarget(name: "TradsecCoreTests", dependencies: ["TradsecCore"]),
        .testTarget(name: "ConfigTests", dependencies: ["Config", "TradsecCore", "TestSupport"]),
        .testTarget(name: "RuleEngineTests", dependencies: ["RuleEngine", "TradsecCore"]),
        .testTarget(name: "AlertStoreTests", dependencies: ["AlertStore", "TradsecCore"]),
        .testTarget(name: "FeedsTests", dependencies: ["Feeds", "AlertStore", "TradsecCore", "TestSupport"]),
        .testTarget(name: "CurlClientTests", dependencies: ["CurlClient", "TestSupport"]),
        .testTarget(name: "ProcessorTests", dependencies: ["Processor", "Console", "Assembly", "Config", "AlertStore", "TradsecCore", "CurlClient", "TestSupport"]),
        .testTarget(name: "ActionsTests", dependencies: ["Assembly", "Config", "Actions", "AlertStore", "CurlClient", "TradsecCore", "TestSupport", "tradsec"]),
        .testTarget(name: "CLITests", dependencies: ["tradsec", "TestSupport", "CurlClient", "AlertStore", "TradsecCore"]),
        .testTarget(name: "ConsoleTests", dependencies: ["Console", "Assembly", "Config", "CNcurses", "AlertStore", "TradsecCore", "Feeds", "tradsec", "TestSupport", "Actions", "Gauges", "Processor"]),
        .testTarget(name: "GaugesTests", dependencies: ["Assembly", "Config", "Gauges", "AlertStore", "TradsecCore", "CurlClient", "TestSupport", "tradsec"]),
        .testTarget(name: "SensorTests", dependencies: ["Assembly", "Config", "Console", "Gauges", "Sensor", "CSensor", "RuleEngine", "AlertStore", "TradsecCore", "TestSupport", "tradsec"]),
        // Replays every committed fuzz input and reproducer (Fuzz/corpus, Fuzz/regressions).
        .testTarget(name: "FuzzTests", dependencies: ["FuzzHarness", "tradsec-fuzz", "TestSupport"]),
        .testTarget(name: "NotifyTests", dependencies: ["Assembly", "Config", "Notify", "AlertStore", "TradsecCore", "CurlClient", "TestSupport", "tradsec",
                                                       .product(name: "Yams", package: "Yams")]),
    ]
)
