/// One HTTP request as the server received it. The body is complete (bounded by
/// ``HTTPServer/Configuration/maxBodyBytes``) by the time a responder sees it.
public struct HTTPRequest: Sendable {
    /// The method exactly as sent (`GET`, `POST`, `get` …): case matters to the TOP gateway.
    public var method: String
    /// The request target's path, still percent-encoded as sent (`/router/rest`).
    public var path: String
    /// The raw query string after `?`, still percent-encoded; empty when there is none.
    public var query: String
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// The peer's IP address as text, or an empty string when unknown (in-process tests).
    public var remoteAddress: String

    public init(
        method: String,
        path: String,
        query: String = "",
        headers: HTTPHeaders = HTTPHeaders(),
        body: [UInt8] = [],
        remoteAddress: String = ""
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.remoteAddress = remoteAddress
    }

    /// Splits a request target (`/router/rest?a=1`) into path and query.
    public init(method: String, target: String, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = [], remoteAddress: String = "") {
        if let mark = target.utf8.firstIndex(of: UInt8(ascii: "?")) {
            let path = String(target[..<mark])
            let query = String(target[target.index(after: mark)...])
            self.init(method: method, path: path, query: query, headers: headers, body: body, remoteAddress: remoteAddress)
        } else {
            self.init(method: method, path: target, headers: headers, body: body, remoteAddress: remoteAddress)
        }
    }
}
