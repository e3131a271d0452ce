import Foundation
import Logging
import Testing
import TopMock
import TopMockHTTP
import TopMockProtocol
import TopMockTesting

/// One live test for every catalogue code the gateway itself produces; the rest of the catalogue
/// (injected by scenarios) is checked for its wire form.
@Suite struct CatalogueTests {
    static let base = SignedRequest.payActionQuery(shopID: 124, requestID: "cash-0001", buyerID: 123, nowMillis: SDKWireFormatTests.now)

    static let cases: [(Int, String, @Sendable (SignedRequest) -> HTTPRequest)] = [
        (
            9, #"{"code":9,"msg":"Http Action Not Allowed""#,
            {
                var r = $0.placed(.get).httpRequest()
                r.method = "PUT"
                return r
            }
        ),
        (21, #"{"code":21,"msg":"Missing method""#, { $0.removing("method").httpRequest() }),
        (22, #"{"code":22,"msg":"Invalid method""#, { $0.setting("method", "alibaba.pos.order.cancel").httpRequest() }),
        (23, #"<code>23</code><msg>Invalid format</msg>"#, { $0.setting("format", "yaml").httpRequest() }),
        (
            24, #"{"code":24,"msg":"Missing signature""#,
            {
                var r = $0.placed(.get).httpRequest()
                r.query = r.query.replacing(/&sign=[0-9A-F]+/, with: "")
                return r
            }
        ),
        (25, #"{"code":25,"msg":"Invalid signature""#, { $0.withSign("00000000000000000000000000000000").httpRequest() }),
        (26, #"{"code":26,"msg":"Missing session""#, { $0.setting("app_key", "sessions-app").signedWith(secret: "s").httpRequest() }),
        (
            27, #"{"code":27,"msg":"Invalid session","sub_code":"invalid-sessionkey","sub_msg":"SessionKey非法""#,
            { $0.setting("app_key", "sessions-app").setting("session", "stale").signedWith(secret: "s").httpRequest() }
        ),
        (28, #"{"code":28,"msg":"Missing app key""#, { $0.removing("app_key").httpRequest() }),
        (29, #"{"code":29,"msg":"Invalid app Key","sub_code":"isv.appkey-not-exists""#, { $0.setting("app_key", "1").httpRequest() }),
        (30, #"{"code":30,"msg":"Missing timestamp""#, { $0.removing("timestamp").httpRequest() }),
        (31, #"{"code":31,"msg":"Invalid timestamp""#, { $0.setting("timestamp", "2026-13-01 00:00:00").httpRequest() }),
        (32, #"{"code":32,"msg":"Missing version""#, { $0.removing("v").httpRequest() }),
        (33, #"{"code":33,"msg":"Invalid version""#, { $0.setting("v", "v2").httpRequest() }),
        (34, #"{"code":34,"msg":"Unsupported version""#, { $0.setting("v", "1.0").httpRequest() }),
        (40, #"{"code":40,"msg":"Missing required arguments:shop_id""#, { $0.removing("shop_id").httpRequest() }),
        (41, #"{"code":41,"msg":"Invalid arguments:payment_action_request""#, { $0.setting("payment_action_request", "[]").httpRequest() }),
        (
            43, #"{"code":43,"msg":"Parameter Error","sub_code":"isv.invalid-parameter:sign_method""#,
            { $0.setting("sign_method", "sha1").httpRequest() }
        ),
        (
            47, #"{"code":47,"msg":"Invalid encoding""#,
            {
                var r = $0.placed(.get).httpRequest()
                r.query += "&note=%FF%FE"
                return r
            }
        ),
    ]

    @Test(arguments: cases.map(\.0))
    func gatewayProducesCode(code: Int) throws {
        let (_, expected, make) = try #require(Self.cases.first { $0.0 == code })
        let app = try GatewayTests.makeApplication(clock: ManualWallClock(millis: SDKWireFormatTests.now)) {
            $0.apps["sessions-app"] = AppCredentials(secret: "s", sessions: ["live"])
        }
        try TestTarget.live.run(app) { (client: TestClient) throws in
            let response = try client.execute(make(Self.base))
            #expect(response.status == 200)
            #expect(response.bodyText.contains(expected), "\(response.bodyText)")
        }
    }

    /// Every named catalogue entry renders as TOP does: numeric code, msg, optional sub fields.
    @Test(arguments: TOPError.allNames)
    func catalogueEntryRenders(name: String) throws {
        let error = try #require(TOPError.named(name, banSeconds: 31062))
        let json = String(decoding: EnvelopeEncoder.failure(error, requestID: "r", format: .json), as: UTF8.self)
        var expected = #"{"error_response":{"code":\#(error.code),"msg":"\#(error.msg)""#
        if let subCode = error.subCode { expected += #","sub_code":"\#(subCode)""# }
        if let subMsg = error.subMsg { expected += #","sub_msg":"\#(subMsg)""# }
        #expect(json == expected + #","request_id":"r"}}"#)
        #expect(error.code > 0 && !error.msg.isEmpty)
    }

    @Test func flowControlErrorsCarryTheBan() {
        #expect(
            TOPError.named("app_call_limited", banSeconds: 31062)
                == TOPError(
                    code: 7, msg: "App Call Limited", subCode: "accesscontrol.limited-by-app-access-count",
                    subMsg: "This ban will last for 31062 more seconds"))
        #expect(TOPError.named("isp.top-remote-connection-timeout")?.code == 15)
        #expect(TOPError.named("no-such-error") == nil)
    }
}
