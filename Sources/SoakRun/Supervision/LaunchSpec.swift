/// What to start as the target.
package struct LaunchSpec: Sendable {
    /// Program path, or a name looked up on PATH.
    package var executable: String
    package var arguments: [String]
    /// Extra environment over the harness's own.
    package var environment: [String: String] = [:]
    package var workingDirectory: String?
    /// Where the target's stdout and stderr go (they are also scanned for readiness).
    package var stdoutPath: String
    package var stderrPath: String
    /// Whether the target gets a session of its own (a process group either way). A target is
    /// a service, and runs as a service manager would start one: no terminal can stop or signal
    /// it, and the scheduler's autogroups treat it as a job apart from the harness's session.
    /// Off for a harness's own helpers that belong to its session.
    package var ownSession = true

    package init(executable: String, arguments: [String], stdoutPath: String, stderrPath: String) {
        self.executable = executable
        self.arguments = arguments
        self.stdoutPath = stdoutPath
        self.stderrPath = stderrPath
    }
}
