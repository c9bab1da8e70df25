/// HotSpot's perf-data file (`/tmp/hsperfdata_<user>/<pid>`), the shared memory the JVM keeps its
/// counters in and that `jstat` reads: no agent, no JMX port, no pause in the target.
///
/// The layout (HotSpot `perfMemory.hpp`, `perfData.hpp`): a 32-byte prologue
///
///     magic u4 (0xcafec0c0, always big-endian) · byte_order u1 (0 big, 1 little) · major u1 ·
///     minor u1 · accessible u1 · used i4 · overflow i4 · mod_time_stamp i8 · entry_offset i4 ·
///     num_entries i4
///
/// then `num_entries` entries, each
///
///     entry_length i4 · name_offset i4 · vector_length i4 · data_type u1 ('J' long, 'B' bytes) ·
///     flags u1 · data_units u1 · data_variability u1 · data_offset i4
///
/// with a NUL-terminated name and the data at offsets relative to the entry. Every offset is
/// checked against the buffer: a truncated or foreign file is an error, never a crash.
package struct HotSpotPerfData: Sendable {
    /// What an entry holds.
    package enum Value: Sendable, Equatable {
        case long(Int64)
        case string(String)
        /// A type this reader does not decode (HotSpot writes only longs and byte strings today).
        case unsupported(type: UInt8)
    }

    /// The unit HotSpot declares for an entry.
    package enum Units: UInt8, Sendable {
        case none = 1, bytes, ticks, events, string, hertz
    }

    /// How an entry may change.
    package enum Variability: UInt8, Sendable {
        case constant = 1, monotonic, variable
    }

    /// One named counter.
    package struct Entry: Sendable, Equatable {
        package var name: String
        package var value: Value
        package var units: Units?
        package var variability: Variability?
        /// Where the value's bytes start in the file, so a reader can re-read only the value.
        package var dataOffset: Int
    }

    /// The prologue's fields.
    package var littleEndian: Bool
    package var majorVersion: UInt8
    package var minorVersion: UInt8
    /// False while the JVM is still creating the file.
    package var accessible: Bool
    /// Bytes of the file in use.
    package var used: Int
    /// Bytes the JVM wanted beyond the file's size (counters it could not publish).
    package var overflow: Int
    /// Changes when entries are added; the values of existing entries move without changing it.
    package var modificationStamp: Int64
    package var entries: [Entry]

    static let magic: [UInt8] = [0xCA, 0xFE, 0xC0, 0xC0]
    static let prologueSize = 32
    static let entryHeaderSize = 20

    /// Parses a whole file.
    package init(parsing bytes: UnsafeRawBufferPointer) throws(HotSpotPerfDataError) {
        guard bytes.count >= Self.prologueSize else {
            throw .init("\(bytes.count) bytes, shorter than the 32-byte prologue")
        }
        guard bytes.prefix(4).elementsEqual(Self.magic) else {
            let found = bytes.prefix(4).map { String($0, radix: 16) }.joined(separator: " ")
            throw .init("no perf-data magic cafec0c0 (found \(found)): not a HotSpot perf-data file")
        }
        guard bytes[4] <= 1 else { throw .init("byte order \(bytes[4]) is neither 0 (big) nor 1 (little)") }
        let reader = PerfDataBytes(bytes: bytes, littleEndian: bytes[4] == 1)
        littleEndian = reader.littleEndian
        majorVersion = bytes[5]
        minorVersion = bytes[6]
        accessible = bytes[7] != 0
        used = Int(reader.int32(at: 8) ?? 0)
        overflow = Int(reader.int32(at: 12) ?? 0)
        modificationStamp = reader.int64(at: 16) ?? 0
        let entryOffset = Int(reader.int32(at: 24) ?? 0)
        let count = Int(reader.int32(at: 28) ?? 0)
        guard majorVersion == 2 else { throw .init("perf-data version \(majorVersion).\(minorVersion); expected 2.x") }
        guard count >= 0, entryOffset >= Self.prologueSize else {
            throw .init("entry offset \(entryOffset) or count \(count) out of range")
        }
        let limit = min(bytes.count, used > 0 ? used : bytes.count)
        entries = []
        // Each entry takes at least its header: a count beyond that is damage, not a reason to
        // reserve gigabytes.
        guard count <= (limit - entryOffset) / Self.entryHeaderSize + 1 else {
            throw .init("\(count) entries cannot fit in the \(limit) bytes in use")
        }
        entries.reserveCapacity(count)
        var offset = entryOffset
        for index in 0..<count {
            guard let entry = Self.entry(at: offset, limit: limit, reader: reader) else {
                throw .init("entry \(index) of \(count) at offset \(offset) runs past the \(limit) bytes in use")
            }
            entries.append(entry.entry)
            offset += entry.length
        }
    }

    /// The value of the entry named `name`, when it is a long.
    package func long(_ name: String) -> Int64? {
        guard case .long(let value)? = entries.first(where: { $0.name == name })?.value else { return nil }
        return value
    }

    /// The value of the entry named `name`, when it is a string.
    package func string(_ name: String) -> String? {
        guard case .string(let value)? = entries.first(where: { $0.name == name })?.value else { return nil }
        return value
    }

    private static func entry(at offset: Int, limit: Int, reader: PerfDataBytes) -> (entry: Entry, length: Int)? {
        guard offset >= 0, offset + entryHeaderSize <= limit,
              let length = reader.int32(at: offset).map(Int.init), length >= entryHeaderSize, offset + length <= limit,
              let nameOffset = reader.int32(at: offset + 4).map(Int.init),
              let vectorLength = reader.int32(at: offset + 8).map(Int.init),
              let dataOffset = reader.int32(at: offset + 16).map(Int.init),
              nameOffset >= entryHeaderSize, nameOffset < length, dataOffset >= entryHeaderSize, dataOffset <= length,
              vectorLength >= 0
        else { return nil }
        let bytes = reader.bytes
        let type = bytes[offset + 12]
        let nameStart = offset + nameOffset
        let nameEnd = (nameStart..<offset + length).first { bytes[$0] == 0 } ?? offset + length
        let name = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[nameStart..<nameEnd]), as: UTF8.self)
        let dataStart = offset + dataOffset
        let value: Value
        switch (type, vectorLength) {
        case (UInt8(ascii: "J"), 0):
            guard let long = reader.int64(at: dataStart), dataStart + 8 <= offset + length else { return nil }
            value = .long(long)
        case (UInt8(ascii: "B"), 1...):
            let end = min(dataStart + vectorLength, offset + length)
            let textEnd = (dataStart..<end).first { bytes[$0] == 0 } ?? end
            value = .string(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[dataStart..<textEnd]), as: UTF8.self))
        default:
            value = .unsupported(type: type)
        }
        let entry = Entry(
            name: name, value: value, units: Units(rawValue: bytes[offset + 14]),
            variability: Variability(rawValue: bytes[offset + 15]), dataOffset: dataStart)
        return (entry, length)
    }
}

/// Bounds-checked integer reads in the file's byte order.
struct PerfDataBytes {
    let bytes: UnsafeRawBufferPointer
    let littleEndian: Bool

    func int32(at offset: Int) -> Int32? {
        guard offset >= 0, offset + 4 <= bytes.count else { return nil }
        let raw = bytes.loadUnaligned(fromByteOffset: offset, as: Int32.self)
        return littleEndian ? Int32(littleEndian: raw) : Int32(bigEndian: raw)
    }

    func int64(at offset: Int) -> Int64? {
        guard offset >= 0, offset + 8 <= bytes.count else { return nil }
        let raw = bytes.loadUnaligned(fromByteOffset: offset, as: Int64.self)
        return littleEndian ? Int64(littleEndian: raw) : Int64(bigEndian: raw)
    }
}

/// A file that is not a perf-data file this reader understands, and why.
package struct HotSpotPerfDataError: Error, Equatable, CustomStringConvertible {
    package var description: String
    init(_ description: String) { self.description = description }
}
