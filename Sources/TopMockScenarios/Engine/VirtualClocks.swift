import TopMockLock
public import TopMockProtocol

/// One clock per namespace over a real one: real time by default; frozen at an instant; or real
/// time shifted by an offset (what "advance" does to a clock that is not frozen). It drives
/// `after:` timeline steps, quota windows and the gateway's timestamp window, so a test can make
/// "after 30 s" happen at once.
public final class VirtualClocks: Sendable {
    public enum Setting: Sendable, Equatable {
        case real
        case frozen(at: WallInstant)
        /// Real time plus an offset of at most ``WallInstant/span`` either way.
        case shifted(byMillis: Int64)
    }

    private let base: any WallClock
    private let settings = Locked<[String: Setting]>([:])

    public init(base: any WallClock) {
        self.base = base
    }

    /// The namespace's time, always inside ``WallInstant/range``: a shifted clock whose real time
    /// has run past an end reads that end.
    public func nowMillis(namespace: String) -> Int64 {
        Self.now(setting(namespace: namespace), base: base.nowMillis()).millis
    }

    private static func now(_ setting: Setting, base: Int64) -> WallInstant {
        switch setting {
        case .real: return WallInstant(clamping: base)
        case .frozen(let at): return at
        // Both terms are bounded (the base clamped, the offset by the span): the sum cannot overflow.
        case .shifted(let offset): return WallInstant(clamping: WallInstant(clamping: base).millis + offset)
        }
    }

    public func setting(namespace: String) -> Setting {
        settings.withLock { $0[namespace] ?? .real }
    }

    /// Why a clock change was refused; the clock is left as it was.
    public struct ChangeError: Error, Equatable {
        /// Where the change would have put the clock, in milliseconds (unbounded), when known.
        public let wouldReadMillis: Int64?
    }

    /// One change of a namespace's clock, applied whole or not at all: back to real time when
    /// `real`, then frozen at `freezeAt` ("now" when `freezeNow`), then moved by `advanceMillis`
    /// (back, when negative). Refused when the result would leave ``WallInstant/range``.
    @discardableResult
    public func change(
        namespace: String, real: Bool = false, freezeAt: WallInstant? = nil, freezeNow: Bool = false, advanceMillis: Int64? = nil
    ) -> Result<Setting, ChangeError> {
        let baseNow = base.nowMillis()
        return settings.withLock { settings in
            var setting = real ? .real : settings[namespace] ?? .real
            if let freezeAt {
                setting = .frozen(at: freezeAt)
            } else if freezeNow {
                setting = .frozen(at: Self.now(setting, base: baseNow))
            }
            if let delta = advanceMillis {
                let before = Self.now(setting, base: baseNow)
                guard let moved = before.adding(millis: delta) else {
                    let (sum, overflow) = before.millis.addingReportingOverflow(delta)
                    return .failure(ChangeError(wouldReadMillis: overflow ? nil : sum))
                }
                switch setting {
                case .frozen: setting = .frozen(at: moved)
                case .real, .shifted: setting = .shifted(byMillis: moved.millis - WallInstant(clamping: baseNow).millis)
                }
            }
            settings[namespace] = setting == .real ? nil : setting
            return .success(setting)
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
