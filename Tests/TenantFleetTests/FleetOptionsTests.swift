import Testing
import TenantRuntime
@testable import TenantFleet

@Suite struct FleetOptionsTests {
    @Test func flagsBeforeTheSeparatorAreTheFleetsAndAfterItEveryNodes() throws {
        let options = try FleetOptions.parse([
            "--registry", "/r", "--min-nodes", "2", "--max-nodes", "5", "--nodes", "3", "--time-scale", "600",
            "--scale-window", "5m", "--", "--tenant-idle", "1m",
        ])
        #expect(options.startingNodes == 3)
        #expect(options.rule.window == .seconds(300))
        #expect(options.nodeCommandLine == ["--registry", "/r", "--time-scale", "600.0", "--tenant-idle", "1m"])
    }

    @Test func scalingOnTenantsTakesThresholdsInTenantsWithDefaultsOfItsOwn() throws {
        let defaults = try FleetOptions.parse(["--registry", "/r", "--scale-on", "tenants"])
        #expect(defaults.rule.measure == .tenants)
        #expect(defaults.rule.upAbove == 100 && defaults.rule.downBelow == 40)
        let given = try FleetOptions.parse([
            "--registry", "/r", "--scale-on", "tenants", "--scale-up-above", "300", "--scale-down-below", "120",
        ])
        #expect(given.rule.upAbove == 300 && given.rule.downBelow == 120)
        #expect(try FleetOptions.parse(["--registry", "/r"]).rule.upAbove == 2)
    }

    @Test func theFrontLeaksOnlyWhenAskedAndInTheOneWayItKnows() throws {
        #expect(try FleetOptions.parse(["--registry", "/r"]).injectedLeak == nil)
        let leaking = try FleetOptions.parse(["--registry", "/r", "--inject-leak", "departed-nodes"])
        #expect(leaking.injectedLeak == .departedNodes)
        #expect(!leaking.nodeCommandLine.contains("--inject-leak"), "the nodes stay clean")
    }

    @Test func badCombinationsAreRefusedWithTheFlagNamed() {
        func refusal(_ arguments: [String]) -> String? {
            do { _ = try FleetOptions.parse(arguments); return nil } catch { return error.description }
        }
        #expect(refusal(["--min-nodes", "2"])?.contains("--registry") == true)
        #expect(refusal(["--registry", "/r", "--min-nodes", "3", "--max-nodes", "2"])?.contains("--max-nodes") == true)
        #expect(refusal(["--registry", "/r", "--nodes", "9"])?.contains("--nodes 9") == true)
        #expect(refusal(["--registry", "/r", "--", "--listen", "x"])?.contains("--listen") == true)
        #expect(refusal(["--registry", "/r", "--bogus"])?.contains("--bogus") == true)
        #expect(refusal(["--registry", "/r", "--scale-on", "cpu"])?.contains("--scale-on") == true)
        #expect(refusal(["--registry", "/r", "--inject-leak", "fd"])?.contains("departed-nodes") == true)
        #expect(refusal(["--registry", "/r", "--scale-on", "tenants", "--scale-up-above", "30"])?
            .contains("--scale-down-below (40.0)") == true)
    }
}
