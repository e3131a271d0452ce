import Foundation
import Testing
import TopMock
import TopMockHTTP
import TopMockProtocol
import TopMockScenarios
import TopMockTesting

/// The whole POS sale against the shipped store (scenarios/pos-store.yaml): scan, subtotal, pay
/// by tender, poll, receipt; every amount agrees across the seven methods, in-process and live.
@Suite struct SaleTests {
    static let targets: [TestTarget] = [.inProcess, .live]

    static func call(_ method: String, _ business: [(String, String)], namespace: String) -> SignedRequest {
        var request = SignedRequest.call(APIName(rawValue: method), business: business)
        request.headers.add(name: "X-Topmock-Namespace", value: namespace)
        return request
    }

    static func scan(_ code: String, namespace: String) -> SignedRequest {
        call(
            "alibaba.pos.item.get",
            [
                ("shop_id", "124"),
                (
                    "code_reader_req",
                    #"{"code_value":"\#(code)","code_type":"BARCODE","machine_id":"pos-1","source":"pos","shop_id":"124","business_type":"1","merchant_code":"DEMO"}"#
                ),
            ],
            namespace: namespace)
    }

    static func subtotal(_ lines: String, assets: String = "", machine: String = "pos-1", buyer: Int64 = 456, namespace: String) -> SignedRequest {
        let assetList = assets.isEmpty ? "" : #","asset_list":[\#(assets)]"#
        return call(
            "alibaba.pos.items.subtotal",
            [
                ("shop_id", "124"), ("buyer_id", String(buyer)),
                (
                    "subtotal_request",
                    #"{"machine_id":"\#(machine)","shop_id":"124","business_type":"1","merchant_code":"DEMO","item_list":[\#(lines)]\#(assetList)}"#
                ),
            ],
            namespace: namespace)
    }

