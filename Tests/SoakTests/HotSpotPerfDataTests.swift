import Foundation
import Testing
@testable import SoakAnalysis
@testable import SoakRun

/// The perf-data reader against a real file recorded from OpenJDK 17 (see Fixtures/hsperfdata),
/// checked entry by entry against what the JDK's own `jstat -snap` read from the same file.
@Suite struct HotSpotPerfDataTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/hsperfdata")

    static func fixture() throws -> [UInt8] {
        [UInt8](try Data(contentsOf: directory.appendingPathComponent("jdk17-g1-held.hsperfdata")))
    }

    static func parse(_ bytes: [UInt8]) throws -> HotSpotPerfData {
        let result = bytes.withUnsafeBytes { raw in Result { () throws(HotSpotPerfDataError) in try HotSpotPerfData(parsing: raw) } }
        return try result.get()
    }

    @Test func everyEntryAgreesWithJstat() throws {
        let data = try Self.parse(Self.fixture())
        #expect(data.littleEndian && data.majorVersion == 2 && data.accessible)
        let snapshot = try String(
            contentsOf: Self.directory.appendingPathComponent("jdk17-g1-held.jstat-snap.txt"), encoding: .utf8)
        // jstat adds the prologue as sun.perfdata.* pseudo-entries.
        let prologue: [String: Int64] = [
            "sun.perfdata.majorVersion": Int64(data.majorVersion), "sun.perfdata.minorVersion": Int64(data.minorVersion),
            "sun.perfdata.overflow": Int64(data.overflow), "sun.perfdata.size": 32_768,
            "sun.perfdata.timestamp": data.modificationStamp, "sun.perfdata.used": Int64(data.used),
        ]
        var checked = 0
        for line in snapshot.split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            let name = String(line[..<equals])
            let text = line[line.index(after: equals)...]
            if let value = prologue[name] {
                #expect(Int64(text) == value, "\(name)")
                continue
            }
            guard let entry = data.entries.first(where: { $0.name == name }) else {
                Issue.record("jstat lists \(name), the parser does not")
                continue
            }
            if text.hasPrefix("\"") {
                #expect(entry.value == .string(String(text.dropFirst().dropLast())), "\(name)")
            } else {
                #expect(entry.value == .long(Int64(text)!), "\(name)")
            }
            checked += 1
        }
        #expect(checked == data.entries.count)
        #expect(checked > 150)
    }

    @Test func readsHeapPerGenerationMetaspaceAndCollections() throws {
        let data = try Self.parse(Self.fixture())
        let reading = JVMMemoryReading(data)
        // jstat -gc on the same file: OU 4769.7 KiB, EU 0, MU 11330.7 KiB, YGC 3 (0.040 s), FGC 1 (0.071 s).
        #expect(reading.oldUsedBytes == 4_884_176)
        #expect(reading.youngUsedBytes == 0)
        #expect(reading.heapUsedBytes == 4_884_176)
        #expect(reading.oldCapacityBytes == 14_680_072)
        #expect(reading.metaspaceUsedBytes == 11_602_608)
        #expect(reading.youngCollections == 3 && reading.fullCollections == 1)
        #expect(reading.youngCollectionSeconds == 0.040032054)
        #expect(reading.fullCollectionSeconds == 0.070539221)
        #expect(data.string("sun.gc.policy.name") == "GarbageFirst")
        #expect(data.entries.first { $0.name == "sun.gc.metaspace.used" }?.units == .bytes)
        #expect(data.entries.first { $0.name == "sun.gc.collector.0.invocations" }?.variability == .monotonic)
    }

    @Test func truncatedOrDamagedFilesAreErrorsNotCrashes() throws {
        let bytes = try Self.fixture()
        #expect(throws: HotSpotPerfDataError.self) { try Self.parse([]) }
        #expect(throws: HotSpotPerfDataError.self) { try Self.parse(Array("not a perf file at all, plainly".utf8)) }
        var failures = 0
        for length in stride(from: 0, to: 12_500, by: 97) {
            do { _ = try Self.parse(Array(bytes.prefix(length))) } catch { failures += 1 }
        }
        #expect(failures > 100)
        var generator = SplitMix64(seed: 5)
        for _ in 0..<120 {
            var damaged = bytes
            for _ in 0..<8 {
                // Damage the prologue and the entry headers, where the offsets live.
                let index = 4 + Int(generator.next() % 4_000)
                damaged[index] = UInt8(truncatingIfNeeded: generator.next())
            }
            if let data = try? Self.parse(damaged) { _ = JVMMemoryReading(data) }
        }
    }

    @Test func readsABigEndianFile() throws {
        // Two entries written by hand the way a big-endian JVM (s390x, SPARC) lays them out.
        var file = [UInt8](repeating: 0, count: 32)
        file[0...3] = [0xCA, 0xFE, 0xC0, 0xC0]
        file[4] = 0
        file[5] = 2
        file[7] = 1
        func entry(_ name: String, type: UInt8, units: UInt8, data: [UInt8], vector: Int32) -> [UInt8] {
            let nameBytes = Array(name.utf8) + [0]
            let dataOffset = (20 + nameBytes.count + 7) / 8 * 8
            let length = (dataOffset + data.count + 7) / 8 * 8
            var bytes = [UInt8](repeating: 0, count: length)
            func put(_ value: Int32, at offset: Int) {
                withUnsafeBytes(of: value.bigEndian) { bytes[offset..<offset + 4] = ArraySlice($0) }
            }
            put(Int32(length), at: 0)
            put(20, at: 4)
            put(vector, at: 8)
            bytes[12] = type
            bytes[14] = units
            bytes[15] = 3
            put(Int32(dataOffset), at: 16)
            bytes[20..<20 + nameBytes.count] = ArraySlice(nameBytes)
            bytes[dataOffset..<dataOffset + data.count] = ArraySlice(data)
            return bytes
        }
        let used = withUnsafeBytes(of: Int64(123_456).bigEndian) { Array($0) }
        file += entry("sun.gc.metaspace.used", type: UInt8(ascii: "J"), units: 2, data: used, vector: 0)
        file += entry("sun.gc.policy.name", type: UInt8(ascii: "B"), units: 5, data: Array("Serial\0\0".utf8), vector: 8)
        withUnsafeBytes(of: Int32(file.count).bigEndian) { file[8..<12] = ArraySlice($0) }
        withUnsafeBytes(of: Int32(32).bigEndian) { file[24..<28] = ArraySlice($0) }
        withUnsafeBytes(of: Int32(2).bigEndian) { file[28..<32] = ArraySlice($0) }
        let data = try Self.parse(file)
        #expect(!data.littleEndian)
        #expect(data.long("sun.gc.metaspace.used") == 123_456)
        #expect(data.string("sun.gc.policy.name") == "Serial")
    }

    @Test func aKeptFileSeesValuesMove() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("perfdata-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("4242").path
        var bytes = try Self.fixture()
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let file = try HotSpotPerfDataFile(path: path)
        #expect(try file.read().get().oldUsedBytes == 4_884_176)
        // The JVM rewrites values in place: change old-generation use and read again.
        let offset = try Self.parse(bytes).entries.first { $0.name == "sun.gc.generation.1.space.0.used" }!.dataOffset
        withUnsafeBytes(of: Int64(5_000_000).littleEndian) { bytes[offset..<offset + 8] = ArraySlice($0) }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.write(contentsOf: Data(bytes))
        try handle.close()
        #expect(try file.read().get().oldUsedBytes == 5_000_000)
    }
}

