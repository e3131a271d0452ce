import Dispatch
public import TopMock
public import TopMockHTTP
import TopMockLock
public import TopMockProtocol

/// A clock the test sets by hand; nothing ever sleeps.
public final class ManualWallClock: WallClock {
    private let millis: Locked<Int64>

    public init(millis: Int64 = SystemWallClock().nowMillis()) {
        self.millis = Locked(millis)
    }

    public func nowMillis() -> Int64 { millis.withLock { $0 } }

    public func set(millis value: Int64) { millis.withLock { $0 = value } }

    public func advance(byMillis delta: Int64) { millis.withLock { $0 += delta } }
}

/// What a test saw: the status, headers and body, or that the connection closed without an answer.
public struct TestResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// False when the body stopped short of its `Content-Length` (a truncated-body fault).
    public var isComplete: Bool = true
    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// Runs the same request in-process (the responder, no sockets) or live (real libmicrohttpd on an
/// ephemeral port, through ``HTTPClient``): Hummingbird's `.router` / `.live` split.
public enum TestTarget: Sendable, CustomStringConvertible {
    case inProcess
    case live

    public var description: String { self == .inProcess ? "in-process" : "live" }

    /// Starts what the target needs around `body` and stops it after.
    public func run<R>(_ application: TopMockApplication, _ body: (TestClient) throws -> R) throws -> R {
        switch self {
        case .inProcess:
            return try body(TestClient(application: application, port: nil))
        case .live:
            try application.start()
            defer { application.stop() }
            return try body(TestClient(application: application, port: application.port))
        }
    }
}

/// Sends requests to the application, in-process or over a socket.
public struct TestClient: Sendable {
    let application: TopMockApplication
    /// Set for live clients.
    public let port: Int?

    public struct ClosedWithoutResponse: Error {}
    public struct ConnectionReset: Error {}

    public func execute(_ request: HTTPRequest) throws -> TestResponse {
        if let port {
            var target = request.path
            if !request.query.isEmpty { target += "?" + request.query }
            let result = Result { () throws(HTTPClient.Failure) -> HTTPClient.Response in
                try HTTPClient(port: port).send(request.method, target, headers: request.headers, body: request.body)
            }
            switch result {
            case .success(let response):
                return TestResponse(status: response.status, headers: response.headers, body: response.body, isComplete: response.isComplete)
            case .failure(let failure):
                if failure.kind == .closedWithoutResponse { throw ClosedWithoutResponse() }
                if failure.kind == .connectionReset { throw ConnectionReset() }
                throw failure
            }
        }
        switch application.responder.respond(to: request) {
        case .response(let response):
            return TestResponse(status: response.status, headers: response.headers, body: response.body)
        case .closeConnection:
            throw ClosedWithoutResponse()
        case .resetConnection:
            throw ConnectionReset()
        case .truncated(let response, let sentBytes):
            return TestResponse(
                status: response.status, headers: response.headers, body: Array(response.body.prefix(sentBytes)), isComplete: false)
        case .deferred(let deferred):
            let box = DeferredReplyBox()
            deferred.whenComplete { reply in
                box.reply.withLock { $0 = reply }
                box.ready.signal()
            }
            // A deferred answer that never comes fails the test, not the run.
            guard box.ready.wait(timeout: .now() + .seconds(TestDeadlines.deferredAnswer)) == .success else {
                throw DeferredAnswerTimedOut(seconds: TestDeadlines.deferredAnswer)
            }
            guard case .response(let response)? = box.reply.withLock({ $0 }) else { throw ClosedWithoutResponse() }
            return TestResponse(status: response.status, headers: response.headers, body: response.body)
        }
    }

    public func execute(_ request: SignedRequest) throws -> TestResponse {
        try execute(request.httpRequest())
    }
}

private final class DeferredReplyBox: Sendable {
    let reply = Locked<HTTPReply?>(nil)
    let ready = DispatchSemaphore(value: 0)
}

/// A deferred answer the harness waited for in vain.
public struct DeferredAnswerTimedOut: Error, CustomStringConvertible {
    public let seconds: Int
    public var description: String { "no answer within \(seconds) s of a deferred response" }
}
