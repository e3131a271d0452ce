#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A value behind a `pthread_mutex_t`, with `Synchronization.Mutex`'s `withLock`.
///
/// Why not `Mutex` itself: on Linux it locks with raw futex calls inside the uninstrumented
/// Synchronization library, so ThreadSanitizer cannot see the lock and reports every access it
/// guards as a race (a two-thread counter under `Mutex` is reported; the same under
/// `pthread_mutex_t` is not — see docs/robustness.md). TSan intercepts the pthread calls, so with
/// this lock a TSan run reports only real races. Uncontended, both cost about the same.
public final class Locked<Value>: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    /// Touched only in `withLock`, the mutex held: that is the exclusive access the runtime's
    /// dynamic check would enforce again on every call.
    @exclusivity(unchecked) private var value: Value

    public init(_ value: Value) {
        self.value = value
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deinitialize(count: 1)
        mutex.deallocate()
    }

    /// Runs `body` with the value, the lock held.
    @inline(__always)
    public func withLock<Result, Failure: Error>(_ body: (inout Value) throws(Failure) -> Result) throws(Failure) -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
