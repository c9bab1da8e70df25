/// The parts of `soak bench runtime`, each measurable alone through the hidden `--runtime-parts`.
package enum RuntimeBenchPart: String, CaseIterable, Sendable {
    /// Start-up with 1k and 10k tenants, lazy against eager.
    case startup
    /// The first request to a cold tenant against its artifact count, ghost against `--no-ghost`.
    case firstRequest = "first-request"
    /// Warm requests per second, and beside nginx when wrk and nginx are installed.
    case http
}
