import ArgumentParser
import Logging
import TopMock
import TopMockHTTP
import TopMockProtocol
import TopMockScenarios

#if canImport(Glibc)
import Glibc
#endif

/// `topmock serve`: serve /router/rest until SIGINT or SIGTERM.
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the TOP gateway mock (the default command).",
        discussion: """
            Exit codes: 0 stopped by SIGINT/SIGTERM; 1 the scenarios are invalid (diagnostics on \
            stderr); 2 cannot listen (address in use, bad host); 64 bad usage.
            """
    )

    @OptionGroup var options: ServeOptions

    func run() throws {
        try options.run(adjust: { _ in }, ready: { _ in nil }, onStop: { _ in })
    }
}

/// The options of `serve` (and of `record`, which serves too) and what they make.
struct ServeOptions: ParsableArguments {
    @Option(help: "Address to bind: an IPv4/IPv6 literal or localhost. (env: TOPMOCK_HOST, default 127.0.0.1)")
    var host: String?

    @Option(help: "TCP port; 0 picks a free one (see --port-file). (env: TOPMOCK_PORT, default 8080)")
    var port: Int?

    @Option(name: .customLong("scenarios"), help: ArgumentHelp(
        "Scenario directory or file; repeat for more. (env: TOPMOCK_SCENARIOS, ':'-separated, default ./scenarios)",
        valueName: "path"))
    var scenarioPaths: [String] = []

    @Option(name: .customLong("app"), help: ArgumentHelp(
        "An app the gateway accepts, as KEY:SECRET; repeat for more. (env: TOPMOCK_APPS, ','-separated)",
        valueName: "key:secret"))
    var apps: [String] = []

    @Flag(help: "Do not accept the built-in app 12345678:helloworld. (env: TOPMOCK_NO_DEFAULT_APP=1)")
    var noDefaultApp = false

    @Option(help: ArgumentHelp("Write the bound port to this file once listening. (env: TOPMOCK_PORT_FILE)", valueName: "path"))
    var portFile: String?

    @Option(help: "trace, debug, info, notice, warning, error or critical. (env: TOPMOCK_LOG_LEVEL, default info)")
    var logLevel: Logger.Level?

    @Option(help: "text, or json (one JSON object a line, with request_id). (env: TOPMOCK_LOG_FORMAT, default text)")
    var logFormat: LogFormat?

    @Option(help: "How 'yyyy-MM-dd HH:mm:ss' timestamps are read: gmt8 (strict, as TOP documents), local (this server's zone), or any (either). (env: TOPMOCK_TIMESTAMP_ZONE, default any)")
    var timestampZone: TimestampPolicy.Zone?

    @Option(help: "Largest allowed clock difference of a timestamp, in seconds. (env: TOPMOCK_TIMESTAMP_TOLERANCE, default 600)")
    var timestampTolerance: Int?

    @Option(help: "Content-Type of JSON answers, e.g. 'text/javascript;charset=UTF-8'. (env: TOPMOCK_JSON_CONTENT_TYPE, default application/json;charset=UTF-8)")
    var jsonContentType: String?

    @Flag(help: "Do not send the X-Topmock-Diagnostic header on error answers. (env: TOPMOCK_NO_DIAGNOSTIC_HEADER=1)")
    var noDiagnosticHeader = false

    @Flag(help: "Require a session parameter on alibaba.pos.pay.action.query (code 26 without one); TOP does not. (env: TOPMOCK_REQUIRE_SESSION=1)")
    var requireSession = false

    @Option(help: "How often to check the scenario files for changes, in milliseconds; 0 turns watching off. (env: TOPMOCK_WATCH_INTERVAL, default 50)")
    var watchInterval: Int?

    @Option(help: "Serve the admin API under /__admin/ and the metrics at /metrics: on or off (health stays on). (env: TOPMOCK_ADMIN, default on)")
    var admin: AdminSwitch?

    @Option(help: "Require 'Authorization: Bearer TOKEN' on every admin call and /metrics, health included. (env: TOPMOCK_ADMIN_TOKEN)")
    var adminToken: String?

    @Option(help: "Most requests the journal keeps; the oldest go first. (env: TOPMOCK_JOURNAL_MAX_ENTRIES, default 10000)")
    var journalMaxEntries: Int?

    @Option(help: "Most bytes the journal keeps (estimated). (env: TOPMOCK_JOURNAL_MAX_BYTES, default 16777216)")
    var journalMaxBytes: Int?

