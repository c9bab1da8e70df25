import FoundationEssentials
import PosixSupport

/// A finished run folder of any length for `soak report` to judge: the synthetic samples of
/// `SyntheticSamples` (1 Hz, a trough every 180 rows), a request per cycle in events.jsonl and a
/// run.json that agrees with both, so the judge's evidence rules pass and the whole report is made.
enum SyntheticRunFolder {
    static func write(rows: Int, to path: String) throws {
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try SyntheticSamples.write(rows: rows, to: "\(path)/samples.csv")
        let cycles = (rows - 1) / 180 + 1
        var events = #"{"type":"ready","message":"target pid 1 ready"}"# + "\n"
        for cycle in 0..<cycles {
            events += #"{"type":"request","cycle":\#(cycle),"sim_seconds":\#(cycle * 180),"#
                + #""path":"/t/t1/a1.service","status":200,"latency_ms":0.5,"#
                + #""tenant_was":"loaded","artifact_was":"ghost","ok":true}"# + "\n"
        }
        let manifest = """
            {"schema":1,"profile":"synthetic","profile_description":"soak bench analysis","command_line":[],
             "soak_version":"bench","kernel":"bench","harness_pid":1,"accelerate":1,
             "scenario_kind":"service-ghost","interval_s":180,"duration_s":\(cycles * 180),
             "planned_cycles":\(cycles),"target_command":[],"started_at":"2026-01-01T00:00:00Z",
             "ended_at":"2026-01-01T00:00:00Z","status":"completed","cycles_completed":\(cycles),
             "integrity":{"cycles":\(cycles),"valid_cycles":\(cycles)},"requests":\(cycles),"failed_requests":0}
            """
        do {
            try Data(events.utf8).write(to: URL(fileURLWithPath: "\(path)/events.jsonl"))
            try Data(manifest.utf8).write(to: URL(fileURLWithPath: "\(path)/run.json"))
        } catch {
            throw BenchError("bench: cannot write the run folder \(path): \(error)")
        }
    }
}
