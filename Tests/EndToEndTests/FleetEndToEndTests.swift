import Dispatch
import Foundation
import Glibc
import MiniHTTP
import SoakRun
import Testing

/// Spawns the built `tenantd fleet` on 127.0.0.1 and drives it through its front.
@Suite(.serialized) struct FleetEndToEndTests {
    struct Fleet {
        let target: TargetProcess
        let client: HTTPClient
        let folder: String
        let address: SocketAddress

        func stats() throws -> [String: Any] {
            let response = try client.get("/_fleet/stats")
            return try JSONSerialization.jsonObject(with: Data(response.body)) as! [String: Any]
        }

        func nodePids() throws -> [Int: Int32] {
            var pids: [Int: Int32] = [:]
            for node in try stats()["nodes"] as! [[String: Any]] {
                pids[node["id"] as! Int] = Int32(node["pid"] as! Int)
            }
            return pids
        }
    }

    func launch(_ name: String, tenants: Int, _ fleetArguments: [String]) throws -> Fleet {
        let folder = BuiltBinaries.temporaryFolder(name)
        let seeded = try BuiltBinaries.run(BuiltBinaries.tenantd,
                                           ["seed", "--tenants", "\(tenants)", "--artifacts", "1", folder + "/registry"])
        #expect(seeded.status == 0, "\(seeded.stderr)")
        let target = try TargetProcess.launch(LaunchSpec(
            executable: BuiltBinaries.tenantd,
            arguments: ["fleet", "--registry", folder + "/registry"] + fleetArguments,
            stdoutPath: folder + "/out.log", stderrPath: folder + "/err.log"))
        guard let line = target.waitForLine(containing: "listening on 127.0.0.1:", timeout: .seconds(30)) else {
            // Processes spawned by the test runner inherit a blocked SIGTERM: SIGKILL them.
            _ = target.terminate(grace: .zero)
            throw FleetTestError(String(describing: try? String(contentsOfFile: folder + "/err.log", encoding: .utf8)))
        }
        let address = try SocketAddress(parsing: String(line.dropFirst("listening on ".count)))
        return Fleet(target: target, client: HTTPClient(address: address), folder: folder, address: address)
    }

    struct FleetTestError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    @Test func routesEachTenantToOneNodeAndReachesEachNodesStats() throws {
        let fleet = try launch("fleet-routing", tenants: 40, ["--nodes", "3", "--min-nodes", "3", "--max-nodes", "3"])
        defer { _ = fleet.target.terminate(grace: .zero) }
        var nodeOf: [String: String] = [:]
        for round in 0..<2 {
            for index in 1...40 {
                let response = try fleet.client.get("/t/t\(index)/a1.service")
                #expect(response.status == 200)
                let node = try #require(response.headers["X-Fleet-Node"])
                if round == 1 { #expect(nodeOf["t\(index)"] == node, "t\(index) stays on its node") }
                nodeOf["t\(index)"] = node
            }
        }
        let stats = try fleet.stats()
        #expect(stats["tenants_seen"] as? Int == 40)
        let nodes = stats["nodes"] as! [[String: Any]]
        #expect(nodes.count == 3)
        #expect(nodes.reduce(0) { $0 + ($1["tenants"] as! Int) } == 40)
        // Each node loaded only its own tenants: its runtime stats, read through the front, agree.
        for node in nodes {
            let id = node["id"] as! Int
            let response = try fleet.client.get("/_fleet/node/\(id)/_runtime/stats")
            #expect(response.status == 200)
            let runtime = try JSONSerialization.jsonObject(with: Data(response.body)) as! [String: Any]
            #expect(runtime["tenant_loads_total"] as? Int == node["tenants"] as? Int, "node \(id): \(runtime)")
        }
        #expect(try fleet.client.get("/_fleet/node/9/_runtime/stats").status == 404)
        let metrics = String(decoding: try fleet.client.get("/metrics").body, as: UTF8.self)
        #expect(metrics.contains("tenantd_fleet_nodes{phase=\"serving\"} 3"), "\(metrics)")
        #expect(metrics.contains("tenantd_fleet_tenants_seen 40"))
        #expect(metrics.contains("process_resident_memory_bytes "))
    }

