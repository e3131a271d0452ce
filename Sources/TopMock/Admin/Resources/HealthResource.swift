import Synchronization
import TopMockHTTP
import TopMockLock
import TopMockProtocol
import TopMockScenarios

/// `GET /__admin/health` (what is loaded, how reloads went) and `GET /metrics`.
struct HealthResource: Sendable {
    let engine: ScenarioEngine
    let apps: AppRegistry
    let journal: RequestJournal
    let reloader: ScenarioReloader
    let metrics: GatewayMetrics

    struct Health: Encodable {
        var status = "ok"
        var version: String
        var apps: Int
        var scenarios: Scenarios
    }

    struct Scenarios: Encodable {
        var files: Int
        var actions: Int
        var rules: Int
        var stubs: Int
        var loaded: [ScenarioFile]
        var reloads: Int
        var failedReloads: Int
        /// Only while the files on disk do not validate (the previous set is still served).
        var lastReloadErrors: [String]?

        enum CodingKeys: String, CodingKey {
            case files, actions, rules, stubs, loaded, reloads
            case failedReloads = "failed_reloads"
            case lastReloadErrors = "last_reload_errors"
        }
    }

    func health() -> HTTPResponse {
        let set = engine.set
        let failure = reloader.lastFailure.withLock { $0 }
        return .json(
            Health(
                version: TopMockVersion.current, apps: apps.all.count,
                scenarios: Scenarios(
                    files: set.files.count, actions: set.actions.count, rules: set.rules.count, stubs: set.stubs.count,
                    loaded: set.files.map(ScenarioFile.init), reloads: reloader.reloads.load(ordering: .relaxed),
                    failedReloads: reloader.failures.load(ordering: .relaxed),
                    lastReloadErrors: failure.isEmpty ? nil : failure.map(\.headline))))
    }

    /// Prometheus text format 0.0.4.
    func prometheusMetrics() -> HTTPResponse {
        HTTPResponse(
            status: 200, headers: ["Content-Type": "text/plain; version=0.0.4; charset=utf-8"],
            body: metrics.render(journal: journal.statistics))
    }
}

/// One loaded scenario file, as the health and scenario routes list it.
struct ScenarioFile: Encodable {
    var path: String
    var name: String
    var actions: Int
    var rules: Int
    var stubs: Int

    init(_ file: ScenarioFileSummary) {
        path = file.path
        name = file.name
        actions = file.actionCount
        rules = file.ruleCount
        stubs = file.stubCount
    }
}
