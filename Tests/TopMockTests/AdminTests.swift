import Dispatch
import Foundation
import Logging
import Testing
import TopMock
import TopMockHTTP
import TopMockLock
import TopMockProtocol
import TopMockScenarios
import TopMockTesting

/// The admin API, the journal, namespaces and virtual clocks, in-process and live.
@Suite struct AdminTests {
    static let targets: [TestTarget] = [.inProcess, .live]

    static func admin(
        _ client: TestClient, _ method: String, _ path: String, json: String? = nil, body: String? = nil,
        token: String? = nil
    ) throws -> (status: Int, json: [String: Any], text: String) {
        var headers = HTTPHeaders()
        var bytes: [UInt8] = []
        if let json {
            headers.add(name: "Content-Type", value: "application/json")
            bytes = Array(json.utf8)
        }
        if let body {
            headers.add(name: "Content-Type", value: "application/yaml")
            bytes = Array(body.utf8)
        }
        if let token { headers.add(name: "Authorization", value: "Bearer \(token)") }
        let response = try client.execute(HTTPRequest(method: method, target: path, headers: headers, body: bytes))
        let object = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
        return (response.status, object, response.bodyText)
    }

    static func query(
        _ id: String, buyer: Int64 = 123, app: String = "12345678", secret: String = "helloworld",
        namespace: String? = nil, nowMillis: Int64 = SystemWallClock().nowMillis()
    ) -> SignedRequest {
        var request = SignedRequest.payActionQuery(shopID: 124, requestID: id, buyerID: buyer, appKey: app, secret: secret, nowMillis: nowMillis)
        if let namespace { request.headers.add(name: "X-Topmock-Namespace", value: namespace) }
        return request
    }

    static func status(_ response: TestResponse) -> String? { ShippedScenarioTests.field(response, "action_status") }

