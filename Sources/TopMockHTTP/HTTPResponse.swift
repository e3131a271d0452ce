/// An HTTP response: status, header fields and body bytes. libmicrohttpd adds `Content-Length`
/// and `Date` itself.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public init(status: Int, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public init(status: Int, contentType: String, body: some StringProtocol) {
        self.init(status: status, headers: ["Content-Type": contentType], body: Array(body.utf8))
    }
}