    @Option(help: "Most payment actions order.pay and action templates may create in one namespace; past it they answer CREATED_ACTIONS_LIMIT. (env: TOPMOCK_MAX_CREATED_ACTIONS, default 100000)")
    var maxCreatedActions: Int?

    @Option(help: "Polling threads. (env: TOPMOCK_THREADS, default: the number of cores)")
    var threads: Int?

    @Option(help: "Most connections open at once. (env: TOPMOCK_CONNECTION_LIMIT, default 4096)")
    var connectionLimit: Int?

    @Option(help: "Seconds an idle connection stays open. (env: TOPMOCK_CONNECTION_TIMEOUT, default 30)")
    var connectionTimeout: Int?

    @Option(help: "Largest request body in bytes; larger ones get HTTP 413. (env: TOPMOCK_MAX_BODY_BYTES, default 8388608)")
    var maxBodyBytes: Int?

    @Option(help: "Most parameters one call may have; more get TOP error 43. (env: TOPMOCK_MAX_PARAMETERS, default 1000)")
    var maxParameters: Int?

    @Option(help: "Memory per connection for the request line and headers, in bytes; larger headers get HTTP 431. (env: TOPMOCK_MAX_HEADER_BYTES, default 32768)")
    var maxHeaderBytes: Int?

    @Option(help: ArgumentHelp(
        "Forward what the scenarios do not know (an unserved method, an unknown action or checkout) to this gateway, signed with the upstream app, and answer with what it says. (env: TOPMOCK_PROXY_ON_MISS)",
        valueName: "url"))
    var proxyOnMiss: String?

    @Option(help: ArgumentHelp(
        "With --proxy-on-miss: write the forwarded calls as a scenario file here at stop. (env: TOPMOCK_RECORD_TO)", valueName: "path"))
    var recordTo: String?

    @OptionGroup(title: "Upstream (record, --proxy-on-miss)") var upstream: UpstreamOptions

    func validate() throws {
        if let port, !(0...65535).contains(port) { throw ValidationError("--port must be between 0 and 65535") }
        for app in apps where parseApp(app) == nil {
            throw ValidationError("--app '\(app)' must be KEY:SECRET with a non-empty key and secret")
        }
        if let threads, !(1...256).contains(threads) { throw ValidationError("--threads must be between 1 and 256") }
        if let timestampTolerance, timestampTolerance < 0 { throw ValidationError("--timestamp-tolerance must not be negative") }
    }

    /// Serves until SIGINT or SIGTERM. `adjust` changes the configuration the options made (`record`
    /// adds the upstream); `ready` may replace the ready line's text before the address; `onStop`
    /// runs after the server stopped (`record` writes its file).
    func run(
        adjust: (inout Configuration) throws -> Void, ready: (TopMockApplication) -> String?, onStop: (TopMockApplication) throws -> Void
    ) throws {
        var configuration = try makeConfiguration()
        let recordTo = try Environment.resolve(self.recordTo, "TOPMOCK_RECORD_TO", default: "").nonEmpty
        if let url = try Environment.resolve(proxyOnMiss, "TOPMOCK_PROXY_ON_MISS", default: "").nonEmpty {
            configuration.upstream = try upstream.settings(url: url, flag: "--proxy-on-miss", mode: .proxyOnMiss)
        } else if recordTo != nil {
            throw ValidationError("--record-to goes with --proxy-on-miss (topmock record has --output)")
        }
        try adjust(&configuration)
        if configuration.upstream != nil, let problem = UpstreamSettings.unavailableReason {
            printError("topmock: \(problem)")
            throw ExitCode(2)
        }
        let level = try Environment.resolve(logLevel, "TOPMOCK_LOG_LEVEL", default: .info)
        let format = try Environment.resolve(logFormat, "TOPMOCK_LOG_FORMAT", default: .text)
        LoggingSystem.bootstrap { label in
            switch format {
            case .json:
                return JSONLogHandler(logLevel: level, label: label)
            case .text:
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
        }
        let logger = Logger(label: "topmock")
        if let warning = configuration.contentTypes.nodeSDKWarning {
            logger.warning("\(warning)")
        }

        // Block SIGINT/SIGTERM before any server thread exists (threads inherit the mask), then
        // wait for them with sigwait on this thread.
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGINT)
        sigaddset(&signals, SIGTERM)
        pthread_sigmask(SIG_BLOCK, &signals, nil)

        let application: TopMockApplication
        do {
            application = try TopMockApplication(configuration: configuration, logger: logger)
        } catch {
            printError("topmock: the scenarios are invalid; not starting.\n\(error)")
            throw ExitCode(1)
        }
        do {
            try application.start()
        } catch {
            printError("topmock: \(error)")
            throw ExitCode(2)
        }
        let port = application.port
        if let path = try Environment.resolve(portFile, "TOPMOCK_PORT_FILE", default: "") as String?, !path.isEmpty {
            if let reason = writeFile(path, contents: "\(port)\n") {
                application.stop()
                printError("topmock: cannot write the port file '\(path)': \(reason)")
                throw ExitCode(2)
            }
        }
        let set = application.engine.set
        let shownHost = configuration.http.host.contains(":") ? "[\(configuration.http.host)]" : configuration.http.host
        print((ready(application) ?? "topmock \(TopMockVersion.current)") + " listening on http://\(shownHost):\(port)/router/rest "
            + "(\(set.files.count) scenario files, \(set.actions.count) payment actions, \(set.rules.count) rules, \(application.apps.count) apps)")
        fflush(nil)  // the ready line must reach a pipe at once

        var received: Int32 = 0
        sigwait(&signals, &received)
        logger.info("stopping", metadata: ["signal": "\(received == SIGTERM ? "SIGTERM" : "SIGINT")"])
        application.stop()
        logger.info("stopped")
        if let recordTo {
            try writeRecording(application, to: recordTo)
        }
        try onStop(application)
    }

