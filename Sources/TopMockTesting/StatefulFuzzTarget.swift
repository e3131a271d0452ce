import Logging
import TopMock
import TopMockHTTP
import TopMockProtocol
import TopMockScenarios

/// The `stateful` fuzz target: the input's bytes choose a sequence of operations on one
/// application — `order.pay`, both queries, the admin calls for checkouts, actions, the clock and
/// reset, a scenario upload and a reload — and their values, drawn from a dictionary of edges
/// (0, ±1, the Int32 and Int64 edges, 2^53 ± 1, 1e308, -0, empty, 10 kB strings, unicode, NUL).
/// After every step it checks what must hold whatever came before:
///
/// - the application still answers a plain signed query;
/// - every checkout's `paid_fen` is the sum of its `SUCCESS` actions' `amount_fen` (summed here,
///   checked for overflow);
/// - an `order.pay` of a `request_id` this namespace already created creates nothing;
/// - no pay code or buyer account an `order.pay` or `pay.account.ack` sent reaches the journal
///   unmasked;
/// - every order a subtotal priced adds up: `actual_fee` is `total_fee` less its promotions and
///   coupons, none negative, and a receipt shows the cash received as what was paid plus change.
///
/// Each input starts from the shipped scenarios' seed: state, clocks, journal and uploads reset.
struct StatefulFuzz {
    static let application: TopMockApplication = FuzzTarget.makeApplication()
    static let namespaces = ["fuzz-a", "fuzz-b"]
    static let uploadNames = ["fuzz-0.yaml", "fuzz-1.yaml"]

    /// Integer edges, written as JSON numbers or strings.
    static let integers: [String] = [
        "0", "1", "-1", "2", "100", "1000", "2000", "2147483647", "2147483648", "-2147483648", "-2147483649", "4294967296",
        "9007199254740991", "9007199254740992", "9007199254740993", "9223372036854775807", "-9223372036854775808",
        "9223372036854775808", "10000000000", "10000000001", "99999999999999999999",
    ]
    /// Numbers that are not whole: a double's edges and friends.
    static let otherNumbers: [String] = ["1e308", "-1e308", "1.7976931348623157e308", "-0", "0.5", "1e-7", "4.9e-324", "1.5e3"]
    /// Strings: empty, long, unicode, NUL (escaped and raw), quotes, JSON in a string.
    static let strings: [String] = [
        "", String(repeating: "a", count: 10_000), "支付宝", "\u{0}", "a\u{0}b", "\"", "\\", "{\"a\":1}", "💳", "\u{FFFF}",
        "cash", "alipay_facepay_v2", "1006",
    ]
    static let durations: [String] = ["0s", "1ms", "30s", "-30s", "1h", "-1h", "8760h", "-8760h", "8761h", "1e3s", "-", "", "99999999999h"]
    static let statuses: [String] = ["SUCCESS", "PAYING", "FAILED", "CLOSED", "CANCELLED", "", "支付"]

    private var input: FuzzBytes
    /// The request ids `order.pay` created in each namespace since its last reset.
    private var created: [String: Set<String>] = [:]

    init(_ bytes: [UInt8]) {
        input = FuzzBytes(bytes)
    }

    static func run(_ bytes: [UInt8]) {
        resetAll()
        var fuzz = StatefulFuzz(bytes)
        var steps = 0
        while !fuzz.input.isEmpty && steps < 48 {
            fuzz.step()
            steps += 1
            guard answersAPlainQuery() else { fatalError("the application stopped answering after step \(steps)") }
            for namespace in namespaces {
                checkPaidSums(namespace)
                checkOrders(namespace)
            }
        }
    }

    // MARK: the operations

