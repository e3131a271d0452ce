import Foundation
import Logging
import Testing
import TopMock
import TopMockHTTP
import TopMockProtocol
import TopMockTesting

/// The bad-input catalogue: malformed requests sent as raw bytes to a live topmock (real
/// libmicrohttpd), each with the exact answer it must get, and each followed by a good signed
/// query that must still be answered — the server keeps serving whatever came before.
@Suite struct BadInputCatalogueTests {
    /// One live topmock for the whole catalogue (cases run in parallel against it, as clients would).
    static let server: TopMockApplication = {
        let app = try! GatewayTests.makeApplication { $0.watchInterval = nil }
        try! app.start()
        return app
    }()

    @Test(arguments: BadInput.catalogue)
    func answersExactlyAndKeepsServing(_ input: BadInput) throws {
        let client = HTTPClient(port: Self.server.port, timeoutSeconds: 20)
        let now = SystemWallClock().nowMillis()
        let bytes = input.request(now)
        switch input.expected {
        case .closed:
            #expect(throws: HTTPClient.Failure.self) { _ = try client.sendRaw(bytes) }
        default:
            let response = try client.sendRaw(bytes)
            input.expected.check(response, input.name)
        }
        // The next good request is answered normally.
        let good = try client.sendRaw(BadInput.get(BadInput.signed(BadInput.query(now: SystemWallClock().nowMillis()))))
        #expect(good.status == 200 && good.bodyText.contains(#""action_status":"SUCCESS""#), "after \(input.name): \(good.bodyText)")
    }

    @Test func catalogueHasAtLeastSixtyCases() {
        #expect(BadInput.catalogue.count >= 60)
        #expect(Set(BadInput.catalogue.map(\.name)).count == BadInput.catalogue.count, "case names are unique")
    }
}

/// What a bad input must get.
enum Expected: Sendable {
    /// HTTP 200 with a JSON `error_response` of this code, message and sub-code.
    case top(Int, String, subCode: String? = nil)
    /// HTTP 200 with an XML `error_response` of this code.
    case topXML(Int, String)
    /// HTTP 200, the action found, with this `action_status`.
    case action(String)
    /// HTTP 200, a business answer with this `msg_code` (`result.success` false).
    case business(String)
    /// This HTTP status, with a body containing the text.
    case http(Int, String)
    /// An admin error: HTTP status and admin error code.
    case admin(Int, Int)
    /// The connection closes without an answer.
    case closed

    func check(_ response: HTTPClient.Response, _ name: String) {
        let text = response.bodyText
        let json = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any]
        switch self {
        case .top(let code, let msg, let subCode):
            let error = json?["error_response"] as? [String: Any]
            #expect(response.status == 200, "\(name)")
            #expect(error?["code"] as? Int == code && error?["msg"] as? String == msg, "\(name): \(text)")
            #expect(error?["sub_code"] as? String == subCode, "\(name): \(text)")
            #expect((error?["request_id"] as? String)?.isEmpty == false, "\(name): \(text)")
        case .topXML(let code, let msg):
            #expect(response.status == 200, "\(name)")
            #expect(text.contains("<error_response><code>\(code)</code><msg>\(msg)</msg>"), "\(name): \(text)")
        case .action(let status):
            #expect(response.status == 200 && text.contains(#""action_status":"\#(status)""#), "\(name): \(text)")
        case .business(let msgCode):
            #expect(response.status == 200, "\(name)")
            #expect(text.contains(#""msg_code":"\#(msgCode)""#) && text.contains(#""success":false"#), "\(name): \(text)")
        case .http(let status, let contains):
            #expect(response.status == status && (contains.isEmpty || text.contains(contains)), "\(name): HTTP \(response.status) \(text)")
        case .admin(let status, let code):
            let error = json?["error"] as? [String: Any]
            #expect(response.status == status && error?["code"] as? Int == code, "\(name): HTTP \(response.status) \(text)")
        case .closed:
            Issue.record("\(name): expected the connection to close")
        }
    }
}

struct BadInput: Sendable, CustomTestStringConvertible {
    var name: String
    var request: @Sendable (_ nowMillis: Int64) -> [UInt8]
    var expected: Expected

    var testDescription: String { name }

    init(_ name: String, _ expected: Expected, _ request: @escaping @Sendable (Int64) -> [UInt8]) {
        self.name = name
        self.expected = expected
        self.request = request
    }

