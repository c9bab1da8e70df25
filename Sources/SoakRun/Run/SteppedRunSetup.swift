import SoakProfiles
import SoakUnits

/// What a stepped run adds to a run: the connection to the target's clock, and the sentences
/// that say how the clock went.
enum SteppedRunSetup {
    /// The target's clock for a stepped run, checked to answer the protocol; nil for a scaled run.
    /// `onNotice` hears what the harness ignores in the clock's answers.
    static func timeline(
        for clock: ClockMode, plan: TargetLaunchPlan, baseURL: String?, onNotice: @escaping (String) -> Void
    ) -> Result<HTTPVirtualTimeline?, TimelineError> {
        guard clock == .stepped else { return .success(nil) }
        guard let url = plan.clockURL ?? plan.clockPath.flatMap({ path in baseURL.map { $0 + path } }) else {
            return .failure(TimelineError("a stepped run needs the target's clock URL (target.command.clockURL)"))
        }
        // An advance may unload thousands of tenants before it answers: a generous bound.
        // Only tenantd's own port (a clock path below the base URL) takes a request and an
        // advance in one exchange: a program that closes after each answer would reset the
        // connection under the pipelined advance, and the kernel may drop the request's answer
        // with it, so a command target gets the protocol one message at a time.
        return HTTPVirtualTimeline.connect(to: url, timeout: .seconds(60), pipelining: plan.clockURL == nil).map {
            $0.onNotice = onNotice
            return $0
        }
    }

    /// The one line saying how the replay will run.
    static func replayLine(clock: ClockMode, accelerate: Double) -> String {
        clock == .stepped ? "on the stepped clock (the harness advances the target's time)"
            : "at \(SampleRow.format(accelerate))x"
    }

    /// Keeps the late cycles in `run.json`; a stepped run has no scale of its own, so it records
    /// the one it achieved, for reports and diffs.
    static func record(
        _ result: ScenarioDriver.Result, clock: ClockMode, interval: Duration, replayWall: Duration,
        into manifest: inout RunManifest
    ) {
        manifest.lateCycles = result.lateCycles
        manifest.sweptLateCycles = result.sweptLateCycles
        if clock == .stepped, replayWall > .zero {
            manifest.accelerate = Double(result.cyclesCompleted) * interval.secondsValue / replayWall.secondsValue
        }
    }

    /// A note on valid cycles that were late, or nil when none were.
    static func lateNote(_ result: ScenarioDriver.Result) -> String? {
        var parts: [String] = []
        if result.lateCycles > 0 {
            parts.append("\(result.lateCycles) cycle(s) ended late (by at most "
                + "\(DecimalText.format(result.maxLateness.secondsValue * 1000, decimals: 1)) ms of wall time); "
                + "the cycles after them were pushed back so every idle period lasted a full interval")
        }
        if result.sweptLateCycles > 0 {
            parts.append("\(result.sweptLateCycles) valid cycle(s) were late but held their meaning: the request "
                + "found its artifact or tenant past its idle deadline before the target's sweep had run, and the "
                + "target expired it on arrival")
        }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }
}
