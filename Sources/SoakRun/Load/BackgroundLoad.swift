import MiniHTTP
import SoakProfiles

/// `scenario.load` in a run: made before the sampler (a load command's columns are sampled),
/// started once the target is ready, stopped when the scenario ends and before the target's
/// teardown, so the load never records the target's shutdown as its failures.
package final class BackgroundLoad {
    private let load: Profile.Load
    private let folder: RunFolder
    /// The load command's columns; nil for the harness's own load.
    package let source: LoadProcessSource?
    private var generator: LoadGenerator?
    private var process: TargetProcess?
    private var record: LoadRecord

    /// The load of `scenario`, or nil when it has none.
    package init?(_ scenario: Profile.Scenario, folder: RunFolder) {
        guard let load = scenario.load else { return nil }
        self.load = load
        self.folder = folder
        switch load {
        case .command:
            source = LoadProcessSource()
            record = LoadRecord(form: "command")
        case .requests(let requests):
            source = nil
            record = LoadRecord(form: "requests")
            record.connections = requests.connections
            record.perSecond = requests.perSecond
        }
    }

    /// The sources to sample beside the target's.
    package var sources: [any MetricSource] { source.map { [$0] } ?? [] }

    /// Starts the load against the target ready at `baseURL`; returns why it could not, or nil.
    /// A stop request (SIGINT, SIGTERM, `soak stop`) ends the harness's connections at once.
    package func start(baseURL: String?, timeout: Duration, bodyFiles: [String: [UInt8]]) -> String? {
        switch load {
        case .requests(let requests):
            generator = LoadGenerator(
                requests, baseURL: baseURL, timeout: timeout, bodyFiles: bodyFiles,
                stopRequested: { StopSignals.received != nil })
        case .command(let command):
            let port = baseURL.flatMap { try? HTTPURL.parse($0, role: .base) }.map { String($0.port) } ?? ""
            func fill(_ text: String) -> String {
                text.replacing("{baseURL}", with: baseURL ?? "").replacing("{port}", with: port)
                    .replacing("{run}", with: folder.path)
            }
            let argv = command.argv.map(fill)
            record.command = argv
            var spec = LaunchSpec(
                executable: argv[0], arguments: Array(argv.dropFirst()),
                stdoutPath: folder.path + "/load.stdout.log", stderrPath: folder.path + "/load.stderr.log")
            spec.environment = command.environment.mapValues(fill)
            do {
                let started = try TargetProcess.launch(spec)
                process = started
                record.pid = started.pid
                source?.follow(started.pid)
            } catch {
                let failure = "scenario.load.command: " + error.description
                    .replacing("the target program", with: "the load program")
                record.startFailure = failure
                return failure
            }
        }
        return nil
    }

    /// Stops the load at once and returns its record for run.json. A command gets SIGTERM, then
    /// SIGKILL after `grace`; the harness's connections finish the request in flight, if brief.
    package func stop(grace: Duration, clock: any RunClock, hurry: () -> Bool) -> LoadRecord {
        if let generator {
            record.totals = generator.stop(grace: min(grace, .seconds(1)))
        }
        if let process {
            record.endedEarly = process.exit != nil
            record.exit = process.terminate(grace: grace, clock: clock, hurry: hurry).exit
        }
        return record
    }
}
