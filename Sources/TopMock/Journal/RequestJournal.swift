import Synchronization

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

    private struct Ring {
        var slots: [JournalEntry?]
        var head = 0  // the oldest entry
        var count = 0
        var bytes = 0
        var evicted = 0
        var nextID = 1

        init(capacity: Int) { slots = Array(repeating: nil, count: capacity) }

        mutating func evictOldest() {
            guard count > 0, let oldest = slots[head] else { return }
            bytes -= oldest.estimatedBytes
            slots[head] = nil
            head = (head + 1) % slots.count
            count -= 1
            evicted += 1
        }

        func entries() -> [JournalEntry] {
            (0..<count).compactMap { slots[(head + $0) % slots.count] }
        }
    }

    public let limits: Limits
    private let ring: Mutex<Ring>

    public init(limits: Limits = Limits()) {
        self.limits = limits
        self.ring = Mutex(Ring(capacity: limits.maxEntries))
    }

    /// Adds an entry (its `id` is assigned here) and returns the id.
    @discardableResult
    public func record(_ entry: JournalEntry) -> Int {
        ring.withLock { ring in
            var entry = entry
            entry.id = ring.nextID
            ring.nextID += 1
            let size = entry.estimatedBytes
            while ring.count > 0 && (ring.count == ring.slots.count || ring.bytes + size > limits.maxBytes) {
                ring.evictOldest()
            }
            ring.slots[(ring.head + ring.count) % ring.slots.count] = entry
            ring.count += 1
            ring.bytes += size
            return entry.id
        }
    }

    /// Matching entries, oldest first; with `limit`, the newest `limit` of them.
    public func entries(matching filter: JournalFilter = JournalFilter(), limit: Int? = nil) -> [JournalEntry] {
        let all = ring.withLock { $0.entries() }.filter(filter.matches)
        guard let limit, all.count > limit else { return all }
        return Array(all.suffix(max(0, limit)))
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
            var fresh = Ring(capacity: ring.slots.count)
            fresh.evicted = ring.evicted
            fresh.nextID = ring.nextID
            for entry in kept {
                fresh.slots[fresh.count] = entry
                fresh.count += 1
                fresh.bytes += entry.estimatedBytes
            }
            ring = fresh
            return all.count - kept.count
        }
    }

    /// Entries held, their estimated bytes, and how many were evicted since start.
    public var statistics: (entries: Int, bytes: Int, evicted: Int) {
        ring.withLock { ($0.count, $0.bytes, $0.evicted) }
    }
}
