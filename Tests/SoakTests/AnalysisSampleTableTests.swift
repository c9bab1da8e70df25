import Foundation
import Testing
@testable import SoakAnalysis
@testable import SoakBench
@testable import SoakCLI
@testable import SoakProfiles
@testable import SoakReports
@testable import SoakRun
@testable import SoakUnits

@Suite("SampleTable reads samples.csv and other CSVs")
struct AnalysisSampleTableTests {
    static func table(_ text: String) throws -> SampleTable {
        try SampleTable(data: Data(text.utf8), source: "samples.csv")
    }

    static func error(_ text: String) -> SampleTableError? {
        do {
            _ = try table(text)
            return nil
        } catch let error as SampleTableError {
            return error
        } catch {
            return nil
        }
    }

    @Test("the harness's own header round-trips, empty fields are nil and never zero")
    func ownHeader() throws {
        let columns = SampleColumn.allCases.count
        let full = (0..<columns).map { String($0 * 10) }
        var partial = full
        partial[SampleColumn.allCases.firstIndex(of: .kind)!] = "trough"
        partial[SampleColumn.allCases.firstIndex(of: .heapInUseBytes)!] = ""
        var first = full
        first[SampleColumn.allCases.firstIndex(of: .kind)!] = "periodic"
        let text = SampleColumn.header + "\n" + first.joined(separator: ",") + "\n" + partial.joined(separator: ",") + "\n"
        let table = try Self.table(text)
        #expect(table.rowCount == 2)
        #expect(!table.droppedPartialLastLine)
        #expect(table.kinds == [.periodic, .trough])
        let heap = try #require(table.column(.heapInUseBytes))
        let heapIndex = SampleColumn.allCases.firstIndex(of: .heapInUseBytes)!
        #expect(Array(heap) == [Double(heapIndex * 10), nil])
        #expect(table.column(.rssBytes)?[1] == Double(SampleColumn.allCases.firstIndex(of: .rssBytes)! * 10))
    }

    @Test("columns in another order and unknown columns are read by name")
    func reorderedAndUnknown() throws {
        let table = try Self.table("""
            label,rss_bytes,extra_metric,sim_seconds,kind
            "first",4096,1.5,0,periodic
            second,8192,-2e3,30.25,trough

            third,,0.001,60,

            """)
        #expect(table.rowCount == 3)
        #expect(Array(table.column(.rssBytes)!) == [4096, 8192, nil])
        #expect(Array(table.column(.simSeconds)!) == [0, 30.25, 60])
        #expect(Array(try table.column(named: "extra_metric")) == [1.5, -2000, 0.001])
        #expect(table.kinds == [.periodic, .trough, nil])
        #expect(table.column(.heapInUseBytes) == nil)
        let label = #expect(throws: SampleTableError.self) { try table.column(named: "label") }
        #expect(label?.message == "samples.csv: column label is not numeric: line 2 has \"first\"")
        let absent = #expect(throws: SampleTableError.self) { try table.column(named: "nope") }
        #expect(absent?.message.contains("no column nope") == true)
    }

    @Test("a last line cut off mid-write is dropped, even when it would parse")
    func truncatedLastLine() throws {
        let table = try Self.table("sim_seconds,rss_bytes\n0,1000\n30,2000\n60,30")
        #expect(table.rowCount == 2)
        #expect(table.droppedPartialLastLine)
        #expect(Array(table.column(.rssBytes)!) == [1000, 2000])
        let cutInField = try Self.table("sim_seconds,rss_bytes\r\n0,1000\r\n30,")
        #expect(cutInField.rowCount == 1)
    }

    @Test("a malformed line in the middle is an error naming its line and column")
    func malformedMiddle() {
        let bad = Self.error("sim_seconds,rss_bytes,fds\n0,1000,3\n30,12a4,3\n60,3000,3\n")
        #expect(bad?.message == "samples.csv: line 3, column rss_bytes: expected a number, found \"12a4\"")
        #expect(bad?.line == 3 && bad?.column == "rss_bytes")
        let short = Self.error("sim_seconds,rss_bytes,fds\n0,1000,3\n30,2000\n60,3000,3\n")
        #expect(short?.message == "samples.csv: line 3: expected 3 fields as in the header, found 2")
        let long = Self.error("sim_seconds,rss_bytes\n0,1000,3,4\n60,3000\n")
        #expect(long?.message == "samples.csv: line 2: expected 2 fields as in the header, found 4")
        let kind = Self.error("kind,rss_bytes\nsteady,1\n\n")
        #expect(kind?.message == "samples.csv: line 2, column kind: expected periodic or trough, found \"steady\"")
    }

    @Test("numbers: exact for integers and short decimals, nan is missing, inf is an error")
    func numbers() throws {
        let table = try Self.table(
            "v\n9007199254740992\n0.1\n-0.30000000000000004\n1.7976931348623157e308\nnan\n 42 \n12345678901234567890\n")
        let values = Array(try table.column(named: "v"))
        #expect(values == [9_007_199_254_740_992, 0.1, -0.30000000000000004, 1.7976931348623157e308, nil, 42,
                           12_345_678_901_234_567_168])
        #expect(Self.error("rss_bytes\n1\ninf\n2\n")?.line == 3)
    }

    @Test("a header with a duplicate name or nothing at all is refused")
    func badHeaders() {
        #expect(Self.error("")?.message == "samples.csv: empty file or empty header line")
        #expect(Self.error("a,b,a\n1,2,3\n")?.message == "samples.csv: line 1: column a appears twice")
    }

    @Test("reads a file from disk, and says which file it could not read")
    func fromDisk() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("analysis-\(UUID().uuidString).csv").path
        try Data("cycle,fds\n0,7\n1,8\n".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(Array(try SampleTable(contentsOfFile: path).column(.fds)!) == [7, 8])
        let missing = #expect(throws: SampleTableError.self) { try SampleTable(contentsOfFile: path + ".nope") }
        #expect(missing?.message.hasPrefix(path + ".nope: cannot read") == true)
    }
}
