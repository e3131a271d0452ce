#if canImport(Glibc)
import Glibc
#endif

/// Where the gateway reads the current time (timestamp window; timelines later). Injected so tests
/// control it; the server uses ``SystemWallClock``.
public protocol WallClock: Sendable {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    func nowMillis() -> Int64
}

/// The machine's real-time clock.
public struct SystemWallClock: WallClock {
    public init() {}

    public func nowMillis() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
    }

    /// The server zone's current offset from UTC, in seconds (from the TZ environment / localtime).
    public static func localOffsetSeconds() -> Int64 {
        var now = time(nil)
        var parts = tm()
        guard localtime_r(&now, &parts) != nil else { return 0 }
        return Int64(parts.tm_gmtoff)
    }
}
