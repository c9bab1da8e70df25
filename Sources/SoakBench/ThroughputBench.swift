import Glibc
import MiniHTTP
import Synchronization

/// Warm request throughput against tenantd: one keep-alive connection, then several at once.
enum ThroughputBench {
    static func run(_ context: BenchContext, into result: inout BenchSuiteResult) throws {
        let requests = context.quick ? 2_000 : 20_000
        let registry = try context.scratch("runtime-throughput")
        try context.seed(tenants: 1, artifacts: 1, payloadKB: 64, into: registry)
        let (process, port, _) = try context.startTenantd(registry: registry, [], logs: "\(context.work)/throughput")
        defer { _ = process.terminate(grace: .seconds(5)) }
        _ = try HTTPClient.get(url: "http://127.0.0.1:\(port)/t/t1/a1.service")  // deploy before timing
        result.notes.append("Throughput: \(requests) GETs of a warm service per repeat over MiniHTTP's HTTPClient, "
            + "keep-alive; the client runs in this process on the same 2 cores as tenantd.")
        var table = BenchTable(title: "Warm requests per second", columns: ["connections", "req/s"])
        for connections in [1, 4] {
            var rates: [Double] = []
            for _ in 0..<context.repeats {
                rates.append(try measure(port: port, connections: connections, requests: requests))
            }
            let rate = result.measure("runtime.throughput.\(connections)_connections.req_per_s", unit: "req/s", rates)
            table.rows.append(["\(connections)", rate.text(BenchFormat.number)])
        }
        result.tables.append(table)
    }

    /// Requests split over `connections` threads, each with its own client; total requests per second.
    private static func measure(port: UInt16, connections: Int, requests: Int) throws -> Double {
        let failures = FailureCount()
        let started = BenchProcess.monotonicSeconds()
        var threads: [pthread_t] = []
        for index in 0..<connections {
            // A thread per connection: a pool would cap the connections at the cores.
            threads.append(try PlainThread.start(name: "bench-client-\(index)", joinable: true) {
                guard let client = try? HTTPClient(host: "127.0.0.1", port: port) else { return failures.add() }
                for _ in 0..<(requests / connections) {
                    guard let response = try? client.get("/t/t1/a1.service"), response.status == 200 else {
                        return failures.add()
                    }
                }
                client.close()
            })
        }
        for thread in threads { PlainThread.join(thread) }
        let seconds = BenchProcess.monotonicSeconds() - started
        guard failures.count == 0 else { throw BenchError("throughput: \(failures.count) connection(s) failed") }
        return Double(requests / connections * connections) / seconds
    }
}

/// Failures counted from several threads.
private final class FailureCount: Sendable {
    private let value = Mutex(0)
    func add() { value.withLock { $0 += 1 } }
    var count: Int { value.withLock { $0 } }
}
