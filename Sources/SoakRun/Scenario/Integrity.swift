/// Cycles that happened as designed, out of cycles run.
package struct Integrity: Sendable, Equatable, Codable {
    package var validCycles = 0
    package var cycles = 0
    /// The first violation seen, to tell the user what went wrong.
    package var firstViolation: String?
    /// Whether the first violation was a failed request or a state the target should not have
    /// been in; nil in run folders written before the distinction.
    package var firstViolationKind: RequestProblem.Kind?

    package init() {}

    /// True when every cycle was valid (and there was at least one).
    package var isComplete: Bool { cycles > 0 && validCycles == cycles }
    package var percent: Double { cycles == 0 ? 100 : 100 * Double(validCycles) / Double(cycles) }

    enum CodingKeys: String, CodingKey {
        case cycles
        case validCycles = "valid_cycles"
        case firstViolation = "first_violation"
        case firstViolationKind = "first_violation_kind"
    }
}
