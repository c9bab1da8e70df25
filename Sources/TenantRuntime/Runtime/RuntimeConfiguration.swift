/// How a `TenantHost` behaves. Idle times and the sweep period are simulated time on the host's
/// clock; `waitTimeout` is wall time, because it bounds how long a real client can hang.
public struct RuntimeConfiguration: Sendable {
    /// A loaded lazy tenant idle this long is unloaded.
    public var tenantIdle: Duration = .seconds(30 * 60)
    /// A deployed artifact idle this long goes back to being a ghost.
    public var artifactIdle: Duration = .seconds(10 * 60)
    /// Accepted from old command lines and profiles, and no longer used: the sweeper wakes at each
    /// idle deadline rather than on a period (a period either wastes wake-ups or lets a request
    /// arrive before an expiry is swept).
    public var sweepEvery: Duration = .seconds(60)
    /// Tenants loaded at start and never unloaded.
    public var eager: EagerSelection = .none
    /// False deploys every artifact at tenant load, as the pre-ghost design did.
    public var ghostDeployment = true
    /// A leak to plant on every load and deployment, to prove the harness finds it.
    public var injectedLeak: LeakKind? = nil
    /// Bytes per planted leak for `global-cache` and `retain-cycle`.
    public var leakBytes = 1024
    /// The longest a request waits for another request's load or deployment (wall clock).
    public var waitTimeout: Duration = .seconds(30)
    /// `--partitions P`: the registry is read as P partitions, of which this node owns only those
    /// set through `/_runtime/partitions` (none at start); nil: the whole registry.
    public var partitions: PartitionScheme? = nil
    /// Runs at the start of every tenant load; tests use it to slow down or fail loads.
    var loadHook: (@Sendable (RegistryName) throws(RuntimeError) -> Void)? = nil

    /// The defaults the design gives (see each field).
    public init() {}
}

/// Which tenants `--eager` loads at start: `*` for all, plain names, and `!name` to exclude.
public struct EagerSelection: Sendable, Equatable, CustomStringConvertible {
    /// Whether `*` made every tenant eager.
    public var includesAll = false
    /// Tenants named eager.
    public var included: Set<String> = []
    /// Tenants kept lazy with `!name`, even under `*`.
    public var excluded: Set<String> = []

    /// No tenant is eager: fully lazy.
    public static let none = EagerSelection()

    /// The defaults the design gives (see each field).
    public init() {}

    /// Parses a comma-separated list such as `*,!t7` or `t1,t2`.
    public init(parsing list: String) throws(RegistryNameError) {
        for item in list.split(separator: ",").map({ $0.trimmingWhitespace() }) where !item.isEmpty {
            if item == "*" {
                includesAll = true
            } else if item.hasPrefix("!") {
                excluded.insert(try RegistryName(String(item.dropFirst())).text)
            } else {
                included.insert(try RegistryName(item).text)
            }
        }
    }

    /// Whether `tenant` is eager.
    public func contains(_ tenant: RegistryName) -> Bool {
        (includesAll || included.contains(tenant.text)) && !excluded.contains(tenant.text)
    }

    /// Whether no tenant is eager.
    public var isEmpty: Bool { !includesAll && included.isEmpty }

    public var description: String {
        ((includesAll ? ["*"] : []) + included.sorted() + excluded.sorted().map { "!\($0)" })
            .joined(separator: ",")
    }
}

extension Substring {
    func trimmingWhitespace() -> String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
