import Dispatch
import Foundation
import Testing
import TopMock
import TopMockHTTP
import TopMockLock
import TopMockProtocol
import TopMockScenarios
import TopMockTesting

/// The POS checkout as state: order.pay creates the payment actions that pay.action.query and
/// paystatus.query then see, per namespace, in-process and live.
@Suite struct CheckoutTests {
    static let targets: [TestTarget] = [.inProcess, .live]

    static func pay(
        _ requestID: String, checkout: String = "checkout-split-0001", fee: Int64 = 1000, channel: String = "cash",
        buyer: Int64 = 456, account: String? = nil, namespace: String? = nil
    ) -> SignedRequest {
        var body = #"{"request_id":"\#(requestID)","checkout_id":"\#(checkout)","pay_fee":\#(fee),"pay_channel":"\#(channel)","buyer_id":\#(buyer)"#
        if let account { body += #","channel_account":"\#(account)""# }
        var request = SignedRequest.orderPay(shopID: 124, payRequest: body + "}")
        if let namespace { request.headers.add(name: "X-Topmock-Namespace", value: namespace) }
        return request
    }

    static func status(_ checkout: String = "checkout-split-0001", buyer: Int64 = 456, namespace: String? = nil) -> SignedRequest {
        var request = SignedRequest.payStatusQuery(shopID: 124, checkoutID: checkout, buyerID: buyer)
        if let namespace { request.headers.add(name: "X-Topmock-Namespace", value: namespace) }
        return request
    }

    static func action(_ id: String, buyer: Int64 = 456, namespace: String? = nil) -> SignedRequest {
        AdminTests.query(id, buyer: buyer, namespace: namespace)
    }

    static func field(_ response: TestResponse, _ name: String) -> String? { ShippedScenarioTests.field(response, name) }

    static func createdActions(_ client: TestClient, _ namespace: String) throws -> [[String: Any]] {
        let list = try AdminTests.admin(client, "GET", "/__admin/namespaces/\(namespace)/actions")
        return ((list.json["actions"] as? [[String: Any]]) ?? []).filter { $0["created"] as? Bool == true }
    }

    @Test(arguments: targets)
    func aSplitPaymentThroughOrderPayAndBothQueries(target: TestTarget) throws {
        let app = try GatewayTests.makeApplication()
        try target.run(app) { (client: TestClient) throws in
            let ns = "split-\(target)"
            let cash = try client.execute(Self.pay("pos-uuid-cash", namespace: ns))
            #expect(
                GatewayTests.normalized(cash)
                    == #"{"alibaba_pos_order_pay_response":{"result":{"model":{"payment_order_id":"checkout-split-0001","current_pay_fee":1000,"channel_name":"cash","action_status":"SUCCESS","result_code":"SUCCESS","result_message":"现金支付成功"},"success":true},"request_id":"RID"}}"#
            )
            #expect(Self.field(try client.execute(Self.status(namespace: ns)), "checkout_status") == "0")  // 1000 of 2000
            let alipay = try client.execute(Self.pay("pos-uuid-alipay", channel: "alipay_facepay_v2", namespace: ns))
            #expect(Self.field(alipay, "action_status") == "PAYING" && Self.field(alipay, "result_code") == "WAIT_BUYER_PAY")
            // Over-paying: 1 fen more than is left.
            let over = try client.execute(Self.pay("pos-uuid-over", fee: 1, namespace: ns))
            #expect(Self.field(over, "msg_code") == "PAY_FEE_EXCEEDS_TOTAL" && Self.field(over, "success") == "false")
            // Two polls of either method, then SUCCESS: paystatus counts as a query of each action.
            #expect(Self.field(try client.execute(Self.status(namespace: ns)), "checkout_status") == "0")
            #expect(Self.field(try client.execute(Self.action("pos-uuid-alipay", namespace: ns)), "action_status") == "PAYING")
            #expect(Self.field(try client.execute(Self.action("pos-uuid-alipay", namespace: ns)), "action_status") == "SUCCESS")
            #expect(Self.field(try client.execute(Self.status(namespace: ns)), "checkout_status") == "1")
            // Another buyer's checkout; an unknown one.
            #expect(Self.field(try client.execute(Self.status(buyer: 1, namespace: ns)), "msg_code") == "BUYER_ID_MISMATCH")
            #expect(Self.field(try client.execute(Self.status("nope", namespace: ns)), "msg_code") == "CHECKOUT_NOT_FOUND")
            // "The app paid once, 10.00 by Alipay face-to-face."
            let verify = try AdminTests.admin(
                client, "POST", "/__admin/requests/verify",
                json: """
                    {"namespace":"\(ns)","method":"alibaba.pos.order.pay","fields":{"pay_request.pay_fee":1000,"pay_request.pay_channel":"alipay_facepay_v2"},"count":1}
                    """)
            #expect(verify.status == 200, "\(verify.text)")
            let wrong = try AdminTests.admin(
                client, "POST", "/__admin/requests/verify",
                json: """
                    {"namespace":"\(ns)","method":"alibaba.pos.order.pay","fields":{"pay_request.pay_fee":1500},"count":1}
                    """)
            #expect(wrong.status == 409 && wrong.text.contains("pay_request.pay_fee=1500"), "\(wrong.text)")
            let filtered = try AdminTests.admin(
                client, "GET", "/__admin/requests?namespace=\(ns)&field.pay_request.pay_channel=cash&field.pay_request.pay_fee=1")
            #expect((filtered.json["requests"] as? [[String: Any]])?.compactMap { $0["request_id"] as? String } == ["pos-uuid-over"])
            let checkout = try AdminTests.admin(client, "GET", "/__admin/namespaces/\(ns)/checkouts/124/checkout-split-0001")
            #expect(checkout.json["status"] as? String == "paid" && checkout.json["paid_fen"] as? Int == 2000)
            #expect((checkout.json["actions"] as? [[String: Any]])?.count == 2)
        }
    }

