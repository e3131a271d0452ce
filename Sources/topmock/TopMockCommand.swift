import ArgumentParser
import TopMock

/// `topmock`: a local mock of the Taobao Open Platform gateway for alibaba.pos.pay.action.query.
@main
struct TopMockCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topmock",
        abstract: "A local mock of the Taobao Open Platform (TOP) gateway for alibaba.pos.pay.action.query.",
        discussion: """
            Point a TOP SDK client at http://127.0.0.1:8080/router/rest. The built-in app is \
            app_key 12345678 with secret helloworld. Every option of 'serve' can also be set \
            through the environment variable named in its help.
            """,
        version: TopMockVersion.current,
        subcommands: [Serve.self, Record.self, Validate.self, Sign.self, Healthcheck.self],
        defaultSubcommand: Serve.self
    )
}
