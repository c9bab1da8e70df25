import Glibc
import MiniHTTP
import PosixSupport
import Testing
import TenantRuntime
@testable import TenantFleet

/// Nodes that fail under a request: the front answers 503 with Retry-After, in bounded time.
@Suite struct FleetFrontTests {
    /// A launcher whose one node is a bare loopback listener the test controls.
    struct ListenerLauncher: NodeLauncher {
        let address: SocketAddress
        func start(_ id: NodeID) throws -> any RunningNode { FakeNodeAt(address: address) }
    }

    final class FakeNodeAt: RunningNode {
        let pid: Int32 = 4242
        let address: SocketAddress
        init(address: SocketAddress) { self.address = address }
        func hasEnded() -> Bool { false }
        func stop() {}
    }

    func front(nodeAt address: SocketAddress, timeout: Duration = .seconds(5)) throws -> FleetFront {
        let clock = ManualClock()
        let table = NodeTable(clock: clock, clientConfiguration: .init(timeout: timeout))
        let controller = FleetController(table: table, launcher: ListenerLauncher(address: address),
                                         rule: ScaleRule(), clock: clock)
        try controller.startInitial(1)
        return FleetFront(controller: controller)
    }

    @Test func aNodeThatDropsTheConnectionUnderARequestGivesA503WithRetryAfter() throws {
        let listener = try ListeningSocket.bind(to: SocketAddress(parsing: "127.0.0.1:0"))
        defer { try? listener.close() }
        let fleet = try front(nodeAt: listener.localAddress)
        // The "node" takes the connection and dies with it, as a SIGKILLed process does.
        let killer = try PlainThread.start(name: "killer", joinable: true) {
            _ = try? listener.descriptor.wait(for: Int16(POLLIN), until: .now + .seconds(5))
            if let socket = try? listener.accept() { try? socket.close() }
        }
        let started = ContinuousClock.now
        let response = fleet.respond(to: HTTPRequest(target: "/t/t1/a1.service"))
        PlainThread.join(killer)
        #expect(response.status == 503)
        #expect(response.headers["Retry-After"] == "1")
        #expect(ContinuousClock.now - started < .seconds(4))
        #expect(fleet.table.counters.unavailable == 1)
        #expect(fleet.table.nodes.first?.inFlight == 0, "the failed request's lease is given back")
    }

    @Test func aNodeThatNeverAnswersGivesA503AtTheTimeoutNotAHang() throws {
        let listener = try ListeningSocket.bind(to: SocketAddress(parsing: "127.0.0.1:0"))
        defer { try? listener.close() }
        // The backlog accepts the connection; nothing ever reads or answers it.
        let fleet = try front(nodeAt: listener.localAddress, timeout: .milliseconds(300))
        let started = ContinuousClock.now
        let response = fleet.respond(to: HTTPRequest(target: "/t/t1/a1.service"))
        #expect(response.status == 503)
        #expect(response.headers["Retry-After"] != nil)
        #expect(ContinuousClock.now - started < .seconds(3))
    }

    @Test func aNodeIsLookedAtThroughTheFrontNeverChanged() throws {
        let listener = try ListeningSocket.bind(to: SocketAddress(parsing: "127.0.0.1:0"))
        defer { try? listener.close() }
        let fleet = try front(nodeAt: listener.localAddress)
        for method in ["POST", "PUT", "DELETE"] {
            let response = fleet.respond(to: HTTPRequest(method: method, target: "/_fleet/node/0/_runtime/partitions"))
            #expect(response.status == 405, "\(method)")
            #expect(response.headers["Allow"] == "GET, HEAD")
        }
        #expect(fleet.table.nodes.first?.requests == 0, "nothing reached the node")
    }

    @Test func pathsAreRoutedByTenantOrByNode() {
        #expect(FleetFront.tenant(in: "/t/acme/svc.service/x") == "acme")
        #expect(FleetFront.tenant(in: "/t/acme") == "acme")
        #expect(FleetFront.tenant(in: "/x/acme/svc") == nil)
        #expect(FleetFront.nodePath("/_fleet/node/3/_runtime/stats")! == (NodeID(3), "/_runtime/stats"))
        #expect(FleetFront.nodePath("/_fleet/node/x/_runtime/stats") == nil)
        #expect(FleetFront.nodePath("/_fleet/node/3") == nil)
    }
}
