import Foundation
import Logging
import Testing
import TopMock
import TopMockHTTP
import TopMockProtocol
import TopMockScenarios
import TopMockTesting

/// The gateway end to end, each test both in-process and live (real libmicrohttpd, port 0).
@Suite struct GatewayTests {
    static let targets: [TestTarget] = [.inProcess, .live]

    static func makeApplication(
        clock: any WallClock = SystemWallClock(), scheduler: any DelayScheduler = DispatchDelayScheduler(),
        configure: (inout Configuration) -> Void = { _ in }
    ) throws -> TopMockApplication {
        var configuration = Configuration()
        configuration.http.port = 0
        configuration.scenarioPaths = [packageRoot + "/scenarios"]
        configure(&configuration)
        return try TopMockApplication(
            configuration: configuration, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }), clock: clock,
            scheduler: scheduler)
    }

    /// The body with its request_id checked (12–13 base-36 characters) and replaced by `RID`.
    static func normalized(_ response: TestResponse) -> String {
        var text = response.bodyText
        for (open, close) in [(#""request_id":""#, "\""), ("<request_id>", "</request_id>")] {
            guard let start = text.range(of: open), let end = text.range(of: close, range: start.upperBound..<text.endIndex) else { continue }
            let id = text[start.upperBound..<end.lowerBound]
            #expect((12...13).contains(id.count) && id.allSatisfy { $0.isNumber || ($0 >= "a" && $0 <= "z") }, "request_id \(id)")
            text.replaceSubrange(start.upperBound..<end.lowerBound, with: "RID")
        }
        return text
    }

    static let cashJSON =
        #"{"alibaba_pos_pay_action_query_response":{"result":{"model":{"result_code":"SUCCESS","result_message":"现金支付成功","channel_name":"cash","action_status":"SUCCESS","success":true},"success":true},"request_id":"RID"}}"#

    @Test(arguments: targets, [SignedRequest.Placement.get, .javaSDK, .formBody, .javaMultipart, .nodeMultipart])
    func answersCashQueryFromEverySDKWireFormat(target: TestTarget, placement: SignedRequest.Placement) throws {
        let app = try Self.makeApplication()
        try target.run(app) { (client: TestClient) throws in
            for method in SignMethod.allCases {
                let request = SignedRequest.payActionQuery(shopID: 124, requestID: "cash-0001", buyerID: 123, signMethod: method)
                let response = try client.execute(request.placed(placement))
                #expect(response.status == 200)
                #expect(response.headers["Content-Type"] == "application/json;charset=UTF-8")
                #expect(Self.normalized(response) == Self.cashJSON, "\(placement) \(method)")
            }
        }
    }

    /// .NET: everything in a urlencoded body, hmac, no format parameter → XML.
    @Test(arguments: targets)
    func defaultsToXMLWithPrologue(target: TestTarget) throws {
        let app = try Self.makeApplication()
        try target.run(app) { (client: TestClient) throws in
            let request = SignedRequest.payActionQuery(shopID: 124, requestID: "split-0001-alipay", buyerID: 456, format: nil, signMethod: .hmac)
            let response = try client.execute(request.placed(.formBody))
            #expect(response.headers["Content-Type"] == "text/xml;charset=UTF-8")
            #expect(
                Self.normalized(response) == """
                    <?xml version="1.0" encoding="utf-8" ?>
                    <alibaba_pos_pay_action_query_response><result><model><result_code>SUCCESS</result_code><result_message>支付宝支付成功</result_message><channel_name>alipay</channel_name><action_status>SUCCESS</action_status><success>true</success></model><success>true</success></result><request_id>RID</request_id></alibaba_pos_pay_action_query_response>
                    """)
        }
    }

    @Test(arguments: targets)
    func simplifyDropsTheRootKey(target: TestTarget) throws {
        let app = try Self.makeApplication()
        try target.run(app) { (client: TestClient) throws in
            let request = SignedRequest.payActionQuery(shopID: 124, requestID: "alipay-failed-0001", buyerID: 789, signMethod: .hmacSHA256)
                .setting("simplify", "true")
            let response = try client.execute(request)
            #expect(
                Self.normalized(response)
                    == #"{"result":{"model":{"result_code":"ACQ.BUYER_BALANCE_NOT_ENOUGH","result_message":"买家余额不足","channel_name":"alipay","action_status":"FAILED","success":true},"success":true},"request_id":"RID"}"#
            )
        }
    }

    @Test(arguments: targets)
    func unknownActionIsABusinessNotFound(target: TestTarget) throws {
        let app = try Self.makeApplication()
        try target.run(app) { (client: TestClient) throws in
            let json = try client.execute(SignedRequest.payActionQuery(shopID: 124, requestID: "nope", buyerID: 123))
            #expect(
                Self.normalized(json)
                    == #"{"alibaba_pos_pay_action_query_response":{"result":{"msg_code":"PAY_ACTION_NOT_FOUND","msg_info":"no payment action with request_id 'nope' in shop 124","success":false},"request_id":"RID"}}"#
            )
            let xml = try client.execute(SignedRequest.payActionQuery(shopID: 124, requestID: "cash-0001", buyerID: 999, format: .xml).placed(.get))
            #expect(
                Self.normalized(xml) == """
                    <?xml version="1.0" encoding="utf-8" ?>
                    <alibaba_pos_pay_action_query_response><result><msg_code>BUYER_ID_MISMATCH</msg_code><msg_info>payment action 'cash-0001' belongs to another buyer than 999</msg_info><success>false</success></result><request_id>RID</request_id></alibaba_pos_pay_action_query_response>
                    """)
        }
    }

    @Test(arguments: targets)
    func badSignatureIsCode25WithADiagnosticHeader(target: TestTarget) throws {
        let app = try Self.makeApplication()
        try target.run(app) { (client: TestClient) throws in
            let request = SignedRequest.payActionQuery(shopID: 124, requestID: "cash-0001", buyerID: 123).signedWith(secret: "wrong")
            let json = try client.execute(request.placed(.nodeMultipart))
            #expect(json.status == 200)
            #expect(Self.normalized(json) == #"{"error_response":{"code":25,"msg":"Invalid signature","request_id":"RID"}}"#)
            let diagnostic = try #require(json.headers["X-Topmock-Diagnostic"])
            #expect(diagnostic.hasPrefix("signature mismatch (md5): expected "))
            #expect(
                diagnostic.hasSuffix("; likely cause: wrong secret, or a parameter was signed but not sent, or a value differs from what was signed"))
            #expect(!diagnostic.contains("helloworld"))
            let xml = try client.execute(request.setting("format", "xml").placed(.javaSDK))
            #expect(
                Self.normalized(xml) == """
                    <?xml version="1.0" encoding="utf-8" ?>
                    <error_response><code>25</code><msg>Invalid signature</msg><request_id>RID</request_id></error_response>
                    """)
        }
    }

    @Test(arguments: targets)
    func rejectsWhatTheRealGatewayRejects(target: TestTarget) throws {
        let app = try Self.makeApplication()
        let base = SignedRequest.payActionQuery(shopID: 124, requestID: "cash-0001", buyerID: 123)
        let cases: [(SignedRequest, String)] = [
            (base.removing("method"), #"{"error_response":{"code":21,"msg":"Missing method","request_id":"RID"}}"#),
            (
                base.setting("app_key", "nobody"),
                #"{"error_response":{"code":29,"msg":"Invalid app Key","sub_code":"isv.appkey-not-exists","request_id":"RID"}}"#
            ),
            (base.setting("timestamp", "2001-01-01 00:00:00"), #"{"error_response":{"code":31,"msg":"Invalid timestamp","request_id":"RID"}}"#),
            (base.setting("v", "3.0"), #"{"error_response":{"code":34,"msg":"Unsupported version","request_id":"RID"}}"#),
            (base.setting("method", "taobao.trade.get"), #"{"error_response":{"code":22,"msg":"Invalid method","request_id":"RID"}}"#),
            (base.setting("shop_id", "abc"), #"{"error_response":{"code":41,"msg":"Invalid arguments:shop_id","request_id":"RID"}}"#),
            (
                base.removing("payment_action_request"),
                #"{"error_response":{"code":40,"msg":"Missing required arguments:payment_action_request","request_id":"RID"}}"#
            ),
        ]
        try target.run(app) { (client: TestClient) throws in
            for (request, expected) in cases {
                let response = try client.execute(request)
                #expect(Self.normalized(response) == expected)
                #expect(response.headers["X-Topmock-Diagnostic"] != nil)
            }
        }
    }

    @Test(arguments: targets)
    func otherHTTPMethodsAreCode9AndOtherPathsAre404(target: TestTarget) throws {
        let app = try Self.makeApplication()
        try target.run(app) { (client: TestClient) throws in
            let delete = try client.execute(HTTPRequest(method: "DELETE", path: "/router/rest", query: "format=json"))
            #expect(Self.normalized(delete) == #"{"error_response":{"code":9,"msg":"Http Action Not Allowed","request_id":"RID"}}"#)
            let missing = try client.execute(HTTPRequest(method: "GET", path: "/router/rest2"))
            #expect(missing.status == 404)
            #expect(
                missing.bodyText
                    == #"{"error":{"code":1001,"message":"no route for '/router/rest2'; TOP calls go to /router/rest, admin calls under /__admin/"}}"#
            )
        }
    }

    @Test(arguments: targets)
    func brokenMultipartIsAParameterError(target: TestTarget) throws {
        let app = try Self.makeApplication()
        try target.run(app) { (client: TestClient) throws in
            let request = HTTPRequest(
                method: "POST", path: "/router/rest", query: "format=json",
                headers: ["Content-Type": "multipart/form-data; boundary=abc"], body: Array("--abc\r\nno end".utf8))
            let response = try client.execute(request)
            #expect(
                Self.normalized(response)
                    == #"{"error_response":{"code":43,"msg":"Parameter Error","sub_code":"isv.invalid-parameter","sub_msg":"malformed multipart body","request_id":"RID"}}"#
            )
            #expect(response.headers["X-Topmock-Diagnostic"] == "multipart part 1 has no end to its headers")
        }
    }

    @Test(arguments: targets)
    func healthReportsWhatIsLoaded(target: TestTarget) throws {
        let app = try Self.makeApplication()
        try target.run(app) { (client: TestClient) throws in
            let response = try client.execute(HTTPRequest(method: "GET", path: "/__admin/health"))
            #expect(response.status == 200)
            let set = ScenarioLoader.load(paths: [packageRoot + "/scenarios"]).set
            // Keys sorted, slashes as they are.
            #expect(
                response.bodyText.hasPrefix(
                    #"{"apps":1,"scenarios":{"actions":\#(set.actions.count),"failed_reloads":0,"files":\#(set.files.count),"loaded":[{"actions":"#))
            #expect(
                response.bodyText.hasSuffix(
                    #""reloads":0,"rules":\#(set.rules.count),"stubs":\#(set.stubs.count)},"status":"ok","version":"\#(TopMockVersion.current)"}"#))
            #expect(response.bodyText.contains(#""path":"\#(packageRoot)/scenarios/cash.yaml""#))
        }
    }

    /// The official Python SDK: epoch-ms timestamp and partner_id in the query string; the window
    /// is judged against the injected clock.
    @Test func acceptsEpochMillisAgainstTheInjectedClock() throws {
        let clock = ManualWallClock(millis: 1_451_620_800_000)
        let app = try Self.makeApplication(clock: clock)
        let request = SignedRequest.payActionQuery(shopID: 124, requestID: "cash-0001", buyerID: 123, nowMillis: clock.nowMillis())
            .setting("timestamp", "1451620800000").setting("partner_id", "taobao-sdk-python-20160516")
        try TestTarget.inProcess.run(app) { (client: TestClient) throws in
            #expect(Self.normalized(try client.execute(request)) == Self.cashJSON)
            clock.advance(byMillis: 600_001)
            #expect(try client.execute(request).bodyText.contains(#""code":31"#))
        }
    }

    @Test func appsFromTheCommandLineAndFilesAreAccepted() throws {
        let app = try Self.makeApplication {
            $0.apps = ["4272": AppCredentials(secret: "cli-secret")]
            $0.defaultAppEnabled = false
        }
        try TestTarget.inProcess.run(app) { (client: TestClient) throws in
            let request = SignedRequest.payActionQuery(shopID: 124, requestID: "cash-0001", buyerID: 123, appKey: "4272", secret: "cli-secret")
            #expect(Self.normalized(try client.execute(request)) == Self.cashJSON)
            let builtIn = SignedRequest.payActionQuery(shopID: 124, requestID: "cash-0001", buyerID: 123)
            #expect(try client.execute(builtIn).bodyText.contains(#""code":29"#))
        }
    }

    @Test func refusesToStartOnInvalidScenarios() {
        #expect(throws: StartupError.self) {
            try Self.makeApplication { $0.scenarioPaths = ["/nonexistent/topmock-scenarios"] }
        }
    }

    @Test func refusesOversizeBodiesLive() throws {
        let app = try Self.makeApplication { $0.http.maxBodyBytes = 2048 }
        try TestTarget.live.run(app) { (client: TestClient) throws in
            let request = SignedRequest.payActionQuery(shopID: 124, requestID: String(repeating: "x", count: 4096), buyerID: 123)
            #expect(try client.execute(request).status == 413)
            #expect(
                Self.normalized(try client.execute(SignedRequest.payActionQuery(shopID: 124, requestID: "cash-0001", buyerID: 123))) == Self.cashJSON)
        }
    }
}
