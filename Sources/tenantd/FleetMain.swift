// `tenantd fleet`: the front process. Argument parsing, the HTTP adapter and signals only; the
// routing, scaling and node supervision are TenantFleet's.
import Glibc
import MiniHTTP
import PosixSupport
import TenantFleet
import TenantRuntime

/// Runs the fleet front until SIGTERM or SIGINT, then drains and stops every node.
func runFleet(_ arguments: [String]) -> Never {
    if arguments.contains("--help") || arguments.contains("-h") {
        print(FleetOptions.usage)
        exit(0)
    }
    let options: FleetOptions
    do { options = try FleetOptions.parse(arguments) } catch { fail("fleet: \(error)", status: 2) }
    guard Registry(root: options.registry).exists else {
        fail("\(options.registry) is not a registry (no tenants/ folder); create one with tenantd seed", status: 2)
    }
    let address: SocketAddress
    do { address = try SocketAddress(parsing: options.listen) } catch { fail("--listen: \(error)", status: 2) }

    let stopSignals = StopSignals.block()

    let clock = ScaledClock(scale: options.timeScale)
    let table = NodeTable(clock: clock, clientConfiguration: .init(timeout: .seconds(30)),
                          keepsDepartedNodes: options.injectedLeak == .departedNodes,
                          partitions: options.partitions.map { PartitionScheme(count: $0) })
    let launcher = TenantdNodeLauncher(executable: "/proc/self/exe", arguments: options.nodeCommandLine)
    let deciders = options.decisionService
        ? DeciderPair(executable: "/proc/self/exe", rule: options.rule, takeoverAfter: options.takeoverAfter) : nil
    let followers = options.fronts > 1
        ? FollowerFronts(executable: "/proc/self/exe", count: options.fronts, arguments: options.followerCommandLine)
        : nil
    let controller = FleetController(table: table, launcher: launcher, rule: options.rule, clock: clock,
                                     deciders: deciders, followers: followers) { line in
        writeLine("tenantd fleet: \(line)", to: .standardError)
    }
    let front = FleetFront(controller: controller)
    let server = HTTPServer(configuration: HTTPServerConfiguration(address: address)) { front.respond(to: $0) }

    // The server listens first (answering 503 until a node serves), so the follower fronts can
    // be told where their leader is when they start.
    let bound: SocketAddress
    do { bound = try server.start() } catch { fail("cannot listen on \(options.listen): \(error)", status: 1) }
    followers?.follow(bound)
    // One long-lived thread starts every node: the nodes' parent-death signal is tied to the
    // thread that forked them, so it must outlive them all.
    let ticker: FleetTicker
    do {
        ticker = try FleetTicker(controller: controller, initialNodes: options.startingNodes)
        try ticker.start()
    } catch {
        fail("fleet: cannot start the nodes: \(error)", status: 1)
    }
    writeLine("listening on \(bound)", to: .standardOutput)

    let received = stopSignals.wait()
    ticker.stop()
    server.shutdown(graceWall: .seconds(5))
    writeLine("tenantd fleet: stopped on signal \(received)", to: .standardError)
    exit(0)
}

/// `tenantd fleet-decider`: a decision service (primary, or a replica following one), started by
/// `tenantd fleet --decision-service`. Serves until SIGTERM or SIGINT; dies with its front.
func runDecider(_ arguments: [String]) -> Never {
    let options: DeciderOptions
    do { options = try DeciderOptions.parse(arguments) } catch { fail("fleet-decider: \(error)", status: 2) }
    let address: SocketAddress
    do { address = try SocketAddress(parsing: options.listen) } catch { fail("--listen: \(error)", status: 2) }
    let stopSignals = StopSignals.block()
    let service = DecisionService(rule: options.rule, role: options.role, takeoverAfter: options.takeoverAfter)
    let server = HTTPServer(configuration: HTTPServerConfiguration(address: address)) { service.respond(to: $0) }
    let bound: SocketAddress
    do { bound = try server.start() } catch { fail("cannot listen on \(options.listen): \(error)", status: 1) }
    if let follow = options.follow {
        let primary: SocketAddress
        do { primary = try SocketAddress(parsing: follow) } catch { fail("--follow: \(error)", status: 2) }
        // Pulls every 20 ms until it has taken over; the pull is the replica's acknowledgement.
        do {
            _ = try PlainThread.start(name: "decider-follow", joinable: false) {
                let client = HTTPClient(address: primary, configuration: .init(timeout: .milliseconds(100)))
                while service.follow({ try? client.get($0) }) == .replica { usleep(20_000) }
                writeLine("tenantd fleet-decider: took over from \(primary)", to: .standardError)
            }
        } catch {
            fail("cannot start following \(follow): \(error)", status: 1)
        }
    }
    writeLine("listening on \(bound)", to: .standardOutput)
    stopSignals.wait()
    server.shutdown(graceWall: .seconds(1))
    exit(0)
}

/// `tenantd fleet-front`: a follower front started by `tenantd fleet --fronts N`. Routes by the
/// leader's metadata and reports its load; dies with its leader.
func runFollowerFront(_ arguments: [String]) -> Never {
    let options: FollowerOptions
    do { options = try FollowerOptions.parse(arguments) } catch { fail("fleet-front: \(error)", status: 2) }
    let address: SocketAddress, leader: SocketAddress, deciders: [SocketAddress]
    do {
        address = try SocketAddress(parsing: options.listen)
        leader = try SocketAddress(parsing: options.leader)
        deciders = try options.deciders.map { try SocketAddress(parsing: $0) }
    } catch {
        fail("fleet-front: \(error)", status: 2)
    }
    let stopSignals = StopSignals.block()
    let clock = ScaledClock(scale: options.timeScale)
    let table = NodeTable(clock: clock, clientConfiguration: .init(timeout: .seconds(30)),
                          partitions: options.partitions.map { PartitionScheme(count: $0) })
    let loop = FollowerLoop(table: table, leader: leader, deciders: deciders, index: options.index, clock: clock)
    loop.step(round: 0)  // route from the first request on
    let front = FleetFront(followerTable: table, index: options.index)
    let server = HTTPServer(configuration: HTTPServerConfiguration(address: address)) { front.respond(to: $0) }
    let bound: SocketAddress
    do { bound = try server.start() } catch { fail("cannot listen on \(options.listen): \(error)", status: 1) }
    do {
        _ = try PlainThread.start(name: "front-follow", joinable: false) {
            var round = 1
            while true {
                loop.step(round: round)
                round += 1
                usleep(20_000)
            }
        }
    } catch {
        fail("cannot start following \(options.leader): \(error)", status: 1)
    }
    writeLine("listening on \(bound)", to: .standardOutput)
    stopSignals.wait()
    server.shutdown(graceWall: .seconds(1))
    exit(0)
}
