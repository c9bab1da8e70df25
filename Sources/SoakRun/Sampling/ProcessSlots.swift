import Glibc

/// Numbered slots for the children of a process tree's root, so a fleet's nodes get stable
/// columns (`node0_…`, `node1_…`) while they come and go.
///
/// A child keeps its slot while it lives; a new child takes the lowest free slot (the policy
/// `tenantd fleet` uses for its own node ids, so the numbers agree while the front's ids stay
/// compact); an exited child frees its slot. Children beyond the last slot get none and are
/// counted in `unslotted`, never folded into another slot's figures.
struct ProcessSlots: Equatable {
    let count: Int
    private(set) var occupants: [pid_t?]
    /// Children seen at the last assignment that had no free slot.
    private(set) var unslotted = 0

    init(count: Int) {
        self.count = max(0, count)
        occupants = Array(repeating: nil, count: self.count)
    }

    /// Frees the slots of children no longer listed and gives each new child the lowest free slot.
    mutating func assign(children: [pid_t]) {
        let live = Set(children)
        for slot in occupants.indices where occupants[slot].map({ !live.contains($0) }) ?? false {
            occupants[slot] = nil
        }
        unslotted = 0
        for child in children where !occupants.contains(child) {
            guard let free = occupants.firstIndex(of: nil) else {
                unslotted += 1
                continue
            }
            occupants[free] = child
        }
    }

    /// The slot `pid` holds, if any.
    func slot(of pid: pid_t) -> Int? { occupants.firstIndex(of: pid) }
}
