import Glibc
import SoakBench
import SoakRun
import SoakUnits

/// `soak bench [SUITE...]`: the performance figures behind DESIGN.md's quality bars.
enum BenchCommand {
    static let usage = "soak bench [SUITE...] [--out DIR] [--repeats N] [--quick]"
    static let help = """
        usage: \(usage)

        Measures the harness and the runtime and writes bench.md, bench.json and SVG charts into
        DIR/bench-<UTC>/. Every figure is a median over repeats with its spread, compared within the run.
          SUITE          any of \(BenchSuiteName.allCases.map(\.rawValue).joined(separator: ", ")) (default: all)
          --out DIR      where the bench folder goes (default reports)
          --repeats N    repeats per figure (default 3; 1 with --quick)
          --quick        shorter runs and fewer sizes, to check the bench itself; not for the bars
        Build with `swift build -c release --static-swift-stdlib` (or run ci/bench.sh) for real figures.
        exit codes: 0 every bar measured was met, 1 a bar was missed, 2 bad usage, 3 a suite failed
        """

    static func run(_ arguments: [String]) throws(CommandError) -> ExitCode {
        // Hidden modes: the bench measures some things in a child process of its own.
        if arguments.first == "--sample-child" { return try sampleChild(Array(arguments.dropFirst())) }
        if arguments.first == "--analysis-child" { return try analysisChild(Array(arguments.dropFirst())) }
        if arguments.first == "--report-child" { return try reportChild(Array(arguments.dropFirst())) }
        var parsed = CommandArguments(arguments, command: "bench")
        if parsed.wantsHelp {
            Output.out(help)
            return .pass
        }
        let out = try parsed.value("--out") ?? "reports"
        let repeats = try parsed.number("--repeats", expected: "a whole number of repeats like 3").map {
            (value) throws(CommandError) -> Int in
            guard value == value.rounded() else {
                throw CommandError("bench: --repeats: expected a whole number of repeats like 3, found \(value)")
            }
            switch StatedLimit<Int>.count(1...1_000).wholeNumber(value) {
            case .success(let count): return count
            case .failure(let refusal):
                let shown = DecimalText.format(value, significant: 6)
                throw CommandError("bench: --repeats: \(refusal.message(found: shown))")
            }
        }
        let quick = parsed.flag("--quick")
        // Hidden: small analysis sizes for the end-to-end smoke test.
        let sizes = try parsed.value("--analysis-sizes").map { text throws(CommandError) -> [Int] in
            let sizes = text.split(separator: ",").compactMap { Int($0) }.filter { $0 > 0 }
            guard !sizes.isEmpty else { throw CommandError("bench: --analysis-sizes: expected counts like 1000,5000") }
            return sizes
        }
        // Hidden: one part of the runtime suite, to iterate on it without the 10k-tenant start-up.
        let parts = try parsed.value("--runtime-parts").map { text throws(CommandError) -> [RuntimeBenchPart] in
            let parts = text.split(separator: ",").compactMap { RuntimeBenchPart(rawValue: String($0)) }
            guard !parts.isEmpty else {
                throw CommandError("bench: --runtime-parts: expected parts like first-request,http, from "
                    + RuntimeBenchPart.allCases.map(\.rawValue).joined(separator: ", "))
            }
            return parts
        }
        let names = try parsed.positionals(count: 0...BenchSuiteName.allCases.count * 2, usage: usage)
        do {
            try RunFolder.prepareParent(out, probing: true)
        } catch {
            throw CommandError("bench: --out \(error)")
        }
        var options = BenchOptions(suites: try CommandError.mapping { () throws(BenchError) in try BenchSuiteName.parse(names) })
        options.outputParent = out
        options.repeats = repeats
        options.quick = quick
        options.analysisSizes = sizes
        options.runtimeParts = parts
        options.commandLine = ["bench"] + arguments
        let report: BenchReport
        let folder: String
        do {
            (report, folder) = try BenchRunner.run(options) { Output.err($0) }
        } catch {
            throw CommandError("bench: \(error)", exitCode: .failed)
        }
        Output.out("bench: \(folder)/bench.md")
        if report.suites.contains(where: { $0.notes.contains { $0.hasPrefix("FAILED") } }) { return .failed }
        return report.bars.contains { $0.met == false } ? .leak : .pass
    }

    private static func sampleChild(_ arguments: [String]) throws(CommandError) -> ExitCode {
        guard arguments.count == 5, let pid = Int32(arguments[0]), let interval = Double(arguments[1]),
              let seconds = Double(arguments[2]), let mode = SamplingMode(rawValue: arguments[3]) else {
            throw CommandError("bench --sample-child PID INTERVAL_S SECONDS MODE LOG")
        }
        let status = SamplingChild.run(pid: pid, interval: interval, seconds: seconds, mode: mode, log: arguments[4])
        return status == 0 ? .pass : .failed
    }

    private static func analysisChild(_ arguments: [String]) throws(CommandError) -> ExitCode {
        guard arguments.count == 1 else { throw CommandError("bench --analysis-child FILE.csv") }
        do {
            Output.out(try AnalysisChild.run(file: arguments[0]))
        } catch {
            throw CommandError("bench: \(error)", exitCode: .failed)
        }
        return .pass
    }

    /// `soak report DIR` itself, then its time and peak RSS on the last line.
    private static func reportChild(_ arguments: [String]) throws(CommandError) -> ExitCode {
        guard arguments.count == 1 else { throw CommandError("bench --report-child DIR") }
        let started = ReportChild.now()
        let code = try ReportCommand.run(arguments)
        Output.out(ReportChild.figures(started: started))
        return code
    }
}
