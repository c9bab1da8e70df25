import Testing
@testable import SoakAnalysis
@testable import SoakBench
@testable import SoakCLI
@testable import SoakProfiles
@testable import SoakReports
@testable import SoakRun
@testable import SoakUnits

@Suite struct UnitsDurationTests {
    @Test(arguments: [
        ("90s", Duration.seconds(90)), ("1m", .seconds(60)), ("3m", .seconds(180)), ("8d", .seconds(8 * 86_400)),
        ("250ms", .milliseconds(250)), ("1h30m", .seconds(5_400)), ("1.5h", .seconds(5_400)),
        ("0.5s", .milliseconds(500)), ("2d12h", .seconds(216_000)), (" 10s ", .seconds(10)),
        ("1m30.5s", .milliseconds(90_500)), ("0s", .zero), ("30d", .seconds(30 * 86_400)),
        ("12us", .microseconds(12)), ("12µs", .microseconds(12)), ("7ns", .nanoseconds(7)), (".5m", .seconds(30)),
    ] as [(String, Duration)])
    func parses(text: String, expected: Duration) {
        #expect(DurationText.parse(text) == expected)
    }

    @Test(arguments: [
        "", "three", "90", "3 m", "3M", "-3m", "1m1h", "1m1m", "1.m", "m", "3mm", "1h 30m", "1e3s", "3m!",
        "99999999999d", "1,5h",
    ])
    func refuses(text: String) {
        #expect(DurationText.parse(text) == nil, "\(text) should not parse")
    }

    static let formatted: [(Duration, String)] = {
        var cases: [(Duration, String)] = []
        cases.append((.seconds(691_200), "8d"))
        cases.append((.seconds(90), "1m30s"))
        cases.append((.nanoseconds(41_666_667), "41.7ms"))
        cases.append((.zero, "0s"))
        cases.append((.milliseconds(250), "250ms"))
        cases.append((.milliseconds(1_500), "1.5s"))
        cases.append((.seconds(3_600), "1h"))
        cases.append((.seconds(183_845), "2d3h4m5s"))
        cases.append((.nanoseconds(850), "850ns"))
        cases.append((.nanoseconds(12_500), "12.5µs"))
        cases.append((.nanoseconds(999_960_000), "1s"))
        cases.append((.nanoseconds(59_999_000_000), "1m"))
        cases.append((.milliseconds(-1_500), "-1.5s"))
        cases.append((.seconds(59), "59s"))
        cases.append((.milliseconds(12_345), "12.35s"))
        cases.append((.milliseconds(90_400), "1m30s"))
        cases.append((.nanoseconds(999_960), "1ms"))
        return cases
    }()

    @Test(arguments: formatted)
    func formats(duration: Duration, expected: String) {
        #expect(DurationText.format(duration) == expected)
    }

    @Test func formatsWithFewerUnitsForProgressLines() {
        #expect(DurationText.format(.seconds(93_784), maxUnits: 2) == "1d2h")
        #expect(DurationText.format(.seconds(5_430), maxUnits: 1) == "2h")
        #expect(DurationText.format(.seconds(89), maxUnits: 1) == "1m")
        #expect(DurationText.format(.seconds(45), maxUnits: 1) == "45s")
        #expect(DurationText.format(.seconds(150), maxUnits: 1) == "3m")
    }

    @Test(arguments: ["8d", "1m30s", "41.7ms", "2d3h4m5s", "250ms", "1.5s", "12.5µs", "850ns", "1h", "0s"])
    func roundTrips(text: String) throws {
        let duration = try #require(DurationText.parse(text))
        #expect(DurationText.format(duration) == text)
    }

    @Test func roundTripsWholeSecondsExactly() throws {
        for seconds in [1, 59, 60, 61, 3_599, 3_600, 86_399, 86_400, 691_200, 1_000_003] {
            let text = DurationText.format(.seconds(seconds))
            #expect(DurationText.parse(text) == .seconds(seconds), "\(seconds) s printed as \(text)")
        }
    }
}

