import ArgumentParser
import TopMockScenarios

/// `topmock validate`: check scenario files the way the server does at start.
struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check scenario files; print every problem as file:line:col: error: message.",
        discussion: "Exit codes: 0 valid, 1 problems found.")

    @Argument(
        help: ArgumentHelp(
            "Scenario directories or files (default: what serve reads, \(SettingsTable.scenarios.variable!) or ./scenarios).", valueName: "path"))
    var paths: [String] = []

    func run() throws {
        // With no paths, what `serve` would read here: in the image, the shipped scenarios and /scenarios.
        let paths = self.paths.isEmpty ? SettingsTable.scenarios.resolve([]) : self.paths
        let result = ScenarioLoader.load(paths: paths)
        if !result.diagnostics.isEmpty { printError(result.report) }
        guard result.isValid else {
            let count = result.diagnostics.filter { $0.severity == .error }.count
            printError("\(count) error\(count == 1 ? "" : "s")")
            throw ExitCode(1)
        }
        let set = result.set
        print(
            "ok: \(set.files.count) files, \(set.actions.count) payment actions, \(set.rules.count) rules, \(set.stubs.count) stubs, \(set.apps.count) apps"
        )
    }
}
