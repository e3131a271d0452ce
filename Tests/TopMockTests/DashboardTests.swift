import Foundation
import Testing
import TopMock
import TopMockHTTP
import TopMockProtocol
import TopMockTesting

/// The dashboard's server side: the page and its files with a strict CSP, the token through HTTP
/// Basic, the journal's call detail with the answer as sent, the id filters the page polls with.
/// The page itself runs in Chromium in Tests/Browser.
@Suite struct DashboardTests {
    static func get(_ client: TestClient, _ path: String, headers: [(String, String)] = []) throws -> TestResponse {
        var fields = HTTPHeaders()
        for (name, value) in headers { fields.add(name: name, value: value) }
        return try client.execute(HTTPRequest(method: "GET", target: path, headers: fields, body: []))
    }

    @Test func thePageAndItsFilesComeFromTheBinaryWithAStrictPolicy() throws {
        let app = try GatewayTests.makeApplication()
        try TestTarget.inProcess.run(app) { (client: TestClient) throws in
            let page = try Self.get(client, "/__admin/ui")
            #expect(page.status == 200 && page.headers["Content-Type"] == "text/html;charset=UTF-8")
            let policy = try #require(page.headers["Content-Security-Policy"])
            #expect(policy.contains("default-src 'none'") && policy.contains("script-src 'self'") && policy.contains("frame-ancestors 'none'"))
            #expect(!policy.contains("unsafe-inline") && !policy.contains("unsafe-eval"))
            #expect(page.headers["X-Content-Type-Options"] == "nosniff")
            // No inline code for the policy to refuse: scripts by src only, no style or on… attributes.
            let html = page.bodyText
            #expect(html.contains(#"<script src="/__admin/ui/app.js" defer></script>"#))
            #expect(html.components(separatedBy: "<script").count == 2 && !html.contains(" style=") && !html.contains(" onclick="))
            let script = try Self.get(client, "/__admin/ui/app.js")
            #expect(script.status == 200 && script.headers["Content-Type"] == "text/javascript;charset=UTF-8")
            #expect(script.bodyText == (try String(contentsOfFile: packageRoot + "/ui/app.js", encoding: .utf8)), "the binary serves ui/ as it is")
            #expect(try Self.get(client, "/__admin/ui/style.css").headers["Content-Type"] == "text/css;charset=UTF-8")
            #expect(try Self.get(client, "/__admin/ui/secrets.txt").status == 404)
            // A rebinding page's name is refused here as on every admin route.
            #expect(try Self.get(client, "/__admin/ui", headers: [("Host", "evil.example")]).status == 403)
        }
    }

    @Test func theTokenGuardsThePageAndABrowserSendsItAsBasic() throws {
        let app = try GatewayTests.makeApplication { $0.adminToken = "t0k3n" }
        try TestTarget.inProcess.run(app) { (client: TestClient) throws in
            let refused = try Self.get(client, "/__admin/ui")
            #expect(refused.status == 401 && refused.headers["WWW-Authenticate"]?.hasPrefix("Basic realm=") == true)
            func basic(_ credentials: String) -> [(String, String)] { [("Authorization", "Basic " + Data(credentials.utf8).base64EncodedString())] }
            #expect(try Self.get(client, "/__admin/ui", headers: basic("anyone:t0k3n")).status == 200)
            #expect(try Self.get(client, "/__admin/requests", headers: basic(":t0k3n")).status == 200)
            #expect(try Self.get(client, "/__admin/requests", headers: basic("t0k3n:wrong")).status == 401)
            #expect(try Self.get(client, "/__admin/requests", headers: [("Authorization", "Basic !!not-base64")]).status == 401)
            #expect(try Self.get(client, "/__admin/requests", headers: [("Authorization", "Bearer t0k3n")]).status == 200)
        }
    }

    @Test func aCallsDetailHasItsAnswerAsSentAndThePagesOwnCallsStayOut() throws {
        let app = try GatewayTests.makeApplication()
        try TestTarget.inProcess.run(app) { (client: TestClient) throws in
            let sent = try client.execute(SignedRequest.payActionQuery(shopID: 124, requestID: "cash-0001", buyerID: 123))
            let xml = try client.execute(SignedRequest.payActionQuery(shopID: 124, requestID: "cash-0001", buyerID: 123).setting("format", "xml"))
            let list = try AdminTests.admin(client, "GET", "/__admin/requests")
            let ids = ((list.json["requests"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? Int }
            #expect(ids.count == 2)
            let detail = try AdminTests.admin(client, "GET", "/__admin/requests/\(ids[0])")
            let answer = try #require(detail.json["answer"] as? [String: Any])
            #expect(answer["body"] as? String == sent.bodyText && answer["status"] as? Int == 200 && answer["masked"] as? Bool == false)
            #expect(detail.json["method"] as? String == "alibaba.pos.pay.action.query" && detail.json["outcome"] as? String == "found")
            let xmlAnswer = try AdminTests.admin(client, "GET", "/__admin/requests/\(ids[1])").json["answer"] as? [String: Any]
            #expect(xmlAnswer?["body"] as? String == xml.bodyText && (xmlAnswer?["content_type"] as? String)?.hasPrefix("text/xml") == true)
            #expect(try AdminTests.admin(client, "GET", "/__admin/requests/99").status == 404)
            #expect(try AdminTests.admin(client, "GET", "/__admin/requests/x").status == 404)
            // The ids the page polls and pages with.
            let after = try AdminTests.admin(client, "GET", "/__admin/requests?after_id=\(ids[0])")
            #expect(((after.json["requests"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? Int } == [ids[1]])
            let before = try AdminTests.admin(client, "GET", "/__admin/requests/count?before_id=\(ids[1])")
            #expect(before.json["count"] as? Int == 1)
            #expect(try AdminTests.admin(client, "GET", "/__admin/requests?after_id=-1").status == 400)
            // All of the above (the page's kind of calls) left the journal as it was.
            #expect(try AdminTests.admin(client, "GET", "/__admin/requests/count").json["count"] as? Int == 2)
        }
    }

    @Test func anAnswerNamingASecretFieldIsShownMasked() throws {
        let app = try GatewayTests.makeApplication()
        try TestTarget.inProcess.run(app) { (client: TestClient) throws in
            let stub = """
                stubs:
                  - method: taobao.card.get
                    response: {result: {channel_account: "6222000011112222", ok: true}}
                """
            #expect(try AdminTests.admin(client, "POST", "/__admin/scenarios?name=card", body: stub).status == 201)
            let call = SignedRequest.call(APIName(rawValue: "taobao.card.get"), business: [("card", "1")])
            #expect(try client.execute(call).bodyText.contains("6222000011112222"), "the app gets the stub's answer")
            let id = try #require(
                ((try AdminTests.admin(client, "GET", "/__admin/requests?method=taobao.card.get").json["requests"] as? [[String: Any]]) ?? []).first?[
                    "id"] as? Int)
            let answer = try AdminTests.admin(client, "GET", "/__admin/requests/\(id)").json["answer"] as? [String: Any]
            #expect(answer?["masked"] as? Bool == true && !((answer?["body"] as? String) ?? "6222000011112222").contains("6222000011112222"))
        }
    }
}
