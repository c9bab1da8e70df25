import Testing
@testable import TenantRuntime

@Suite struct ArtifactIndexTests {
    @Test func keepsOnlyServableNamesSortedAndFindsExactNamesOnly() {
        let index = ArtifactIndex(entries: [
            "b2.webapp", "a10.service", "..", "notes.txt", "noext", ".service", "a1.service", "bad name.service",
        ])
        #expect(index.count == 3)
        #expect(index.all.map(\.fileName) == ["a1.service", "a10.service", "b2.webapp"])
        #expect(index.artifact(named: "a1.service") == ArtifactID(name: "a1", kind: .service))
        #expect(index.artifact(named: "b2.webapp") == ArtifactID(name: "b2", kind: .webapp))
        for absent in ["a1.servic", "a1.service2", "a1", "notes.txt", "..", "", "c.service", "A1.service"] {
            #expect(index.artifact(named: absent) == nil, "\(absent)")
        }
    }

    @Test func anEmptyFolderIndexesNothing() {
        let index = ArtifactIndex(entries: [String]())
        #expect(index.count == 0)
        #expect(index.artifact(named: "a1.service") == nil)
        #expect(index.all.isEmpty)
    }

    @Test func everyNameOfALargeTenantIsFound() {
        let names = (1...1_000).map { "a\($0).service" }
        let index = ArtifactIndex(entries: names.shuffled())
        #expect(index.count == 1_000)
        #expect(names.allSatisfy { index.artifact(named: $0) != nil })
        #expect(index.artifact(named: "a1001.service") == nil)
    }
}

@Suite struct LazyArtifactTests {
    @Test func aTenantLoadBuildsOnlyTheArtifactsRequestsTouch() throws {
        let fixture = try TemporaryRegistry(tenants: 1, artifacts: 50)
        let host = fixture.host(clock: ManualClock())
        #expect(host.invoke(tenant: "t1", artifact: "a7.service", rest: "/").status == 200)
        #expect(host.liveInstances.count(of: .tenant) == 1)
        #expect(host.liveInstances.count(of: .artifact) == 1, "only a7 was built")
        var stats = host.stats()
        #expect(stats.artifactsActual == 1)
        #expect(stats.artifactsGhost == 49, "the artifacts never built count as ghosts")

        #expect(host.invoke(tenant: "t1", artifact: "a99.service", rest: "/").status == 404)
        #expect(host.liveInstances.count(of: .artifact) == 1, "an unknown name builds nothing")
        #expect(host.invoke(tenant: "t1", artifact: "a7.service", rest: "/").artifactWas == .actual)
        #expect(host.liveInstances.count(of: .artifact) == 1, "a touched artifact is built once")
        #expect(host.invoke(tenant: "t1", artifact: "a8.service", rest: "/").artifactWas == .ghost)
        #expect(host.liveInstances.count(of: .artifact) == 2)
        stats = host.stats()
        #expect(stats.artifactsActual == 2)
        #expect(stats.artifactsGhost == 48)
    }

    @Test func racingFirstRequestsBuildOneArtifact() throws {
        let fixture = try TemporaryRegistry(tenants: 1, artifacts: 20)
        let host = fixture.host(clock: ManualClock())
        runConcurrently(8) { _ in _ = host.invoke(tenant: "t1", artifact: "a3.service", rest: "/") }
        #expect(host.liveInstances.count(of: .artifact) == 1)
        #expect(host.stats().artifactDeploysTotal == 1)
    }

    @Test func unloadingReleasesEveryBuiltArtifact() throws {
        let fixture = try TemporaryRegistry(tenants: 1, artifacts: 10)
        let clock = ManualClock()
        let host = fixture.host(clock: clock)
        for artifact in 1...4 { _ = host.invoke(tenant: "t1", artifact: "a\(artifact).service", rest: "/") }
        #expect(host.liveInstances.count(of: .artifact) == 4)
        clock.advance(by: .seconds(120))
        #expect(host.sweep().tenantsUnloaded == 1)
        #expect(host.liveInstances.count(of: .artifact) == 0)
        #expect(host.liveInstances.count(of: .serviceInstance) == 0)
    }
}
