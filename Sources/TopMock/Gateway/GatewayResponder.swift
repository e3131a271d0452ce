import Logging
import TopMockHTTP
import TopMockProtocol
import TopMockScenarios

/// `/router/rest`: parameters → public-parameter checks and signature → the API's business
/// parameters → the scenario engine → TOP envelope. Every TOP answer is HTTP 200, as the real
/// gateway's are (SDKs treat anything else as a transport failure).
struct GatewayResponder: HTTPResponder {
    let engine: ScenarioEngine
    let apps: AppRegistry
    let policy: GatewayPolicy
    let contentTypes: ContentTypes
    let diagnosticHeader: Bool
    let clock: any WallClock
    let scheduler: any DelayScheduler
    let requestIDs: RequestIDGenerator
    let logger: Logger

    func respond(to request: HTTPRequest) -> HTTPOutcome {
        let requestID = requestIDs.next()
        guard request.method == "GET" || request.method == "POST" else {
            let format = TOPParameters(URLEncodedForm.parse(request.query).map { ($0.name, $0.value) }).requestedFormat
            return reject(
                TOPRejection(.httpActionNotAllowed, format: format,
                             diagnostic: "HTTP method '\(request.method)' is not allowed; TOP takes upper-case GET or POST"),
                requestID: requestID, request: request)
        }
        let call: TOPRequest
        do {
            let parameters = try request.topParameters()
            call = try TOPRequest.validate(
                parameters, policy: policy, nowMillis: clock.nowMillis(),
                app: { apps[$0] }, isKnownAPI: { engine.serves($0) })
        } catch {
            return reject(error, requestID: requestID, request: request)
        }

        var query: PaymentActionQuery?
        if call.api == .posPayActionQuery {
            do {
                query = try PaymentActionQuery(parameters: call.parameters)
            } catch {
                return reject(
                    TOPRejection(error, format: call.format, diagnostic: "business parameters: \(error.msg)"),
                    requestID: requestID, request: request)
            }
        }
        let resolution = engine.resolve(MatchableRequest(api: call.api, appKey: call.appKey, parameters: call.parameters, query: query))
        logger.debug("answered", metadata: [
            "topmock.request.id": "\(requestID)", "top.api": "\(call.api)", "top.app_key": "\(call.appKey)",
            "outcome": "\(resolution.outcomeName)", "scenario.rule": "\(resolution.ruleName ?? "-")",
        ])
        let outcome = render(resolution, call: call, requestID: requestID, request: request)
        guard let delay = resolution.delay, delay > .zero else { return outcome }
        let deferred = DeferredResponse()
        scheduler.schedule(after: delay) { deferred.complete(outcome) }
        return .deferred(deferred)
    }

    private func render(_ resolution: Resolution, call: TOPRequest, requestID: String, request: HTTPRequest) -> HTTPOutcome {
        switch resolution.outcome {
        case .answer, .stub:
            return .response(success(resolution.outcome, call: call, requestID: requestID))
        case .error(let error):
            return reject(
                TOPRejection(error, format: call.format, diagnostic: "injected by rule '\(resolution.ruleName ?? "?")'"),
                requestID: requestID, request: request)
        case .fault(let fault):
            let answer = resolution.faultedAnswer.map { success($0, call: call, requestID: requestID) }
                ?? HTTPResponse(status: 200, headers: ["Content-Type": contentTypes.of(call.format)])
            logger.info("fault", metadata: [
                "topmock.request.id": "\(requestID)", "fault.kind": "\(fault.rawValue)", "scenario.rule": "\(resolution.ruleName ?? "-")",
            ])
            return fault.outcome(answer: answer)
        case .unknownMethod:
            return reject(
                TOPRejection(.invalidMethod, format: call.format, diagnostic: "method '\(call.api)' is not served by this topmock"),
                requestID: requestID, request: request)
        }
    }

    private func success(_ outcome: Resolution.Outcome, call: TOPRequest, requestID: String) -> HTTPResponse {
        let fields: ResponseObject
        switch outcome {
        case .answer(let answer): fields = answer.responseFields
        case .stub(let stub): fields = stub.response
        default: fields = ResponseObject()
        }
        let body = EnvelopeEncoder.success(fields, api: call.api, requestID: requestID, format: call.format, simplify: call.simplify)
        return HTTPResponse(status: 200, headers: ["Content-Type": contentTypes.of(call.format)], body: body)
    }

    private func reject(_ rejection: TOPRejection, requestID: String, request: HTTPRequest) -> HTTPOutcome {
        logger.info("rejected", metadata: {
            var metadata: Logger.Metadata = [
                "topmock.request.id": "\(requestID)", "top.error.code": "\(rejection.error.code)",
                "topmock.diagnostic": "\(rejection.diagnostic)", "http.remote": "\(request.remoteAddress)",
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
        let body = EnvelopeEncoder.failure(rejection.error, requestID: requestID, format: rejection.format)
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
