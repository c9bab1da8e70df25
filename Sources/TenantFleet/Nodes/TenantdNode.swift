import CSystemShim
import Glibc
import MiniHTTP
import PosixSupport
import Synchronization

/// Starts `tenantd` nodes as children of the front: `tenantd --registry DIR --listen
/// 127.0.0.1:0 …` with the front's node flags, each on a port the kernel picks.
package struct TenantdNodeLauncher: NodeLauncher {
    /// The tenantd executable: the front's own (`/proc/self/exe`), so a fleet is one binary.
    package var executable: String
    /// The node's arguments after the program name; `--listen 127.0.0.1:0` is added.
    package var arguments: [String]
    /// Wall time a node has to print its "listening on" line.
    package var readyTimeout: Duration = .seconds(20)

    package init(executable: String, arguments: [String]) {
        self.executable = executable
        self.arguments = arguments
    }

    package func start(_ id: NodeID) throws -> any RunningNode {
        let pipe = try FileDescriptor.makePipe()
        let argv = [executable] + arguments + ["--listen", "127.0.0.1:0"]
        // Nodes get their own process group, so a Ctrl-C or a harness's group SIGTERM reaches the
        // front alone, which then stops them in order instead of racing to replace them. The
        // parent-death signal covers the front's own death: no orphan node. It fires when the
        // spawning *thread* ends, so only the controller's long-lived thread calls this.
        var options = lazysoak_spawn_options(
            stdin_fd: -1, stdout_fd: pipe.writer.rawValue, stderr_fd: STDERR_FILENO,
            new_process_group: 1, new_session: 0, parent_death_signal: SIGKILL, working_directory: nil)
        let spawned = Self.withCStrings(argv) { cArgv in
            Result { () throws(SystemError) in
                try SystemCall.once("exec \(executable)") { lazysoak_spawn(executable, cArgv, environ, &options) }
            }
        }
        try? pipe.writer.close()
        defer { try? pipe.reader.close() }
        let pid = try spawned.get()
        let node = TenantdNode(pid: pid, address: SocketAddress(networkAddress: 0, port: 0))
        guard let line = Self.firstLine(from: pipe.reader, within: readyTimeout), line.hasPrefix("listening on "),
            let address = try? SocketAddress(parsing: String(line.dropFirst("listening on ".count)))
        else {
            node.stop()
            throw NodeStartError("\(id) (pid \(pid)) did not print \"listening on\" within \(readyTimeout)")
        }
        return TenantdNode(pid: pid, address: address)
    }

    /// Reads up to the first newline, bounded by `timeout`; nil on timeout or end of output.
    static func firstLine(from reader: FileDescriptor, within timeout: Duration) -> String? {
        let deadline = ContinuousClock.now + timeout
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 256)
        while !bytes.contains(UInt8(ascii: "\n")) {
            guard let events = try? reader.wait(for: Int16(POLLIN), until: deadline), events != 0 else { return nil }
            let count = (try? chunk.withUnsafeMutableBytes { try reader.read(into: $0) }) ?? 0
            if count <= 0 { return nil }
            bytes += chunk[..<count]
        }
        return String(decoding: bytes.prefix { $0 != UInt8(ascii: "\n") }, as: UTF8.self)
    }

    static func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> R) -> R {
        let pointers = strings.map { strdup($0) } + [nil]
        defer { for pointer in pointers { free(pointer) } }
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}

/// A node the front started, ended by ``stop()`` or found ended by ``hasEnded()``.
package final class TenantdNode: RunningNode {
    package let pid: Int32
    package let address: SocketAddress
    private let ended = Mutex(false)
    /// The controller's own connection for probes, apart from the request leases: a probe is not
    /// a request in flight and must not count as one. Short timeout: a stopped node must not
    /// hold up the controller's round for long.
    private let probe: HTTPClient
    /// For partition hand-overs: a release waits up to 10 s on the node for requests in flight.
    private let control: HTTPClient

    init(pid: Int32, address: SocketAddress) {
        self.pid = pid
        self.address = address
        probe = HTTPClient(address: address, configuration: .init(timeout: .milliseconds(500)))
        control = HTTPClient(address: address, configuration: .init(timeout: .seconds(15)))
    }

    package func own(partitions: [Int]) -> Bool {
        let list = partitions.map(String.init).joined(separator: ",")
        let request = HTTPRequest(method: "POST", target: "/_runtime/partitions?own=\(list)", body: [])
        guard let response = try? control.send(request) else { return false }
        return response.status == 200
    }

    package func loadedTenants() -> Int? {
        guard let response = try? probe.get("/_runtime/stats"), response.status == 200 else { return nil }
        return RuntimeStatsProbe.integer("tenants_loaded", in: response.body)
    }

    package func hasEnded() -> Bool {
        ended.withLock { ended in
            guard !ended else { return true }
            do {
                ended = try PosixProcess.reap(pid, blocking: false) != nil
            } catch {
                ended = true  // ECHILD: not our child any more, so nothing left to wait for
            }
            return ended
        }
    }

    /// SIGTERM, up to 5 s for tenantd's graceful shutdown, then SIGKILL (STYLE.md 5).
    package func stop() {
        probe.close()
        control.close()
        if hasEnded() { return }
        try? PosixProcess.send(SIGTERM, to: pid)
        let deadline = ContinuousClock.now + .seconds(5)
        while ContinuousClock.now < deadline {
            if hasEnded() { return }
            usleep(5_000)
        }
        try? PosixProcess.send(SIGKILL, to: pid)
        ended.withLock { ended in
            if !ended { _ = try? PosixProcess.reap(pid, blocking: true) }
            ended = true
        }
    }
}

/// A node that could not be started, with what went wrong.
package struct NodeStartError: Error, CustomStringConvertible {
    package let description: String
    init(_ description: String) { self.description = description }
}
