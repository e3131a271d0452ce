import Foundation
import Testing
import TopMockHTTP
import TopMockLock
import TopMockProtocol
import TopMockScenarios
import TopMockTesting

@testable import topmock

/// Runs the built `topmock` binary, as a user or a CI script would.
@Suite struct CLITests {
    /// The binary sits next to the test bundle in the build folder.
    static let binary: String = {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        return bundle.appendingPathComponent("topmock").path
    }()

    /// Bounds on elapsed time are multiplied by this (`TOPMOCK_TEST_TIME_SCALE`, default 1).
    static let timeScale: Double = ProcessInfo.processInfo.environment["TOPMOCK_TEST_TIME_SCALE"].flatMap(Double.init) ?? 1

    static var root: String { packageRoot }

    /// "(N scenario files, N payment actions, N rules," as the ready line says it for scenarios/.
    static var shippedCounts: String {
        let set = ScenarioLoader.load(paths: [root + "/scenarios"]).set
        return "(\(set.files.count) scenario files, \(set.actions.count) payment actions, \(set.rules.count) rules,"
    }

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: root)
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("TOPMOCK_") }.merging(environment) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // A command that never ends is stopped, and fails the test by its status, instead of
        // hanging the run.
        let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + .seconds(TestDeadlines.deferredAnswer * 2), execute: watchdog)
        defer { watchdog.cancel() }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// A running `topmock serve` on an ephemeral port.
    final class Server {
        let process = Process()
        let output = Pipe()
        let errors = Pipe()
        let port: Int
        let readyLine: String

        init(_ arguments: [String] = [], command: String = "serve", environment: [String: String] = [:]) throws {
            let portFile = FileManager.default.temporaryDirectory.appendingPathComponent("topmock-\(UUID().uuidString).port").path
            process.executableURL = URL(fileURLWithPath: CLITests.binary)
            process.arguments = [command, "--port", "0", "--port-file", portFile] + arguments
            process.currentDirectoryURL = URL(fileURLWithPath: CLITests.root)
            process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("TOPMOCK_") }.merging(environment) { $1 }
            process.standardOutput = output
            process.standardError = errors
            try process.run()
            // The ready line, read without blocking under a deadline: a server that never prints it
            // (or never exits) fails the test instead of hanging the run.
            let descriptor = output.fileHandleForReading.fileDescriptor
            _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
            var line: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 4096)
            let complete = TestDeadlines.waitUntil {
                let count = read(descriptor, &buffer, buffer.count)
                if count > 0 { line += buffer[..<count] }
                return line.contains(10) || count == 0  // 0: the server exited
            }
            if !complete { process.terminate() }
            readyLine = String(decoding: line.prefix { $0 != 10 }, as: UTF8.self)
            port = Int((try? String(contentsOfFile: portFile, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 0
            try? FileManager.default.removeItem(atPath: portFile)
        }

        /// Sends SIGTERM and returns the exit status and how long the exit took.
        func terminate() -> (Int32, Duration) {
            let clock = ContinuousClock()
            let start = clock.now
            process.terminate()
            process.waitUntilExit()
            return (process.terminationStatus, clock.now - start)
        }

        deinit {
            if process.isRunning {
                process.terminate()
                process.waitUntilExit()
            }
        }
    }

    /// `topmock record` between a client and a second topmock: it answers with the upstream's
    /// answers and writes them as a scenario file at SIGTERM, which `topmock validate` accepts.
    @Test func recordWritesWhatTheUpstreamAnsweredAtStop() throws {
        let upstream = try Server()
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("topmock-recorded-\(UUID().uuidString).yaml").path
        defer { try? FileManager.default.removeItem(atPath: output) }
        let recorder = try Server(
            ["--upstream", "http://127.0.0.1:\(upstream.port)/router/rest", "--upstream-app-key", "12345678", "--output", output],
            command: "record", environment: ["TOPMOCK_UPSTREAM_SECRET": "helloworld"])
        #expect(
            recorder.readyLine.hasPrefix(
                "topmock 0.1.0 recording from http://127.0.0.1:\(upstream.port)/router/rest; listening on http://127.0.0.1:\(recorder.port)/router/rest"
            ))
        var statuses: [String] = []
        for _ in 0..<3 {
            let request = SignedRequest.payActionQuery(shopID: 124, requestID: "alipay-poll-0001", buyerID: 123).placed(.get).httpRequest()
            let body = try HTTPClient(port: recorder.port).send("GET", "/router/rest?" + request.query).bodyText
            statuses.append(body.contains(#""action_status":"SUCCESS""#) ? "SUCCESS" : body.contains(#""action_status":"PAYING""#) ? "PAYING" : body)
        }
        #expect(statuses == ["PAYING", "PAYING", "SUCCESS"])
        let (status, _) = recorder.terminate()
        let stderr = String(decoding: recorder.errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(status == 0 && stderr.contains("recorded 3 calls to \(output)"), "\(stderr)")
        let yaml = try String(contentsOfFile: output, encoding: .utf8)
        #expect(yaml.contains("after_queries: 2") && !yaml.contains("helloworld") && !stderr.contains("helloworld"), "\(yaml)")
        let validated = try Self.run(["validate", output])
        #expect(validated.status == 0, "\(validated.stdout)\(validated.stderr)")
    }

    @Test func recordNeedsAnUpstreamAndItsApp() throws {
        let missing = try Self.run(["record"])
        #expect(missing.status == 64 && missing.stderr.contains("--upstream"), "\(missing.stderr)")
        let noSecret = try Self.run(["record", "--upstream", "https://gw.example/router/rest", "--upstream-app-key", "1"])
        #expect(noSecret.status == 64 && noSecret.stderr.contains("TOPMOCK_UPSTREAM_SECRET"), "\(noSecret.stderr)")
        let proxyWithoutApp = try Self.run(["serve", "--proxy-on-miss", "https://gw.example/router/rest"])
        #expect(
            proxyWithoutApp.status == 64 && proxyWithoutApp.stderr.contains("--proxy-on-miss needs the upstream app"), "\(proxyWithoutApp.stderr)")
        let recordToAlone = try Self.run(["serve", "--record-to", "x.yaml"])
        #expect(recordToAlone.status == 64 && recordToAlone.stderr.contains("--record-to goes with --proxy-on-miss"), "\(recordToAlone.stderr)")
    }

    @Test func servesPrintsOneReadyLineAndStopsOnSIGTERM() throws {
        let server = try Server()
        #expect(server.port > 0)
        #expect(server.readyLine == "topmock 0.1.0 listening on http://127.0.0.1:\(server.port)/router/rest \(Self.shippedCounts) 1 apps)")
        let request = SignedRequest.payActionQuery(shopID: 124, requestID: "split-0001-cash", buyerID: 456).placed(.get).httpRequest()
        let response = try HTTPClient(port: server.port).send("GET", "/router/rest?" + request.query)
        #expect(response.bodyText.contains(#""channel_name":"cash","action_status":"SUCCESS""#))

        let bare = try Self.run(["healthcheck", "--quiet", "--url", "http://127.0.0.1:\(server.port)"])
        #expect(bare.status == 0, "a server URL without a path means its health route: \(bare.stderr)")
        let health = try Self.run(["healthcheck", "--url", "http://127.0.0.1:\(server.port)/__admin/health"])
        #expect(health.status == 0)
        #expect(health.stdout.hasPrefix("healthy: {") && health.stdout.contains(#""status":"ok""#))

        let (status, took) = server.terminate()
        #expect(status == 0)
        // The promise is 1 s (it takes ~3 ms). Under ThreadSanitizer the process's exit alone takes
        // a second, so scripts/sanitizers scales the bound with TOPMOCK_TEST_TIME_SCALE.
        #expect(took < .seconds(1) * Self.timeScale)
    }

    @Test func readsOptionsFromTheEnvironment() throws {
        let server = try Server(environment: ["TOPMOCK_APPS": "4272:s3cret", "TOPMOCK_NO_DEFAULT_APP": "1"])
        #expect(server.readyLine.hasSuffix("\(Self.shippedCounts) 1 apps)"))
        let good = SignedRequest.payActionQuery(shopID: 124, requestID: "cash-0001", buyerID: 123, appKey: "4272", secret: "s3cret")
        #expect(
            try HTTPClient(port: server.port).send("GET", "/router/rest?" + good.placed(.get).httpRequest().query).bodyText.contains(
                #""success":true"#))
        let builtIn = SignedRequest.payActionQuery(shopID: 124, requestID: "cash-0001", buyerID: 123)
        #expect(
            try HTTPClient(port: server.port).send("GET", "/router/rest?" + builtIn.placed(.get).httpRequest().query).bodyText.contains(#""code":29"#)
        )
        #expect(server.terminate().0 == 0)
    }

    @Test func logsOneJSONObjectPerLineWithTheRequestID() throws {
        let server = try Server(["--log-format", "json"])
        let bad = SignedRequest.payActionQuery(shopID: 124, requestID: "cash-0001", buyerID: 123).signedWith(secret: "Zq7-never-logged")
        let answer = try HTTPClient(port: server.port).send("GET", "/router/rest?" + bad.placed(.get).httpRequest().query)
        #expect(server.terminate().0 == 0)
        let lines = String(decoding: server.errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .split(separator: "\n").map(String.init)
        let objects = lines.compactMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] }
        #expect(objects.count == lines.count && !lines.isEmpty, "\(lines)")
        let rejected = try #require(objects.first { $0["message"] as? String == "rejected" })
        #expect(rejected["level"] as? String == "info")
        #expect(rejected["top.error.code"] as? String == "25")
        #expect((rejected["request_id"] as? String).map { answer.bodyText.contains($0) } == true)
        #expect((rejected["time"] as? String)?.hasSuffix("Z") == true)
        #expect(!lines.joined().contains("Zq7-never-logged") && !lines.joined().contains("helloworld"))
    }

    /// The official Node SDK parses only application/json or text/javascript: serve says so at
    /// start for any other JSON content type, and says nothing for the two it parses.
    @Test func warnsAboutAJSONContentTypeTheNodeSDKDoesNotParse() throws {
        let server = try Server(["--json-content-type", "text/plain;charset=UTF-8"])
        let quiet = try Server(["--json-content-type", "text/javascript;charset=UTF-8"])
        #expect(server.terminate().0 == 0 && quiet.terminate().0 == 0)
        let warned = String(decoding: server.errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(warned.contains("warning") && warned.contains("'text/plain;charset=UTF-8'") && warned.contains("Node SDK"), "\(warned)")
        let silent = String(decoding: quiet.errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(!silent.contains("Node SDK"), "\(silent)")
    }

    @Test func healthcheckFailsWhenNothingListens() throws {
        let run = try Self.run(["healthcheck", "--url", "http://127.0.0.1:1/__admin/health"])
        #expect(run.status == 1)
        #expect(run.stderr == "unhealthy: cannot connect to 127.0.0.1:1: connection refused\n")
    }

    @Test func refusesToServeInvalidScenariosWithExitCode1() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("topmock-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "shops:\n  - shop_id: 1\n    payment_ordrs: []\n".write(
            to: directory.appendingPathComponent("bad.yaml"), atomically: true, encoding: .utf8)
        let path = directory.appendingPathComponent("bad.yaml").path
        let expected = """
            \(path):2:5: error: a shop is missing the required key 'payment_orders'
              - shop_id: 1
                ^
            \(path):3:5: error: unknown key 'payment_ordrs' in a shop; did you mean 'payment_orders'?
                payment_ordrs: []
                ^

            """
        let validate = try Self.run(["validate", directory.path])
        #expect(validate.status == 1)
        #expect(validate.stderr == expected + "2 errors\n")
        let serve = try Self.run(["serve", "--port", "0", "--scenarios", directory.path])
        #expect(serve.status == 1)
        #expect(serve.stderr == "topmock: the scenarios are invalid; not starting.\n" + expected)
    }

    @Test func validatesShippedScenarios() throws {
        let run = try Self.run(["validate"])
        #expect(run.status == 0)
        let set = ScenarioLoader.load(paths: [Self.root + "/scenarios"]).set
        #expect(
            run.stdout
                == "ok: \(set.files.count) files, \(set.actions.count) payment actions, \(set.rules.count) rules, \(set.stubs.count) stubs, 0 apps\n")
    }

    @Test func exitsWith2WhenThePortIsTaken() throws {
        let server = try Server()
        let second = try Self.run(["serve", "--port", "\(server.port)"])
        #expect(second.status == 2)
        #expect(second.stderr == "topmock: cannot listen on 127.0.0.1:\(server.port): address already in use\n")
        #expect(server.terminate().0 == 0)
    }

    @Test func reportsBadUsageClearly() throws {
        let badApp = try Self.run(["serve", "--app", "nosecret"])
        #expect(badApp.status == 64)
        #expect(badApp.stderr.contains("--app 'nosecret' must be KEY:SECRET with a non-empty key and secret"))
        let badEnvironment = try Self.run(["serve"], environment: ["TOPMOCK_PORT": "eighty"])
        #expect(badEnvironment.status == 64)
        #expect(badEnvironment.stderr.contains("environment variable TOPMOCK_PORT='eighty' is not a valid value"))
    }

    /// `--help` names the served methods from the registry, every one of them.
    @Test func helpNamesEveryServedMethod() throws {
        let help = try Self.run(["--help"])
        #expect(help.status == 0)
        let text = help.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for api in ServedMethods.names { #expect(text.contains(api.rawValue), "\(api) missing from --help: \(help.stdout)") }
    }

    /// With no shell (the image), `serve --help` shows the TOPMOCK_* variables set, secrets
    /// masked, and `validate` with no paths reads what serve would.
    @Test func helpShowsTheEnvironmentAndValidateReadsWhatServeWould() throws {
        let environment = ["TOPMOCK_PORT": "8099", "TOPMOCK_ADMIN_TOKEN": "t0ps3cret", "TOPMOCK_APPS": "k:s3cr3t"]
        let help = try Self.run(["serve", "--help"], environment: environment)
        #expect(help.status == 0)
        #expect(help.stdout.contains("TOPMOCK_PORT=8099") && help.stdout.contains("TOPMOCK_ADMIN_TOKEN=***"), "\(help.stdout)")
        #expect(help.stdout.contains("TOPMOCK_APPS=***") && !help.stdout.contains("s3cr3t") && !help.stdout.contains("t0ps3cret"))
        #expect(try Self.run(["serve", "--help"]).stdout.contains("No TOPMOCK_* variable is set."))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("topmock-validate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "name: broken\nshops: [\n".write(to: directory.appendingPathComponent("b.yaml"), atomically: true, encoding: .utf8)
        let validate = try Self.run(["validate"], environment: ["TOPMOCK_SCENARIOS": directory.path])
        #expect(validate.status == 1 && validate.stderr.contains("b.yaml:3:1: error"), "\(validate.stderr)")
    }

    @Test func limitsFromTheEnvironmentAreHeldToTheSameBounds() throws {
        for (variable, value, message) in [
            ("TOPMOCK_MAX_PARAMETERS", "3", "--max-parameters must be at least 16"),
            ("TOPMOCK_MAX_HEADER_BYTES", "10", "--max-header-bytes must be between 4096 and 16777216"),
            ("TOPMOCK_MAX_BODY_BYTES", "5", "--max-body-bytes must be at least 1024"),
        ] {
            let run = try Self.run(["serve", "--port", "0"], environment: [variable: value])
            #expect(run.status == 64 && run.stderr.contains(message), "\(variable): \(run.stderr)")
        }
    }

    /// docs/configuration.md's tables are ``SettingsTable``' rows, as they render now, and `serve
    /// --help` names every variable the table does: the options, the help, the resolver and the
    /// docs come from one table.
    @Test func theDocsTablesAreTheSettingsTable() throws {
        let docs = try String(contentsOfFile: Self.root + "/docs/configuration.md", encoding: .utf8)
        func rows(between marker: String) -> [String] {
            let lines = docs.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            guard let start = lines.firstIndex(of: "<!-- \(marker) -->"), let end = lines.firstIndex(of: "<!-- /\(marker) -->") else { return [] }
            return lines[(start + 1)..<end].filter { $0.hasPrefix("| `--") }
        }
        let serveRows = SettingsTable.serveTable.map(\.markdownRow)
        let recordRows = SettingsTable.recordTable.map(\.markdownRow)
        #expect(rows(between: "serve-settings") == serveRows, "the rows should read:\n\(serveRows.joined(separator: "\n"))")
        #expect(rows(between: "record-settings") == recordRows, "the rows should read:\n\(recordRows.joined(separator: "\n"))")

        let help = try Self.run(["serve", "--help"])
        #expect(help.status == 0)
        func variables(_ text: String) -> Set<String> {
            Set(text.matches(of: /TOPMOCK_[A-Z_]+/).map { String($0.output) })
        }
        let documented = variables(serveRows.joined(separator: "\n"))
        #expect(documented.count >= 20)
        #expect(variables(help.stdout) == documented)
    }

    /// docs/protocol.md, test vector (b), through the CLI.
    @Test func signPrintsSignatureAndCanonicalString() throws {
        let run = try Self.run([
            "sign", "--secret", "helloworld", "method=alibaba.pos.pay.action.query", "app_key=12345678",
            "timestamp=2016-01-01 12:00:00", "format=json", "v=2.0", "sign_method=hmac-sha256", "shop_id=124",
            #"payment_action_request={"buyer_id":123,"request_id":"123"}"#,
        ])
        #expect(run.status == 0)
        #expect(
            run.stdout == """
                sign_method: hmac-sha256
                signed:      app_key12345678formatjsonmethodalibaba.pos.pay.action.querypayment_action_request{"buyer_id":123,"request_id":"123"}shop_id124sign_methodhmac-sha256timestamp2016-01-01 12:00:00v2.0
                sign:        618413C83E7D5C89E8100577A449D740DE015775ED8F705D4DB15B2F532A1AA9

                """)
        let query = try Self.run(["sign", "--secret", "helloworld", "--query", "a=1 2", "b=é"])
        #expect(query.stdout == "a=1+2&b=%C3%A9&sign=\(signatureOfAB)\n")
    }
}

/// md5("helloworld" + "a1 2bé" + "helloworld"), computed independently with Python's hashlib.
let signatureOfAB = "C99D63A6DF3B5047BCE2EDFDB7F91405"
