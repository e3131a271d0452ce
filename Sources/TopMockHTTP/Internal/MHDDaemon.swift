internal import CMicroHTTPD
internal import CMicroHTTPDShim
import Synchronization
import TopMockLock

#if canImport(Glibc)
import Glibc
#endif

/// Owns one `struct MHD_Daemon *` and the context its callbacks reach through `cls`.
///
/// Threading: libmicrohttpd runs the access handler on its pool threads, never two callbacks for
/// the same connection at once. Shared state lives in ``MHDDaemonContext`` (atomics and mutexes).
final class MHDDaemon: Sendable {
    private let handle: DaemonHandle
    private let context: MHDDaemonContext
    private let contextPointer: UnmanagedContext
    let boundPort: Int

    init(configuration: HTTPServer.Configuration, responder: any HTTPResponder) throws(HTTPServerError) {
        let context = MHDDaemonContext(responder: responder, maxBodyBytes: configuration.maxBodyBytes)
        let unmanaged = Unmanaged.passRetained(context)
        guard let address = SocketAddress(host: configuration.host, port: configuration.port) else {
            unmanaged.release()
            throw .invalidHost(configuration.host)
        }
        var flags =
            MHD_USE_INTERNAL_POLLING_THREAD.rawValue | MHD_USE_POLL.rawValue
            | MHD_USE_ITC.rawValue | MHD_ALLOW_SUSPEND_RESUME.rawValue
        if address.isIPv6 { flags |= MHD_USE_IPv6.rawValue }
        let threads = configuration.threadCount
        let daemon: OpaquePointer? = address.withSockaddr { sockaddr in
            var settings = topmock_mhd_settings(
                flags: flags,
                bind_address: sockaddr,
                thread_pool_size: UInt32(clamping: threads > 1 ? threads : 0),
                connection_limit: UInt32(clamping: configuration.connectionLimit),
                connection_timeout: UInt32(clamping: configuration.connectionTimeoutSeconds),
                connection_memory_limit: configuration.connectionMemoryLimit,
                per_ip_connection_limit: 0
            )
            return topmock_mhd_start_daemon(
                &settings, topmockAccessHandler, topmockRequestCompleted, topmockURILogger, unmanaged.toOpaque())
        }
        guard let daemon else {
            let code = errno
            unmanaged.release()
            throw .daemonStartFailed(host: configuration.host, port: configuration.port, errno: code)
        }
        self.handle = DaemonHandle(pointer: daemon)
        self.context = context
        self.contextPointer = UnmanagedContext(unmanaged: unmanaged)
        self.boundPort = Int(topmock_mhd_bound_port(daemon))
    }

    var requestsInFlight: Int { context.inFlight.load(ordering: .relaxed) }

    /// Graceful stop; see ``HTTPServer/stop()``. Runs at most once.
    func stop(drainTimeout: Duration) {
        guard let daemon = handle.take() else { return }
        // 1. Stop accepting (MHD_quiesce_daemon needs MHD_USE_ITC). It hands the listening socket
        //    back to us: shut it down so new connects fail at once, close it after MHD_stop_daemon.
        let listenSocket = MHD_quiesce_daemon(daemon)
        if listenSocket >= 0 { _ = shutdown(listenSocket, Int32(SHUT_RDWR)) }
        // 2. Let requests in flight finish, within the drain timeout.
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: drainTimeout)
        while context.inFlight.load(ordering: .acquiring) > 0 && clock.now < deadline {
            usleep(1000)
        }
        // 3. Suspended connections must be resumed before MHD_stop_daemon (an API violation
        //    otherwise): close every deferred response still pending, give the pool a moment to act.
        context.closeAllPending()
        let resumeDeadline = clock.now.advanced(by: .milliseconds(200))
        while context.inFlight.load(ordering: .acquiring) > 0 && clock.now < resumeDeadline {
            usleep(1000)
        }
        // 4. Stop: closes what is left, joins the threads.
        MHD_stop_daemon(daemon)
        if listenSocket >= 0 { _ = close(listenSocket) }
        contextPointer.release()
    }

    deinit {
        stop(drainTimeout: .zero)
    }
}

/// Shared by every callback of one daemon, reached through `cls`.
final class MHDDaemonContext: Sendable {
    let responder: any HTTPResponder
    let maxBodyBytes: Int
    /// Requests between the URI-log callback and the completion callback.
    let inFlight = Atomic<Int>(0)
    private let pending = Locked<[ObjectIdentifier: DeferredResponse]>([:])

    init(responder: any HTTPResponder, maxBodyBytes: Int) {
        self.responder = responder
        self.maxBodyBytes = maxBodyBytes
    }

    func registerPending(_ response: DeferredResponse) {
        pending.withLock { $0[ObjectIdentifier(response)] = response }
    }

    func unregisterPending(_ response: DeferredResponse) {
        _ = pending.withLock { $0.removeValue(forKey: ObjectIdentifier(response)) }
    }

    func closeAllPending() {
        let all = pending.withLock { Array($0.values) }
        for response in all { response.complete(.closeConnection) }
    }
}

/// The daemon pointer, taken exactly once by stop().
private final class DaemonHandle: Sendable {
    private let pointer: Locked<SendablePointer?>

    init(pointer: OpaquePointer) { self.pointer = Locked(SendablePointer(raw: pointer)) }

    func take() -> OpaquePointer? {
        pointer.withLock { value in
            defer { value = nil }
            return value?.raw
        }
    }
}

/// The +1 reference on the context that the C side holds as `cls`; released after MHD_stop_daemon.
private final class UnmanagedContext: Sendable {
    private let released = Atomic<Bool>(false)
    private let unmanaged: Unmanaged<MHDDaemonContext>

    init(unmanaged: Unmanaged<MHDDaemonContext>) { self.unmanaged = unmanaged }

    func release() {
        if !released.exchange(true, ordering: .acquiringAndReleasing) { unmanaged.release() }
    }
}

/// A C pointer that crosses threads. libmicrohttpd documents which calls are thread-safe
/// (MHD_resume_connection from any thread, MHD_stop_daemon from the owner).
struct SendablePointer: @unchecked Sendable {
    let raw: OpaquePointer
}
