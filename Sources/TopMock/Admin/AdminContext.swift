import Synchronization
import TopMockHTTP
import TopMockLock
import TopMockProtocol
import TopMockScenarios

/// What the admin tasks work on, and the tasks themselves (one method per route of
/// ``AdminResponder/routes``).
final class AdminContext: Sendable {
    let engine: ScenarioEngine
    let apps: AppRegistry
    let journal: RequestJournal
    let reloader: ScenarioReloader
    let metrics: GatewayMetrics

    init(engine: ScenarioEngine, apps: AppRegistry, journal: RequestJournal, reloader: ScenarioReloader, metrics: GatewayMetrics) {
        self.engine = engine
        self.apps = apps
        self.journal = journal
        self.reloader = reloader
        self.metrics = metrics
    }

    /// `GET /metrics`: Prometheus text format 0.0.4.
    func prometheusMetrics() -> HTTPResponse {
        HTTPResponse(
            status: 200, headers: ["Content-Type": "text/plain; version=0.0.4; charset=utf-8"],
            body: metrics.render(journal: journal.statistics))
    }

    // MARK: health and scenarios

    func health() -> HTTPResponse {
        let set = engine.set
        var scenarios = ResponseObject()
        scenarios.append("files", .integer(Int64(set.files.count)))
        scenarios.append("actions", .integer(Int64(set.actions.count)))
        scenarios.append("rules", .integer(Int64(set.rules.count)))
        scenarios.append("stubs", .integer(Int64(set.stubs.count)))
        scenarios.append("loaded", .list(itemName: "file", set.files.map { .object(Self.describe($0)) }))
        scenarios.append("reloads", .integer(Int64(reloader.reloads.load(ordering: .relaxed))))
        scenarios.append("failed_reloads", .integer(Int64(reloader.failures.load(ordering: .relaxed))))
        let failure = reloader.lastFailure.withLock { $0 }
        if !failure.isEmpty {
            scenarios.append("last_reload_errors", .list(itemName: "error", failure.map { .string($0.headline) }))
        }
        var body = ResponseObject()
        body.append("status", .string("ok"))
        body.append("version", .string(TopMockVersion.current))
        body.append("apps", .integer(Int64(apps.all.count)))
        body.append("scenarios", .object(scenarios))
        return .json(body)
    }

    static func describe(_ file: ScenarioFileSummary) -> ResponseObject {
        var entry = ResponseObject()
        entry.append("path", .string(file.path))
        entry.append("name", .string(file.name))
        entry.append("actions", .integer(Int64(file.actionCount)))
        entry.append("rules", .integer(Int64(file.ruleCount)))
        entry.append("stubs", .integer(Int64(file.stubCount)))
        return entry
    }

    func listScenarios() -> HTTPResponse {
        var body = ResponseObject()
        body.append("files", .list(itemName: "file", engine.set.files.map { .object(Self.describe($0)) }))
        body.append("uploads", .list(itemName: "name", reloader.uploads.withLock { $0.keys.sorted() }.map { .string($0) }))
        body.append("load_errors", .list(itemName: "error", reloader.lastFailure.withLock { $0 }.map { .string($0.description) }))
        return .json(body)
    }

    /// `POST /__admin/scenarios?name=NAME` with a YAML document: validated together with everything
    /// else loaded, then added (or replacing the upload of the same name).
    func uploadScenario(_ call: AdminCall) throws(AdminError) -> HTTPResponse {
        let name = call.query["name"] ?? "upload-\(journal.statistics.entries)-\(engine.set.files.count)"
        try Self.checkName(name)
        guard let text = String(validating: call.request.body, as: UTF8.self) else {
            throw .badParameter("the scenario document is not UTF-8")
        }
        var uploads = reloader.uploads.withLock { $0 }
        let replaced = uploads[name] != nil
        uploads[name] = text
        let result = reloader.load(withUploads: uploads)
        guard result.isValid else { throw .invalidScenarios(result.diagnostics.map(\.description)) }
        reloader.uploads.withLock { $0[name] = text }
        reloader.applyLoaded(result)
        var body = ResponseObject()
        body.append("name", .string(name))
        body.append("replaced", .bool(replaced))
        body.append("actions", .integer(Int64(result.set.actions.count)))
        body.append("rules", .integer(Int64(result.set.rules.count)))
        return .json(body, status: replaced ? 200 : 201)
    }

