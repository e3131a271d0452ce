import FoundationEssentials
import TopMockProtocol
import TopMockUpstream

/// A real TOP gateway (or any upstream) that `topmock record` forwards to.
public struct UpstreamSettings: Sendable {
    /// The gateway's URL, e.g. `https://gw.api.taobao.com/router/rest` (or a sandbox's).
    public var url: String
    /// The upstream app's real key and secret: the local app's calls are signed anew with them.
    /// Never written, never logged.
    public var appKey: String
    public var secret: String
    /// A PEM file of CAs for a private upstream; nil: the system's.
    public var caFile: String?
    public var timeoutMillis = 15_000
    /// Field paths masked before anything is matched or written, besides what
    /// `ServedMethods.redaction` masks everywhere (the gateway's `session`, each method's secret
    /// fields, the secret).
    public var redactedPaths: [String] = []
    /// Most calls a recording keeps; later ones are forwarded, not recorded.
    public var maxRecordedCalls = 100_000

    /// Which calls go upstream.
    public enum Mode: Sendable {
        /// Every valid call (`topmock record`); scenarios are not asked.
        case record
        /// Only what the scenarios do not know (`serve --proxy-on-miss`): a method topmock does not
        /// serve, or an action or checkout it has not got.
        case proxyOnMiss
    }

    public var mode = Mode.record

    /// Why nothing can be forwarded here (libcurl cannot be loaded), or nil.
    public static var unavailableReason: String? {
        if case .failure(let failure) = UpstreamClient.isAvailable { return failure.description }
        return nil
    }

    public init(url: String, appKey: String, secret: String, caFile: String? = nil) {
        self.url = url
        self.appKey = appKey
        self.secret = secret
        self.caFile = caFile
    }
}

/// What the upstream made of one call.
enum UpstreamAnswer: Sendable, Equatable {
    /// `{"<method>_response": {…}}`: its fields, without TOP's `request_id`.
    case success(JSONValue)
    /// `{"error_response": {…}}`.
    case error(TOPError)
    /// An HTTP status other than 200 (a proxy's 502 page, say).
    case httpStatus(Int)
    /// No usable answer: the connection closed, reset or timed out, or something else went wrong.
    case failure(UpstreamFailure)
}

/// Re-signs a validated call with the upstream app and forwards it; always asks for JSON (the
/// answer is kept as a value and rendered in the format the local app asked for).
struct Forwarder: Sendable {
    let settings: UpstreamSettings
    let client: UpstreamClient

    init(settings: UpstreamSettings) {
        self.settings = settings
        self.client = UpstreamClient(caFile: settings.caFile, timeoutMillis: settings.timeoutMillis)
    }

    /// Names the upstream answers for itself, or that would break the re-signed call.
    static let replacedNames: Set<String> = ["sign", "app_key", "format", "simplify"]

    func forward(_ request: TOPRequest) -> UpstreamAnswer {
        var pairs = request.parameters.all.filter { !Self.replacedNames.contains($0.name) }.map { ($0.name, $0.value) }
        pairs.append(("app_key", settings.appKey))
        pairs.append(("format", "json"))
        pairs.append(("sign", Signer.sign(pairs, secret: settings.secret, method: request.signMethod)))
        switch client.post(settings.url, body: Array(PercentEncoding.formEncode(pairs).utf8)) {
        case .failure(let failure):
            return .failure(failure)
        case .success(let response):
            guard response.status == 200 else { return .httpStatus(response.status) }
            return Self.answer(response.body)
        }
    }

    /// A TOP JSON answer as a value; a failure when it is none.
    static func answer(_ body: [UInt8]) -> UpstreamAnswer {
        guard let text = String(validating: body, as: UTF8.self).map(withoutHostComment),
            let root = JSONValue.object(parsing: text), root.count == 1,
            let (key, value) = root.first, case .object(var fields) = value
        else {
            return .failure(
                UpstreamFailure(
                    kind: .other,
                    description: "the upstream's answer is not a TOP JSON envelope: \(String(decoding: body.prefix(200), as: UTF8.self))"))
        }
        if key == "error_response" {
            let code = fields["code"].flatMap { $0.scalarText }.flatMap { Int($0) } ?? 0
            return .error(
                TOPError(
                    code: code, msg: fields["msg"]?.scalarText ?? "", subCode: fields["sub_code"]?.scalarText,
                    subMsg: fields["sub_msg"]?.scalarText))
        }
        fields["request_id"] = nil
        return .success(.object(fields))
    }

    /// The text without the trailing `<!--top010179031191.s.et2-->` comment naming the gateway's host
    /// that real answers may end with (docs/protocol.md, "Answers"), nor blanks after it.
    static func withoutHostComment(_ text: String) -> String {
        var trimmed = Substring(text)
        while let last = trimmed.last, last.isWhitespace { trimmed.removeLast() }
        if trimmed.hasSuffix("-->"), let start = trimmed.ranges(of: "<!--").last {
            trimmed = trimmed[..<start.lowerBound]
        }
        return String(trimmed)
    }
}
