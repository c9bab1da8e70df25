/// `tenantd`'s command line, parsed in the library so every flag and error is tested.
import SoakUnits

/// What a `tenantd` command line asks for: help, seeding a registry, or serving one.
public enum TenantdCommand: Sendable {
    /// Serve a registry over HTTP.
    case serve(ServeOptions)
    /// Write a registry fixture.
    case seed(SeedOptions)
    /// Print `TenantdCommand.usage`.
    case help

    /// The flags of `tenantd --registry DIR ...`.
    public struct ServeOptions: Sendable {
        /// The registry folder `tenantd seed` wrote.
        public var registry: String
        /// `HOST:PORT` to listen on; port 0 picks a free one, which tenantd prints.
        public var listen = "127.0.0.1:0"
        /// Simulated seconds per wall second (scaled clock only).
        public var timeScale = 1.0
        /// `scaled` (wall time times `timeScale`) or `stepped` (moved only through /_runtime/clock).
        public var clock = ClockKind.scaled
        /// Idle times, eager tenants, ghosts and injected leaks.
        public var runtime = RuntimeConfiguration()
        /// The most connections held open at once (`--max-connections`).
        public var maxConnections = 256
        /// Wall-clock time an idle keep-alive connection is kept.
        public var connectionIdle: Duration = .seconds(30)
        /// Wall-clock time a request head may take from its first byte, however it trickles in.
        public var headerTimeout: Duration = .seconds(10)
        /// Connections with an incomplete request that may hold slots together; nil: half of
        /// `maxConnections`. Beyond it a new connection evicts the oldest of them.
        public var maxIncompleteConnections: Int?
    }

    /// The arguments of `tenantd seed`.
    public struct SeedOptions: Sendable {
        /// The folder the registry is written into.
        public var folder: String
        /// How many tenants and artifacts, of which kind and size.
        public var seeder: RegistrySeeder
    }

    /// The `--help` text.
    public static let usage = """
        usage: tenantd --registry DIR [options]
               tenantd seed --tenants N --artifacts M [--kind service|webapp] [--payload-kb P] DIR
               tenantd fleet --registry DIR [options] [-- NODE OPTIONS]   (see tenantd fleet --help)

        Serves a lazy-loading multi-tenant registry over HTTP/1.1. Prints "listening on HOST:PORT" once ready.
          GET /t/<tenant>/<artifact>[/path]   invoke an artifact (X-Tenant-Was, X-Artifact-Was, X-Load-Millis)
          GET /_runtime/stats                 heap, loads, live instances, descriptors, threads (JSON)
          GET /_runtime/health                liveness
          GET|POST /_runtime/clock            with --clock stepped: read or advance the virtual clock
                                              (POST ?advance_to_ns=N answers once every deadline up to N fired)

        options:
          --listen HOST:PORT        address to listen on (default 127.0.0.1:0, a free port)
          --clock scaled|stepped    scaled: wall time times --time-scale (default); stepped: time moves only
                                    when POST /_runtime/clock?advance_to_ns=N advances it (the soak harness)
          --time-scale N            run idle times N times faster on the scaled clock (default 1)
          --tenant-idle D           unload tenants idle this long (default 30m)
          --artifact-idle D         turn artifacts idle this long back into ghosts (default 10m)
          --sweep-every D           accepted for old command lines; the sweeper wakes at each idle deadline
          --eager LIST              load these tenants at start, never unload: '*', names, '!name'
          --no-ghost                deploy every artifact at tenant load (the pre-ghost design)
          --inject-leak KIND        leak on every load: retain-cycle, global-cache, fd or thread
          --leak-bytes N            bytes per leak for global-cache and retain-cycle (default 1024)
          --wait-timeout D          longest wait for another request's load, wall clock (default 30s)
          --max-connections N       concurrent connections (default 256)
          --connection-idle D       close keep-alive connections idle this long, wall clock (default 30s)
          --header-timeout D        answer 408 to a request head not complete this long after its first
                                    byte, wall clock, never extended by trickled bytes (default 10s)
          --partitions P            read the registry as P partitions, owning none until a fleet hands
                                    them over through POST /_runtime/partitions?own=0,5,9 (tenants of
                                    partitions not owned get 421)
          --max-incomplete N        connections with an incomplete request that may hold slots; a new
                                    one evicts the oldest of them (default half of --max-connections)
        Durations read as 250ms, 90s, 1m, 3m, 1h30m, 8d.
        """