    @Test func aNodeKilledWithSIGKILLIsReplacedAndLaterRequestsAreAnswered() throws {
        let fleet = try launch("fleet-kill", tenants: 20, ["--nodes", "2", "--min-nodes", "2", "--max-nodes", "2"])
        defer { _ = fleet.target.terminate(grace: .zero) }
        for index in 1...20 { #expect(try fleet.client.get("/t/t\(index)/a1.service").status == 200) }
        let before = try fleet.nodePids()
        let victim = try #require(before[1])
        kill(victim, SIGKILL)
        let killed = Date()
        var replaced: [Int: Int32] = [:]
        while Date().timeIntervalSince(killed) < 20 {
            replaced = try fleet.nodePids()
            if let pid = replaced[1], pid != victim { break }
            usleep(20_000)
        }
        #expect(replaced[1] != nil && replaced[1] != victim, "node 1 replaced: \(replaced)")
        #expect(replaced[0] == before[0], "the other node is untouched")
        #expect(kill(victim, 0) == -1, "the killed node was reaped, not left a zombie")
        for index in 1...20 { #expect(try fleet.client.get("/t/t\(index)/a1.service").status == 200) }
        let stats = try fleet.stats()
        #expect(stats["replacements_total"] as? Int == 1)
        print("fleet e2e: node 1 replaced in \(stats["last_replacement_ms"] ?? "?") ms after it was noticed")
    }

    @Test func anIdleFleetShrinksToItsMinimumAndLeavesNoOrphan() throws {
        // At 600x a 10 s simulated window lasts about 17 ms of wall time.
        let fleet = try launch("fleet-shrink", tenants: 4, [
            "--nodes", "3", "--min-nodes", "1", "--max-nodes", "3", "--time-scale", "600", "--scale-window", "10s",
        ])
        defer { _ = fleet.target.terminate(grace: .zero) }
        let pids = try fleet.nodePids()
        #expect(pids.count == 3)
        let started = Date()
        while try fleet.nodePids().count > 1, Date().timeIntervalSince(started) < 20 { usleep(20_000) }
        #expect(try fleet.nodePids().keys.sorted() == [0])
        #expect(try fleet.stats()["shrinks_total"] as? Int == 2)
        for (id, pid) in pids where id != 0 { #expect(kill(pid, 0) == -1, "node \(id) (pid \(pid)) is gone") }
        #expect(try fleet.client.get("/t/t1/a1.service").status == 200)
    }

    /// Whether `pid` is a live process (not gone, not a zombie waiting for its parent).
    static func isAlive(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return false }
        return stat[stat.index(close, offsetBy: 2)] != "Z"
    }

    /// Whether every thread of `pid` is stopped (state `T`), as SIGSTOP leaves it in the end.
    static func isStopped(_ pid: Int32) -> Bool {
        guard let threads = try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task"),
            !threads.isEmpty
        else { return false }
        return threads.allSatisfy { thread in
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/task/\(thread)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { return false }
            return stat[stat.index(close, offsetBy: 2)] == "T"
        }
    }

    @Test func aNodeKilledUnderASlowRequestAnswersIt503AndIsReplacedAndNothingOutlivesTheFront() throws {
        let fleet = try launch("fleet-kill-slow", tenants: 12, ["--nodes", "2", "--min-nodes", "2", "--max-nodes", "2"])
        var killedFront = false
        defer { if !killedFront { _ = fleet.target.terminate(grace: .zero) } }
        var nodeOf: [Int: String] = [:]
        for index in 1...12 {
            let response = try fleet.client.get("/t/t\(index)/a1.service")
            #expect(response.status == 200)
            nodeOf[Int(response.headers["X-Fleet-Node"] ?? "") ?? -1] = "t\(index)"
        }
        let tenant = try #require(nodeOf[1], "some tenant lives on node 1: \(nodeOf)")
        let before = try fleet.nodePids()
        let victim = try #require(before[1])
        var everyPid = Set(before.values)

        // A stopped node accepts the connection (the kernel's backlog) and never answers: the
        // request is in flight on it for as long as we like. The kernel stops a process's threads
        // one by one, once the thread it woke first gets a CPU; on a loaded machine the others can
        // serve meanwhile, so wait until every thread is stopped.
        kill(victim, SIGSTOP)
        let stopping = Date()
        while !Self.isStopped(victim), Date().timeIntervalSince(stopping) < 10 { usleep(1_000) }
        try #require(Self.isStopped(victim), "node 1 (pid \(victim)) stopped on SIGSTOP")
        let answer = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var slow: (status: Int, retryAfter: String?, seconds: Double)?
        let slowClient = HTTPClient(address: fleet.address)
        DispatchQueue.global().async {
            let sent = Date()
            let response = try? slowClient.get("/t/\(tenant)/a1.service")
            slow = (response?.status ?? -1, response?.headers["Retry-After"], Date().timeIntervalSince(sent))
            answer.signal()
        }
        let waiting = Date()
        var inFlight = 0
        while Date().timeIntervalSince(waiting) < 10 {
            let nodes = try fleet.stats()["nodes"] as! [[String: Any]]
            inFlight = nodes.first(where: { $0["id"] as? Int == 1 })?["in_flight"] as? Int ?? 0
            if inFlight == 1 { break }
            usleep(10_000)
        }
        try #require(inFlight == 1, "the slow request reached the stopped node 1")
        kill(victim, SIGKILL)
        let killed = Date()
        #expect(answer.wait(timeout: .now() + 10) == .success, "the held request is answered, not left hanging")
        let held = try #require(slow)
        print("fleet e2e: the request held by the killed node got \(held.status) after "
              + "\(Int(Date().timeIntervalSince(killed) * 1000)) ms, Retry-After \(held.retryAfter ?? "none")")
        #expect(held.status == 503)
        #expect(held.retryAfter != nil)
        #expect(Date().timeIntervalSince(killed) < 5)

        var replaced: [Int: Int32] = [:]
        while Date().timeIntervalSince(killed) < 20 {
            replaced = try fleet.nodePids()
            let phases = (try fleet.stats()["nodes"] as! [[String: Any]]).compactMap { $0["phase"] as? String }
            if let pid = replaced[1], pid != victim, phases.allSatisfy({ $0 == "serving" }) { break }
            usleep(20_000)
        }
        let replacement = try #require(replaced[1])
        #expect(replacement != victim)
        everyPid.formUnion(replaced.values)
        print("fleet e2e: node 1 replaced \(Int(Date().timeIntervalSince(killed) * 1000)) ms after the SIGKILL "
              + "(front: \(try fleet.stats()["last_replacement_ms"] ?? "?") ms from noticing to serving)")
        for index in 1...12 { #expect(try fleet.client.get("/t/t\(index)/a1.service").status == 200) }
        #expect(try fleet.client.get("/t/\(tenant)/a1.service").headers["X-Fleet-Node"] == "1", "its tenants came back")

        // The front dies without a word (SIGKILL: the runner's children inherit a blocked SIGTERM);
        // its nodes' parent-death signal takes them with it.
        _ = fleet.target.terminate(grace: .zero)
        killedFront = true
        let stopped = Date()
        while everyPid.contains(where: Self.isAlive), Date().timeIntervalSince(stopped) < 5 { usleep(10_000) }
        #expect(everyPid.filter(Self.isAlive).isEmpty, "no orphan node: \(everyPid.filter(Self.isAlive))")
    }
}

/// `tenantd fleet --partitions`: each node owns a share of the registry's partitions and loads
/// only their tenants; shrinking hands them over.
@Suite(.serialized) struct FleetPartitionEndToEndTests {
    @Test func nodesOwnDisjointPartitionsLoadOnlyTheirTenantsAndHandThemOverWhenTheFleetShrinks() throws {
        let fleet = try FleetEndToEndTests().launch("fleet-partitions", tenants: 40, [
            "--nodes", "3", "--min-nodes", "3", "--max-nodes", "3", "--partitions", "16",
        ])
        defer { _ = fleet.target.terminate(grace: .zero) }
        var owned: [Int: [Int]] = [:]
        for node in try fleet.stats()["nodes"] as! [[String: Any]] {
            let id = node["id"] as! Int
            let response = try fleet.client.get("/_fleet/node/\(id)/_runtime/partitions")
            #expect(response.status == 200)
            let body = try JSONSerialization.jsonObject(with: Data(response.body)) as! [String: Any]
            owned[id] = body["owned"] as? [Int]
            #expect(owned[id] == node["partitions"] as? [Int], "the node and the front agree on node \(id)")
        }
        let all = owned.values.flatMap { $0 }
        #expect(all.sorted() == Array(0..<16), "every partition owned exactly once: \(owned)")
        // Served through the front, each tenant loads on its partition's owner only.
        for index in 1...40 { #expect(try fleet.client.get("/t/t\(index)/a1.service").status == 200) }
        // Asked directly, a node refuses a tenant whose partition it does not own.
        var refused = 0
        for index in 1...40 {
            for id in owned.keys {
                let response = try fleet.client.get("/_fleet/node/\(id)/t/t\(index)/a1.service")
                if response.status == 421 { refused += 1 } else if response.status != 200 { refused = -1000 }
            }
        }
        #expect(refused == 40 * (owned.count - 1), "each tenant refused by every node but its owner")
    }

    @Test func anIdleFleetHandsEveryPartitionToTheNodeItKeeps() throws {
        let fleet = try FleetEndToEndTests().launch("fleet-partitions-shrink", tenants: 40, [
            "--nodes", "3", "--min-nodes", "1", "--max-nodes", "3", "--partitions", "16",
            "--time-scale", "600", "--scale-window", "30s",
        ])
        defer { _ = fleet.target.terminate(grace: .zero) }
        for index in 1...40 { #expect(try fleet.client.get("/t/t\(index)/a1.service").status == 200) }
        // Idle: the fleet shrinks to one node, which ends up owning every partition.
        let started = Date()
        while (try fleet.stats()["nodes"] as! [[String: Any]]).count > 1, Date().timeIntervalSince(started) < 20 {
            usleep(20_000)
        }
        let stats = try fleet.stats()
        let nodes = stats["nodes"] as! [[String: Any]]
        #expect(nodes.count == 1)
        #expect(nodes.first?["partitions"] as? [Int] == Array(0..<16))
        #expect(stats["handovers_total"] as? Int == 3, "the start and two shrinks: \(stats)")
        #expect(stats["fenced_total"] as? Int == 0)
        for index in 1...40 { #expect(try fleet.client.get("/t/t\(index)/a1.service").status == 200) }
        print("fleet e2e: partitions: 3 -> 1 nodes in \(Int(Date().timeIntervalSince(started) * 1000)) ms, "
              + "\(stats["moves_total"] ?? "?") tenant moves, \(stats["handovers_total"] ?? "?") hand-overs")
    }
}

/// `tenantd fleet --decision-service`: decisions taken by a child decision service whose replica
/// takes over when the primary is killed.
@Suite(.serialized) struct FleetDecisionEndToEndTests {
    func json(_ address: String, _ path: String) throws -> [String: Any] {
        let response = try HTTPClient(address: SocketAddress(parsing: address)).get(path)
        return try JSONSerialization.jsonObject(with: Data(response.body)) as! [String: Any]
    }

    @Test func killingThePrimaryDecisionServiceLosesNoDecisionAndTakesNoneTwice() throws {
        // At 600x a 20 s window is 33 ms of wall time: an idle fleet of 4 shrinks one node a window.
        let fleet = try FleetEndToEndTests().launch("fleet-decider", tenants: 8, [
            "--nodes", "4", "--min-nodes", "1", "--max-nodes", "4", "--time-scale", "600", "--scale-window", "20s",
            "--decision-service", "--takeover-after", "300ms",
        ])
        defer { _ = fleet.target.terminate(grace: .zero) }
        func stats() throws -> [String: Any] { try fleet.stats() }
        let deciders = try stats()["deciders"] as! [[String: Any]]
        #expect(deciders.count == 2)
        let primaryPid = Int32(deciders[0]["pid"] as! Int)
        let replicaAddress = deciders[1]["address"] as! String
        // Wait for the first decision to be applied, then kill the primary.
        let started = Date()
        while try stats()["decision_applied"] as? Int ?? 0 < 1, Date().timeIntervalSince(started) < 20 { usleep(5_000) }
        #expect(try stats()["decision_applied"] as? Int ?? 0 >= 1)
        kill(primaryPid, SIGKILL)
        let killed = Date()
        var tookOver: Double?
        while Date().timeIntervalSince(killed) < 10 {
            let replica = try json(replicaAddress, "/_decider/stats")
            if replica["role"] as? String == "primary" { tookOver = Date().timeIntervalSince(killed); break }
            usleep(5_000)
        }
        let takeover = try #require(tookOver, "the replica took over")
        // The fleet keeps shrinking on the new primary's decisions, down to its minimum.
        while try stats()["serving_nodes"] as? Int != 1, Date().timeIntervalSince(killed) < 20 { usleep(10_000) }
        let final = try stats()
        let replica = try json(replicaAddress, "/_decider/stats")
        print("fleet e2e: decision service: replica took over \(Int(takeover * 1000)) ms after the primary's SIGKILL "
              + "(its own measure: \(replica["takeover_ms"] ?? "?") ms of silence); applied "
              + "\(final["decision_applied"] ?? "?") decisions, last in term \(final["decision_term"] ?? "?"), "
              + "\(final["decision_duplicates_skipped"] ?? "?") seen again and skipped")
        #expect(takeover < 1.0, "within the 300 ms bound plus a pull and a poll")
        #expect(final["serving_nodes"] as? Int == 1)
        #expect(final["decision_applied"] as? Int == 3, "4 -> 1: three decisions, each applied once")
        #expect(final["shrinks_total"] as? Int == 3)
        #expect(final["grows_total"] as? Int == 0)
        #expect(replica["decisions"] as? Int == 3, "the new primary numbered no decision the front did not apply")
        #expect(final["decision_term"] as? Int == 2 || final["decision_applied"] as? Int == 3)
        for index in 1...8 { #expect(try fleet.client.get("/t/t\(index)/a1.service").status == 200) }
    }
}

/// `tenantd fleet --fronts 2`: a follower front routes by the leader's metadata.
@Suite(.serialized) struct FleetFrontsEndToEndTests {
    @Test func twoFrontsRouteEveryTenantToTheSameNodeAndBothReportToTheDecisionService() throws {
        let fleet = try FleetEndToEndTests().launch("fleet-fronts", tenants: 30, [
            "--nodes", "3", "--min-nodes", "3", "--max-nodes", "3", "--fronts", "2", "--decision-service",
        ])
        var killedFront = false
        defer { if !killedFront { _ = fleet.target.terminate(grace: .zero) } }
        let stats = try fleet.stats()
        let fronts = try #require(stats["fronts"] as? [[String: Any]])
        #expect(fronts.count == 2)
        let follower = HTTPClient(address: try SocketAddress(parsing: fronts[1]["address"] as! String))
        usleep(100_000)  // a few of the follower's 20 ms pulls
        for index in 1...30 {
            let viaLeader = try fleet.client.get("/t/t\(index)/a1.service")
            let viaFollower = try follower.get("/t/t\(index)/a1.service")
            #expect(viaLeader.status == 200 && viaFollower.status == 200)
            #expect(viaLeader.headers["X-Fleet-Node"] == viaFollower.headers["X-Fleet-Node"], "t\(index)")
        }
        let followerStats = try JSONSerialization.jsonObject(with: Data(try follower.get("/_fleet/stats").body))
            as! [String: Any]
        #expect(followerStats["role"] as? String == "follower")
        #expect(followerStats["forwarded_total"] as? Int == 30)
        #expect(String(decoding: try follower.get("/metrics").body, as: UTF8.self).contains("tenantd_fleet_nodes"))
        let deciders = stats["deciders"] as! [[String: Any]]
        let primary = HTTPClient(address: try SocketAddress(parsing: deciders[0]["address"] as! String))
        let decider = try JSONSerialization.jsonObject(with: Data(try primary.get("/_decider/stats").body))
            as! [String: Any]
        #expect(decider["fronts_reporting"] as? Int == 2, "\(decider)")
        #expect(String(decoding: try primary.get("/metrics").body, as: UTF8.self).contains("tenantd_decider_term 1"))

        // Everything the front started dies with it.
        var pids = Set((stats["nodes"] as! [[String: Any]]).map { Int32($0["pid"] as! Int) })
        pids.formUnion(deciders.map { Int32($0["pid"] as! Int) })
        pids.insert(Int32(fronts[1]["pid"] as! Int))
        _ = fleet.target.terminate(grace: .zero)
        killedFront = true
        let stopped = Date()
        while pids.contains(where: FleetEndToEndTests.isAlive), Date().timeIntervalSince(stopped) < 5 { usleep(10_000) }
        #expect(pids.filter(FleetEndToEndTests.isAlive).isEmpty, "no orphan among nodes, deciders and fronts")
    }
}

/// The decision service heals: after a takeover a new replica starts from the survivor's
/// snapshot, and can itself take over when the survivor is killed.
@Suite(.serialized) struct FleetDecisionHealingEndToEndTests {
    @Test func aNewReplicaFollowsTheSurvivorAndTakesOverInItsTurn() throws {
        // 600x: a 10 s window is 17 ms, a 30 s tenant idle 50 ms. Loaded tenants drive the rule.
        let fleet = try FleetEndToEndTests().launch("fleet-decider-heal", tenants: 12, [
            "--nodes", "1", "--min-nodes", "1", "--max-nodes", "3", "--scale-on", "tenants",
            "--scale-up-above", "2", "--scale-down-below", "0.5", "--scale-window", "10s", "--time-scale", "600",
            "--decision-service", "--", "--tenant-idle", "30s",
        ])
        defer { _ = fleet.target.terminate(grace: .zero) }
        func stats() throws -> [String: Any] { try fleet.stats() }
        func busyThenIdle() throws {
            let started = Date()
            while try stats()["serving_nodes"] as? Int != 3, Date().timeIntervalSince(started) < 15 {
                for index in 1...12 { _ = try fleet.client.get("/t/t\(index)/a1.service") }
            }
            #expect(try stats()["serving_nodes"] as? Int == 3)
            while try stats()["serving_nodes"] as? Int != 1, Date().timeIntervalSince(started) < 30 { usleep(20_000) }
            #expect(try stats()["serving_nodes"] as? Int == 1)
        }
        func killPrimaryAndWaitForHealing(replaced: Int, term: Int) throws {
            let primary = Int32((try stats()["deciders"] as! [[String: Any]])[0]["pid"] as! Int)
            kill(primary, SIGKILL)
            let killed = Date()
            while Date().timeIntervalSince(killed) < 10 {
                let now = try stats()
                if now["deciders_replaced"] as? Int == replaced, now["decider_term"] as? Int == term { break }
                usleep(10_000)
            }
            let now = try stats()
            print("fleet e2e: decision service killed: term \(now["decider_term"] ?? "?") and a new replica after "
                  + "\(Int(Date().timeIntervalSince(killed) * 1000)) ms")
            #expect(now["deciders_replaced"] as? Int == replaced)
        }
        try busyThenIdle()
        try killPrimaryAndWaitForHealing(replaced: 1, term: 2)
        try busyThenIdle()
        try killPrimaryAndWaitForHealing(replaced: 2, term: 3)
        try busyThenIdle()
        let final = try stats()
        let deciders = final["deciders"] as! [[String: Any]]
        let primary = try FleetDecisionEndToEndTests().json(deciders[0]["address"] as! String, "/_decider/stats")
        let applied = final["decision_applied"] as? Int ?? -1
        print("fleet e2e: healing: \(applied) decisions applied over three terms "
              + "(\(final["grows_total"] ?? "?") grows, \(final["shrinks_total"] ?? "?") shrinks); primary: \(primary)")
        #expect(final["decision_term"] as? Int == 3)
        #expect(primary["term"] as? Int == 3)
        #expect(applied == (final["grows_total"] as? Int ?? 0) + (final["shrinks_total"] as? Int ?? 0))
        #expect(primary["decisions"] as? Int == applied, "every decision numbered was applied, once")
        #expect(primary["replica_alive"] as? Bool == true)
    }
}
