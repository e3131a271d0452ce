import Foundation
import Logging
import Testing
import TopMock
import TopMockHTTP
import TopMockProtocol
import TopMockScenarios
import TopMockTesting

/// Every shipped scenario, end to end over real HTTP (faults included): what the README promises.
@Suite struct ShippedScenarioTests {
    static func withLive(_ body: (TestClient) throws -> Void) throws {
        let app = try GatewayTests.makeApplication { $0.watchInterval = nil }
        try TestTarget.live.run(app) { (client: TestClient) throws in try body(client) }
    }

    static func query(_ requestID: String, buyer: Int64 = 123, format: ResponseFormat = .json) -> SignedRequest {
        SignedRequest.payActionQuery(shopID: 124, requestID: requestID, buyerID: buyer, format: format)
    }

    static func field(_ response: TestResponse, _ name: String) -> String? {
        guard let range = response.bodyText.range(of: "\"\(name)\":") else { return nil }
        let rest = response.bodyText[range.upperBound...]
        if rest.hasPrefix("\"") {
            return String(rest.dropFirst().prefix { $0 != "\"" })
        }
        return String(rest.prefix { $0 != "," && $0 != "}" })
    }

    @Test func pendingThenSuccessByPolls() throws {
        try Self.withLive { (client: TestClient) throws in
            let statuses = try (0..<4).map { _ in Self.field(try client.execute(Self.query("alipay-poll-0001")), "action_status") }
            #expect(statuses == ["PAYING", "PAYING", "SUCCESS", "SUCCESS"])
        }
    }

    @Test func pendingThenFailure() throws {
        try Self.withLive { (client: TestClient) throws in
            let answers = try (0..<3).map { _ in try client.execute(Self.query("alipay-poll-fail-0001")) }
            #expect(answers.map { Self.field($0, "action_status") } == ["PAYING", "PAYING", "FAILED"])
            #expect(Self.field(answers[2], "result_code") == "ACQ.TRADE_BUYER_NOT_MATCH")
        }
    }