    // MARK: building requests

    static let cash = #"{"request_id":"cash-0001","buyer_id":123}"#

    /// The parameters of a good query (unsigned), with replacements; a nil value removes the parameter.
    static func query(now: Int64, _ changes: [String: String?] = [:]) -> [(String, String)] {
        var pairs: [(String, String)] = [
            ("method", "alibaba.pos.pay.action.query"), ("app_key", "12345678"), ("timestamp", String(now)), ("v", "2.0"),
            ("format", "json"), ("sign_method", "md5"), ("shop_id", "124"), ("payment_action_request", cash),
        ]
        for (name, value) in changes {
            if let index = pairs.firstIndex(where: { $0.0 == name }) {
                if let value { pairs[index].1 = value } else { pairs.remove(at: index) }
            } else if let value {
                pairs.append((name, value))
            }
        }
        return pairs
    }

    static func signed(_ pairs: [(String, String)]) -> [(String, String)] {
        pairs + [("sign", Signer.sign(pairs, secret: "helloworld", method: .md5))]
    }

    static func encoded(_ pairs: [(String, String)]) -> String { PercentEncoding.formEncode(pairs) }

    static func get(_ pairs: [(String, String)], headers: String = "") -> [UInt8] {
        raw("GET /router/rest?\(encoded(pairs)) HTTP/1.1\r\nHost: x\r\n\(headers)Connection: close\r\n\r\n")
    }

