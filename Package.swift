// swift-tools-version: 6.0
import PackageDescription

// LazySoak: a lazy-loading multi-tenant runtime (`tenantd`) and the soak harness that
// proves it does not leak (`soak`). Toolchain only: no external packages.
let package = Package(
    name: "LazySoak",
    products: [
        .executable(name: "tenantd", targets: ["tenantd"]),
        .executable(name: "soak", targets: ["soak"]),
        .library(name: "TenantRuntime", targets: ["TenantRuntime"]),
        .library(name: "SoakKit", targets: ["SoakKit"]),
    ],
    targets: [
        // libc calls the Glibc module does not expose: mallinfo2, malloc_trim, prctl, fork+exec.
        .target(name: "CSystemShim"),
        // HTTP/1.1 over POSIX sockets: tenantd's server and the harness's client.
        .target(name: "MiniHTTP"),
        .target(name: "TenantRuntime", dependencies: ["CSystemShim"]),
        .executableTarget(name: "tenantd", dependencies: ["TenantRuntime", "MiniHTTP"]),
        .target(name: "SoakKit", dependencies: ["MiniHTTP", "CSystemShim"]),
        .executableTarget(name: "soak", dependencies: ["SoakKit"]),
        .testTarget(name: "MiniHTTPTests", dependencies: ["MiniHTTP"]),
        .testTarget(name: "TenantRuntimeTests", dependencies: ["TenantRuntime"]),
        .testTarget(
            name: "SoakKitTests",
            dependencies: ["SoakKit"],
            resources: [.copy("Fixtures")]
        ),
        // Spawns the built binaries on loopback with a short accelerated clock.
        .testTarget(name: "EndToEndTests", dependencies: ["SoakKit", "MiniHTTP"]),
    ]
)
