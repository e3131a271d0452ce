import FoundationEssentials
import TopMockHTTP
import TopMockProtocol
import TopMockScenarios

/// What the admin routes work on, one resource each (``AdminResponder/routes`` names the task):
/// the server's health and metrics, the apps, the scenario files, the namespaces (reset, clock), the
/// payment actions, checkouts and stores of a namespace, the journal, and a recording.
struct AdminContext: Sendable {
    let health: HealthResource
    let apps: AppsResource
    let scenarios: ScenariosResource
    let namespaces: NamespacesResource
    let actions: ActionsResource
    let checkouts: CheckoutsResource
    let stores: StoresResource
    let ui: UIResource
    let journal: JournalResource
    let recording: RecordingResource

    init(
        engine: ScenarioEngine, apps: AppRegistry, journal: RequestJournal, reloader: ScenarioReloader, metrics: GatewayMetrics,
        recorder: Recorder? = nil
    ) {
        health = HealthResource(engine: engine, apps: apps, journal: journal, reloader: reloader, metrics: metrics)
        self.apps = AppsResource(apps: apps, engine: engine, journal: journal)
        scenarios = ScenariosResource(engine: engine, journal: journal, reloader: reloader)
        namespaces = NamespacesResource(engine: engine, journal: journal)
        actions = ActionsResource(engine: engine)
        checkouts = CheckoutsResource(engine: engine)
        stores = StoresResource(engine: engine)
        ui = UIResource()
        self.journal = JournalResource(journal: journal)
        recording = RecordingResource(recorder: recorder)
    }
}

extension HTTPResponse {
    /// An admin answer: `value` as compact JSON, keys sorted (one order, whatever the platform's
    /// hashing), slashes unescaped (paths stay readable).
    static func json(_ value: some Encodable, status: Int = 200) -> HTTPResponse {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Every admin body is made of strings, numbers, booleans, lists and structs: encoding cannot fail.
        let body = (try? encoder.encode(value)).map(Array.init) ?? Array(#"{"error":{"code":1000,"message":"unencodable"}}"#.utf8)
        return HTTPResponse(status: status, headers: ["Content-Type": "application/json;charset=UTF-8"], body: body)
    }
}
