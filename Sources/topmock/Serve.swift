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

            \(SettingsTable.environmentNow)
            """
    )

    @OptionGroup var options: ServeOptions

    func run() throws {
        try options.run(adjust: { _ in }, ready: { _ in nil }, onStop: { _ in })
    }
}

/// The options of `serve` (and of `record`, which serves too) and what they make. Names, help,
/// variables, defaults and bounds come from ``SettingsTable``.
struct ServeOptions: ParsableArguments {
    @Option(name: SettingsTable.host.nameSpecification, help: SettingsTable.host.argumentHelp)
    var host: String?

    @Option(name: SettingsTable.port.nameSpecification, help: SettingsTable.port.argumentHelp)
    var port: Int?

    @Option(name: SettingsTable.scenarios.nameSpecification, help: SettingsTable.scenarios.argumentHelp)
    var scenarioPaths: [String] = []

    @Option(name: SettingsTable.apps.nameSpecification, help: SettingsTable.apps.argumentHelp)
    var apps: [String] = []

    @Flag(name: SettingsTable.noDefaultApp.nameSpecification, help: SettingsTable.noDefaultApp.argumentHelp)
    var noDefaultApp = false

    @Option(name: SettingsTable.portFile.nameSpecification, help: SettingsTable.portFile.argumentHelp)
    var portFile: String?

    @Option(name: SettingsTable.logLevel.nameSpecification, help: SettingsTable.logLevel.argumentHelp)
    var logLevel: Logger.Level?

    @Option(name: SettingsTable.logFormat.nameSpecification, help: SettingsTable.logFormat.argumentHelp)
    var logFormat: LogFormat?

    @Option(name: SettingsTable.timestampZone.nameSpecification, help: SettingsTable.timestampZone.argumentHelp)
    var timestampZone: TimestampPolicy.Zone?

    @Option(name: SettingsTable.timestampTolerance.nameSpecification, help: SettingsTable.timestampTolerance.argumentHelp)
    var timestampTolerance: Int?

    @Option(name: SettingsTable.jsonContentType.nameSpecification, help: SettingsTable.jsonContentType.argumentHelp)
    var jsonContentType: String?

    @Flag(name: SettingsTable.noDiagnosticHeader.nameSpecification, help: SettingsTable.noDiagnosticHeader.argumentHelp)
    var noDiagnosticHeader = false

    @Flag(name: SettingsTable.requireSession.nameSpecification, help: SettingsTable.requireSession.argumentHelp)
    var requireSession = false

    @Option(name: SettingsTable.watchInterval.nameSpecification, help: SettingsTable.watchInterval.argumentHelp)
    var watchInterval: Int?

    @Option(name: SettingsTable.admin.nameSpecification, help: SettingsTable.admin.argumentHelp)
    var admin: AdminSwitch?

    @Option(name: SettingsTable.adminToken.nameSpecification, help: SettingsTable.adminToken.argumentHelp)
    var adminToken: String?

    @Option(name: SettingsTable.allowedHosts.nameSpecification, help: SettingsTable.allowedHosts.argumentHelp)
    var allowedHosts: [String] = []

    @Option(name: SettingsTable.journalMaxEntries.nameSpecification, help: SettingsTable.journalMaxEntries.argumentHelp)
    var journalMaxEntries: Int?

    @Option(name: SettingsTable.journalMaxBytes.nameSpecification, help: SettingsTable.journalMaxBytes.argumentHelp)
    var journalMaxBytes: Int?

    @Option(name: SettingsTable.maxCreatedActions.nameSpecification, help: SettingsTable.maxCreatedActions.argumentHelp)
    var maxCreatedActions: Int?

    @Option(name: SettingsTable.maxNamespaces.nameSpecification, help: SettingsTable.maxNamespaces.argumentHelp)
    var maxNamespaces: Int?

    @Option(name: SettingsTable.threads.nameSpecification, help: SettingsTable.threads.argumentHelp)
    var threads: Int?

    @Option(name: SettingsTable.connectionLimit.nameSpecification, help: SettingsTable.connectionLimit.argumentHelp)
    var connectionLimit: Int?

    @Option(name: SettingsTable.connectionTimeout.nameSpecification, help: SettingsTable.connectionTimeout.argumentHelp)
    var connectionTimeout: Int?

    @Option(name: SettingsTable.maxBodyBytes.nameSpecification, help: SettingsTable.maxBodyBytes.argumentHelp)
    var maxBodyBytes: Int?

    @Option(name: SettingsTable.maxParameters.nameSpecification, help: SettingsTable.maxParameters.argumentHelp)
    var maxParameters: Int?

    @Option(name: SettingsTable.maxHeaderBytes.nameSpecification, help: SettingsTable.maxHeaderBytes.argumentHelp)
    var maxHeaderBytes: Int?

    @Option(name: SettingsTable.proxyOnMiss.nameSpecification, help: SettingsTable.proxyOnMiss.argumentHelp)
    var proxyOnMiss: String?

    @Option(name: SettingsTable.recordTo.nameSpecification, help: SettingsTable.recordTo.argumentHelp)
    var recordTo: String?

    @OptionGroup(title: "Upstream (record, --proxy-on-miss)") var upstream: UpstreamOptions

    /// Resolves the whole configuration once before running, so a bad value, from an option or a
    /// variable, is a usage error of this command.
    func validate() throws {
        _ = try makeConfiguration()
    }

    /// Serves until SIGINT or SIGTERM. `adjust` changes the configuration the options made (`record`
    /// adds the upstream); `ready` may replace the ready line's text before the address; `onStop`
    /// runs after the server stopped (`record` writes its file).
    func run(
        adjust: (inout Configuration) throws -> Void, ready: (TopMockApplication) -> String?, onStop: (TopMockApplication) throws -> Void
    ) throws {
        var configuration = try makeConfiguration()
        let recordTo = try SettingsTable.recordTo.resolve(self.recordTo)?.nonEmpty
        if let url = try SettingsTable.proxyOnMiss.resolve(proxyOnMiss)?.nonEmpty {
            configuration.upstream = try upstream.settings(url: url, flag: "--proxy-on-miss", mode: .proxyOnMiss)
        } else if recordTo != nil {
            throw ValidationError("--record-to goes with --proxy-on-miss (topmock record has --output)")
        }
        try adjust(&configuration)
        if configuration.upstream != nil, let problem = UpstreamSettings.unavailableReason {
            printError("topmock: \(problem)")
            throw ExitCode(2)
        }
        let level: Logger.Level = try SettingsTable.logLevel.resolve(logLevel)
        let format: LogFormat = try SettingsTable.logFormat.resolve(logFormat)
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
        if let path = try SettingsTable.portFile.resolve(portFile)?.nonEmpty {
            if let reason = writeFile(path, contents: "\(port)\n") {
                application.stop()
                printError("topmock: cannot write the port file '\(path)': \(reason)")
                throw ExitCode(2)
            }
        }
        let set = application.engine.set
        let shownHost = configuration.http.host.contains(":") ? "[\(configuration.http.host)]" : configuration.http.host
        print(
            (ready(application) ?? "topmock \(TopMockVersion.current)") + " listening on http://\(shownHost):\(port)/router/rest "
                + "(\(set.files.count) scenario files, \(set.actions.count) payment actions, \(set.rules.count) rules, \(application.apps.count) apps)"
        )
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

    /// The configuration the options, the variables and the defaults make; every value is checked
    /// here, whichever of them it came from.
    private func makeConfiguration() throws -> Configuration {
        var configuration = Configuration()
        configuration.http.host = try SettingsTable.host.resolve(host)
        configuration.http.port = try SettingsTable.port.resolve(port)
        configuration.http.threadCount = try SettingsTable.threads.resolve(threads)
        configuration.http.connectionLimit = try SettingsTable.connectionLimit.resolve(connectionLimit)
        configuration.http.connectionTimeoutSeconds = try SettingsTable.connectionTimeout.resolve(connectionTimeout)
        configuration.http.maxBodyBytes = try SettingsTable.maxBodyBytes.resolve(maxBodyBytes)
        configuration.http.connectionMemoryLimit = try SettingsTable.maxHeaderBytes.resolve(maxHeaderBytes)
        configuration.gateway.maxParameters = try SettingsTable.maxParameters.resolve(maxParameters)
        configuration.scenarioPaths = SettingsTable.scenarios.resolve(scenarioPaths)
        for spec in SettingsTable.apps.resolve(apps) {
            guard let (key, secret) = parseApp(spec) else {
                throw ValidationError("--app '\(spec)' must be KEY:SECRET with a non-empty key and secret")
            }
            configuration.apps[key] = AppCredentials(secret: secret)
        }
        configuration.defaultAppEnabled = !SettingsTable.noDefaultApp.resolve(noDefaultApp)
        configuration.gateway.timestamp.zone = try SettingsTable.timestampZone.resolve(timestampZone)
        configuration.gateway.timestamp.toleranceSeconds = Int64(try SettingsTable.timestampTolerance.resolve(timestampTolerance) as Int)
        configuration.contentTypes.json = try SettingsTable.jsonContentType.resolve(jsonContentType)
        configuration.diagnosticHeader = !SettingsTable.noDiagnosticHeader.resolve(noDiagnosticHeader)
        configuration.adminEnabled = try SettingsTable.admin.resolve(admin) == .on
        configuration.adminToken = try SettingsTable.adminToken.resolve(adminToken)?.nonEmpty
        configuration.allowedHosts = SettingsTable.allowedHosts.resolve(allowedHosts)
        configuration.journal = RequestJournal.Limits(
            maxEntries: try SettingsTable.journalMaxEntries.resolve(journalMaxEntries),
            maxBytes: try SettingsTable.journalMaxBytes.resolve(journalMaxBytes))
        configuration.engine.maxCreatedActions = try SettingsTable.maxCreatedActions.resolve(maxCreatedActions)
        configuration.engine.maxNamespaces = try SettingsTable.maxNamespaces.resolve(maxNamespaces)
        let watch: Int = try SettingsTable.watchInterval.resolve(watchInterval)
        configuration.watchInterval = watch == 0 ? nil : .milliseconds(watch)
        if SettingsTable.requireSession.resolve(requireSession) {
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
