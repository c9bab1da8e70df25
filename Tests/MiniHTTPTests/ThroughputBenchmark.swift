import Testing
import MiniHTTP

/// Requests per second on one keep-alive connection, printed rather than asserted (timing
/// assertions flake on shared CI machines). Run on demand, ideally in release:
///
///     MINIHTTP_BENCH=1 swift test -c release -Xswiftc -enable-testing --filter ThroughputBenchmark
@Suite struct ThroughputBenchmark {
    @Test(.enabled(if: Environment.benchmarkRequested))
    func keepAliveRequestsPerSecond() throws {
        let body = Array(#"{"status":"ok"}"#.utf8)
        try withServer(handler: { _ in HTTPResponse(json: body) }) { (_, address) throws in
            let client = HTTPClient(address: address)
            for _ in 0..<1_000 { _ = try client.get("/warm") }
            let count = 50_000
            let cpuBefore = Self.processCPUSeconds()
            let start = ContinuousClock.now
            for _ in 0..<count { _ = try client.get("/_runtime/health") }
            let elapsed = ContinuousClock.now - start
            let cpu = Self.processCPUSeconds() - cpuBefore
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            print("MiniHTTP keep-alive: \(count) requests in \(elapsed), \(Int(Double(count) / seconds)) req/s, "
                + "\(Int(cpu / Double(count) * 1e6)) µs CPU per request (client + server)")
        }
    }
}

extension ThroughputBenchmark {
    /// User plus system CPU of the whole process: steadier than wall time on a busy machine.
    static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let total = [usage.ru_utime, usage.ru_stime].map { Double($0.tv_sec) + Double($0.tv_usec) / 1e6 }
        return total[0] + total[1]
    }
}

enum Environment {
    static var benchmarkRequested: Bool {
        ProcessInfoLite.value(of: "MINIHTTP_BENCH") != nil
    }
}

/// getenv without Foundation.
enum ProcessInfoLite {
    static func value(of name: String) -> String? {
        guard let raw = getenv(name) else { return nil }
        return String(cString: raw)
    }
}

#if canImport(Glibc)
import Glibc
#endif
