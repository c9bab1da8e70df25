import Foundation
import Testing
@testable import SoakAnalysis
@testable import SoakProfiles
@testable import SoakRun

/// A fleet target from the profile's side: its per-process columns and thresholds, its launch,
/// node slots as processes come and go, the rising and falling active set, and the fleet's
/// integrity rules. No process is started here.
@Suite struct FleetSoakTests {
    static var fleetDraft: ProfileDraft {
        var draft = ProfileDraft.manyTenants
        draft.set("target.tenantd.fleet", json: #"{"minNodes": 1, "maxNodes": 3, "scaleOn": "tenants", "scaleUpAbove": 25, "scaleDownBelow": 8, "scaleWindow": "2m", "injectLeak": "departed-nodes"}"#)
        return draft
    }

    @Test func aFleetTargetDeclaresAColumnSetPerProcess() throws {
        let profile = try ProfileDecoding.load(Self.fleetDraft.json)
        let metrics = ProcessColumns.metrics(of: profile.target)
        #expect(metrics.map(\.rawValue).prefix(5) == ["front_rss", "front_rss_anon", "front_fds", "front_threads", "node0_rss"])
        #expect(metrics.count == 4 * 4)
        // Slot 0 is the node a fleet never shrinks below: it decides; the slots above only warn.
        #expect(metrics.first { $0.rawValue == "node0_rss_anon" }?.decidesVerdict == true)
        #expect(metrics.first { $0.rawValue == "node1_rss_anon" }?.decidesVerdict == false)
        #expect(profile.declaredColumns.suffix(3) == ["node0_pid", "node1_pid", "node2_pid"])
        #expect(profile.metrics.contains(Metric(declared: "front_rss_anon", unit: .bytes, decides: true)))
        // A per-process metric takes its tree metric's threshold unless named itself.
        #expect(profile.threshold(for: metrics[1]) == profile.threshold(for: .rssAnon))
        #expect(profile.threshold(for: metrics[2]) == profile.threshold(for: .fds))
    }

    @Test func aPerProcessThresholdCanBeNamed() throws {
        var draft = Self.fleetDraft
        draft.set("thresholds", json: #"{"front_rss_anon": {"perCycle": "1KiB", "floor": "2MiB"}}"#)
        let profile = try ProfileDecoding.load(draft.json)
        let front = Metric(declared: "front_rss_anon", unit: .bytes, decides: true)
        #expect(profile.threshold(for: front) == Threshold(perCycle: 1024, floor: Double(2 << 20)))
    }

    @Test func theFleetLaunchesAsAFrontWithNodeFlagsAfterTheDashes() throws {
        let profile = try ProfileDecoding.load(Self.fleetDraft.json)
        let plan = try TargetLaunchPlan.make(
            for: profile.target, folder: RunFolder(path: "/tmp/soak-fleet-plan"), accelerate: 1800,
            tenantdPath: "tenantd")
        let arguments = plan.launch.arguments
        #expect(arguments.first == "fleet")
        let split = try #require(arguments.firstIndex(of: "--"))
        let front = Array(arguments[..<split])
        #expect(front.contains("--scale-on") && front.contains("tenants"))
        #expect(front.contains("--inject-leak") && front.contains("departed-nodes"))
        #expect(front.contains("--time-scale"))
        #expect(Array(arguments[(split + 1)...]).contains("--tenant-idle"))
        #expect(plan.statsPath == nil)
    }

    @Test func fleetSettingsAreValidated() {
        let draft = Self.fleetDraft
        #expect(ProfileTesting.errors(draft, "target.tenantd.fleet.maxNodes", json: "0").first?
            .contains("target.tenantd.fleet.maxNodes") == true)
        #expect(ProfileTesting.errors(draft, "target.tenantd.fleet.minNodes", json: "5").first?
            .contains("expected at least minNodes (5), found 3") == true)
        #expect(ProfileTesting.errors(draft, "target.tenantd.fleet.scaleOn", json: #""cpu""#).first?
            .contains("in-flight or tenants") == true)
        #expect(ProfileTesting.errors(draft, "target.tenantd.fleet.injectLeak", json: #""fd""#).first?
            .contains("departed-nodes or null") == true)
        #expect(ProfileTesting.errors(draft, "target.tenantd.fleet.scaleDownBelow", json: "30").first?
            .contains("scaleDownBelow < scaleUpAbove") == true)
        // Left out, the threshold is the front's default for the measure (40 loaded tenants),
        // which is above this profile's scaleUpAbove of 25: refused here, not by the front later.
        #expect(ProfileTesting.errors(draft, "target.tenantd.fleet.scaleDownBelow", json: nil).first?
            .contains("found 40.0 (the front's default) and 25.0") == true)
        // The front's own flags come from these fields; given again they would fight them.
        #expect(ProfileTesting.errors(draft, "target.tenantd.fleet.extraArguments", json: #"["--", "--x"]"#).first?
            .contains("extraArguments[0]: expected flags the harness does not set itself; -- is set by the harness") == true)
        #expect(ProfileTesting.errors(draft, "target.tenantd.fleet.extraArguments", json: #"["--max-nodes=9"]"#).first?
            .contains("--max-nodes is set by target.tenantd.fleet.maxNodes") == true)
        #expect(ProfileTesting.errors(draft, "target.tenantd.fleet.colour", json: "1").first?
            .contains("colour") == true)
        #expect(ProfileTesting.errors(draft, "clock", json: #""stepped""#).contains { $0.contains("fleet target") })
    }

    @Test func theActiveSetRisesAndFallsEveryPeakPeriod() throws {
        var draft = ProfileDraft.manyTenants
        draft.set("scenario.churn.peakTenants", json: "60")
        draft.set("scenario.churn.peakEvery", json: #""1h""#)
        let profile = try ProfileDecoding.load(draft.json)
        let plan = ScenarioPlan(scenario: profile.scenario)
        // 3m cycles: cycles 0-9 fall in the first half hour (peak), 10-19 in the second.
        #expect(plan.requests(forCycle: 0).count == 60)
        #expect(plan.requests(forCycle: 9).count == 60)
        #expect(plan.requests(forCycle: 10).count == 20)
        #expect(plan.requests(forCycle: 20).count == 60)
        // The low set is part of the peak set of the same hour: only the extra tenants go idle.
        #expect(Set(plan.paths(forCycle: 10).map { $0.split(separator: "/")[1] })
            .isSubset(of: Set(plan.paths(forCycle: 9).map { $0.split(separator: "/")[1] })))
    }

    @Test func aPeakIsValidatedAsAPair() {
        let draft = ProfileDraft.manyTenants
        #expect(ProfileTesting.errors(draft, "scenario.churn.peakTenants", json: "60").first?
            .contains("peakTenants and peakEvery go together") == true)
        var both = draft
        both.set("scenario.churn.peakEvery", json: #""1h""#)
        #expect(ProfileTesting.errors(both, "scenario.churn.peakTenants", json: "10").first?
            .contains("from activeTenants (20) to tenants (300)") == true)
        both.set("scenario.churn.peakTenants", json: "60")
        #expect(ProfileTesting.errors(both, "scenario.churn.peakEvery", json: #""5m""#).first?
            .contains("at least two scenario intervals") == true)
    }

    @Test func slotsGoToTheLowestFreeNumberAndFreeWhenTheirProcessEnds() {
        var slots = ProcessSlots(count: 3)
        slots.assign(children: [100, 101])
        #expect(slots.occupants == [100, 101, nil])
        slots.assign(children: [101])  // 100 drained and gone
        #expect(slots.occupants == [nil, 101, nil])
        slots.assign(children: [101, 102, 103])
        #expect(slots.occupants == [102, 101, 103])
        slots.assign(children: [101, 102, 103, 104])
        #expect(slots.unslotted == 1)
        #expect(slots.slot(of: 104) == nil)
        #expect(slots.slot(of: 103) == 2)
    }

    @Test func figuresSumOnlyWhenEveryProcessWasRead() {
        let full = ProcessFigures(rss: 10, rssAnon: 4, fds: 3, threads: 2)
        let partial = ProcessFigures(rss: 5, rssAnon: nil, fds: 1, threads: 1)
        #expect(full.adding(partial) == ProcessFigures(rss: 15, rssAnon: nil, fds: 4, threads: 3))
    }

    static func stats(_ tenants: [Int], pids: [Int32]? = nil, phases: [String]? = nil) -> [UInt8] {
        let nodes = tenants.enumerated().map { index, count in
            #"{"id":\#(index),"pid":\#(pids?[index] ?? Int32(1000 + index)),"phase":"\#(phases?[index] ?? "serving")","tenants":\#(count)}"#
        }
        return Array(#"{"nodes":[\#(nodes.joined(separator: ","))],"tenants_seen":\#(tenants.reduce(0, +)),"grows_total":7,"shrinks_total":5}"#.utf8)
    }

    @Test func tenantsPerNodeStayWithinAQuarterOfTheMean() {
        var even = FleetCheck()
        even.examine(stats: Self.stats([250, 240, 260, 250]), children: [1000, 1001, 1002, 1003])
        #expect(even.problems.isEmpty)
        #expect(even.busiestNodeTenants == 260 && even.busiestBound == 312.5 && even.balanceChecked)
        #expect(even.grows == 7 && even.shrinks == 5)
        var skewed = FleetCheck()
        skewed.examine(stats: Self.stats([400, 200, 200, 200]), children: [1000, 1001, 1002, 1003])
        #expect(skewed.problems == ["node 0 holds 400 of 1000 tenants over 4 serving nodes, more than the bound "
            + "1.25 × tenants ÷ nodes = 312"])
        // A draining node's tenants are not counted against the serving ones.
        var draining = FleetCheck()
        draining.examine(stats: Self.stats([150, 150, 3], phases: ["serving", "serving", "draining"]),
                         children: [1000, 1001, 1002])
        #expect(draining.problems.isEmpty && draining.servingNodes == 2)
        // 18 of 28 tenants on one of 2 nodes breaks 25%, but so would a perfect hash that often:
        // recorded, not judged.
        var few = FleetCheck()
        few.examine(stats: Self.stats([18, 10]), children: [1000, 1001])
        #expect(few.problems.isEmpty && !few.balanceChecked && few.busiestNodeTenants == 18)
    }

    @Test func aNodeProcessTheFrontNoLongerListsIsLeftBehind() {
        var check = FleetCheck()
        check.examine(stats: Self.stats([10, 10]), children: [1000, 1001, 4242])
        #expect(check.problems.count == 1)
        #expect(check.problems[0].contains("pid 4242") && check.problems[0].contains("scale-down left them behind"))
        var unreadable = FleetCheck()
        unreadable.examine(stats: nil, children: [])
        #expect(unreadable.problems.first?.contains("/_fleet/stats could not be read") == true)
    }

    @Test func aProcessAliveAfterTeardownIsAnOrphan() {
        var check = FleetCheck()
        // This test's own process is alive; a pid beyond pid_max never is.
        check.checkOrphans(seen: [getpid(), 99_999_999])
        #expect(check.nodeProcessesSeen == 2)
        #expect(check.problems == ["1 node process(es) outlived the fleet's teardown as orphans (pid \(getpid()))"])
    }

    @Test func aBrokenFleetRuleMakesTheRunInvalid() throws {
        var manifest = RunStatusTests.manifest()
        manifest.status = .completed
        var check = FleetCheck()
        check.problems = ["node 0 holds 400 of 1000 tenants"]
        manifest.fleet = check
        let summary = RunSummary(manifest: manifest, runFolder: "/tmp/x", integrity: Integrity(),
                                 requests: RequestSummary(events: []),
                                 analysis: LeakAnalysis(metrics: [], rows: 0, droppedPartialLastLine: false,
                                                        steadyStartSeconds: 0))
        let (verdict, reason) = RunJudge.decide(manifest, summary, harnessAlive: false)
        #expect(verdict == .invalid)
        #expect(reason.contains("the fleet broke its integrity rules: node 0 holds 400"))
    }

    @Test func theLivePageCarriesEveryDeclaredColumn() {
        var row = SampleRow()
        row.declared = ["front_rss_anon": 1_048_576, "node0_rss_anon": 2_097_152]
        var status = RunStatus(profile: "fleet-scaling", runFolder: "/tmp/r", harnessPID: 1, accelerate: 1800,
                               startedAt: Date())
        status.latest = RunStatus.Latest(row)
        let page = RunMetricsPage.render(status)
        #expect(page.contains(#"soak_target_column{profile="#))
        #expect(page.contains(#"column="front_rss_anon"} 1048576"#))
        #expect(page.contains(#"column="node0_rss_anon"} 2097152"#))
    }
}
