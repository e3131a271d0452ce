import ArgumentParser
import TopMock

/// The upstream app and connection, for `record` and `serve --proxy-on-miss`.
struct UpstreamOptions: ParsableArguments {
    @Option(name: Settings.upstreamAppKey.nameSpecification, help: Settings.upstreamAppKey.argumentHelp)
    var upstreamAppKey: String?

    @Option(name: Settings.upstreamSecret.nameSpecification, help: Settings.upstreamSecret.argumentHelp)
    var upstreamSecret: String?

    @Option(name: Settings.caFile.nameSpecification, help: Settings.caFile.argumentHelp)
    var caFile: String?

    @Option(name: Settings.upstreamTimeout.nameSpecification, help: Settings.upstreamTimeout.argumentHelp)
    var upstreamTimeout: Int?

    @Option(name: Settings.redact.nameSpecification, help: Settings.redact.argumentHelp)
    var redactedPaths: [String] = []

    /// The upstream at `url` with this app, checked; `flag` names the URL's option in messages.
    func settings(url: String, flag: String, mode: UpstreamSettings.Mode) throws -> UpstreamSettings {
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
            throw ValidationError("\(flag) must be the gateway's URL, http:// or https://…/router/rest, not '\(url)'")
        }
        guard let key = try Settings.upstreamAppKey.resolve(upstreamAppKey)?.nonEmpty,
            let secret = try Settings.upstreamSecret.resolve(upstreamSecret)?.nonEmpty
        else {
            throw ValidationError("\(flag) needs the upstream app: --upstream-app-key and TOPMOCK_UPSTREAM_SECRET (or --upstream-secret)")
        }
        var settings = UpstreamSettings(url: url, appKey: key, secret: secret, caFile: try Settings.caFile.resolve(caFile)?.nonEmpty)
        settings.timeoutMillis = try Settings.upstreamTimeout.resolve(upstreamTimeout) * 1000
        settings.redactedPaths = redactedPaths
        settings.mode = mode
        return settings
    }
}
