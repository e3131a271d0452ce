public import Logging
public import TopMockHTTP
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
    /// Every app key topmock accepts, with its secret and sessions.
    public let apps: [String: AppCredentials]
    /// The whole application as one responder (what the HTTP server calls).
    public let responder: any HTTPResponder
    private let server: HTTPServer

    /// Loads the scenarios from ``Configuration/scenarioPaths``. Throws ``StartupError`` with every
    /// diagnostic when they are invalid.
    public convenience init(
        configuration: Configuration, logger: Logger, clock: any WallClock = SystemWallClock(),
        scheduler: any DelayScheduler = TaskDelayScheduler()
    ) throws(StartupError) {
        try self.init(
            configuration: configuration, scenarios: ScenarioLoader.load(paths: configuration.scenarioPaths),
            logger: logger, clock: clock, scheduler: scheduler)
    }

    /// Uses scenarios already loaded (tests load them from texts).
    public init(
        configuration: Configuration, scenarios loaded: ScenarioLoadResult, logger: Logger,
        clock: any WallClock = SystemWallClock(), scheduler: any DelayScheduler = TaskDelayScheduler()
    ) throws(StartupError) {
        guard loaded.isValid else { throw StartupError(diagnostics: loaded.diagnostics) }
        var apps: [String: AppCredentials] = [:]
        if configuration.defaultAppEnabled {
            apps[Configuration.defaultAppKey] = AppCredentials(secret: Configuration.defaultAppSecret)
        }
        apps.merge(loaded.set.apps) { _, file in file }
        apps.merge(configuration.apps) { _, commandLine in commandLine }

        self.configuration = configuration
        self.apps = apps
        self.engine = ScenarioEngine(set: loaded.set, clock: clock)
        let gateway = GatewayResponder(
            engine: engine, apps: apps, policy: configuration.gateway, contentTypes: configuration.contentTypes,
            diagnosticHeader: configuration.diagnosticHeader, clock: clock, scheduler: scheduler,
            requestIDs: RequestIDGenerator(), logger: logger)
        let root = RootResponder(gateway: gateway, health: HealthResponder(engine: engine, appCount: apps.count))
        self.responder = root
        self.server = HTTPServer(configuration: configuration.http, responder: root)
    }

    /// Binds and serves until ``stop()``.
    public func start() throws(HTTPServerError) {
        try server.start()
    }

    /// The bound port (useful with port 0).
    public var port: Int { server.port }

    /// Graceful stop: no new connections, requests in flight finish (bounded), then close.
    public func stop() {
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

/// The route table: `/router/rest` → the TOP gateway, `/__admin/health` → health, else 404.
struct RootResponder: HTTPResponder {
    let gateway: GatewayResponder
    let health: HealthResponder

    func respond(to request: HTTPRequest) -> HTTPOutcome {
        switch request.path {
        case "/router/rest":
            return gateway.respond(to: request)
        case "/__admin/health":
            return health.respond(to: request)
        default:
            return .response(AdminError.notFound(request.path).response)
        }
    }
}
