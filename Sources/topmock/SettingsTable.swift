import Logging
import TopMock
import TopMockHTTP
import TopMockProtocol
import TopMockScenarios

/// Every setting of `serve` and `record`, in the order `--help` and docs/configuration.md list
/// them. Defaults come from the library's own configuration types, so a default is written once.
enum SettingsTable {
    private static let http = HTTPServer.Configuration()
    private static let defaults = Configuration()

    static let host = SettingDefinition<String>(
        "host", "TOPMOCK_HOST", default: http.host,
        help: "Address to bind: an IPv4/IPv6 literal or localhost.",
        doc: "bind address: IPv4/IPv6 literal or `localhost` (the container sets `0.0.0.0`)")
    static let port = SettingDefinition<Int>(
        "port", "TOPMOCK_PORT", default: http.port, bounds: 0...65535,
        help: "TCP port; 0 picks a free one (see --port-file).")
    static let portFile = SettingDefinition<String>(
        "port-file", "TOPMOCK_PORT_FILE", valueName: "path",
        help: "Write the bound port to this file once listening.",
        doc: "write the bound port there once listening (for `--port 0`)")
    static let scenarios = SettingDefinition<[String]>(
        "scenarios", "TOPMOCK_SCENARIOS", .list(separator: ":"), default: defaults.scenarioPaths, shown: "./scenarios", valueName: "path",
        help: "Scenario directory or file; repeat for more.",
        doc: "scenario directories (their `*.yaml`/`*.yml`, in name order) or files")
    static let apps = SettingDefinition<[String]>(
        "app", "TOPMOCK_APPS", .list(separator: ","), valueName: "key:secret",
        help: "An app the gateway accepts, as KEY:SECRET; repeat for more.",
        doc: "apps the gateway accepts; win over the files' `apps`")
    static let noDefaultApp = SettingDefinition<Bool>(
        "no-default-app", "TOPMOCK_NO_DEFAULT_APP", .flag,
        help: "Do not accept the built-in app \(Configuration.defaultAppKey):\(Configuration.defaultAppSecret).",
        doc: "stop accepting the built-in app `\(Configuration.defaultAppKey)` / `\(Configuration.defaultAppSecret)`")
    static let logLevel = SettingDefinition<Logger.Level>(
        "log-level", "TOPMOCK_LOG_LEVEL", default: .info,
        help: "trace, debug, info, notice, warning, error or critical.",
        doc: "`trace` … `critical`; `info` logs every rejected call with its reason, `debug` every answer")
    static let logFormat = SettingDefinition<LogFormat>(
        "log-format", "TOPMOCK_LOG_FORMAT", default: .text,
        help: "text, or json (one JSON object a line, with request_id).",
        doc: "`json`: one JSON object a line on stderr (`time`, `level`, `label`, `message`, `request_id`, and the metadata keys), for log collectors"
    )
    static let timestampZone = SettingDefinition<TimestampPolicy.Zone>(
        "timestamp-zone", "TOPMOCK_TIMESTAMP_ZONE", default: defaults.gateway.timestamp.zone,
        help: "How 'yyyy-MM-dd HH:mm:ss' timestamps are read: gmt8 (strict, as TOP documents), local (this server's zone), or any (either).",
        doc: "`gmt8`, `local` or `any`: see [protocol.md](protocol.md#timestamps)")
    static let timestampTolerance = SettingDefinition<Int>(
        "timestamp-tolerance", "TOPMOCK_TIMESTAMP_TOLERANCE", default: Int(defaults.gateway.timestamp.toleranceSeconds),
        bounds: 0...Int(TimestampPolicy.maximumToleranceSeconds),
        help: "Largest allowed clock difference of a timestamp, in seconds.",
        doc: "allowed clock difference in seconds, both ways (at most the clock's whole span, 315537897600: any timestamp)")
    static let jsonContentType = SettingDefinition<String>(
        "json-content-type", "TOPMOCK_JSON_CONTENT_TYPE", default: defaults.contentTypes.json,
        help: "Content-Type of JSON answers, e.g. 'text/javascript;charset=UTF-8'.",
        doc:
            "e.g. `text/javascript;charset=UTF-8`, which the real gateway most likely sends; `serve` warns at start about a type without `application/json` or `text/javascript`, which the official Node SDK does not parse ([clients.md](clients.md#what-running-the-official-sdks-taught))"
    )
    static let noDiagnosticHeader = SettingDefinition<Bool>(
        "no-diagnostic-header", "TOPMOCK_NO_DIAGNOSTIC_HEADER", .flag,
        help: "Do not send the X-Topmock-Diagnostic header on error answers.",
        doc: "stop sending `X-Topmock-Diagnostic` on error answers")
    static let requireSession = SettingDefinition<Bool>(
        "require-session", "TOPMOCK_REQUIRE_SESSION", .flag,
        help: "Require a session parameter on alibaba.pos.pay.action.query (code 26 without one); TOP does not.",
        doc:
            "every call needs a `session` (code 26 without); an app's `sessions` list in a scenario file does this for one app and also checks the value (27)"
    )
    static let admin = SettingDefinition<AdminSwitch>(
        "admin", "TOPMOCK_ADMIN", default: defaults.adminEnabled ? .on : .off, valueName: "on|off",
        help: "Serve the admin API under /__admin/ and the metrics at /metrics: on or off (health stays on).",
        doc:
            "serve the admin API under `/__admin/` and the Prometheus metrics at `/metrics` ([ci.md](ci.md#metrics)); `/__admin/health` answers either way, for probes"
    )
    static let adminToken = SettingDefinition<String>(
        "admin-token", "TOPMOCK_ADMIN_TOKEN", valueName: "token",
        help: "Require 'Authorization: Bearer TOKEN' (or Basic, token as password) on every admin call, /metrics and the dashboard, health included.",
        doc:
            "every admin call, health, `/metrics` and the dashboard included, needs `Authorization: Bearer TOKEN` (or HTTP Basic with the token as password: how a browser sends it, [dashboard.md](dashboard.md#safety)); `topmock healthcheck` reads the same variable. Set it whenever topmock listens beyond loopback (a container with `TOPMOCK_HOST=0.0.0.0`)"
    )
    static let allowedHosts = SettingDefinition<[String]>(
        "allowed-host", "TOPMOCK_ALLOWED_HOSTS", .list(separator: ","), valueName: "name",
        help: "A host name admin calls may be sent to besides localhost and IP addresses (a compose service); repeat for more.",
        doc:
            "a `Host` admin calls may carry besides `localhost` and IP addresses, e.g. a compose service's name; any other gets 403 on admin routes (DNS rebinding), while `/router/rest` takes any ([ci.md](ci.md#docker-compose))"
    )
    static let journalMaxEntries = SettingDefinition<Int>(
        "journal-max-entries", "TOPMOCK_JOURNAL_MAX_ENTRIES", default: defaults.journal.maxEntries, bounds: 1...Int.max,
        help: "Most requests the journal keeps; the oldest go first.")
    static let journalMaxBytes = SettingDefinition<Int>(
        "journal-max-bytes", "TOPMOCK_JOURNAL_MAX_BYTES", default: defaults.journal.maxBytes, bounds: 1024...Int.max,
        help: "Most bytes the journal keeps (estimated).")
    static let watchInterval = SettingDefinition<Int>(
        "watch-interval", "TOPMOCK_WATCH_INTERVAL", default: Configuration.defaultWatchIntervalMillis, bounds: 0...3_600_000,
        help: "How often to check the scenario files for changes, in milliseconds (at most an hour); 0 turns watching off.",
        doc: "milliseconds between checks of the scenario files for changes (at most 3600000); `0` turns hot reload off")
    static let maxCreatedActions = SettingDefinition<Int>(
        "max-created-actions", "TOPMOCK_MAX_CREATED_ACTIONS", default: defaults.engine.maxCreatedActions, bounds: 1...Int.max,
        help: "Most payment actions order.pay and action templates may create in one namespace; past it they answer CREATED_ACTIONS_LIMIT.",
        doc:
            "most payment actions `order.pay` and action templates may create in one namespace; past it they answer the business failure `CREATED_ACTIONS_LIMIT` until `POST /__admin/reset` ([testing.md](testing.md#checkouts-the-app-pays-with-its-own-request_id))"
    )
    static let maxNamespaces = SettingDefinition<Int>(
        "max-namespaces", "TOPMOCK_MAX_NAMESPACES", default: defaults.engine.maxNamespaces, bounds: 1...10_000_000,
        help: "Most namespaces with state at once; a call that would start another gets TOP error 15 isp.topmock-namespace-limit.",
        doc:
            "most namespaces with state at once (each `X-Topmock-Namespace` value or app key a call used; about 1.7 KB each before what they create); a call that would start another gets TOP error 15 `isp.topmock-namespace-limit`, and no namespace's state is dropped, until `POST /__admin/reset` frees some ([robustness.md](robustness.md#memory))"
    )
    static let threads = SettingDefinition<Int>(
        "threads", "TOPMOCK_THREADS", default: http.threadCount, shown: "the number of cores", bounds: 1...256,
        help: "Polling threads.",
        doc: "libmicrohttpd polling threads")
    static let connectionLimit = SettingDefinition<Int>(
        "connection-limit", "TOPMOCK_CONNECTION_LIMIT", default: http.connectionLimit,
        help: "Most connections open at once.")
    static let connectionTimeout = SettingDefinition<Int>(
        "connection-timeout", "TOPMOCK_CONNECTION_TIMEOUT", default: http.connectionTimeoutSeconds,
        help: "Seconds an idle connection stays open.")
    static let maxBodyBytes = SettingDefinition<Int>(
        "max-body-bytes", "TOPMOCK_MAX_BODY_BYTES", default: http.maxBodyBytes, bounds: 1024...Int.max,
        help: "Largest request body in bytes; larger ones get HTTP 413.",
        doc: "larger bodies (8 MiB by default) get HTTP 413 (before reading when `Content-Length` says so)")
    static let maxParameters = SettingDefinition<Int>(
        "max-parameters", "TOPMOCK_MAX_PARAMETERS", default: defaults.gateway.maxParameters, bounds: 16...Int.max,
        help: "Most parameters one call may have; more get TOP error 43.",
        doc:
            "most parameters in one call (query, body and file parts together); more get TOP error 43 `isv.invalid-parameter` \"more than N parameters\" — parsing stops at the limit, so a body of millions of tiny fields costs no more memory than N of them"
    )
    static let maxHeaderBytes = SettingDefinition<Int>(
        "max-header-bytes", "TOPMOCK_MAX_HEADER_BYTES", default: http.connectionMemoryLimit, bounds: 4096...(16 << 20),
        help: "Memory per connection for the request line and headers, in bytes; larger headers get HTTP 431.",
        doc:
            "libmicrohttpd's memory per connection, which holds the request line and headers; larger ones get HTTP 431 (a request line too long for it, 414)"
    )
    static let proxyOnMiss = SettingDefinition<String>(
        "proxy-on-miss", "TOPMOCK_PROXY_ON_MISS", valueName: "url",
        help:
            "Forward what the scenarios do not know (an unserved method, an unknown action or checkout) to this gateway, signed with the upstream app, and answer with what it says.",
        doc:
            "forward what the scenarios do not know (a method neither served nor stubbed; an action or checkout that is not there) to this gateway, signed with the upstream app, and answer with what it says ([recording.md](recording.md))"
    )
    static let recordTo = SettingDefinition<String>(
        "record-to", "TOPMOCK_RECORD_TO", valueName: "path",
        help: "With --proxy-on-miss: write the forwarded calls as a scenario file here at stop.")
    static let upstreamAppKey = SettingDefinition<String>(
        "upstream-app-key", "TOPMOCK_UPSTREAM_APP_KEY", valueName: "key",
        help: "The upstream app's key (record, --proxy-on-miss).")
    static let upstreamSecret = SettingDefinition<String>(
        "upstream-secret", "TOPMOCK_UPSTREAM_SECRET", valueName: "secret",
        help: "The upstream app's secret; prefer the variable, a flag shows in ps.",
        doc: "its secret; prefer the variable (a flag shows in `ps`); never written or logged")
    static let caFile = SettingDefinition<String>(
        "ca-file", "TOPMOCK_UPSTREAM_CA_FILE", shown: "the system's CAs", valueName: "path",
        help: "PEM file of CAs for a private upstream.")
    static let upstreamTimeout = SettingDefinition<Int>(
        "upstream-timeout", "TOPMOCK_UPSTREAM_TIMEOUT", default: 15, bounds: 1...600,
        help: "Seconds to wait for the upstream's answer.",
        doc: "seconds to wait for the upstream; past it the app's connection is closed")
    static let redact = SettingDefinition<[String]>(
        "redact", nil, .list(separator: ","), valueName: "path",
        help:
            "A business field path masked before a forwarded call is recorded, e.g. pay_request.operator_id; repeat for more (session, and \(ServedMethods.redaction.fields.map { "\($0)" }.joined(separator: " and ")) at any depth, always)."
    )

