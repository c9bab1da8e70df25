/// Which connections hold the server's slots, what each is doing, and whom to evict when a new
/// connection needs room: the server's admission policy as a value, with no sockets or locks, so
/// every case is tested directly.
///
/// A slot is in one of four states. `fresh` (accepted, not read yet) and `receiving` (part of
/// a request read) are *incomplete*: the client owes us bytes. `idle` is a keep-alive
/// connection between requests; `handling` runs the handler or writes the response.
///
/// Slow clients (slowloris) hold slots by keeping requests incomplete. When a connection
/// arrives and the incomplete slots reach ``incompleteLimit`` or every slot is taken, the
/// oldest connection known to have sent part of a request and not the rest is evicted: one
/// in `receiving`, else a fresh one whose socket holds part of a head (the caller peeks, since
/// on a busy machine threads start late). An honest client sends its head in one segment, so
/// it goes from fresh straight to handling and a whole head waiting unread is spared. When
/// every slot is taken and no partial head is left, the connection idle longest goes (any
/// HTTP client must expect that), then the oldest fresh one with nothing sent (a client may
/// pause between connect and send, so only a full table evicts those). A newcomer is refused
/// only when every slot is handling a request or holds a whole head. "Oldest" means the
/// current request (or idle wait) began earliest: a ticket taken at accept and at each change
/// of state orders them without a clock.
struct ConnectionSlots {
    /// What a connection is doing, as far as admission cares.
    enum State: Equatable {
        case fresh, receiving, idle, handling

        /// The client owes us the rest of a request (or its first byte).
        var isIncomplete: Bool { self == .fresh || self == .receiving }
    }

    /// What waits unread in a fresh connection's socket, as far as a peek can tell.
    enum Unread: Equatable {
        case nothing, partialHead, completeHead
    }

    /// The decision for one new connection.
    enum Admission: Equatable {
        /// Serve it under `id`, after closing `evicting` (nil when there was room).
        case admit(id: Int, evicting: Int?)
        /// Every slot is handling a request or holds a whole head: refuse.
        case full
        /// Evicted connections still closing fill the table up to ``entryCeiling``: wait for
        /// their threads to leave, then ask again.
        case closing
    }

    private struct Slot {
        var state: State
        var ticket: UInt64
        var evicted = false
    }

    /// Slots served at once (the server's maxConnections).
    let limit: Int
    /// Slots that incomplete requests may hold together; a newcomer beyond it evicts one.
    let incompleteLimit: Int
    /// Evicted connections still closing keep their entry until their thread leaves; past this
    /// many entries in all, newcomers wait, so a reconnect storm cannot grow threads and
    /// descriptors without bound. Twice the limit, and at least 64 above it so a small table
    /// on a busy machine (threads slow to be scheduled) does not stall.
    let entryCeiling: Int
    private var slots: [Int: Slot] = [:]
    private var nextID = 0
    private var nextTicket: UInt64 = 0

    init(limit: Int, incompleteLimit: Int) {
        precondition(limit >= 1 && incompleteLimit >= 1, "connection limits must be at least 1")
        self.limit = limit
        self.incompleteLimit = min(incompleteLimit, limit)
        self.entryCeiling = limit + max(limit, 64)
    }

    /// Entries not yet removed, evicted ones still closing included.
    var entryCount: Int { slots.count }

    /// Slots held by connections that were not evicted.
    var liveCount: Int { slots.values.count { !$0.evicted } }

    /// Live connections whose request is incomplete.
    var incompleteCount: Int { slots.values.count { !$0.evicted && $0.state.isIncomplete } }

    /// The state of connection `id`, or nil when it was removed or evicted.
    func state(of id: Int) -> State? {
        guard let slot = slots[id], !slot.evicted else { return nil }
        return slot.state
    }

    /// Decides on a new connection: admit (perhaps evicting one), refuse, or wait.
    ///
    /// `peek` is asked about fresh candidates, oldest first, until one shows a partial head.
    mutating func admit(peek: (Int) -> Unread = { _ in .partialHead }) -> Admission {
        guard slots.count < entryCeiling else { return .closing }
        var live = 0, incomplete = 0
        var oldestReceiving: (id: Int, ticket: UInt64)?
        var oldestIdle: (id: Int, ticket: UInt64)?
        var fresh: [(id: Int, ticket: UInt64)] = []
        // A linear scan: tables hold hundreds of entries and this runs once per accept.
        for (id, slot) in slots where !slot.evicted {
            live += 1
            switch slot.state {
            case .fresh:
                incomplete += 1
                fresh.append((id, slot.ticket))
            case .receiving:
                incomplete += 1
                if oldestReceiving.map({ slot.ticket < $0.ticket }) ?? true { oldestReceiving = (id, slot.ticket) }
            case .idle:
                if oldestIdle.map({ slot.ticket < $0.ticket }) ?? true { oldestIdle = (id, slot.ticket) }
            case .handling:
                break
            }
        }
        let full = live >= limit
        var victim: Int?
        if incomplete >= incompleteLimit || full {
            let (partial, silent) = oldestReceiving == nil ? Self.freshCandidates(fresh, peek: peek) : (nil, nil)
            victim = oldestReceiving?.id ?? partial
            if victim == nil && full {
                guard let last = oldestIdle?.id ?? silent else { return .full }
                victim = last
            }
        }
        if let victim { slots[victim]?.evicted = true }
        nextID += 1
        slots[nextID] = Slot(state: .fresh, ticket: takeTicket())
        return .admit(id: nextID, evicting: victim)
    }

    /// The oldest fresh connection showing part of a head and, until one is found, the
    /// oldest showing nothing; peeks oldest first and stops at the first partial head.
    private static func freshCandidates(
        _ fresh: [(id: Int, ticket: UInt64)],
        peek: (Int) -> Unread
    ) -> (partial: Int?, silent: Int?) {
        var silent: Int?
        for candidate in fresh.sorted(by: { $0.ticket < $1.ticket }) {
            switch peek(candidate.id) {
            case .partialHead: return (candidate.id, silent)
            case .nothing: silent = silent ?? candidate.id
            case .completeHead: continue
            }
        }
        return (nil, silent)
    }

    /// Records that connection `id` moved to `state`; returns false when it was evicted (or
    /// removed) meanwhile, and must close instead of going on.
    mutating func move(_ id: Int, to state: State) -> Bool {
        guard let slot = slots[id], !slot.evicted else { return false }
        // Moving from fresh to receiving keeps the accept ticket: that request began at accept.
        let keepsTicket = slot.state == .fresh && state == .receiving
        slots[id] = Slot(state: state, ticket: keepsTicket ? slot.ticket : takeTicket())
        return true
    }

    /// Forgets connection `id` (its thread is leaving).
    mutating func remove(_ id: Int) {
        slots[id] = nil
    }

    /// The live connections in `states`, for shutdown.
    func ids(in states: Set<State>) -> [Int] {
        slots.compactMap { id, slot in !slot.evicted && states.contains(slot.state) ? id : nil }
    }

    private mutating func takeTicket() -> UInt64 {
        nextTicket += 1
        return nextTicket
    }
}