    func deleteScenario(_ name: String) throws(AdminError) -> HTTPResponse {
        var uploads = reloader.uploads.withLock { $0 }
        guard uploads.removeValue(forKey: name) != nil else { throw .unknownScenario(name) }
        let result = reloader.load(withUploads: uploads)
        guard result.isValid else { throw .invalidScenarios(result.diagnostics.map(\.description)) }
        reloader.uploads.withLock { $0[name] = nil }
        reloader.applyLoaded(result)
        var body = ResponseObject()
        body.append("deleted", .string(name))
        return .json(body)
    }

    static func checkName(_ name: String) throws(AdminError) {
        let allowed = name.utf8.allSatisfy {
            ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || $0 == 45 || $0 == 46 || $0 == 95
        }
        guard allowed, (1...64).contains(name.utf8.count), !name.hasPrefix(".") else {
            throw .badParameter("a scenario name is 1 to 64 letters, digits, '-', '_' or '.', not starting with '.'")
        }
    }

    func reloadScenarios() throws(AdminError) -> HTTPResponse {
        guard reloader.reload() else {
            throw .invalidScenarios(reloader.lastFailure.withLock { $0 }.map(\.description))
        }
        var body = ResponseObject()
        body.append("reloaded", .bool(true))
        body.append("actions", .integer(Int64(engine.set.actions.count)))
        body.append("rules", .integer(Int64(engine.set.rules.count)))
        return .json(body)
    }

    // MARK: namespaces, actions, clocks

    struct ResetBody: Decodable { var namespace: String? }

    /// Everything (no body) or one namespace: state, clock and journal entries. Well under a
    /// millisecond: it drops dictionaries.
    func reset(_ call: AdminCall) throws(AdminError) -> HTTPResponse {
        let namespace = try call.body(ResetBody.self).namespace
        engine.reset(namespace: namespace)
        if let namespace { journal.forget(namespace: namespace) } else { journal.remove() }
        var body = ResponseObject()
        body.append("reset", .string(namespace ?? "*"))
        return .json(body)
    }

    func listNamespaces() -> HTTPResponse {
        var body = ResponseObject()
        body.append("namespaces", .list(itemName: "namespace", engine.namespaceNames.map { .string($0) }))
        return .json(body)
    }

    private func key(_ call: AdminCall) throws(AdminError) -> ActionKey {
        guard let shopID = Int64(call.segment("shop_id")), shopID >= 0 else {
            throw .badParameter("shop_id '\(call.segment("shop_id"))' is not a whole number")
        }
        return ActionKey(shopID: shopID, requestID: call.segment("request_id"))
    }

    static func describe(_ snapshot: ActionSnapshot, namespace: String) -> ResponseObject {
        var body = ResponseObject()
        body.append("namespace", .string(namespace))
        body.append("shop_id", .integer(snapshot.action.key.shopID))
        body.append("request_id", .string(snapshot.action.key.requestID))
        body.append("buyer_id", snapshot.action.buyerID.map { .integer($0) })
        body.append("channel", .string(snapshot.action.channel))
        body.append("status", .string(snapshot.current.status.rawValue))
        body.append("result_code", snapshot.current.resultCode.map(ResponseValue.string))
        body.append("result_message", snapshot.current.resultMessage.map(ResponseValue.string))
        body.append("amount_fen", snapshot.action.amountFen.map { .integer($0) })
        body.append("checkout_id", snapshot.action.paymentOrderID.map(ResponseValue.string))
        body.append("step", .integer(Int64(snapshot.step)))
        body.append("steps", .integer(Int64(snapshot.action.timeline.count)))
        body.append("queries", .integer(Int64(snapshot.queries)))
        body.append("set_by_admin", .bool(snapshot.isOverridden))
        body.append("created", .bool(snapshot.isCreated))
        return body
    }

