import FoundationEssentials
import Glibc
import MiniHTTP
import SoakUnits

/// Waits for a started target to be ready, within the plan's bound, and learns its base URL.
package enum ReadinessWaiter {
    /// How the wait ended, when it did not fail.
    package enum Outcome: Sendable, Equatable {
        /// Ready; requests go to the base URL (nil for a target that takes none).
        case ready(baseURL: String?)
        /// A stop was requested before the target was ready.
        case interrupted
    }

    /// Waits on `clock` until `target` is ready, or throws with why it is not. A wait ends early,
    /// as ``Outcome/interrupted``, as soon as `stopRequested` holds.
    package static func wait(
        for target: some SupervisedProcess, plan: TargetLaunchPlan, clock: any RunClock,
        stopRequested: () -> Bool = { false }
    ) throws(SupervisorError) -> Outcome {
        let timeout = plan.readyTimeout
        switch plan.readiness {
        case .stdoutLine(let text):
            let failure = "no line containing \"\(text)\" on stdout within \(DurationText.format(timeout))"
            let line = try poll(target, clock, every: .milliseconds(2), timeout, stopRequested, failure) {
                target.firstLine(containing: text)
            }
            guard let line else { return .interrupted }
            // tenantd says "listening on 127.0.0.1:PORT": that is its base URL.
            if plan.baseURL == nil, let range = line.firstRange(of: "listening on ") {
                let address = line[range.upperBound...].split(separator: " ").first.map(String.init) ?? ""
                return .ready(baseURL: "http://\(address)")
            }
            return .ready(baseURL: plan.baseURL)
        case .portFile(let path):
            let failure = "no port in \(path) within \(DurationText.format(timeout))"
            let port = try poll(target, clock, every: .milliseconds(10), timeout, stopRequested, failure) {
                (try? String(contentsOfFile: path, encoding: .utf8)).flatMap {
                    Int($0.trimmingWhitespace())
                }
            }
            guard let port else { return .interrupted }
            return .ready(baseURL: plan.baseURL ?? "http://127.0.0.1:\(port)")
        case .httpURL(let url):
            // Resolved once: a name that does not resolve will not start to while the target boots.
            let endpoint: TargetEndpoint
            switch TargetEndpoint.resolve(url, role: .endpoint, timeout: .milliseconds(500)) {
            case .success(let resolved): endpoint = resolved
            case .failure(let error): throw notReady(target, "ready.httpURL: \(error)")
            }
            defer { endpoint.client.close() }
            let failure = "\(url) did not answer 2xx within \(DurationText.format(timeout))"
            let answered = try poll(target, clock, every: .milliseconds(10), timeout, stopRequested, failure) {
                () -> Bool? in
                guard let response = try? endpoint.get(), (200..<300).contains(response.status) else { return nil }
                return true
            }
            return answered == nil ? .interrupted : .ready(baseURL: plan.baseURL)
        case .delay(let delay):
            guard clock.sleep(until: clock.now + delay, unless: stopRequested) else { return .interrupted }
            if let exit = target.exit { throw SupervisorError("the target \(exit) during its start-up delay") }
            return .ready(baseURL: plan.baseURL)
        }
    }

    /// Polls `check` until it has a value (returned), the target exits or the time runs out
    /// (thrown), or a stop is requested (nil).
    private static func poll<Value>(
        _ target: some SupervisedProcess, _ clock: any RunClock, every step: Duration, _ timeout: Duration,
        _ stopRequested: () -> Bool, _ failure: String, _ check: () -> Value?
    ) throws(SupervisorError) -> Value? {
        let outcome = clock.poll(every: step, for: timeout, unless: stopRequested) { () -> ReadinessCheck<Value>? in
            if let value = check() { return .value(value) }
            return target.exit != nil ? .exited : nil
        }
        switch outcome {
        case .value(.value(let value)): return value
        case .value(.exited), .timedOut: throw notReady(target, failure)
        case .interrupted: return nil
        }
    }

    private static func notReady(_ target: some SupervisedProcess, _ reason: String) -> SupervisorError {
        if let exit = target.exit { return SupervisorError("the target \(exit) before it was ready (\(reason))") }
        return SupervisorError("the target is not ready: \(reason)")
    }
}

/// One readiness check: what it found, or that the target is gone.
private enum ReadinessCheck<Value> {
    case value(Value)
    case exited
}
