import Foundation
import Glibc
@testable import TenantRuntime

/// A registry seeded into a fresh temporary folder, removed when the value is released.
final class TemporaryRegistry {
    let root: String
    let seeder: RegistrySeeder

    init(tenants: Int = 2, artifacts: Int = 2, kind: ArtifactKind = .service, payloadKB: Int = 8) throws {
        var template = Array("/tmp/tenantd-test-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw POSIXError(.EIO) }
        root = String(cString: made)
        seeder = RegistrySeeder(tenants: tenants, artifactsPerTenant: artifacts, kind: kind, payloadKB: payloadKB)
        try seeder.seed(into: root)
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    var registry: Registry { Registry(root: root) }

    func host(
        clock: any RuntimeClock, _ configure: (inout RuntimeConfiguration) -> Void = { _ in }
    ) -> TenantHost {
        var configuration = RuntimeConfiguration()
        configuration.tenantIdle = .seconds(60)
        configuration.artifactIdle = .seconds(30)
        configuration.waitTimeout = .seconds(10)
        configure(&configuration)
        return TenantHost(registry: registry, configuration: configuration, clock: clock)
    }

    func write(_ text: String, to relativePath: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: "\(root)/\(relativePath)"))
    }
}

extension Invocation {
    var text: String { String(decoding: body, as: UTF8.self) }
}

/// Runs `count` bodies on real threads at once and waits for all of them.
func runConcurrently(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
    let group = DispatchGroup()
    for index in 0..<count {
        group.enter()
        Thread.detachNewThread {
            body(index)
            group.leave()
        }
    }
    group.wait()
}
