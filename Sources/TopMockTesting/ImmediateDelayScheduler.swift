public import TopMock
import TopMockLock

/// Runs a delayed answer at once and keeps the delay it was asked for, so a test reads the
/// configured delay instead of sleeping through it.
public final class ImmediateDelayScheduler: DelayScheduler {
    private let requested = Locked<[Duration]>([])

    public init() {}

    /// The delays asked for so far, in order.
    public var delays: [Duration] { requested.withLock { $0 } }

    public func schedule(after delay: Duration, _ work: @escaping @Sendable () -> Void) {
        requested.withLock { $0.append(delay) }
        work()
    }
}
