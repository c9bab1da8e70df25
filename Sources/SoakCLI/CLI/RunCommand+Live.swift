import MiniHTTP
import SoakRun

/// The long-run parts of `soak run`: `--detach` and `--metrics-listen`.
extension RunCommand {
    /// Makes the run folder, starts the run detached in it, prints where to follow it, and returns
    /// once the detached harness owns the folder.
    static func startDetached(runArguments: [String], options: SoakRunOptions) throws(CommandError) -> ExitCode {
        guard options.runFolder == nil else {
            throw CommandError("run: --detach makes its own run folder; leave out --run-folder")
        }
        let folder: RunFolder
        do {
            folder = try RunFolder.create(under: options.outputParent, profile: options.profile.name)
        } catch {
            throw CommandError("run: \(error is RunFolderError ? "--out " : "")\(error)")
        }
        let started: DetachedLaunch.Started
        do {
            started = try DetachedLaunch.start(runArguments: runArguments, folder: folder)
        } catch {
            throw CommandError("run: \(error.description)", exitCode: .failed)
        }
        var lines = [
            "run folder: \(folder.path)",
            "harness pid: \(started.pid) (detached; its output goes to \(folder.path)/soak.log)",
        ]
        if let address = started.metricsAddress { lines.append("metrics: http://\(address)/metrics") }
        lines.append("follow it with: soak status \(folder.path)")
        lines.append("end it with:    soak stop \(folder.path)")
        Output.out(lines.joined(separator: "\n"))
        return .pass
    }

    /// Starts `/metrics` for the run and says where (on stderr, which is `soak.log` when detached).
    static func serveMetrics(at address: SocketAddress, monitor: RunMonitor) throws(CommandError) -> MetricsEndpoint {
        let endpoint = try CommandError.mapping { () throws(MetricsEndpointError) in
            try MetricsEndpoint.start(at: address, monitor: monitor)
        }
        monitor.setMetricsAddress(endpoint.address.description)
        Output.err("metrics: http://\(endpoint.address)/metrics")
        return endpoint
    }
}