    private func makeConfiguration() throws -> Configuration {
        var configuration = Configuration()
        configuration.http.host = try Environment.resolve(host, "TOPMOCK_HOST", default: "127.0.0.1")
        configuration.http.port = try Environment.resolve(port, "TOPMOCK_PORT", default: 8080)
        guard (0...65535).contains(configuration.http.port) else { throw ValidationError("TOPMOCK_PORT must be between 0 and 65535") }
        configuration.http.threadCount = try Environment.resolve(threads, "TOPMOCK_THREADS", default: configuration.http.threadCount)
        configuration.http.connectionLimit = try Environment.resolve(connectionLimit, "TOPMOCK_CONNECTION_LIMIT", default: configuration.http.connectionLimit)
        configuration.http.connectionTimeoutSeconds = try Environment.resolve(connectionTimeout, "TOPMOCK_CONNECTION_TIMEOUT", default: configuration.http.connectionTimeoutSeconds)
        configuration.http.maxBodyBytes = try Environment.resolve(maxBodyBytes, "TOPMOCK_MAX_BODY_BYTES", default: configuration.http.maxBodyBytes)
        configuration.gateway.maxParameters = try Environment.resolve(maxParameters, "TOPMOCK_MAX_PARAMETERS", default: configuration.gateway.maxParameters)
        configuration.http.connectionMemoryLimit = try Environment.resolve(
            maxHeaderBytes, "TOPMOCK_MAX_HEADER_BYTES", default: configuration.http.connectionMemoryLimit)
        // Checked after resolving, so a value from the environment is held to the same bounds.
        guard configuration.http.maxBodyBytes >= 1024 else { throw ValidationError("--max-body-bytes must be at least 1024") }
        guard configuration.gateway.maxParameters >= 16 else { throw ValidationError("--max-parameters must be at least 16") }
        guard (4096...(16 << 20)).contains(configuration.http.connectionMemoryLimit) else {
            throw ValidationError("--max-header-bytes must be between 4096 and 16777216")
        }

        if !scenarioPaths.isEmpty {
            configuration.scenarioPaths = scenarioPaths
        } else if let fromEnvironment = Environment.value("TOPMOCK_SCENARIOS") {
            configuration.scenarioPaths = fromEnvironment.split(separator: ":").map(String.init)
        }
        var appSpecs = apps
        if appSpecs.isEmpty, let fromEnvironment = Environment.value("TOPMOCK_APPS") {
            appSpecs = fromEnvironment.split(separator: ",").map(String.init)
        }
        for spec in appSpecs {
            guard let (key, secret) = parseApp(spec) else {
                throw ValidationError("TOPMOCK_APPS entry '\(spec)' must be KEY:SECRET")
            }
            configuration.apps[key] = AppCredentials(secret: secret)
        }
        configuration.defaultAppEnabled = !Environment.flag(noDefaultApp, "TOPMOCK_NO_DEFAULT_APP")
        configuration.gateway.timestamp.zone = try Environment.resolve(timestampZone, "TOPMOCK_TIMESTAMP_ZONE", default: .any)
        configuration.gateway.timestamp.toleranceSeconds = Int64(try Environment.resolve(timestampTolerance, "TOPMOCK_TIMESTAMP_TOLERANCE", default: 600))
        configuration.contentTypes.json = try Environment.resolve(jsonContentType, "TOPMOCK_JSON_CONTENT_TYPE", default: configuration.contentTypes.json)
        configuration.diagnosticHeader = !Environment.flag(noDiagnosticHeader, "TOPMOCK_NO_DIAGNOSTIC_HEADER")
        configuration.adminEnabled = try Environment.resolve(admin, "TOPMOCK_ADMIN", default: .on) == .on
        configuration.adminToken = try Environment.resolve(adminToken, "TOPMOCK_ADMIN_TOKEN", default: "").nonEmpty
        let maxEntries = try Environment.resolve(journalMaxEntries, "TOPMOCK_JOURNAL_MAX_ENTRIES", default: 10_000)
        let maxBytes = try Environment.resolve(journalMaxBytes, "TOPMOCK_JOURNAL_MAX_BYTES", default: 16 * 1024 * 1024)
        guard maxEntries >= 1, maxBytes >= 1024 else {
            throw ValidationError("the journal needs at least 1 entry and 1024 bytes")
        }
        configuration.journal = RequestJournal.Limits(maxEntries: maxEntries, maxBytes: maxBytes)
        let maxCreated = try Environment.resolve(maxCreatedActions, "TOPMOCK_MAX_CREATED_ACTIONS", default: configuration.engine.maxCreatedActions)
        guard maxCreated >= 1 else { throw ValidationError("--max-created-actions must be at least 1") }
        configuration.engine.maxCreatedActions = maxCreated
        let watch = try Environment.resolve(watchInterval, "TOPMOCK_WATCH_INTERVAL", default: 50)
        guard watch >= 0 else { throw ValidationError("--watch-interval must not be negative") }
        configuration.watchInterval = watch == 0 ? nil : .milliseconds(watch)
        if Environment.flag(requireSession, "TOPMOCK_REQUIRE_SESSION") {
            configuration.gateway.apisRequiringSession.insert(.posPayActionQuery)
        }
        return configuration
    }

