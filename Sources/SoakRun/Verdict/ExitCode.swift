/// `soak`'s exit codes, which CI relies on.
package enum ExitCode: Int32, Sendable {
    /// No leak, no regression, run valid.
    case pass = 0
    /// A metric leaks, or a diff found a regression.
    case leak = 1
    /// Bad usage or bad input (profile, CSV, run folder).
    case usage = 2
    /// The target crashed or never became ready, or the run was invalid (integrity under 100%)
    /// or interrupted before its end.
    case failed = 3
}
