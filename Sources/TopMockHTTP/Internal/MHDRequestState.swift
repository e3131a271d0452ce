import TopMockLock

/// Per-request state, created in the URI-log callback (it becomes libmicrohttpd's `*req_cls`) and
/// released in the completion callback.
///
/// `@unchecked Sendable`: libmicrohttpd never runs two callbacks for one connection at once, so the
/// plain fields are touched by one thread at a time; the outcome of a deferred response, which
/// arrives from another thread, crosses under a mutex.
final class MHDRequestState: @unchecked Sendable {
    enum Phase {
        /// The first access-handler call (headers only) has not happened yet.
        case awaitingHeaders
        case receivingBody
        /// The body is over the limit: read and drop the rest, then answer 413.
        case discardingBody
        /// Waiting for a deferred response; the connection is suspended.
        case suspended
        case responded
    }

    let path: String
    let query: String
    let remoteAddress: String
    var phase: Phase = .awaitingHeaders
    var method = ""
    var headers = HTTPHeaders()
    var body: [UInt8] = []
    /// Where a deferred response's outcome waits for the connection to resume: made only for a
    /// deferred response, before the connection is suspended; libmicrohttpd's thread reads this
    /// property, the completion writes only into the box it was given.
    private var resumedOutcome: Locked<HTTPReply?>?

    init(path: String, query: String, remoteAddress: String) {
        self.path = path
        self.query = query
        self.remoteAddress = remoteAddress
    }

    /// The box the completion of a deferred response puts its outcome in (call before suspending).
    func makeResumedReply() -> Locked<HTTPReply?> {
        let box = Locked<HTTPReply?>(nil)
        resumedOutcome = box
        return box
    }

    func takeResumedReply() -> HTTPReply? {
        resumedOutcome?.withLock { value in
            defer { value = nil }
            return value
        }
    }

    func makeRequest() -> HTTPRequest {
        HTTPRequest(method: method, path: path, query: query, headers: headers, body: body, remoteAddress: remoteAddress)
    }
}
