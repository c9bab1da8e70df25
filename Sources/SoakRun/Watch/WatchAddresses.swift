import SoakProfiles

/// Where a watch sends requests and reads metrics, from a profile written for `soak run`.
///
/// A profile's URLs usually hold `{port}`, a port `soak run` picks for the target it starts; a
/// watched process already listens somewhere, so `--port` fills it in, or `--base-url` replaces
/// the base URL outright. A URL still holding `{port}` is refused before anything starts.
package enum WatchAddresses {
    /// Fills in `options`' URLs from its profile; the error names the profile field and the flag
    /// that would fix it.
    package static func fill(
        _ options: inout WatchOptions, port: Int?, baseURL: String?, file: String
    ) throws(WatchError) {
        let profile = options.profile
        func filled(_ text: String?, field: String) throws(WatchError) -> String? {
            guard var text else { return nil }
            if let port { text = text.replacing("{port}", with: String(port)) }
            if text.contains("{port}") {
                throw WatchError("\(file): \(field) is \(text), whose {port} soak run fills with the port of the "
                    + "target it starts; give the watched process's port with --port N")
            }
            return text
        }
        switch profile.target {
        case .tenantd:
            options.baseURL = baseURL ?? port.map { "http://127.0.0.1:\($0)" }
            options.statsURL = options.baseURL.map { $0 + "/_runtime/stats" }
        case .command(let command):
            if command.heap == .glibc {
                throw WatchError("\(file): target.command.heap \"glibc\" needs soak to start the target with "
                    + "LD_PRELOAD, and soak watch attaches to a process already running; use soak run, or a "
                    + "profile without heap")
            }
            if let baseURL {
                options.baseURL = baseURL
            } else {
                options.baseURL = try filled(command.baseURL, field: "target.command.baseURL")
            }
            options.statsURL = try filled(command.statsURL, field: "target.command.statsURL")
            options.metricsURL = try filled(command.metricsURL, field: "target.command.metricsURL")
        }
        let sendsRequests = profile.scenario.kind != .sampleOnly && !profile.scenario.requests.isEmpty
        if sendsRequests, options.baseURL == nil {
            throw WatchError("\(file): the scenario sends requests, but there is no URL to send them to; give "
                + "--base-url http://HOST:PORT or --port N (for http://127.0.0.1:N)")
        }
    }
}
