public import TopMockHTTP
public import TopMockProtocol
public import TopMockScenarios

/// One call to `/router/rest`, as the journal keeps it (WireMock's ServeEvent). Secrets never get
/// here: the app secret is never a parameter, and `session` values are masked.
public struct JournalEntry: Sendable {
    /// Increasing from 1 within a run.
    public var id: Int
    /// Real time of arrival, epoch milliseconds.
    public var receivedAtMillis: Int64
    public var namespace: String
    public var remoteAddress: String
    public var httpMethod: String
    /// The call's parameters, masked (``maskParameters(secret:)``), as text.
    public var parameters: [TOPParameters.Parameter] {
        get { received.all }
        set { received = TOPParameters(newValue) }
    }
    /// The call's parameters as the gateway read them (one buffer, shared with the call), masked
    /// before the entry is recorded.
    var received: TOPParameters
    /// The `method` parameter, read from the kept parameters when asked for.
    public var api: String? { received["method"] }
    public var appKey: String?
    /// The `shop_id` parameter, read from the kept parameters when asked for.
    public var shopID: String? { received["shop_id"] }
    /// The `request_id` of the payment action the call named (`payment_action_request.request_id`,
    /// `pay_request.request_id`), when it could be read.
    public var requestID: String?
    /// How the call ended.
    public var outcome: CallOutcome
    /// Whether the call created a payment action — also when its reply was lost after the effect
    /// (outcome `fault`): what a test that counts payments, not calls, filters on.
    public var createdPayment = false
    public var errorCode: Int?
    public var errorSubCode: String? {
        get { self[detail: \.errorSubCode] }
        set { self[detail: \.errorSubCode] = newValue }
    }
    public var fault: String? {
        get { self[detail: \.fault] }
        set { self[detail: \.fault] = newValue }
    }
    /// The scenario rule that fired, if any.
    public var rule: String?
    /// The scenario file behind the answer (the rule's, else the action's or stub's).
    public var scenario: String?
    /// Why the call was refused (the check that failed), in one line.
    public var diagnostic: String? {
        get { self[detail: \.diagnostic] }
        set { self[detail: \.diagnostic] = newValue }
    }
    /// For a refused call or the default answer: what came closest and what differed.
    public var nearMiss: String? {
        get { self[detail: \.nearMiss] }
        set { self[detail: \.nearMiss] = newValue }
    }
    public var signatureMismatch: SignatureMismatch? {
        get { self[detail: \.signatureMismatch] }
        set { self[detail: \.signatureMismatch] = newValue }
    }
    /// The `request_id` of topmock's answer.
    public var answerRequestID: String
    /// Time to compute the answer, microseconds (an injected delay is `delayMillis`).
    public var latencyMicros: Int
    public var delayMillis: Int?
    /// What was sent back, as sent (the body shares the response's storage: no copy); nil when a
    /// fault closed or reset the connection instead.
    public var answer: SentAnswer?

    /// The fields only a refused, faulted or near-miss call has, out of line, so an answered
    /// call's entry holds none of them.
    private var details = OutOfLine<Details>()

    private struct Details: Sendable {
        var errorSubCode: String?
        var fault: String?
        var diagnostic: String?
        var nearMiss: String?
        var signatureMismatch: SignatureMismatch?
    }

    private subscript<Field>(detail field: WritableKeyPath<Details, Field?>) -> Field? {
        get { details.value?[keyPath: field] }
        set {
            if newValue == nil && details.value == nil { return }  // clearing a field never set: no record
            details.update(orStartWith: Details.init) { $0[keyPath: field] = newValue }
        }
    }

    public init(
        id: Int, receivedAtMillis: Int64, namespace: String, remoteAddress: String, httpMethod: String,
        parameters: [TOPParameters.Parameter], appKey: String? = nil,
        requestID: String? = nil, outcome: CallOutcome, errorCode: Int? = nil, errorSubCode: String? = nil, fault: String? = nil,
        rule: String? = nil, diagnostic: String? = nil, nearMiss: String? = nil, signatureMismatch: SignatureMismatch? = nil,
        answerRequestID: String, latencyMicros: Int, delayMillis: Int? = nil
    ) {
        self.id = id
        self.receivedAtMillis = receivedAtMillis
        self.namespace = namespace
        self.remoteAddress = remoteAddress
        self.httpMethod = httpMethod
        self.received = TOPParameters(parameters)
        self.appKey = appKey
        self.requestID = requestID
        self.outcome = outcome
        self.errorCode = errorCode
        self.rule = rule
        self.answerRequestID = answerRequestID
        self.latencyMicros = latencyMicros
        self.delayMillis = delayMillis
        if errorSubCode != nil || fault != nil || diagnostic != nil || nearMiss != nil || signatureMismatch != nil {
            details.value = Details(
                errorSubCode: errorSubCode, fault: fault, diagnostic: diagnostic, nearMiss: nearMiss, signatureMismatch: signatureMismatch)
        }
    }

