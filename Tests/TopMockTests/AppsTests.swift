import Dispatch
import Foundation
import Testing
import TopMockHTTP
import TopMockLock
import TopMockProtocol
import TopMockScenarios
import TopMockTesting

@testable import TopMock

/// Apps made at run time: one per test, each with a namespace of its own, which the helpers in
/// clients/ rely on.
@Suite struct AppsTests {
    @Test(arguments: [TestTarget.inProcess, .live])
    func aRuntimeAppHasItsOwnNamespaceUntilItIsRemoved(target: TestTarget) throws {
        let app = try GatewayTests.makeApplication()
        try target.run(app) { (client: TestClient) throws in
            let made = try AdminTests.admin(client, "POST", "/__admin/apps", json: "{}")
            #expect(made.status == 201, "\(made.text)")
            let key = try #require(made.json["app_key"] as? String), secret = try #require(made.json["secret"] as? String)
            #expect(key.count == 8 && key.allSatisfy(\.isNumber) && secret.count == 32 && made.json["namespace"] as? String == key)

            // Its calls land in its namespace without any header; the default app's state is apart.
            let first = try client.execute(AdminTests.query("alipay-poll-0001", app: key, secret: secret))
            #expect(AdminTests.status(first) == "PAYING")
            let count = try AdminTests.admin(client, "GET", "/__admin/requests/count?namespace=\(key)")
            #expect(count.json["count"] as? Int == 1)
            let listed = try AdminTests.admin(client, "GET", "/__admin/apps")
            let sources = (listed.json["apps"] as? [[String: String]] ?? []).reduce(into: [String: String]()) { $0[$1["app_key"]!] = $1["source"] }
            #expect(sources[key] == "admin" && sources["12345678"] == "built-in")
            #expect(!listed.text.contains(secret))

            // A chosen key; a taken one; removing what may not be removed.
            let chosen = try AdminTests.admin(client, "POST", "/__admin/apps", json: #"{"app_key":"pos-suite-1","secret":"s3cret"}"#)
            #expect(chosen.status == 201 && chosen.json["secret"] as? String == "s3cret")
            let taken = try AdminTests.admin(client, "POST", "/__admin/apps", json: #"{"app_key":"12345678"}"#)
            #expect(taken.status == 409 && (taken.json["error"] as? [String: Any])?["code"] as? Int == 1013, "\(taken.text)")
            let builtIn = try AdminTests.admin(client, "DELETE", "/__admin/apps/12345678")
            #expect(builtIn.status == 409 && builtIn.text.contains("topmock itself"), "\(builtIn.text)")

            // Removed: its key is refused (29), its namespace and journal are gone.
            #expect(try AdminTests.admin(client, "DELETE", "/__admin/apps/\(key)").status == 200)
            let refused = try client.execute(AdminTests.query("alipay-poll-0001", app: key, secret: secret))
            #expect(GatewayTests.normalized(refused).contains(#""code":29"#))
            #expect(try AdminTests.admin(client, "GET", "/__admin/requests/count?namespace=\(key)&outcome=found").json["count"] as? Int == 0)
            #expect((try AdminTests.admin(client, "GET", "/__admin/namespaces").json["namespaces"] as? [String])?.contains(key) == false)
            let unknown = try AdminTests.admin(client, "DELETE", "/__admin/apps/\(key)")
            #expect(unknown.status == 404 && (unknown.json["error"] as? [String: Any])?["code"] as? Int == 1014)
        }
    }

    /// Parallel test classes make apps at once: every app is distinct, and the cap holds.
    @Test func concurrentAppsAreDistinctAndBounded() throws {
        let registry = AppRegistry(configuration: Configuration(), fileApps: [:], maxRuntimeApps: 300)
        let keys = Locked<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for _ in 0..<50 {
                if case .success(let app) = registry.add(key: nil, secret: nil) { keys.withLock { $0.append(app.key) } }
            }
        }
        let made = keys.withLock { $0 }
        #expect(made.count == 300 && Set(made).count == 300)
        #expect(registry.add(key: nil, secret: nil) == .failure(.limitReached(300)))
        #expect(registry.remove(key: made[0]) == .success(made[0]))
        #expect(registry.add(key: "again", secret: "x") == .success(AppRegistry.RuntimeApp(key: "again", secret: "x")))
    }

    /// A reload whose files take a run-time app's key: the file's app wins.
    @Test func aScenarioFileAppTakesPrecedence() {
        let registry = AppRegistry(configuration: Configuration(), fileApps: [:])
        _ = registry.add(key: "shared", secret: "runtime")
        registry.update(fileApps: ["shared": AppCredentials(secret: "file")])
        #expect(registry["shared"]?.secret == "file")
        #expect(registry.remove(key: "shared") == .failure(.notRemovable(.scenarioFile)))
    }
}
