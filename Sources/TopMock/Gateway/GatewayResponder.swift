import Logging
import TopMockHTTP
import TopMockProtocol
import TopMockScenarios
import TopMockUpstream

/// `/router/rest`: parameters → public-parameter checks and signature → the API's business
/// parameters → the scenario engine → TOP envelope. Every TOP answer is HTTP 200, as the real
/// gateway's are (SDKs treat anything else as a transport failure).
struct GatewayResponder: HTTPResponder {
    let engine: ScenarioEngine
    let apps: AppRegistry
    let journal: RequestJournal
    let policy: GatewayPolicy
    let contentTypes: ContentTypes
    let diagnosticHeader: Bool
    let clock: any WallClock
    let scheduler: any DelayScheduler
    let requestIDs: RequestIDGenerator
    let metrics: GatewayMetrics
    let logger: Logger
    /// Set for `topmock record`: every valid call goes there instead of to the scenarios.
    var upstream: Forwarder? = nil
    var recorder: Recorder? = nil

    /// The header that picks a namespace; without it, the call's `app_key` does.
    static let namespaceHeader = "X-Topmock-Namespace"

    func respond(to request: HTTPRequest) -> HTTPReply {
        let started = ContinuousClock.now
        var call = CallRecord(request: request, requestID: requestIDs.next(), receivedAtMillis: clock.nowMillis())
        let outcome = answer(request, &call)
        let latency = ContinuousClock.now - started
        call.entry.latencyMicros = Int(latency.seconds * 1_000_000)
        call.entry.maskParameters(secret: call.secret)
        metrics.recordCall(
            method: call.methodLabel ?? call.entry.api.map { engine.serves(APIName(rawValue: $0)) ? $0 : "other" } ?? "none",
            outcome: call.entry.outcome,
            result: call.result, namespace: call.entry.namespace, duration: latency + (call.delay ?? .zero))
        let delay = call.delay
        switch outcome {
        case .response(let response):
            call.entry.answer = SentAnswer(status: response.status, headers: response.headers, body: response.body)
        case .truncated(let response, let sent):
            call.entry.answer = SentAnswer(
                status: response.status, headers: response.headers, body: Array(response.body.prefix(sent)))
        case .closeConnection, .resetConnection, .deferred: break
        }
        journal.record(call.takeEntry())
        guard let delay, delay > .zero else { return outcome }
        let deferred = DeferredResponse()
        scheduler.schedule(after: delay) { deferred.complete(outcome) }
        return .deferred(deferred)
    }

