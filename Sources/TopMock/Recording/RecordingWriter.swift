import FoundationEssentials
import TopMockProtocol
import TopMockScenarios
import TopMockUpstream

/// A recording as a scenario file in topmock's own format, which replays the app-visible answers
/// in order:
/// - `pay.action.query` answers and `order.pay` payments become payment actions (under their
///   checkout when `order.pay` named one), with a timeline where later polls answered otherwise:
///   a change on the k-th poll is a step `after_queries: k − 1`;
/// - `error_response`s become rules matching the call's method and business fields (`first: n`
///   when the same call succeeded after n errors); a dropped, reset or timed-out connection or an
///   HTTP error page, the matching fault;
/// - other methods' answers become stubs matched on the call's business fields, with the answers in
///   the order given (a stub answers them in turn; the last repeats);
/// - a header names the upstream, the date and topmock's version. Redacted values (`***`) never
///   become matchers.
struct RecordingWriter {
    let upstream: String
    let recordedAt: String
    let name: String

    /// One payment action's states in the order the upstream gave them.
    private struct ActionRecord {
        var shopID: Int64
        var requestID: String
        var buyerID: Int64?
        var checkoutID: String?
        var amountFen: Int64?
        var states: [[String: JSONValue]] = []
    }

    func yaml(_ calls: [RecordedCall]) -> String {
        var actions: [ActionRecord] = []
        var actionIndex: [String: Int] = [:]
        var stubs: [(api: String, fields: [String: String], answers: [JSONValue])] = []
        var stubIndex: [String: Int] = [:]
        var rules: [(api: String, fields: [String: String], kind: String, value: String, errors: Int, recovered: Bool)] = []
        var ruleIndex: [String: Int] = [:]

        func action(_ key: String, _ make: () -> ActionRecord) -> Int {
            if let index = actionIndex[key] { return index }
            actions.append(make())
            actionIndex[key] = actions.count - 1
            return actions.count - 1
        }

        for call in calls {
            let fields = call.fields
            let matchKey = call.api.rawValue + "|" + Self.matchers(fields, call).map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "&")
            switch call.answer {
            case .success(let answer):
                if let index = ruleIndex[matchKey] { rules[index].recovered = true }
                func stub() {
                    if let index = stubIndex[matchKey] {
                        if stubs[index].answers.last != answer { stubs[index].answers.append(answer) }
                    } else {
                        stubs.append((call.api.rawValue, Self.matchers(fields, call), [answer]))
                        stubIndex[matchKey] = stubs.count - 1
                    }
                }
                guard case .object(let response) = answer, case .object(let result)? = response["result"] else {
                    if !TOPMethods.serves(call.api) { stub() }
                    continue
                }
                // What a payment action's state is made of; order.pay's other fields follow from the call.
                let model: [String: JSONValue] = if case .object(let model)? = result["model"] {
                    model.filter { ["action_status", "result_code", "result_message", "channel_name"].contains($0.key) }
                } else { [:] }
                let succeeded = result["success"] == .bool(true) && model["action_status"] != nil
                switch call.api {
                case .posPayActionQuery where succeeded:
                    guard let shop = fields["shop_id"].flatMap({ Int64($0) }), let id = fields["payment_action_request.request_id"] else { continue }
                    let index = action("\(shop)|\(id)") {
                        ActionRecord(shopID: shop, requestID: id, buyerID: fields["payment_action_request.buyer_id"].flatMap { Int64($0) })
                    }
                    actions[index].states.append(model)
                case .posOrderPay where succeeded:
                    guard let shop = fields["shop_id"].flatMap({ Int64($0) }), let id = fields["pay_request.request_id"] else { continue }
                    let index = action("\(shop)|\(id)") {
                        ActionRecord(
                            shopID: shop, requestID: id, buyerID: fields["pay_request.buyer_id"].flatMap { Int64($0) },
                            checkoutID: fields["pay_request.checkout_id"], amountFen: fields["pay_request.pay_fee"].flatMap { Int64($0) })
                    }
                    if actions[index].states.isEmpty { actions[index].states.append(model) }
                case .posPayActionQuery, .posOrderPay, .posPayStatusQuery:
                    continue  // business failures topmock answers itself; paystatus follows from the actions
                default:
                    stub()
                }
            case .error(let error):
                let spelled = "{code: \(error.code), msg: \(Self.quoted(error.msg))"
                    + (error.subCode.map { ", sub_code: \(Self.quoted($0))" } ?? "") + (error.subMsg.map { ", sub_msg: \(Self.quoted($0))" } ?? "") + "}"
                countRule(matchKey, call, "error", spelled)
            case .httpStatus(let status):
                countRule(matchKey, call, "fault", [500: "http_500", 502: "http_502", 503: "http_503"][status] ?? "http_502")
            case .failure(let failure):
                // The upstream's own doing replays as a fault; topmock not reaching it (refused, DNS, TLS) does not.
                switch failure.kind {
                case .closed, .timeout: countRule(matchKey, call, "fault", "close")
                case .reset: countRule(matchKey, call, "fault", "reset")
                case .unavailable, .other: continue
                }
            }
        }

