import TopMockHTTP
import TopMockProtocol
import TopMockScenarios

/// `/__admin/requests…`: the journal — list, count, clear and verify the calls `/router/rest`
/// saw, filtered by namespace, method, app, ids, outcome, time and business field paths.
struct JournalResource: Sendable {
    let journal: RequestJournal

    /// One journal entry as the admin API shows it. Parameters are masked already; `fields` are the
    /// business parameters by dotted path (JSON parameters looked into), what `field.PATH=` filters
    /// and `verify`'s `fields` compare.
    struct Entry: Encodable {
        var id: Int
        var receivedAtMillis: Int64
        var namespace: String
        var remoteAddress: String
        var httpMethod: String
        var method: String?
        var appKey: String?
        var shopID: String?
        var requestID: String?
        var outcome: String
        /// The call created a payment action (its reply lost or not).
        var created: Bool
        var errorCode: Int?
        var errorSubCode: String?
        var fault: String?
        var rule: String?
        var scenario: String?
        var diagnostic: String?
        var nearMiss: String?
        var signature: Signature?
        var answerRequestID: String
        var latencyMicros: Int
        var delayMillis: Int?
        /// By name; a repeated name shows its first value, the one TOP reads.
        var parameters: [String: String]
        var fields: [String: String]

        struct Signature: Encodable {
            var signMethod: String
            var expected: String
            var received: String
            var signed: String
            var likelyCause: String

            enum CodingKeys: String, CodingKey {
                case expected, received, signed
                case signMethod = "sign_method"
                case likelyCause = "likely_cause"
            }
        }

        init(_ entry: JournalEntry) {
            id = entry.id
            receivedAtMillis = entry.receivedAtMillis
            namespace = entry.namespace
            remoteAddress = entry.remoteAddress
            httpMethod = entry.httpMethod
            method = entry.api
            appKey = entry.appKey
            shopID = entry.shopID
            requestID = entry.requestID
            outcome = entry.outcome.rawValue
            created = entry.createdPayment
            errorCode = entry.errorCode
            errorSubCode = entry.errorSubCode
            fault = entry.fault
            rule = entry.rule
            scenario = entry.scenario
            diagnostic = entry.diagnostic
            nearMiss = entry.nearMiss
            signature = entry.signatureMismatch.map {
                Signature(
                    signMethod: $0.method.rawValue, expected: $0.expected, received: $0.received, signed: $0.signedText, likelyCause: $0.likelyCause)
            }
            answerRequestID = entry.answerRequestID
            latencyMicros = entry.latencyMicros
            delayMillis = entry.delayMillis
            parameters = [:]
            for parameter in entry.parameters where parameters[parameter.name] == nil { parameters[parameter.name] = parameter.value }
            fields = FieldPaths(entry.parameters.filter { !TOPParameters.publicNames.contains($0.name) }).values
        }

        enum CodingKeys: String, CodingKey {
            case id, namespace, method, outcome, created, fault, rule, scenario, diagnostic, signature, parameters, fields
            case receivedAtMillis = "received_at_millis"
            case remoteAddress = "remote_address"
            case httpMethod = "http_method"
            case appKey = "app_key"
            case shopID = "shop_id"
            case requestID = "request_id"
            case errorCode = "error_code"
            case errorSubCode = "error_sub_code"
            case nearMiss = "near_miss"
            case answerRequestID = "answer_request_id"
            case latencyMicros = "latency_micros"
            case delayMillis = "delay_millis"
        }
    }

    struct Listing: Encodable {
        var requests: [Entry]
        var held: Int
        var evicted: Int
    }

    func list(_ call: AdminCall) throws(AdminError) -> HTTPResponse {
        let query = call.query
        var limit: Int?
        if let text = query["limit"] {
            guard let value = Int(text), value >= 0 else { throw .badParameter("limit must be a whole number, not '\(text)'") }
            limit = value
        }
        let entries = journal.entries(matching: try Self.filter(query), limit: limit)
        let statistics = journal.statistics
        return .json(Listing(requests: entries.map(Entry.init), held: statistics.entries, evicted: statistics.evicted))
    }

    struct Count: Encodable { var count: Int }

    func count(_ call: AdminCall) throws(AdminError) -> HTTPResponse {
        .json(Count(count: journal.count(matching: try Self.filter(call.query))))
    }

    struct Removed: Encodable { var removed: Int }

    func clear(_ call: AdminCall) throws(AdminError) -> HTTPResponse {
        .json(Removed(removed: journal.remove(matching: try Self.filter(call.query))))
    }

