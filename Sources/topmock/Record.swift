import ArgumentParser
import TopMock

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

    @Option(name: SettingsTable.upstream.nameSpecification, help: SettingsTable.upstream.argumentHelp)
    var upstream: String?

    @Option(name: SettingsTable.output.nameSpecification, help: SettingsTable.output.argumentHelp)
    var output: String?

    func run() throws {
        guard let url = try SettingsTable.upstream.resolve(upstream)?.nonEmpty else {
            throw ValidationError("give the upstream gateway's URL: --upstream https://…/router/rest (or TOPMOCK_UPSTREAM_URL)")
        }
        guard serve.proxyOnMiss == nil else { throw ValidationError("--proxy-on-miss is for serve; record forwards every call") }
        let settings = try serve.upstream.settings(url: url, flag: "--upstream", mode: .record)
        let path: String = try SettingsTable.output.resolve(output)
        try serve.run(
            adjust: { configuration in
                configuration.upstream = settings
                configuration.scenarioPaths = []
            },
            ready: { _ in "topmock \(TopMockVersion.current) recording from \(url);" },
            onStop: { application in try writeRecording(application, to: path) })
    }
}
