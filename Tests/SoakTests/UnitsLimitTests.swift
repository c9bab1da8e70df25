import Testing
@testable import SoakProfiles
@testable import SoakUnits

/// The one checked conversion from decoded numbers: never a trap, always the bound broken.
@Suite struct UnitsLimitTests {
    @Test(arguments: [
        (0.4, Result<Int, LimitRefusal>.success(0)), (1023.5, .success(1024)), (1024.4, .success(1024)),
        (1024.6, .failure(LimitRefusal(bound: "at most 1 KiB"))), (-0.6, .failure(LimitRefusal(bound: "at least 0 B"))),
        (9.2e18, .failure(LimitRefusal(bound: "at most 1 KiB"))), (9.3e18, .failure(LimitRefusal(bound: "at most 1 KiB"))),
        (.infinity, .failure(LimitRefusal(bound: "at most 1 KiB"))),
        (-.infinity, .failure(LimitRefusal(bound: "at least 0 B"))), (.nan, .failure(LimitRefusal(bound: "at least 0 B"))),
    ] as [(Double, Result<Int, LimitRefusal>)])
    func wholeNumbersNeverTrap(value: Double, expected: Result<Int, LimitRefusal>) {
        #expect(StatedLimit<Int>.bytes(0...1024).wholeNumber(value) == expected)
    }

    @Test func wholeNumbersUpToTheLargestInt() {
        let everything = StatedLimit<Int>.count(Int.min...Int.max)
        #expect(everything.wholeNumber(9.2e18) == .success(9_200_000_000_000_000_000))
        // 2^63 is one past Int.max: the conversion that trapped the release build.
        #expect(everything.wholeNumber(9_223_372_036_854_775_808.0) == .failure(everything.atMost))
        #expect(everything.wholeNumber(-9_223_372_036_854_775_808.0) == .success(.min))
    }

    @Test func cycleCountsNeverTrap() {
        #expect(Duration.seconds(172_800).wholeMultiples(of: .seconds(180)) == 960)
        #expect(Duration.seconds(179).wholeMultiples(of: .seconds(180)) == 0)
        #expect(Duration.seconds(60).wholeMultiples(of: .zero) == 0)
        #expect(Duration.zero.wholeMultiples(of: .seconds(1)) == 0)
        #expect(Duration.nanoseconds(Int64.max).wholeMultiples(of: .nanoseconds(1)) == .max)
        var scenario = Profile.Scenario(kind: .plain, requests: ["/"], interval: .zero, duration: .seconds(60))
        #expect(scenario.cycles == 0)
        scenario.interval = .seconds(-1)
        #expect(scenario.cycles == 0)
    }
}
