import Glibc

/// Ends a supervised process in steps (swift-subprocess's `Teardown`): SIGTERM to its group, a
/// grace period for it to exit, then SIGKILL, recording which step ended it.
package enum Teardown {
    /// How often the grace period checks whether the process has exited (no doorbell rings when a
    /// child exits, so it is polled; the step is the added latency of a prompt exit).
    static let exitPollStep: Duration = .milliseconds(5)

    /// Runs the teardown of `process` on `clock`. `hurry` cuts the grace short (a further stop
    /// request while a stop is under way): the process is killed at once.
    package static func run(
        _ process: some SupervisedProcess, grace: Duration, clock: any RunClock,
        hurry: () -> Bool = { false }
    ) -> (step: TeardownStep, exit: TargetExit?) {
        // The process is reaped only after the group's last signal: until then it keeps its pid,
        // so its group id cannot have passed to a stranger's group that the SIGKILL would hit.
        if let exit = process.exit {
            process.signalGroup(SIGKILL)  // anything it left behind in its group
            return (.alreadyExited, process.reapAfterKill() ?? exit)
        }
        process.signalGroup(SIGTERM)
        if case .value(let exit) = clock.poll(every: exitPollStep, for: grace, unless: hurry, { process.exit }) {
            process.signalGroup(SIGKILL)
            return (.sigterm, process.reapAfterKill() ?? exit)
        }
        process.signalGroup(SIGKILL)
        return (.sigkill, process.reapAfterKill())
    }
}
