import MiniHTTP
import Testing
import TenantRuntime
@testable import TenantFleet

/// The metadata a follower front adopts routes exactly as the leader's table does.
@Suite struct FleetMembershipTests {
    @Test func aFollowerAdoptingTheLeadersMetadataRoutesEveryTenantToTheSameNode() throws {
        for partitions in [nil, PartitionScheme(count: 16)] {
            let clock = ManualClock()
            let launcher = FakeLauncher()
            let leader = NodeTable(clock: clock, partitions: partitions)
            let fleet = FleetController(table: leader, launcher: launcher, rule: ScaleRule(), clock: clock,
                                        wallClock: ManualClock())
            try fleet.startInitial(4)
            launcher.node(NodeID(2))!.crash()
            launcher.node(NodeID(2))!.crash()
            fleet.tick()
            let text = leader.membership.text
            let parsed = try #require(FleetMembership(parsing: text))
            #expect(parsed == leader.membership)
            let follower = NodeTable(clock: clock, partitions: partitions)
            follower.adopt(parsed)
            for index in 1...200 {
                let tenant = "t\(index)"
                switch (leader.route(forTenant: tenant), follower.route(forTenant: tenant)) {
                case (.node(let a), .node(let b)):
                    #expect(a.node == b.node, "\(tenant)")
                    leader.release(a, reusable: false, answeredTenant: nil)
                    follower.release(b, reusable: false, answeredTenant: nil)
                case (.down(let a, _), .down(let b, _)): #expect(a == b)
                case (let a, let b): Issue.record("\(tenant): leader \(a), follower \(b)")
                }
            }
        }
    }

    @Test func malformedMetadataIsRefusedWhole() {
        #expect(FleetMembership(parsing: "node 0 0 serving 127.0.0.1:1 5 1\nbogus\n") == nil)
        #expect(FleetMembership(parsing: "node x 0 serving 127.0.0.1:1 5 1\n") == nil)
        #expect(FleetMembership(parsing: "")?.nodes.isEmpty == true)
    }
}
