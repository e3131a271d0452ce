/// A TOP call whose public parameters have passed every gateway check, signature included.
public struct TOPRequest: Sendable {
    public var api: APIName
    public var appKey: String
    public var format: ResponseFormat
    public var simplify: Bool
    public var signMethod: SignMethod
    public var session: String?
    public var parameters: TOPParameters
    /// The calling app's credentials (its secret masks the journal's copy of the parameters).
    public var credentials: AppCredentials
}

/// Why the gateway refused a call, and how to render the refusal.
public struct TOPRejection: Error, Sendable {
    public var error: TOPError
    /// The format the caller asked for, when it could be read (errors are rendered in it).
    public var format: ResponseFormat
    /// The check that failed, in words, for logs, the journal and `X-Topmock-Diagnostic`.
    public var diagnostic: String
    /// Set when the signature did not match.
    public var signatureMismatch: SignatureMismatch?
    /// The calling app's credentials when the refusal came after its key was looked up (nil
    /// before, and for an unknown key), so a refused call's secret is masked too.
    public var credentials: AppCredentials?

    public init(
        _ error: TOPError, format: ResponseFormat, diagnostic: String, signatureMismatch: SignatureMismatch? = nil,
        credentials: AppCredentials? = nil
    ) {
        self.error = error
        self.format = format
        self.diagnostic = diagnostic
        self.signatureMismatch = signatureMismatch
        self.credentials = credentials
    }
}

/// An app the gateway accepts: its secret and, optionally, the session keys it may use.
public struct AppCredentials: Sendable, Equatable {
    public var secret: String
    /// When set, every call of this app must carry one of these as `session` (26 when absent, 27
    /// when unknown). When nil, `session` is optional and any value passes.
    public var sessions: Set<String>?

    public init(secret: String, sessions: Set<String>? = nil) {
        self.secret = secret
        self.sessions = sessions
    }
}

/// What the gateway checks the public parameters against.
public struct GatewayPolicy: Sendable {
    public var timestamp: TimestampPolicy
    /// APIs that require `session` (code 26 when absent). alibaba.pos.pay.action.query does not,
    /// as TOP documents it.
    public var apisRequiringSession: Set<APIName>
    /// Most parameters a call may have (query, body and file parts together); more → code 43.
    public var maxParameters: Int
    /// How a signature mismatch's canonical string is shown (`ServedMethods.redaction`).
    public var redaction: Redaction

    public init(
        redaction: Redaction, timestamp: TimestampPolicy = TimestampPolicy(), apisRequiringSession: Set<APIName> = [], maxParameters: Int = 1000
    ) {
        self.redaction = redaction
        self.timestamp = timestamp
        self.apisRequiringSession = apisRequiringSession
        self.maxParameters = maxParameters
    }
}