        func countRule(_ key: String, _ call: RecordedCall, _ kind: String, _ value: String) {
            if let index = ruleIndex[key] {
                rules[index].errors += 1
            } else {
                rules.append((call.api.rawValue, Self.matchers(call.fields, call), kind, value, 1, false))
                ruleIndex[key] = rules.count - 1
            }
        }

        var out = """
            # Recorded by topmock \(TopMockVersion.current) from \(upstream) on \(recordedAt).
            # Secrets and redacted fields are masked; review the values before committing (docs/recording.md).
            name: \(Self.quoted(name))
            description: \(Self.quoted("what \(upstream) answered, \(calls.count) calls"))

            """
        let shops = Dictionary(grouping: actions.indices, by: { actions[$0].shopID })
        if !shops.isEmpty {
            out += "shops:\n"
            for shop in shops.keys.sorted() {
                out += "  - shop_id: \(shop)\n    payment_orders:\n"
                let byCheckout = Dictionary(grouping: shops[shop]!, by: { actions[$0].checkoutID ?? "" })
                for checkout in byCheckout.keys.sorted() {
                    out += checkout.isEmpty ? "      - actions:\n" : "      - id: \(Self.quoted(checkout))\n        actions:\n"
                    for index in byCheckout[checkout]! { out += Self.action(actions[index]) }
                }
            }
        }
        if !rules.isEmpty {
            out += "rules:\n"
            for (number, rule) in rules.enumerated() {
                out += "  - name: \(Self.quoted("recorded-\(rule.kind)-\(number + 1)"))\n"
                out += "    when:\n      method: \(Self.quoted(rule.api))\n"
                if !rule.fields.isEmpty {
                    out += "      fields:\n"
                    for path in rule.fields.keys.sorted() { out += "        \(Self.key(path)): {equals: \(Self.quoted(rule.fields[path]!))}\n" }
                }
                out += "    \(rule.kind): \(rule.kind == "error" ? rule.value : Self.quoted(rule.value))\n"
                if rule.recovered { out += "    first: \(rule.errors)\n" }
            }
        }
        if !stubs.isEmpty {
            out += "stubs:\n"
            for stub in stubs {
                out += "  - method: \(Self.quoted(stub.api))\n"
                if !stub.fields.isEmpty {
                    out += "    when:\n      fields:\n"
                    for path in stub.fields.keys.sorted() { out += "        \(Self.key(path)): {equals: \(Self.quoted(stub.fields[path]!))}\n" }
                }
                if stub.answers.count == 1 {
                    out += "    response:\n" + Self.mapping(stub.answers[0].responseObject, indent: 6)
                } else {
                    out += "    responses:\n"
                    for answer in stub.answers { out += "      -\n" + Self.mapping(answer.responseObject, indent: 8) }
                }
            }
        }
        return out
    }

    /// The fields a rule matches a recorded call by: every business field path with a plain value,
    /// not the JSON parameters' whole texts and not redacted values.
    static func matchers(_ fields: [String: String], _ call: RecordedCall) -> [String: String] {
        let jsonNames = Set(call.parameters.filter { $0.value.hasPrefix("{") }.map(\.name))
        return fields.filter { !jsonNames.contains($0.key) && $0.value != Recorder.mask }
    }

    private static func action(_ record: ActionRecord) -> String {
        let first = record.states[0]
        var out = "          - request_id: \(quoted(record.requestID))\n"
        if let buyer = record.buyerID { out += "            buyer_id: \(buyer)\n" }
        out += "            channel: \(quoted(first["channel_name"]?.scalarText ?? "unknown"))\n"
        if let amount = record.amountFen { out += "            amount_fen: \(amount)\n" }
        out += state(first, indent: 12)
        var steps = ""
        // states[0] is the first state: order.pay's answer (then poll k is states[k]) or the
        // first poll's (then poll k is states[k − 1]). A change on poll k steps in after k − 1 queries.
        let pollOffset = record.checkoutID != nil ? 0 : 1
        for index in record.states.indices.dropFirst() where record.states[index] != record.states[index - 1] {
            let poll = index + pollOffset
            steps += "              - after_queries: \(poll - 1)\n" + state(record.states[index], indent: 16)
        }
        if !steps.isEmpty { out += "            timeline:\n" + steps }
        return out
    }

    private static func state(_ model: [String: JSONValue], indent: Int) -> String {
        let pad = String(repeating: " ", count: indent)
        var out = "\(pad)status: \(quoted(model["action_status"]?.scalarText ?? "UNKNOWN"))\n"
        if let code = model["result_code"]?.scalarText { out += "\(pad)result_code: \(quoted(code))\n" }
        if let message = model["result_message"]?.scalarText { out += "\(pad)result_message: \(quoted(message))\n" }
        return out
    }

    private static func mapping(_ object: ResponseObject, indent: Int) -> String {
        let pad = String(repeating: " ", count: indent)
        var out = ""
        for field in object.fields {
            switch field.value {
            case .object(let inner): out += "\(pad)\(key(field.name)):\n" + mapping(inner, indent: indent + 2)
            case .list(let item, let values):
                out += "\(pad)\(key(field.name)):\n\(pad)  \(key(item)):\n"
                for value in values { out += "\(pad)    - " + inline(value) + "\n" }
            default: out += "\(pad)\(key(field.name)): \(inline(field.value))\n"
            }
        }
        return out
    }

    /// A value on one line, in YAML's flow style.
    private static func inline(_ value: ResponseValue) -> String {
        switch value {
        case .string(let text): return quoted(text)
        case .integer(let number): return String(number)
        case .bool(let flag): return flag ? "true" : "false"
        case .object(let object): return "{" + object.fields.map { "\(key($0.name)): \(inline($0.value))" }.joined(separator: ", ") + "}"
        case .list(let item, let values): return "{\(key(item)): [" + values.map(inline).joined(separator: ", ") + "]}"
        }
    }

    /// A mapping key: plain when it is a plain name or dotted path YAML reads as that string, else quoted.
    static func key(_ text: String) -> String {
        let plain = text.first.map { $0.isLetter || $0 == "_" } == true
            && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "." || $0 == "-") }
            && !["true", "false", "null", "yes", "no", "on", "off", "y", "n"].contains(text.lowercased())
        return plain ? text : quoted(text)
    }

    /// A YAML double-quoted scalar: JSON's string escapes are YAML's (JSONEncoder writes them).
    static func quoted(_ text: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return (try? encoder.encode(text)).map { String(decoding: $0, as: UTF8.self) } ?? "\"\""
    }
}