    private func parseApp(_ spec: String) -> (String, String)? {
        guard let colon = spec.firstIndex(of: ":") else { return nil }
        let key = String(spec[..<colon]), secret = String(spec[spec.index(after: colon)...])
        return key.isEmpty || secret.isEmpty ? nil : (key, secret)
    }
}

/// Writes what the application forwarded as a scenario file (record, --proxy-on-miss --record-to).
func writeRecording(_ application: TopMockApplication, to path: String) throws {
    guard let yaml = application.recordingYAML() else { return }
    if let reason = writeFile(path, contents: yaml) {
        printError("topmock: cannot write the recording to '\(path)': \(reason)")
        throw ExitCode(1)
    }
    let counts = application.recorder?.counts ?? (kept: 0, dropped: 0)
    printError("topmock: recorded \(counts.kept) calls to \(path)" + (counts.dropped > 0 ? " (\(counts.dropped) more were forwarded, not kept)" : ""))
}

/// Writes a line to standard error (unbuffered).
func printError(_ text: String) {
    writeStandardError(Array((text + "\n").utf8))
}

/// Writes all of `bytes` to standard error, unbuffered (for messages and JSON log lines alike).
func writeStandardError(_ bytes: [UInt8]) {
    bytes.withUnsafeBytes { buffer in
        var written = 0
        while written < buffer.count {
            let n = write(STDERR_FILENO, buffer.baseAddress! + written, buffer.count - written)
            if n <= 0 { return }
            written += n
        }
    }
}

/// Writes the file; nil when it worked, else the reason (`strerror`).
func writeFile(_ path: String, contents: String) -> String? {
    guard let file = fopen(path, "w") else { return String(cString: strerror(errno)) }
    var failure: Int32 = 0
    if fputs(contents, file) < 0 { failure = errno }
    // A full disk shows at the flush in fclose.
    if fclose(file) != 0, failure == 0 { failure = errno }
    return failure == 0 ? nil : String(cString: strerror(failure))
}

/// `--admin on|off`.
enum AdminSwitch: String, ExpressibleByArgument {
    case on, off
}

extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}

/// `--log-format`.
enum LogFormat: String, ExpressibleByArgument {
    case text, json
}
