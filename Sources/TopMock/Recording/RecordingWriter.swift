import FoundationEssentials
import TopMockProtocol
import TopMockScenarios
import TopMockUpstream

/// A recording as a scenario file in topmock's own format, which replays the app-visible answers
/// in order:
/// - a served method's answers become what its ``RecordedObservation`` says: payment actions (under
///   their checkout when a payment named one), with a timeline where later queries answered
///   otherwise (a change on the k-th query is a step `after_queries: k − 1`), and checkout polls
///   whose codes become `checkout_status`; this file names no method;
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

    /// One payment action: what the upstream showed of it, at which of its queries. Queries are
    /// counted as topmock counts them: a `pay.action.query` of the action, and a `paystatus.query`
    /// of its checkout.
    private struct ActionRecord {
        var shopID: Int64
        var requestID: String
        var buyerID: Int64?
        var checkoutID: String?
        var amountFen: Fen?
        var queries = 0
        /// (the query it answered — 0 for `order.pay`'s answer —, the state).
        var observations: [(query: Int, state: [String: JSONValue])] = []

        /// The state a replay answers on query `query`: the latest observed at or before it.
        func state(atQuery query: Int) -> [String: JSONValue]? {
            observations.last { $0.query <= query }?.state ?? observations.first?.state
        }
    }

    /// A `paystatus.query` answer: the code, and each of the checkout's actions' query count then.
    private struct CheckoutObservation {
        var code: Int64
        var actions: [(index: Int, query: Int)]
    }

    func yaml(_ calls: [RecordedCall]) -> String {
        var actions: [ActionRecord] = []
        var actionIndex: [String: Int] = [:]
        var checkoutObservations: [CheckoutObservation] = []
        var stubs: [(api: String, fields: [String: String], answers: [JSONValue])] = []
        var stubIndex: [String: Int] = [:]
        var rules: [(api: String, fields: [String: String], kind: String, value: String, errors: Int, recovered: Bool)] = []
        var ruleIndex: [String: Int] = [:]
        // By shop: the items scans found (in first-seen order, their codes merged), their
        // promotions, and the features last listed.
        var stores: [Int64: Store] = [:]

        /// The action's record, made on its first sighting (which names its buyer, checkout, amount).
        func action(_ named: RecordedAction) -> Int {
            let key = "\(named.shopID)|\(named.requestID)"
            if let index = actionIndex[key] { return index }
            actions.append(
                ActionRecord(
                    shopID: named.shopID, requestID: named.requestID, buyerID: named.buyerID, checkoutID: named.checkoutID,
                    amountFen: named.amountFen))
            actionIndex[key] = actions.count - 1
            return actions.count - 1
        }

        for call in calls {
            let fields = call.fields
            let matchers = Self.matchers(fields, call)
            let matchKey = call.api.rawValue + "|" + matchers.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "&")
            switch call.answer {
            case .success(let answer):
                if let index = ruleIndex[matchKey] { rules[index].recovered = true }
                func stub() {
                    if let index = stubIndex[matchKey] {
                        if stubs[index].answers.last != answer { stubs[index].answers.append(answer) }
                    } else {
                        stubs.append((call.api.rawValue, matchers, [answer]))
                        stubIndex[matchKey] = stubs.count - 1
                    }
                }
                // A method topmock does not serve is stubbed; a served one says what its answer
                // shows of the scenario model (``TOPMethod/recorded(_:)``).
                guard case .object(let response) = answer, case .object(let result)? = response["result"],
                    let observation = ServedMethods.recorded(call.api, RecordedAnswer(fields: fields, result: result))
                else {
                    if !ServedMethods.serves(call.api) { stub() }
                    continue
                }
                switch observation {
                case .actionQueried(let named, let state):
                    let index = action(named)
                    actions[index].queries += 1
                    actions[index].observations.append((actions[index].queries, state))
                case .actionCreated(let named, let state):
                    let index = action(named)
                    if actions[index].observations.isEmpty { actions[index].observations.append((0, state)) }
                case .checkoutPolled(let shop, let id, let code):
                    // A poll of the checkout is a query of each of its actions; its code is kept
                    // against the status the replay will derive then (checkout_status).
                    var polled: [(index: Int, query: Int)] = []
                    for index in actions.indices where actions[index].shopID == shop && actions[index].checkoutID == id {
                        actions[index].queries += 1
                        polled.append((index, actions[index].queries))
                    }
                    if !polled.isEmpty { checkoutObservations.append(CheckoutObservation(code: code, actions: polled)) }
                case .storeItem(let shop, var item, let promotion):
                    var store = stores[shop] ?? Store(shopID: shop)
                    if let index = store.items.firstIndex(where: { $0.itemID == item.itemID && $0.skuID == item.skuID }) {
                        item.codes = store.items[index].codes + item.codes.filter { !store.items[index].codes.contains($0) }
                    }
                    store.put(item)
                    if let promotion { store.put(Promotion(itemID: item.itemID, skuID: item.skuID, title: "recorded", priceFen: promotion)) }
                    stores[shop] = store
                case .storeFeatures(let shop, let features):
                    stores[shop, default: Store(shopID: shop)].features = features
                case .derived:
                    continue
                }
            case .error(let error):
                let spelled =
                    "{code: \(error.code), msg: \(Self.quoted(error.msg))"
                    + (error.subCode.map { ", sub_code: \(Self.quoted($0))" } ?? "") + (error.subMsg.map { ", sub_msg: \(Self.quoted($0))" } ?? "")
                    + "}"
                countRule(matchKey, call.api, matchers, "error", spelled)
            case .httpStatus(let status):
                countRule(matchKey, call.api, matchers, "fault", Fault(proxyStatus: status).rawValue)
            case .failure(let failure):
                // The upstream's own doing replays as a fault; topmock not reaching it (refused, DNS, TLS) does not.
                switch failure.kind {
                case .closed, .timeout: countRule(matchKey, call.api, matchers, "fault", Fault.closeConnection.rawValue)
                case .reset: countRule(matchKey, call.api, matchers, "fault", Fault.resetConnection.rawValue)
                case .unavailable, .other: continue
                }
            }
        }

        func countRule(_ key: String, _ api: APIName, _ matchers: [String: String], _ kind: String, _ value: String) {
            if let index = ruleIndex[key] {
                rules[index].errors += 1
            } else {
                rules.append((api.rawValue, matchers, kind, value, 1, false))
                ruleIndex[key] = rules.count - 1
            }
        }

        var out = """
            # Recorded by topmock \(TopMockVersion.current) from \(upstream) on \(recordedAt).
            # Secrets and redacted fields are masked; review the values before committing (docs/recording.md).
            name: \(Self.quoted(name))
            description: \(Self.quoted("what \(upstream) answered, \(calls.count) calls"))

            """
        out += Self.statusCodes(checkoutObservations, &actions)
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
        if !stores.isEmpty {
            out += "stores:\n"
            for shop in stores.keys.sorted() { out += Self.store(stores[shop]!) }
        }
        if !rules.isEmpty {
            out += "rules:\n"
            for (number, rule) in rules.enumerated() {
                out += "  - name: \(Self.quoted("recorded-\(rule.kind)-\(number + 1)"))\n"
                out += "    when:\n      method: \(Self.quoted(rule.api))\n" + Self.fieldMatchers(rule.fields)
                out += "    \(rule.kind): \(rule.kind == "error" ? rule.value : Self.quoted(rule.value))\n"
                if rule.recovered { out += "    first: \(rule.errors)\n" }
            }
        }
        if !stubs.isEmpty {
            out += "stubs:\n"
            for stub in stubs {
                out += "  - method: \(Self.quoted(stub.api))\n"
                if !stub.fields.isEmpty { out += "    when:\n" + Self.fieldMatchers(stub.fields) }
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
        return fields.filter { !jsonNames.contains($0.key) && $0.value != Redaction.maskedValue }
    }

    /// A `when`'s `fields:`, each path equal to its recorded value; "" for none.
    private static func fieldMatchers(_ fields: [String: String]) -> String {
        guard !fields.isEmpty else { return "" }
        return "      fields:\n" + fields.keys.sorted().map { "        \(key($0)): {equals: \(quoted(fields[$0]!))}\n" }.joined()
    }

    /// A store as the scans and feature lists showed it (a code scanned for two items stays with
    /// the first: a scan must find one thing).
    private static func store(_ store: Store) -> String {
        var out = "  - shop_id: \(store.shopID)\n"
        var taken: Set<String> = []
        let items = store.items.compactMap { item -> StoreItem? in
            var item = item
            item.codes = item.codes.filter { taken.insert($0).inserted }
            return item.codes.isEmpty ? nil : item
        }
        if !items.isEmpty {
            out += "    items:\n"
            for item in items {
                var fields = ["item_id: \(item.itemID)"]
                if let sku = item.skuID { fields.append("sku_id: \(sku)") }
                fields.append("title: \(quoted(item.title))")
                if let short = item.shortName { fields.append("short_name: \(quoted(short))") }
                fields.append("price_fen: \(item.priceFen)")
                fields.append("codes: [" + item.codes.map(quoted).joined(separator: ", ") + "]")
                if let unit = item.unit { fields.append("unit: \(quoted(unit))") }
                if item.soldByWeight { fields.append("sold_by_weight: true") }
                if let weight = item.unitWeight { fields.append("unit_weight: \(quoted(weight))") }
                if let sku = item.skuCode { fields.append("sku_code: \(quoted(sku))") }
                out += "      - {" + fields.joined(separator: ", ") + "}\n"
            }
        }
        let promotions = store.promotions.filter { promotion in items.contains { $0.itemID == promotion.itemID && $0.skuID == promotion.skuID } }
        if !promotions.isEmpty {
            out += "    promotions:\n"
            for promotion in promotions {
                out +=
                    "      - {item_id: \(promotion.itemID)" + (promotion.skuID.map { ", sku_id: \($0)" } ?? "")
                    + ", title: recorded, price_fen: \(promotion.priceFen)}\n"
            }
        }
        if !store.features.isEmpty {
            out += "    features:\n"
            for feature in store.features {
                out += "      - {code: \(quoted(feature.code)), name: \(quoted(feature.name)), prompt: \(quoted(feature.prompt))}\n"
            }
        }
        return out
    }

    private static func action(_ record: ActionRecord) -> String {
        let first = record.observations[0].state
        var out = "          - request_id: \(quoted(record.requestID))\n"
        if let buyer = record.buyerID { out += "            buyer_id: \(buyer)\n" }
        out += "            channel: \(quoted(first["channel_name"]?.scalarText ?? "unknown"))\n"
        if let amount = record.amountFen { out += "            amount_fen: \(amount)\n" }
        out += state(first, indent: 12)
        var steps = ""
        // A state first seen on query q steps in after q − 1 queries. Topmock's steps start at
        // after_queries 1, so a change the gateway showed on the very first poll comes one poll late.
        for (previous, next) in zip(record.observations, record.observations.dropFirst()) where next.state != previous.state {
            if next.query < 2 { steps += "              # the gateway answered this on query \(next.query); topmock steps start after 1 query\n" }
            steps += "              - after_queries: \(max(next.query - 1, 1))\n" + state(next.state, indent: 16)
        }
        if !steps.isEmpty { out += "            timeline:\n" + steps }
        return out
    }

    /// `checkout_status` from the codes `paystatus.query` answered, each against the status the
    /// replay derives at that poll (an open checkout: paid when every action succeeded, failed when
    /// the latest ended unpaid); codes not seen keep topmock's defaults where those are free. A poll
    /// whose code says the checkout moved on before a `pay.action.query` showed it moves the
    /// actions' next observed change back to that poll. A comment, and no key, when the codes
    /// still disagree.
    private static func statusCodes(_ observations: [CheckoutObservation], _ actions: inout [ActionRecord]) -> String {
        guard !observations.isEmpty else { return "" }
        func status(_ observation: CheckoutObservation) -> CheckoutStatus {
            let statuses = observation.actions.compactMap { actions[$0.index].state(atQuery: $0.query)?["action_status"]?.scalarText }
                .map { PaymentStatus(rawValue: $0) }
            return CheckoutView.status(totalFen: nil, paidFen: 0, statuses: statuses)  // a recorded checkout is open
        }
        var seen: [CheckoutStatus: Int64] = [:]
        for observation in observations {
            var derived = status(observation)
            if let known = seen[derived], known != observation.code {
                // The code changed before any query showed why: the next change steps in at this poll.
                for polled in observation.actions {
                    let now = actions[polled.index].state(atQuery: polled.query)
                    if let next = actions[polled.index].observations.firstIndex(where: { $0.query > polled.query && $0.state != now }) {
                        actions[polled.index].observations[next].query = polled.query
                    }
                }
                derived = status(observation)
            }
            if let known = seen[derived], known != observation.code {
                return
                    "# paystatus.query answered \(known) and \(observation.code) for the same status (\(derived.rawValue)); checkout_status is left as topmock's default\n"
            }
            seen[derived] = observation.code
        }
        guard Set(seen.values).count == seen.count else {
            return "# paystatus.query answered one code for two statuses; checkout_status is left as topmock's default\n"
        }
        var codes = seen
        let defaults = CheckoutStatusCodes()
        for status in [CheckoutStatus.waiting, .paid, .failed] where codes[status] == nil {
            var code = defaults.code(status)
            while codes.values.contains(code) { code += 1 }
            codes[status] = code
        }
        let observed = [CheckoutStatus.waiting, .paid, .failed].filter { seen[$0] != nil }.map(\.rawValue).joined(separator: ", ")
        return "# checkout_status: the codes paystatus.query answered for \(observed); the others are topmock's defaults\n"
            + "checkout_status: {waiting: \(codes[.waiting]!), paid: \(codes[.paid]!), failed: \(codes[.failed]!)}\n"
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
        let plain =
            text.first.map { $0.isLetter || $0 == "_" } == true
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
