/// `/_runtime/partitions`: how a fleet hands registry partitions to a node started with
/// `--partitions P`.
///
///     GET  /_runtime/partitions               {"partitions":P,"owned":[...]}
///     POST /_runtime/partitions?own=0,5,9     owns exactly these from now on; answers once the
///                                             tenants of partitions given up are unloaded:
///                                             {"partitions":P,"owned":[...],"released_tenants":N,"still_busy":0}
///                                             409 with still_busy > 0 when requests in flight on
///                                             them outlasted the wait (then they are not released)
///
/// A node without `--partitions` reads the whole registry and answers 404 here.
struct PartitionEndpoint {
    static let path = "/_runtime/partitions"
    /// How long a release waits for requests in flight on the partitions given up.
    static let releaseWait: Duration = .seconds(10)
    let host: TenantHost

    func respond(method: String, query: String?) -> FrontResponse {
        guard let scheme = host.configuration.partitions, let owned = host.ownedPartitions else {
            return .text(404, "this node reads the whole registry; start it with --partitions P to split it\n")
        }
        switch method {
        case "GET", "HEAD":
            return json(200, "{\"partitions\":\(scheme.count),\"owned\":\(list(owned))}")
        case "POST":
            let fields = (query ?? "").split(separator: "&").map { $0.split(separator: "=", maxSplits: 1) }
            guard let field = fields.first(where: { $0.first == "own" }) else {
                return .text(400, "expected POST \(Self.path)?own=0,5,9 (partition numbers, or nothing for none)\n")
            }
            var wanted = Set<Int>()
            for text in field.count == 2 ? field[1].split(separator: ",") : [] {
                guard let partition = Int(text), (0..<scheme.count).contains(partition) else {
                    return .text(400, "own: expected partition numbers from 0 to \(scheme.count - 1), "
                        + "found \"\(text.prefix(40))\"\n")
                }
                wanted.insert(partition)
            }
            guard let change = host.own(partitions: wanted, waitingUpTo: Self.releaseWait) else {
                return .text(404, "this node reads the whole registry\n")
            }
            return json(change.stillBusy == 0 ? 200 : 409,
                        "{\"partitions\":\(scheme.count),\"owned\":\(list(change.owned)),"
                        + "\"released_tenants\":\(change.releasedTenants),\"still_busy\":\(change.stillBusy)}")
        default:
            return .text(405, "method \(method) is not allowed on \(Self.path); use GET or POST\n",
                         headers: [("Allow", "GET, HEAD, POST")])
        }
    }

    private func list(_ numbers: [Int]) -> String { "[" + numbers.map(String.init).joined(separator: ",") + "]" }

    private func json(_ status: Int, _ text: String) -> FrontResponse {
        FrontResponse(status: status, headers: [("Content-Type", "application/json")], body: Array((text + "\n").utf8))
    }
}
