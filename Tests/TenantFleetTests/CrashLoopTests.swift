import MiniHTTP
import Testing
import TenantRuntime
@testable import TenantFleet

/// A node that keeps dying young is restarted with bounded exponential backoff, on a manual wall
/// clock; its tenants get 503 with a `Retry-After` saying when, the other nodes' tenants are served.
@Suite struct CrashLoopTests {
    let clock = ManualClock()
    let wall = ManualClock()
    let launcher = FakeLauncher()

    func fleet() throws -> FleetController {
        var rule = ScaleRule()
        rule.minNodes = 2
        rule.maxNodes = 2
        let fleet = FleetController(table: NodeTable(clock: clock), launcher: launcher, rule: rule, clock: clock,
                                    wallClock: wall)
        try fleet.startInitial(2)
        return fleet
    }

    let nodes = [NodeID(0), NodeID(1)]
    func tenant(of node: NodeID) -> String {
        (1...).lazy.map { "t\($0)" }.first { RendezvousRouter.owner(of: $0, among: nodes) == node }!
    }
    var tenantOfNode1: String { tenant(of: NodeID(1)) }
    var tenantOfNode0: String { tenant(of: NodeID(0)) }

    @Test func backoffDoublesFromHalfASecondUpToItsBound() {
        var backoff = RestartBackoff()
        let id = NodeID(3)
        #expect(backoff.delay(afterDeathOf: id, lived: .seconds(1), wasReplacement: false) == .zero,
                "a first node dying young is not a loop yet")
        var delays: [Duration] = []
        for _ in 0..<8 { delays.append(backoff.delay(afterDeathOf: id, lived: .seconds(1), wasReplacement: true)) }
        #expect(delays == [.milliseconds(500), .seconds(1), .seconds(2), .seconds(4), .seconds(8), .seconds(16),
                           .seconds(30), .seconds(30)])
        #expect(backoff.streak(of: id) == 8)
        #expect(backoff.delay(afterDeathOf: id, lived: .seconds(10), wasReplacement: true) == .zero,
                "a replacement that stayed up the crash window ends the loop")
        #expect(backoff.looping.isEmpty)
    }

    @Test func aCrashLoopingNodeWaitsItsBackoffWhileItsTenantsGet503AndTheOthersAreServed() throws {
        let fleet = try fleet()
        let front = FleetFront(controller: fleet)
        // First death: replaced in the same tick.
        launcher.node(NodeID(1))!.crash()
        fleet.tick()
        #expect(launcher.startCount == 3)
        // The replacement dies at once: a loop. Half a second before the next start.
        launcher.node(NodeID(1))!.crash()
        fleet.tick()
        #expect(launcher.startCount == 3)
        #expect(fleet.table.nodes.first { $0.id == NodeID(1) }?.phase == .down)
        #expect(fleet.backoff.looping == [NodeID(1)])
        let refused = front.respond(to: HTTPRequest(target: "/t/\(tenantOfNode1)/a1.service"))
        #expect(refused.status == 503)
        #expect(refused.headers["Retry-After"] == "1")
        // The other node's tenants still route to it (the lease is given back unused).
        let lease = try #require(fleet.table.lease(forTenant: tenantOfNode0))
        #expect(lease.node == NodeID(0))
        fleet.table.release(lease, reusable: false, answeredTenant: nil)
        wall.advance(by: .milliseconds(499))
        fleet.tick()
        #expect(launcher.startCount == 3, "not before its backoff")
        wall.advance(by: .milliseconds(1))
        fleet.tick()
        #expect(launcher.startCount == 4)
        #expect(fleet.table.nodes.first { $0.id == NodeID(1) }?.phase == .serving)
        // Dying young again doubles the wait, and the Retry-After says so.
        for expected in [1, 2, 4, 8, 16, 30, 30] {
            launcher.node(NodeID(1))!.crash()
            fleet.tick()
            let response = front.respond(to: HTTPRequest(target: "/t/\(tenantOfNode1)/a1.service"))
            #expect(response.headers["Retry-After"] == "\(expected)")
            wall.advance(by: .seconds(expected))
            fleet.tick()
        }
        #expect(launcher.startCount == 11)
        #expect(fleet.backoff.delayedRestarts == 8)
        #expect(fleet.table.counters.moves == 0, "a crash moves no tenant")
        // Up past the crash window, then killed: an ordinary death, replaced at once.
        wall.advance(by: .seconds(11))
        launcher.node(NodeID(1))!.crash()
        fleet.tick()
        #expect(launcher.startCount == 12)
        #expect(fleet.backoff.looping.isEmpty)
        #expect(fleet.table.counters.grows == 0, "restarts are not scale decisions")
    }

    @Test func aCrashLoopingNodeIsNotGrownAroundByTheMinimum() throws {
        let fleet = try fleet()
        launcher.node(NodeID(1))!.crash()
        fleet.tick()
        launcher.node(NodeID(1))!.crash()
        for _ in 0..<5 {
            clock.advance(by: .seconds(60))
            fleet.tick()
        }
        #expect(fleet.table.counters.grows == 0)
        #expect(launcher.started.withLock { $0.map(\.0) } == [NodeID(0), NodeID(1), NodeID(1)])
    }
}
