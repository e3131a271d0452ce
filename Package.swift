// swift-tools-version:6.1
import Foundation
import PackageDescription

/// The developer tools are not part of the product and build only when asked for, each from a
/// folder of its own (as Hummingbird keeps its benchmarks):
/// - `TOPMOCK_FUZZ=1` (scripts/fuzz): `topmock-fuzz` from Tests/Fuzz/Runner as a libFuzzer target
///   (no main of its own);
/// - `TOPMOCK_TOOLS=1`: `topmock-fuzz` as a tool that replays inputs through the fuzz targets, and
///   `topmock-floor` from benchmarks/floor (benchmarks/run's floor).
/// The fuzz targets themselves live in TopMockTesting, so `swift test` replays the corpus.
let environment = ProcessInfo.processInfo.environment
let fuzzing = environment["TOPMOCK_FUZZ"] == "1"
let tools = fuzzing || environment["TOPMOCK_TOOLS"] == "1"

/// Every Swift target: Swift 6 language mode (set at the package level), plus the upcoming
/// features the style guide asks for.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

/// The release server links with lld and three options that keep its idle RSS and its image down
/// (docs/benchmarks.md, "What the figures mean"): relative relocations packed (DT_RELR, glibc ≥ 2.36: the
/// loader does not read a full `.rela.dyn` at start) and no dynamic export of the executable's
/// own symbols (the Swift driver asks for it; nothing topmock runs looks them up).
let leanLinkerFlags = [
    "-use-ld=lld",
    "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs",
    "-Xlinker", "--no-export-dynamic",
    // The few parts of libstdc++ the Swift runtime uses, linked in instead of the 2.2 MB shared
    // library the image would have to carry (docs/ci.md, "What is in the image"): the driver's
    // `-lstdc++` finds Sources/topmock/StaticLink/libstdc++.so first, a linker script naming the
    // static archive.
    "-L", Context.packageDirectory + "/Sources/topmock/StaticLink",
]

// Linux only: the HTTP layer, the signals and the files go through Glibc, and libmicrohttpd and
// libyaml come from Debian (docs/architecture.md).
#if !os(Linux)
#error("topmock builds on Linux only (Debian bookworm or Ubuntu); on macOS, use the container image")
#endif

let package = Package(
    name: "topmock",
    products: [
        .executable(name: "topmock", targets: ["topmock"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.0.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
    ],
    targets: [
        // C libraries from Debian, each behind exactly one Swift module.
        .systemLibrary(
            name: "CMicroHTTPD",
            pkgConfig: "libmicrohttpd",
            providers: [.apt(["libmicrohttpd-dev"])]
        ),
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        // libcurl's header at build time (from the default include path: no pkg-config, whose
        // -lcurl would make every topmock load libcurl at start); TopMockUpstream dlopens the
        // library on first use.
        .systemLibrary(
            name: "CCurl",
            providers: [.apt(["libcurl4-gnutls-dev"])]
        ),

        // topmock's own C, compiled (the system-library targets above carry only the headers).
        .target(name: "CMicroHTTPDShim", dependencies: ["CMicroHTTPD"]),
        .target(name: "CCurlShim", dependencies: ["CCurl"], linkerSettings: [.linkedLibrary("dl")]),

        // A lock ThreadSanitizer can see (pthread), with Mutex's withLock.
        .target(name: "TopMockLock", swiftSettings: strictSettings),
        // Transport: libmicrohttpd, knows nothing of TOP.
        .target(name: "TopMockHTTP", dependencies: ["CMicroHTTPD", "CMicroHTTPDShim", "TopMockLock"], swiftSettings: strictSettings),
        // Outbound HTTP(S) to a real gateway (record, proxy): libcurl, loaded only when used.
        .target(name: "TopMockUpstream", dependencies: ["CCurl", "CCurlShim", "TopMockLock"], swiftSettings: strictSettings),
        // YAML node tree with line/column marks, over libyaml.
        .target(name: "TopMockYAML", dependencies: ["CYAML"], swiftSettings: strictSettings),
        // The TOP wire protocol: parameters, signing, errors, envelopes. No HTTP, YAML or C.
        .target(
            name: "TopMockProtocol",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strictSettings
        ),
        // Scenario model, loading with diagnostics, engine. No HTTP.
        .target(
            name: "TopMockScenarios",
            dependencies: ["TopMockYAML", "TopMockProtocol", "TopMockLock"],
            swiftSettings: strictSettings
        ),
        // Composition: gateway, admin.
        .target(
            name: "TopMock",
            dependencies: [
                "TopMockHTTP", "TopMockProtocol", "TopMockScenarios", "TopMockLock", "TopMockUpstream",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            // A fuzzing build compiles every executable, host tools included, against libFuzzer's
            // `main`, so the plugin's tool cannot run there: that build has no dashboard.
            swiftSettings: strictSettings + (fuzzing ? [.define("NO_DASHBOARD")] : []),
            plugins: fuzzing ? [] : ["EmbedUI"]
        ),
        // The dashboard's files (ui/) into TopMock at build time: the plugin and the tool it runs.
        .executableTarget(name: "EmbedFiles", swiftSettings: strictSettings),
        .plugin(name: "EmbedUI", capability: .buildTool(), dependencies: ["EmbedFiles"]),
        // Test harness shared by the test targets (signed requests, a raw HTTP client) and the
        // fuzz targets.
        .target(
            name: "TopMockTesting",
            dependencies: [
                "TopMock", "TopMockHTTP", "TopMockProtocol", "TopMockScenarios", "TopMockLock",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "topmock",
            dependencies: [
                "TopMock", "TopMockHTTP", "TopMockProtocol", "TopMockScenarios",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["StaticLink"],
            swiftSettings: strictSettings,
            linkerSettings: [.unsafeFlags(leanLinkerFlags, .when(platforms: [.linux], configuration: .release))]
        ),
        .testTarget(name: "TopMockProtocolTests", dependencies: ["TopMockProtocol"], swiftSettings: strictSettings),
        .testTarget(
            name: "TopMockHTTPTests",
            dependencies: ["TopMockHTTP", "CMicroHTTPD", "CMicroHTTPDShim", "TopMockTesting", "TopMockProtocol", "TopMockLock"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "TopMockScenariosTests",
            dependencies: ["TopMockScenarios", "TopMockYAML", "TopMockProtocol", "TopMockTesting"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "TopMockTests",
            dependencies: [
                "TopMock", "TopMockTesting", "TopMockProtocol", "TopMockScenarios", "TopMockHTTP", "TopMockYAML", "TopMockLock",
                "TopMockUpstream",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "TopMockCLITests",
            dependencies: ["topmock", "TopMockTesting", "TopMockHTTP", "TopMockProtocol", "TopMockScenarios", "TopMockLock"],
            swiftSettings: strictSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)

if tools {
    package.targets += [
        .executableTarget(
            name: "topmock-fuzz",
            dependencies: ["TopMockTesting"],
            path: "Tests/Fuzz/Runner",
            swiftSettings: strictSettings + (fuzzing ? [.define("FUZZING"), .unsafeFlags(["-parse-as-library"])] : [])
        ),
        // benchmarks/run's floor: what JSONDecoder and MD5 cost per call, with no topmock code.
        .executableTarget(
            name: "topmock-floor",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "benchmarks/floor",
            swiftSettings: strictSettings
        ),
    ]
}
