import Foundation
import Logging
import Testing
import TopMock
import TopMockHTTP
import TopMockLock
import TopMockProtocol
import TopMockScenarios
import TopMockTesting

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

    @Test func secretsAndSessionsAppearNowhere() throws {
        let capture = Capture()
        var configuration = Configuration()
        configuration.http.port = 0
        configuration.scenarioPaths = [packageRoot + "/scenarios"]
        configuration.apps["4271"] = AppCredentials(secret: Self.secret, sessions: [Self.session])
        let app = try TopMockApplication(configuration: configuration, logger: Logger(label: "secrets") { _ in capture })
        try TestTarget.live.run(app) { (client: TestClient) throws in
            var texts: [String] = []
            func call(_ request: SignedRequest) throws {
                let response = try client.execute(request)
                texts.append(response.bodyText)
                texts.append(response.headers.map { "\($0.name): \($0.value)" }.joined(separator: "\n"))
            }
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
}
