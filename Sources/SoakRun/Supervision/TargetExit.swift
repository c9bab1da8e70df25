import Glibc

/// How the target process ended.
package enum TargetExit: Sendable, Equatable, Codable, CustomStringConvertible {
    /// It called exit with this status.
    case exited(status: Int32)
    /// A signal ended it.
    case signaled(signal: Int32)

    init(waitStatus status: Int32) {
        // The W* macros are not imported into Swift; these are their glibc definitions.
        if status & 0x7f == 0 {
            self = .exited(status: (status >> 8) & 0xff)
        } else {
            self = .signaled(signal: status & 0x7f)
        }
    }

    package var description: String {
        switch self {
        case .exited(let status): "exited with status \(status)"
        case .signaled(let signal): "killed by signal \(signal) (\(TargetExit.signalName(signal)))"
        }
    }

    static func signalName(_ signal: Int32) -> String {
        switch signal {
        case SIGTERM: "SIGTERM"
        case SIGKILL: "SIGKILL"
        case SIGINT: "SIGINT"
        case SIGSEGV: "SIGSEGV"
        case SIGABRT: "SIGABRT"
        case SIGBUS: "SIGBUS"
        case SIGILL: "SIGILL"
        case SIGTRAP: "SIGTRAP"
        case SIGHUP: "SIGHUP"
        default: "signal \(signal)"
        }
    }
}

/// Which step of the teardown ended the target (swift-subprocess style: signal, grace, next).
package enum TeardownStep: String, Sendable, Codable {
    /// The target had already exited on its own before teardown began.
    case alreadyExited = "already-exited"
    /// It exited within the grace period after SIGTERM.
    case sigterm
    /// It ignored SIGTERM for the whole grace period and was killed.
    case sigkill
}