    /// `record`'s own.
    static let upstream = SettingDefinition<String>(
        "upstream", "TOPMOCK_UPSTREAM_URL", valueName: "url",
        help: "The gateway to forward to, e.g. https://gw.api.tbsandbox.com/router/rest.")
    static let output = SettingDefinition<String>(
        "output", "TOPMOCK_RECORD_OUTPUT", default: "recorded.yaml", valueName: "path",
        help: "The scenario file written at stop.")

    /// `serve`'s settings (which `record` takes too), in docs/configuration.md's order.
    static let serveTable: [any DocumentedSetting] = [
        host, port, portFile, scenarios, apps, noDefaultApp, logLevel, logFormat, timestampZone, timestampTolerance,
        jsonContentType, noDiagnosticHeader, requireSession, admin, adminToken, allowedHosts, journalMaxEntries, journalMaxBytes,
        watchInterval, maxCreatedActions, maxNamespaces, threads, connectionLimit, connectionTimeout, maxBodyBytes, maxParameters,
        maxHeaderBytes, proxyOnMiss, recordTo, upstreamAppKey, upstreamSecret, caFile, upstreamTimeout, redact,
    ]

    /// `record`'s own settings.
    static let recordTable: [any DocumentedSetting] = [upstream, output]

    /// Variables whose values are secrets: `--help` shows them set, never their values.
    static let secretVariables: Set<String> = [apps.variable!, adminToken.variable!, upstreamSecret.variable!]

    /// The `TOPMOCK_*` variables set here, one a line (secrets masked): in an image without a
    /// shell, `topmock serve --help` is how a person reads its configuration.
    static var environmentNow: String {
        let lines = (serveTable + recordTable).compactMap(\.environmentLine)
        return lines.isEmpty ? "No TOPMOCK_* variable is set." : "Set in this environment:\n" + lines.joined(separator: "\n")
    }
}
