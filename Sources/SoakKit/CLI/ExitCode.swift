/// `soak`'s exit codes, which CI relies on.
public enum ExitCode: Int32, Sendable {
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

/// A command that cannot run, with the exit code it ends with.
public struct CommandError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public let exitCode: ExitCode

    public init(_ description: String, exitCode: ExitCode = .usage) {
        self.description = description
        self.exitCode = exitCode
    }
}