    /// A call's entry as it arrives: no parameters read yet, refused until it is answered.
    init(arrivingAt receivedAtMillis: Int64, namespace: String, remoteAddress: String, httpMethod: String, answerRequestID: String) {
        id = 0
        self.receivedAtMillis = receivedAtMillis
        self.namespace = namespace
        self.remoteAddress = remoteAddress
        self.httpMethod = httpMethod
        received = TOPParameters()
        outcome = .rejected
        self.answerRequestID = answerRequestID
        latencyMicros = 0
    }

    /// Masks what must not be kept, by the one rule every other place follows too
    /// (``Redaction/masked(_:secret:)``): `session`, pay codes and buyer accounts as `***`, a value
    /// equal to the app's secret (a client that sent it by mistake) as `<secret>`. Copies the
    /// parameters only when one needs it.
    mutating func maskParameters(secret: String?) {
        let secret = secret ?? ""
        if ServedMethods.redaction.needsMasking(received, secret: secret) {
            received = TOPParameters(received.all.map { ServedMethods.redaction.masked($0, secret: secret) })
        }
    }

    /// A rough size in bytes, for the journal's byte bound.
    public var estimatedBytes: Int {
        func size(_ text: String?) -> Int { text?.utf8.count ?? 0 }
        var total = 256 + namespace.utf8.count + remoteAddress.utf8.count + answerRequestID.utf8.count
        total += received.byteCount + received.count * 32
        total += size(appKey) + size(requestID) + size(rule) + size(scenario) + (answer?.body.count ?? 0)
        if let details = details.value {
            total += size(details.errorSubCode) + size(details.fault) + size(details.diagnostic) + size(details.nearMiss)
            if let mismatch = details.signatureMismatch { total += mismatch.canonical.utf8.count + 160 }
        }
        return total
    }
}

/// An answer as `/router/rest` sent it: its status, headers and body bytes (the part sent, for a
/// truncated one). The headers and body are the response's own storage, shared, not copied: the
/// request path pays a retain for each, and the content type is looked up only when a page asks.
public struct SentAnswer: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public var contentType: String? { headers["Content-Type"] }

    public init(status: Int, headers: HTTPHeaders, body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// Which entries a query, a count, a clear or a verify is about. Every field is optional.
public struct JournalFilter: Sendable, Equatable {
    public var namespace: String?
    public var method: String?
    public var appKey: String?
    public var shopID: String?
    public var requestID: String?
    /// An outcome word, or an error code (`25`), or a fault name.
    public var outcome: String?
    /// Only calls that created a payment action (true), or only those that did not (false).
    public var created: Bool?
    public var sinceMillis: Int64?
    public var untilMillis: Int64?
    /// Only entries with a larger id (what a page polling for new calls asks).
    public var afterID: Int?
    /// Only entries with a smaller id (an older page).
    public var beforeID: Int?
    /// Business fields by dotted path (`pay_request.pay_fee` → `1500`), each of which the call
    /// must have with that value (JSON parameters looked into; see ``FieldPaths``).
    public var fields: [String: String]

    public init(
        namespace: String? = nil, method: String? = nil, appKey: String? = nil, shopID: String? = nil, requestID: String? = nil,
        outcome: String? = nil, created: Bool? = nil, sinceMillis: Int64? = nil, untilMillis: Int64? = nil, afterID: Int? = nil,
        beforeID: Int? = nil, fields: [String: String] = [:]
    ) {
        self.afterID = afterID
        self.beforeID = beforeID
        self.fields = fields
        self.created = created
        self.namespace = namespace
        self.method = method
        self.appKey = appKey
        self.shopID = shopID
        self.requestID = requestID
        self.outcome = outcome
        self.sinceMillis = sinceMillis
        self.untilMillis = untilMillis
    }

    public func matches(_ entry: JournalEntry) -> Bool {
        if let namespace, entry.namespace != namespace { return false }
        if let method, entry.api != method { return false }
        if let appKey, entry.appKey != appKey { return false }
        if let shopID, entry.shopID != shopID { return false }
        if let requestID, entry.requestID != requestID { return false }
        if let outcome, entry.outcome.rawValue != outcome, entry.errorCode.map(String.init) != outcome, entry.fault != outcome { return false }
        if let created, entry.createdPayment != created { return false }
        if let sinceMillis, entry.receivedAtMillis < sinceMillis { return false }
        if let untilMillis, entry.receivedAtMillis > untilMillis { return false }
        if let afterID, entry.id <= afterID { return false }
        if let beforeID, entry.id >= beforeID { return false }
        if !fields.isEmpty {
            // Read from the kept (masked) parameters, only for entries every other criterion let through.
            let paths = FieldPaths(entry.parameters)
            return fields.allSatisfy { paths[$0.key] == $0.value }
        }
        return true
    }

    /// The criteria in words, for verify's answers.
    public var description: String {
        let parts: [(String, String?)] = [
            ("namespace", namespace), ("method", method), ("app_key", appKey), ("shop_id", shopID), ("request_id", requestID),
            ("outcome", outcome), ("created", created.map(String.init)), ("since", sinceMillis.map(String.init)),
            ("until", untilMillis.map(String.init)), ("after_id", afterID.map(String.init)), ("before_id", beforeID.map(String.init)),
        ]
        let set =
            parts.compactMap { name, value in value.map { "\(name)=\($0)" } }
            + fields.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        return set.isEmpty ? "any request" : set.joined(separator: ", ")
    }
}
