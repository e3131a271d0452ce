/// Why the HTTP server could not do what it was asked. Each case carries what a user needs to fix it.
public struct HTTPServerError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Kind: Equatable {
        case invalidHost(String)
        case daemonStartFailed(host: String, port: Int, errno: Int32)
        case alreadyStarted
    }

    private let kind: Kind

    /// The host is neither an IPv4/IPv6 literal nor `localhost`.
    public static func invalidHost(_ host: String) -> Self { Self(kind: .invalidHost(host)) }
    /// `MHD_start_daemon` returned NULL (port in use, permission denied …).
    public static func daemonStartFailed(host: String, port: Int, errno: Int32) -> Self {
        Self(kind: .daemonStartFailed(host: host, port: port, errno: errno))
    }
    public static let alreadyStarted = Self(kind: .alreadyStarted)

    public var description: String {
        switch kind {
        case .invalidHost(let host):
            return "cannot bind to '\(host)': give an IPv4 or IPv6 address (e.g. 127.0.0.1, 0.0.0.0, ::1) or localhost"
        case .daemonStartFailed(let host, let port, let errno):
            let reason = errno == 98 ? "address already in use" : errno == 13 ? "permission denied" : "errno \(errno)"
            return "cannot listen on \(host):\(port): \(reason)"
        case .alreadyStarted:
            return "the server is already started"
        }
    }
}
