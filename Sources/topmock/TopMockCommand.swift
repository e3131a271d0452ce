import ArgumentParser
import TopMock
import TopMockProtocol
import TopMockScenarios

/// `topmock`: a local mock of the Taobao Open Platform gateway for the POS payment APIs. The
/// served methods in its help are the registry's (``ServedMethods``).
@main
struct TopMockCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topmock",
        abstract: "A local mock of the Taobao Open Platform (TOP) gateway for the POS payment APIs.",
        discussion: """
            Serves \(ServedMethods.names.map(\.rawValue).joined(separator: ", ")); any other method \
            through a scenario's stub. Point a TOP SDK client at http://127.0.0.1:8080/router/rest. \
            The built-in app is app_key 12345678 with secret helloworld. Every option of 'serve' \
            can also be set through the environment variable named in its help.
            """,
        version: TopMockVersion.current,
        subcommands: [Serve.self, Record.self, Validate.self, Sign.self, Healthcheck.self],
        defaultSubcommand: Serve.self
    )
}
