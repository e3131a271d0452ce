import ArgumentParser
import TopMock
import TopMockProtocol

#if canImport(Glibc)
import Glibc
#endif

/// `topmock record`: stand between the app and a real TOP gateway, answer with what it says, and
/// write it down as a scenario file.
struct Record: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Forward every call to a real TOP gateway, answer with what it says, and write it as a scenario file.",
        discussion: """
            The app points at topmock as with `serve` and signs with a local app (--app, or the \
            built-in 12345678:helloworld); topmock checks each call as `serve` does, signs it anew \
            with the upstream app, forwards it, and answers with the upstream's answer in the format \
            the app asked for. On SIGINT/SIGTERM it writes the recording to --output (and GET \
            /__admin/recording gives it at any time). Scenario files are not read (--scenarios is \
            ignored). Give the upstream \
            secret through TOPMOCK_UPSTREAM_SECRET rather than the flag (a flag shows in `ps`); it is \
            never written or logged. docs/recording.md is the workflow.
            """
    )

    @OptionGroup var serve: ServeOptions

    @Option(help: ArgumentHelp("The gateway to forward to, e.g. https://gw.api.tbsandbox.com/router/rest. (env: TOPMOCK_UPSTREAM_URL)", valueName: "url"))
    var upstream: String?

    @Option(help: ArgumentHelp("The upstream app's key. (env: TOPMOCK_UPSTREAM_APP_KEY)", valueName: "key"))
    var upstreamAppKey: String?

    @Option(help: ArgumentHelp("The upstream app's secret; prefer the variable. (env: TOPMOCK_UPSTREAM_SECRET)", valueName: "secret"))
    var upstreamSecret: String?

    @Option(help: ArgumentHelp("PEM file of CAs for a private upstream (default: the system's). (env: TOPMOCK_UPSTREAM_CA_FILE)", valueName: "path"))
    var caFile: String?

    @Option(help: "Seconds to wait for the upstream's answer. (env: TOPMOCK_UPSTREAM_TIMEOUT, default 15)")
    var upstreamTimeout: Int?

    @Option(name: .customLong("redact"), help: ArgumentHelp(
        "A business field path to mask before it is matched or written, e.g. pay_request.operator_id; repeat for more (session, pay_request.channel_account, pay_request.alipay_account always).",
        valueName: "path"))
    var redactedPaths: [String] = []

    @Option(help: ArgumentHelp("The scenario file written at stop. (env: TOPMOCK_RECORD_OUTPUT, default recorded.yaml)", valueName: "path"))
    var output: String?

    func run() throws {
        let url = try Environment.resolve(upstream, "TOPMOCK_UPSTREAM_URL", default: "")
        let key = try Environment.resolve(upstreamAppKey, "TOPMOCK_UPSTREAM_APP_KEY", default: "")
        let secret = try Environment.resolve(upstreamSecret, "TOPMOCK_UPSTREAM_SECRET", default: "")
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
            throw ValidationError("give the upstream gateway's URL: --upstream https://…/router/rest (or TOPMOCK_UPSTREAM_URL)")
        }
        guard !key.isEmpty, !secret.isEmpty else {
            throw ValidationError("give the upstream app: --upstream-app-key and TOPMOCK_UPSTREAM_SECRET (or --upstream-secret)")
        }
        var settings = UpstreamSettings(url: url, appKey: key, secret: secret, caFile: try Environment.resolve(caFile, "TOPMOCK_UPSTREAM_CA_FILE", default: "").nonEmpty)
        let timeout = try Environment.resolve(upstreamTimeout, "TOPMOCK_UPSTREAM_TIMEOUT", default: 15)
        guard (1...600).contains(timeout) else { throw ValidationError("--upstream-timeout must be 1 to 600 seconds") }
        settings.timeoutMillis = timeout * 1000
        settings.redactedPaths = redactedPaths
        let path = try Environment.resolve(output, "TOPMOCK_RECORD_OUTPUT", default: "recorded.yaml")
        if let problem = UpstreamSettings.unavailableReason {
            printError("topmock: \(problem)")
            throw ExitCode(2)
        }
        try serve.run(
            adjust: { configuration in
                configuration.upstream = settings
                configuration.scenarioPaths = []
            },
            ready: { _ in "topmock \(TopMockVersion.current) recording from \(url);" },
            onStop: { application in
                let stamp = TimestampPolicy.format(epochMillis: SystemWallClock().nowMillis()) + " GMT+8"
                guard let yaml = application.recordingYAML(name: "recorded", recordedAt: stamp) else { return }
                if let reason = writeFile(path, contents: yaml) {
                    printError("topmock: cannot write the recording to '\(path)': \(reason)")
                    throw ExitCode(1)
                }
                let counts = application.recorder?.counts ?? (kept: 0, dropped: 0)
                printError("topmock: recorded \(counts.kept) calls to \(path)" + (counts.dropped > 0 ? " (\(counts.dropped) more were forwarded, not kept)" : ""))
            })
    }
}
