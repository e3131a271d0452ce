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

    @Test func slowGatewayAnswersLate() throws {
        try Self.withLive { (client: TestClient) throws in
            let clock = ContinuousClock()
            let start = clock.now
            let response = try client.execute(Self.query("slow-0001"))
            let took = clock.now - start
            #expect(Self.field(response, "action_status") == "SUCCESS")
            #expect(took >= .seconds(2) && took < .seconds(4), "\(took)")
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
            #expect(throws: (any Error).self) { try JSONSerialization.jsonObject(with: Data(malformed.body)) }
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
                .setting("method", "alibaba.pos.service.features.get").removing("payment_action_request")
            let wrapped = try client.execute(features)
            #expect(
                wrapped.bodyText.contains(
                    #""available_features":{"available_feature":[{"code":"YUNSHANFU_UNION_FACEPAY","name":"云闪付","prompt":"请出示云闪付付款码"},{"code":"ALIPAY_FACEPAY","name":"支付宝当面付"}]}"#
                ))
            let simplified = try client.execute(features.setting("simplify", "true"))
            #expect(simplified.bodyText.hasPrefix(#"{"result":{"model":{"available_features":[{"code":"YUNSHANFU_UNION_FACEPAY""#))
        }
    }
}

/// Hot reload, through the real file system.
@Suite struct HotReloadTests {
    static let cash = """
        shops:
          - shop_id: 124
            payment_orders:
              - actions:
                  - {request_id: hot-1, buyer_id: 1, channel: cash, status: PAYING, timeline: [{after_queries: 1, status: SUCCESS}]}
                  - {request_id: hot-2, buyer_id: 1, channel: cash, status: STATUS_A}
        """

    /// Runs `body` with a scenario folder holding `hot.yaml` (written with ``cash``), removed after.
    static func withScenarioFile(_ body: (_ folder: URL, _ file: URL) throws -> Void) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("topmock-reload-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("hot.yaml")
        try cash.write(to: file, atomically: true, encoding: .utf8)
        try body(folder, file)
    }

    @Test func reloadsChangedFilesKeepsUnchangedStateAndSurvivesBrokenFiles() throws {
        try HotReloadTests.withScenarioFile { directory, file in
            let app = try GatewayTests.makeApplication {
                $0.scenarioPaths = [directory.path]
                $0.watchInterval = .milliseconds(20)
            }
            try TestTarget.live.run(app) { (client: TestClient) throws in
                func status(_ id: String) throws -> String? {
                    ShippedScenarioTests.field(
                        try client.execute(SignedRequest.payActionQuery(shopID: 124, requestID: id, buyerID: 1)), "action_status")
                }
                func waitFor(_ id: String, _ expected: String) throws -> Bool {
                    for _ in 0..<200 {
                        if try status(id) == expected { return true }
                        usleep(10_000)
                    }
                    return false
                }
                #expect(try status("hot-1") == "PAYING")
                // Change hot-2 only: hot-1 keeps its place in its timeline.
                try Self.cash.replacing("STATUS_A", with: "STATUS_B").write(to: file, atomically: true, encoding: .utf8)
                #expect(try waitFor("hot-2", "STATUS_B"))
                #expect(try status("hot-1") == "SUCCESS")

                // A broken file: the last good set keeps serving, health says why.
                try "shops: [\n".write(to: file, atomically: true, encoding: .utf8)
                var health = ""
                for _ in 0..<200 {
                    health = try client.execute(HTTPRequest(method: "GET", path: "/__admin/health")).bodyText
                    if health.contains("last_reload_errors") { break }
                    usleep(10_000)
                }
                #expect(
                    health.contains(
                        #""last_reload_errors":["\#(file.path):2:1: error: YAML syntax: did not find expected node content while parsing a flow node"]"#
                    ))
                #expect(try status("hot-2") == "STATUS_B")

                // Fixed again: the error goes away.
                try Self.cash.replacing("STATUS_A", with: "STATUS_C").write(to: file, atomically: true, encoding: .utf8)
                #expect(try waitFor("hot-2", "STATUS_C"))
                #expect(!(try client.execute(HTTPRequest(method: "GET", path: "/__admin/health")).bodyText.contains("last_reload_errors")))
            }
        }
    }

    /// File write → new answer, measured (reported in docs/benchmarks.md by benchmarks/run too).
    @Test func reloadIsQuick() throws {
        try HotReloadTests.withScenarioFile { directory, file in
            let app = try GatewayTests.makeApplication { $0.scenarioPaths = [directory.path] }
            try TestTarget.live.run(app) { (client: TestClient) throws in
                try Self.cash.replacing("STATUS_A", with: "STATUS_Z").write(to: file, atomically: true, encoding: .utf8)
                var seen = false
                for _ in 0..<300 where !seen {  // the default 50 ms interval: well within 3 s
                    seen =
                        ShippedScenarioTests.field(
                            try client.execute(SignedRequest.payActionQuery(shopID: 124, requestID: "hot-2", buyerID: 1)), "action_status")
                        == "STATUS_Z"
                    if !seen { usleep(10_000) }
                }
                #expect(seen)
            }
        }
    }
}