    private mutating func step() {
        let namespace = Self.namespaces[Int(input.byte() % 2)]
        switch input.byte() % 18 {
        case 0, 1, 2: orderPay(namespace)
        case 3: query(namespace)
        case 4: payStatus(namespace)
        case 5: createCheckout(namespace)
        case 6: _ = admin("GET", "/__admin/namespaces/\(namespace)/checkouts/124/\(input.pick(Self.checkoutIDs))")
        case 7: setStatus(namespace)
        case 8: _ = admin("POST", "/__admin/namespaces/\(namespace)/actions/124/\(input.pick(Self.requestIDs))/advance")
        case 9: setClock(namespace)
        case 10:
            let all = input.byte() % 4 == 0
            _ = admin("POST", "/__admin/reset", json: all ? "{}" : #"{"namespace":"\#(namespace)"}"#)
            if all { created = [:] } else { created[namespace] = nil }
        case 11: upload()
        case 12: _ = admin("POST", "/__admin/scenarios/reload")
        case 14: subtotal(namespace)
        case 15: saleCall(namespace)
        case 16: receipt(namespace)
        case 17: changeStore(namespace)
        default: _ = admin("GET", input.pick(["/__admin/namespaces/\(namespace)/actions", "/__admin/namespaces/\(namespace)/checkouts"]))
        }
    }

    static let requestIDs = ["r-1", "r-2", "r-3", "cash-0001", "alipay-0001", "split-0001-cash", "tpl-alipay-9", ""]
    /// The last two are the first orders a namespace's subtotals make (pos-store.yaml's store).
    static let checkoutIDs = ["co-1", "co-2", "checkout-split-0001", "order-1", "", "1000001", "1000002"]
    static let itemIDs = ["5001", "5002", "5003", "5004", "9", "0", "-1", "9223372036854775807"]

    /// A JSON value from the edges: a whole number, a number as a string, another number, a string.
    private mutating func jsonValue() -> String {
        switch input.byte() % 5 {
        case 0, 1: return input.pick(Self.integers)
        case 2: return "\"" + input.pick(Self.integers) + "\""
        case 3: return input.pick(Self.otherNumbers)
        default: return Self.jsonString(input.pick(Self.strings))
        }
    }

    private mutating func orderPay(_ namespace: String) {
        let requestID = input.pick(Self.requestIDs + ["r-\(input.byte())"])
        // 18 digits and a marked account: text no other part of an answer or the journal contains.
        let digits = String(input.uint64() % 10_000_000_000_000_000, radix: 10)
        let payCode = "28" + String(repeating: "0", count: 16 - digits.count) + digits
        let account = "acct-" + String(input.uint64(), radix: 36) + "@fuzz"
        var fields: [String] = [
            #""request_id":"\#(requestID)""#, #""checkout_id":"\#(input.pick(Self.checkoutIDs))""#,
            #""pay_fee":\#(input.byte() % 3 == 0 ? jsonValue() : input.pick(["1", "500", "1000", "2000", "10000000000"]))"#,
            #""pay_channel":\#(Self.jsonString(input.pick(["cash", "alipay_facepay_v2", "", "card"])))"#,
        ]
        if input.byte() % 2 == 0 { fields.append(#""buyer_id":\#(input.byte() % 2 == 0 ? "456" : jsonValue())"#) }
        if input.byte() % 2 == 0 { fields.append(#""payment_channel":\#(jsonValue())"#) }
        let sentSecrets = input.byte() % 2 == 0
        if sentSecrets {
            fields.append(#""channel_account":"\#(payCode)""#)
            fields.append(#""attributes":{"alipay_account":"\#(account)"}"#)
        }
        let payRequest = "{" + fields.joined(separator: ",") + "}"
        let before = createdActions(namespace)
        let replay = created[namespace, default: []].contains(requestID)
        let response = call(SignedRequest.orderPay(shopID: 124, payRequest: payRequest, nowMillis: now(namespace)), namespace)
        let after = createdActions(namespace)
        if replay, after != before { fatalError("order.pay of request_id '\(requestID)' again created \(after - before) actions") }
        if after > before { created[namespace, default: []].insert(requestID) }
        if sentSecrets {
            let journal = Self.text(admin("GET", "/__admin/requests?namespace=\(namespace)&limit=3"))
            if journal.contains(payCode) || journal.contains(account) {
                fatalError("a pay code or account reached the journal: \(journal.prefix(600))")
            }
            if Self.text(response).contains(payCode) { fatalError("a pay code reached an answer") }
        }
    }

    private mutating func query(_ namespace: String) {
        let buyer = input.byte() % 2 == 0 ? "456" : jsonValue()
        let request = SignedRequest.payActionQuery(shopID: 124, requestID: "", buyerID: 0, nowMillis: now(namespace))
            .setting("payment_action_request", #"{"request_id":"\#(input.pick(Self.requestIDs))","buyer_id":\#(buyer)}"#)
        call(request, namespace)
    }

    private mutating func payStatus(_ namespace: String) {
        let buyer = input.byte() % 2 == 0 ? "456" : jsonValue()
        let request = SignedRequest.payStatusQuery(shopID: 124, checkoutID: "", buyerID: 0, nowMillis: now(namespace))
            .setting("pay_status_request", #"{"checkout_id":"\#(input.pick(Self.checkoutIDs))","buyer_id":\#(buyer)}"#)
        call(request, namespace)
    }

    private mutating func createCheckout(_ namespace: String) {
        var body = #"{"shop_id":\#(input.byte() % 4 == 0 ? jsonValue() : "124"),"checkout_id":\#(Self.jsonString(input.pick(Self.checkoutIDs)))"#
        if input.byte() % 3 != 0 { body += #","total_fen":\#(jsonValue())"# }
        if input.byte() % 2 == 0 { body += #","buyer_id":\#(jsonValue())"# }
        _ = admin("POST", "/__admin/namespaces/\(namespace)/checkouts", json: body + "}")
    }

    private mutating func setStatus(_ namespace: String) {
        var body = #"{"status":\#(Self.jsonString(input.pick(Self.statuses)))"#
        if input.byte() % 3 == 0 { body += #","result_code":\#(Self.jsonString(input.pick(Self.strings)))"# }
        _ = admin("PUT", "/__admin/namespaces/\(namespace)/actions/124/\(input.pick(Self.requestIDs))", json: body + "}")
    }

    private mutating func setClock(_ namespace: String) {
        let body: String
        switch input.byte() % 5 {
        case 0: body = #"{"freeze_millis":\#(jsonValue())}"#
        case 1:
            body =
                #"{"freeze":\#(Self.jsonString(input.pick(["now", "0001-01-01 00:00:00", "9999-12-31 23:59:59", "0000-01-01 00:00:00", "2026-02-30 00:00:00"])))}"#
        case 2: body = #"{"advance":\#(Self.jsonString(input.pick(Self.durations)))}"#
        case 3: body = #"{"freeze":"9999-12-31 23:59:59","advance":\#(Self.jsonString(input.pick(Self.durations)))}"#
        default: body = #"{"real":true}"#
        }
        _ = admin("PUT", "/__admin/namespaces/\(namespace)/clock", json: body)
    }

    /// A scenario file with a checkout and two actions whose amounts and total come from the edges.
    private mutating func upload() {
        let yaml = """
            shops:
              - shop_id: 124
                payment_orders:
                  - id: co-\(input.byte() % 3)
                    total_fen: \(input.pick(Self.integers + Self.otherNumbers))
                    actions:
                      - {request_id: up-1, buyer_id: 456, channel: cash, status: SUCCESS, amount_fen: \(input.pick(Self.integers))}
                      - {request_id: up-2, buyer_id: 456, channel: cash, status: \(input.pick(["SUCCESS", "PAYING"])), amount_fen: \(input.pick(Self.integers))}

            """
        _ = admin("POST", "/__admin/scenarios?name=\(input.pick(Self.uploadNames))", yaml: yaml)
    }

    /// `items.subtotal` of edge lines: counts, weights, item ids, coupons, machines.
    private mutating func subtotal(_ namespace: String) {
        var lines: [String] = []
        for _ in 0..<Int(input.byte() % 4) {
            var line = #"{"item_id":\#(input.byte() % 3 == 0 ? jsonValue() : input.pick(Self.itemIDs))"#
            switch input.byte() % 4 {
            case 0: line += #","buy_quantity":\#(jsonValue())"#
            case 1: line += #","inv_quantity":\#(Self.jsonString(input.pick(["0.532", "1", "0", "-1", "1000", "1000.001", "0.0001", "1e3", ""])))"#
            case 2: line += #","buy_quantity":\#(input.pick(["1", "2", "9999", "10000"]))"#
            default: break
            }
            lines.append(line + "}")
        }
        let assets = input.byte() % 3 == 0 ? #","asset_list":[{"code":\#(Self.jsonString(input.pick(["YH-50-5", "nope", ""])))}]"# : ""
        let basket =
            #"{"machine_id":\#(Self.jsonString(input.pick(["pos-1", "pos-2", ""]))),"item_list":[\#(lines.joined(separator: ","))]\#(assets)}"#
        let request = SignedRequest.call(
            APIName(rawValue: "alibaba.pos.items.subtotal"),
            business: [("shop_id", "124"), ("buyer_id", input.byte() % 4 == 0 ? input.pick(Self.integers) : "456"), ("subtotal_request", basket)],
            nowMillis: now(namespace))
        call(request, namespace)
    }

    /// A scan, an account check (with a marked account, which must stay out of the journal), or
    /// the features.
    private mutating func saleCall(_ namespace: String) {
        let account = "6222" + String(input.uint64() % 1_000_000_000_000_000, radix: 10) + "77"
        let request: SignedRequest
        switch input.byte() % 3 {
        case 0:
            let code = input.pick(["6921168509256", "2000503", "YH-50-5", "", "nope"] + Self.strings)
            request = SignedRequest.call(
                APIName(rawValue: "alibaba.pos.item.get"),
                business: [("shop_id", input.pick(["124", "125"])), ("code_reader_req", #"{"code_value":\#(Self.jsonString(code))}"#)],
                nowMillis: now(namespace))
        case 1:
            request = SignedRequest.call(
                APIName(rawValue: "alibaba.pos.pay.account.ack"),
                business: [
                    ("store_id", "124"),
                    ("pay_account_detail_request", #"{"payer_id":\#(jsonValue()),"channel_name":"card","channel_account":"\#(account)"}"#),
                ], nowMillis: now(namespace))
        default:
            request = SignedRequest.call(
                APIName(rawValue: "alibaba.pos.service.features.get"),
                business: [("get_config_request", #"{"merchant_code":"M","shop_id":\#(jsonValue())}"#)], nowMillis: now(namespace))
        }
        call(request, namespace)
        let journal = Self.text(admin("GET", "/__admin/requests?namespace=\(namespace)&limit=2"))
        if journal.contains(account) { fatalError("an account number reached the journal: \(journal.prefix(600))") }
    }

    /// `bill.get` of an order, and its amounts against each other when it prints.
    private mutating func receipt(_ namespace: String) {
        let order = input.byte() % 4 == 0 ? jsonValue() : input.pick(["1000001", "1000002", "1000003"])
        let request = SignedRequest.call(
            APIName(rawValue: "alibaba.pos.bill.get"), business: [("shop_id", "124"), ("bill_print_request", #"{"biz_order_id":\#(order)}"#)],
            nowMillis: now(namespace))
        let text = Self.text(call(request, namespace))
        guard text.contains(#""success":true"#), let model = JSONValue.object(parsing: text)?.values.first,
            case .object(let response) = model, case .object(let result)? = response["result"], case .object(let fields)? = result["model"],
            case .integer(let received)? = fields["receive_fee"], case .integer(let change)? = fields["change_fee"],
            case .integer(let actual)? = fields["actual_fee"]
        else { return }
        if change < 0 || change > received || received - change > actual {
            fatalError("a receipt's cash does not add up: receive_fee \(received), change_fee \(change), actual_fee \(actual)")
        }
    }

    /// The admin API's store changes, from the edges.
    private mutating func changeStore(_ namespace: String) {
        let path = "/__admin/namespaces/\(namespace)/stores/\(input.pick(["124", "125"]))"
        switch input.byte() % 4 {
        case 0:
            let body =
                #"{"item_id":\#(input.pick(Self.itemIDs)),"title":"x","price_fen":\#(jsonValue()),"codes":[\#(Self.jsonString(input.pick(Self.strings)))]}"#
            _ = admin("PUT", path + "/items", json: body)
        case 1: _ = admin("PUT", path + "/promotions", json: #"{"item_id":\#(input.pick(Self.itemIDs)),"price_fen":\#(jsonValue())}"#)
        case 2:
            _ = admin(
                "PUT", path + "/accounts",
                json:
                    #"{"channel_name":"card","channel_account":"6222","balance_fen":\#(jsonValue()),"valid_from":\#(Self.jsonString(input.pick(Self.strings)))}"#
            )
        default: _ = admin("GET", path)
        }
    }

    // MARK: calls and checks

    private func now(_ namespace: String) -> Int64 { Self.application.engine.clocks.nowMillis(namespace: namespace) }

    @discardableResult
    private func call(_ request: SignedRequest, _ namespace: String) -> HTTPResponse? {
        var http = request.httpRequest()
        http.headers.add(name: "X-Topmock-Namespace", value: namespace)
        switch Self.application.responder.respond(to: http) {
        case .response(let response):
            guard response.status == 200, let first = response.body.first, first == UInt8(ascii: "{") else {
                fatalError("/router/rest answered HTTP \(response.status): \(Self.text(response).prefix(300))")
            }
            return response
        default:
            return nil  // a fault or a delay a scenario asked for
        }
    }

    private func admin(_ method: String, _ path: String, json: String? = nil, yaml: String? = nil) -> HTTPResponse? {
        var headers = HTTPHeaders()
        if json != nil { headers.add(name: "Content-Type", value: "application/json") }
        if yaml != nil { headers.add(name: "Content-Type", value: "application/yaml") }
        let request = HTTPRequest(method: method, target: path, headers: headers, body: Array((json ?? yaml ?? "").utf8))
        guard case .response(let response) = Self.application.responder.respond(to: request) else {
            fatalError("the admin API did not answer \(method) \(path)")
        }
        guard response.status < 500, response.body.first == UInt8(ascii: "{") else {
            fatalError("\(method) \(path) answered HTTP \(response.status): \(Self.text(response).prefix(300))")
        }
        return response
    }

    private func createdActions(_ namespace: String) -> Int {
        Self.application.engine.actions(namespace: namespace).filter(\.isCreated).count
    }

    static func text(_ response: HTTPResponse?) -> String {
        response.map { String(decoding: $0.body, as: UTF8.self) } ?? ""
    }

    static func jsonString(_ text: String) -> String { JSONValue.string(text).jsonText }

    /// The default namespace, which no operation but a reset of everything touches, answers a
    /// signed query of a shipped action.
    static func answersAPlainQuery() -> Bool {
        let request = SignedRequest.payActionQuery(shopID: 124, requestID: "cash-0001", buyerID: 123).httpRequest()
        guard case .response(let response) = application.responder.respond(to: request) else { return false }
        return response.status == 200 && text(response).contains(#""action_status":"SUCCESS""#)
    }

    /// Each checkout's `paid_fen`, as the admin API shows it, against the sum of its `SUCCESS`
    /// actions' `amount_fen` made here with overflow checked (a sum past `Int64` would be a
    /// finding: the bounds keep every sum in range).
    static func checkPaidSums(_ namespace: String) {
        for checkout in application.engine.checkouts(namespace: namespace) {
            var sum: Int64 = 0
            for action in checkout.actions where action.current.status == .success {
                let (next, overflow) = sum.addingReportingOverflow(action.action.amountFen?.value ?? 0)
                if overflow { fatalError("the successful actions of \(checkout.checkout.key) add up past Int64") }
                sum = next
            }
            if sum != checkout.paidFen { fatalError("\(checkout.checkout.key): paid_fen \(checkout.paidFen), its SUCCESS actions \(sum)") }
            if let total = checkout.checkout.totalFen, checkout.status == .paid, sum < total.value, !checkout.actions.isEmpty {
                fatalError("\(checkout.checkout.key) is paid with \(sum) of \(total)")
            }
        }
    }

    /// Each order the namespace's subtotals priced adds up (read through the admin API).
    static func checkOrders(_ namespace: String) {
        guard let (_, sales) = application.engine.store(124, namespace: namespace) else { return }
        for snapshot in sales {
            let pricing = snapshot.sale.pricing
            let lines = pricing.lines.reduce(Int64(0)) { $0 + $1.totalFen }
            guard pricing.promotionFen >= 0, pricing.couponFen >= 0, lines == pricing.totalFen,
                pricing.totalFen - pricing.promotionFen - pricing.couponFen == pricing.actualFen.value
            else { fatalError("order \(snapshot.sale.orderID) does not add up: \(pricing)") }
        }
    }

    /// Back to the shipped scenarios' seed: no uploads, no state, real clocks, an empty journal.
    static func resetAll() {
        for name in uploadNames {
            _ = application.responder.respond(
                to: HTTPRequest(method: "DELETE", target: "/__admin/scenarios/\(name)", headers: HTTPHeaders(), body: []))
        }
        application.engine.reset()
        application.engine.clocks.release()
        application.journal.remove()
    }
}

/// The fuzzer's bytes, read as choices; past the end every read is 0.
struct FuzzBytes {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var isEmpty: Bool { offset >= bytes.count }

    mutating func byte() -> UInt8 {
        guard offset < bytes.count else { return 0 }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func uint64() -> UInt64 {
        (0..<8).reduce(UInt64(0)) { value, _ in value << 8 | UInt64(byte()) }
    }

    mutating func pick<Element>(_ choices: [Element]) -> Element { choices[Int(byte()) % choices.count] }
}
