import Testing
@testable import TenantFleet

/// The seed's Solution 6 acceptance figures, measured on the routing alone.
@Suite struct RendezvousRouterTests {
    let tenants = (1...1000).map { "t\($0)" }
    let four = (0..<4).map { NodeID($0) }
    let five = (0..<5).map { NodeID($0) }

    @Test func thousandTenantsOverFourNodesKeepTheBusiestWithinAQuarterOfTheMean() {
        let counts = RendezvousRouter.assignment(of: tenants, among: four)
        #expect(counts.values.reduce(0, +) == 1000)
        #expect(counts.count == 4)
        let busiest = counts.values.max()!
        print("rendezvous: 1000 tenants over 4 nodes: \(counts.sorted { $0.key < $1.key }.map(\.value))")
        #expect(Double(busiest) <= 1.25 * 250, "per node: \(counts.sorted { $0.key < $1.key })")
        // The quietest is bounded too: a node given almost nothing is as wrong as one given too much.
        #expect(Double(counts.values.min()!) >= 0.75 * 250, "per node: \(counts)")
    }

    @Test func growingFromFourToFiveMovesAtMostThirtyPercentAndOnlyToTheNewNode() {
        let moved = RendezvousRouter.moves(of: tenants, from: four, to: five)
        print("rendezvous: 4 -> 5 nodes moved \(moved) of 1000 tenants")
        #expect(moved <= 300, "moved \(moved) of 1000")
        #expect(moved >= 100, "a new node that takes almost nothing is not balancing: moved \(moved)")
        for tenant in tenants {
            let before = RendezvousRouter.owner(of: tenant, among: four)!
            let after = RendezvousRouter.owner(of: tenant, among: five)!
            #expect(after == before || after == NodeID(4), "\(tenant) moved \(before) → \(after)")
        }
    }

    @Test func removingANodeMovesOnlyItsOwnTenants() {
        let without2 = four.filter { $0 != NodeID(2) }
        let owned = tenants.filter { RendezvousRouter.owner(of: $0, among: four) == NodeID(2) }
        #expect(RendezvousRouter.moves(of: tenants, from: four, to: without2) == owned.count)
        // A replacement under the same id takes back exactly those tenants.
        #expect(RendezvousRouter.moves(of: tenants, from: without2, to: four) == owned.count)
    }

    @Test func theOwnerDependsOnTheSetOfNodesNotTheirOrder() {
        for tenant in tenants.prefix(50) {
            #expect(RendezvousRouter.owner(of: tenant, among: four) == RendezvousRouter.owner(of: tenant, among: four.reversed()))
        }
        #expect(RendezvousRouter.owner(of: "t1", among: []) == nil)
    }

    @Test func theHashIsStableAcrossProcesses() {
        // Fixed values: two fronts (or a restarted one) must agree, which Swift's seeded Hasher would not.
        #expect(RendezvousRouter.stableHash("") == RendezvousRouter.mix(0xCBF2_9CE4_8422_2325))
        #expect(RendezvousRouter.owner(of: "t1", among: four) == RendezvousRouter.owner(of: "t1", among: four))
        #expect(RendezvousRouter.stableHash("t1") != RendezvousRouter.stableHash("t2"))
    }
}
