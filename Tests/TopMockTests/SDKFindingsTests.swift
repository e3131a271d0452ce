import Foundation
import Testing
import TopMock
import TopMockHTTP
import TopMockProtocol
import TopMockScenarios
import TopMockTesting

/// What running the official Java, PHP and Node SDKs against topmock found (docs/clients.md), one
/// test each where topmock itself had to change.
@Suite struct SDKFindingsTests {
    static func field(_ response: TestResponse, _ name: String) -> String? { ShippedScenarioTests.field(response, name) }

    /// A timestamp refused with 31: the header is ASCII (`+/-`, not `±`), and a whole number of
    /// hours off names the likely cause, local time sent instead of GMT+8.
    @Test(arguments: [TestTarget.inProcess, .live])
    func theCode31HeaderIsASCIIAndNamesLocalTime(target: TestTarget) throws {
        let now = SystemWallClock().nowMillis()
        let app = try GatewayTests.makeApplication { $0.gateway.timestamp.zone = .gmt8 }
        try target.run(app) { (client: TestClient) throws in
            // A client in UTC sends its own wall clock: read as GMT+8 it is 8 hours behind.
            let utc = TimestampPolicy.format(epochMillis: now + 70_000, offsetSeconds: 0)
            let answer = try client.execute(AdminTests.query("cash-0001").setting("timestamp", utc))
            #expect(Self.field(answer, "code") == "31", "\(answer.bodyText)")
            let header = try #require(answer.headers["X-Topmock-Diagnostic"])
            #expect(header.utf8.allSatisfy { $0 < 0x80 }, "\(header)")
            #expect(
                header
                    == "timestamp '\(utc)' is not yyyy-MM-dd HH:mm:ss or 13-digit epoch ms within +/-600 s of the server clock (zone mode gmt8); "
                    + "read as GMT+8 it is 8 h behind the server clock: likely cause: the client sent its local time (UTC+00:00) instead of "
                    + "GMT+8 (set its time zone to Asia/Shanghai, or run topmock with --timestamp-zone any)")
            // Tokyo's wall clock is an hour ahead; a timestamp 37 minutes off names no cause.
            let tokyo = TimestampPolicy.format(epochMillis: now, offsetSeconds: 9 * 3600)
            let ahead = try #require(try client.execute(AdminTests.query("cash-0001").setting("timestamp", tokyo)).headers["X-Topmock-Diagnostic"])
            #expect(ahead.contains("1 h ahead of the server clock") && ahead.contains("(UTC+09:00)"), "\(ahead)")
            let odd = TimestampPolicy.format(epochMillis: now + 37 * 60_000)
            let oddHeader = try #require(try client.execute(AdminTests.query("cash-0001").setting("timestamp", odd)).headers["X-Topmock-Diagnostic"])
            #expect(oddHeader.hasSuffix("(zone mode gmt8)"), "\(oddHeader)")
        }
    }

    /// `PUT …/actions/{shop}/{id}` with a status answers `set_by_admin: true`, also when the status
    /// is a step of the action's timeline (the created Alipay action's `SUCCESS`); a query that
    /// advances the action by its timeline clears it.
    @Test func setByAdminIsTrueWhateverStepTheStatusMovedTo() throws {
        let app = try GatewayTests.makeApplication()
        try TestTarget.inProcess.run(app) { (client: TestClient) throws in
            let paid = try client.execute(CheckoutTests.pay("sba-1", checkout: "sba", channel: "alipay_facepay_v2", namespace: "sba"))
            #expect(Self.field(paid, "action_status") == "PAYING")
            let set = try AdminTests.admin(client, "PUT", "/__admin/namespaces/sba/actions/124/sba-1", json: #"{"status":"SUCCESS"}"#)
            #expect(set.json["status"] as? String == "SUCCESS" && set.json["step"] as? Int == 1, "\(set.text)")
            #expect(set.json["set_by_admin"] as? Bool == true, "\(set.text)")
            let back = try AdminTests.admin(client, "PUT", "/__admin/namespaces/sba/actions/124/sba-1", json: #"{"status":"PAYING"}"#)
            #expect(back.json["step"] as? Int == 0 && back.json["set_by_admin"] as? Bool == true, "\(back.text)")
            for _ in 0..<3 { _ = try client.execute(CheckoutTests.action("sba-1", namespace: "sba")) }
            let advanced = try AdminTests.admin(client, "GET", "/__admin/namespaces/sba/actions/124/sba-1")
            #expect(advanced.json["step"] as? Int == 1 && advanced.json["set_by_admin"] as? Bool == false, "\(advanced.text)")
        }
    }

    /// The most specific profile wins, whatever the load order: `pay_channel: cash` with
    /// `payment_channel: 1006` is cash (pay_channel ranks above payment_channel); a pay code
    /// beats pay_channel; more conditions beat fewer.
    @Test func theMostSpecificChannelProfileWins() throws {
        let app = try GatewayTests.makeApplication()
        try TestTarget.inProcess.run(app) { (client: TestClient) throws in
            func channel(_ id: String, _ extra: String) throws -> String? {
                let body = #"{"request_id":"\#(id)","checkout_id":"prof-\#(id)","pay_fee":100,"buyer_id":1,\#(extra)}"#
                var request = SignedRequest.orderPay(shopID: 124, payRequest: body)
                request.headers.add(name: "X-Topmock-Namespace", value: "profiles")
                let answer = try client.execute(request)
                return Self.field(answer, "channel_name").map { "\($0) \(Self.field(answer, "result_code") ?? "-")" }
                    ?? Self.field(answer, "msg_code")
            }
            #expect(try channel("p1", #""pay_channel":"cash","payment_channel":1006"#) == "cash SUCCESS")
            #expect(try channel("p2", #""payment_channel":1006"#) == "alipay WAIT_BUYER_PAY")
            #expect(
                try channel("p3", #""pay_channel":"alipay_facepay_v2","channel_account":"281100001111""#) == "alipay ACQ.BUYER_BALANCE_NOT_ENOUGH")
        }
        // Independent of load order: the same profiles in either order choose the same one.
        let cash = ChannelProfile(
            name: "cash", alternatives: [[ChannelProfile.Condition(field: .payChannel, matcher: .equals("cash"))]],
            shape: ActionShape(channel: "cash", initial: .init(status: .success)),
            source: SourceLocation(path: "a.yaml", line: 1, column: 1))
        let alipay = ChannelProfile(
            name: "alipay",
            alternatives: [
                [ChannelProfile.Condition(field: .payChannel, matcher: .equals("alipay_facepay_v2"))],
                [ChannelProfile.Condition(field: .paymentChannel, matcher: .equals("1006"))],
            ],
            shape: ActionShape(channel: "alipay", initial: .init(status: .paying)), source: SourceLocation(path: "b.yaml", line: 1, column: 1))
        let both = try OrderPayRequest(
            parameters: TOPParameters([
                ("shop_id", "1"), ("pay_request", #"{"request_id":"r","checkout_id":"c","pay_channel":"cash","payment_channel":1006}"#),
            ]))
        #expect(ChannelProfile.choose(among: [alipay, cash], for: both)?.name == "cash")
        #expect(ChannelProfile.choose(among: [cash, alipay], for: both)?.name == "cash")
        let catchAll = ChannelProfile(
            name: "any", alternatives: [[]], shape: ActionShape(channel: "any", initial: .init(status: .success)),
            source: SourceLocation(path: "c.yaml", line: 1, column: 1))
        #expect(ChannelProfile.choose(among: [catchAll, alipay], for: both)?.name == "alipay")
    }
}
