import Synchronization
import Testing
@testable import MiniHTTP

/// The admission policy as a value: no sockets, no threads, every case stepped by hand.
@Suite struct ConnectionSlotsTests {
    /// Admits `count` connections and returns their ids, expecting no eviction.
    private func fill(_ slots: inout ConnectionSlots, _ count: Int) -> [Int] {
        (0..<count).map { _ in
            guard case .admit(let id, nil) = slots.admit() else {
                Issue.record("expected room")
                return -1
            }
            return id
        }
    }

    /// Moves `id` through `states`, recording an issue if the table refuses any step.
    private func step(_ slots: inout ConnectionSlots, _ id: Int, _ states: ConnectionSlots.State...) {
        for state in states where !slots.move(id, to: state) {
            Issue.record("connection \(id) could not move to \(state)")
        }
    }

    @Test func admitsUpToTheLimitWithoutEvicting() {
        var slots = ConnectionSlots(limit: 4, incompleteLimit: 4)
        let ids = fill(&slots, 4)
        #expect(Set(ids).count == 4)
        #expect(slots.liveCount == 4 && slots.incompleteCount == 4)
    }

    @Test func incompleteRequestsBeyondTheirCapEvictTheOldest() {
        var slots = ConnectionSlots(limit: 8, incompleteLimit: 2)
        let ids = fill(&slots, 2)
        let third = slots.admit()
        #expect(third == .admit(id: 3, evicting: ids[0]), "the table has room, but the cap is reached")
        #expect(slots.state(of: ids[0]) == nil)
        let moved = slots.move(ids[0], to: .handling)
        #expect(!moved, "an evicted connection must close, not run the handler")
        #expect(slots.liveCount == 2 && slots.entryCount == 3, "the victim's entry stays until its thread leaves")
        slots.remove(ids[0])
        #expect(slots.entryCount == 2)
    }

    @Test func aPartialHeadIsEvictedBeforeAConnectionNotReadYet() {
        var slots = ConnectionSlots(limit: 8, incompleteLimit: 3)
        let ids = fill(&slots, 3)
        // ids[0] is oldest but unread (fresh); ids[2] has sent part of a head and stalled.
        step(&slots, ids[2], .receiving)
        guard case .admit(_, let victim) = slots.admit() else { Issue.record("expected admission"); return }
        #expect(victim == ids[2])
        guard case .admit(_, let next) = slots.admit() else { Issue.record("expected admission"); return }
        #expect(next == ids[0], "with no partial head left, the oldest unread connection goes")
    }

    @Test func oldestMeansTheCurrentRequestBeganEarliest() {
        var slots = ConnectionSlots(limit: 8, incompleteLimit: 2)
        let ids = fill(&slots, 2)
        // ids[0] finishes a request and starts another: that one began after ids[1]'s.
        step(&slots, ids[0], .handling, .idle, .receiving)
        step(&slots, ids[1], .receiving)
        guard case .admit(_, let victim) = slots.admit() else { Issue.record("expected admission"); return }
        #expect(victim == ids[1], "fresh to receiving keeps the accept ticket; idle to receiving takes a new one")
    }

    @Test func aFullTableEvictsIdleKeepAliveWhenNothingIsIncomplete() {
        var slots = ConnectionSlots(limit: 3, incompleteLimit: 3)
        let ids = fill(&slots, 3)
        step(&slots, ids[0], .handling)
        step(&slots, ids[1], .handling, .idle)
        step(&slots, ids[2], .handling, .idle)
        guard case .admit(_, let victim) = slots.admit() else { Issue.record("expected admission"); return }
        #expect(victim == ids[1], "the connection idle longest")
    }

    @Test func aFullTableOfHandlersRefuses() {
        var slots = ConnectionSlots(limit: 2, incompleteLimit: 2)
        for id in fill(&slots, 2) { step(&slots, id, .handling) }
        let admission = slots.admit()
        #expect(admission == .full)
        #expect(slots.liveCount == 2)
    }

