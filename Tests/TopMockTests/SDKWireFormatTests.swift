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
