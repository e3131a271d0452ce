import TopMockLock

#if canImport(Glibc)
import Glibc
#endif

/// An HTTP/1.1 server over libmicrohttpd that hands every request to an ``HTTPResponder``.
///
/// ```swift
/// let server = HTTPServer(configuration: .init(), responder: MyResponder())
/// try server.start()          // binds; server.port is the bound port
/// …
/// server.stop()               // stops accepting, drains in-flight requests, closes
/// ```
public final class HTTPServer: Sendable {
    public let configuration: Configuration
    private let responder: any HTTPResponder
    private let daemon = Locked<MHDDaemon?>(nil)

    public init(configuration: Configuration, responder: any HTTPResponder) {
        self.configuration = configuration
        self.responder = responder
    }

    /// Binds and starts serving on libmicrohttpd's own threads. Returns once listening.
    public func start() throws(HTTPServerError) {
        try daemon.withLock { (daemon: inout MHDDaemon?) throws(HTTPServerError) in
            guard daemon == nil else { throw .alreadyStarted }
            daemon = try MHDDaemon(configuration: configuration, responder: responder)
        }
    }

    /// The bound TCP port, or 0 before ``start()`` and after ``stop()``.
    public var port: Int {
        daemon.withLock { $0?.boundPort ?? 0 }
    }

    /// Requests received and not yet completed.
    public var requestsInFlight: Int {
        daemon.withLock { $0?.requestsInFlight ?? 0 }
    }

    /// Stops accepting connections, lets requests in flight finish (up to
    /// ``Configuration/drainTimeout``), closes pending deferred responses, and stops the daemon.
    /// Safe to call more than once.
    public func stop() {
        let running = daemon.withLock { daemon -> MHDDaemon? in
            defer { daemon = nil }
            return daemon
        }
        running?.stop(drainTimeout: configuration.drainTimeout)
    }

    deinit {
        stop()
    }

    static func onlineProcessorCount() -> Int {
        #if canImport(Glibc)
        let count = sysconf(Int32(_SC_NPROCESSORS_ONLN))
        return count > 0 ? Int(count) : 1
        #else
        return 2
        #endif
    }
}
