import Dispatch
import TopMockHTTP
import TopMockScenarios

/// Where a scenario's ``Fault`` becomes something the transport does (WireMock's FaultInjector).
extension Fault {
    /// - Parameters:
    ///   - answer: the response the gateway would have sent (truncated and malformed bodies break it).
    func reply(answer: HTTPResponse) -> HTTPReply {
        switch self {
        case .closeConnection:
            return .closeConnection
        case .resetConnection:
            return .resetConnection
        case .emptyBody:
            return .response(HTTPResponse(status: 200, headers: answer.headers, body: []))
        case .truncatedBody:
            return .truncated(answer, sentBytes: answer.body.count / 2)
        case .malformedBody:
            // The first two thirds of the real answer and a stray fragment: not well-formed JSON or XML.
            var body = Array(answer.body.prefix(answer.body.count * 2 / 3))
            body.append(contentsOf: Array(#"<<"}]>"#.utf8))
            return .response(HTTPResponse(status: 200, headers: answer.headers, body: body))
        case .http500:
            return .response(Self.proxyPage(500))
        case .http502:
            return .response(Self.proxyPage(502))
        case .http503:
            return .response(Self.proxyPage(503))
        }
    }

    /// The page an nginx in front of the gateway sends for `status` (an upstream's status too).
    static func proxyPage(_ status: Int) -> HTTPResponse {
        let reasons = [500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Temporarily Unavailable"]
        return proxyPage(status, reasons[status] ?? "Bad Gateway")
    }

    private static func proxyPage(_ status: Int, _ reason: String) -> HTTPResponse {
        let body =
            "<html>\r\n<head><title>\(status) \(reason)</title></head>\r\n<body>\r\n<center><h1>\(status) \(reason)</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
        return HTTPResponse(status: status, headers: ["Content-Type": "text/html", "Server": "nginx"], body: Array(body.utf8))
    }
}

/// Runs work after a delay without holding a libmicrohttpd thread. Injected so tests can run
/// delays at once (and read them) instead of sleeping.
public protocol DelayScheduler: Sendable {
    func schedule(after delay: Duration, _ work: @escaping @Sendable () -> Void)
}

/// Runs delayed completions on a private serial dispatch queue's timer. Not a `Task.sleep`: the
/// cooperative thread pool has as many threads as cores, and anything that blocks them (a test
/// harness doing blocking I/O, say) would hold every delayed answer back; a private queue
/// overcommits, so it always gets a thread. The work it runs is tiny (complete + resume).
public final class DispatchDelayScheduler: DelayScheduler {
    private let queue = DispatchQueue(label: "topmock.delays")

    public init() {}

    public func schedule(after delay: Duration, _ work: @escaping @Sendable () -> Void) {
        let nanoseconds = max(0, Int(delay.seconds * 1_000_000_000))
        queue.asyncAfter(deadline: .now() + .nanoseconds(nanoseconds), execute: work)
    }
}
