import Foundation
import Logging
import Testing
import TopMock
import TopMockHTTP
import TopMockLock
import TopMockProtocol
import TopMockScenarios
import TopMockTesting

/// Hot reload, through the real file system.
@Suite struct HotReloadTests {
    static let cash = """
        shops:
          - shop_id: 124
            payment_orders:
              - actions:
                  - {request_id: hot-1, buyer_id: 1, channel: cash, status: PAYING, timeline: [{after_queries: 1, status: SUCCESS}]}
                  - {request_id: hot-2, buyer_id: 1, channel: cash, status: STATUS_A}
        """

    /// Runs `body` with a scenario folder holding `hot.yaml` (written with ``cash``), removed after.
    static func withScenarioFile(_ body: (_ folder: URL, _ file: URL) throws -> Void) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("topmock-reload-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("hot.yaml")
        try cash.write(to: file, atomically: true, encoding: .utf8)
        try body(folder, file)
    }

    @Test func reloadsChangedFilesKeepsUnchangedStateAndSurvivesBrokenFiles() throws {
        try HotReloadTests.withScenarioFile { directory, file in
            let app = try GatewayTests.makeApplication {
                $0.scenarioPaths = [directory.path]
                $0.watchInterval = .milliseconds(20)
            }
            try TestTarget.live.run(app) { (client: TestClient) throws in
                func status(_ id: String) throws -> String? {
                    ShippedScenarioTests.field(
                        try client.execute(SignedRequest.payActionQuery(shopID: 124, requestID: id, buyerID: 1)), "action_status")
                }
                func waitFor(_ id: String, _ expected: String) throws -> Bool {
                    try TestDeadlines.waitUntil { try status(id) == expected }
                }
                #expect(try status("hot-1") == "PAYING")
                // Change hot-2 only: hot-1 keeps its place in its timeline.
                try Self.cash.replacing("STATUS_A", with: "STATUS_B").write(to: file, atomically: true, encoding: .utf8)
                #expect(try waitFor("hot-2", "STATUS_B"))
                #expect(try status("hot-1") == "SUCCESS")

                // A broken file: the last good set keeps serving, health says why.
                try "shops: [\n".write(to: file, atomically: true, encoding: .utf8)
                var health = ""
                _ = try TestDeadlines.waitUntil {
                    health = try client.execute(HTTPRequest(method: "GET", path: "/__admin/health")).bodyText
                    return health.contains("last_reload_errors")
                }
                #expect(
                    health.contains(
                        #""last_reload_errors":["\#(file.path):2:1: error: YAML syntax: did not find expected node content while parsing a flow node"]"#
                    ))
                #expect(try status("hot-2") == "STATUS_B")

                // Fixed again: the error goes away.
                try Self.cash.replacing("STATUS_A", with: "STATUS_C").write(to: file, atomically: true, encoding: .utf8)
                #expect(try waitFor("hot-2", "STATUS_C"))
                #expect(!(try client.execute(HTTPRequest(method: "GET", path: "/__admin/health")).bodyText.contains("last_reload_errors")))
            }
        }
    }

    /// A store's prices change on reload; a broken store keeps the last good one serving, with a
    /// path:line:col diagnostic.
    @Test func aStoreReloadsAndABrokenOneKeepsTheLastGoodServing() throws {
        try HotReloadTests.withScenarioFile { directory, file in
            let store = "stores:\n  - shop_id: 5\n    items:\n      - {item_id: 1, title: tea, price_fen: PRICE, codes: [T1]}\n"
            try store.replacing("PRICE", with: "300").write(to: file, atomically: true, encoding: .utf8)
            let app = try GatewayTests.makeApplication {
                $0.scenarioPaths = [directory.path]
                $0.watchInterval = .milliseconds(20)
            }
            try TestTarget.live.run(app) { (client: TestClient) throws in
                func price() throws -> String? {
                    let scan = SignedRequest.call(
                        APIName(rawValue: "alibaba.pos.item.get"), business: [("shop_id", "5"), ("code_reader_req", #"{"code_value":"T1"}"#)])
                    return ShippedScenarioTests.field(try client.execute(scan), "price")
                }
                #expect(try price() == "300")
                try store.replacing("PRICE", with: "320").write(to: file, atomically: true, encoding: .utf8)
                #expect(try TestDeadlines.waitUntil { try price() == "320" })
                try store.replacing("PRICE", with: "-1").write(to: file, atomically: true, encoding: .utf8)
                var health = ""
                _ = try TestDeadlines.waitUntil {
                    health = try client.execute(HTTPRequest(method: "GET", path: "/__admin/health")).bodyText
                    return health.contains("last_reload_errors")
                }
                #expect(
                    health.contains("\(file.path):4:45: error: 'price_fen' in an item must be between 0 and 10000000000 fen, found -1"), "\(health)")
                #expect(try price() == "320")
            }
        }
    }

    /// File write → new answer, measured (reported in docs/benchmarks.md by benchmarks/run too).
    @Test func reloadIsQuick() throws {
        try HotReloadTests.withScenarioFile { directory, file in
            let app = try GatewayTests.makeApplication { $0.scenarioPaths = [directory.path] }
            try TestTarget.live.run(app) { (client: TestClient) throws in
                try Self.cash.replacing("STATUS_A", with: "STATUS_Z").write(to: file, atomically: true, encoding: .utf8)
                // The default 50 ms interval picks it up; the deadline only stops a regression hanging.
                let seen = try TestDeadlines.waitUntil {
                    ShippedScenarioTests.field(
                        try client.execute(SignedRequest.payActionQuery(shopID: 124, requestID: "hot-2", buyerID: 1)), "action_status")
                        == "STATUS_Z"
                }
                #expect(seen)
            }
        }
    }

    /// Uploads, deletions and the watcher load and apply one at a time: concurrent uploads (test
    /// classes that run in parallel, each uploading its own scenario) all end up served, none
    /// overwritten by a set loaded before it.
    @Test func concurrentUploadsAreAllServed() throws {
        let app = try GatewayTests.makeApplication { $0.watchInterval = .milliseconds(5) }
        try TestTarget.live.run(app) { (client: TestClient) throws in
            let count = 12
            let statuses = Locked<[Int]>([])
            let threads = (0..<count).map { index in
                Thread {
                    let yaml = """
                        name: parallel-\(index)
                        shops:
                          - shop_id: \(7000 + index)
                            payment_orders:
                              - actions:
                                  - {request_id: parallel-\(index), buyer_id: 1, channel: cash, status: SUCCESS}

                        """
                    let status = (try? AdminTests.admin(client, "POST", "/__admin/scenarios?name=parallel-\(index)", body: yaml))?.status ?? 0
                    statuses.withLock { $0.append(status) }
                }
            }
            for thread in threads { thread.start() }
            #expect(TestDeadlines.waitUntil { threads.allSatisfy(\.isFinished) })
            #expect(statuses.withLock { $0 }.sorted() == Array(repeating: 201, count: count))
            for index in 0..<count {
                let answer = try client.execute(SignedRequest.payActionQuery(shopID: Int64(7000 + index), requestID: "parallel-\(index)", buyerID: 1))
                #expect(ShippedScenarioTests.field(answer, "action_status") == "SUCCESS", "parallel-\(index): \(answer.bodyText)")
            }
        }
    }
}
