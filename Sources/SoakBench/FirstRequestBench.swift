import FoundationEssentials
import MiniHTTP

/// The seeds' graph: the first request to a cold tenant against how many artifacts it has, with
/// ghost deployment and with `--no-ghost`.
enum FirstRequestBench {
    /// `--no-ghost` deploys every artifact of every cold tenant (64 KB each): past 300 it only
    /// measures the deployer, so the curve beyond is ghost deployment's alone.
    static let largestNoGhost = 300

    static func run(_ context: BenchContext, into result: inout BenchSuiteResult) throws {
        let counts = context.quick ? [1, 10, 100] : [1, 3, 10, 30, 100, 300, 1_000]
        let tenants = max(3, context.repeats * 2)
        result.notes.append("First request: \(tenants) tenants × N services (64 KB payload each) per registry; each "
            + "tenant's first request to a1 after a tenantd restart is one sample (client-side wall time). Ghost "
            + "files are written on first deployment, so the ghost registry is warmed first (every artifact "
            + "requested once) and tenantd restarted, leaving every tenant unloaded with ghost files on disk.")
        var table = BenchTable(title: "First request to a cold tenant (ms)",
                               columns: ["artifacts", "ghost", "--no-ghost", "no-ghost / ghost"])
        var ghost: [BenchChart.Point] = [], plain: [BenchChart.Point] = []
        var ghostMedians: [Int: Double] = [:]
        for count in counts {
            let registry = try context.scratch("runtime-first-\(count)")
            try context.seed(tenants: tenants, artifacts: count, payloadKB: 64, into: registry)
            let logs = "\(context.work)/first-\(count)"
            // Warm-up: deploy every artifact once so its ghost file exists.
            let (warm, warmPort, _) = try context.startTenantd(registry: registry, [], logs: "\(logs)-warm")
            let client = try HTTPClient(host: "127.0.0.1", port: warmPort)
            for tenant in 1...tenants {
                for artifact in 1...count { _ = try? client.get("/t/t\(tenant)/a\(artifact).service") }
            }
            client.close()
            _ = warm.terminate(grace: .seconds(5))
            let withGhosts = try coldRequests(
                context, registry: registry, tenants: tenants, flags: [], logs: "\(logs)-g")
            let g = result.measure("runtime.first_request.\(count).ghost_ms", unit: "ms", withGhosts)
            var row = ["\(count)", g.text(BenchFormat.number), "–", "–"]
            if count <= largestNoGhost {
                let without = try coldRequests(
                    context, registry: registry, tenants: tenants, flags: ["--no-ghost"], logs: "\(logs)-n")
                let n = result.measure("runtime.first_request.\(count).no_ghost_ms", unit: "ms", without)
                row[2] = n.text(BenchFormat.number)
                row[3] = BenchFormat.number(n.median / g.median)
                plain.append(BenchChart.Point(x: Double(count), n))
            }
            table.rows.append(row)
            ghost.append(BenchChart.Point(x: Double(count), g))
            ghostMedians[count] = g.median
            try? FileManager.default.removeItem(atPath: registry)
        }
        result.tables.append(table)
        result.charts.append(BenchChart(
            file: "runtime-first-request.svg", title: "First request to a cold tenant against artifacts",
            xLabel: "artifacts in the tenant", yLabel: "ms", logX: true, logY: true,
            series: [BenchChart.Series(name: "ghost", points: ghost),
                     BenchChart.Series(name: "--no-ghost", points: plain)]))
        let most = counts.contains(300) ? 300 : counts.last ?? 1
        if let largest = counts.last, largest > most, let one = ghostMedians[1], let many = ghostMedians[largest] {
            result.notes.append("First request, ghost, \(largest) artifacts ÷ 1: \(BenchFormat.number(many / one))x.")
        }
        if let one = ghostMedians[1], let many = ghostMedians[most] {
            result.bars.append(BenchBar(
                target: "runtime: first request with 300 ghost artifacts within 2x of the 1-artifact time",
                measured: "\(BenchFormat.number(many)) ms at \(most) vs \(BenchFormat.number(one)) ms at 1: "
                    + "\(BenchFormat.number(many / one))x",
                met: most == 300 ? many / one <= 2 : nil,
                reason: most == 300 ? "medians over cold tenants" : "--quick stops at \(most) artifacts"))
        }
    }

    /// Restarts tenantd and times the first request to each tenant; every tenant must be found unloaded.
    private static func coldRequests(_ context: BenchContext, registry: String, tenants: Int, flags: [String],
                                     logs: String) throws -> [Double] {
        let (process, port, _) = try context.startTenantd(registry: registry, flags, logs: logs)
        defer { _ = process.terminate(grace: .seconds(5)) }
        let client = try HTTPClient(host: "127.0.0.1", port: port)
        defer { client.close() }
        _ = try client.get("/_runtime/health")  // the connection is open before the clock starts
        var times: [Double] = []
        for tenant in 1...tenants {
            let started = BenchProcess.monotonicSeconds()
            let response = try client.get("/t/t\(tenant)/a1.service")
            let elapsed = (BenchProcess.monotonicSeconds() - started) * 1000
            guard response.status == 200, response.headers["X-Tenant-Was"] == "unloaded" else {
                throw BenchError("first request to t\(tenant): status \(response.status), tenant was "
                    + "\(response.headers["X-Tenant-Was"] ?? "?"); expected 200 and unloaded")
            }
            times.append(elapsed)
        }
        return times
    }
}
