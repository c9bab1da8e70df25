import FoundationEssentials

/// A request line of `events.jsonl`, read back for latency figures and charts.
package struct RequestEvent: Sendable, Equatable {
    package var cycle: Int
    package var simSeconds: Double
    package var method = "GET"
    package var path: String
    /// Nil when no response came.
    package var status: Int?
    package var latencyMilliseconds: Double
    package var tenantWas: String?
    package var artifactWas: String?
    /// False when the request broke the scenario's integrity.
    package var ok: Bool
    /// Whether a response came with a status the request expects.
    package var succeeded: Bool
    /// Why no usable response came (`connection refused ...`), as the sender said it.
    package var failure: String?
    /// Why the request broke the scenario's integrity (`status 404, expected 2xx or 3xx`).
    package var violation: String?

    /// True when the request had to load its tenant or deploy a ghost.
    package var isCold: Bool { tenantWas == "unloaded" || artifactWas == "ghost" }

    /// `POST /orders: status 404, expected 2xx or 3xx`: what went wrong, for a verdict line.
    package var failureText: String {
        "\(method) \(path): \(violation ?? failure ?? "status \(status.map(String.init) ?? "none")")"
    }

    /// Reads every request event of `events.jsonl`, holding them all; other events and unreadable
    /// lines are skipped (`EventLog` counts them).
    package static func read(from path: String) -> [RequestEvent] {
        EventLog.read(from: path, keepingRequests: true).requests
    }

    /// Reads the request events of `events.jsonl` text.
    static func parse(lines text: String) -> [RequestEvent] { EventLog.parse(Data(text.utf8)).requests }

    /// One line of `events.jsonl` as written by `RunRecorder`; every field optional, so lines of
    /// other types (and older logs) decode too.
    struct Line: Decodable {
        var type: String?
        var cycle: Int?
        var simSeconds: Double?
        var method: String?
        var path: String?
        var status: Int?
        var latencyMilliseconds: Double?
        var tenantWas: String?
        var artifactWas: String?
        var ok: Bool?
        var succeeded: Bool?
        var failure: String?
        var violation: String?

        enum CodingKeys: String, CodingKey {
            case type, cycle, method, path, status, ok, succeeded, failure, violation
            case simSeconds = "sim_seconds"
            case latencyMilliseconds = "latency_ms"
            case tenantWas = "tenant_was"
            case artifactWas = "artifact_was"
        }
    }
}

extension RequestEvent {
    /// The request event of one decoded line; nil for a lifecycle line.
    init?(_ line: Line) {
        guard line.type == "request" else { return nil }
        // Logs written before requests had expected statuses counted any 2xx as success.
        let succeeded = line.succeeded ?? line.status.map { (200..<300).contains($0) } ?? false
        self.init(
            cycle: line.cycle ?? 0, simSeconds: line.simSeconds ?? 0, method: line.method ?? "GET",
            path: line.path ?? "", status: line.status, latencyMilliseconds: line.latencyMilliseconds ?? 0,
            tenantWas: line.tenantWas, artifactWas: line.artifactWas, ok: line.ok ?? true, succeeded: succeeded,
            failure: line.failure, violation: line.violation)
    }
}

extension RequestSummary {
    /// Counts and cold/warm latency of `events`.
    package init(events: [RequestEvent]) { self = RequestDigest(events).summary }
}