    func action(_ call: AdminCall) throws(AdminError) -> HTTPResponse {
        let key = try key(call)
        guard let snapshot = engine.snapshot(of: key, namespace: call.segment("ns")) else {
            throw .unknownAction(shopID: call.segment("shop_id"), requestID: key.requestID)
        }
        return .json(Self.describe(snapshot, namespace: call.segment("ns")))
    }

    struct SetActionBody: Decodable {
        var status: String
        var resultCode: String?
        var resultMessage: String?

        enum CodingKeys: String, CodingKey {
            case status
            case resultCode = "result_code"
            case resultMessage = "result_message"
        }
    }

    func setAction(_ call: AdminCall) throws(AdminError) -> HTTPResponse {
        let key = try key(call)
        let body = try call.body(SetActionBody.self)
        guard !body.status.isEmpty else { throw .badParameter("status must not be empty") }
        guard let snapshot = engine.setStatus(
            key, to: PaymentStatus(rawValue: body.status), resultCode: body.resultCode, resultMessage: body.resultMessage,
            namespace: call.segment("ns"))
        else { throw .unknownAction(shopID: call.segment("shop_id"), requestID: key.requestID) }
        return .json(Self.describe(snapshot, namespace: call.segment("ns")))
    }

    func advanceAction(_ call: AdminCall) throws(AdminError) -> HTTPResponse {
        let key = try key(call)
        let namespace = call.segment("ns")
        guard let before = engine.snapshot(of: key, namespace: namespace) else {
            throw .unknownAction(shopID: call.segment("shop_id"), requestID: key.requestID)
        }
        guard engine.advance(key, namespace: namespace) != nil, let after = engine.snapshot(of: key, namespace: namespace) else {
            throw .badParameter("'\(key.requestID)' is at the last step of its timeline (\(before.step) of \(before.action.timeline.count))")
        }
        return .json(Self.describe(after, namespace: namespace))
    }

    func clock(_ namespace: String) -> HTTPResponse {
        var body = ResponseObject()
        body.append("namespace", .string(namespace))
        let now = engine.clocks.nowMillis(namespace: namespace)
        switch engine.clocks.setting(namespace: namespace) {
        case .real: body.append("mode", .string("real"))
        case .frozen: body.append("mode", .string("frozen"))
        case .shifted(let offset):
            body.append("mode", .string("shifted"))
            body.append("offset_millis", .integer(offset))
        }
        body.append("now_millis", .integer(now))
        body.append("now", .string(TimestampPolicy.format(epochMillis: now)))
        return .json(body)
    }

    struct ClockBody: Decodable {
        /// `yyyy-MM-dd HH:mm:ss` in GMT+8, epoch milliseconds, or "now".
        var freeze: String?
        var freezeMillis: Int64?
        /// A duration: `30s`, `5m`, `-1h`.
        var advance: String?
        var real: Bool?

        enum CodingKeys: String, CodingKey {
            case freeze, advance, real
            case freezeMillis = "freeze_millis"
        }
    }

