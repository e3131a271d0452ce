import Foundation
import Logging
import Testing
import TopMock
import TopMockHTTP
import TopMockLock
import TopMockProtocol
import TopMockTesting

@testable import TopMockScenarios

/// An app's secret and its callers' session keys never leave topmock: not in the logs (at trace
/// level, text and metadata), the journal, the diagnostics header, the admin API or the metrics —
/// whatever the calls get right or wrong.
@Suite struct SecretsTests {
    static let secret = "s3cr3t-VALUE-4271"
    static let session = "sess-PRIVATE-9932"

    /// Keeps every log record, rendered with its metadata.
    final class Capture: LogHandler, @unchecked Sendable {
        let lines = Locked<[String]>([])
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            let all = metadata.merging(event.metadata ?? [:]) { $1 }
            lines.withLock { $0.append("\(event.level) \(event.message) \(all.map { "\($0.key)=\($0.value)" }.sorted())") }
        }
    }

    /// What a client sees of an answer: its body and its headers.
    static func seen(_ response: TestResponse) -> [String] {
        [response.bodyText, response.headers.map { "\($0.name): \($0.value)" }.joined(separator: "\n")]
    }

    @Test func secretsAndSessionsAppearNowhere() throws {
        let capture = Capture()
        var configuration = Configuration()
        configuration.http.port = 0
        configuration.scenarioPaths = [packageRoot + "/scenarios"]
        configuration.apps["4271"] = AppCredentials(secret: Self.secret, sessions: [Self.session])
        let app = try TopMockApplication(configuration: configuration, logger: Logger(label: "secrets") { _ in capture })
        try TestTarget.live.run(app) { (client: TestClient) throws in
            var texts: [String] = []
            func call(_ request: SignedRequest) throws { texts += Self.seen(try client.execute(request)) }
            let good = SignedRequest.payActionQuery(shopID: 124, requestID: "cash-0001", buyerID: 123, appKey: "4271", secret: Self.secret)
                .setting("session", Self.session)
            for method in [SignMethod.md5, .hmac, .hmacSHA256] {
                try call(good.setting("sign_method", method.rawValue))  // right
                try call(good.setting("sign_method", method.rawValue).signedWith(secret: "wrong"))  // wrong secret
                try call(good.setting("sign_method", method.rawValue).withSign(Self.secret))  // the secret as the sign
            }
            try call(good.setting("session", "sess-unknown"))  // 27
            try call(good.setting("shop_id", "-1"))  // 41
            try call(
                SignedRequest.payActionQuery(shopID: 124, requestID: "err-timeout-7", buyerID: 123, appKey: "4271", secret: Self.secret)
                    .setting("session", Self.session))  // injected error
            for path in [
                "/__admin/requests", "/__admin/health", "/__admin/scenarios", "/__admin/namespaces", "/metrics",
                "/__admin/namespaces/4271/actions/124/cash-0001",
            ] {
                texts.append(try client.execute(HTTPRequest(method: "GET", target: path)).bodyText)
            }
            let logged = capture.lines.withLock { $0 }
            #expect(logged.count >= 10, "the calls were logged")
            for text in texts + logged {
                #expect(!text.contains(Self.secret), "secret in: \(text.prefix(300))")
                #expect(!text.contains(Self.session), "session in: \(text.prefix(300))")
            }
            // What the journal keeps instead: the session masked, the signed text with <secret>.
            let journal = try client.execute(HTTPRequest(method: "GET", target: "/__admin/requests?namespace=4271")).bodyText
            #expect(journal.contains(#""session":"***""#))
            #expect(journal.contains("<secret>"))
        }
    }

    static let payCode = "281234567890123456"
    static let buyerAccount = "buyer-ACCOUNT-5517@example.com"
    static let upstreamSecret = "upstream-SECRET-8123"

    /// Every secret path `Redaction` lists, sent through every place that shows a call: the
    /// answers (bodies and the diagnostics header), the logs at trace level, the journal (listing,
    /// a failed verify's recent calls), the admin pages, and a recording. Run against a serving
    /// topmock and a recording one (whose upstream is a second topmock).
    @Test(arguments: [false, true])
    func everySecretPathIsMaskedEverywhereACallIsShown(recording: Bool) throws {
        let upstream = try GatewayTests.makeApplication {
            $0.watchInterval = nil
            $0.apps["up-key"] = AppCredentials(secret: Self.upstreamSecret)
        }
        if recording { try upstream.start() }
        defer { if recording { upstream.stop() } }
        let capture = Capture()
        var configuration = Configuration()
        configuration.http.port = 0
        configuration.watchInterval = nil
        configuration.scenarioPaths = [packageRoot + "/scenarios"]
        configuration.apps["4271"] = AppCredentials(secret: Self.secret, sessions: [Self.session])
        if recording {
            configuration.upstream = UpstreamSettings(
                url: "http://127.0.0.1:\(upstream.port)/router/rest", appKey: "up-key", secret: Self.upstreamSecret)
        }
        let app = try TopMockApplication(configuration: configuration, logger: Logger(label: "secrets") { _ in capture })
        let secrets = [Self.secret, Self.session, Self.payCode, Self.buyerAccount, Self.upstreamSecret, "helloworld"]
        try TestTarget.live.run(app) { (client: TestClient) throws in
            var texts: [String] = []
            func call(_ request: SignedRequest) throws { texts += Self.seen(try client.execute(request)) }
            func pay(_ fee: Int, nested: Bool = false) -> SignedRequest {
                let account = nested ? #""attributes":{"alipay_account":"\#(Self.buyerAccount)"}"# : #""alipay_account":"\#(Self.buyerAccount)""#
                let body =
                    #"{"request_id":"sec-\#(fee)","checkout_id":"sec-co","pay_fee":\#(fee),"pay_channel":"alipay_facepay_v2","buyer_id":123,"#
                    + #""channel_account":"\#(Self.payCode)",\#(account)}"#
                return SignedRequest.orderPay(shopID: 124, payRequest: body, appKey: "4271", secret: Self.secret).setting("session", Self.session)
            }
            try call(pay(1500))  // answered (or forwarded and recorded)
            try call(pay(1600, nested: true))  // the account one level down
            try call(pay(0))  // refused: 41, the parameters kept in the journal
            try call(pay(1500).signedWith(secret: "wrong"))  // 25: the signed text in the journal and the header
            try call(pay(1500).withSign(Self.secret))  // the secret as the sign
            let verify = try AdminTests.admin(
                client, "POST", "/__admin/requests/verify", json: #"{"namespace":"4271","method":"alibaba.pos.order.pay","count":7}"#)
            #expect(verify.status == 409, "\(verify.text)")
            texts.append(verify.text)
            for path in [
                "/__admin/requests?namespace=4271", "/__admin/requests", "/__admin/health", "/__admin/scenarios", "/__admin/namespaces",
                "/__admin/namespaces/4271/actions", "/__admin/namespaces/4271/checkouts", "/metrics", "/__admin/recording",
            ] {
                texts.append(try client.execute(HTTPRequest(method: "GET", target: path)).bodyText)
            }
            if recording {
                let yaml = try #require(app.recordingYAML(name: "secrets"))
                texts.append(yaml)
                #expect(yaml.contains("sec-1500"), "the call was recorded: \(yaml)")
            }
            let logged = capture.lines.withLock { $0 }
            #expect(logged.count >= 3, "the calls were logged")
            for text in texts + logged {
                for secret in secrets {
                    #expect(!text.contains(secret), "\(secret) in: \(text.prefix(400))")
                }
            }
            // What the journal shows instead.
            let journal = try client.execute(HTTPRequest(method: "GET", target: "/__admin/requests?namespace=4271")).bodyText
            #expect(journal.contains(#"\"channel_account\":\"***\""#) && journal.contains(#"\"alipay_account\":\"***\""#), "\(journal)")
            #expect(journal.contains(#""session":"***""#) && journal.contains("<secret>"), "\(journal)")
        }
    }

    /// The lists decide alone: every place above reads them, and nothing else masks. They are the
    /// registry's: the gateway's parameters and each served method's secret fields, which
    /// docs/robustness.md lists.
    @Test func theListsAreTheRegistrysAndTheOnesDocumented() throws {
        let fields = ServedMethods.redaction.fields.map { "\($0)" }
        #expect(Set(fields) == Set(ServedMethods.registry.flatMap(\.secretFields).map { "\($0)" }) && Set(fields).count == fields.count)
        #expect(fields == ["channel_account", "alipay_account"])
        #expect(ServedMethods.redaction.parameters.map { "\($0)" } == ["session"])
        let robustness = try String(contentsOfFile: packageRoot + "/docs/robustness.md", encoding: .utf8)
        for field in fields { #expect(robustness.contains("`\(field)`"), "docs/robustness.md does not name \(field)") }
        let masked = ServedMethods.redaction.masked(
            .init(name: "pay_request", value: #"{"alipay_account":"a@b","x":[{"channel_account":"1"}]}"#), secret: "")
        #expect(masked.value == #"{"alipay_account":"***","x":[{"channel_account":"***"}]}"#)
    }
}
