public import Logging
public import TopMockHTTP
import TopMockLock
public import TopMockProtocol
public import TopMockScenarios

/// topmock assembled from a ``Configuration``: scenarios loaded and checked, apps merged, the
/// gateway and admin routes behind one ``HTTPResponder``.
///
/// ```swift
/// let app = try TopMockApplication(configuration: configuration, logger: logger)
/// try app.start()                      // live, on configuration.http.port
/// let outcome = app.responder.respond(to: request)   // or in-process, no sockets
/// ```
public final class TopMockApplication: Sendable {
    public let configuration: Configuration
    public let engine: ScenarioEngine
    /// The whole application as one responder (what the HTTP server calls).
    public let responder: any HTTPResponder
    /// Every call to `/router/rest`.
    public let journal: RequestJournal
    /// What `topmock record` forwarded (nil without an upstream).
    public let recorder: Recorder?
    private let registry: AppRegistry
    private let server: HTTPServer
    private let reloader: ScenarioReloader

    /// Loads the scenarios from ``Configuration/scenarioPaths``. Throws ``StartupError`` with every
    /// diagnostic when they are invalid.
    public convenience init(
        configuration: Configuration, logger: Logger, clock: any WallClock = SystemWallClock(),
        scheduler: any DelayScheduler = DispatchDelayScheduler()
    ) throws(StartupError) {
        try self.init(
            configuration: configuration, scenarios: ScenarioLoader.load(paths: configuration.scenarioPaths),
            logger: logger, clock: clock, scheduler: scheduler)
    }

    /// Uses scenarios already loaded (tests load them from texts).
    public init(
        configuration: Configuration, scenarios loaded: ScenarioLoadResult, logger: Logger,
        clock: any WallClock = SystemWallClock(), scheduler: any DelayScheduler = DispatchDelayScheduler()
    ) throws(StartupError) {
        guard loaded.isValid else { throw StartupError(diagnostics: loaded.diagnostics) }
        self.configuration = configuration
        let registry = AppRegistry(configuration: configuration, fileApps: loaded.set.apps)
        let engine = ScenarioEngine(set: loaded.set, clock: clock, limits: configuration.engine)
        self.registry = registry
        self.engine = engine
        let metrics = GatewayMetrics()
        self.reloader = ScenarioReloader(
            paths: configuration.scenarioPaths, interval: configuration.watchInterval, metrics: metrics, logger: logger
        ) { result in
            engine.replace(with: result.set)
            registry.update(fileApps: result.set.apps)
        }
        let journal = RequestJournal(limits: configuration.journal)
        self.journal = journal
        let recorder = configuration.upstream.map {
            Recorder(limit: $0.maxRecordedCalls, redactedPaths: $0.redactedPaths, secret: $0.secret, upstream: $0.url, clock: clock)
        }
        self.recorder = recorder
        let gateway = GatewayResponder(
            engine: engine, apps: registry, journal: journal, policy: configuration.gateway, contentTypes: configuration.contentTypes,
            diagnosticHeader: configuration.diagnosticHeader, clock: clock, scheduler: scheduler,
            requestIDs: RequestIDGenerator(), metrics: metrics, logger: logger,
            upstream: configuration.upstream.map { Forwarder(settings: $0) }, recorder: recorder)
        let admin = AdminResponder(
            application: AdminContext(
                engine: engine, apps: registry, journal: journal, reloader: reloader, metrics: metrics,
                recorder: recorder),
            enabled: configuration.adminEnabled, token: configuration.adminToken,
            browserGuard: BrowserGuard(allowedHosts: configuration.allowedHosts))
        let root = RootResponder(gateway: gateway, admin: admin)
        self.responder = root
        self.server = HTTPServer(configuration: configuration.http, responder: root)
    }

    /// Every app key topmock accepts now, with its secret and sessions.
    public var apps: [String: AppCredentials] { registry.all }

    /// Binds and serves until ``stop()``; starts watching the scenarios when configured.
    public func start() throws(HTTPServerError) {
        try server.start()
        reloader.start()
    }

    /// The recording as a scenario file (``Recorder/scenarioFile(name:)``); nil when not recording.
    public func recordingYAML(name: String = "recorded") -> String? {
        recorder?.scenarioFile(name: name)
    }

    /// The bound port (useful with port 0).
    public var port: Int { server.port }

    /// Graceful stop: no new connections, requests in flight finish (bounded), then close.
    public func stop() {
        reloader.stop()
        server.stop()
    }
}

/// The scenarios could not be loaded; the diagnostics say where and why.
public struct StartupError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [ScenarioDiagnostic]

    public var description: String {
        diagnostics.map(\.description).joined(separator: "\n")
    }
}

/// The route table: `/router/rest` → the TOP gateway, `/__admin/…` and `/metrics` → the admin API
/// (same switch, same token), else 404.
struct RootResponder: HTTPResponder {
    let gateway: GatewayResponder
    let admin: AdminResponder

    func respond(to request: HTTPRequest) -> HTTPReply {
        if request.path == "/router/rest" { return gateway.respond(to: request) }
        if request.path == "/__admin" || request.path.hasPrefix("/__admin/") || request.path == "/metrics" {
            return admin.respond(to: request)
        }
        return .response(AdminError.notFound(request.path).response)
    }
}