    @Test(arguments: targets)
    func aRepeatWithTheSamePayloadAnswersAsTheFirstAndCreatesNothing(target: TestTarget) throws {
        let app = try GatewayTests.makeApplication()
        try target.run(app) { (client: TestClient) throws in
            let ns = "idem-\(target)"
            let first = try client.execute(
                Self.pay("uuid-1", checkout: "c-1", channel: "alipay_facepay_v2", account: "280012345678901234", namespace: ns))
            let again = try client.execute(
                Self.pay("uuid-1", checkout: "c-1", channel: "alipay_facepay_v2", account: "280012345678901234", namespace: ns))
            #expect(GatewayTests.normalized(first) == GatewayTests.normalized(again))
            #expect(try Self.createdActions(client, ns).count == 1)
            let conflict = try client.execute(
                Self.pay("uuid-1", checkout: "c-1", fee: 999, channel: "alipay_facepay_v2", account: "280012345678901234", namespace: ns))
            #expect(Self.field(conflict, "msg_code") == "REQUEST_ID_CONFLICT")
            #expect(!conflict.bodyText.contains("280012345678901234"), "the pay code is masked in the message")
            let outcomes = try AdminTests.admin(client, "GET", "/__admin/requests?namespace=\(ns)&method=alibaba.pos.order.pay")
            let words = ((outcomes.json["requests"] as? [[String: Any]]) ?? []).compactMap { $0["outcome"] as? String }
            #expect(Set(words) == ["created", "replayed", "conflict"] && words.count == 3)
        }
    }

    @Test func fiftyConcurrentIdenticalCallsCreateOneAction() throws {
        let app = try GatewayTests.makeApplication()
        try TestTarget.live.run(app) { (client: TestClient) throws in
            let bodies = Locked<[String]>([])
            DispatchQueue.concurrentPerform(iterations: 50) { _ in
                let text = (try? client.execute(Self.pay("race-1", checkout: "race", namespace: "race")).bodyText) ?? "failed"
                bodies.withLock { $0.append(text) }
            }
            let answers = bodies.withLock { $0 }
            #expect(answers.allSatisfy { $0.contains(#""payment_order_id":"race""#) }, "\(answers.filter { !$0.contains("race") })")
            #expect(try Self.createdActions(client, "race").count == 1)
            let created = try AdminTests.admin(client, "GET", "/__admin/requests/count?namespace=race&outcome=created")
            let replayed = try AdminTests.admin(client, "GET", "/__admin/requests/count?namespace=race&outcome=replayed")
            #expect(created.json["count"] as? Int == 1 && replayed.json["count"] as? Int == 49)
        }
    }

