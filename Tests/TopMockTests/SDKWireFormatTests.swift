import Foundation
import Logging
import Testing
import TopMock
import TopMockHTTP
import TopMockProtocol
import TopMockTesting

/// Each official SDK's request reproduced as raw bytes (docs/protocol.md: where each SDK puts the parameters, answers) and sent
/// over a real socket to a live topmock; the answer checked as that SDK would parse it.
@Suite struct SDKWireFormatTests {
    /// 2026-01-15 10:00:00 UTC; the server's own zone is UTC here (localOffsetSeconds 0).
    static let now: Int64 = 1_768_471_200_000

    static func withServer(_ body: (HTTPClient) throws -> Void) throws {
        let clock = ManualWallClock(millis: now)
        let app = try GatewayTests.makeApplication(clock: clock) { $0.gateway.timestamp.localOffsetSeconds = 0 }
        try app.start()
        defer { app.stop() }
        try body(HTTPClient(port: app.port))
    }

    static func signed(_ pairs: [(String, String)], secret: String = "helloworld", method: SignMethod) -> [(String, String)] {
        pairs + [("sign", Signer.sign(pairs, secret: secret, method: method))]
    }

    static func raw(_ head: String, body: [UInt8]) -> [UInt8] {
        Array((head + "Content-Length: \(body.count)\r\nConnection: close\r\n\r\n").utf8) + body
    }