@Suite struct UnitsByteSizeTests {
    @Test(arguments: [
        ("512", 512.0), ("64KiB", 65_536), ("1MiB", 1_048_576), ("2GiB", 2_147_483_648), ("1KB", 1_000),
        ("1.5MiB", 1_572_864), ("64B", 64), ("3.1 MiB", 3_250_585.6), ("1TiB", 1_099_511_627_776), ("0", 0),
        ("1MB", 1_000_000), (" 8 KiB ", 8_192), ("0.5B", 0.5),
    ] as [(String, Double)])
    func parses(text: String, expected: Double) throws {
        let value = try #require(ByteSize.parse(text))
        #expect(abs(value - expected) < 1e-6)
    }

    @Test(arguments: ["", "KiB", "64kib", "64 KiBs", "-1KiB", "1.2.3MiB", "one", "64Ki", "1e3", "5%"])
    func refuses(text: String) {
        #expect(ByteSize.parse(text) == nil, "\(text) should not parse")
    }

    @Test(arguments: [
        (812.0, "812 B"), (0, "0 B"), (1_024, "1 KiB"), (65_536, "64 KiB"), (3_250_586, "3.1 MiB"),
        (1_048_575, "1 MiB"), (1_023.9, "1 KiB"), (12.5, "12.5 B"), (0.374, "0.37 B"), (-1_572_864, "-1.5 MiB"),
        (2_147_483_648, "2 GiB"), (1_099_511_627_776, "1 TiB"), (1_536, "1.5 KiB"),
    ] as [(Double, String)])
    func formats(bytes: Double, expected: String) {
        #expect(ByteSize.format(bytes) == expected)
    }

    @Test func formattedSizesReadBack() throws {
        for bytes in [812.0, 65_536, 3_250_586, 2_147_483_648, 123_456_789] {
            let text = ByteSize.format(bytes)
            let back = try #require(ByteSize.parse(text))
            // One decimal of the unit: within 5% of a unit step.
            #expect(abs(back - bytes) <= bytes * 0.05, "\(bytes) printed as \(text) read back as \(back)")
        }
    }
}

@Suite struct UnitsPercentageAndDecimalTests {
    @Test func parsesPercentages() {
        #expect(Percentage.parse("5%") == 0.05)
        #expect(Percentage.parse("12.5%") == 0.125)
        #expect(Percentage.parse("0%") == 0)
        #expect(Percentage.parse("5") == nil)
        #expect(Percentage.parse("%") == nil)
        #expect(Percentage.parse("5%%") == nil)
        #expect(Percentage.parse("-5%") == nil)
    }

    @Test func formatsPercentages() {
        #expect(Percentage.format(0.05) == "5%")
        #expect(Percentage.format(0.125) == "12.5%")
        #expect(Percentage.format(0.99934, decimals: 2) == "99.93%")
        #expect(Percentage.format(1) == "100%")
    }

    @Test func roundsDecimalsAsPeopleDo() {
        #expect(DecimalText.format(0.15, decimals: 1) == "0.2", "binary rounding would give 0.1")
        #expect(DecimalText.format(2.675, decimals: 2) == "2.68")
        #expect(DecimalText.format(9.96, decimals: 1) == "10")
        #expect(DecimalText.format(9.96, decimals: 1, keepZeros: true) == "10.0")
        #expect(DecimalText.format(-0.04, decimals: 1) == "0", "never -0")
        #expect(DecimalText.format(-1.25, decimals: 1) == "-1.3")
        #expect(DecimalText.format(1e20, decimals: 0) == "100000000000000000000")
        #expect(DecimalText.format(1.5e-7, decimals: 7) == "0.0000002")
        #expect(DecimalText.format(0.0004, decimals: 3) == "0")
        #expect(DecimalText.format(.nan, decimals: 1) == "nan")
        #expect(DecimalText.format(0.0123, significant: 2) == "0.012")
        #expect(DecimalText.format(1234.5, significant: 2) == "1235")
    }
}

@Suite struct JSONTextTests {
    @Test func quotesAndEscapes() {
        var text = ""
        JSONText.appendQuoted("a\"b\\c\nd\te\u{01}é", to: &text)
        #expect(text == #""a\"b\\c\nd\te\u0001é""#)
    }

    @Test(arguments: [(0.0, "0"), (691_200.0, "691200"), (-3.0, "-3"), (0.5, "0.5"), (1e-05, "1e-05"),
                      (1e20, "1e+20"), (Double.infinity, "null"), (Double.nan, "null")])
    func writesNumbers(_ value: Double, _ expected: String) {
        #expect(JSONText.number(value) == expected)
    }
}
