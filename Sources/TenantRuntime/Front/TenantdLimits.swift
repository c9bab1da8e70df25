import SoakUnits

/// The largest values `tenantd`'s flags take, stated in its messages ("at most 1000000").
///
/// Beyond them a value is a typo, not a plan, and some would trap: a clock scale of 1e308
/// overflows the runtime's `Duration` arithmetic, and a payload of 2^63 KiB overflows its size.
/// `soak` validates profiles against its own, tighter limits before it passes them here.
package enum TenantdLimits {
    /// `--time-scale`: from a millionth of real time to a million times faster.
    static let timeScale = StatedLimit<Double>.number(0.000_001...1_000_000)
    /// `seed --tenants`.
    static let tenants = StatedLimit<Int>.count(1...1_000_000)
    /// `seed --artifacts` per tenant.
    static let artifacts = StatedLimit<Int>.count(0...100_000)
    /// `seed --payload-kb`: 1 GiB of state per deployed artifact.
    static let payloadKB = StatedLimit<Int>.count(0...1 << 20)
    /// `--leak-bytes` per injected leak: 1 GiB (0, as soak's profiles allow, leaks nothing).
    static let leakBytes = StatedLimit<Int>.count(0...1 << 30)
    /// `--max-connections` and `--max-incomplete`.
    static let connections = StatedLimit<Int>.count(1...1_000_000)
    /// `--partitions`, for a node and for a fleet: more than the tenants a registry holds buys nothing.
    package static let partitions = StatedLimit<Int>.count(1...65_536)
}
