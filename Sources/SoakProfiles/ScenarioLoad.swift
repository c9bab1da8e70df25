import SoakAnalysis

extension Profile {
    /// `scenario.load`: traffic beside the scenario, so a soak sees the target busy as in
    /// production rather than idle between the scenario's few requests.
    ///
    /// The load is outside the scenario's integrity: its requests are counted on their own and
    /// never decide whether a cycle found what it expected. It must not break that integrity
    /// either, so the validator refuses load requests to the artifact or tenant the scenario waits
    /// to see unloaded.
    package enum Load: Sendable, Equatable {
        /// A program of the user's (`wrk`, `k6`, a script) started beside the target.
        case command(LoadCommand)
        /// Requests the harness sends itself, paced over keep-alive connections.
        case requests(LoadRequests)
    }

    /// A load generator program. It is sampled into warn-only `load_*` columns and never counted
    /// as the target, so a generator that leaks (k6 and Locust have) cannot fail the target.
    package struct LoadCommand: Sendable, Equatable {
        /// Program and arguments; `{baseURL}`, `{port}` and `{run}` are filled in.
        package var argv: [String]
        /// Extra environment, placeholders filled in as in `argv`.
        package var environment: [String: String] = [:]

        package init(argv: [String]) { self.argv = argv }
    }

    /// The harness's own load: `connections` keep-alive connections sharing `perSecond`
    /// requests per wall-clock second, cycling through `requests`.
    package struct LoadRequests: Sendable, Equatable {
        package var connections: Int = 1
        /// Requests per second of wall time, over all connections. Wall, not simulated: the load
        /// stands for users, whose rate does not speed up with the harness's clock.
        package var perSecond: Double
        package var requests: [Request]

        package init(connections: Int = 1, perSecond: Double, requests: [Request]) {
            self.connections = connections
            self.perSecond = perSecond
            self.requests = requests
        }
    }
}

/// The samples.csv columns of a load command's process: recorded and shown, never deciding.
package enum LoadColumns {
    package static let metrics: [Metric] = [
        Metric(declared: "load_rss", unit: .bytes, decides: false),
        Metric(declared: "load_threads", unit: .threads, decides: false),
    ]

    /// The columns `scenario` adds to samples.csv: some for a load command, none otherwise (the
    /// harness's own load runs in the harness, whose RSS is a column already).
    package static func metrics(of scenario: Profile.Scenario) -> [Metric] {
        if case .command = scenario.load { return metrics }
        return []
    }
}

extension Profile {
    /// Every column the profile adds to samples.csv beyond the harness's own, in file order: its
    /// target's metric sources, then a load command's.
    package var declaredColumns: [String] {
        DeclaredColumns.columns(of: target) + ProcessColumns.columns(of: target)
            + LoadColumns.metrics(of: scenario).map(\.rawValue)
    }
}
