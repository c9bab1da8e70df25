// tenantd: serves a lazy-loading multi-tenant registry over HTTP/1.1.
// Flags, the HTTP adapter and signals live here; everything else is in TenantRuntime.
import Glibc
import MiniHTTP
import PosixSupport
import TenantRuntime

signal(SIGPIPE, SIG_IGN)

/// Writes a whole line straight to a descriptor: unbuffered, so the harness sees it at once.
/// A closed stdout or stderr leaves nowhere to say so; the exit status still does.
func writeLine(_ text: String, to descriptor: FileDescriptor) {
    try? descriptor.writeAll(text + "\n")
}

func fail(_ message: String, status: Int32) -> Never {
    writeLine("tenantd: \(message)", to: .standardError)
    exit(status)
}

// `tenantd fleet` parses its own options (TenantFleet), so the node's parser stays as it is.
if CommandLine.arguments.dropFirst().first == "fleet" {
    runFleet(Array(CommandLine.arguments.dropFirst(2)))
}
if CommandLine.arguments.dropFirst().first == "fleet-decider" {
    runDecider(Array(CommandLine.arguments.dropFirst(2)))
}
if CommandLine.arguments.dropFirst().first == "fleet-front" {
    runFollowerFront(Array(CommandLine.arguments.dropFirst(2)))
}

let command: TenantdCommand
do {
    command = try TenantdCommand.parse(Array(CommandLine.arguments.dropFirst()))
} catch {
    fail("\(error)", status: 2)
}

switch command {
case .help:
    print(TenantdCommand.usage)
case .seed(let options):
    do {
        try options.seeder.seed(into: options.folder)
        print("seeded \(options.seeder.tenants) tenants × \(options.seeder.artifactsPerTenant) \(options.seeder.kind.rawValue)s into \(options.folder)")
    } catch {
        fail("cannot seed \(options.folder): \(FileErrorText.describe(error))", status: 1)
    }
case .serve(let options):
    // Block the stop signals before any thread starts, so every thread inherits the mask and the
    // main thread alone receives them through sigwait. Only when serving: `tenantd seed` keeps
    // their default action, so SIGTERM ends a long seeding at once (the harness relies on that).
    let stopSignals = StopSignals.block()
    let registry = Registry(root: options.registry)
    guard registry.exists else {
        fail("\(options.registry) is not a registry (no tenants/ folder); create one with tenantd seed", status: 2)
    }
    let address: SocketAddress
    do { address = try SocketAddress(parsing: options.listen) } catch { fail("--listen: \(error)", status: 2) }

    let clock: any RuntimeClock = switch options.clock {
    case .scaled: ScaledClock(scale: options.timeScale)
    case .stepped: SteppedClock()
    }
    let host = TenantHost(registry: registry, configuration: options.runtime, clock: clock)
    do {
        for failure in try host.loadEagerTenants() {
            writeLine("tenantd: eager tenant \(failure.tenant) did not load: \(failure.error)", to: .standardError)
        }
    } catch {
        fail("cannot list the registry's tenants: \(error)", status: 1)
    }
    let front = RuntimeFront(host: host)
    @Sendable func httpResponse(_ answer: FrontResponse, to request: HTTPRequest) -> HTTPResponse {
        var headers = HTTPHeaders()
        for (name, value) in answer.headers { headers.add(name: name, value: value) }
        return HTTPResponse(status: answer.status, headers: headers, body: request.method == "HEAD" ? [] : answer.body)
    }
    // Warm requests are answered on the event loop; a load, a deployment or a wait goes to a
    // handler thread, so a cold tenant never holds up the others.
    let server = HTTPServer(
        configuration: HTTPServerConfiguration(
            address: address, maxConnections: options.maxConnections,
            maxIncompleteConnections: options.maxIncompleteConnections,
            idleTimeout: options.connectionIdle, headerTimeout: options.headerTimeout),
        inlineHandler: { request in
            front.respondIfWarm(method: request.method, path: request.path, query: request.query).map { httpResponse($0, to: request) }
        }
    ) { request in
        httpResponse(front.respond(method: request.method, path: request.path, query: request.query), to: request)
    }
    // Connections are the HTTP layer's objects, not the runtime's: published beside its types.
    host.liveInstances.addGauge("Connection") { server.statistics.openConnections }
    let bound: SocketAddress
    do { bound = try server.start() } catch { fail("cannot listen on \(options.listen): \(error)", status: 1) }
    // A stepped clock needs no sweeper thread: each advance fires its deadlines itself.
    var sweeper: Sweeper?
    if options.clock == .scaled {
        do {
            sweeper = try Sweeper(host: host)
            try sweeper?.start()
        } catch {
            fail("cannot start the sweeper: \(error)", status: 1)
        }
    }
    writeLine("listening on \(bound)", to: .standardOutput)

    let received = stopSignals.wait()
    sweeper?.stop()
    server.shutdown(graceWall: .seconds(5))
    writeLine("tenantd: stopped on signal \(received)", to: .standardError)
}
