import Foundation
import Testing
import TopMockHTTP
import TopMockLock
import TopMockProtocol
import TopMockScenarios
import TopMockTesting

@testable import topmock

/// topmock's own faults: what it does when its disk, its files or its stop go wrong.
@Suite struct OwnFaultTests {
    @Test func aFullDiskForThePortFileIsAClearErrorNotACrash() throws {
        let run = try CLITests.run(["serve", "--port", "0", "--port-file", "/dev/full"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("/dev/full") && run.stderr.lowercased().contains("no space left on device"), "\(run.stderr)")
    }

    @Test func unreadableScenarioFilesAreDiagnosticsNotCrashes() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("topmock-unreadable-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // A dangling link and a directory named like a scenario file, in a scenario directory
        // (chmod 000 would not stop root, which CI is).
        try FileManager.default.createSymbolicLink(atPath: directory.path + "/gone.yaml", withDestinationPath: directory.path + "/nowhere.yaml")
        try FileManager.default.createDirectory(atPath: directory.path + "/folder.yaml", withIntermediateDirectories: true)
        let run = try CLITests.run(["validate", directory.path])
        let output = run.stdout + run.stderr
        #expect(run.status == 1)
        #expect(output.contains("gone.yaml:1:1: error: cannot read the file: no such file or directory"), "\(output)")
        #expect(output.contains("folder.yaml:1:1: error: cannot read the file: is a directory"), "\(output)")
        let serve = try CLITests.run(["serve", "--port", "0", "--scenarios", directory.path + "/gone.yaml"])
        #expect(serve.status == 1)
        #expect(serve.stderr.contains("gone.yaml:1:1: error:"), "\(serve.stderr)")
    }

    /// SIGTERM while requests are in flight (some waiting on an injected 2 s delay): every client
    /// gets an answer or a closed connection, none hangs, and topmock exits 0.
    @Test func sigtermUnderLoadAnswersOrClosesEveryRequestAndExitsZero() throws {
        let server = try CLITests.Server()
        let port = server.port
        let outcomes = Locked<[String]>([])
        let threads = (0..<24).map { index in
            Thread {
                let id = index % 3 == 0 ? "slow-0001" : "cash-0001"
                let request = SignedRequest.payActionQuery(shopID: 124, requestID: id, buyerID: 123).placed(.get).httpRequest()
                for _ in 0..<(index % 3 == 0 ? 1 : 200) {
                    do {
                        let response = try HTTPClient(port: port, timeoutSeconds: 10).send("GET", "/router/rest?" + request.query)
                        outcomes.withLock { $0.append(response.status == 200 ? "answered" : "status \(response.status)") }
                    } catch let failure as HTTPClient.Failure {
                        // Refused after the listening socket closed, or closed while waiting: both are answers.
                        outcomes.withLock { $0.append(failure.kind == .timedOut ? "hung" : "closed") }
                        if failure.kind != .timedOut { break }
                    } catch {
                        outcomes.withLock { $0.append("\(error)") }
                    }
                }
            }
        }
        for thread in threads { thread.start() }
        usleep(300_000)
        let (status, took) = server.terminate()
        #expect(TestDeadlines.waitUntil { threads.allSatisfy(\.isFinished) }, "a client thread never finished")
        let all = outcomes.withLock { $0 }
        #expect(status == 0)
        #expect(took < .seconds(2) * CLITests.timeScale, "\(took)")
        #expect(!all.contains("hung"), "\(all.filter { $0 == "hung" }.count) requests hung")
        #expect(all.contains("answered"))
        #expect(all.allSatisfy { $0 == "answered" || $0 == "closed" }, "\(Set(all))")
    }
}
