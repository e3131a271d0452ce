import Foundation
import Testing
import TopMock
import TopMockHTTP
import TopMockProtocol
import TopMockTesting

@testable import TopMock

/// No web page can change or read topmock's state through the admin API (``BrowserGuard``), and
/// nothing a tool sends is refused: the helpers' calls, a signed SDK call with the real gateway's
/// `Host`, the healthcheck.
@Suite struct BrowserSafetyTests {
    static func request(
        _ method: String, _ target: String, host: String?, origin: String? = nil, contentType: String? = nil, body: String = ""
    ) -> HTTPRequest {
        var headers = HTTPHeaders()
        if let host { headers.add(name: "Host", value: host) }
        if let origin { headers.add(name: "Origin", value: origin) }
        if let contentType { headers.add(name: "Content-Type", value: contentType) }
        return HTTPRequest(method: method, target: target, headers: headers, body: Array(body.utf8))
    }

    static func code(_ response: TestResponse) -> Int? {
        ((try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any]).flatMap {
            ($0["error"] as? [String: Any])?["code"] as? Int
        }
    }

    /// Over a real socket, with the Host and Origin a browser would send.
    @Test func aRebindingOrCrossSitePageIsRefusedAndToolsAreNot() throws {
        let app = try GatewayTests.makeApplication { $0.allowedHosts = ["topmock"] }
        try TestTarget.live.run(app) { (client: TestClient) throws in
            // DNS rebinding: the page's own name in Host, reading the journal.
            let rebound = try client.execute(Self.request("GET", "/__admin/requests", host: "evil.example:8080"))
            #expect(rebound.status == 403 && Self.code(rebound) == 1016, "\(rebound.bodyText)")
            // The names topmock answers to, and one given with --allowed-host.
            for host in ["127.0.0.1:8080", "localhost:8080", "[::1]:8080", "app.localhost", "10.0.0.7:8080", "TopMock:8080"] {
                #expect(try client.execute(Self.request("GET", "/__admin/requests", host: host)).status == 200, "\(host)")
            }
            // A cross-site form post, and a text/plain fetch, at reset.
            let form = try client.execute(
                Self.request(
                    "POST", "/__admin/reset", host: "127.0.0.1:8080", origin: "http://evil.example",
                    contentType: "application/x-www-form-urlencoded", body: "namespace=12345678"))
            #expect(form.status == 403 && Self.code(form) == 1017)
            let plain = try client.execute(Self.request("POST", "/__admin/reset", host: "127.0.0.1:8080", contentType: "text/plain", body: "{}"))
            #expect(plain.status == 415 && Self.code(plain) == 1018)
            let upload = try client.execute(
                Self.request("POST", "/__admin/scenarios?name=page", host: "127.0.0.1:8080", contentType: "text/plain", body: "name: page\n"))
            #expect(upload.status == 415 && Self.code(upload) == 1018)
            // Topmock's own origin (its dashboard) may change state; tools send no Origin at all.
            let own = try client.execute(
                Self.request("POST", "/__admin/reset", host: "127.0.0.1:8080", origin: "http://127.0.0.1:8080", contentType: "application/json"))
            #expect(own.status == 200, "\(own.bodyText)")
            #expect(try client.execute(Self.request("POST", "/__admin/reset", host: "127.0.0.1:8080")).status == 200)
            let yaml = try client.execute(
                Self.request("POST", "/__admin/scenarios?name=tool", host: "localhost", contentType: "application/yaml", body: "name: tool\n"))
            #expect(yaml.status == 201, "\(yaml.bodyText)")
            // The gateway takes the real gateway's Host, as SDKs send it.
            var query = SignedRequest.payActionQuery(shopID: 124, requestID: "cash-0001", buyerID: 123).httpRequest()
            query.headers.add(name: "Host", value: "gw.api.taobao.com")
            let answer = try client.execute(query)
            #expect(answer.status == 200 && answer.bodyText.contains(#""action_status":"SUCCESS""#), "\(answer.bodyText)")
        }
    }

    @Test func hostNamesOriginsAndTypesAreReadAsBrowsersWriteThem() {
        let guard_ = BrowserGuard(allowedHosts: ["Compose-Service"])
        #expect(BrowserGuard.hostName(of: "[::1]:8080") == "[::1]" && BrowserGuard.hostName(of: "localhost:1") == "localhost")
        #expect(guard_.isAllowed(host: "compose-service") && guard_.isAllowed(host: "192.168.1.20") && guard_.isAllowed(host: "[fe80::1%25eth0]"))
        #expect(
            !guard_.isAllowed(host: "127.0.0.1.evil.example") && !guard_.isAllowed(host: "1.2.3") && !guard_.isAllowed(host: "evil.localhost.example")
        )
        #expect(BrowserGuard.isSameOrigin("http://localhost", host: "localhost:80"))
        #expect(BrowserGuard.isSameOrigin("HTTP://127.0.0.1:8080", host: "127.0.0.1:8080"))
        #expect(!BrowserGuard.isSameOrigin("http://127.0.0.1:3000", host: "127.0.0.1:8080"))
        #expect(!BrowserGuard.isSameOrigin("null", host: "127.0.0.1:8080") && !BrowserGuard.isSameOrigin("file://", host: "localhost"))
        #expect(!BrowserGuard.isSameOrigin("http://localhost:8080", host: nil))
        let json = Self.request("PUT", "/__admin/namespaces/n/clock", host: nil, contentType: "application/json; charset=utf-8", body: "{}")
        #expect(guard_.refusal(of: json, body: .json) == nil)
        let problem = Self.request("PUT", "/__admin/namespaces/n/clock", host: nil, contentType: "application/problem+json", body: "{}")
        #expect(guard_.refusal(of: problem, body: .json) == nil)
        let multipart = Self.request("POST", "/__admin/reset", host: nil, contentType: "multipart/form-data; boundary=x", body: "--x--")
        #expect(guard_.refusal(of: multipart, body: .json)?.code == 1018)
        #expect(guard_.refusal(of: Self.request("GET", "/__admin/health", host: "evil.example"), body: .json)?.code == 1016)
    }
}