    /// The query's filter: `namespace`, `method`, `app_key`, `shop_id`, `request_id`, `outcome`,
    /// `created` (`true`/`false`), `since`/`until` (epoch ms), `after_id`/`before_id` (entry ids)
    /// and `field.PATH=VALUE`.
    static func filter(_ query: [String: String]) throws(AdminError) -> JournalFilter {
        func millis(_ name: String) throws(AdminError) -> Int64? {
            guard let text = query[name] else { return nil }
            guard let value = Int64(text) else { throw .badParameter("\(name) must be epoch milliseconds, not '\(text)'") }
            return value
        }
        func id(_ name: String) throws(AdminError) -> Int? {
            guard let text = query[name] else { return nil }
            guard let value = Int(text), value >= 0 else { throw .badParameter("\(name) must be a journal entry's id, not '\(text)'") }
            return value
        }
        var created: Bool?
        if let text = query["created"] {
            guard let value = Bool(text) else { throw .badParameter("created must be true or false, not '\(text)'") }
            created = value
        }
        var fields: [String: String] = [:]
        for (name, value) in query where name.hasPrefix("field.") && name.count > 6 { fields[String(name.dropFirst(6))] = value }
        return JournalFilter(
            namespace: query["namespace"], method: query["method"], appKey: query["app_key"], shopID: query["shop_id"],
            requestID: query["request_id"], outcome: query["outcome"], created: created, sinceMillis: try millis("since"),
            untilMillis: try millis("until"), afterID: try id("after_id"), beforeID: try id("before_id"), fields: fields)
    }

    /// One call with what it was answered, as sent. The answer is shown exactly unless it may
    /// hold a field the redaction list masks (an upstream's answer, say): then masked as the
    /// list decides, and `masked` says so.
    struct Detail: Encodable {
        var entry: Entry
        var answer: Answer?

        struct Answer: Encodable {
            var status: Int
            var contentType: String?
            var body: String
            var masked: Bool

            enum CodingKeys: String, CodingKey {
                case status, body, masked
                case contentType = "content_type"
            }
        }

        func encode(to encoder: any Encoder) throws {
            try entry.encode(to: encoder)
            var container = encoder.container(keyedBy: Key.self)
            try container.encodeIfPresent(answer, forKey: .answer)
        }

        enum Key: String, CodingKey { case answer }
    }

    func read(_ call: AdminCall) throws(AdminError) -> HTTPResponse {
        guard let id = Int(call.segment("id")), let entry = journal.entry(id: id) else {
            throw .unknownRequest(call.segment("id"))
        }
        let answer = entry.answer.map { sent in
            let text = String(decoding: sent.body, as: UTF8.self)
            let redaction = ServedMethods.redaction
            let mentions = sent.body.withUnsafeBufferPointer { redaction.mentionsAnyField($0) }
            let body = mentions ? redaction.maskedAnswer(text) : text
            return Detail.Answer(status: sent.status, contentType: sent.contentType, body: body, masked: mentions)
        }
        return .json(Detail(entry: Entry(entry), answer: answer))
    }

    struct Expectation: Decodable {
        var namespace: String?
        var method: String?
        var appKey: String?
        var shopID: String?
        var requestID: String?
        var outcome: String?
        /// Count only calls that created a payment action (a lost reply's included): payments, not calls.
        var created: Bool?
        var since: Int64?
        var until: Int64?
        var count: Int?
        var atLeast: Int?
        var atMost: Int?
        /// Field path → value: a JSON string, number or boolean, compared as the journal's text.
        var fields: [String: JSONValue]?

        enum CodingKeys: String, CodingKey {
            case namespace, method, outcome, created, since, until, count, fields
            case appKey = "app_key"
            case shopID = "shop_id"
            case requestID = "request_id"
            case atLeast = "at_least"
            case atMost = "at_most"
        }
    }

    /// How many matching calls a `verify` wants.
    enum Bound {
        case exactly(Int), atLeast(Int), atMost(Int)

        func holds(_ matched: Int) -> Bool {
            switch self {
            case .exactly(let count): matched == count
            case .atLeast(let count): matched >= count
            case .atMost(let count): matched <= count
            }
        }

        var description: String {
            let (words, count) =
                switch self {
                case .exactly(let count): ("exactly", count)
                case .atLeast(let count): ("at least", count)
                case .atMost(let count): ("at most", count)
                }
            return "\(words) \(count) request\(count == 1 ? "" : "s")"
        }
    }

    struct Verified: Encodable { var matched: Int }

    /// 200 when the journal holds the expected number of matching requests (at least one when no
    /// bound is given); 409 with what it saw.
    func verify(_ call: AdminCall) throws(AdminError) -> HTTPResponse {
        let body = try call.body(Expectation.self)
        var fields: [String: String] = [:]
        for (path, value) in body.fields ?? [:] {
            guard let text = value.scalarText else {
                throw .badParameter("fields.\(path) must be a string, a number or a boolean (one field path per value)")
            }
            fields[path] = text
        }
        let bounds = [body.count.map(Bound.exactly), body.atLeast.map(Bound.atLeast), body.atMost.map(Bound.atMost)].compactMap { $0 }
        guard bounds.count <= 1 else { throw .badParameter("give one of count, at_least, at_most") }
        let bound = bounds.first ?? .atLeast(1)
        let filter = JournalFilter(
            namespace: body.namespace, method: body.method, appKey: body.appKey, shopID: body.shopID, requestID: body.requestID,
            outcome: body.outcome, created: body.created, sinceMillis: body.since, untilMillis: body.until, fields: fields)
        let matched = journal.count(matching: filter)
        guard bound.holds(matched) else {
            let recent = journal.entries(matching: JournalFilter(namespace: body.namespace), limit: 5).map(Entry.init)
            throw .verificationFailed(
                "expected \(bound.description) matching \(filter.description), found \(matched)", matched: matched, recent: recent)
        }
        return .json(Verified(matched: matched))
    }
}
