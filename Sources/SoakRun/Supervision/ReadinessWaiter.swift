import FoundationEssentials
import Glibc
import MiniHTTP
import SoakUnits

/// Waits for a started target to be ready, within the plan's bound, and learns its base URL.
package enum ReadinessWaiter {
    /// Returns the base URL requests go to (nil for a target that takes none), or throws with
    /// why the target is not ready.
    package static func wait(for target: TargetProcess, plan: TargetLaunchPlan) throws(SupervisorError) -> String? {
        let timeout = plan.readyTimeout
        switch plan.readiness {
        case .stdoutLine(let text):
            guard let line = target.waitForLine(containing: text, timeout: timeout) else {
                throw notReady(target, "no line containing \"\(text)\" on stdout within \(DurationText.format(timeout))")
            }
            // tenantd says "listening on 127.0.0.1:PORT": that is its base URL.
            if plan.baseURL == nil, let range = line.firstRange(of: "listening on ") {
                let address = line[range.upperBound...].split(separator: " ").first.map(String.init) ?? ""
                return "http://\(address)"
            }
            return plan.baseURL
        case .portFile(let path):
            let port = try poll(target, timeout: timeout, "no port in \(path) within \(DurationText.format(timeout))") {
                (try? String(contentsOfFile: path, encoding: .utf8)).flatMap {
                    Int($0.trimmingWhitespace())
                }
            }
            return plan.baseURL ?? "http://127.0.0.1:\(port)"
        case .httpURL(let url):
            // Resolved once: a name that does not resolve will not start to while the target boots.
            let endpoint: TargetEndpoint
            switch TargetEndpoint.resolve(url, role: .endpoint, timeout: .milliseconds(500)) {
            case .success(let resolved): endpoint = resolved
            case .failure(let error): throw notReady(target, "ready.httpURL: \(error)")
            }
            defer { endpoint.client.close() }
            _ = try poll(target, timeout: timeout, "\(url) did not answer 2xx within \(DurationText.format(timeout))") { () -> Bool? in
                guard let response = try? endpoint.get(), (200..<300).contains(response.status) else { return nil }
                return true
            }
            return plan.baseURL
        case .delay(let delay):
            usleep(UInt32(min(delay.secondsValue, 3600) * 1_000_000))
            if let exit = target.exit { throw SupervisorError("the target \(exit) during its start-up delay") }
            return plan.baseURL
        }
    }

    private static func poll<Value>(
        _ target: TargetProcess, timeout: Duration, _ failure: String, _ check: () -> Value?
    ) throws(SupervisorError) -> Value {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let value = check() { return value }
            if target.exit != nil { break }
            usleep(10_000)
        }
        throw notReady(target, failure)
    }

    private static func notReady(_ target: TargetProcess, _ reason: String) -> SupervisorError {
        if let exit = target.exit { return SupervisorError("the target \(exit) before it was ready (\(reason))") }
        return SupervisorError("the target is not ready: \(reason)")
    }
}