    /// Parses the arguments after the program name.
    public static func parse(_ arguments: [String]) throws(UsageError) -> TenantdCommand {
        var reader = ArgumentReader(arguments)
        if arguments.contains("--help") || arguments.contains("-h") { return .help }
        if arguments.first == "seed" {
            reader.skip()
            return .seed(try parseSeed(&reader))
        }
        var options = ServeOptions(registry: "")
        var sawClock = false, sawTimeScale = false
        while let flag = reader.next() {
            switch flag {
            case "--registry": options.registry = try reader.value(for: flag)
            case "--listen": options.listen = try reader.value(for: flag)
            case "--time-scale":
                sawTimeScale = true
                options.timeScale = try reader.number(for: flag, expected: "a positive number like 1440")
                if let refusal = TenantdLimits.timeScale.refusal(of: options.timeScale) {
                    throw UsageError("--time-scale: \(refusal.message(found: "\(options.timeScale)"))")
                }
            case "--clock":
                let text = try reader.value(for: flag)
                guard let clock = ClockKind(rawValue: text) else {
                    throw UsageError("--clock: expected scaled or stepped, found \"\(text.prefix(40))\"")
                }
                options.clock = clock
                sawClock = true
            case "--tenant-idle": options.runtime.tenantIdle = try reader.duration(for: flag)
            case "--artifact-idle": options.runtime.artifactIdle = try reader.duration(for: flag)
            case "--sweep-every":
                options.runtime.sweepEvery = try reader.duration(for: flag)
                guard options.runtime.sweepEvery > .zero else { throw UsageError("--sweep-every: expected a duration above zero") }
            case "--eager":
                let list = try reader.value(for: flag)
                do { options.runtime.eager = try EagerSelection(parsing: list) } catch {
                    throw UsageError("--eager: \(error)")
                }
            case "--no-ghost": options.runtime.ghostDeployment = false
            case "--inject-leak":
                let text = try reader.value(for: flag)
                guard let kind = LeakKind(rawValue: text) else {
                    throw UsageError("--inject-leak: expected one of \(LeakKind.allCases.map(\.rawValue).joined(separator: ", ")), found \"\(text)\"")
                }
                options.runtime.injectedLeak = kind
            case "--leak-bytes": options.runtime.leakBytes = try reader.count(for: flag, within: TenantdLimits.leakBytes)
            case "--wait-timeout": options.runtime.waitTimeout = try reader.duration(for: flag)
            case "--max-connections": options.maxConnections = try reader.count(for: flag, within: TenantdLimits.connections)
            case "--connection-idle": options.connectionIdle = try reader.duration(for: flag)
            case "--header-timeout":
                options.headerTimeout = try reader.duration(for: flag)
                guard options.headerTimeout > .zero else {
                    throw UsageError("--header-timeout: expected a duration above zero")
                }
            case "--partitions":
                options.runtime.partitions = PartitionScheme(
                    count: try reader.count(for: flag, within: TenantdLimits.partitions))
            case "--max-incomplete":
                options.maxIncompleteConnections = try reader.count(for: flag, within: TenantdLimits.connections)
            default: throw UsageError("unknown option \(flag); see tenantd --help")
            }
        }
        if sawClock, sawTimeScale, options.clock == .stepped {
            throw UsageError("--time-scale applies to the scaled clock; a stepped clock moves only when advanced")
        }
        guard !options.registry.isEmpty else { throw UsageError("--registry DIR is required; see tenantd --help") }
        return .serve(options)
    }

