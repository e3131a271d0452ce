public import TopMockHTTP
public import TopMockProtocol
public import TopMockScenarios

/// Everything `topmock serve` can be told. Defaults suit a mock on a developer's machine.
public struct Configuration: Sendable {
    /// Bind address, port and the transport's limits.
    public var http = HTTPServer.Configuration()
    /// Scenario directories or files.
    public var scenarioPaths: [String] = ["scenarios"]
    /// Apps given on the command line (`--app KEY:SECRET`); they win over the files' `apps`.
    public var apps: [String: AppCredentials] = [:]
    /// Whether the built-in app (``Configuration/defaultAppKey`` / ``Configuration/defaultAppSecret``) is known.
    public var defaultAppEnabled = true
    /// Timestamp window and zone, APIs that need a session.
    public var gateway = GatewayPolicy(
        redaction: ServedMethods.redaction, timestamp: TimestampPolicy(localOffsetSeconds: SystemWallClock.localOffsetSeconds()))
    public var contentTypes = ContentTypes()
    /// Send `X-Topmock-Diagnostic` with a one-line reason on every error answer.
    public var diagnosticHeader = true
    /// How often the scenario paths are checked for changes; nil = no watching.
    public var watchInterval: Duration? = .milliseconds(Configuration.defaultWatchIntervalMillis)
    public static let defaultWatchIntervalMillis = 50
    /// Serve `/__admin/` (health stays on either way).
    public var adminEnabled = true
    /// When set, every admin call (health included) must carry `Authorization: Bearer <token>`.
    public var adminToken: String?
    /// Host names admin calls may be addressed to besides loopback and IP literals (a compose
    /// service's name): any other `Host` gets 403 there (``BrowserGuard``).
    public var allowedHosts: [String] = []
    /// Bounds of the request journal.
    public var journal = RequestJournal.Limits()
    /// Bounds on what calls create at run time (payment actions per namespace).
    public var engine = EngineLimits()
    /// With an upstream, `/router/rest` forwards every valid call to it, answers with what it said
    /// and records it (`topmock record`); scenarios are not asked.
    public var upstream: UpstreamSettings?

    /// The app every fresh topmock knows: the key and secret of TOP's own signing example
    /// (docs/protocol.md, "Test vectors"), so published test vectors work as they are.
    public static let defaultAppKey = "12345678"
    public static let defaultAppSecret = "helloworld"

    public init() {}
}