    @Test func closedCancelledAndBusinessFailure() throws {
        try Self.withLive { (client: TestClient) throws in
            #expect(Self.field(try client.execute(Self.query("closed-0001")), "action_status") == "CLOSED")
            #expect(Self.field(try client.execute(Self.query("cancelled-0001")), "action_status") == "CANCELLED")
            let busy = try client.execute(Self.query("system-busy-0001"))
            #expect(
                GatewayTests.normalized(busy)
                    == #"{"alibaba_pos_pay_action_query_response":{"result":{"msg_code":"SYSTEM_BUSY","msg_info":"系统繁忙，请稍后重试","success":false},"request_id":"RID"}}"#
            )
        }
    }

    static let platformErrors: [(String, String)] = [
        (
            "err-timeout-1",
            #"{"error_response":{"code":15,"msg":"Remote service error","sub_code":"isp.top-remote-connection-timeout","sub_msg":"连接服务超时","request_id":"RID"}}"#
        ),
        (
            "err-unavailable-1",
            #"{"error_response":{"code":15,"msg":"Remote service error","sub_code":"isp.top-remote-service-unavailable","sub_msg":"服务不可用","request_id":"RID"}}"#
        ),
        (
            "err-service-1",
            #"{"error_response":{"code":15,"msg":"Remote service error","sub_code":"isp.service-error","sub_msg":"服务错误","request_id":"RID"}}"#
        ),
        (
            "err-unknown-1",
            #"{"error_response":{"code":15,"msg":"Remote service error","sub_code":"isp.top-remote-unknown-error","sub_msg":"未知错误","request_id":"RID"}}"#
        ),
        (
            "err-param-1",
            #"{"error_response":{"code":15,"msg":"Remote service error","sub_code":"isv.invalid-parameter","sub_msg":"非法参数","request_id":"RID"}}"#
        ),
        ("err-down-1", #"{"error_response":{"code":10,"msg":"Service Currently Unavailable","request_id":"RID"}}"#),
        (
            "err-permission-1",
            #"{"error_response":{"code":11,"msg":"Insufficient isv permissions","sub_code":"isv.permission-api-package-limit","sub_msg":"scope ids is 381 11655","request_id":"RID"}}"#
        ),
        (
            "err-session-1",
            #"{"error_response":{"code":27,"msg":"Invalid session","sub_code":"invalid-sessionkey","sub_msg":"SessionKey非法","request_id":"RID"}}"#
        ),
    ]

    @Test func platformErrorsByPrefix() throws {
        try Self.withLive { (client: TestClient) throws in
            for (requestID, expected) in Self.platformErrors {
                let response = try client.execute(Self.query(requestID))
                #expect(response.status == 200)
                #expect(GatewayTests.normalized(response) == expected)
                #expect(response.headers["X-Topmock-Diagnostic"]?.hasPrefix("injected by rule '") == true)
            }
        }
    }

    @Test func flakyActionFailsTwiceThenRecovers() throws {
        try Self.withLive { (client: TestClient) throws in
            let answers = try (0..<3).map { _ in try client.execute(Self.query("flaky-0001")).bodyText }
            #expect(answers[0].contains("isp.top-remote-connection-timeout"))
            #expect(answers[1].contains("isp.top-remote-connection-timeout"))
            #expect(answers[2].contains(#""action_status":"SUCCESS""#))
        }
    }

    @Test func quotaLimitsTheFourthCallInAMinute() throws {
        try Self.withLive { (client: TestClient) throws in
            for _ in 0..<3 { #expect(try client.execute(Self.query("limited-0001")).bodyText.contains("PAY_ACTION_NOT_FOUND")) }
            let limited = try client.execute(Self.query("limited-0001"))
            #expect(
                limited.bodyText.hasPrefix(
                    #"{"error_response":{"code":7,"msg":"App Call Limited","sub_code":"accesscontrol.limited-by-app-access-count","sub_msg":"This ban will last for "#
                ))
        }
    }

    /// The slow gateway's answer is held back by its configured 2 s, read from the scheduler (which
    /// answers at once) and the journal, over a real socket: no test sleeps through it.
    @Test func slowGatewayAnswersLate() throws {
        let scheduler = ImmediateDelayScheduler()
        let app = try GatewayTests.makeApplication(scheduler: scheduler) { $0.watchInterval = nil }
        try TestTarget.live.run(app) { (client: TestClient) throws in
            let response = try client.execute(Self.query("slow-0001"))
            #expect(Self.field(response, "action_status") == "SUCCESS")
            #expect(scheduler.delays == [.seconds(2)])
            let journal = try client.execute(HTTPRequest(method: "GET", target: "/__admin/requests?request_id=slow-0001")).bodyText
            #expect(journal.contains(#""delay_millis":2000"#), "\(journal)")
            // A call without a delay is not scheduled at all.
            _ = try client.execute(Self.query("cash-0001"))
            #expect(scheduler.delays == [.seconds(2)])
        }
    }

    @Test func droppedAndResetConnections() throws {
        try Self.withLive { (client: TestClient) throws in
            #expect(throws: TestClient.ClosedWithoutResponse.self) { try client.execute(Self.query("drop-0001")) }
            #expect(throws: TestClient.ConnectionReset.self) { try client.execute(Self.query("reset-0001")) }
            #expect(Self.field(try client.execute(Self.query("cash-0001")), "channel_name") == "cash")
        }
    }

    @Test func brokenBodiesAndProxyPages() throws {
        try Self.withLive { (client: TestClient) throws in
            let malformed = try client.execute(Self.query("malformed-0001"))
            #expect(malformed.status == 200)
            #expect(throws: CocoaError.self) { try JSONSerialization.jsonObject(with: Data(malformed.body)) }
            #expect(malformed.bodyText.hasPrefix(#"{"alibaba_pos_pay_action_query_response":{"#))

            let truncated = try client.execute(Self.query("truncated-0001"))
            #expect(truncated.status == 200)
            #expect(!truncated.isComplete)
            #expect(
                Int(truncated.headers["Content-Length"] ?? "") == truncated.body.count * 2
                    || Int(truncated.headers["Content-Length"] ?? "") == truncated.body.count * 2 + 1)

            let empty = try client.execute(Self.query("empty-0001"))
            #expect(empty.status == 200 && empty.body.isEmpty)
            #expect(empty.headers["Content-Type"] == "application/json;charset=UTF-8")

            for status in [500, 502, 503] {
                let page = try client.execute(Self.query("http\(status)-0001"))
                #expect(page.status == status)
                #expect(page.headers["Content-Type"] == "text/html")
                #expect(page.bodyText.contains("<center><h1>\(status) "))
            }
        }
    }

    @Test func stubsAnswerSiblingAPIs() throws {
        try Self.withLive { (client: TestClient) throws in
            // paystatus.query is served for real now: the split payment order of split-cash-alipay.yaml is paid.
            let paystatus = SignedRequest.payStatusQuery(shopID: 124, checkoutID: "PO-124-0003", buyerID: 456)
            #expect(
                GatewayTests.normalized(try client.execute(paystatus))
                    == #"{"alibaba_pos_paystatus_query_response":{"result":{"model":{"checkout_status":1,"checkout_id":"PO-124-0003"},"success":true},"request_id":"RID"}}"#
            )
            let features = SignedRequest.payActionQuery(shopID: 124, requestID: "x", buyerID: 1)
                .setting("method", "alibaba.pos.fund.cashier.shift.summary").removing("payment_action_request")
            let wrapped = try client.execute(features)
            #expect(
                wrapped.bodyText.contains(
                    #""channel_summaries":{"channel_summary":[{"channel_code":"cash","name":"现金","amount":12000},{"channel_code":"alipay","name":"支付宝当面付","amount":30050}]}"#
                ))
            let simplified = try client.execute(features.setting("simplify", "true"))
            #expect(simplified.bodyText.hasPrefix(#"{"result":{"model":{"channel_summaries":[{"channel_code":"cash""#))
        }
    }
}
