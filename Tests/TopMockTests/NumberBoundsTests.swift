import Foundation
import Testing
import TopMock
import TopMockHTTP
import TopMockProtocol
import TopMockScenarios
import TopMockTesting

/// Numbers at the edges of their types, through each of the three doors (a TOP call, an admin call,
/// a scenario file): each gets its door's clear error, and the application still answers after.
/// Before the bounded types, each of these stopped the process with an arithmetic overflow.
@Suite struct NumberBoundsTests {
    static let edges: [Int64] = [.max, .max - 1, 9_007_199_254_740_993, Fen.maximum + 1]

    static func pay(_ id: String, checkout: String, fee: String, channel: String = "cash", namespace: String) -> SignedRequest {
        let body = #"{"request_id":"\#(id)","checkout_id":"\#(checkout)","pay_fee":\#(fee),"pay_channel":"\#(channel)","buyer_id":456}"#
        var request = SignedRequest.orderPay(shopID: 124, payRequest: body)
        request.headers.add(name: "X-Topmock-Namespace", value: namespace)
        return request
    }

    static func field(_ response: TestResponse, _ name: String) -> String? { ShippedScenarioTests.field(response, name) }

    /// The application still answers a plain signed query.
    static func stillServes(_ client: TestClient) throws {
        #expect(field(try client.execute(AdminTests.query("cash-0001")), "action_status") == "SUCCESS")
    }

    // MARK: the TOP door

