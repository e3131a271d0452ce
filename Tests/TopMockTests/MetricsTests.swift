import Foundation
import Testing
import TopMock
import TopMockHTTP
import TopMockProtocol
import TopMockTesting

/// `GET /metrics`: what a Prometheus scrape sees after known traffic.
@Suite struct MetricsTests {
    static func scrape(_ client: TestClient, token: String? = nil) throws -> (status: Int, lines: [String], contentType: String?) {
        var headers = HTTPHeaders()
        if let token { headers.add(name: "Authorization", value: "Bearer \(token)") }
        let response = try client.execute(HTTPRequest(method: "GET", target: "/metrics", headers: headers))
        return (response.status, response.bodyText.split(separator: "\n").map(String.init), response.headers["Content-Type"])
    }

    /// The value of the sample whose name and labels are exactly `series`.
    static func value(_ lines: [String], _ series: String) -> Double? {
        lines.first { $0.hasPrefix(series + " ") }.flatMap { Double($0.dropFirst(series.count + 1)) }
    }

    @Test(arguments: [TestTarget.inProcess, .live])
    func countsRequestsByMethodOutcomeResultAndNamespace(target: TestTarget) throws {
        let app = try GatewayTests.makeApplication()
        try target.run(app) { (client: TestClient) throws in
            for _ in 0..<3 { _ = try client.execute(AdminTests.query("cash-0001")) }
            _ = try client.execute(AdminTests.query("nowhere-1", namespace: "suite-9"))
            _ = try client.execute(AdminTests.query("cash-0001", secret: "wrong"))
            _ = try client.execute(AdminTests.query("malformed-0001"))
            _ = try client.execute(HTTPRequest(method: "GET", target: "/router/rest?method=made.up"))
            _ = try client.execute(HTTPRequest(method: "GET", target: "/router/rest"))

            let scrape = try Self.scrape(client)
            #expect(scrape.status == 200)
            #expect(scrape.contentType == "text/plain; version=0.0.4; charset=utf-8")
            let lines = scrape.lines
            let api = "alibaba.pos.pay.action.query"
            #expect(Self.value(lines, #"topmock_requests_total{method="\#(api)",outcome="found",result="SUCCESS",namespace="12345678"}"#) == 3)
            #expect(
                Self.value(lines, #"topmock_requests_total{method="\#(api)",outcome="not_found",result="business_failure",namespace="suite-9"}"#) == 1
            )
            #expect(Self.value(lines, #"topmock_requests_total{method="\#(api)",outcome="rejected",result="25",namespace="12345678"}"#) == 1)
            #expect(Self.value(lines, #"topmock_requests_total{method="\#(api)",outcome="fault",result="malformed_body",namespace="12345678"}"#) == 1)
            // Methods a client makes up do not become label values.
            #expect(Self.value(lines, #"topmock_requests_total{method="other",outcome="rejected",result="28",namespace="default"}"#) == 1)
            #expect(Self.value(lines, #"topmock_requests_total{method="none",outcome="rejected",result="21",namespace="default"}"#) == 1)
            #expect(!lines.contains { $0.contains("made.up") })
            #expect(lines.contains("# TYPE topmock_request_duration_seconds histogram"))
            #expect(Self.value(lines, #"topmock_request_duration_seconds_count{method="\#(api)"}"#) == 6)
            #expect(Self.value(lines, #"topmock_request_duration_seconds_bucket{method="\#(api)",le="+Inf"}"#) == 6)
            #expect(Self.value(lines, "topmock_journal_entries") == 8)
            #expect((Self.value(lines, "topmock_journal_bytes") ?? 0) > 0)
            #expect(Self.value(lines, "topmock_journal_evictions_total") == 0)
            #expect(Self.value(lines, #"topmock_scenario_reloads_total{result="success"}"#) == 0)
            #expect(Self.value(lines, #"topmock_scenario_reloads_total{result="failure"}"#) == 0)
        }
    }

    @Test func journalEvictionsAreCounted() throws {
        let app = try GatewayTests.makeApplication { $0.journal.maxEntries = 2 }
        try TestTarget.inProcess.run(app) { (client: TestClient) throws in
            for _ in 0..<5 { _ = try client.execute(AdminTests.query("cash-0001")) }
            #expect(Self.value(try Self.scrape(client).lines, "topmock_journal_evictions_total") == 3)
            _ = try client.execute(AdminTests.query("cash-0001"))
            // A second scrape adds only what was evicted since the first.
            #expect(Self.value(try Self.scrape(client).lines, "topmock_journal_evictions_total") == 4)
            #expect(Self.value(try Self.scrape(client).lines, "topmock_journal_entries") == 2)
        }
    }

    @Test func reloadsAndFailedReloadsAreCounted() throws {
        try HotReloadTests.withScenarioFile { directory, file in
            let app = try GatewayTests.makeApplication { $0.scenarioPaths = [directory.path] }
            try TestTarget.inProcess.run(app) { (client: TestClient) throws in
                #expect(try AdminTests.admin(client, "POST", "/__admin/scenarios/reload").status == 200)
                try "shops: [\n".write(to: file, atomically: true, encoding: .utf8)
                #expect(try AdminTests.admin(client, "POST", "/__admin/scenarios/reload").status != 200)
                #expect(try AdminTests.admin(client, "POST", "/__admin/scenarios/reload").status != 200)
                let lines = try Self.scrape(client).lines
                #expect(Self.value(lines, #"topmock_scenario_reloads_total{result="success"}"#) == 1)
                #expect(Self.value(lines, #"topmock_scenario_reloads_total{result="failure"}"#) == 2)
            }
        }
    }

    @Test func namespacesPastTheLimitShareOneLabel() throws {
        let app = try GatewayTests.makeApplication()
        try TestTarget.inProcess.run(app) { (client: TestClient) throws in
            for index in 0..<105 { _ = try client.execute(AdminTests.query("cash-0001", namespace: "ns-\(index)")) }
            let lines = try Self.scrape(client).lines.filter { $0.hasPrefix("topmock_requests_total{") }
            // 100 namespaces of their own, the other 5 under `_other`.
            #expect(lines.count == 101)
            let other = #"topmock_requests_total{method="alibaba.pos.pay.action.query",outcome="found",result="SUCCESS",namespace="_other"}"#
            #expect(Self.value(lines, other) == 5)
        }
    }

    @Test func metricsFollowTheAdminSwitchAndToken() throws {
        let guarded = try GatewayTests.makeApplication { $0.adminToken = "t0k3n" }
        try TestTarget.inProcess.run(guarded) { (client: TestClient) throws in
            #expect(try Self.scrape(client).status == 401)
            #expect(try Self.scrape(client, token: "t0k3n").status == 200)
        }
        let off = try GatewayTests.makeApplication { $0.adminEnabled = false }
        try TestTarget.inProcess.run(off) { (client: TestClient) throws in
            #expect(try Self.scrape(client).status == 404)
        }
    }
}
