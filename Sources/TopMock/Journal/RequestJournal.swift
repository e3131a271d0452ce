import TopMockLock

/// Every call to `/router/rest`, newest last, bounded by entry count *and* bytes: the oldest
/// entries go first, counted in ``evicted``. Memory stays flat under endless traffic.
public final class RequestJournal: Sendable {
    public struct Limits: Sendable, Equatable {
        public var maxEntries: Int
        public var maxBytes: Int

        public init(maxEntries: Int = 10_000, maxBytes: Int = 16 * 1024 * 1024) {
            self.maxEntries = max(1, maxEntries)
            self.maxBytes = max(1024, maxBytes)
        }
    }

    /// A ring over an array that grows up to `capacity` (no memory is taken for entries that never
    /// came), each slot with its entry's size computed once.
    private struct Ring {
        let capacity: Int
        var slots: [(entry: JournalEntry, bytes: Int)?] = []
        var head = 0  // the oldest entry
        var count = 0
        var bytes = 0
        var evicted = 0
        var nextID = 1
        /// Per namespace, the first id still visible: a reset forgets a namespace in O(1), its
        /// older entries age out of the ring as usual.
        var cutoffs: [String: Int] = [:]

        init(capacity: Int) { self.capacity = capacity }

        func isVisible(_ entry: JournalEntry) -> Bool {
            entry.id >= (cutoffs[entry.namespace] ?? 0)
        }

        /// Always makes progress while `count > 0`. Returns the entry, so the caller can free it
        /// after unlocking.
        @discardableResult
        mutating func evictOldest() -> JournalEntry? {
            guard count > 0 else { return nil }
            let slot = slots[head]
            bytes -= slot?.bytes ?? 0
            slots[head] = nil
            head = (head + 1) % slots.count
            count -= 1
            evicted += 1
            return slot?.entry
        }

        /// The caller has made room (`count < capacity`).
        mutating func append(_ entry: consuming JournalEntry, bytes size: Int) {
            if count < slots.count {
                // A free slot right after the newest entry.
                slots[(head + count) % slots.count] = (entry, size)
            } else {
                // Every slot is taken and the array may grow: straighten the ring, then append.
                if head != 0 {
                    slots = Array(slots[head...] + slots[..<head])
                    head = 0
                }
                // Grow by doubling, but never past the entry limit: slots past it would never be
                // used.
                if slots.count == slots.capacity {
                    slots.reserveCapacity(Swift.min(capacity, Swift.max(16, slots.count * 2)))
                }
                slots.append((entry, size))
            }
            count += 1
            bytes += size
        }

        func entries() -> [JournalEntry] {
            (0..<count).compactMap { slots[(head + $0) % slots.count]?.entry }.filter(isVisible)
        }

        /// Whether the ring holds a visible entry of `namespace` (read in place, no copies).
        func hasVisibleEntry(in namespace: String) -> Bool {
            (0..<count).contains { offset in
                guard let entry = slots[(head + offset) % slots.count]?.entry else { return false }
                return entry.namespace == namespace && isVisible(entry)
            }
        }
    }

    public let limits: Limits
    private let ring: Locked<Ring>

    public init(limits: Limits = Limits()) {
        self.limits = limits
        self.ring = Locked(Ring(capacity: limits.maxEntries))
    }

    /// Adds an entry (its `id` is assigned here) and returns the id.
    @discardableResult
    public func record(_ entry: consuming JournalEntry) -> Int {
        let size = entry.estimatedBytes
        // Moved into the ring, not copied (a copy retains and later releases each of its strings).
        var pending = Optional(entry)
        // The evicted entry is freed after the lock is released (its strings and arrays).
        let (id, evicted) = ring.withLock { ring in
            var entry = pending.take()!
            let id = ring.nextID
            entry.id = id
            ring.nextID += 1
            var evicted: JournalEntry?
            while ring.count > 0 && (ring.count == ring.capacity || ring.bytes + size > limits.maxBytes) {
                if evicted == nil { evicted = ring.evictOldest() } else { ring.evictOldest() }
            }
            ring.append(consume entry, bytes: size)
            return (id, evicted)
        }
        withExtendedLifetime(evicted) {}
        return id
    }

    /// Matching entries, oldest first; with `limit`, the newest `limit` of them.
    public func entries(matching filter: JournalFilter = JournalFilter(), limit: Int? = nil) -> [JournalEntry] {
        let all = ring.withLock { $0.entries() }.filter(filter.matches)
        guard let limit, all.count > limit else { return all }
        return Array(all.suffix(max(0, limit)))
    }

    /// The visible entry with this id, if the journal still holds it.
    public func entry(id: Int) -> JournalEntry? {
        ring.withLock { ring in ring.entries().last { $0.id == id } }
    }

    public func count(matching filter: JournalFilter = JournalFilter()) -> Int {
        ring.withLock { $0.entries() }.count(where: filter.matches)
    }

    /// Removes the matching entries (all of them with an empty filter); returns how many.
    @discardableResult
    public func remove(matching filter: JournalFilter = JournalFilter()) -> Int {
        ring.withLock { ring in
            let all = ring.entries()
            let kept = all.filter { !filter.matches($0) }
            var fresh = Ring(capacity: ring.capacity)
            fresh.evicted = ring.evicted
            fresh.nextID = ring.nextID
            fresh.cutoffs = ring.cutoffs
            for entry in kept { fresh.append(entry, bytes: entry.estimatedBytes) }
            ring = fresh
            return all.count - kept.count
        }
    }

    /// Forgets every entry of `namespace` so far (what a namespace reset does): its entries stay
    /// in the ring, hidden, and age out as usual. The table of cutoffs holds only namespaces that
    /// still have entries in the ring (at most `maxEntries` of them), however many namespaces a
    /// long-lived topmock resets: a cutoff is set only for a namespace with entries, and one at or
    /// below the oldest entry's id, which hides nothing any more, is dropped.
    public func forget(namespace: String) {
        ring.withLock { ring in
            if ring.hasVisibleEntry(in: namespace) { ring.cutoffs[namespace] = ring.nextID }
            let oldest = ring.count > 0 ? ring.slots[ring.head]?.entry.id ?? ring.nextID : ring.nextID
            ring.cutoffs = ring.cutoffs.filter { $0.value > oldest }
        }
    }

    /// How many namespaces' cutoffs the journal keeps (for the test of their bound).
    var cutoffCount: Int { ring.withLock { $0.cutoffs.count } }

    /// Entries held (visible ones), their estimated bytes (forgotten ones included until they age
    /// out), and how many were evicted since start.
    public var statistics: (entries: Int, bytes: Int, evicted: Int) {
        ring.withLock { ($0.entries().count, $0.bytes, $0.evicted) }
    }
}