    /// Java DefaultTaobaoClient (2020+): hmac-sha256, GMT+8 timestamp and partner_id in the query,
    /// business parameters as multipart with `Content-Disposition:form-data;name=` (no spaces),
    /// `charset` before `boundary`, gzip accepted.
    @Test func javaDefaultTaobaoClientWithMultipart() throws {
        try Self.withServer { client in
            let system: [(String, String)] = [
                ("method", "alibaba.pos.pay.action.query"), ("app_key", "12345678"),
                ("timestamp", TimestampPolicy.format(epochMillis: Self.now)), ("v", "2.0"), ("sign_method", "hmac-sha256"),
                ("format", "json"), ("partner_id", "top-sdk-java-20200706"),
            ]
            let business: [(String, String)] = [("shop_id", "124"), ("payment_action_request", #"{"buyer_id":123,"request_id":"cash-0001"}"#)]
            let all = Self.signed(system + business, method: .hmacSHA256)
            let query = PercentEncoding.formEncode(all.filter { name in !business.contains { $0.0 == name.0 } })
            var body = ""
            for (name, value) in business {
                body +=
                    "--1767225600123456789\r\nContent-Disposition:form-data;name=\"\(name)\"\r\nContent-Type:text/plain;charset=UTF-8\r\n\r\n\(value)\r\n"
            }
            body += "--1767225600123456789--\r\n"
            let response = try client.sendRaw(
                Self.raw(
                    "POST /router/rest?\(query) HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: top-sdk-java\r\nAccept: text/xml,text/javascript\r\n"
                        + "Accept-Encoding: gzip\r\nContent-Type: multipart/form-data;charset=UTF-8;boundary=1767225600123456789\r\n",
                    body: Array(body.utf8)))
            #expect(response.status == 200)
            #expect(response.headers["Content-Type"] == "application/json;charset=UTF-8")
            #expect(response.headers["Content-Encoding"] == nil)
            #expect(
                response.bodyText.hasPrefix(
                    #"{"alibaba_pos_pay_action_query_response":{"result":{"model":{"result_code":"SUCCESS","result_message":"现金支付成功","channel_name":"cash""#
                ))
        }
    }

    /// .NET DefaultTopClient: everything, sign included, in one urlencoded body; hmac; no format
    /// (so XML); timestamp in the machine's local time (UTC here).
    @Test func dotNetDefaultTopClient() throws {
        try Self.withServer { client in
            let pairs: [(String, String)] = [
                ("method", "alibaba.pos.pay.action.query"), ("app_key", "12345678"),
                ("timestamp", TimestampPolicy.format(epochMillis: Self.now, offsetSeconds: 0)), ("v", "2.0"), ("sign_method", "hmac"),
                ("partner_id", "top-sdk-net-20170525"), ("shop_id", "124"),
                ("payment_action_request", #"{"buyer_id":456,"request_id":"split-0001-alipay"}"#),
            ]
            let body = Array(PercentEncoding.formEncode(Self.signed(pairs, method: .hmac)).utf8)
            let response = try client.sendRaw(
                Self.raw(
                    "POST /router/rest HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: Top4Net\r\nAccept-Encoding: gzip\r\n"
                        + "Content-Type: application/x-www-form-urlencoded;charset=utf-8\r\n",
                    body: body))
            #expect(response.headers["Content-Type"] == "text/xml;charset=UTF-8")
            #expect(
                response.bodyText.hasPrefix("<?xml version=\"1.0\" encoding=\"utf-8\" ?>\n<alibaba_pos_pay_action_query_response><result><model>"))
            // XmlSerializer chokes on empty elements for booleans: there must be none.
            #expect(!response.bodyText.contains("<success></success>"))
        }
    }

    /// PHP TopClient: system parameters in the query, business ones in a urlencoded body; md5;
    /// it signs and sends empty values (`session=`); local time.
    @Test func phpTopClientWithEmptyValue() throws {
        try Self.withServer { client in
            let system: [(String, String)] = [
                ("method", "alibaba.pos.pay.action.query"), ("app_key", "12345678"), ("session", ""),
                ("timestamp", TimestampPolicy.format(epochMillis: Self.now, offsetSeconds: 0)), ("v", "2.0"), ("sign_method", "md5"),
                ("format", "json"), ("partner_id", "top-sdk-php-20180326"),
            ]
            let business: [(String, String)] = [
                ("shop_id", "124"), ("payment_action_request", #"{"buyer_id":789,"request_id":"alipay-failed-0001"}"#),
            ]
            let all = Self.signed(system + business, method: .md5)
            let query = PercentEncoding.formEncode(all.filter { name in !business.contains { $0.0 == name.0 } })
            let response = try client.sendRaw(
                Self.raw(
                    "POST /router/rest?\(query) HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: top-sdk-php\r\n"
                        + "Content-Type: application/x-www-form-urlencoded; charset=UTF-8\r\n",
                    body: Array(PercentEncoding.formEncode(business).utf8)))
            #expect(response.bodyText.contains(#""channel_name":"alipay","action_status":"FAILED""#))
        }
    }

    /// Node TopClient: every parameter as a multipart field with the usual header spacing; md5;
    /// local time. Node finds the result under the exact root key, so it must be right.
    @Test func nodeTopClient() throws {
        try Self.withServer { client in
            let pairs: [(String, String)] = [
                ("method", "alibaba.pos.pay.action.query"), ("app_key", "12345678"),
                ("timestamp", TimestampPolicy.format(epochMillis: Self.now, offsetSeconds: 0)), ("v", "2.0"), ("sign_method", "md5"),
                ("format", "json"), ("shop_id", "124"), ("payment_action_request", #"{"buyer_id":456,"request_id":"split-0001-cash"}"#),
            ]
            var body = ""
            for (name, value) in Self.signed(pairs, method: .md5) {
                body += "----------------------------518427419406236427017512\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
            }
            body += "----------------------------518427419406236427017512--\r\n"
            let response = try client.sendRaw(
                Self.raw(
                    "POST /router/rest HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Content-Type: multipart/form-data; boundary=--------------------------518427419406236427017512\r\n",
                    body: Array(body.utf8)))
            let json = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
            let root = try #require(json?["alibaba_pos_pay_action_query_response"] as? [String: Any])
            let result = try #require(root["result"] as? [String: Any])
            #expect(result["success"] as? Bool == true)
            #expect((result["model"] as? [String: Any])?["channel_name"] as? String == "cash")
            #expect(json?.count == 1)
        }
    }
}

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
