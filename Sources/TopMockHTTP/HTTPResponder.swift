import TopMockLock

/// The one thing the transport asks of the application: turn a request into an outcome.
///
/// It is called on one of libmicrohttpd's polling threads, so it must be fast and must not block.
/// Work that takes time (an injected delay, say) returns ``HTTPReply/deferred(_:)``: the server
/// suspends the connection, frees the thread, and answers when the ``DeferredResponse`` completes.
///
/// ```swift
/// struct Hello: HTTPResponder {
///     func respond(to request: HTTPRequest) -> HTTPReply {
///         .response(HTTPResponse(status: 200, contentType: "text/plain", body: "hello"))
///     }
/// }
/// ```
public protocol HTTPResponder: Sendable {
    func respond(to request: HTTPRequest) -> HTTPReply
}

/// What the transport does with a request.
public enum HTTPReply: Sendable {
    /// Send this response.
    case response(HTTPResponse)
    /// Close the connection without sending anything (an orderly FIN).
    case closeConnection
    /// Reset the connection (TCP RST) without sending anything.
    case resetConnection
    /// Send the status line, the headers with the full `Content-Length`, and only the first
    /// `sentBytes` of the body; then close.
    case truncated(HTTPResponse, sentBytes: Int)
    /// Suspend the connection (no thread is held) and answer when the response completes.
    case deferred(DeferredResponse)
}

/// A response that is produced later than the call that asked for it.
///
/// Complete it once, from any thread; later completions are ignored. If the server stops first,
/// it completes every pending response with ``HTTPReply/closeConnection``.
public final class DeferredResponse: Sendable {
    private enum State {
        case waiting
        case completed(HTTPReply)
        case observed(@Sendable (HTTPReply) -> Void)
        case finished
    }

    private let state = Locked<State>(.waiting)

    public init() {}

    /// Delivers the outcome. Returns false when the response was already completed.
    /// An outcome that is itself `.deferred` is treated as `.closeConnection`.
    @discardableResult
    public func complete(_ outcome: HTTPReply) -> Bool {
        let final: HTTPReply
        if case .deferred = outcome { final = .closeConnection } else { final = outcome }
        let (accepted, observer) = state.withLock { state -> (Bool, (@Sendable (HTTPReply) -> Void)?) in
            switch state {
            case .waiting:
                state = .completed(final)
                return (true, nil)
            case .observed(let observer):
                state = .finished
                return (true, observer)
            case .completed, .finished:
                return (false, nil)
            }
        }
        observer?(final)
        return accepted
    }

    /// Runs `observer` once with the outcome: at once if it is already there.
    package func whenComplete(_ observer: @escaping @Sendable (HTTPReply) -> Void) {
        let ready: HTTPReply? = state.withLock { state in
            switch state {
            case .waiting:
                state = .observed(observer)
                return nil
            case .completed(let outcome):
                state = .finished
                return outcome
            case .observed, .finished:
                return nil
            }
        }
        if let ready { observer(ready) }
    }
}