    static func raw(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// A request with a body. The gateway takes any `Host` (`x` here); admin routes take loopback
    /// names and IP addresses (``BrowserGuard``), so they get `localhost` unless `host` says otherwise.
    static func post(
        _ body: [UInt8], contentType: String? = "application/x-www-form-urlencoded;charset=UTF-8",
        path: String = "/router/rest", method: String = "POST", headers: String = "", host: String? = nil
    ) -> [UInt8] {
        let host = host ?? (path.hasPrefix("/router/rest") ? "x" : "localhost")
        let type = contentType.map { "Content-Type: \($0)\r\n" } ?? ""
        return raw(
            "\(method) \(path) HTTP/1.1\r\nHost: \(host)\r\n\(type)\(headers)Content-Length: \(body.count)\r\nConnection: close\r\n\r\n"
        )
            + body
    }

    static func post(_ pairs: [(String, String)]) -> [UInt8] { post(Array(encoded(pairs).utf8)) }

    /// A signed query whose `payment_action_request` is `value`.
    static func business(_ value: String) -> @Sendable (Int64) -> [UInt8] {
        { now in post(signed(query(now: now, ["payment_action_request": value]))) }
    }

    static func shop(_ value: String) -> @Sendable (Int64) -> [UInt8] {
        { now in post(signed(query(now: now, ["shop_id": value]))) }
    }

    static func timestamp(_ value: @escaping @Sendable (Int64) -> String) -> @Sendable (Int64) -> [UInt8] {
        { now in post(signed(query(now: now, ["timestamp": value(now)]))) }
    }

    static func multipart(_ body: String, contentType: String) -> @Sendable (Int64) -> [UInt8] {
        { now in
            let system = signed(query(now: now)).filter { $0.0 != "shop_id" && $0.0 != "payment_action_request" }
            return raw(
                "POST /router/rest?\(encoded(system)) HTTP/1.1\r\nHost: x\r\nContent-Type: \(contentType)\r\n"
                    + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)")
        }
    }

    static func admin(
        _ method: String, _ path: String, _ body: String, contentType: String? = "application/json", headers: String = "",
        host: String? = nil
    ) -> @Sendable (Int64) -> [UInt8] {
        { _ in post(Array(body.utf8), contentType: contentType, path: path, method: method, headers: headers, host: host) }
    }

    /// A signed `order.pay` whose `pay_request` is `value`.
    static func orderPay(_ value: String) -> @Sendable (Int64) -> [UInt8] {
        { now in
            post(signed(query(now: now, ["method": "alibaba.pos.order.pay", "payment_action_request": nil, "pay_request": value])))
        }
    }

    static func line(_ requestLine: String) -> @Sendable (Int64) -> [UInt8] {
        { _ in raw("\(requestLine)\r\nHost: x\r\nConnection: close\r\n\r\n") }
    }

    // MARK: the catalogue

    static let missing = "Missing required arguments:"
    static let invalid = "Invalid arguments:"

    static let catalogue: [BadInput] =
        encoding + parameters + multipartBodies + businessParameters + shopIDs + timestamps
        + methods + headersAndPaths + admin + numberEdges

    static let encoding: [BadInput] = [
        BadInput("invalid UTF-8 in a value", .top(47, "Invalid encoding")) { now in
            raw("GET /router/rest?\(encoded(query(now: now)))&buyer_note=%FF%FE HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        },
        BadInput("invalid UTF-8 in a name", .top(47, "Invalid encoding")) { now in
            raw("GET /router/rest?\(encoded(query(now: now)))&%C3%28=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        },
        BadInput("raw invalid UTF-8 bytes in a urlencoded body", .top(47, "Invalid encoding")) { now in
            post(Array(encoded(query(now: now)).utf8) + Array("&buyer_note=".utf8) + [0xC0, 0xAF, 0xFF])
        },
        BadInput("overlong UTF-8 encoding of '/'", .top(47, "Invalid encoding")) { now in
            post(Array((encoded(query(now: now)) + "&x=%C0%AF").utf8))
        },
        BadInput("UTF-16 surrogate encoded as UTF-8", .top(47, "Invalid encoding")) { now in
            post(Array((encoded(query(now: now)) + "&x=%ED%A0%80").utf8))
        },
        BadInput("bad percent-encoding kept literally, so the signature does not match", .top(25, "Invalid signature")) { now in
            let pairs = signed(query(now: now, ["buyer_note": "100%"]))
            return post(Array(encoded(pairs).replacing("100%25", with: "100%G").utf8))
        },
        BadInput("truncated percent-encoding at the end", .top(25, "Invalid signature")) { now in
            post(Array((encoded(signed(query(now: now)))).utf8) + Array("&x=%4".utf8))
        },
        BadInput("NUL escaped in request_id: a valid value that matches nothing", .business("PAY_ACTION_NOT_FOUND")) { now in
            post(signed(query(now: now, ["payment_action_request": #"{"request_id":"cash-0001\u0000","buyer_id":123}"#])))
        },
        BadInput("raw NUL in request_id: not a JSON string", .top(41, "\(invalid)payment_action_request.request_id")) { now in
            post(signed(query(now: now, ["payment_action_request": "{\"request_id\":\"cash-0001\u{0}\",\"buyer_id\":123}"])))
        },
    ]

    static let parameters: [BadInput] = [
        BadInput("no parameters at all", .topXML(21, "Missing method")) { _ in line("GET /router/rest HTTP/1.1")(0) },
        BadInput("empty urlencoded body", .topXML(21, "Missing method")) { _ in post([]) },
        BadInput("a body of only separators", .topXML(21, "Missing method")) { _ in post(Array(String(repeating: "&", count: 5000).utf8)) },
        BadInput("duplicated method, query vs body: the query's wins", .action("SUCCESS")) { now in
            let pairs = signed(query(now: now))
            return raw(
                "POST /router/rest?\(encoded(pairs)) HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                    + "Content-Length: 22\r\nConnection: close\r\n\r\nmethod=taobao.evil.api")
        },
        BadInput("duplicated shop_id in one body: the first wins", .action("SUCCESS")) { now in
            post(Array((encoded(signed(query(now: now))) + "&shop_id=999").utf8))
        },
        BadInput("10,000 parameters (refused before format is read: XML)", .topXML(43, "Parameter Error")) { now in
            post(Array((encoded(signed(query(now: now))) + (0..<10_000).map { "&p\($0)=v" }.joined()).utf8))
        },
        // libmicrohttpd parses query arguments into the connection's memory (32 KiB by default):
        // ~600 fit; past that it closes the connection (docs/configuration.md says so).
        BadInput("1,001 parameters in the query string: libmicrohttpd closes", .closed) { _ in
            raw("GET /router/rest?\((0..<1001).map { "p\($0)=1" }.joined(separator: "&")) HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        },
        BadInput("100 MB body declared: refused before reading", .http(413, "")) { _ in
            raw(
                "POST /router/rest HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                    + "Content-Length: 104857600\r\nConnection: close\r\n\r\n")
        },
        BadInput("chunked body over the limit", .http(413, "")) { _ in
            let chunk = String(repeating: "a", count: 1 << 20)
            var text =
                "POST /router/rest HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
            for _ in 0..<9 { text += "100000\r\n\(chunk)\r\n" }
            return raw(text + "0\r\n\r\n")
        },
        BadInput("sign missing", .top(24, "Missing signature")) { now in post(query(now: now)) },
        BadInput("sign of the wrong secret", .top(25, "Invalid signature")) { now in
            let pairs = query(now: now)
            return post(pairs + [("sign", Signer.sign(pairs, secret: "not-the-secret", method: .md5))])
        },
        BadInput("sign_method unknown", .top(43, "Parameter Error", subCode: "isv.invalid-parameter:sign_method")) { now in
            post(signed(query(now: now, ["sign_method": "sha1"])))
        },
        BadInput("format unknown (so the answer is XML)", .topXML(23, "Invalid format")) { now in post(signed(query(now: now, ["format": "yaml"]))) },
        BadInput("v missing", .top(32, "Missing version")) { now in post(signed(query(now: now, ["v": nil]))) },
        BadInput("v not a version", .top(33, "Invalid version")) { now in post(signed(query(now: now, ["v": "two"]))) },
        BadInput("v unsupported", .top(34, "Unsupported version")) { now in post(signed(query(now: now, ["v": "3.0"]))) },
        BadInput("app_key missing", .top(28, "Missing app key")) { now in post(signed(query(now: now, ["app_key": nil]))) },
        BadInput("app_key unknown", .top(29, "Invalid app Key", subCode: "isv.appkey-not-exists")) { now in
            post(signed(query(now: now, ["app_key": "99999999"])))
        },
        BadInput("method unknown", .top(22, "Invalid method")) { now in post(signed(query(now: now, ["method": "taobao.no.such.api"]))) },
        BadInput("XML error for format=xml", .topXML(25, "Invalid signature")) { now in
            post(query(now: now, ["format": "xml"]) + [("sign", "00")])
        },
    ]

    static let multipartBodies: [BadInput] = [
        BadInput("multipart without a boundary", .top(43, "Parameter Error", subCode: "isv.invalid-parameter")) { now in
            multipart("--b\r\nContent-Disposition: form-data; name=\"shop_id\"\r\n\r\n124\r\n--b--\r\n", contentType: "multipart/form-data")(now)
        },
        BadInput("multipart with an unterminated part", .top(43, "Parameter Error", subCode: "isv.invalid-parameter")) { now in
            multipart("--b\r\nContent-Disposition: form-data; name=\"shop_id\"\r\n\r\n124", contentType: "multipart/form-data; boundary=b")(now)
        },
        BadInput("multipart with the wrong boundary", .top(43, "Parameter Error", subCode: "isv.invalid-parameter")) { now in
            multipart(
                "--other\r\nContent-Disposition: form-data; name=\"shop_id\"\r\n\r\n124\r\n--other--\r\n",
                contentType: "multipart/form-data; boundary=b")(now)
        },
        BadInput("nested multipart: the inner body is one opaque value", .top(40, "\(missing)payment_action_request")) { now in
            let inner = "--inner\r\nContent-Disposition: form-data; name=\"payment_action_request\"\r\n\r\n\(cash)\r\n--inner--"
            let body =
                "--b\r\nContent-Disposition: form-data; name=\"shop_id\"\r\n\r\n124\r\n"
                + "--b\r\nContent-Disposition: form-data; name=\"nested\"\r\nContent-Type: multipart/mixed; boundary=inner\r\n\r\n\(inner)\r\n--b--\r\n"
            // Signed over what is sent: the system parameters, shop_id and the nested part's text.
            let system = query(now: now, ["shop_id": nil, "payment_action_request": nil])
            let sign = Signer.sign(system + [("shop_id", "124"), ("nested", inner)], secret: "helloworld", method: .md5)
            return raw(
                "POST /router/rest?\(encoded(system + [("sign", sign)])) HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Type: multipart/form-data; boundary=b\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)")
        },
        BadInput("multipart part without a name", .top(43, "Parameter Error", subCode: "isv.invalid-parameter")) { now in
            multipart("--b\r\nContent-Disposition: form-data\r\n\r\n124\r\n--b--\r\n", contentType: "multipart/form-data; boundary=b")(now)
        },
        BadInput("a body in a type TOP ignores (JSON)", .top(40, "\(missing)shop_id")) { now in
            let system = signed(query(now: now, ["shop_id": nil, "payment_action_request": nil]))
            return raw(
                "POST /router/rest?\(encoded(system)) HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 13\r\nConnection: close\r\n\r\n{\"shop_id\":1}")
        },
    ]

    static let businessParameters: [BadInput] = [
        BadInput("payment_action_request not JSON", .top(41, "\(invalid)payment_action_request"), business("request_id=cash-0001")),
        BadInput("payment_action_request a JSON array", .top(41, "\(invalid)payment_action_request"), business(#"[{"request_id":"cash-0001"}]"#)),
        BadInput("payment_action_request a JSON string", .top(41, "\(invalid)payment_action_request"), business(#""cash-0001""#)),
        BadInput(
            "payment_action_request nested 100,000 levels", .top(41, "\(invalid)payment_action_request"),
            business(String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000))),
        BadInput(
            "payment_action_request objects nested 100,000 levels", .top(41, "\(invalid)payment_action_request"),
            business(String(repeating: #"{"a":"#, count: 100_000) + "1" + String(repeating: "}", count: 100_000))),
        BadInput("payment_action_request truncated JSON", .top(41, "\(invalid)payment_action_request"), business(#"{"request_id":"cash-0001","#)),
        BadInput("payment_action_request empty object", .top(40, "\(missing)payment_action_request.request_id"), business("{}")),
        BadInput("request_id null", .top(40, "\(missing)payment_action_request.request_id"), business(#"{"request_id":null,"buyer_id":1}"#)),
        BadInput("request_id a boolean", .top(41, "\(invalid)payment_action_request.request_id"), business(#"{"request_id":true,"buyer_id":1}"#)),
        BadInput("request_id an object", .top(41, "\(invalid)payment_action_request.request_id"), business(#"{"request_id":{},"buyer_id":1}"#)),
        BadInput("request_id empty", .top(41, "\(invalid)payment_action_request.request_id"), business(#"{"request_id":"","buyer_id":1}"#)),
        BadInput("buyer_id missing", .top(40, "\(missing)payment_action_request.buyer_id"), business(#"{"request_id":"cash-0001"}"#)),
        BadInput("buyer_id a word", .top(41, "\(invalid)payment_action_request.buyer_id"), business(#"{"request_id":"cash-0001","buyer_id":"abc"}"#)),
        BadInput(
            "buyer_id negative", .top(41, "\(invalid)payment_action_request.buyer_id"), business(#"{"request_id":"cash-0001","buyer_id":-123}"#)),
        BadInput(
            "buyer_id fractional", .top(41, "\(invalid)payment_action_request.buyer_id"), business(#"{"request_id":"cash-0001","buyer_id":123.5}"#)),
        BadInput(
            "buyer_id a huge number", .top(41, "\(invalid)payment_action_request.buyer_id"),
            business(#"{"request_id":"cash-0001","buyer_id":123456789012345678901234567890}"#)),
        BadInput("buyer_id 1e400", .top(41, "\(invalid)payment_action_request.buyer_id"), business(#"{"request_id":"cash-0001","buyer_id":1e400}"#)),
        BadInput(
            "buyer_id as a numeric string (accepted, as the Java gateway does)", .action("SUCCESS"),
            business(#"{"request_id":"cash-0001","buyer_id":"123"}"#)),
        BadInput(
            "extra fields are ignored", .action("SUCCESS"),
            business(#"{"request_id":"cash-0001","buyer_id":123,"extra":[1,{"x":null}],"more":"x"}"#)),
        BadInput("another buyer's action", .business("BUYER_ID_MISMATCH"), business(#"{"request_id":"cash-0001","buyer_id":124}"#)),
    ]

    static let shopIDs: [BadInput] = [
        BadInput("shop_id missing", .top(40, "\(missing)shop_id")) { now in post(signed(query(now: now, ["shop_id": nil]))) },
        BadInput("shop_id empty", .top(40, "\(missing)shop_id"), shop("")),
        BadInput("shop_id negative", .top(41, "\(invalid)shop_id"), shop("-124")),
        BadInput("shop_id overflowing 64 bits", .top(41, "\(invalid)shop_id"), shop("99999999999999999999")),
        BadInput("shop_id fractional", .top(41, "\(invalid)shop_id"), shop("124.0")),
        BadInput("shop_id with a plus sign", .top(41, "\(invalid)shop_id"), shop("+124")),
        BadInput("shop_id in hex", .top(41, "\(invalid)shop_id"), shop("0x7c")),
        BadInput("shop_id with spaces", .top(41, "\(invalid)shop_id"), shop(" 124")),
        BadInput("shop_id with leading zeros (a whole number)", .action("SUCCESS"), shop("0124")),
    ]

    static let timestamps: [BadInput] = [
        BadInput("timestamp missing", .top(30, "Missing timestamp")) { now in post(signed(query(now: now, ["timestamp": nil]))) },
        BadInput("timestamp 590 s old (inside the window)", .action("SUCCESS"), timestamp { String($0 - 590_000) }),
        BadInput("timestamp 610 s old (outside the window)", .top(31, "Invalid timestamp"), timestamp { String($0 - 610_000) }),
        BadInput("timestamp 610 s ahead", .top(31, "Invalid timestamp"), timestamp { String($0 + 610_000) }),
        BadInput("timestamp in the year 9999", .top(31, "Invalid timestamp"), timestamp { _ in "9999-12-31 23:59:59" }),
        BadInput("timestamp a negative epoch", .top(31, "Invalid timestamp"), timestamp { _ in "-1000" }),
        BadInput("timestamp epoch in seconds", .top(31, "Invalid timestamp"), timestamp { String($0 / 1000) }),
        BadInput("timestamp not a date", .top(31, "Invalid timestamp"), timestamp { _ in "2026-13-45 25:61:61" }),
        BadInput("timestamp 30 February", .top(31, "Invalid timestamp"), timestamp { _ in "2026-02-30 10:00:00" }),
        BadInput("timestamp overflowing", .top(31, "Invalid timestamp"), timestamp { _ in "99999999999999999999999" }),
    ]

    static let methods: [BadInput] = [
        BadInput("PUT", .topXML(9, "Http Action Not Allowed")) { now in post(Array(encoded(signed(query(now: now))).utf8), method: "PUT") },
        BadInput("DELETE (format=json in the query)", .top(9, "Http Action Not Allowed")) { _ in line("DELETE /router/rest?format=json HTTP/1.1")(0)
        },
        BadInput("PATCH", .topXML(9, "Http Action Not Allowed")) { now in post(Array(encoded(signed(query(now: now))).utf8), method: "PATCH") },
        BadInput("OPTIONS", .topXML(9, "Http Action Not Allowed")) { _ in line("OPTIONS /router/rest HTTP/1.1")(0) },
        BadInput("lower-case get", .top(9, "Http Action Not Allowed")) { now in
            raw("get /router/rest?\(encoded(signed(query(now: now)))) HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        },
        BadInput("a made-up method", .topXML(9, "Http Action Not Allowed")) { _ in line("BREW /router/rest HTTP/1.1")(0) },
        BadInput("HEAD", .http(200, "")) { now in
            raw("HEAD /router/rest?\(encoded(signed(query(now: now)))) HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        },
    ]

    static let headersAndPaths: [BadInput] = [
        BadInput("a 40 KiB header", .http(431, "")) { now in
            get(signed(query(now: now)), headers: "X-Big: \(String(repeating: "a", count: 40 * 1024))\r\n")
        },
        BadInput("a 1 MiB header", .http(431, "")) { now in
            get(signed(query(now: now)), headers: "X-Big: \(String(repeating: "a", count: 1 << 20))\r\n")
        },
        BadInput("2,000 small headers", .http(431, "")) { now in
            get(signed(query(now: now)), headers: (0..<2000).map { "X-H\($0): v\r\n" }.joined())
        },
        BadInput("a header line without a colon", .http(400, "")) { _ in raw("GET /router/rest HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n") },
        BadInput("HTTP/1.1 without Host (libmicrohttpd 0.9.75 accepts it)", .topXML(21, "Missing method")) { _ in
            raw("GET /router/rest HTTP/1.1\r\nConnection: close\r\n\r\n")
        },
        BadInput("a 100 KiB URL", .http(414, "")) { _ in line("GET /router/rest?x=\(String(repeating: "a", count: 100 * 1024)) HTTP/1.1")(0) },
        BadInput("path with ..", .http(404, #""code":1001"#)) { _ in line("GET /router/../router/rest HTTP/1.1")(0) },
        BadInput("path with %2e%2e", .http(404, #""code":1001"#)) { _ in line("GET /router/%2e%2e/router/rest HTTP/1.1")(0) },
        BadInput("path with an encoded NUL", .http(404, #""code":1001"#)) { _ in line("GET /router/rest%00 HTTP/1.1")(0) },
        BadInput("path with a raw NUL byte (the path ends there)", .topXML(21, "Missing method")) { _ in
            raw("GET /router/rest") + [0] + raw(" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        },
        BadInput("path with a trailing slash", .http(404, #""code":1001"#)) { _ in line("GET /router/rest/ HTTP/1.1")(0) },
        BadInput("a request line that is not HTTP: closed", .closed) { _ in raw("HELLO\r\n\r\n") },
        BadInput("HTTP/2.0 in an HTTP/1 request line", .http(505, "")) { _ in line("GET /router/rest HTTP/2.0")(0) },
    ]

    static let admin: [BadInput] = [
        BadInput(
            "admin: set an action with broken JSON", .admin(400, 1003),
            admin("PUT", "/__admin/namespaces/ns/actions/124/cash-0001", #"{"status": "#)),
        BadInput("admin: set an action with a JSON array", .admin(400, 1003), admin("PUT", "/__admin/namespaces/ns/actions/124/cash-0001", "[]")),
        BadInput("admin: move a clock with broken JSON", .admin(400, 1003), admin("PUT", "/__admin/namespaces/ns/clock", "{advance: 30s")),
        BadInput("admin: verify with broken JSON", .admin(400, 1003), admin("POST", "/__admin/requests/verify", "{")),
        BadInput(
            "admin: upload broken YAML", .admin(422, 1004),
            admin("POST", "/__admin/scenarios?name=broken", "shops: [\n", contentType: "application/yaml")),
        BadInput(
            "admin: upload with a traversal name", .admin(400, 1006),
            admin("POST", "/__admin/scenarios?name=../../etc/passwd", "name: x\n", contentType: "application/yaml")),
        BadInput(
            "admin: upload with an encoded traversal name", .admin(400, 1006),
            admin("POST", "/__admin/scenarios?name=..%2F..%2Fetc", "name: x\n", contentType: "application/yaml")),
        BadInput("admin: delete with a traversal name", .admin(404, 1009), admin("DELETE", "/__admin/scenarios/..%2F..%2Fetc%2Fpasswd", "")),
        BadInput("admin: unknown route", .admin(404, 1001), admin("GET", "/__admin/../__admin/health", "")),
        BadInput("admin: reset with a non-JSON body", .admin(400, 1003), admin("POST", "/__admin/reset", "namespace=all")),
        // What a web page in the developer's browser can send (BrowserGuard).
        BadInput(
            "admin: reset posted as text/plain by another origin", .admin(403, 1017),
            admin("POST", "/__admin/reset", "{}", contentType: "text/plain", headers: "Origin: http://evil.example\r\n")),
        BadInput(
            "admin: reset by a page on another loopback port", .admin(403, 1017),
            admin("POST", "/__admin/reset", "{}", headers: "Origin: http://localhost:3000\r\n", host: "localhost:8080")),
        BadInput(
            "admin: reset posted as a form", .admin(415, 1018),
            admin("POST", "/__admin/reset", "namespace=all", contentType: "application/x-www-form-urlencoded")),
        BadInput("admin: reset with a body and no Content-Type", .admin(415, 1018), admin("POST", "/__admin/reset", "{}", contentType: nil)),
        BadInput(
            "admin: a scenario uploaded as text/plain", .admin(415, 1018),
            admin("POST", "/__admin/scenarios?name=page", "name: x\n", contentType: "text/plain")),
        BadInput(
            "admin: the journal read through a rebinding name", .admin(403, 1016),
            admin("GET", "/__admin/requests", "", contentType: nil, host: "evil.example:8080")),
    ]

    /// Numbers at the edges of their types through each door (before the bounded types, the
    /// amounts and clock instants among them stopped the server: docs/robustness.md).
    static let numberEdges: [BadInput] = {
        let fee = "\(invalid)pay_request.pay_fee"
        func pay(_ value: String) -> @Sendable (Int64) -> [UInt8] {
            orderPay(#"{"request_id":"edge","checkout_id":"edge","pay_fee":\#(value),"pay_channel":"cash","buyer_id":1}"#)
        }
        func scenario(_ total: String, _ amount: String) -> String {
            "shops:\n  - shop_id: 9\n    payment_orders:\n      - id: edge\n        total_fen: \(total)\n        actions:\n"
                + "          - {request_id: e-1, buyer_id: 1, channel: cash, status: SUCCESS, amount_fen: \(amount)}\n"
                + "          - {request_id: e-2, buyer_id: 1, channel: cash, status: SUCCESS, amount_fen: \(amount)}\n"
        }
        return [
            BadInput("order.pay pay_fee Int64.max", .top(41, fee, subCode: "isv.invalid-parameter"), pay("9223372036854775807")),
            BadInput("order.pay pay_fee one past the largest amount", .top(41, fee, subCode: "isv.invalid-parameter"), pay("10000000001")),
            BadInput("order.pay pay_fee 2^53 + 1", .top(41, fee, subCode: "isv.invalid-parameter"), pay("9007199254740993")),
            BadInput("order.pay pay_fee 0: no payment", .top(41, fee, subCode: "isv.invalid-parameter"), pay("0")),
            BadInput("order.pay pay_fee Int64.max as a string", .top(41, fee, subCode: "isv.invalid-parameter"), pay(#""9223372036854775807""#)),
            BadInput("order.pay pay_fee -1", .top(41, fee), pay("-1")),
            BadInput("order.pay pay_fee -0", .top(41, fee, subCode: "isv.invalid-parameter"), pay("-0")),
            BadInput("order.pay pay_fee Int64.min", .top(41, fee), pay("-9223372036854775808")),
            BadInput("order.pay pay_fee 1e308", .top(41, fee), pay("1e308")),
            BadInput("order.pay pay_fee past Int64", .top(41, fee), pay("92233720368547758070")),
            BadInput(
                "order.pay buyer_id past Int64", .top(41, "\(invalid)pay_request.buyer_id"),
                orderPay(#"{"request_id":"e","checkout_id":"e","buyer_id":9223372036854775808}"#)),
            BadInput(
                "admin: a checkout's total_fen Int64.max", .admin(400, 1006),
                admin("POST", "/__admin/namespaces/edges/checkouts", #"{"shop_id":124,"checkout_id":"e","total_fen":9223372036854775807}"#)),
            BadInput(
                "admin: a checkout's total_fen 1e308", .admin(400, 1003),
                admin("POST", "/__admin/namespaces/edges/checkouts", #"{"shop_id":124,"checkout_id":"e","total_fen":1e308}"#)),
            BadInput(
                "admin: a checkout's buyer_id negative", .admin(400, 1006),
                admin("POST", "/__admin/namespaces/edges/checkouts", #"{"shop_id":124,"checkout_id":"e","buyer_id":-1}"#)),
            BadInput(
                "admin: freeze_millis Int64.max", .admin(400, 1006),
                admin("PUT", "/__admin/namespaces/edges/clock", #"{"freeze_millis":9223372036854775807}"#)),
            BadInput(
                "admin: freeze_millis Int64.min", .admin(400, 1006),
                admin("PUT", "/__admin/namespaces/edges/clock", #"{"freeze_millis":-9223372036854775808}"#)),
            BadInput(
                "admin: freeze at the clock's end and advance past it", .admin(400, 1006),
                admin("PUT", "/__admin/namespaces/edges/clock", #"{"freeze":"9999-12-31 23:59:59","advance":"1h"}"#)),
            BadInput(
                "admin: advance a million hours", .admin(400, 1006), admin("PUT", "/__admin/namespaces/edges/clock", #"{"advance":"1000000h"}"#)),
            BadInput(
                "admin: upload amounts of Int64.max", .admin(422, 1004),
                admin(
                    "POST", "/__admin/scenarios?name=edges", scenario("9223372036854775807", "9223372036854775807"), contentType: "application/yaml")),
            BadInput(
                "admin: upload amounts that add up past the total", .admin(422, 1004),
                admin("POST", "/__admin/scenarios?name=edges", scenario("10000000000", "10000000000"), contentType: "application/yaml")),
        ]
    }()
}
