#if canImport(Glibc)
import Glibc
#endif

/// How long tests wait for what should come at once, so a regression fails a test instead of
/// hanging the run. Generous: on 2 shared cores under sanitizers a step can take seconds, and no
/// bound here is a timing assertion (nothing checks that a wait was short).
public enum TestDeadlines {
    /// A deferred (delayed or upstream) answer in the in-process harness.
    public static let deferredAnswer = 30
    /// A condition a test polls for (a server's ready line, a file's change picked up).
    public static let poll: Duration = .seconds(30)

    /// Polls `condition` every `interval` until it holds or `deadline` passes; returns whether it
    /// held. Every spin-wait in the tests goes through here.
    public static func waitUntil(
        deadline: Duration = poll, interval: Duration = .milliseconds(10), _ condition: () throws -> Bool
    ) rethrows -> Bool {
        let clock = ContinuousClock()
        let end = clock.now.advanced(by: deadline)
        while clock.now < end {
            if try condition() { return true }
            clock.sleepSynchronously(for: interval)
        }
        return try condition()
    }
}

extension ContinuousClock {
    /// Blocks the calling thread (tests run synchronous code under a deadline).
    fileprivate func sleepSynchronously(for duration: Duration) {
        let (seconds, attoseconds) = duration.components
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 { request = remaining }
    }
}