    private func answer(_ request: HTTPRequest, _ call: inout CallRecord) -> HTTPReply {
        guard request.method == "GET" || request.method == "POST" else {
            let fields = URLEncodedForm.parse(request.query, limit: policy.maxParameters) ?? []
            let format = TOPParameters(fields.map { ($0.name, $0.value) }).requestedFormat
            return reject(
                TOPRejection(
                    .httpActionNotAllowed, format: format,
                    diagnostic: "HTTP method '\(request.method)' is not allowed; TOP takes upper-case GET or POST"),
                &call)
        }
        let validated: TOPRequest
        // The namespace's time, read once: the timestamp check and the engine see the same instant.
        var now: Int64 = 0
        do {
            let parameters = try request.topParameters(limit: policy.maxParameters)
            call.adopt(parameters)
            now = engine.clocks.nowMillis(namespace: call.entry.namespace)
            validated = try TOPRequest.validate(
                parameters, policy: policy, nowMillis: now, app: { apps[$0] }, isKnownAPI: { upstream != nil || engine.serves($0) })
        } catch {
            // Refused before the app lookup (21, 28, 47…): its key may still name a known app.
            call.secret = error.credentials?.secret ?? call.entry.appKey.flatMap { apps[$0]?.secret }
            return reject(error, &call)
        }
        call.secret = validated.credentials.secret
        if let upstream, upstream.settings.mode == .record { return forward(validated, to: upstream, &call) }

        let business: (any MethodCall)?
        do {
            business = try ServedMethods.parse(validated.api, validated.parameters)
        } catch {
            return reject(TOPRejection(error, format: validated.format, diagnostic: "business parameters: \(error.msg)"), &call)
        }
        call.entry.requestID = business?.matchRequestID
        let matchable = MatchableRequest(api: validated.api, appKey: validated.appKey, parameters: validated.parameters, call: business)
        let resolution = engine.resolve(matchable, namespace: call.entry.namespace, nowMillis: now)
        if let upstream, upstream.settings.mode == .proxyOnMiss, resolution.isMiss { return forward(validated, to: upstream, &call) }
        if case .unknownMethod = resolution.decision {} else { call.methodLabel = validated.api.rawValue }
        call.entry.outcome = resolution.callOutcome
        call.entry.createdPayment = resolution.createdPayment
        call.entry.rule = resolution.ruleName
        call.entry.scenario = resolution.scenarioPath
        call.delay = resolution.delay
        call.entry.delayMillis = resolution.delay.map { Int(ScenarioDurations.millis($0)) }
        logger.debug(
            "answered",
            metadata: [
                "topmock.request.id": "\(call.entry.answerRequestID)", "top.api": "\(validated.api)", "top.app_key": "\(validated.appKey)",
                "topmock.namespace": "\(call.entry.namespace)", "outcome": "\(resolution.callOutcome.rawValue)",
                "scenario.rule": "\(resolution.ruleName ?? "-")",
            ])
        switch resolution.decision {
        case .answer(let answer):
            call.result = answer.resultLabel
            if answer.outcome == .notFound || answer.outcome == .buyerMismatch {
                call.entry.nearMiss = engine.nearMiss(for: matchable, namespace: call.entry.namespace)
            }
            return .response(success(answer.body, call: validated, requestID: call.entry.answerRequestID))
        case .stub(let stub):
            return .response(success(stub.response, call: validated, requestID: call.entry.answerRequestID))
        case .error(let error):
            return reject(
                TOPRejection(error, format: validated.format, diagnostic: "injected by rule '\(resolution.ruleName ?? "?")'"), &call,
                outcome: .error)
        case .fault(let fault):
            call.entry.fault = fault.rawValue
            call.result = fault.rawValue
            let answer =
                resolution.faultedAnswer.map { success(Self.fields(of: $0), call: validated, requestID: call.entry.answerRequestID) }
                ?? HTTPResponse(status: 200, headers: ["Content-Type": contentTypes.of(validated.format)])
            logger.info(
                "fault",
                metadata: [
                    "topmock.request.id": "\(call.entry.answerRequestID)", "fault.kind": "\(fault.rawValue)",
                    "scenario.rule": "\(resolution.ruleName ?? "-")",
                ])
            return fault.reply(answer: answer)
        case .refused(let error, let why):
            logger.warning("refused", metadata: ["topmock.request.id": "\(call.entry.answerRequestID)", "reason": "\(why)"])
            return reject(TOPRejection(error, format: validated.format, diagnostic: why), &call)
        case .unknownMethod:
            let why =
                engine.serves(validated.api)
                ? "no stub of '\(validated.api)' matches this call (its stubs' when)"
                : "method '\(validated.api)' is not served by this topmock"
            return reject(TOPRejection(.invalidMethod, format: validated.format, diagnostic: why), &call)
        }
    }

    /// `topmock record`: the upstream's answer, rendered in the format the app asked for, or what
    /// the upstream's transport did; recorded either way.
    private func forward(_ validated: TOPRequest, to upstream: Forwarder, _ call: inout CallRecord) -> HTTPReply {
        call.methodLabel = validated.api.rawValue
        call.entry.requestID = ServedMethods.requestIDIfReadable(validated.api, call.entry.received)
        let answer = upstream.forward(validated)
        recorder?.record(validated, answer)
        call.entry.outcome = .proxied
        switch answer {
        case .success(let value):
            call.result = "proxied"
            return .response(success(value.responseObject, call: validated, requestID: call.entry.answerRequestID))
        case .error(let error):
            return reject(
                TOPRejection(error, format: validated.format, diagnostic: "the upstream answered error \(error.code)"), &call, outcome: .proxied)
        case .httpStatus(let status):
            call.result = String(status)
            return .response(Fault.proxyPage(status))
        case .failure(let failure):
            call.result = "upstream_failure"
            call.entry.diagnostic = "upstream: \(failure.description)"
            logger.warning(
                "upstream failed", metadata: ["topmock.request.id": "\(call.entry.answerRequestID)", "upstream.error": "\(failure.description)"])
            switch failure.kind {
            case .closed, .timeout: return .closeConnection
            case .reset: return .resetConnection
            case .unavailable, .other:
                var headers: HTTPHeaders = ["Content-Type": "text/plain;charset=UTF-8"]
                headers.add(name: "X-Topmock-Diagnostic", value: Self.headerSafe("upstream: \(failure.description)"))
                return .response(HTTPResponse(status: 502, headers: headers, body: Array("topmock record: \(failure.description)\n".utf8)))
            }
        }
    }

    /// The fields of the answer a faulted call would have had (a fault that carries it).
    private static func fields(of outcome: Resolution.Decision) -> any ResponseFields {
        switch outcome {
        case .answer(let answer): return answer.body
        case .stub(let stub): return stub.response
        default: return ResponseObject()
        }
    }

