import SoakProfiles
import SoakUnits

/// One `GET /api/v1/query_range` against a Prometheus server: the PromQL expression, the window and
/// the resolution, as `soak analyze --prometheus` was given them.
///
/// Times are kept as Unix seconds, so the request, the fitted axis (hours since `start`) and the
/// messages all use one reading of them.
package struct RangeQuery: Sendable, Equatable {
    /// The server's base URL (`http://127.0.0.1:9090`, or with a path prefix behind a proxy).
    package var server: HTTPURL
    /// The PromQL expression, sent as it was written.
    package var query: String
    /// Unix seconds.
    package var start: Double
    /// Unix seconds.
    package var end: Double
    /// Seconds between points.
    package var step: Double

    /// The most points Prometheus returns per series; it refuses a longer query outright.
    package static let maximumPointsPerSeries = 11_000

    /// Checks the window and resolution; throws a message naming the flag at fault.
    package init(server: HTTPURL, query: String, start: Double, end: Double, step: Double) throws(RangeQueryError) {
        guard !query.trimmingWhitespace().isEmpty else {
            throw RangeQueryError(.usage, "--query: expected a PromQL expression like 'process_resident_memory_bytes', "
                + "found an empty one")
        }
        guard end > start else {
            throw RangeQueryError(.usage, "--end (\(RangeTime.text(end))) must come after --start "
                + "(\(RangeTime.text(start)))")
        }
        guard step > 0 else { throw RangeQueryError(.usage, "--step: expected a positive duration like 15s") }
        let points = ((end - start) / step).rounded(.down) + 1
        guard points <= Double(Self.maximumPointsPerSeries) else {
            throw RangeQueryError(.usage, "--step \(DecimalText.format(step, decimals: 3))s over this window asks for "
                + "\(Int(points)) points per series; Prometheus returns at most \(Self.maximumPointsPerSeries): "
                + "give a longer --step")
        }
        self.server = server
        self.query = query
        self.start = start
        self.end = end
        self.step = step
    }

    /// The request target: the server's path prefix, the API path, and the form-encoded parameters.
    package var requestTarget: String {
        let parameters = [
            ("query", query), ("start", RangeTime.text(start)), ("end", RangeTime.text(end)),
            ("step", RangeTime.text(step)),
        ]
        return server.path + "/api/v1/query_range?"
            + parameters.map { "\($0)=\(Self.percentEncoded($1))" }.joined(separator: "&")
    }

    /// Every byte outside RFC 3986's unreserved set escaped, so braces, quotes, `=~` and spaces of a
    /// PromQL selector reach the server as written.
    static func percentEncoded(_ text: String) -> String {
        var encoded = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                encoded += "%" + (hex.count == 1 ? "0" : "") + hex
            }
        }
        return encoded
    }
}

/// Why a range query gave no verdict, with the exit code it ends `soak analyze` with: bad usage
/// or a server that refused or could not be read (2), or no data to judge (3).
package struct RangeQueryError: Error, Equatable, CustomStringConvertible {
    /// Which exit a failure maps to.
    package enum Kind: Sendable, Equatable {
        /// Bad flags, an unusable URL, a server that is unreachable, errs or answers something
        /// other than Prometheus's API: exit 2.
        case usage
        /// The query ran but gave nothing to judge: exit 3, never a pass.
        case noData
    }

    package var kind: Kind
    package var description: String

    package init(_ kind: Kind, _ description: String) {
        self.kind = kind
        self.description = description
    }
}
