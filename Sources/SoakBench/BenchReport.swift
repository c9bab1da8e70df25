/// Everything one `soak bench` run measured: written as `bench.json` and rendered as `bench.md`.
package struct BenchReport: Codable, Sendable, Equatable {
    /// When the bench started, UTC, as in the run folder's name.
    package var started: String
    /// The command line, for reproducing the figures.
    package var commandLine: [String]
    package var soakVersion: String
    package var kernel: String
    /// Online CPU cores: every figure depends on it.
    package var cores: Int
    /// Repeats per figure.
    package var repeats: Int
    /// Whether `--quick` shortened the suites.
    package var quick: Bool
    /// One entry per suite, in the order run.
    package var suites: [BenchSuiteResult]

    /// Creates a report with no suites yet.
    package init(started: String, commandLine: [String], soakVersion: String, kernel: String, cores: Int,
                repeats: Int, quick: Bool, suites: [BenchSuiteResult] = []) {
        self.started = started
        self.commandLine = commandLine
        self.soakVersion = soakVersion
        self.kernel = kernel
        self.cores = cores
        self.repeats = repeats
        self.quick = quick
        self.suites = suites
    }

    /// Every bar of every suite, in order.
    package var bars: [BenchBar] { suites.flatMap(\.bars) }
}

/// The outcome of one suite.
package struct BenchSuiteResult: Codable, Sendable, Equatable {
    /// The suite's name as given on the command line.
    package var name: String
    /// How the figures were measured, and anything skipped (a peer not installed).
    package var notes: [String] = []
    /// Raw figures, each with its repeats, for `bench.json`.
    package var measurements: [BenchMeasurement] = []
    /// Tables of formatted figures for `bench.md`.
    package var tables: [BenchTable] = []
    /// The quality bars this suite checks.
    package var bars: [BenchBar] = []
    /// Charts, each written as an SVG file beside `bench.md`.
    package var charts: [BenchChart] = []
    /// Wall seconds the suite took.
    package var wallSeconds: Double = 0

    /// An empty result for `name`.
    package init(name: String) { self.name = name }

    /// Records a figure and returns its statistics, so the caller can also tabulate it.
    @discardableResult
    package mutating func measure(_ name: String, unit: String, _ values: [Double]) -> RepeatStatistics {
        let statistics = RepeatStatistics(values)
        measurements.append(BenchMeasurement(name: name, unit: unit, statistics: statistics))
        return statistics
    }
}

/// One figure with its repeats.
package struct BenchMeasurement: Codable, Sendable, Equatable {
    /// What was measured, e.g. `sampling.ours.rss-cpu.cpu_us_per_sample`.
    package var name: String
    package var unit: String
    package var statistics: RepeatStatistics
}

/// A table of already formatted cells.
package struct BenchTable: Codable, Sendable, Equatable {
    package var title: String
    package var columns: [String]
    package var rows: [[String]]

    /// Creates a table; every row should have one cell per column.
    package init(title: String, columns: [String], rows: [[String]] = []) {
        self.title = title
        self.columns = columns
        self.rows = rows
    }
}

/// A quality bar from DESIGN.md and whether this run met it.
package struct BenchBar: Codable, Sendable, Equatable {
    /// The bar, as a person reads it: "1M samples analysed in under 2 s".
    package var target: String
    /// What this run measured, with its spread.
    package var measured: String
    /// true met, false missed, nil when it could not be measured here.
    package var met: Bool?
    /// Why: the comparison made, or what prevented it.
    package var reason: String

    package init(target: String, measured: String, met: Bool?, reason: String) {
        self.target = target
        self.measured = measured
        self.met = met
        self.reason = reason
    }

    /// "met", "MISSED" or "not measured".
    package var status: String {
        switch met {
        case true?: "met"
        case false?: "MISSED"
        case nil: "not measured"
        }
    }
}
