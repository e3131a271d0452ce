#if canImport(Glibc)
import Glibc
#endif

/// A minimal blocking HTTP/1.1 client: one request per connection (`Connection: close`).
///
/// It exists for `topmock healthcheck` (the container's HEALTHCHECK, which must not need curl) and
/// for the live tests, which also use it to send deliberately odd bytes.
public struct HTTPClient: Sendable {
    public struct Response: Sendable {
        public var status: Int
        public var headers: HTTPHeaders
        public var body: [UInt8]
        /// False when the connection closed before the body reached its `Content-Length`.
        public var isComplete: Bool = true
        public var bodyText: String { String(decoding: body, as: UTF8.self) }
    }

    public struct Failure: Error, Sendable, CustomStringConvertible, Equatable {
        public enum Kind: Sendable, Equatable {
            case invalidAddress, connectFailed, sendFailed, timedOut
            /// The server closed the connection without sending a status line.
            case closedWithoutResponse
            /// The server reset the connection (TCP RST) without sending a status line.
            case connectionReset
            case malformedResponse
        }
        public let kind: Kind
        public let description: String
    }

    public var host: String
    public var port: Int
    public var timeoutSeconds: Int

    public init(host: String = "127.0.0.1", port: Int, timeoutSeconds: Int = 10) {
        self.host = host
        self.port = port
        self.timeoutSeconds = timeoutSeconds
    }

    /// Sends `method target` with the given headers and body; adds Host (unless `headers` has
    /// one), Content-Length and Connection: close.
    public func send(
        _ method: String, _ target: String, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []
    ) throws(Failure) -> Response {
        var head = "\(method) \(target) HTTP/1.1\r\n"
        if headers["Host"] == nil { head += "Host: \(host):\(port)\r\n" }
        head += "Connection: close\r\n"
        for field in headers { head += "\(field.name): \(field.value)\r\n" }
        if !body.isEmpty || method == "POST" || method == "PUT" { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        return try sendRaw(Array(head.utf8) + body)
    }

    /// Sends these exact bytes and reads until the server closes the connection.
    public func sendRaw(_ bytes: [UInt8]) throws(Failure) -> Response {
        let socket = try connect()
        defer { close(socket) }
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(socket, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { throw Failure(kind: .sendFailed, description: "send failed: errno \(errno)") }
            sent += n
        }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        var wasReset = false
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            if n > 0 {
                received.append(contentsOf: buffer[0..<n])
                if let complete = Self.completeResponse(received) { return complete }
                continue
            }
            if n == 0 { break }
            if errno == EAGAIN || errno == EWOULDBLOCK {
                throw Failure(kind: .timedOut, description: "no complete answer from \(host):\(port) within \(timeoutSeconds) s")
            }
            if errno == EINTR { continue }
            wasReset = errno == ECONNRESET
            break  // ECONNRESET and friends: whatever arrived is all there is
        }
        guard !received.isEmpty else {
            if wasReset {
                throw Failure(kind: .connectionReset, description: "\(host):\(port) reset the connection without answering")
            }
            throw Failure(kind: .closedWithoutResponse, description: "\(host):\(port) closed the connection without answering")
        }
        guard let response = Self.parse(received, requireCompleteBody: false) else {
            throw Failure(kind: .malformedResponse, description: "\(host):\(port) sent a malformed HTTP response")
        }
        return response
    }

    private func connect() throws(Failure) -> Int32 {
        guard let address = SocketAddress(host: host, port: port) else {
            throw Failure(kind: .invalidAddress, description: "'\(host)' is not an IP address")
        }
        let socket = Glibc.socket(address.isIPv6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw Failure(kind: .connectFailed, description: "socket() failed: errno \(errno)") }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        _ = setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        _ = setsockopt(socket, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let result = address.withSockaddr { Glibc.connect(socket, $0, address.length) }
        guard result == 0 else {
            let code = errno
            close(socket)
            throw Failure(
                kind: .connectFailed,
                description: "cannot connect to \(host):\(port): \(code == ECONNREFUSED ? "connection refused" : "errno \(code)")")
        }
        return socket
    }

    /// A response whose body is complete by its Content-Length (so we need not wait for close).
    static func completeResponse(_ bytes: [UInt8]) -> Response? {
        parse(bytes, requireCompleteBody: true)
    }

    static func parse(_ bytes: [UInt8], requireCompleteBody: Bool) -> Response? {
        guard let headEnd = bytes.firstRange(of: [13, 10, 13, 10], from: 0) else { return nil }
        let head = String(decoding: bytes[0..<headEnd], as: UTF8.self)
        var lines = head.split(separator: "\r\n", omittingEmptySubsequences: false)
        guard !lines.isEmpty else { return nil }
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, statusLine[0].hasPrefix("HTTP/"), let status = Int(statusLine[1]) else { return nil }
        var headers = HTTPHeaders()
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.add(name: String(line[..<colon]), value: line[line.index(after: colon)...].trimmingASCIIWhitespace())
        }
        var body = Array(bytes[(headEnd + 4)...])
        if let declared = headers["Content-Length"], let length = Int(declared) {
            if body.count < length {
                return requireCompleteBody ? nil : Response(status: status, headers: headers, body: body, isComplete: false)
            }
            body = Array(body[0..<length])
        } else if requireCompleteBody {
            return nil
        }
        return Response(status: status, headers: headers, body: body)
    }
}
