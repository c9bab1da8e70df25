/// How a run moves its target's time: the profile's `clock` and `soak run --clock`.
package enum ClockMode: String, Sendable, Equatable, CaseIterable {
    /// The target multiplies wall time by the run's `accelerate`; the harness waits in wall time.
    case scaled
    /// The harness owns virtual time: it advances the target's clock through the stepped-clock
    /// protocol and waits for the target to settle instead of waiting for wall time.
    case stepped
}
