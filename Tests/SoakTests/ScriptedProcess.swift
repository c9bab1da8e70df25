import Glibc
import Synchronization
@testable import SoakRun

/// A process that lives on a manual clock: it prints, exits and answers signals as scripted, and
/// records each signal with the time it was sent, so supervision is checked without spawning or
/// sleeping.
final class ScriptedProcess: SupervisedProcess, Sendable {
    struct State {
        var exit: TargetExit?
        var lines: [String] = []
        var signals: [(signal: Int32, at: Duration)] = []
    }

    let clock: ManualRunClock
    /// How long after SIGTERM it exits; nil: it ignores SIGTERM.
    let exitsAfterSIGTERM: Duration?
    let state = Mutex(State())

    init(clock: ManualRunClock, exitsAfterSIGTERM: Duration? = nil) {
        self.clock = clock
        self.exitsAfterSIGTERM = exitsAfterSIGTERM
    }

    var exit: TargetExit? { state.withLock { $0.exit } }
    var signals: [Int32] { state.withLock { $0.signals.map(\.signal) } }
    var signalTimes: [Duration] { state.withLock { $0.signals.map(\.at) } }

    /// Prints `line` at `time`.
    func prints(_ line: String, at time: Duration) {
        clock.at(time) { [self] in state.withLock { $0.lines.append(line) } }
    }

    /// Exits with `exit` at `time`.
    func exits(_ exit: TargetExit, at time: Duration) {
        clock.at(time) { [self] in state.withLock { if $0.exit == nil { $0.exit = exit } } }
    }

    func firstLine(containing text: String) -> String? {
        state.withLock { $0.lines.first { $0.contains(text) } }
    }

    func signalGroup(_ signal: Int32) {
        let now = clock.now
        state.withLock { $0.signals.append((signal, now)) }
        if signal == SIGKILL {
            state.withLock { if $0.exit == nil { $0.exit = .signaled(signal: SIGKILL) } }
        } else if signal == SIGTERM, let exitsAfterSIGTERM {
            exits(.signaled(signal: SIGTERM), at: now + exitsAfterSIGTERM)
        }
    }

    func reapAfterKill() -> TargetExit? { exit }
}

/// A flag a scheduled event raises, as a signal handler would.
final class StopFlag: Sendable {
    private let raised = Atomic<Int>(0)
    var isRaised: Bool { raised.load(ordering: .relaxed) > 0 }
    var count: Int { raised.load(ordering: .relaxed) }
    func raise() { raised.add(1, ordering: .relaxed) }
}
