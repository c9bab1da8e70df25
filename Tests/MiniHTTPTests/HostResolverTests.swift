import Glibc
import Testing
@testable import MiniHTTP

/// Names, IPv6 literals and fallbacks between addresses, all on loopback: no test needs a network.
@Suite(.timeLimit(.minutes(1)))
struct HostResolverTests {
    @Test func resolvesAddressesAndLocalNames() throws {
        let v4 = try HostResolver.resolve(host: "127.0.0.1", port: 8080)
        #expect(v4.map(\.description) == ["127.0.0.1:8080"])
        #expect(v4[0].family == AF_INET && v4[0].port == 8080 && v4[0].host == "127.0.0.1")

        let v6 = try HostResolver.resolve(host: "::1", port: 443)
        #expect(v6.map(\.description) == ["[::1]:443"])
        #expect(v6[0].family == AF_INET6 && v6[0].port == 443)

        // localhost comes from /etc/hosts, so it resolves without a network.
        let local = try HostResolver.resolve(host: "localhost", port: 80)
        #expect(!local.isEmpty && local.allSatisfy { $0.host == "127.0.0.1" || $0.host == "::1" })
    }

    @Test func aNameThatDoesNotResolveSaysSo() {
        // .invalid is reserved (RFC 6761): it never resolves, on any network or none.
        do {
            _ = try HostResolver.resolve(host: "no-such-host.invalid", port: 80)
            Issue.record("expected no-such-host.invalid not to resolve")
        } catch {
            #expect(error.host == "no-such-host.invalid")
            #expect(error.description.hasPrefix("name not resolved: \"no-such-host.invalid\" ("), "\(error)")
        }
    }

    @Test func anIPv4AddressConvertsWithItsPort() throws {
        let address = NetworkAddress(try SocketAddress(parsing: "127.0.0.1:9"))
        #expect(address.description == "127.0.0.1:9" && address.family == AF_INET)
    }

    @Test func aClientMovesOnFromARefusedAddressToTheNext() throws {
        // A server on 127.0.0.1 only, reached as localhost resolving to ::1 first: ::1 refuses.
        try withServer { (_, address) throws in
            let addresses = [
                try HostResolver.resolve(host: "::1", port: address.port)[0], NetworkAddress(address),
            ]
            let client = HTTPClient(addresses: addresses, host: "localhost:\(address.port)")
            let response = try client.get("/fallback")
            #expect(response.bodyText == "ok /fallback")
        }
    }

    @Test func aClientReachesAnIPv6Server() throws {
        let server = try OneShotIPv6Server()
        let client = HTTPClient(addresses: try HostResolver.resolve(host: "::1", port: server.port),
                                host: "[::1]:\(server.port)")
        let response = try client.get("/six")
        #expect(response.status == 200 && response.bodyText == "ok")
        #expect(server.request.wait()?.hasPrefix("GET /six HTTP/1.1\r\nHost: [::1]:\(server.port)\r\n") == true)
    }
}

/// Listens on [::1] (MiniHTTP's server is IPv4 only), answers one request with 200 "ok" and
/// keeps what it received.
struct OneShotIPv6Server {
    let port: UInt16
    let request: BackgroundCall<String>

    init() throws {
        let listener = socket(AF_INET6, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        try #require(listener >= 0)
        var address = sockaddr_in6()
        address.sin6_family = sa_family_t(AF_INET6)
        address.sin6_addr = in6addr_loopback
        var length = socklen_t(MemoryLayout<sockaddr_in6>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(listener, generic, length) == 0 && listen(listener, 1) == 0
                    && getsockname(listener, generic, &length) == 0
            }
        }
        try #require(bound, "bind [::1]:0")
        port = UInt16(bigEndian: address.sin6_port)
        request = try BackgroundCall {
            defer { close(listener) }
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { return "" }
            defer { close(connection) }
            var received: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 4096)
            while !String(decoding: received, as: UTF8.self).contains("\r\n\r\n") {
                let count = recv(connection, &chunk, chunk.count, 0)
                if count <= 0 { break }
                received += chunk[0..<count]
            }
            let answer = Array("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok".utf8)
            _ = send(connection, answer, answer.count, Int32(MSG_NOSIGNAL))
            return String(decoding: received, as: UTF8.self)
        }
    }
}
