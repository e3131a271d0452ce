import TopMockLock
public import TopMockProtocol

/// One clock per namespace over a real one: real time by default; frozen at an instant; or real
/// time shifted by an offset (what "advance" does to a clock that is not frozen). It drives
/// `after:` timeline steps, quota windows and the gateway's timestamp window, so a test can make
/// "after 30 s" happen at once.
public final class VirtualClocks: Sendable {
    public enum Setting: Sendable, Equatable {
        case real
        case frozen(atMillis: Int64)
        case shifted(byMillis: Int64)
    }

    private let base: any WallClock
    private let settings = Locked<[String: Setting]>([:])

    public init(base: any WallClock) {
        self.base = base
    }

    public func nowMillis(namespace: String) -> Int64 {
        switch setting(namespace: namespace) {
        case .real: return base.nowMillis()
        case .frozen(let at): return at
        case .shifted(let offset): return base.nowMillis() + offset
        }
    }

    public func setting(namespace: String) -> Setting {
        settings.withLock { $0[namespace] ?? .real }
    }

    public func freeze(namespace: String, atMillis: Int64) {
        settings.withLock { $0[namespace] = .frozen(atMillis: atMillis) }
    }

    /// Moves the namespace's time forward (or back, with a negative amount).
    public func advance(namespace: String, byMillis delta: Int64) {
        settings.withLock { settings in
            switch settings[namespace] ?? .real {
            case .real: settings[namespace] = .shifted(byMillis: delta)
            case .frozen(let at): settings[namespace] = .frozen(atMillis: at + delta)
            case .shifted(let offset): settings[namespace] = .shifted(byMillis: offset + delta)
            }
        }
    }

    /// Back to real time (also what a reset of the namespace does).
    public func release(namespace: String? = nil) {
        settings.withLock { settings in
            if let namespace { settings[namespace] = nil } else { settings = [:] }
        }
    }

    /// A ``WallClock`` that reads one namespace's time.
    public func clock(namespace: String) -> any WallClock {
        NamespaceClock(clocks: self, namespace: namespace)
    }

    private struct NamespaceClock: WallClock {
        let clocks: VirtualClocks
        let namespace: String
        func nowMillis() -> Int64 { clocks.nowMillis(namespace: namespace) }
    }
}