    @Test(arguments: [TestTarget.inProcess, .live])
    func aPaymentPastTheTotalIsRefusedNotSummed(target: TestTarget) throws {
        let app = try GatewayTests.makeApplication()
        try target.run(app) { (client: TestClient) throws in
            let ns = "past-total-\(target)"
            #expect(
                Self.field(try client.execute(Self.pay("p-1", checkout: "checkout-split-0001", fee: "1000", namespace: ns)), "action_status")
                    == "SUCCESS")
            for (index, edge) in Self.edges.enumerated() {
                let answer = try client.execute(Self.pay("p-edge-\(index)", checkout: "checkout-split-0001", fee: "\(edge)", namespace: ns))
                #expect(Self.field(answer, "code") == "41", "\(edge): \(answer.bodyText)")
                #expect(Self.field(answer, "msg") == "Invalid arguments:pay_request.pay_fee")
                #expect(Self.field(answer, "sub_code") == "isv.invalid-parameter")
                #expect(Self.field(answer, "sub_msg") == "pay_request.pay_fee must be between 1 and 10000000000 fen, not \(edge)")
            }
            // The largest amount is a valid one, and over what the checkout has left (by Alipay:
            // cash over what is left is taken and gives change, below).
            let largest = try client.execute(
                Self.pay("p-max", checkout: "checkout-split-0001", fee: "\(Fen.maximum)", channel: "alipay_facepay_v2", namespace: ns))
            #expect(Self.field(largest, "msg_code") == "PAY_FEE_EXCEEDS_TOTAL", "\(largest.bodyText)")
            #expect(
                Self.field(largest, "msg_info")
                    == "pay_fee 10000000000 over what checkout 'checkout-split-0001' has left: total 2000, 1000 paid or under way")
            // Cash at the largest amount: what was left is counted, the rest is change, nothing summed past the bound.
            let cash = try client.execute(Self.pay("p-max-cash", checkout: "checkout-split-0001", fee: "\(Fen.maximum)", namespace: ns))
            #expect(Self.field(cash, "current_pay_fee") == "1000", "\(cash.bodyText)")
            // Past Int64 altogether: not a whole number the decoder can read, so a plain 41.
            let huge = try client.execute(Self.pay("p-huge", checkout: "checkout-split-0001", fee: "92233720368547758070", namespace: ns))
            #expect(Self.field(huge, "msg") == "Invalid arguments:pay_request.pay_fee", "\(huge.bodyText)")
            try Self.stillServes(client)
        }
    }

    @Test func anOpenCheckoutPaidTwiceAtTheLargestAmountReadsItsExactSum() throws {
        let app = try GatewayTests.makeApplication()
        try TestTarget.inProcess.run(app) { (client: TestClient) throws in
            for id in ["big-1", "big-2"] {
                let answer = try client.execute(Self.pay(id, checkout: "open-big", fee: "\(Fen.maximum)", namespace: "big"))
                #expect(Self.field(answer, "current_pay_fee") == "\(Fen.maximum)", "\(answer.bodyText)")
            }
            let checkout = try AdminTests.admin(client, "GET", "/__admin/namespaces/big/checkouts/124/open-big")
            #expect(checkout.status == 200 && checkout.json["paid_fen"] as? Int64 == 2 * Fen.maximum, "\(checkout.text)")
            #expect(Self.field(try client.execute(CheckoutTests.status("open-big", namespace: "big")), "checkout_status") == "1")
        }
    }

    /// Decided from TOP's behaviour (docs/protocol.md, "order.pay amounts"): nothing to pay is not a
    /// payment; a negative amount is not a whole number of fen; a numeric string is read as the
    /// Java gateway's converters read it.
    @Test func zeroNegativeAndStringAmounts() throws {
        let app = try GatewayTests.makeApplication()
        try TestTarget.inProcess.run(app) { (client: TestClient) throws in
            let zero = try client.execute(Self.pay("z-0", checkout: "open-z", fee: "0", namespace: "z"))
            #expect(Self.field(zero, "code") == "41" && Self.field(zero, "sub_code") == "isv.invalid-parameter", "\(zero.bodyText)")
            #expect(try CheckoutTests.createdActions(client, "z").isEmpty)
            for negative in ["-1", "-0.5", "-9223372036854775808", "\"-1500\""] {
                let answer = try client.execute(Self.pay("z-neg", checkout: "open-z", fee: negative, namespace: "z"))
                #expect(Self.field(answer, "msg") == "Invalid arguments:pay_request.pay_fee", "\(negative): \(answer.bodyText)")
            }
            let text = try client.execute(Self.pay("z-text", checkout: "open-z", fee: "\"1500\"", namespace: "z"))
            #expect(Self.field(text, "current_pay_fee") == "1500", "\(text.bodyText)")
            let textOver = try client.execute(Self.pay("z-text-over", checkout: "open-z", fee: "\"\(Int64.max)\"", namespace: "z"))
            #expect(Self.field(textOver, "sub_code") == "isv.invalid-parameter", "\(textOver.bodyText)")
        }
    }

    // MARK: the admin door

    @Test func anAdminTotalAtTheEdgeIsRefusedAndTheLargestOneHolds() throws {
        let app = try GatewayTests.makeApplication()
        try TestTarget.inProcess.run(app) { (client: TestClient) throws in
            for edge in Self.edges {
                let refused = try AdminTests.admin(
                    client, "POST", "/__admin/namespaces/edge/checkouts", json: #"{"shop_id":124,"checkout_id":"e","total_fen":\#(edge)}"#)
                #expect(refused.status == 400, "\(edge): \(refused.text)")
                #expect(
                    ((refused.json["error"] as? [String: Any])?["message"] as? String)
                        == "total_fen must be between 1 and 10000000000 fen, not \(edge) (leave it out for an open checkout)")
                #expect((refused.json["error"] as? [String: Any])?["code"] as? Int == 1006)
            }
            let past = try AdminTests.admin(
                client, "POST", "/__admin/namespaces/edge/checkouts", json: #"{"shop_id":124,"checkout_id":"e","total_fen":92233720368547758070}"#)
            #expect(past.status == 400 && (past.json["error"] as? [String: Any])?["code"] as? Int == 1003, "\(past.text)")
            let made = try AdminTests.admin(
                client, "POST", "/__admin/namespaces/edge/checkouts", json: #"{"shop_id":124,"checkout_id":"e","total_fen":\#(Fen.maximum)}"#)
            #expect(made.status == 201, "\(made.text)")
            for id in ["e-1", "e-2"] {
                _ = try client.execute(Self.pay(id, checkout: "e", fee: "\(Fen.maximum)", namespace: "edge"))
            }
            let checkout = try AdminTests.admin(client, "GET", "/__admin/namespaces/edge/checkouts/124/e")
            #expect(checkout.json["paid_fen"] as? Int64 == Fen.maximum && checkout.json["status"] as? String == "paid", "\(checkout.text)")
            try Self.stillServes(client)
        }
    }

    @Test func theClockStaysWhereTheTimestampFormatCanWriteIt() throws {
        let app = try GatewayTests.makeApplication()
        try TestTarget.inProcess.run(app) { (client: TestClient) throws in
            func clock(_ json: String) throws -> (status: Int, json: [String: Any], text: String) {
                try AdminTests.admin(client, "PUT", "/__admin/namespaces/clock/clock", json: json)
            }
            for edge in [Int64.max, .min, WallInstant.range.upperBound + 1, WallInstant.range.lowerBound - 1] {
                let refused = try clock(#"{"freeze_millis":\#(edge)}"#)
                #expect(refused.status == 400 && (refused.json["error"] as? [String: Any])?["code"] as? Int == 1006, "\(edge): \(refused.text)")
            }
            #expect(try clock(#"{"freeze":"0000-01-01 00:00:00"}"#).status == 400)
            let end = try clock(#"{"freeze":"9999-12-31 23:59:59"}"#)
            #expect(end.status == 200 && end.json["now"] as? String == "9999-12-31 23:59:59", "\(end.text)")
            let past = try clock(#"{"advance":"1h"}"#)
            #expect(past.status == 400 && past.text.contains("the clock is unchanged"), "\(past.text)")
            #expect(try AdminTests.admin(client, "GET", "/__admin/namespaces/clock/clock").json["now"] as? String == "9999-12-31 23:59:59")
            // A freeze and an advance together are one change: refused whole.
            let both = try clock(#"{"freeze":"0001-01-01 00:00:00","advance":"-1s"}"#)
            #expect(both.status == 400, "\(both.text)")
            #expect(try AdminTests.admin(client, "GET", "/__admin/namespaces/clock/clock").json["now"] as? String == "9999-12-31 23:59:59")
            let start = try clock(#"{"freeze":"0001-01-01 00:00:00"}"#)
            #expect(start.json["now"] as? String == "0001-01-01 00:00:00", "\(start.text)")
            // Shifted far back from real time, then forward again, a year at a time is allowed.
            #expect(try clock(#"{"real":true,"advance":"-8760h"}"#).json["mode"] as? String == "shifted")
            #expect(try clock(#"{"advance":"8760h"}"#).status == 200)
            #expect(try clock(#"{"advance":"8761h"}"#).status == 400)
            // A query in a namespace whose clock is at an end is answered (its timestamp is out of
            // the window: 31), and other namespaces are untouched.
            _ = try clock(#"{"freeze":"9999-12-31 23:59:59"}"#)
            let query = try client.execute(AdminTests.query("cash-0001", namespace: "clock"))
            #expect(Self.field(query, "code") == "31", "\(query.bodyText)")
            try Self.stillServes(client)
        }
    }

    // MARK: the scenario door

    static let overflowingFile = """
        shops:
          - shop_id: 124
            payment_orders:
              - id: overflow
                total_fen: 9223372036854775807
                actions:
                  - request_id: over-1
                    buyer_id: 1
                    channel: cash
                    status: SUCCESS
                    amount_fen: 9223372036854775807
                  - request_id: over-2
                    buyer_id: 1
                    channel: cash
                    status: SUCCESS
                    amount_fen: 9223372036854775807

        """

    @Test func aFileWhoseAmountsPassTheTypeIsADiagnosticNotATrap() {
        let result = ScenarioLoader.load(sources: [(path: "overflow.yaml", text: Self.overflowingFile)])
        #expect(
            result.diagnostics.map(\.location.description) == ["overflow.yaml:5:20", "overflow.yaml:11:25", "overflow.yaml:16:25"],
            "\(result.diagnostics)")
        #expect(
            result.diagnostics.first?.message == "'total_fen' in a payment order must be between 0 and 10000000000 fen, found 9223372036854775807")
        // At the bound the sum is exact, and a wrong total says so.
        let atBound = Self.overflowingFile.replacingOccurrences(of: "9223372036854775807", with: "\(Fen.maximum)")
        let bound = ScenarioLoader.load(sources: [(path: "bound.yaml", text: atBound)])
        #expect(
            bound.diagnostics.map(\.message) == [
                "the actions' amount_fen add up to 20000000000 (10000000000 + 10000000000), not total_fen 10000000000"
            ])
    }

    @Test func aHotReloadOfSuchAFileKeepsTheLastGoodSetServing() throws {
        try HotReloadTests.withScenarioFile { directory, file in
            let app = try GatewayTests.makeApplication { $0.scenarioPaths = [directory.path] }
            try TestTarget.inProcess.run(app) { (client: TestClient) throws in
                #expect(try AdminTests.admin(client, "POST", "/__admin/scenarios/reload").status == 200)
                try Self.overflowingFile.write(to: file, atomically: true, encoding: .utf8)
                let reload = try AdminTests.admin(client, "POST", "/__admin/scenarios/reload")
                #expect(reload.status == 422, "\(reload.text)")
                #expect((reload.json["diagnostics"] as? [String])?.first?.contains("hot.yaml:5:20: error: 'total_fen'") == true, "\(reload.text)")
                #expect(
                    Self.field(try client.execute(SignedRequest.payActionQuery(shopID: 124, requestID: "hot-1", buyerID: 1)), "action_status")
                        == "PAYING")
                // The same text uploaded through the admin API: refused, nothing changed.
                let upload = try AdminTests.admin(client, "POST", "/__admin/scenarios?name=overflow.yaml", body: Self.overflowingFile)
                #expect(upload.status == 422, "\(upload.text)")
            }
        }
    }

    @Test func durationsAndDelaysStayInsideAYear() {
        #expect(ScenarioDurations.parse("8760h") != nil && ScenarioDurations.parse("8761h") == nil)
        #expect(ScenarioDurations.parse("99999999999999999999999s") == nil)
        // A log-normal delay's tail is clamped, and a sample is never negative or NaN.
        let delay = Delay.logNormal(median: .milliseconds(1), p99: .seconds(ScenarioDurations.maximumSeconds))
        #expect(delay.sample(uniform: 0, normal: 40) == .seconds(ScenarioDurations.maximumSeconds))
        #expect(delay.sample(uniform: 0, normal: -.infinity) == .zero)
        #expect(Delay.logNormal(median: .zero, p99: .seconds(1)).sample(uniform: 0, normal: 1) >= .zero)
        #expect(ScenarioDurations.millis(.seconds(Int64.max)) == Int64(ScenarioDurations.maximumSeconds * 1000))
    }

    @Test func aTimestampToleranceAtTheEdgeIsReadAsTheWholeClock() {
        var policy = TimestampPolicy(zone: .gmt8, toleranceSeconds: .max)
        #expect(policy.accepts("0001-01-01 00:00:00", nowMillis: WallInstant.range.upperBound))
        #expect(policy.accepts("9999999999999", nowMillis: WallInstant.range.lowerBound))
        policy.toleranceSeconds = .min
        #expect(!policy.accepts("2026-12-07 10:00:00", nowMillis: 0))
    }

    @Test func fenIsBoundedAndItsSumsExact() {
        let largest = Fen(Fen.maximum)!
        #expect(Fen.sum([largest, largest]) == 2 * Fen.maximum)
        #expect(Fen(-1) == nil && Fen(Fen.maximum + 1) == nil && Fen(0) == .zero)
    }
}
