import ArgumentParser
import TopMock

/// The upstream app and connection, for `record` and `serve --proxy-on-miss`.
struct UpstreamOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The upstream app's key (record, --proxy-on-miss). (env: TOPMOCK_UPSTREAM_APP_KEY)", valueName: "key"))
    var upstreamAppKey: String?

    @Option(help: ArgumentHelp("The upstream app's secret; prefer the variable, a flag shows in ps. (env: TOPMOCK_UPSTREAM_SECRET)", valueName: "secret"))
    var upstreamSecret: String?

    @Option(name: .customLong("ca-file"), help: ArgumentHelp(
        "PEM file of CAs for a private upstream (default: the system's). (env: TOPMOCK_UPSTREAM_CA_FILE)", valueName: "path"))
    var caFile: String?

    @Option(help: "Seconds to wait for the upstream's answer. (env: TOPMOCK_UPSTREAM_TIMEOUT, default 15)")
    var upstreamTimeout: Int?

    @Option(name: .customLong("redact"), help: ArgumentHelp(
        "A business field path masked before a forwarded call is recorded, e.g. pay_request.operator_id; repeat for more (session, pay_request.channel_account, pay_request.alipay_account always).",
        valueName: "path"))
    var redactedPaths: [String] = []

    /// The upstream at `url` with this app, checked; `flag` names the URL's option in messages.
    func settings(url: String, flag: String, mode: UpstreamSettings.Mode) throws -> UpstreamSettings {
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
            throw ValidationError("\(flag) must be the gateway's URL, http:// or https://…/router/rest, not '\(url)'")
        }
        let key = try Environment.resolve(upstreamAppKey, "TOPMOCK_UPSTREAM_APP_KEY", default: "")
        let secret = try Environment.resolve(upstreamSecret, "TOPMOCK_UPSTREAM_SECRET", default: "")
        guard !key.isEmpty, !secret.isEmpty else {
            throw ValidationError("\(flag) needs the upstream app: --upstream-app-key and TOPMOCK_UPSTREAM_SECRET (or --upstream-secret)")
        }
        var settings = UpstreamSettings(url: url, appKey: key, secret: secret, caFile: try Environment.resolve(caFile, "TOPMOCK_UPSTREAM_CA_FILE", default: "").nonEmpty)
        let timeout = try Environment.resolve(upstreamTimeout, "TOPMOCK_UPSTREAM_TIMEOUT", default: 15)
        guard (1...600).contains(timeout) else { throw ValidationError("--upstream-timeout must be 1 to 600 seconds") }
        settings.timeoutMillis = timeout * 1000
        settings.redactedPaths = redactedPaths
        settings.mode = mode
        return settings
    }
}