    @Test(arguments: targets)
    func aLostReplyTakesEffectAndTheRetryGetsTheSamePayment(target: TestTarget) throws {
        let app = try GatewayTests.makeApplication()
        try target.run(app) { (client: TestClient) throws in
            let rule = """
                rules:
                  - name: order.pay reply lost once
                    when: {method: alibaba.pos.order.pay, request_id: {prefix: lost-}}
                    fault: close
                    takes_effect: true
                    first: 1
                """
            #expect(try AdminTests.admin(client, "POST", "/__admin/scenarios?name=lost", body: rule).status == 201)
            #expect(throws: TestClient.ClosedWithoutResponse.self) { try client.execute(Self.pay("lost-1", checkout: "lost", namespace: "lost")) }
            #expect(try Self.createdActions(client, "lost").count == 1, "the lost call took effect")
            let retry = try client.execute(Self.pay("lost-1", checkout: "lost", namespace: "lost"))
            #expect(Self.field(retry, "payment_order_id") == "lost" && Self.field(retry, "action_status") == "SUCCESS")
            #expect(try Self.createdActions(client, "lost").count == 1, "the retry created no second payment")
            let journal = try AdminTests.admin(client, "GET", "/__admin/requests?namespace=lost")
            let words = ((journal.json["requests"] as? [[String: Any]]) ?? []).compactMap { $0["outcome"] as? String }
            #expect(words.sorted() == ["fault", "replayed"], "\(words)")
            // Calls: two. Payments: one — the lost call made it, the retry did not.
            func verify(_ extra: String) throws -> (status: Int, json: [String: Any], text: String) {
                try AdminTests.admin(
                    client, "POST", "/__admin/requests/verify",
                    json: #"{"namespace":"lost","method":"alibaba.pos.order.pay","fields":{"pay_request.pay_fee":1000}\#(extra)}"#)
            }
            let calls = try verify(#","count":1"#)
            #expect(calls.status == 409 && calls.json["matched"] as? Int == 2, "\(calls.text)")
            let payments = try verify(#","created":true,"count":1"#)
            #expect(payments.status == 200 && payments.json["matched"] as? Int == 1, "\(payments.text)")
            #expect(try verify(#","created":false,"count":1"#).status == 200, "the replayed retry")
            let listed = try AdminTests.admin(client, "GET", "/__admin/requests?namespace=lost&created=true")
            let created = ((listed.json["requests"] as? [[String: Any]]) ?? []).compactMap { $0["outcome"] as? String }
            #expect(created == ["fault"], "\(listed.text)")
            #expect(try AdminTests.admin(client, "GET", "/__admin/requests/count?namespace=lost&created=maybe").status == 400)
        }
    }

    @Test(arguments: targets)
    func templatesGiveEachFreshIDItsOwnActionPerNamespace(target: TestTarget) throws {
        let app = try GatewayTests.makeApplication()
        try target.run(app) { (client: TestClient) throws in
            let polls = try (0..<3).map { _ in
                Self.field(try client.execute(Self.action("tpl-alipay-7", buyer: 9, namespace: "t-a")), "action_status")
            }
            #expect(polls == ["PAYING", "PAYING", "SUCCESS"])
            #expect(Self.field(try client.execute(Self.action("tpl-alipay-7", buyer: 9, namespace: "t-b")), "action_status") == "PAYING")
            #expect(Self.field(try client.execute(Self.action("tpl-alipay-7", buyer: 8, namespace: "t-a")), "msg_code") == "BUYER_ID_MISMATCH")
            #expect(Self.field(try client.execute(Self.action("tpl-other-7", buyer: 9, namespace: "t-a")), "msg_code") == "PAY_ACTION_NOT_FOUND")
        }
    }

    /// Near misses see what the namespace created: a typo of a paid request_id or checkout_id
    /// names the created one; another namespace's does not.
    @Test func nearMissesNameCreatedActionsAndCheckouts() throws {
        let app = try GatewayTests.makeApplication()
        try TestTarget.inProcess.run(app) { (client: TestClient) throws in
            _ = try client.execute(Self.pay("pos-7f3a9c", checkout: "order-20261206-77", fee: 300, namespace: "near"))
            _ = try client.execute(Self.action("pos-7f3a9d", namespace: "near"))
            _ = try client.execute(Self.status("order-20261206-78", namespace: "near"))
            _ = try client.execute(Self.status("order-20261206-77", buyer: 9, namespace: "near"))
            _ = try client.execute(Self.action("pos-7f3a9d", namespace: "other"))
            let near = try #require(try AdminTests.admin(client, "GET", "/__admin/requests?namespace=near").json["requests"] as? [[String: Any]])
            #expect(
                near[1]["near_miss"] as? String == "no payment action with request_id 'pos-7f3a9d' in shop 124; nearest: 'pos-7f3a9c' in shop 124")
            #expect(
                near[2]["near_miss"] as? String
                    == "no checkout with checkout_id 'order-20261206-78' in shop 124; nearest: 'order-20261206-77' in shop 124")
            #expect(near[3]["near_miss"] as? String == "checkout 'order-20261206-77' in shop 124 belongs to buyer 456, not 9")
            let other = try #require(try AdminTests.admin(client, "GET", "/__admin/requests?namespace=other").json["requests"] as? [[String: Any]])
            #expect((other[0]["near_miss"] as? String)?.contains("pos-7f3a9c") == false)
        }
    }

    @Test func resetGoesBackToTheSeedAndAReloadKeepsCreatedActions() throws {
        let app = try GatewayTests.makeApplication()
        try TestTarget.inProcess.run(app) { (client: TestClient) throws in
            _ = try client.execute(Self.pay("keep-1", checkout: "keep", namespace: "r"))
            #expect(try AdminTests.admin(client, "POST", "/__admin/scenarios/reload").status == 200)
            #expect(Self.field(try client.execute(Self.action("keep-1", namespace: "r")), "action_status") == "SUCCESS")
            #expect(try AdminTests.admin(client, "POST", "/__admin/reset", json: #"{"namespace":"r"}"#).status == 200)
            #expect(Self.field(try client.execute(Self.action("keep-1", namespace: "r")), "msg_code") == "PAY_ACTION_NOT_FOUND")
            #expect(try Self.createdActions(client, "r").isEmpty)
        }
    }

    @Test func theCapOnCreatedActionsIsAClearBusinessFailure() throws {
        let app = try GatewayTests.makeApplication { $0.engine.maxCreatedActions = 2 }
        try TestTarget.inProcess.run(app) { (client: TestClient) throws in
            for index in 0..<2 {
                #expect(Self.field(try client.execute(Self.pay("cap-\(index)", checkout: "cap-\(index)", namespace: "cap")), "success") == "true")
            }
            let third = try client.execute(Self.pay("cap-2", checkout: "cap-2", namespace: "cap"))
            #expect(Self.field(third, "msg_code") == "CREATED_ACTIONS_LIMIT" && third.bodyText.contains("--max-created-actions"))
            #expect(Self.field(try client.execute(Self.action("tpl-alipay-1", namespace: "cap")), "msg_code") == "CREATED_ACTIONS_LIMIT")
            // Another namespace has its own cap, and a reset frees this one.
            #expect(Self.field(try client.execute(Self.pay("cap-2", checkout: "cap-2", namespace: "other")), "success") == "true")
            _ = try AdminTests.admin(client, "POST", "/__admin/reset", json: #"{"namespace":"cap"}"#)
            #expect(Self.field(try client.execute(Self.pay("cap-2", checkout: "cap-2", namespace: "cap")), "success") == "true")
        }
    }

    @Test func channelProfilesAndMagicPayCodes() throws {
        let app = try GatewayTests.makeApplication()
        try TestTarget.inProcess.run(app) { (client: TestClient) throws in
            let poor = try client.execute(Self.pay("p-1", checkout: "p", channel: "alipay_facepay_v2", account: "281100000000000000", namespace: "m"))
            // The call succeeds; the payment it made failed at once.
            #expect(Self.field(poor, "action_status") == "FAILED" && Self.field(poor, "result_code") == "ACQ.BUYER_BALANCE_NOT_ENOUGH")
            #expect(Self.field(try client.execute(Self.action("p-1", namespace: "m")), "result_code") == "ACQ.BUYER_BALANCE_NOT_ENOUGH")
            #expect(Self.field(try client.execute(Self.status("p", namespace: "m")), "checkout_status") == "2")
            _ = try client.execute(Self.pay("c-1", checkout: "c", channel: "x", account: "282200000000000000", namespace: "m"))
            let cancel = try (0..<3).map { _ in Self.field(try client.execute(Self.action("c-1", namespace: "m")), "action_status") }
            #expect(cancel == ["PAYING", "PAYING", "CANCELLED"])
            let unknown = try client.execute(Self.pay("u-1", checkout: "u", channel: "wechat", namespace: "m"))
            #expect(Self.field(unknown, "msg_code") == "PAY_CHANNEL_NOT_SUPPORTED" && unknown.bodyText.contains("'wechat'"))
            // payment_channel 1006 (a number on the wire) is Alipay face-to-face too.
            let numeric = SignedRequest.orderPay(shopID: 124, payRequest: #"{"request_id":"n-1","checkout_id":"n","payment_channel":1006}"#)
            #expect(Self.field(try client.execute(numeric), "channel_name") == "alipay")
        }
    }

    @Test(arguments: [
        (#"{"checkout_id":"c"}"#, "40", "Missing required arguments:pay_request.request_id"),
        (#"{"request_id":"r"}"#, "40", "Missing required arguments:pay_request.checkout_id"),
        (#"{"request_id":"r","checkout_id":"c","pay_fee":"12.5"}"#, "41", "Invalid arguments:pay_request.pay_fee"),
        (#"{"request_id":"r","checkout_id":"c","buyer_id":-1}"#, "41", "Invalid arguments:pay_request.buyer_id"),
        (#"{"request_id":{"a":1},"checkout_id":"c"}"#, "41", "Invalid arguments:pay_request.request_id"),
        (#"[1,2]"#, "41", "Invalid arguments:pay_request"),
    ])
    func badOrderPayParametersNameTheFieldPath(payRequest: String, code: String, message: String) throws {
        let app = try GatewayTests.makeApplication()
        try TestTarget.inProcess.run(app) { (client: TestClient) throws in
            let response = try client.execute(SignedRequest.orderPay(shopID: 124, payRequest: payRequest))
            #expect(Self.field(response, "code") == code && Self.field(response, "msg") == message, "\(response.bodyText)")
            let missing = try client.execute(
                SignedRequest.payStatusQuery(shopID: 124, checkoutID: "c", buyerID: 1).setting("pay_status_request", #"{"checkout_id":"c"}"#))
            #expect(Self.field(missing, "msg") == "Missing required arguments:pay_status_request.buyer_id")
        }
    }

    /// A scanned pay code reaches neither the journal nor a signature diagnostic unmasked.
    @Test func payCodesNeverReachTheJournalUnmasked() throws {
        let app = try GatewayTests.makeApplication()
        try TestTarget.inProcess.run(app) { (client: TestClient) throws in
            let code = "287654321098765432"
            _ = try client.execute(Self.pay("secret-1", checkout: "s", channel: "cash", account: code, namespace: "s"))
            let badSignature = Self.pay("secret-2", checkout: "s", channel: "cash", account: code, namespace: "s").signedWith(secret: "wrong")
            let refused = try client.execute(badSignature)
            #expect(!refused.bodyText.contains(code) && !(refused.headers["X-Topmock-Diagnostic"] ?? "").contains(code))
            let journal = try AdminTests.admin(client, "GET", "/__admin/requests?namespace=s")
            #expect(journal.text.contains("secret-1") && journal.text.contains("secret-2"))
            #expect(!journal.text.contains(code), "\(journal.text)")
            #expect(journal.text.contains(#"channel_account\":\"***\""#), "\(journal.text)")
            // The business fields by path, as masked as the parameters they come from.
            let fields = (journal.json["requests"] as? [[String: Any]])?.first?["fields"] as? [String: String]
            #expect(fields?["pay_request.channel_account"] == "***" && fields?["pay_request.request_id"] == "secret-1", "\(journal.text)")
            #expect(fields?["shop_id"] == "124" && fields?["sign"] == nil && fields?["app_key"] == nil)
        }
    }
}
