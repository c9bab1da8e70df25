import Foundation

/// A request line of `events.jsonl`, read back for latency figures and charts.
public struct RequestEvent: Sendable, Equatable {
    public var cycle: Int
    public var simSeconds: Double
    public var path: String
    /// Nil when no response came.
    public var status: Int?
    public var latencyMilliseconds: Double
    public var tenantWas: String?
    public var artifactWas: String?
    /// False when the request broke the scenario's integrity.
    public var ok: Bool

    /// True when the request had to load its tenant or deploy a ghost.
    public var isCold: Bool { tenantWas == "unloaded" || artifactWas == "ghost" }
    public var succeeded: Bool { status.map { (200..<300).contains($0) } ?? false }

    /// Reads every request event of `events.jsonl`; other events and a truncated last line are
    /// skipped, so a killed run's log still reads.
    public static func read(from path: String) -> [RequestEvent] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        return parse(data)
    }

    /// Reads the request events of `events.jsonl` text.
    static func parse(lines text: String) -> [RequestEvent] { parse(Data(text.utf8)) }

    private static func parse(_ data: Data) -> [RequestEvent] {
        var events: [RequestEvent] = []
        for line in data.split(separator: UInt8(ascii: "\n")) {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                  object["type"] as? String == "request"
            else { continue }
            events.append(RequestEvent(
                cycle: object["cycle"] as? Int ?? 0,
                simSeconds: (object["sim_seconds"] as? NSNumber)?.doubleValue ?? 0,
                path: object["path"] as? String ?? "",
                status: object["status"] as? Int,
                latencyMilliseconds: (object["latency_ms"] as? NSNumber)?.doubleValue ?? 0,
                tenantWas: object["tenant_was"] as? String,
                artifactWas: object["artifact_was"] as? String,
                ok: object["ok"] as? Bool ?? true))
        }
        return events
    }
}

extension RequestSummary {
    /// Counts and cold/warm latency of `events`.
    public init(events: [RequestEvent]) {
        self.init()
        total = events.count
        failed = events.filter { !$0.succeeded }.count
        let succeeded = events.filter(\.succeeded)
        cold = LatencySummary(latencies: succeeded.filter(\.isCold).map(\.latencyMilliseconds))
        warm = LatencySummary(latencies: succeeded.filter { !$0.isCold }.map(\.latencyMilliseconds))
    }
}