    static func bill(_ orderID: String, namespace: String) -> SignedRequest {
        call(
            "alibaba.pos.bill.get", [("shop_id", "124"), ("bill_print_request", #"{"biz_order_id":\#(orderID),"machine_id":"pos-1"}"#)],
            namespace: namespace)
    }

    static func json(_ response: TestResponse) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(response.bodyText.utf8))) as? [String: Any] ?? [:]
    }

    /// `…_response.result.model` of a JSON answer.
    static func model(_ response: TestResponse) -> [String: Any] {
        let root = json(response).values.first as? [String: Any]
        return (root?["result"] as? [String: Any])?["model"] as? [String: Any] ?? [:]
    }

    static func field(_ response: TestResponse, _ name: String) -> String? { ShippedScenarioTests.field(response, name) }

    @Test(arguments: targets)
    func aWholeSaleAgreesEndToEnd(target: TestTarget) throws {
        let app = try GatewayTests.makeApplication()
        try target.run(app) { (client: TestClient) throws in
            let ns = "sale-\(target)"
            // Scan two items: water (on promotion) and apples by weight.
            let water = Self.model(try client.execute(Self.scan("6921168509256", namespace: ns)))["buy_item"] as? [String: Any]
            #expect(water?["item_id"] as? Int == 5001 && water?["price"] as? Int == 200 && water?["promotion_price"] as? Int == 150)
            let apples = Self.model(try client.execute(Self.scan("2000503", namespace: ns)))["buy_item"] as? [String: Any]
            #expect(apples?["is_weight"] as? Bool == true && apples?["price"] as? Int == 1280)
            // Subtotal: 2 × 200 = 400 less 2 × 50 promotion; 0.532 kg × 1280 = 680.96 → 681.
            let priced = try client.execute(
                Self.subtotal(#"{"item_id":5001,"buy_quantity":2},{"item_id":5003,"inv_quantity":"0.532"}"#, namespace: ns))
            let model = Self.model(priced)
            #expect(model["total_fee"] as? Int == 1081 && model["promotion_fee"] as? Int == 100 && model["coupon_fee"] as? Int == 0)
            #expect(model["actual_fee"] as? Int == 981, "\(priced.bodyText)")
            let orderID = try #require(model["biz_order_id"] as? Int)
            #expect(model["checkout_id"] as? String == String(orderID))
            // Pay 500 cash, then the rest (481) by Alipay; 1 fen more is over the subtotal's total.
            let cash = try client.execute(CheckoutTests.pay("sale-cash", checkout: String(orderID), fee: 500, channel: "cash", namespace: ns))
            #expect(Self.field(cash, "action_status") == "SUCCESS")
            let over = try client.execute(
                CheckoutTests.pay("sale-over", checkout: String(orderID), fee: 482, channel: "alipay_facepay_v2", namespace: ns))
            #expect(Self.field(over, "msg_code") == "PAY_FEE_EXCEEDS_TOTAL")
            let alipay = try client.execute(
                CheckoutTests.pay("sale-alipay", checkout: String(orderID), fee: 481, channel: "alipay_facepay_v2", namespace: ns))
            #expect(Self.field(alipay, "action_status") == "PAYING")
            // Not paid yet: no receipt.
            #expect(Self.field(try client.execute(Self.bill(String(orderID), namespace: ns)), "msg_code") == "ORDER_NOT_PAID")
            // Poll until paid.
            var polls: [String?] = []
            for _ in 0..<5 {
                let status = Self.field(try client.execute(CheckoutTests.status(String(orderID), namespace: ns)), "checkout_status")
                polls.append(status)
                if status == "1" { break }
            }
            #expect(polls == ["0", "0", "1"], "\(polls)")
            // The receipt: the lines, the amounts, the change.
            let receipt = try client.execute(Self.bill(String(orderID), namespace: ns))
            let printed = Self.model(receipt)
            #expect(printed["biz_order_id"] as? Int == orderID && printed["actual_fee"] as? Int == 981, "\(receipt.bodyText)")
            #expect(printed["receive_fee"] as? Int == 500 && printed["change_fee"] as? Int == 0 && printed["promotion_fee"] as? Int == 100)
            let blocks = (printed["item_blocks"] as? [String: Any])?["bill_item_block_dto"] as? [[String: Any]]
            let lines = (blocks?.first?["item_dtos"] as? [String: Any])?["bill_item_dto"] as? [[String: Any]] ?? []
            #expect(lines.map { $0["item_id"] as? String } == ["5001", "5003"])
            #expect(lines.map { $0["total_fee"] as? Int } == [300, 681] && lines.first?["quantity"] as? Int == 2)
            #expect(lines.last?["weight"] as? String == "0.532")
            let channels = (printed["payment_channels"] as? [String: Any])?["payment_channel_dto"] as? [[String: Any]] ?? []
            #expect(channels.map { $0["channel_code"] as? String } == ["cash", "alipay"] && channels.map { $0["pay_fee"] as? Int } == [500, 481])
            // The journal shows all seven methods; verify by field path.
            let verify = try AdminTests.admin(
                client, "POST", "/__admin/requests/verify",
                json: #"{"namespace":"\#(ns)","method":"alibaba.pos.items.subtotal","fields":{"subtotal_request.machine_id":"pos-1"},"count":1}"#)
            #expect(verify.status == 200, "\(verify.text)")
        }
    }

    @Test(arguments: targets)
    func cashOverTheTotalGivesChangeAndACouponComesOff(target: TestTarget) throws {
        let app = try GatewayTests.makeApplication()
        try target.run(app) { (client: TestClient) throws in
            let ns = "change-\(target)"
            let coupon = Self.model(try client.execute(Self.scan("YH-50-5", namespace: ns)))["asset"] as? [String: Any]
            #expect(coupon?["type"] as? String == "COUPON" && coupon?["code"] as? String == "YH-50-5")
            // 6990 milk, less the 500 coupon (minimum 5000 met).
            let priced = Self.model(
                try client.execute(
                    Self.subtotal(#"{"item_id":5002,"buy_quantity":1}"#, assets: #"{"code":"YH-50-5","type":"COUPON"}"#, namespace: ns)))
            #expect(priced["actual_fee"] as? Int == 6490 && priced["coupon_fee"] as? Int == 500)
            let orderID = try #require(priced["biz_order_id"] as? Int)
            // ¥70.00 handed over: 6490 counted, 510 back.
            let cash = try client.execute(CheckoutTests.pay("change-cash", checkout: String(orderID), fee: 7000, channel: "cash", namespace: ns))
            #expect(Self.field(cash, "current_pay_fee") == "6490", "\(cash.bodyText)")
            let receipt = Self.model(try client.execute(Self.bill(String(orderID), namespace: ns)))
            #expect(receipt["receive_fee"] as? Int == 7000 && receipt["change_fee"] as? Int == 510 && receipt["coupon_fee"] as? Int == 500)
            // The coupon's minimum: a basket under ¥50.00 is refused, naming the rule.
            let small = try client.execute(
                Self.subtotal(#"{"item_id":5001}"#, assets: #"{"code":"YH-50-5"}"#, machine: "pos-2", namespace: ns))
            #expect(Self.field(small, "msg_code") == "COUPON_MINIMUM_NOT_MET")
        }
    }

    @Test func aMachinesOpenBasketIsRepricedUntilSomethingIsPaid() throws {
        let app = try GatewayTests.makeApplication()
        try TestTarget.inProcess.run(app) { (client: TestClient) throws in
            let ns = "reprice"
            let first = Self.model(try client.execute(Self.subtotal(#"{"item_id":5001}"#, namespace: ns)))
            let second = Self.model(try client.execute(Self.subtotal(#"{"item_id":5001,"buy_quantity":3}"#, namespace: ns)))
            #expect(first["biz_order_id"] as? Int == second["biz_order_id"] as? Int && second["actual_fee"] as? Int == 450)
            let orderID = try #require(second["biz_order_id"] as? Int)
            _ = try client.execute(CheckoutTests.pay("reprice-cash", checkout: String(orderID), fee: 100, channel: "cash", namespace: ns))
            let third = Self.model(try client.execute(Self.subtotal(#"{"item_id":5001}"#, namespace: ns)))
            #expect(third["biz_order_id"] as? Int == orderID + 1)
            // Another machine has its own basket.
            let other = Self.model(try client.execute(Self.subtotal(#"{"item_id":5001}"#, machine: "pos-9", namespace: ns)))
            #expect(other["biz_order_id"] as? Int == orderID + 2)
        }
    }

    @Test func accountsAndFeaturesAnswerFromTheStore() throws {
        let app = try GatewayTests.makeApplication()
        try TestTarget.inProcess.run(app) { (client: TestClient) throws in
            func ack(_ account: String) throws -> TestResponse {
                try client.execute(
                    Self.call(
                        "alibaba.pos.pay.account.ack",
                        [
                            ("store_id", "124"),
                            ("pay_account_detail_request", #"{"payer_id":456,"channel_name":"card","channel_account":"\#(account)"}"#),
                        ],
                        namespace: "accounts"))
            }
            let good = Self.model(try ack("6222020200112233445"))
            #expect(good["balance"] as? Int == 52000 && good["is_valid"] as? Bool == true && good["account_status"] as? String == "正常")
            #expect(good["end_time"] as? String == "2030-12-31 23:59:59")
            let frozen = Self.model(try ack("6222020200199887766"))
            #expect(frozen["is_valid"] as? Bool == false && frozen["account_status"] as? String == "冻结")
            #expect(Self.field(try ack("1111"), "msg_code") == "ACCOUNT_NOT_FOUND")
            let features = try client.execute(
                Self.call(
                    "alibaba.pos.service.features.get", [("get_config_request", #"{"merchant_code":"DEMO","shop_id":"124"}"#)], namespace: "accounts")
            )
            let list = (Self.model(features)["available_features"] as? [String: Any])?["available_feature"] as? [[String: Any]]
            #expect(list?.map { $0["code"] as? String } == ["ALIPAY_FACEPAY", "YUNSHANFU_UNION_FACEPAY", "CASH"])
            let noStore = try client.execute(
                Self.call(
                    "alibaba.pos.service.features.get", [("get_config_request", #"{"merchant_code":"DEMO","shop_id":"9"}"#)], namespace: "accounts"))
            #expect(Self.field(noStore, "msg_code") == "STORE_NOT_FOUND")
        }
    }

    @Test func badBasketsGetTheRightErrors() throws {
        let app = try GatewayTests.makeApplication()
        try TestTarget.inProcess.run(app) { (client: TestClient) throws in
            func subtotal(_ lines: String) throws -> TestResponse { try client.execute(Self.subtotal(lines, namespace: "bad")) }
            #expect(Self.field(try subtotal(#"{"item_id":999}"#), "msg_code") == "ITEM_NOT_FOUND")
            #expect(Self.field(try subtotal(#"{"item_id":5001,"inv_quantity":"1"}"#), "msg_code") == "ITEM_NOT_SOLD_BY_WEIGHT")
            let zero = try subtotal(#"{"item_id":5001,"buy_quantity":0}"#)
            #expect(Self.field(zero, "code") == "41" && zero.bodyText.contains("subtotal_request.item_list[0].buy_quantity"), "\(zero.bodyText)")
            let huge = try subtotal(#"{"item_id":5001,"buy_quantity":99999999999999999999}"#)
            #expect(Self.field(huge, "code") == "41", "\(huge.bodyText)")
            let weight = try subtotal(#"{"item_id":5003,"inv_quantity":"-1"}"#)
            #expect(Self.field(weight, "code") == "41" && weight.bodyText.contains("inv_quantity"), "\(weight.bodyText)")
            let empty = try subtotal("")
            #expect(Self.field(empty, "code") == "40" && empty.bodyText.contains("subtotal_request.item_list"), "\(empty.bodyText)")
            let many = try subtotal(Array(repeating: #"{"item_id":5001}"#, count: 201).joined(separator: ","))
            #expect(Self.field(many, "code") == "41", "\(many.bodyText)")
            let missingID = try subtotal(#"{"buy_quantity":1}"#)
            #expect(Self.field(missingID, "code") == "40" && missingID.bodyText.contains("item_list[0].item_id"), "\(missingID.bodyText)")
            let notAList = try client.execute(
                Self.call(
                    "alibaba.pos.items.subtotal", [("shop_id", "124"), ("buyer_id", "1"), ("subtotal_request", #"{"item_list":{"item_id":1}}"#)],
                    namespace: "bad"))
            #expect(Self.field(notAList, "code") == "41", "\(notAList.bodyText)")
            let unknownCode = try client.execute(Self.scan("692116850925", namespace: "bad"))
            #expect(Self.field(unknownCode, "msg_code") == "CODE_NOT_FOUND")
            let journal = try AdminTests.admin(client, "GET", "/__admin/requests?namespace=bad&method=alibaba.pos.item.get")
            let nearMiss = ((journal.json["requests"] as? [[String: Any]])?.first?["near_miss"] as? String) ?? ""
            #expect(nearMiss.contains("nearest: '6921168509256'"), "\(journal.text)")
            #expect(Self.field(try client.execute(Self.bill("42", namespace: "bad")), "msg_code") == "ORDER_NOT_FOUND")
        }
    }

    @Test(arguments: targets)
    func aTestSetsUpItsOwnItemPromotionAndAccountThroughTheAdminAPI(target: TestTarget) throws {
        let app = try GatewayTests.makeApplication()
        try target.run(app) { (client: TestClient) throws in
            let ns = "admin-store-\(target)"
            // A shop with no store yet: the first item starts one, in this namespace only.
            let item = try AdminTests.admin(
                client, "PUT", "/__admin/namespaces/\(ns)/stores/777/items",
                json: #"{"item_id":9,"title":"豆浆","price_fen":300,"codes":["DJ-1"],"unit":"杯"}"#)
            #expect(item.status == 200 && (item.json["items"] as? [[String: Any]])?.first?["price_fen"] as? Int == 300, "\(item.text)")
            let promotion = try AdminTests.admin(
                client, "PUT", "/__admin/namespaces/\(ns)/stores/777/promotions", json: #"{"item_id":9,"title":"早餐价","price_fen":250}"#)
            #expect(promotion.status == 200, "\(promotion.text)")
            let account = try AdminTests.admin(
                client, "PUT", "/__admin/namespaces/\(ns)/stores/777/accounts",
                json: #"{"channel_name":"card","channel_account":"6222000011112222","balance_fen":99}"#)
            #expect(account.status == 200 && !account.text.contains("6222000011112222"), "the account number is masked: \(account.text)")
            let scan = try client.execute(
                Self.call("alibaba.pos.item.get", [("shop_id", "777"), ("code_reader_req", #"{"code_value":"DJ-1"}"#)], namespace: ns))
            #expect((Self.model(scan)["buy_item"] as? [String: Any])?["promotion_price"] as? Int == 250, "\(scan.bodyText)")
            let priced = try client.execute(
                Self.call(
                    "alibaba.pos.items.subtotal",
                    [("shop_id", "777"), ("buyer_id", "1"), ("subtotal_request", #"{"item_list":[{"item_id":9,"buy_quantity":2}]}"#)],
                    namespace: ns))
            #expect(Self.model(priced)["actual_fee"] as? Int == 500)
            let ack = try client.execute(
                Self.call(
                    "alibaba.pos.pay.account.ack",
                    [
                        ("store_id", "777"),
                        ("pay_account_detail_request", #"{"payer_id":1,"channel_name":"card","channel_account":"6222000011112222"}"#),
                    ],
                    namespace: ns))
            #expect(Self.model(ack)["balance"] as? Int == 99)
            // The store and its order, as the namespace sees them.
            let read = try AdminTests.admin(client, "GET", "/__admin/namespaces/\(ns)/stores/777")
            let orders = read.json["orders"] as? [[String: Any]]
            #expect(orders?.first?["actual_fee"] as? Int == 500 && orders?.first?["status"] as? String == "waiting", "\(read.text)")
            // Other namespaces do not see it; bad bodies are clear errors.
            #expect(try AdminTests.admin(client, "GET", "/__admin/namespaces/other/stores/777").status == 404)
            let badPrice = try AdminTests.admin(
                client, "PUT", "/__admin/namespaces/\(ns)/stores/777/promotions", json: #"{"item_id":9,"price_fen":300}"#)
            #expect(badPrice.status == 400 && badPrice.text.contains("not below"), "\(badPrice.text)")
            let badItem = try AdminTests.admin(
                client, "PUT", "/__admin/namespaces/\(ns)/stores/777/items", json: #"{"item_id":9,"title":"x","price_fen":-1,"codes":["a"]}"#)
            #expect(badItem.status == 400 && badItem.text.contains("price_fen"), "\(badItem.text)")
            // A reset drops the namespace's store changes and sales.
            _ = try AdminTests.admin(client, "POST", "/__admin/reset", json: #"{"namespace":"\#(ns)"}"#)
            #expect(try AdminTests.admin(client, "GET", "/__admin/namespaces/\(ns)/stores/777").status == 404)
        }
    }

    @Test func rulesMatchTheSalesMethodsAndTheirFields() throws {
        let app = try GatewayTests.makeApplication()
        try TestTarget.inProcess.run(app) { (client: TestClient) throws in
            let rules = """
                rules:
                  - name: receipts time out once
                    when: {method: alibaba.pos.bill.get}
                    error: isp.top-remote-connection-timeout
                    first: 1
                  - name: machine 13 is broken
                    when: {method: alibaba.pos.items.subtotal, fields: {subtotal_request.machine_id: pos-13}}
                    error: isp.service-error
                """
            #expect(try AdminTests.admin(client, "POST", "/__admin/scenarios?name=sale-rules", body: rules).status == 201)
            defer { _ = try? AdminTests.admin(client, "DELETE", "/__admin/scenarios/sale-rules") }
            let broken = try client.execute(Self.subtotal(#"{"item_id":5001}"#, machine: "pos-13", namespace: "rules"))
            #expect(Self.field(broken, "sub_code") == "isp.service-error", "\(broken.bodyText)")
            let priced = Self.model(try client.execute(Self.subtotal(#"{"item_id":5001}"#, machine: "pos-1", namespace: "rules")))
            let order = try #require(priced["biz_order_id"] as? Int)
            _ = try client.execute(CheckoutTests.pay("rules-cash", checkout: String(order), fee: 150, channel: "cash", namespace: "rules"))
            #expect(Self.field(try client.execute(Self.bill(String(order), namespace: "rules")), "code") == "15")
            #expect(Self.field(try client.execute(Self.bill(String(order), namespace: "rules")), "receive_fee") == "150")
        }
    }
}
