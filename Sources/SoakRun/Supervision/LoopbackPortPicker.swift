import FoundationEssentials
import Glibc
import MiniHTTP

/// Picks the loopback port a command target's `{port}` becomes.
///
/// The harness can only test that a port is free and hand its number to a program that binds it
/// later; in between anything else may take it. A port from the kernel's ephemeral range (where
/// `bind` to port 0 and every outgoing connection's own end get theirs) is the likeliest to be
/// taken: on a busy CI machine a test's or a build's connection got one in that window, and the
/// target died on EADDRINUSE. So the pick comes from outside that range, at random (two soaks
/// starting together rarely draw the same), and is checked by binding it.
enum LoopbackPortPicker {
    /// Where the picks come from: above 10000 (clear of the usual fixed service ports) and
    /// outside `ephemeral`.
    static func candidates(outside ephemeral: ClosedRange<Int>) -> [ClosedRange<Int>] {
        var ranges: [ClosedRange<Int>] = []
        let below = (low: 10_000, high: ephemeral.lowerBound - 1)
        let above = (low: max(10_000, ephemeral.upperBound + 1), high: 65_535)
        for (low, high) in [below, above] where high - low + 1 >= 256 { ranges.append(low...high) }
        return ranges
    }

    /// The kernel's ephemeral range (`ip_local_port_range`); Linux's default when unreadable.
    static func ephemeralRange(fromFile path: String = "/proc/sys/net/ipv4/ip_local_port_range") -> ClosedRange<Int> {
        let fields = ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "")
            .split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
        guard fields.count == 2, fields[0] <= fields[1] else { return 32_768...60_999 }
        return fields[0]...fields[1]
    }

    /// A loopback port that was free a moment ago, outside the ephemeral range when one there is
    /// free after 64 tries, else whatever port 0 gives.
    static func pick() throws(SupervisorError) -> Int {
        let ranges = candidates(outside: ephemeralRange())
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<64 where !ranges.isEmpty {
            let range = ranges[Int.random(in: 0..<ranges.count, using: &generator)]
            let port = Int.random(in: range, using: &generator)
            if let socket = try? ListeningSocket.bind(to: .loopback(port: UInt16(port))) {
                try? socket.close()
                return port
            }
        }
        do {
            let socket = try ListeningSocket.bind(to: .loopback(port: 0))
            defer { try? socket.close() }
            return Int(socket.localAddress.port)
        } catch {
            throw SupervisorError("cannot find a free loopback port: \(error)")
        }
    }
}