    private func success(_ fields: some ResponseFields, call: TOPRequest, requestID: String) -> HTTPResponse {
        let body = EnvelopeEncoder.success(fields, api: call.api, requestID: requestID, format: call.format, simplify: call.simplify)
        return HTTPResponse(status: 200, headers: HTTPHeaders(name: "Content-Type", value: contentTypes.of(call.format)), body: body)
    }

    private func reject(_ rejection: TOPRejection, _ call: inout CallRecord, outcome: CallOutcome = .rejected) -> HTTPReply {
        call.entry.outcome = outcome
        if call.entry.requestID == nil {
            // Best effort, so journal filters by request_id find refused calls too (only on this path).
            call.entry.requestID = ServedMethods.requestIDIfReadable(call.entry.api.map(APIName.init(rawValue:)), call.entry.received)
        }
        call.entry.errorCode = rejection.error.code
        call.result = String(rejection.error.code)
        call.entry.errorSubCode = rejection.error.subCode
        call.entry.diagnostic = rejection.diagnostic
        call.entry.signatureMismatch = rejection.signatureMismatch
        logger.info(
            "rejected",
            metadata: {
                var metadata: Logger.Metadata = [
                    "topmock.request.id": "\(call.entry.answerRequestID)", "top.error.code": "\(rejection.error.code)",
                    "topmock.diagnostic": "\(rejection.diagnostic)", "http.remote": "\(call.entry.remoteAddress)",
                    "topmock.namespace": "\(call.entry.namespace)",
                ]
                if let mismatch = rejection.signatureMismatch {
                    metadata["top.sign.method"] = "\(mismatch.method.rawValue)"
                    metadata["top.sign.signed"] = "\(mismatch.signedText)"
                }
                return metadata
            }())
        var headers: HTTPHeaders = ["Content-Type": contentTypes.of(rejection.format)]
        if diagnosticHeader {
            headers.add(name: "X-Topmock-Diagnostic", value: Self.headerSafe(rejection.diagnostic))
        }
        let body = EnvelopeEncoder.failure(rejection.error, requestID: call.entry.answerRequestID, format: rejection.format)
        return .response(HTTPResponse(status: 200, headers: headers, body: body))
    }

    /// One line of printable ASCII, at most 512 bytes: a header value every client accepts.
    static func headerSafe(_ text: String) -> String {
        var bytes: [UInt8] = []
        for byte in text.utf8 where bytes.count < 512 {
            bytes.append(byte >= 0x20 && byte < 0x7F ? byte : UInt8(ascii: "?"))
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// What the gateway learns about a call as it goes, becoming its journal entry.
struct CallRecord {
    var entry: JournalEntry
    var delay: Duration?
    /// The `result` label of `topmock_requests_total`: action status, error code or fault.
    var result = ""
    /// The `method` label: the API when topmock serves it (else the gateway picks `other`/`none`).
    var methodLabel: String?
    /// The app's secret once looked up: no parameter equal to it reaches the journal.
    var secret: String?
    /// Whether the namespace came from the `X-Topmock-Namespace` header (then the app key does not pick it).
    private let namespaceFromHeader: Bool

    /// `request` is borrowed: an initialiser takes its arguments owned, so the caller copied the
    /// whole request (each string and array retained) to pass it.
    init(request: borrowing HTTPRequest, requestID: String, receivedAtMillis: Int64) {
        let header = request.headers[GatewayResponder.namespaceHeader].flatMap { $0.isEmpty ? nil : $0 }
        namespaceFromHeader = header != nil
        entry = JournalEntry(
            arrivingAt: receivedAtMillis, namespace: header ?? ScenarioEngine.defaultNamespace, remoteAddress: request.remoteAddress,
            httpMethod: request.method, answerRequestID: requestID)
    }

    /// The journal's entry, taken out of the finished call whole (a copy would retain and later
    /// release each of its strings); the call keeps an empty one.
    mutating func takeEntry() -> JournalEntry {
        var taken = JournalEntry(arrivingAt: 0, namespace: "", remoteAddress: "", httpMethod: "", answerRequestID: "")
        swap(&taken, &entry)
        return taken
    }

    /// Takes what the journal keeps from the parameters (sharing their storage; masked before the
    /// entry is recorded) and settles the namespace: the header's, else the app key's.
    mutating func adopt(_ parameters: TOPParameters) {
        entry.received = parameters
        entry.appKey = parameters["app_key"]
        if !namespaceFromHeader, let appKey = entry.appKey, !appKey.isEmpty {
            entry.namespace = appKey
        }
    }
}
