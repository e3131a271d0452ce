import Dispatch
import Foundation
import Glibc
import Synchronization
import Testing
import TopMockHTTP
import TopMockLock
import TopMockTesting

/// Live tests: real libmicrohttpd on an ephemeral port, real sockets.
@Suite struct HTTPServerTests {
    /// Echoes what it received, so tests can see the request as the responder did.
    struct Echo: HTTPResponder {
        func respond(to request: HTTPRequest) -> HTTPReply {
            let text =
                "\(request.method) \(request.path) ?\(request.query) [\(request.body.count)] \(request.headers["X-Test"] ?? "-") \(request.remoteAddress)"
            return .response(HTTPResponse(status: 200, contentType: "text/plain", body: text))
        }
    }

    /// Routes by path to the outcomes the transport must support.
    struct Outcomes: HTTPResponder {
        static let completer = DispatchQueue(label: "topmock.tests.completer")

        func respond(to request: HTTPRequest) -> HTTPReply {
            switch request.path {
            case "/close":
                return .closeConnection
            case "/later":
                let deferred = DeferredResponse()
                // A serial queue of its own: it overcommits, so blocked test clients cannot starve it.
                Self.completer.asyncAfter(deadline: .now() + .milliseconds(100)) {
                    deferred.complete(.response(HTTPResponse(status: 202, contentType: "text/plain", body: "later")))
                }
                return .deferred(deferred)
            case "/never":
                return .deferred(DeferredResponse())
            case "/held":
                // Answered only when the test releases it (``HeldResponses``).
                let deferred = DeferredResponse()
                HeldResponses.shared.hold(deferred)
                return .deferred(deferred)
            case "/at-once":
                let deferred = DeferredResponse()
                deferred.complete(.response(HTTPResponse(status: 200, contentType: "text/plain", body: "ready")))
                return .deferred(deferred)
            default:
                return .response(HTTPResponse(status: 404))
            }
        }
    }

    func withServer<R>(
        _ responder: some HTTPResponder, configure: (inout HTTPServer.Configuration) -> Void = { _ in },
        _ body: (HTTPServer, HTTPClient) throws -> R
    ) throws -> R {
        var configuration = HTTPServer.Configuration()
        configuration.port = 0
        configure(&configuration)
        let server = HTTPServer(configuration: configuration, responder: responder)
        try server.start()
        defer { server.stop() }
        #expect(server.port > 0)
        return try body(server, HTTPClient(port: server.port))
    }

    @Test func servesGetWithQueryHeadersAndRemoteAddress() throws {
        try withServer(Echo()) { _, client in
            let response = try client.send("GET", "/router/rest?a=1&b=%20", headers: ["X-Test": "yes"])
            #expect(response.status == 200)
            #expect(response.headers["Content-Type"] == "text/plain")
            #expect(response.bodyText == "GET /router/rest ?a=1&b=%20 [0] yes 127.0.0.1")
        }
    }

    @Test func servesPostBody() throws {
        try withServer(Echo()) { _, client in
            let body = [UInt8](repeating: 65, count: 200_000)
            let response = try client.send("POST", "/x", headers: ["Content-Type": "application/octet-stream"], body: body)
            #expect(response.bodyText == "POST /x ? [200000] - 127.0.0.1")
        }
    }

    @Test func refusesDeclaredOversizeBodyBeforeReadingIt() throws {
        try withServer(Echo(), configure: { $0.maxBodyBytes = 1024 }) { _, client in
            let response = try client.send("POST", "/x", body: [UInt8](repeating: 1, count: 4096))
            #expect(response.status == 413)
            #expect(response.bodyText == "request body exceeds the limit of 1024 bytes (see --max-body-bytes)\n")
            #expect(try client.send("GET", "/ok").status == 200)
        }
    }

    @Test func refusesChunkedOversizeBody() throws {
        try withServer(Echo(), configure: { $0.maxBodyBytes = 1024 }) { _, client in
            let chunk = String(repeating: "z", count: 800)
            let raw =
                "POST /x HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                + "320\r\n\(chunk)\r\n320\r\n\(chunk)\r\n0\r\n\r\n"
            let response = try client.sendRaw(Array(raw.utf8))
            #expect(response.status == 413)
        }
    }

    @Test func closesConnectionWithoutAnswer() throws {
        try withServer(Outcomes()) { _, client in
            #expect(throws: HTTPClient.Failure.self) { try client.send("GET", "/close") }
            do {
                _ = try client.send("GET", "/close")
            } catch let failure as HTTPClient.Failure {
                #expect(failure.kind == .closedWithoutResponse)
            }
        }
    }

    @Test func answersDeferredResponseAfterResume() throws {
        try withServer(Outcomes()) { _, client in
            let clock = ContinuousClock()
            let start = clock.now
            let response = try client.send("GET", "/later")
            #expect(response.status == 202)
            #expect(response.bodyText == "later")
            #expect(clock.now - start >= .milliseconds(100))
            #expect(try client.send("GET", "/at-once").bodyText == "ready")
        }
    }