    /// `{"freeze": "now" | "2026-01-01 12:00:00" (GMT+8)}`, `{"freeze_millis": …}`,
    /// `{"advance": "30s"}` (negative moves back), `{"real": true}`; freeze and advance may combine.
    func setClock(_ call: AdminCall) throws(AdminError) -> HTTPResponse {
        let namespace = call.segment("ns")
        let body = try call.body(ClockBody.self)
        if body.real == true {
            engine.clocks.release(namespace: namespace)
        }
        if let millis = body.freezeMillis {
            engine.clocks.freeze(namespace: namespace, atMillis: millis)
        } else if let freeze = body.freeze {
            if freeze == "now" {
                engine.clocks.freeze(namespace: namespace, atMillis: engine.clocks.nowMillis(namespace: namespace))
            } else if let wall = TimestampPolicy.wallClockSeconds(freeze) {
                engine.clocks.freeze(namespace: namespace, atMillis: (wall - TimestampPolicy.gmt8OffsetSeconds) * 1000)
            } else {
                throw .badParameter("freeze must be \"now\" or yyyy-MM-dd HH:mm:ss (GMT+8), not '\(freeze)'")
            }
        }
        if let advance = body.advance {
            let negative = advance.hasPrefix("-")
            guard let duration = ScenarioDurations.parse(negative ? String(advance.dropFirst()) : advance) else {
                throw .badParameter("advance must be a duration such as 30s, 5m or -1h, not '\(advance)'")
            }
            let millis = Int64(duration.seconds * 1000)
            engine.clocks.advance(namespace: namespace, byMillis: negative ? -millis : millis)
        }
        if body.real != true && body.freeze == nil && body.freezeMillis == nil && body.advance == nil {
            throw .badParameter("give freeze, freeze_millis, advance or real")
        }
        return clock(namespace)
    }

    // MARK: the journal

    func filter(_ query: [String: String]) throws(AdminError) -> JournalFilter {
        func millis(_ name: String) throws(AdminError) -> Int64? {
            guard let text = query[name] else { return nil }
            guard let value = Int64(text) else { throw .badParameter("\(name) must be epoch milliseconds, not '\(text)'") }
            return value
        }
        var fields: [String: String] = [:]
        for (name, value) in query where name.hasPrefix("field.") && name.count > 6 { fields[String(name.dropFirst(6))] = value }
        return JournalFilter(
            namespace: query["namespace"], method: query["method"], appKey: query["app_key"], shopID: query["shop_id"],
            requestID: query["request_id"], outcome: query["outcome"], sinceMillis: try millis("since"), untilMillis: try millis("until"),
            fields: fields)
    }

    func requests(_ call: AdminCall) throws(AdminError) -> HTTPResponse {
        let query = call.query
        var limit: Int?
        if let text = query["limit"] {
            guard let value = Int(text), value >= 0 else { throw .badParameter("limit must be a whole number, not '\(text)'") }
            limit = value
        }
        let entries = journal.entries(matching: try filter(query), limit: limit)
        let statistics = journal.statistics
        var body = ResponseObject()
        body.append("requests", .list(itemName: "request", entries.map { .object(Self.describe($0)) }))
        body.append("held", .integer(Int64(statistics.entries)))
        body.append("evicted", .integer(Int64(statistics.evicted)))
        return .json(body)
    }

    func countRequests(_ call: AdminCall) throws(AdminError) -> HTTPResponse {
        var body = ResponseObject()
        body.append("count", .integer(Int64(journal.count(matching: try filter(call.query)))))
        return .json(body)
    }

    func clearRequests(_ call: AdminCall) throws(AdminError) -> HTTPResponse {
        var body = ResponseObject()
        body.append("removed", .integer(Int64(journal.remove(matching: try filter(call.query)))))
        return .json(body)
    }

    struct VerifyBody: Decodable {
        var namespace: String?
        var method: String?
        var appKey: String?
        var shopID: String?
        var requestID: String?
        var outcome: String?
        var since: Int64?
        var until: Int64?
        var count: Int?
        var atLeast: Int?
        var atMost: Int?
        /// Field path → value: a JSON string, number or boolean, compared as the journal's text.
        var fields: [String: JSONValue]?

        enum CodingKeys: String, CodingKey {
            case namespace, method, outcome, since, until, count, fields
            case appKey = "app_key"
            case shopID = "shop_id"
            case requestID = "request_id"
            case atLeast = "at_least"
            case atMost = "at_most"
        }
    }