    private static func parseSeed(_ reader: inout ArgumentReader) throws(UsageError) -> SeedOptions {
        var tenants = 1, artifacts = 1, payloadKB = 64
        var kind = ArtifactKind.service
        var folder: String?
        while let argument = reader.next() {
            switch argument {
            case "--tenants": tenants = try reader.count(for: argument, within: TenantdLimits.tenants)
            case "--artifacts": artifacts = try reader.count(for: argument, within: TenantdLimits.artifacts)
            case "--payload-kb": payloadKB = try reader.count(for: argument, within: TenantdLimits.payloadKB)
            case "--kind":
                let text = try reader.value(for: argument)
                guard let parsed = ArtifactKind(rawValue: text) else {
                    throw UsageError("--kind: expected service or webapp, found \"\(text)\"")
                }
                kind = parsed
            default:
                guard !argument.hasPrefix("-") else { throw UsageError("unknown seed option \(argument); see tenantd --help") }
                guard folder == nil else { throw UsageError("seed takes one folder, found \"\(folder!)\" and \"\(argument)\"") }
                folder = argument
            }
        }
        guard let folder else { throw UsageError("seed needs a folder to write the registry into") }
        return SeedOptions(folder: folder, seeder: RegistrySeeder(tenants: tenants, artifactsPerTenant: artifacts, kind: kind, payloadKB: payloadKB))
    }
}

/// A command line that cannot be run, with what is wrong and what was expected.
public struct UsageError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What is wrong and what was expected, as one sentence.
    public let description: String
    /// An error saying `description`.
    public init(_ description: String) { self.description = description }
}

/// Reads flags and their values in order; `package` so `tenantd fleet`'s parser reads alike.
package struct ArgumentReader {
    private var arguments: ArraySlice<String>

    package init(_ arguments: [String]) { self.arguments = arguments[...] }

    package mutating func next() -> String? { arguments.popFirst() }
    package mutating func skip() { _ = arguments.popFirst() }

    package mutating func value(for flag: String) throws(UsageError) -> String {
        guard let value = arguments.popFirst() else { throw UsageError("\(flag) needs a value") }
        return value
    }

    package mutating func number(for flag: String, expected: String) throws(UsageError) -> Double {
        let text = try value(for: flag)
        guard let number = Double(text), number.isFinite else { throw UsageError("\(flag): expected \(expected), found \"\(text)\"") }
        return number
    }

    package mutating func count(for flag: String, allowZero: Bool = false) throws(UsageError) -> Int {
        let text = try value(for: flag)
        guard let count = Int(text), count > 0 || (allowZero && count == 0) else {
            throw UsageError("\(flag): expected a whole number\(allowZero ? "" : " above zero"), found \"\(text)\"")
        }
        return count
    }

    /// A whole number within `limit`, refused with the limit stated.
    package mutating func count(for flag: String, within limit: StatedLimit<Int>) throws(UsageError) -> Int {
        let text = try value(for: flag)
        guard let count = Int(text) else {
            // Digits beyond Int's range are a number too big, not a malformed one.
            if !text.isEmpty, text.allSatisfy(\.isWholeNumber) {
                throw UsageError("\(flag): \(limit.atMost.message(found: text))")
            }
            throw UsageError("\(flag): expected a whole number, found \"\(text)\"")
        }
        if let refusal = limit.refusal(of: count) { throw UsageError("\(flag): \(refusal.message(found: text))") }
        return count
    }

    package mutating func duration(for flag: String) throws(UsageError) -> Duration {
        let text = try value(for: flag)
        guard let duration = DurationText.parse(text) else {
            throw UsageError("\(flag): expected a duration like 90s, 1m or 8d, found \"\(text)\"")
        }
        return duration
    }
}
