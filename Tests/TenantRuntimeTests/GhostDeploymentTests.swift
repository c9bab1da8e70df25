import Foundation
import Testing
@testable import TenantRuntime

@Suite struct GhostDeploymentTests {
    @Test func firstDeploymentWritesTheGhostFileAndLoadsReadIt() throws {
        let fixture = try TemporaryRegistry(tenants: 1, artifacts: 1)
        let clock = ManualClock()
        let host = fixture.host(clock: clock)
        let ghostPath = "\(fixture.root)/ghosts/t1/a1.service.ghost.json"
        #expect(!FileManager.default.fileExists(atPath: ghostPath))

        #expect(host.invoke(tenant: "t1", artifact: "a1.service", rest: "/").status == 200)
        let record = try JSONDecoder().decode(GhostRecord.self, from: Data(contentsOf: URL(fileURLWithPath: ghostPath)))
        #expect(record.routes == ["/", "/status"])
        #expect(record.deployedBytes == 8 * 1024)

        clock.advance(by: .seconds(3600))
        host.sweep()
        // A fresh load knows the routes from the ghost file without opening the artifact.
        let loader = host.loader
        let tenant = try loader.load(try RegistryName("t1"))
        #expect(tenant.artifact(named: "a1.service")?.ghost.routes == ["/", "/status"])
        #expect(tenant.artifact(named: "a1.service")?.state == .ghost)
    }

    @Test func tenantLoadReadsGhostFilesOnlyWhenAnArtifactIsUsed() throws {
        let fixture = try TemporaryRegistry(tenants: 1, artifacts: 3)
        let clock = ManualClock()
        let host = fixture.host(clock: clock)
        for artifact in ["a1.service", "a2.service", "a3.service"] {
            _ = host.invoke(tenant: "t1", artifact: artifact, rest: "/")
        }
        clock.advance(by: .seconds(3600))
        host.sweep()

        // Loading lists names only: a ghost file made unreadable after the load is what the
        // artifact sees on first use, and its siblings are unaffected.
        let tenant = try host.loader.load(try RegistryName("t1"))
        let ghostPath = "\(fixture.root)/ghosts/t1/a2.service.ghost.json"
        try Data("not json".utf8).write(to: URL(fileURLWithPath: ghostPath))
        #expect(tenant.artifact(named: "a2.service")?.ghost.routes == [], "read lazily, after the load")
        #expect(tenant.artifact(named: "a1.service")?.ghost.routes == ["/", "/status"])
        #expect(tenant.artifactCount == 3)
        #expect(tenant.builtArtifacts.allSatisfy { $0.state == .ghost })
    }

    @Test func changedArtifactRefreshesItsGhost() throws {
        let fixture = try TemporaryRegistry(tenants: 1, artifacts: 1)
        let clock = ManualClock()
        let host = fixture.host(clock: clock)
        _ = host.invoke(tenant: "t1", artifact: "a1.service", rest: "/")
        clock.advance(by: .seconds(3600))
        host.sweep()

        let definition = ServiceDefinition(routes: ["/", "/v2"], payloadKB: 4, reply: "version two")
        try JSONEncoder().encode(definition)
            .write(to: URL(fileURLWithPath: "\(fixture.root)/tenants/t1/artifacts/a1.service"))
        let stale = try host.loader.load(try RegistryName("t1"))
        #expect(stale.artifact(named: "a1.service")?.ghost.routes == [], "a stale ghost file is not trusted")

        let reply = host.invoke(tenant: "t1", artifact: "a1.service", rest: "/v2")
        #expect(reply.status == 200)
        #expect(reply.text.contains("version two"))
        let ghostPath = "\(fixture.root)/ghosts/t1/a1.service.ghost.json"
        let record = try JSONDecoder().decode(GhostRecord.self, from: Data(contentsOf: URL(fileURLWithPath: ghostPath)))
        #expect(record.routes == ["/", "/v2"])
    }

    @Test func noGhostDeploysEveryArtifactAtTenantLoad() throws {
        let fixture = try TemporaryRegistry(tenants: 1, artifacts: 4)
        let clock = ManualClock()
        let host = fixture.host(clock: clock) { $0.ghostDeployment = false }
        let first = host.invoke(tenant: "t1", artifact: "a1.service", rest: "/")
        #expect(first.tenantWas == .unloaded)
        #expect(first.artifactWas == .actual)
        #expect(host.stats().artifactsActual == 4)
        clock.advance(by: .seconds(59))
        #expect(host.sweep().artifactsGhosted == 0, "without ghosts, artifacts live as long as the tenant")
    }

    @Test func webappServesItsFilesFromMemory() throws {
        let fixture = try TemporaryRegistry(tenants: 1, artifacts: 1, kind: .webapp, payloadKB: 4)
        let host = fixture.host(clock: ManualClock())
        let index = host.invoke(tenant: "t1", artifact: "a1.webapp", rest: "/")
        #expect(index.status == 200)
        #expect(index.contentType == "text/html")
        #expect(index.text.contains("<h1>t1/a1.webapp</h1>"))
        // Once deployed, removing the file on disk does not change what is served.
        try FileManager.default.removeItem(atPath: "\(fixture.root)/tenants/t1/artifacts/a1.webapp/app.js")
        let script = host.invoke(tenant: "t1", artifact: "a1.webapp", rest: "/app.js")
        #expect(script.status == 200)
        #expect(script.contentType == "application/javascript")
        #expect(host.invoke(tenant: "t1", artifact: "a1.webapp", rest: "/missing.css").status == 404)
        #expect(host.liveInstances.count(of: .webappInstance) == 1)
    }

    @Test func eagerSelectionParsing() throws {
        let selection = try EagerSelection(parsing: " *, !t7 ,t3")
        #expect(selection.contains(try RegistryName("t1")))
        #expect(!selection.contains(try RegistryName("t7")))
        #expect(try EagerSelection(parsing: "t1,t2").contains(try RegistryName("t2")))
        #expect(!(try EagerSelection(parsing: "t1")).contains(try RegistryName("t2")))
        #expect(throws: RegistryNameError.self) { try EagerSelection(parsing: "*,!../x") }
    }
}