    /// A delayed answer holds no polling thread: with one thread, other requests are served while
    /// ten responses wait.
    @Test func deferredResponsesDoNotHoldThreads() throws {
        try withServer(Outcomes(), configure: { $0.threadCount = 1 }) { server, client in
            let done = Atomic<Int>(0)
            let threads = (0..<10).map { _ in
                Thread {
                    if (try? client.send("GET", "/held"))?.status == 202 { done.add(1, ordering: .relaxed) }
                }
            }
            for thread in threads { thread.start() }
            try #require(TestDeadlines.waitUntil { server.requestsInFlight >= 10 })
            // Ten answers are held until released below; the one thread still serves another call
            // (a held thread would leave this one unanswered until the client's timeout).
            let status = try HTTPClient(port: server.port, timeoutSeconds: 10).send("GET", "/nothing").status
            #expect(status == 404)
            #expect(done.load(ordering: .relaxed) == 0)
            HeldResponses.shared.releaseAll(with: .response(HTTPResponse(status: 202, contentType: "text/plain", body: "later")))
            #expect(TestDeadlines.waitUntil { threads.allSatisfy(\.isFinished) })
            #expect(done.load(ordering: .relaxed) == 10)
        }
    }

    @Test func stopClosesPendingDeferredResponses() throws {
        var configuration = HTTPServer.Configuration()
        configuration.port = 0
        configuration.drainTimeout = .milliseconds(100)
        let server = HTTPServer(configuration: configuration, responder: Outcomes())
        try server.start()
        let client = HTTPClient(port: server.port)
        let outcome = Locked<String>("")
        let thread = Thread {
            do {
                _ = try client.send("GET", "/never")
                outcome.withLock { $0 = "answered" }
            } catch let failure as HTTPClient.Failure {
                outcome.withLock { $0 = "\(failure.kind)" }
            } catch {
                outcome.withLock { $0 = "\(error)" }
            }
        }
        thread.start()
        try #require(TestDeadlines.waitUntil { server.requestsInFlight > 0 })
        server.stop()
        #expect(TestDeadlines.waitUntil { thread.isFinished })
        #expect(outcome.withLock { $0 } == "closedWithoutResponse")
        #expect(server.port == 0)
        #expect(throws: HTTPClient.Failure.self) { try client.send("GET", "/at-once") }
    }

    @Test func servesConcurrentClients() throws {
        try withServer(Echo()) { _, client in
            let ok = Atomic<Int>(0)
            DispatchQueue.concurrentPerform(iterations: 200) { index in
                if (try? client.send("GET", "/n?i=\(index)"))?.bodyText.hasPrefix("GET /n ?i=\(index) ") == true {
                    ok.add(1, ordering: .relaxed)
                }
            }
            #expect(ok.load(ordering: .relaxed) == 200)
        }
    }

    @Test func reportsPortInUseAndBadHost() throws {
        try withServer(Echo()) { server, _ in
            var configuration = HTTPServer.Configuration()
            configuration.port = server.port
            let second = HTTPServer(configuration: configuration, responder: Echo())
            #expect(throws: HTTPServerError.daemonStartFailed(host: "127.0.0.1", port: server.port, errno: 98)) { try second.start() }
        }
        var configuration = HTTPServer.Configuration()
        configuration.host = "example.com"
        #expect(throws: HTTPServerError.invalidHost("example.com")) {
            try HTTPServer(configuration: configuration, responder: Echo()).start()
        }
    }

    @Test func bindsIPv6Loopback() throws {
        var configuration = HTTPServer.Configuration()
        configuration.host = "::1"
        configuration.port = 0
        let server = HTTPServer(configuration: configuration, responder: Echo())
        try server.start()
        defer { server.stop() }
        #expect(try HTTPClient(host: "::1", port: server.port).send("GET", "/v6").bodyText.hasPrefix("GET /v6 ? [0] - ::1"))
    }

    @Test func answersMalformedHTTPItself() throws {
        try withServer(Echo()) { (_: HTTPServer, client: HTTPClient) throws(any Error) in
            #expect(try client.sendRaw(Array("GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n".utf8)).status == 400)
            #expect(try client.sendRaw(Array("GET / HTTP/9.9\r\nHost: x\r\n\r\n".utf8)).status == 505)
            let huge = "GET / HTTP/1.1\r\nHost: x\r\nX-Big: \(String(repeating: "a", count: 40_000))\r\n\r\n"
            #expect(try client.sendRaw(Array(huge.utf8)).status == 431)
            #expect(throws: HTTPClient.Failure.self) { try client.sendRaw(Array("GARBAGE\r\n\r\n".utf8)) }
            #expect(try client.send("GET", "/still-serving").status == 200)
        }
    }
}

/// Deferred answers a test holds until it releases them: what a call waiting on something else
/// looks like, with no timer.
final class HeldResponses: Sendable {
    static let shared = HeldResponses()
    private let held = Locked<[DeferredResponse]>([])

    func hold(_ response: DeferredResponse) { held.withLock { $0.append(response) } }

    func releaseAll(with reply: HTTPReply) {
        for response in held.withLock({ responses in
            defer { responses = [] }
            return responses
        }) { response.complete(reply) }
    }
}