extension TOPRequest {
    /// Checks the public parameters in this order (docs/protocol.md lists it):
    /// UTF-8 (47) → method present (21) → app_key present (28) and known (29) → timestamp present
    /// (30) and valid (31) → v present (32), well-formed (33), 2.0 (34) → format json|xml (23) →
    /// sign_method known (43) → sign present (24) → signature (25) → method known (22) →
    /// session when the app or API needs one (26) and known to the app (27).
    ///
    /// Returns the request with the app's credentials; a refusal after the app lookup carries them
    /// as well (``TOPRejection/credentials``).
    ///
    /// - Parameters:
    ///   - app: looks up the credentials of an app key (nil when the key is unknown); no other use.
    ///   - isKnownAPI: whether a method name is served.
    ///   - nowMillis: the current time, epoch milliseconds.
    public static func validate(
        _ parameters: TOPParameters,
        policy: GatewayPolicy,
        nowMillis: Int64,
        app: (String) -> AppCredentials?,
        isKnownAPI: (APIName) -> Bool
    ) throws(TOPRejection) -> TOPRequest {
        // Values only compared are read in place as bytes; a refusal's message makes the text.
        let requestedFormat = RequestedFormat(parameters)
        let format = requestedFormat.answerFormat
        var known: AppCredentials?
        func reject(_ error: TOPError, _ diagnostic: String) -> TOPRejection {
            TOPRejection(error, format: format, diagnostic: diagnostic, credentials: known)
        }
        func text(_ name: String) -> String { parameters[name] ?? "" }

        if let name = parameters.invalidEncodingNames.first {
            throw reject(.invalidEncoding, "parameter '\(name)' is not valid UTF-8 (after percent-decoding)")
        }
        guard let method = nonEmpty(parameters["method"]) else {
            throw reject(.missingMethod, "the method parameter is missing")
        }
        guard let appKey = nonEmpty(parameters["app_key"]) else {
            throw reject(.missingAppKey, "the app_key parameter is missing")
        }
        guard let credentials = app(appKey) else {
            throw reject(.invalidAppKey, "app_key '\(appKey)' is not configured (add it with --app KEY:SECRET or in a scenario file's apps)")
        }
        known = credentials
        switch TimestampCheck(parameters, policy: policy.timestamp, nowMillis: nowMillis) {
        case .accepted: break
        case .missing: throw reject(.missingTimestamp, "the timestamp parameter is missing")
        case .refused:
            throw reject(
                .invalidTimestamp,
                policy.timestamp.rejection(of: text("timestamp"), nowMillis: nowMillis)
            )
        }
        if parameters.withValueBytes(of: "v", { $0.equals("2.0") }) != true {
            guard let version = nonEmpty(parameters["v"]) else {
                throw reject(.missingVersion, "the v parameter is missing")
            }
            guard isVersionShaped(version) else {
                throw reject(.invalidVersion, "v '\(version)' is not a version number")
            }
            throw reject(.unsupportedVersion, "v '\(version)' is not supported; TOP serves 2.0")
        }
        if case .unknown = requestedFormat {
            throw reject(.invalidFormat, "format '\(text("format"))' must be json or xml")
        }
        // Absent or empty: md5.
        guard case .known(let signMethod) = RequestedSignMethod(parameters) else {
            let value = text("sign_method")
            throw reject(.unsupportedSignMethod(value), "sign_method '\(value)' must be md5, hmac or hmac-sha256")
        }
        switch Signer.verify(parameters, secret: credentials.secret, method: signMethod, redaction: policy.redaction) {
        case .valid:
            break
        case .missing:
            throw reject(.missingSignature, "the sign parameter is missing")
        case .invalid(let mismatch):
            throw TOPRejection(
                .invalidSignature, format: format,
                diagnostic:
                    "signature mismatch (\(signMethod.rawValue)): expected \(mismatch.expected), received \(mismatch.received); likely cause: \(mismatch.likelyCause)",
                signatureMismatch: mismatch, credentials: credentials)
        }
        let api = APIName(rawValue: method)
        guard isKnownAPI(api) else {
            throw reject(.invalidMethod, "method '\(method)' is not served by this topmock")
        }
        let session = nonEmpty(parameters["session"])
        if session == nil && (credentials.sessions != nil || policy.apisRequiringSession.contains(api)) {
            throw reject(
                .missingSession,
                credentials.sessions != nil
                    ? "app '\(appKey)' is configured with sessions, so every call needs a session parameter"
                    : "method '\(method)' is configured to require a session")
        }
        if let session, let sessions = credentials.sessions, !sessions.contains(session) {
            throw reject(.invalidSession, "session '\(session)' is not one of app '\(appKey)''s configured sessions")
        }
        let simplifyValue = parameters["simplify"]?.lowercased()
        return TOPRequest(
            api: api, appKey: appKey, format: format,
            simplify: format == .json && (simplifyValue == "true" || simplifyValue == "1"),
            signMethod: signMethod, session: session, parameters: parameters, credentials: credentials)
    }

    /// What the `format` parameter asked for, read in place.
    private enum RequestedFormat {
        /// No `format`: XML, TOP's default.
        case absent
        case known(ResponseFormat)
        /// Neither json nor xml: code 23, answered in XML.
        case unknown

        init(_ parameters: TOPParameters) {
            switch parameters.withValueBytes(of: "format", { ResponseFormat(utf8: $0) }) {
            case nil: self = .absent
            case .some(nil): self = .unknown
            case .some(.some(let format)): self = .known(format)
            }
        }

        /// The format to answer in, refusals included.
        var answerFormat: ResponseFormat {
            if case .known(let format) = self { return format }
            return .xml
        }
    }

    /// The `timestamp` parameter against the policy, read in place.
    private enum TimestampCheck {
        /// Absent or empty (code 30).
        case missing
        case accepted
        /// Malformed, or outside the tolerance (code 31).
        case refused

        init(_ parameters: TOPParameters, policy: TimestampPolicy, nowMillis: Int64) {
            let accepted = parameters.withValueBytes(of: "timestamp") { $0.isEmpty ? nil : policy.accepts($0, nowMillis: nowMillis) }
            switch accepted {
            case .some(.some(true)): self = .accepted
            case .some(.some(false)): self = .refused
            default: self = .missing
            }
        }
    }

    /// The `sign_method` parameter, read in place: absent or empty is md5.
    private enum RequestedSignMethod {
        case known(SignMethod)
        /// Not md5, hmac or hmac-sha256 (code 43).
        case unknown

        init(_ parameters: TOPParameters) {
            let method = parameters.withValueBytes(of: "sign_method") { $0.isEmpty ? SignMethod.md5 : SignMethod(utf8: $0) }
            switch method {
            case nil: self = .known(.md5)
            case .some(nil): self = .unknown
            case .some(.some(let method)): self = .known(method)
            }
        }
    }

    private static func nonEmpty(_ value: String?) -> String? {
        guard let value, !value.isEmpty else { return nil }
        return value
    }

    /// `digits(.digits)*`, like 2.0 or 1.
    private static func isVersionShaped(_ value: String) -> Bool {
        let parts = value.split(separator: ".", omittingEmptySubsequences: false)
        return parts.allSatisfy { !$0.isEmpty && $0.utf8.allSatisfy { $0 >= 48 && $0 <= 57 } }
    }
}