    @Test func evictedEntriesStillClosingAreBounded() {
        // Victims whose threads have not left yet keep entries; a reconnect storm must not
        // grow them (and their threads and descriptors) without bound.
        var slots = ConnectionSlots(limit: 2, incompleteLimit: 1)
        var admitted = 0
        while case .admit = slots.admit() { admitted += 1 }
        #expect(slots.entryCount == slots.entryCeiling && slots.entryCeiling == 2 + 64)
        #expect(admitted == 66 && slots.liveCount == 1)
        let waiting = slots.admit()
        #expect(waiting == .closing, "wait for victims' threads to leave; do not refuse")
        #expect(ConnectionSlots(limit: 256, incompleteLimit: 128).entryCeiling == 512)
    }

    @Test func freshConnectionsAreRankedByWhatWaitsUnread() {
        var slots = ConnectionSlots(limit: 8, incompleteLimit: 4)
        let ids = fill(&slots, 4)
        // On a busy machine threads start late, so only a peek tells these apart: ids[0]'s
        // whole head waits unread, ids[1] has sent nothing yet, ids[2] and ids[3] part of a head.
        let unread: [Int: ConnectionSlots.Unread] = [
            ids[0]: .completeHead, ids[1]: .nothing, ids[2]: .partialHead, ids[3]: .partialHead,
        ]
        let asked = Mutex<[Int]>([])
        let peek = { (id: Int) -> ConnectionSlots.Unread in
            asked.withLock { $0.append(id) }
            return unread[id] ?? .completeHead
        }
        let first = slots.admit(peek: peek)
        #expect(first == .admit(id: 5, evicting: ids[2]), "the oldest partial head")
        #expect(asked.withLock { $0 } == [ids[0], ids[1], ids[2]], "oldest first, until a partial head")
        let second = slots.admit(peek: peek)
        #expect(second == .admit(id: 6, evicting: ids[3]))
        let third = slots.admit(peek: peek)
        #expect(third == .admit(id: 7, evicting: nil),
                "over the cap, but nothing shows a slow request and the table has room")
        step(&slots, ids[0], .receiving)
        let fourth = slots.admit(peek: { _ in
            Issue.record("a partial head known to the table is evicted before any fresh connection is peeked")
            return .partialHead
        })
        #expect(fourth == .admit(id: 8, evicting: ids[0]))
    }

    @Test func aFullTableEvictsIdleBeforeAConnectionThatSentNothing() {
        var slots = ConnectionSlots(limit: 3, incompleteLimit: 3)
        let ids = fill(&slots, 3)
        step(&slots, ids[2], .handling, .idle)
        let unread: [Int: ConnectionSlots.Unread] = [ids[0]: .nothing, ids[1]: .completeHead]
        let first = slots.admit(peek: { unread[$0] ?? .completeHead })
        #expect(first == .admit(id: 4, evicting: ids[2]), "an idle keep-alive client just reconnects")
        let second = slots.admit(peek: { unread[$0] ?? .completeHead })
        #expect(second == .admit(id: 5, evicting: ids[0]), "then the oldest that sent nothing")
        let third = slots.admit(peek: { _ in .completeHead })
        #expect(third == .full, "whole heads waiting are requests like any other")
    }

    @Test func capIsClampedToTheLimit() {
        let slots = ConnectionSlots(limit: 2, incompleteLimit: 10)
        #expect(slots.incompleteLimit == 2)
        #expect(HTTPServerConfiguration(maxConnections: 256).maxIncompleteConnections == 128)
        #expect(HTTPServerConfiguration(maxConnections: 1).maxIncompleteConnections == 1)
    }

    @Test func shutdownFindsConnectionsWaitingForARequest() {
        var slots = ConnectionSlots(limit: 4, incompleteLimit: 4)
        let ids = fill(&slots, 4)
        step(&slots, ids[1], .receiving)
        step(&slots, ids[2], .handling)
        step(&slots, ids[3], .handling, .idle)
        #expect(Set(slots.ids(in: [.fresh, .idle])) == [ids[0], ids[3]])
    }
}