    @Test(arguments: targets)
    func setsAdvancesAndReadsAnActionPerNamespace(target: TestTarget) throws {
        let app = try GatewayTests.makeApplication()
        try target.run(app) { (client: TestClient) throws in
            // The test decides when the customer pays.
            let put = try Self.admin(client, "PUT", "/__admin/namespaces/pos-a/actions/124/alipay-poll-0001", json: #"{"status":"SUCCESS"}"#)
            #expect(put.status == 200)
            #expect(put.json["status"] as? String == "SUCCESS")
            #expect(put.json["step"] as? Int == 1)
            #expect(Self.status(try client.execute(Self.query("alipay-poll-0001", namespace: "pos-a"))) == "SUCCESS")
            // Another namespace is untouched.
            #expect(Self.status(try client.execute(Self.query("alipay-poll-0001", namespace: "pos-b"))) == "PAYING")
            // A status no step has: an override with the given fields.
            let custom = try Self.admin(
                client, "PUT", "/__admin/namespaces/pos-b/actions/124/alipay-poll-0001",
                json: #"{"status":"REFUNDING","result_code":"R1"}"#)
            #expect(custom.json["set_by_admin"] as? Bool == true)
            let answer = try client.execute(Self.query("alipay-poll-0001", namespace: "pos-b"))
            #expect(Self.status(answer) == "REFUNDING" && ShippedScenarioTests.field(answer, "result_code") == "R1")
            // Advance moves on by one step and clears an override.
            let advanced = try Self.admin(client, "POST", "/__admin/namespaces/pos-b/actions/124/alipay-poll-0001/advance")
            #expect(advanced.json["status"] as? String == "SUCCESS" && advanced.json["set_by_admin"] as? Bool == false)
            let last = try Self.admin(client, "POST", "/__admin/namespaces/pos-b/actions/124/alipay-poll-0001/advance")
            #expect(last.status == 400 && (last.json["error"] as? [String: Any])?["code"] as? Int == 1006)
            let read = try Self.admin(client, "GET", "/__admin/namespaces/pos-b/actions/124/alipay-poll-0001")
            #expect(read.json["queries"] as? Int == 2 && read.json["channel"] as? String == "alipay")
            let missing = try Self.admin(client, "GET", "/__admin/namespaces/pos-b/actions/124/nope")
            #expect(missing.status == 404)
            #expect(missing.text == #"{"error":{"code":1005,"message":"no payment action with request_id 'nope' in shop 124"}}"#)
            let namespaces = try Self.admin(client, "GET", "/__admin/namespaces")
            #expect(namespaces.json["namespaces"] as? [String] == ["pos-a", "pos-b"])
        }
    }

    @Test func namespaceIsTheAppKeyByDefault() throws {
        let app = try GatewayTests.makeApplication { $0.apps["suite-2"] = AppCredentials(secret: "s2") }
        try TestTarget.inProcess.run(app) { (client: TestClient) throws in
            _ = try client.execute(Self.query("alipay-poll-0001", app: "suite-2", secret: "s2"))
            _ = try client.execute(Self.query("alipay-poll-0001", app: "suite-2", secret: "s2"))
            #expect(Self.status(try client.execute(Self.query("alipay-poll-0001", app: "suite-2", secret: "s2"))) == "SUCCESS")
            #expect(Self.status(try client.execute(Self.query("alipay-poll-0001"))) == "PAYING")  // namespace 12345678
            let entries = try Self.admin(client, "GET", "/__admin/requests?namespace=suite-2")
            #expect((entries.json["requests"] as? [[String: Any]])?.count == 3)
        }
    }

    /// A frozen, then advanced clock drives an `after: 30s` step and the timestamp window.
    @Test func virtualClockDrivesTimelinesAndTheTimestampWindow() throws {
        let app = try GatewayTests.makeApplication()
        try TestTarget.inProcess.run(app) { (client: TestClient) throws in
            let frozen = try Self.admin(client, "PUT", "/__admin/namespaces/t1/clock", json: #"{"freeze":"2026-01-15 18:00:00"}"#)
            #expect(frozen.json["mode"] as? String == "frozen" && frozen.json["now"] as? String == "2026-01-15 18:00:00")
            let at = try #require(frozen.json["now_millis"] as? Int)
            let call = Self.query("alipay-timeout-0001", namespace: "t1", nowMillis: Int64(at))
            #expect(Self.status(try client.execute(call)) == "PAYING")
            _ = try Self.admin(client, "PUT", "/__admin/namespaces/t1/clock", json: #"{"advance":"29s"}"#)
            #expect(Self.status(try client.execute(Self.query("alipay-timeout-0001", namespace: "t1", nowMillis: Int64(at) + 29_000))) == "PAYING")
            _ = try Self.admin(client, "PUT", "/__admin/namespaces/t1/clock", json: #"{"advance":"1s"}"#)
            #expect(Self.status(try client.execute(Self.query("alipay-timeout-0001", namespace: "t1", nowMillis: Int64(at) + 30_000))) == "CLOSED")
            // The timestamp window follows the namespace's clock: a real-time timestamp is now 10+ months off.
            #expect(try client.execute(Self.query("cash-0001", namespace: "t1")).bodyText.contains(#""code":31"#))
            let real = try Self.admin(client, "PUT", "/__admin/namespaces/t1/clock", json: #"{"real":true}"#)
            #expect(real.json["mode"] as? String == "real")
            #expect(try client.execute(Self.query("cash-0001", namespace: "t1")).bodyText.contains(#""channel_name":"cash""#))
            let bad = try Self.admin(client, "PUT", "/__admin/namespaces/t1/clock", json: #"{"advance":"soon"}"#)
            #expect(
                bad.text == #"{"error":{"code":1006,"message":"advance must be a duration such as 30s, 5m or -1h (at most a year), not 'soon'"}}"#)
        }
    }

    @Test(arguments: targets)
    func journalQueriesCountsClearsAndVerifies(target: TestTarget) throws {
        let app = try GatewayTests.makeApplication()
        try target.run(app) { (client: TestClient) throws in
            _ = try client.execute(Self.query("cash-0001", namespace: "j"))
            _ = try client.execute(Self.query("cash-0001", namespace: "j"))
            _ = try client.execute(Self.query("err-timeout-7", namespace: "j"))
            _ = try client.execute(Self.query("cash-0001", namespace: "j").signedWith(secret: "bad"))
            let all = try Self.admin(client, "GET", "/__admin/requests?namespace=j")
            let entries = try #require(all.json["requests"] as? [[String: Any]])
            #expect(entries.map { $0["outcome"] as? String } == ["found", "found", "error", "rejected"])
            #expect(entries[2]["error_sub_code"] as? String == "isp.top-remote-connection-timeout")
            #expect(entries[2]["rule"] as? String == "timeout")
            #expect(entries[2]["scenario"] as? String == packageRoot + "/scenarios/platform-errors.yaml")
            #expect(entries[0]["scenario"] as? String == packageRoot + "/scenarios/cash.yaml")
            let signature = try #require(entries[3]["signature"] as? [String: Any])
            #expect(signature["sign_method"] as? String == "md5")
            #expect((signature["signed"] as? String)?.hasPrefix("<secret>app_key12345678") == true)
            #expect(!all.text.contains("helloworld") && !all.text.contains("\"bad\""))
            #expect((entries[0]["parameters"] as? [String: String])?["shop_id"] == "124")

            #expect(try Self.admin(client, "GET", "/__admin/requests/count?namespace=j&request_id=cash-0001").json["count"] as? Int == 3)
            #expect(try Self.admin(client, "GET", "/__admin/requests/count?namespace=j&outcome=25").json["count"] as? Int == 1)
            #expect(try Self.admin(client, "GET", "/__admin/requests?namespace=j&limit=1").json["requests"].map { ($0 as? [Any])?.count } == 1)

            let ok = try Self.admin(
                client, "POST", "/__admin/requests/verify", json: #"{"namespace":"j","request_id":"cash-0001","outcome":"found","count":2}"#)
            #expect(ok.status == 200 && ok.text == #"{"matched":2}"#)
            let failed = try Self.admin(client, "POST", "/__admin/requests/verify", json: #"{"namespace":"j","request_id":"cash-0001","at_least":5}"#)
            #expect(failed.status == 409)
            #expect(
                (failed.json["error"] as? [String: Any])?["message"] as? String
                    == "expected at least 5 requests matching namespace=j, request_id=cash-0001, found 3")
            #expect((failed.json["recent"] as? [[String: Any]])?.count == 4)

            let cleared = try Self.admin(client, "DELETE", "/__admin/requests?namespace=j&outcome=rejected")
            #expect(cleared.json["removed"] as? Int == 1)
            #expect(try Self.admin(client, "GET", "/__admin/requests/count?namespace=j").json["count"] as? Int == 3)
        }
    }

    /// Near misses say why a call got the default answer.
    @Test func nearMissesNameTheClosestActionAndRule() throws {
        let app = try GatewayTests.makeApplication()
        try TestTarget.inProcess.run(app) { (client: TestClient) throws in
            _ = try client.execute(Self.query("cash-001", namespace: "n"))
            _ = try client.execute(Self.query("cash-0001", buyer: 999, namespace: "n"))
            _ = try client.execute(Self.query("err-timout-1", namespace: "n"))
            let entries = try #require(try Self.admin(client, "GET", "/__admin/requests?namespace=n").json["requests"] as? [[String: Any]])
            let rules = packageRoot + "/scenarios/platform-errors.yaml"
            #expect(
                entries[0]["near_miss"] as? String == "no payment action with request_id 'cash-001' in shop 124; nearest: 'cash-0001' in shop 124")
            #expect(entries[1]["near_miss"] as? String == "payment action 'cash-0001' in shop 124 belongs to buyer 123, not 999")
            #expect(
                entries[2]["near_miss"] as? String
                    == "no payment action with request_id 'err-timout-1' in shop 124; closest rule 'timeout' (\(rules):29:5): request_id starts with 'err-timeout-', got 'err-timout-1'"
            )
        }
    }

    @Test func journalStaysWithinItsBoundsAndCountsEvictions() throws {
        let app = try GatewayTests.makeApplication { $0.journal = RequestJournal.Limits(maxEntries: 5, maxBytes: 1 << 20) }
        try TestTarget.inProcess.run(app) { (client: TestClient) throws in
            for index in 0..<12 { _ = try client.execute(Self.query("cash-\(index)", namespace: "b")) }
            let listed = try Self.admin(client, "GET", "/__admin/requests")
            #expect((listed.json["requests"] as? [[String: Any]])?.compactMap { $0["request_id"] as? String } == (7..<12).map { "cash-\($0)" })
            #expect(listed.json["held"] as? Int == 5 && listed.json["evicted"] as? Int == 7)
        }
        let bytes = RequestJournal(limits: RequestJournal.Limits(maxEntries: 1000, maxBytes: 4096))
        for index in 0..<100 {
            bytes.record(
                JournalEntry(
                    id: 0, receivedAtMillis: 0, namespace: "x", remoteAddress: "", httpMethod: "POST",
                    parameters: [.init(name: "payment_action_request", value: String(repeating: "x", count: 500))],
                    outcome: .found, answerRequestID: "r\(index)", latencyMicros: 1))
        }
        let statistics = bytes.statistics
        #expect(statistics.bytes <= 4096 && statistics.entries < 10 && statistics.entries + statistics.evicted == 100)
    }

    /// Parallel test suites: 8 namespaces polling the same action at once, no cross-talk, no lost update.
    @Test func parallelNamespacesDoNotInterfere() throws {
        let app = try GatewayTests.makeApplication()
        try TestTarget.live.run(app) { (client: TestClient) throws in
            let paying = Locked<[String: Int]>([:])
            DispatchQueue.concurrentPerform(iterations: 8) { index in
                let namespace = "suite-\(index)"
                for _ in 0..<10 {
                    if let response = try? client.execute(Self.query("alipay-poll-0001", namespace: namespace)), Self.status(response) == "PAYING" {
                        paying.withLock { $0[namespace, default: 0] += 1 }
                    }
                }
            }
            #expect(paying.withLock { $0 } == Dictionary(uniqueKeysWithValues: (0..<8).map { ("suite-\($0)", 2) }))
            for index in 0..<8 {
                let action = try Self.admin(client, "GET", "/__admin/namespaces/suite-\(index)/actions/124/alipay-poll-0001")
                #expect(action.json["queries"] as? Int == 10)
            }
            // Resetting one namespace leaves the others alone.
            let clock = ContinuousClock()
            let start = clock.now
            let reset = try Self.admin(client, "POST", "/__admin/reset", json: #"{"namespace":"suite-0"}"#)
            #expect(clock.now - start < .seconds(1))
            #expect(reset.json["reset"] as? String == "suite-0")
            #expect(try Self.admin(client, "GET", "/__admin/requests/count?namespace=suite-0").json["count"] as? Int == 0)
            #expect(try Self.admin(client, "GET", "/__admin/requests/count?namespace=suite-1").json["count"] as? Int == 10)
            #expect(try Self.admin(client, "GET", "/__admin/namespaces/suite-0/actions/124/alipay-poll-0001").json["queries"] as? Int == 0)
            #expect(try Self.admin(client, "GET", "/__admin/namespaces/suite-1/actions/124/alipay-poll-0001").json["queries"] as? Int == 10)
        }
    }

    @Test func uploadsValidatesReplacesAndDeletesScenarios() throws {
        let app = try GatewayTests.makeApplication()
        try TestTarget.inProcess.run(app) { (client: TestClient) throws in
            let document =
                "shops: [{shop_id: 124, payment_orders: [{actions: [{request_id: up-1, buyer_id: 1, channel: wechat, status: SUCCESS}]}]}]\n"
            let created = try Self.admin(client, "POST", "/__admin/scenarios?name=my-test", body: document)
            #expect(created.status == 201 && created.json["replaced"] as? Bool == false)
            #expect(ShippedScenarioTests.field(try client.execute(Self.query("up-1", buyer: 1)), "channel_name") == "wechat")
            let replaced = try Self.admin(client, "POST", "/__admin/scenarios?name=my-test", body: document.replacing("wechat", with: "unionpay"))
            #expect(replaced.status == 200 && replaced.json["replaced"] as? Bool == true)
            #expect(ShippedScenarioTests.field(try client.execute(Self.query("up-1", buyer: 1)), "channel_name") == "unionpay")

            let broken = try Self.admin(client, "POST", "/__admin/scenarios?name=broken", body: "shops: [{shop_id: x}]\n")
            #expect(broken.status == 422)
            #expect(
                (broken.json["diagnostics"] as? [String])?.map { $0.prefix { $0 != "\n" } } == [
                    "upload:broken:1:9: error: a shop is missing the required key 'payment_orders'",
                    "upload:broken:1:19: error: 'shop_id' in a shop must be a whole number, found a string",
                ])
            let listed = try Self.admin(client, "GET", "/__admin/scenarios")
            #expect(listed.json["uploads"] as? [String] == ["my-test"])

            let traversal = try Self.admin(client, "POST", "/__admin/scenarios?name=../../etc/passwd", body: document)
            #expect(traversal.status == 400)
            #expect(try Self.admin(client, "DELETE", "/__admin/scenarios/my-test").status == 200)
            #expect(try Self.admin(client, "DELETE", "/__admin/scenarios/my-test").status == 404)
            #expect(try client.execute(Self.query("up-1", buyer: 1)).bodyText.contains("PAY_ACTION_NOT_FOUND"))
            #expect(try Self.admin(client, "POST", "/__admin/scenarios/reload").json["reloaded"] as? Bool == true)
        }
    }

    @Test func answersBadAdminCallsClearly() throws {
        let app = try GatewayTests.makeApplication()
        try TestTarget.inProcess.run(app) { (client: TestClient) throws in
            #expect(
                try Self.admin(client, "POST", "/__admin/requests/verify", json: "{not json").json["error"].map {
                    ($0 as? [String: Any])?["code"] as? Int
                } == 1003)
            #expect(
                try Self.admin(client, "PUT", "/__admin/namespaces/x/actions/124/cash-0001", json: #"{"status":7}"#).text
                    == #"{"error":{"code":1003,"message":"the body is not the JSON this route takes: status: Expected to decode String but found number instead."}}"#
            )
            #expect(
                try Self.admin(client, "DELETE", "/__admin/health").text
                    == #"{"error":{"code":1002,"message":"method 'DELETE' is not allowed here; use GET"}}"#)
            #expect(try Self.admin(client, "GET", "/__admin/nothing").status == 404)
            #expect(try Self.admin(client, "GET", "/__admin/requests?since=yesterday").status == 400)
        }
    }

    @Test func tokenGuardsEveryAdminRouteAndTheSwitchTurnsThemOff() throws {
        let guarded = try GatewayTests.makeApplication { $0.adminToken = "t0k3n" }
        try TestTarget.live.run(guarded) { (client: TestClient) throws in
            let refused = try Self.admin(client, "GET", "/__admin/health")
            #expect(refused.status == 401 && (refused.json["error"] as? [String: Any])?["code"] as? Int == 1007)
            #expect(try Self.admin(client, "GET", "/__admin/requests", token: "wrong").status == 401)
            #expect(try Self.admin(client, "GET", "/__admin/health", token: "t0k3n").status == 200)
            #expect(try Self.admin(client, "POST", "/__admin/reset", token: "t0k3n").status == 200)
            // /router/rest needs no token.
            #expect(try client.execute(Self.query("cash-0001")).status == 200)
        }
        let off = try GatewayTests.makeApplication { $0.adminEnabled = false }
        try TestTarget.inProcess.run(off) { (client: TestClient) throws in
            #expect(try Self.admin(client, "GET", "/__admin/health").status == 200)
            #expect(try Self.admin(client, "GET", "/__admin/requests").json["error"].map { ($0 as? [String: Any])?["code"] as? Int } == 1010)
        }
    }
}
