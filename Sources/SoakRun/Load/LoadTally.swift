import Synchronization

/// The counts of the harness's own load, shared by its connection threads.
///
/// Latencies are kept in full to give exact percentiles: at the largest allowed rate an 8-day run
/// would hold too many, so past `latencyCapacity` every other one is dropped, which keeps the
/// percentiles of a steady load and bounds the memory (the harness must not grow either).
package final class LoadTally: Sendable {
    private struct State {
        var sent = 0
        var failed = 0
        var firstFailure: String?
        var latencies: [Double] = []
        var keepEvery = 1
        var seen = 0
    }

    package static let latencyCapacity = 100_000
    private let state = Mutex(State())

    package init() {}

    /// Counts one request; `failure` says why it did not succeed, nil when it did.
    package func record(latencyMilliseconds: Double, failure: String?) {
        state.withLock { state in
            state.sent += 1
            if let failure {
                state.failed += 1
                if state.firstFailure == nil { state.firstFailure = failure }
                return
            }
            state.seen += 1
            guard state.seen % state.keepEvery == 0 else { return }
            state.latencies.append(latencyMilliseconds)
            if state.latencies.count >= Self.latencyCapacity {
                state.latencies = state.latencies.enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
                state.keepEvery *= 2
            }
        }
    }

    /// The totals so far, with the latency percentiles of the successful requests.
    package func totals() -> LoadTotals {
        state.withLock { state in
            let sorted = state.latencies.sorted()
            return LoadTotals(
                sent: state.sent, failed: state.failed, firstFailure: state.firstFailure,
                latencyP50Milliseconds: Self.percentile(sorted, 0.50),
                latencyP99Milliseconds: Self.percentile(sorted, 0.99))
        }
    }

    /// The nearest-rank percentile of sorted values; nil for none.
    static func percentile(_ sorted: [Double], _ fraction: Double) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let rank = Int((fraction * Double(sorted.count)).rounded(.up))
        return sorted[min(sorted.count, max(1, rank)) - 1]
    }
}

/// What a load sent, as run.json and summary.json record it.
package struct LoadTotals: Codable, Sendable, Equatable {
    package var sent = 0
    package var failed = 0
    package var firstFailure: String?
    package var latencyP50Milliseconds: Double?
    package var latencyP99Milliseconds: Double?

    package var succeeded: Int { sent - failed }

    enum CodingKeys: String, CodingKey {
        case sent, failed
        case firstFailure = "first_failure"
        case latencyP50Milliseconds = "latency_p50_ms"
        case latencyP99Milliseconds = "latency_p99_ms"
    }
}
