import FoundationEssentials
import SoakAnalysis
import SoakRun

/// `soak analyze FILE.csv --y COLUMN`: the leak analysis on one series of any CSV, as JSON.
enum AnalyzeCommand {
    static let usage = """
        soak analyze FILE.csv --y COLUMN [--x COLUMN] [--warmup N|P%] [--threshold PER_X[:FLOOR]] [--alpha A]
               soak analyze --prometheus URL --query PROMQL --start T --end T --step D [--warmup …] [--threshold …]
        """
    static let help = """
        usage: \(usage)

        Fits a Theil–Sen slope with its 95% interval to one column of any CSV with a header line, tests
        it for a trend (Mann–Kendall with the Hamed–Rao correction), and prints the result as JSON.
          --y COLUMN          the column to judge
          --x COLUMN          the column to use as x (default: the row number)
          --warmup N|P%       leading points to leave out: a count (250) or a share (10%); default 0
          --threshold T[:F]   a leak needs the slope's lower bound above T per x unit and the fitted
                              growth above F (default 0:0)
          --alpha A           significance level of the trend test (default 0.01)
        Rows where either column is empty are skipped; a cut-off last line is ignored.

        With --prometheus, judges every series a Prometheus range query returns instead, with the same
        statistics, on an axis of hours since --start (so --threshold is per hour):
          --prometheus URL    the server, http://HOST:PORT[/prefix] (plain HTTP; https is refused)
          --query PROMQL      the expression, e.g. 'process_resident_memory_bytes{job="fleet"}'
          --start T, --end T  Unix seconds, RFC 3339 (2026-12-03T07:00:00Z), now, or now-6h
          --step D            resolution, e.g. 15s (at most 11,000 points per series)
          --timeout D         wall time allowed for the answer (default 30s)
        It prints one JSON document with a verdict per series and its labels, and one line per series
        on stderr. The run's verdict is the worst series': any leak, else any inconclusive, else pass.
        An error answer, a result that is not a matrix, or no answer exits 2; no series, or a series
        with too few finite points (NaN and ±Inf are left out), exits 3: no data is never a pass.
        exit codes: 0 pass, 1 leak, 2 bad usage or unreadable file, 3 inconclusive
        """

    static func run(_ arguments: [String]) throws(CommandError) -> ExitCode {
        var arguments = CommandArguments(arguments, command: "analyze")
        if arguments.wantsHelp {
            Output.out(help)
            return .pass
        }
        if arguments.has("--prometheus") { return try prometheus(&arguments) }
        guard let y = try arguments.value("--y") else {
            throw CommandError("analyze: --y COLUMN is required\nusage: \(usage)")
        }
        let x = try arguments.value("--x")
        let options = try seriesOptions(&arguments)
        let path = try arguments.positionals(count: 1...1, usage: usage)[0]
        let result: SeriesAnalysis
        do {
            // Streamed: a CSV of any length is read a chunk at a time, never held whole.
            result = try SeriesStream.analyze(.file(path), y: y, x: x, options: options)
        } catch {
            throw CommandError("analyze: \(error)")
        }
        guard let data = try? RunFileJSON.encoder.encode(result) else {
            throw CommandError("analyze: could not encode the result")
        }
        Output.out(String(decoding: data, as: UTF8.self))
        switch result.verdict {
        case .pass: return .pass
        case .leak: return .leak
        case .inconclusive: return .failed
        }
    }

    /// `--warmup`, `--threshold` and `--alpha`, the options every analysis takes.
    static func seriesOptions(_ arguments: inout CommandArguments) throws(CommandError) -> SeriesAnalysis.Options {
        var options = SeriesAnalysis.Options()
        if let text = try arguments.value("--warmup") {
            guard let warmup = SeriesWarmup.parse(text) else {
                throw CommandError("analyze: --warmup: expected a point count like 250 or a share like 10%, found \"\(text)\"")
            }
            options.warmup = warmup
        }
        if let text = try arguments.value("--threshold") {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false).map { Double(String($0)) }
            guard (1...2).contains(parts.count), let perX = parts[0], perX >= 0,
                  let floor = parts.count == 2 ? parts[1] : 0, floor >= 0 else {
                throw CommandError("analyze: --threshold: expected PER_X[:FLOOR] with non-negative numbers like 0.5:100, found \"\(text)\"")
            }
            options.threshold = Threshold(perCycle: perX, floor: floor)
        }
        if let alpha = try arguments.number("--alpha", expected: "a significance level like 0.01") {
            guard alpha > 0, alpha < 0.5 else {
                throw CommandError("analyze: --alpha: expected a significance level between 0 and 0.5, found \(alpha)")
            }
            options.alpha = alpha
        }
        return options
    }
}