/// Finding the JVM under a launcher script, in a fake /proc.
@Suite struct JVMLocatorTests {
    static func fakeProc(_ body: (String) throws -> Void) throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("proc-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        try body(root)
    }

    static func process(
        _ root: String, _ pid: Int, cmdline: [String], exe: String, nsPID: Int? = nil, perfData: Bool = false
    ) throws {
        let folder = "\(root)/\(pid)"
        try FileManager.default.createDirectory(atPath: folder + "/root/tmp", withIntermediateDirectories: true)
        try Data(cmdline.map { $0 + "\0" }.joined().utf8).write(to: URL(fileURLWithPath: folder + "/cmdline"))
        try Data("Name:\tx\nNSpid:\t\(pid)\(nsPID.map { "\t\($0)" } ?? "")\n".utf8)
            .write(to: URL(fileURLWithPath: folder + "/status"))
        try Data().write(to: URL(fileURLWithPath: folder + "/maps"))
        try FileManager.default.createSymbolicLink(atPath: folder + "/exe", withDestinationPath: exe)
        if perfData {
            let directory = folder + "/root/tmp/hsperfdata_app"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try Data(try HotSpotPerfDataTests.fixture()).write(
                to: URL(fileURLWithPath: directory + "/\(nsPID ?? pid)"))
        }
    }

    @Test func findsTheJavaChildOfAShellLauncher() throws {
        try Self.fakeProc { root in
            try Self.process(root, 100, cmdline: ["/bin/sh", "./run.sh"], exe: "/usr/bin/dash")
            try Self.process(root, 101, cmdline: ["java", "-Xmx64m", "Main.java"],
                             exe: "/usr/lib/jvm/java-17-openjdk-amd64/bin/java", nsPID: 7, perfData: true)
            #expect(JVMLocator.locate(in: [100, 101], procRoot: root)
                == .found(pid: 101, perfData: "\(root)/101/root/tmp/hsperfdata_app/7"))
        }
    }

    @Test func saysWhyThereIsNoCounterFile() throws {
        try Self.fakeProc { root in
            try Self.process(root, 200, cmdline: ["/bin/sh", "./run.sh"], exe: "/usr/bin/dash")
            guard case .noJVM(let none) = JVMLocator.locate(in: [200], procRoot: root) else {
                return #expect(Bool(false))
            }
            #expect(none.contains("no JVM"))
            try Self.process(root, 201, cmdline: ["/opt/jdk/bin/java", "-XX:-UsePerfData", "-jar", "app.jar"],
                             exe: "/opt/jdk/bin/java")
            guard case .noPerfData(201, let reason) = JVMLocator.locate(in: [200, 201], procRoot: root) else {
                return #expect(Bool(false))
            }
            #expect(reason.contains("-XX:-UsePerfData"))
        }
    }
}
