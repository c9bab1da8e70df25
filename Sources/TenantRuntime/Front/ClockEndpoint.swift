/// `/_runtime/clock`: the stepped-clock protocol as `tenantd` serves it (README, "The stepped
/// clock protocol").
///
///     GET  /_runtime/clock                    {"clock":"stepped","now_ns":N}
///     POST /_runtime/clock?advance_to_ns=N    advances, fires every deadline up to N, then
///                                             {"now_ns":N,"deadlines_fired":K,
///                                             "next_deadline_ns":D or null,..., and the
///                                             /_runtime/stats fields but open_descriptors and
///                                             threads, "clock":"stepped" among them}
///
/// The answer to the POST is the "settled" signal: it is written only after every deadline up to
/// N has been processed, so the harness's next sample or request sees the state N implies.
struct ClockEndpoint {
    static let path = "/_runtime/clock"
    let host: TenantHost

    func respond(method: String, query: String?) -> FrontResponse {
        switch method {
        case "GET", "HEAD":
            return json(200, "{\"clock\":\"\(host.clock.kind.rawValue)\",\"now_ns\":\(nanoseconds(host.clock.now))}")
        case "POST":
            return advance(query: query)
        default:
            return .text(405, "method \(method) is not allowed on \(Self.path); use GET or POST\n",
                         headers: [("Allow", "GET, HEAD, POST")])
        }
    }

    private func advance(query: String?) -> FrontResponse {
        let fields = (query ?? "").split(separator: "&").map { $0.split(separator: "=", maxSplits: 1) }
        guard let field = fields.first(where: { $0.first == "advance_to_ns" }), field.count == 2 else {
            return .text(400, "expected POST \(Self.path)?advance_to_ns=N, N the simulated time in nanoseconds\n")
        }
        guard let target = Int64(field[1]), target >= 0 else {
            return .text(400, "advance_to_ns: expected a whole number of nanoseconds from 0 to \(Int64.max), "
                + "found \"\(field[1].prefix(40))\"\n")
        }
        do {
            let report = try host.advance(to: SimulatedTime(sinceStart: .nanoseconds(target)))
            // The settled state's stats ride along (they name the clock too): the harness samples
            // right after each advance, and one round trip fewer per sample is what a stepped run,
            // a chain of round trips, spends its wall time on when the machine is busy. Not the
            // descriptor and thread counts: the harness reads those from /proc itself, and
            // listing /proc/self twice per step was a tenth of tenantd's CPU on a stepped run.
            let stats = host.stats(process: false).jsonBytes().dropFirst()
            // The next time anything is due without a request first: until then the settled
            // state stands, and the harness samples it without an advance (null: never).
            let next = report.nextDeadline.map { String(nanoseconds($0)) } ?? "null"
            return json(200, "{\"now_ns\":\(nanoseconds(report.now)),\"deadlines_fired\":\(report.deadlinesFired),"
                + "\"next_deadline_ns\":\(next),"
                + "\"artifacts_ghosted\":\(report.swept.artifactsGhosted),"
                + "\"tenants_unloaded\":\(report.swept.tenantsUnloaded),"
                + String(decoding: stats, as: UTF8.self))
        } catch {
            return .text(409, "\(error)\n")
        }
    }

    private func nanoseconds(_ time: SimulatedTime) -> Int64 { time.sinceStart.nanosecondCount }

    private func json(_ status: Int, _ body: String) -> FrontResponse {
        FrontResponse(status: status, headers: [("Content-Type", "application/json")], body: Array(body.utf8))
    }
}
