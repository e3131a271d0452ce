internal import CCurl
internal import CCurlShim
import TopMockLock

#if canImport(Glibc)
import Glibc
#endif

/// What the upstream gateway answered.
public struct UpstreamResponse: Sendable, Equatable {
    public var status: Int
    /// The `Content-Type` header's value ("" when absent).
    public var contentType: String
    public var body: [UInt8]
}

/// Why no answer came back.
public struct UpstreamFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// libcurl could not be loaded (not installed: `apt-get install libcurl3-gnutls`).
        case unavailable
        /// The upstream closed the connection without an answer.
        case closed
        /// The connection was reset.
        case reset
        /// No answer within the timeout.
        case timeout
        /// Anything else: DNS, refused connection, TLS, …
        case other
    }

    public var kind: Kind
    public var description: String

    public init(kind: Kind, description: String) {
        self.kind = kind
        self.description = description
    }
}

/// POSTs TOP calls to the real gateway (or any upstream) through libcurl, loaded on first use:
/// a topmock that never records or proxies never maps libcurl. One handle per call (no shared
/// state between threads); HTTPS with the system's CAs or `caFile`.
public final class UpstreamClient: Sendable {
    public let caFile: String?
    public let timeoutMillis: Int

    public init(caFile: String? = nil, timeoutMillis: Int = 15_000) {
        self.caFile = caFile
        self.timeoutMillis = timeoutMillis
    }

    /// libcurl's function pointers: written once while loading, only read after (and libcurl's
    /// easy interface is thread-safe across handles), so sharing them is safe.
    private struct Loaded: @unchecked Sendable {
        var api: topmock_curl_api
    }

    /// libcurl's functions, or why they could not be loaded; resolved once per process (Swift
    /// runs a static's initializer once, under its own lock).
    private static let api: Result<Loaded, UpstreamFailure> = {
        var api = topmock_curl_api()
        var error = [CChar](repeating: 0, count: 512)
        guard topmock_curl_load(&api, &error, error.count) == 0 else {
            let text = String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            return .failure(UpstreamFailure(kind: .unavailable, description: "libcurl cannot be loaded (\(text)); \(installHint)"))
        }
        return .success(Loaded(api: api))
    }()

    /// What to do about a missing libcurl: install it where apt-get exists; else (topmock's
    /// container image, which holds only what `serve` loads) record elsewhere.
    static var installHint: String {
        if access("/usr/bin/apt-get", X_OK) == 0 { return "apt-get install libcurl3-gnutls" }
        return "this system has no libcurl and no package manager to add it (topmock's image holds only what serve loads): "
            + "run topmock record where libcurl3-gnutls is installed (a Debian or Ubuntu build, docs/recording.md), "
            + "then serve the recording with this image"
    }

    /// Whether libcurl can be loaded here (loads it).
    public static var isAvailable: Result<Void, UpstreamFailure> { api.map { _ in () } }

    /// Accumulates one answer (the sinks below run on the calling thread, inside perform).
    private final class Sink {
        var body: [UInt8] = []
        var contentType = ""
        let limit = 16 << 20
    }

    /// POSTs `body` (form-encoded unless `contentType` says otherwise) to `url`.
    public func post(
        _ url: String, body: [UInt8], contentType: String = "application/x-www-form-urlencoded;charset=UTF-8"
    ) -> Result<UpstreamResponse, UpstreamFailure> {
        let api: topmock_curl_api
        switch Self.api {
        case .success(let loaded): api = loaded.api
        case .failure(let failure): return .failure(failure)
        }
        let sink = Sink()
        let context = Unmanaged.passUnretained(sink).toOpaque()
        var status = 0
        let code: CURLcode = withExtendedLifetime(sink) {
            url.withCString { url in
                ("Content-Type: " + contentType).withCString { header in
                    body.withUnsafeBufferPointer { bytes in
                        withOptionalCString(caFile) { caFile in
                            var post = topmock_curl_post(
                                url: url, body: bytes.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) },
                                body_length: bytes.count, content_type_header: header, ca_file: caFile, timeout_ms: timeoutMillis)
                            var api = api
                            return topmock_curl_perform_post(&api, &post, Self.bodySink, Self.headerSink, context, &status)
                        }
                    }
                }
            }
        }
        guard code == CURLE_OK else {
            let text = api.easy_strerror.flatMap { $0(code) }.map { String(cString: $0) } ?? "curl error \(code.rawValue)"
            return .failure(UpstreamFailure(kind: Self.kind(code), description: "\(url): \(text)"))
        }
        return .success(UpstreamResponse(status: status, contentType: sink.contentType, body: sink.body))
    }

    private static func kind(_ code: CURLcode) -> UpstreamFailure.Kind {
        switch code {
        case CURLE_GOT_NOTHING: .closed
        case CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_PARTIAL_FILE: .reset
        case CURLE_OPERATION_TIMEDOUT: .timeout
        default: .other
        }
    }

    private static let bodySink: topmock_curl_sink = { data, size, count, context in
        let sink = Unmanaged<Sink>.fromOpaque(context!).takeUnretainedValue()
        let length = size * count
        guard sink.body.count + length <= sink.limit else { return 0 }  // too large: curl fails the call
        if let data { sink.body.append(contentsOf: UnsafeRawBufferPointer(start: data, count: length)) }
        return length
    }

    private static let headerSink: topmock_curl_sink = { data, size, count, context in
        let sink = Unmanaged<Sink>.fromOpaque(context!).takeUnretainedValue()
        let length = size * count
        guard let data else { return length }
        let line = String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
        if line.lowercased().hasPrefix("content-type:") {
            sink.contentType = String(
                line.dropFirst("content-type:".count).drop { $0 == " " || $0 == "\t" }
                    .reversed().drop { $0 == "\r" || $0 == "\n" || $0 == " " }.reversed())
        } else if line.hasPrefix("HTTP/") {
            sink.contentType = ""  // a new response (after a redirect or 100): its own headers follow
        }
        return length
    }
}

private func withOptionalCString<R>(_ text: String?, _ body: (UnsafePointer<CChar>?) -> R) -> R {
    guard let text else { return body(nil) }
    return text.withCString { body($0) }
}
