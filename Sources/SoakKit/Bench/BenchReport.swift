/// Everything one `soak bench` run measured: written as `bench.json` and rendered as `bench.md`.
public struct BenchReport: Codable, Sendable, Equatable {
    /// When the bench started, UTC, as in the run folder's name.
    public var started: String
    /// The command line, for reproducing the figures.
    public var commandLine: [String]
    public var soakVersion: String
    public var kernel: String
    /// Online CPU cores: every figure depends on it.
    public var cores: Int
    /// Repeats per figure.
    public var repeats: Int
    /// Whether `--quick` shortened the suites.
    public var quick: Bool
    /// One entry per suite, in the order run.
    public var suites: [BenchSuiteResult]

    /// Creates a report with no suites yet.
    public init(started: String, commandLine: [String], soakVersion: String, kernel: String, cores: Int,
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
    public var bars: [BenchBar] { suites.flatMap(\.bars) }
}

/// The outcome of one suite.
public struct BenchSuiteResult: Codable, Sendable, Equatable {
    /// The suite's name as given on the command line.
    public var name: String
    /// How the figures were measured, and anything skipped (a peer not installed).
    public var notes: [String] = []
    /// Raw figures, each with its repeats, for `bench.json`.
    public var measurements: [BenchMeasurement] = []
    /// Tables of formatted figures for `bench.md`.
    public var tables: [BenchTable] = []
    /// The quality bars this suite checks.
    public var bars: [BenchBar] = []
    /// Charts, each written as an SVG file beside `bench.md`.
    public var charts: [BenchChart] = []
    /// Wall seconds the suite took.
    public var wallSeconds: Double = 0

    /// An empty result for `name`.
    public init(name: String) { self.name = name }

    /// Records a figure and returns its statistics, so the caller can also tabulate it.
    @discardableResult
    public mutating func measure(_ name: String, unit: String, _ values: [Double]) -> RepeatStatistics {
        let statistics = RepeatStatistics(values)
        measurements.append(BenchMeasurement(name: name, unit: unit, statistics: statistics))
        return statistics
    }
}

/// One figure with its repeats.
public struct BenchMeasurement: Codable, Sendable, Equatable {
    /// What was measured, e.g. `sampling.ours.rss-cpu.cpu_us_per_sample`.
    public var name: String
    public var unit: String
    public var statistics: RepeatStatistics
}

/// A table of already formatted cells.
public struct BenchTable: Codable, Sendable, Equatable {
    public var title: String
    public var columns: [String]
    public var rows: [[String]]

    /// Creates a table; every row should have one cell per column.
    public init(title: String, columns: [String], rows: [[String]] = []) {
        self.title = title
        self.columns = columns
        self.rows = rows
    }
}

/// A quality bar from DESIGN.md and whether this run met it.
public struct BenchBar: Codable, Sendable, Equatable {
    /// The bar, as a person reads it: "1M samples analysed in under 2 s".
    public var target: String
    /// What this run measured, with its spread.
    public var measured: String
    /// true met, false missed, nil when it could not be measured here.
    public var met: Bool?
    /// Why: the comparison made, or what prevented it.
    public var reason: String

    public init(target: String, measured: String, met: Bool?, reason: String) {
        self.target = target
        self.measured = measured
        self.met = met
        self.reason = reason
    }

    /// "met", "MISSED" or "not measured".
    public var status: String {
        switch met {
        case true?: "met"
        case false?: "MISSED"
        case nil: "not measured"
        }
    }
}
