import TenantRuntime
import MiniHTTP
import Synchronization

/// The decision service's two processes, children of the front like its nodes: a primary and a
/// replica following it (`tenantd fleet-decider`), and the front's client to them.
package final class DeciderPair: Sendable {
    let launcher: TenantdNodeLauncher
    let arguments: [String]
    package let client: DecisionClient
    private let processes = Mutex<[any RunningNode]>([])
    private let replacements = Mutex(0)

    /// `executable` is tenantd; `rule` and the takeover bound become the services' flags.
    package init(executable: String, rule: ScaleRule, takeoverAfter: Duration, front: Int = 0) {
        launcher = TenantdNodeLauncher(executable: executable, arguments: [])
        arguments = DeciderOptions.commandLine(rule: rule, takeoverAfter: takeoverAfter)
        client = DecisionClient(front: front)
    }

    /// Starts the primary, then the replica following it. Call from the thread that outlives
    /// them (their parent-death signal is tied to it).
    package func start() throws {
        var primaryLauncher = launcher
        primaryLauncher.arguments = ["fleet-decider", "--role", "primary"] + arguments
        let primary = try primaryLauncher.start(NodeID(0))
        var replicaLauncher = launcher
        replicaLauncher.arguments = ["fleet-decider", "--role", "replica", "--follow", "\(primary.address)"] + arguments
        let replica: any RunningNode
        do { replica = try replicaLauncher.start(NodeID(1)) } catch {
            primary.stop()
            throw error
        }
        processes.withLock { $0 = [primary, replica] }
        client.connect(to: [primary.address, replica.address])
    }

    /// Replaces a decision service that died with a new replica following the survivor, which
    /// starts from the survivor's snapshot. Call from the thread that started them. Returns
    /// whether it started one.
    @discardableResult
    package func heal() -> Bool {
        let current = processes.withLock { $0 }
        guard current.count == 2 else { return false }
        let dead = current.filter { $0.hasEnded() }
        guard dead.count == 1, let survivor = current.first(where: { !$0.hasEnded() }) else { return false }
        var replicaLauncher = launcher
        replicaLauncher.arguments = ["fleet-decider", "--role", "replica", "--follow", "\(survivor.address)"]
            + arguments
        guard let replica = try? replicaLauncher.start(NodeID(1)) else { return false }
        processes.withLock { $0 = [survivor, replica] }
        client.connect(to: [survivor.address, replica.address])
        replacements.withLock { $0 += 1 }
        return true
    }

    /// Decision services started again after one died.
    package var replacedServices: Int { replacements.withLock { $0 } }

    /// The services' addresses, primary first.
    package var addresses: [SocketAddress] { processes.withLock { $0.map(\.address) } }

    /// Stops both (whichever is still running).
    package func stop() {
        for process in processes.withLock({ $0 }) { process.stop() }
    }

    /// The services' pids and addresses and what the client last heard, as JSON members.
    package var statsMembers: String {
        let processes = processes.withLock { $0 }
        let list = processes.enumerated().map { index, process in
            "{\"role\":\"\(index == 0 ? "primary" : "replica")\",\"pid\":\(process.pid),"
                + "\"address\":\"\(process.address)\",\"running\":\(!process.hasEnded())}"
        }
        return "\"deciders\":[\(list.joined(separator: ","))],\"deciders_replaced\":\(replacedServices),"
            + client.statsMembers
    }
}

/// `tenantd fleet-decider`'s flags: the scale rule, its role, and whom a replica follows.
package struct DeciderOptions: Sendable, Equatable {
    package var rule = ScaleRule()
    package var role = DecisionService.Role.primary
    package var follow: String?
    package var listen = "127.0.0.1:0"
    package var takeoverAfter: Duration = .milliseconds(300)

    /// The flags that carry `rule` and the takeover bound to a decider.
    static func commandLine(rule: ScaleRule, takeoverAfter: Duration) -> [String] {
        func millis(_ duration: Duration) -> String {
            let (seconds, attoseconds) = duration.components
            return "\(seconds * 1000 + attoseconds / 1_000_000_000_000_000)ms"
        }
        return [
            "--min-nodes", "\(rule.minNodes)", "--max-nodes", "\(rule.maxNodes)", "--scale-on", rule.measure.rawValue,
            "--scale-window", millis(rule.window), "--scale-up-above", "\(rule.upAbove)",
            "--scale-down-below", "\(rule.downBelow)", "--takeover-after", millis(takeoverAfter),
        ]
    }

    /// Parses the arguments after `fleet-decider`.
    package static func parse(_ arguments: [String]) throws(UsageError) -> DeciderOptions {
        var options = DeciderOptions()
        var reader = ArgumentReader(arguments)
        while let flag = reader.next() {
            switch flag {
            case "--role":
                let text = try reader.value(for: flag)
                guard let role = DecisionService.Role(rawValue: text) else {
                    throw UsageError("--role: expected primary or replica, found \"\(text.prefix(40))\"")
                }
                options.role = role
            case "--follow": options.follow = try reader.value(for: flag)
            case "--listen": options.listen = try reader.value(for: flag)
            case "--takeover-after": options.takeoverAfter = try reader.duration(for: flag)
            case "--scale-up-above": options.rule.upAbove = try reader.number(for: flag, expected: "a number")
            case "--scale-down-below": options.rule.downBelow = try reader.number(for: flag, expected: "a number")
            default:
                guard try options.rule.read(flag, from: &reader) else {
                    throw UsageError("unknown fleet-decider option \(flag)")
                }
            }
        }
        if options.role == .replica, options.follow == nil { throw UsageError("a replica needs --follow HOST:PORT") }
        if let problem = options.rule.problem { throw UsageError(problem) }
        return options
    }
}
