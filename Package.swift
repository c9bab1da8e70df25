// swift-tools-version: 6.0
import PackageDescription

// LazySoak: a lazy-loading multi-tenant runtime (`tenantd`) and the soak harness that
// proves it does not leak (`soak`). Toolchain only: no external packages.
//
// The targets are layers; each imports only those below it, so a wrong dependency fails to
// compile (the README's "Architecture" section draws the graph; `ci/architecture.py` prints it):
//
//   CSystemShim → PosixSupport → MiniHTTP;  CHeapPage → CHeapPreload (libSoakHeapPreload.so),
//                                           CHeapPage → CHeapStacks (libSoakHeapStacks.so)
//   SoakUnits → SoakAnalysis → SoakProfiles → SoakRun → SoakReports → SoakCLI → soak
//                                                     ↘ SoakBench ↗
//   SoakUnits, PosixSupport → TenantRuntime → TenantFleet → tenantd;  MiniHTTP → TenantFleet
let package = Package(
    name: "LazySoak",
    products: [
        .executable(name: "tenantd", targets: ["tenantd"]),
        .executable(name: "soak", targets: ["soak"]),
        .library(name: "TenantRuntime", targets: ["TenantRuntime"]),
        // Leak statistics for any time series: values in, verdicts out.
        .library(name: "SoakAnalysis", targets: ["SoakAnalysis"]),
        // libSoakHeapPreload.so: LD_PRELOADed into a target by `"heap": "glibc"`, it publishes
        // mallinfo2 counters in a shared page the harness reads.
        .library(name: "SoakHeapPreload", type: .dynamic, targets: ["CHeapPreload"]),
        // libSoakHeapStacks.so: preloaded ahead of it by `"heap": {"kind": "glibc", "stacks": true}`,
        // it samples allocations by bytes and keeps each stack's live bytes in a shared table; its
        // wrappers make the heap page's check too, so a call goes through one layer, not two.
        .library(name: "SoakHeapStacks", type: .dynamic, targets: ["CHeapStacks"]),
    ],
    targets: [
        // libc calls the Glibc module does not expose: mallinfo2, malloc_trim, prctl, fork+exec.
        .target(name: "CSystemShim"),
        // The heap page's layout and futex calls, shared by the preload library and the harness.
        .target(name: "CHeapPage"),
        // The preload library itself: C only, so it loads into any glibc program.
        // (SwiftPM links every product with Swift's runtime registration, so the library names
        // libswiftCore among its dependencies though it runs no Swift: see Profiles/README.md.)
        .target(name: "CHeapPreload", dependencies: ["CHeapPage"]),
        // The allocation sampler: interposes malloc and free, so it is a library of its own and
        // loaded only when stacks are asked for.
        .target(name: "CHeapStacks", dependencies: ["CHeapPage"], linkerSettings: [.linkedLibrary("m")]),
        // The one funnel for system calls: errno as a typed error, EINTR retried once, descriptors,
        // the monotonic clock.
        .target(name: "PosixSupport", dependencies: ["CSystemShim"]),
        // Durations, byte sizes and percentages with one grammar, for tenantd and soak alike.
        .target(name: "SoakUnits"),
        // HTTP/1.1 over POSIX sockets: tenantd's server and the harness's client.
        .target(name: "MiniHTTP", dependencies: ["PosixSupport"]),
        .target(name: "TenantRuntime", dependencies: ["SoakUnits", "PosixSupport", "CSystemShim"]),
        // `tenantd fleet`: a front owning tenantd nodes, tenant-aware routing and auto-scaling.
        .target(name: "TenantFleet", dependencies: ["TenantRuntime", "SoakUnits", "MiniHTTP", "PosixSupport", "CSystemShim"]),
        .executableTarget(name: "tenantd", dependencies: ["TenantFleet", "TenantRuntime", "MiniHTTP", "PosixSupport"]),
        // Statistics, series and verdict rules; depends on nothing but the units.
        .target(name: "SoakAnalysis", dependencies: ["SoakUnits"]),
        // The profile format: decoder, validator, catalog.
        .target(name: "SoakProfiles", dependencies: ["SoakAnalysis", "SoakUnits"]),
        // A live run: supervision, scenario, sampling, recording, judging.
        .target(
            name: "SoakRun",
            dependencies: [
                "SoakProfiles", "SoakAnalysis", "SoakUnits", "MiniHTTP", "PosixSupport", "CSystemShim", "CHeapPage",
            ]
        ),
        // What a run leaves for people: HTML, SVG, JUnit, Markdown, and the diff of two runs.
        .target(
            name: "SoakReports", dependencies: ["SoakRun", "SoakProfiles", "SoakAnalysis", "SoakUnits", "PosixSupport"]
        ),
        // `soak bench`: measurements against the quality bars, kept out of the product libraries.
        .target(
            name: "SoakBench",
            dependencies: ["SoakRun", "SoakProfiles", "SoakAnalysis", "SoakUnits", "MiniHTTP", "PosixSupport"]
        ),
        // Subcommands, flags, exit codes and the terminal.
        .target(
            name: "SoakCLI",
            dependencies: [
                "SoakReports", "SoakBench", "SoakRun", "SoakProfiles", "SoakAnalysis", "SoakUnits", "MiniHTTP",
                "PosixSupport",
            ]
        ),
        .executableTarget(name: "soak", dependencies: ["SoakCLI"]),
        .testTarget(name: "PosixSupportTests", dependencies: ["PosixSupport"]),
        .testTarget(name: "MiniHTTPTests", dependencies: ["MiniHTTP", "PosixSupport"]),
        .testTarget(name: "TenantRuntimeTests", dependencies: ["TenantRuntime", "SoakUnits"]),
        .testTarget(name: "TenantFleetTests", dependencies: ["TenantFleet", "TenantRuntime", "MiniHTTP", "PosixSupport"]),
        .testTarget(
            name: "SoakTests",
            dependencies: ["SoakCLI", "SoakBench", "SoakReports", "SoakRun", "SoakProfiles", "SoakAnalysis", "SoakUnits"],
            resources: [.copy("Fixtures")]
        ),
        // Spawns the built binaries on loopback with a short accelerated clock.
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["SoakCLI", "SoakReports", "SoakRun", "SoakProfiles", "SoakAnalysis", "SoakUnits", "MiniHTTP"]
        ),
    ]
)
