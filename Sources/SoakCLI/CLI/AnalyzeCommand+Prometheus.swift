import Glibc
import SoakAnalysis
import SoakRun
import SoakUnits

extension AnalyzeCommand {
    /// `soak analyze --prometheus URL --query PROMQL --start T --end T --step D`.
    static func prometheus(_ arguments: inout CommandArguments) throws(CommandError) -> ExitCode {
        let query = try rangeQuery(&arguments, now: wallNow())
        let options = try seriesOptions(&arguments)
        let timeout = try arguments.duration("--timeout") ?? .seconds(30)
        _ = try arguments.positionals(count: 0...0, usage: usage)
        let analysis: RangeQueryAnalysis
        do {
            let result = try RangeQueryClient.fetch(query, timeout: timeout)
            analysis = try RangeQueryAnalysis.judge(result, of: query, options: options)
        } catch {
            throw CommandError("analyze: \(error.description)", exitCode: error.kind == .noData ? .failed : .usage)
        }
        guard let data = try? RunFileJSON.encoder.encode(analysis) else {
            throw CommandError("analyze: could not encode the result")
        }
        Output.out(String(decoding: data, as: UTF8.self))
        for warning in analysis.warnings { Output.err("analyze: Prometheus warns: \(warning)") }
        for entry in analysis.series {
            Output.err("\(entry.analysis.verdict.rawValue.uppercased().padding(12)) \(entry.series): \(entry.analysis.reason)")
        }
        Output.err("analyze: \(analysis.verdict.rawValue): \(analysis.reason)")
        switch analysis.verdict {
        case .pass: return .pass
        case .leak: return .leak
        case .inconclusive: return .failed
        }
    }

    /// Reads `--prometheus`, `--query`, `--start`, `--end` and `--step`, naming the flag at fault.
    static func rangeQuery(_ arguments: inout CommandArguments, now: Double) throws(CommandError) -> RangeQuery {
        func required(_ flag: String, _ what: String) throws(CommandError) -> String {
            guard let value = try arguments.value(flag) else {
                throw CommandError("analyze: \(flag) \(what) is required with --prometheus\nusage: \(usage)")
            }
            return value
        }
        func time(_ flag: String) throws(CommandError) -> Double {
            let text = try required(flag, "TIME")
            guard let seconds = RangeTime.parse(text, now: now) else {
                throw CommandError("analyze: \(flag): expected a time like \(RangeTime.examples), found \"\(text)\"")
            }
            return seconds
        }
        do {
            let server = try RangeQueryClient.server(try required("--prometheus", "URL"))
            let query = try required("--query", "PROMQL")
            let start = try time("--start")
            let end = try time("--end")
            guard let step = try arguments.duration("--step") else {
                throw CommandError("analyze: --step DURATION is required with --prometheus, like 15s\nusage: \(usage)")
            }
            return try RangeQuery(server: server, query: query, start: start, end: end, step: step.secondsValue)
        } catch let error as RangeQueryError {
            throw CommandError("analyze: \(error.description)")
        } catch let error as CommandError {
            throw error
        } catch {
            throw CommandError("analyze: \(error)")
        }
    }

    /// Unix seconds now, for `now` and `now-6h`.
    private static func wallNow() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}

extension String {
    fileprivate func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