    /// 200 when the journal holds the expected number of matching requests; 409 with what it saw.
    func verify(_ call: AdminCall) throws(AdminError) -> HTTPResponse {
        let body = try call.body(VerifyBody.self)
        var fields: [String: String] = [:]
        for (path, value) in body.fields ?? [:] {
            guard let text = value.scalarText else {
                throw .badParameter("fields.\(path) must be a string, a number or a boolean (one field path per value)")
            }
            fields[path] = text
        }
        let filter = JournalFilter(
            namespace: body.namespace, method: body.method, appKey: body.appKey, shopID: body.shopID, requestID: body.requestID,
            outcome: body.outcome, sinceMillis: body.since, untilMillis: body.until, fields: fields)
        let expectations = [body.count.map { ("exactly", $0) }, body.atLeast.map { ("at least", $0) }, body.atMost.map { ("at most", $0) }].compactMap { $0 }
        let matched = journal.count(matching: filter)
        let expectation = expectations.isEmpty ? ("at least", 1) : expectations[0]
        guard expectations.count <= 1 else { throw .badParameter("give one of count, at_least, at_most") }
        let holds = switch expectation.0 {
        case "exactly": matched == expectation.1
        case "at most": matched <= expectation.1
        default: matched >= expectation.1
        }
        var result = ResponseObject()
        result.append("matched", .integer(Int64(matched)))
        guard holds else {
            var seen = ResponseObject()
            seen.append("matched", .integer(Int64(matched)))
            let scope = JournalFilter(namespace: body.namespace)
            seen.append("recent", .list(itemName: "request", journal.entries(matching: scope, limit: 5).map { .object(Self.describe($0)) }))
            throw .verificationFailed(
                "expected \(expectation.0) \(expectation.1) request\(expectation.1 == 1 ? "" : "s") matching \(filter.description), found \(matched)",
                extra: seen)
        }
        return .json(result)
    }

    static func describe(_ entry: JournalEntry) -> ResponseObject {
        var body = ResponseObject()
        body.append("id", .integer(Int64(entry.id)))
        body.append("received_at_millis", .integer(entry.receivedAtMillis))
        body.append("namespace", .string(entry.namespace))
        body.append("remote_address", .string(entry.remoteAddress))
        body.append("http_method", .string(entry.httpMethod))
        body.append("method", entry.api.map(ResponseValue.string))
        body.append("app_key", entry.appKey.map(ResponseValue.string))
        body.append("shop_id", entry.shopID.map(ResponseValue.string))
        body.append("request_id", entry.requestID.map(ResponseValue.string))
        body.append("outcome", .string(entry.outcome.rawValue))
        body.append("error_code", entry.errorCode.map { .integer(Int64($0)) })
        body.append("error_sub_code", entry.errorSubCode.map(ResponseValue.string))
        body.append("fault", entry.fault.map(ResponseValue.string))
        body.append("rule", entry.rule.map(ResponseValue.string))
        body.append("scenario", entry.scenario.map(ResponseValue.string))
        body.append("diagnostic", entry.diagnostic.map(ResponseValue.string))
        body.append("near_miss", entry.nearMiss.map(ResponseValue.string))
        if let mismatch = entry.signatureMismatch {
            var signature = ResponseObject()
            signature.append("sign_method", .string(mismatch.method.rawValue))
            signature.append("expected", .string(mismatch.expected))
            signature.append("received", .string(mismatch.received))
            signature.append("signed", .string(mismatch.signedText))
            signature.append("likely_cause", .string(mismatch.likelyCause))
            body.append("signature", .object(signature))
        }
        body.append("answer_request_id", .string(entry.answerRequestID))
        body.append("latency_micros", .integer(Int64(entry.latencyMicros)))
        body.append("delay_millis", entry.delayMillis.map { .integer(Int64($0)) })
        var parameters = ResponseObject()
        for parameter in entry.parameters { parameters.append(parameter.name, .string(parameter.value)) }
        body.append("parameters", .object(parameters))
        return body
    }
}
