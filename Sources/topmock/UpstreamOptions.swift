import ArgumentParser
import TopMock

/// The upstream app and connection, for `record` and `serve --proxy-on-miss`.
struct UpstreamOptions: ParsableArguments {
    @Option(name: SettingsTable.upstreamAppKey.nameSpecification, help: SettingsTable.upstreamAppKey.argumentHelp)
    var upstreamAppKey: String?

    @Option(name: SettingsTable.upstreamSecret.nameSpecification, help: SettingsTable.upstreamSecret.argumentHelp)
    var upstreamSecret: String?

    @Option(name: SettingsTable.caFile.nameSpecification, help: SettingsTable.caFile.argumentHelp)
    var caFile: String?

    @Option(name: SettingsTable.upstreamTimeout.nameSpecification, help: SettingsTable.upstreamTimeout.argumentHelp)
    var upstreamTimeout: Int?

    @Option(name: SettingsTable.redact.nameSpecification, help: SettingsTable.redact.argumentHelp)
    var redactedPaths: [String] = []

    /// The upstream at `url` with this app, checked; `flag` names the URL's option in messages.
    func settings(url: String, flag: String, mode: UpstreamSettings.Mode) throws -> UpstreamSettings {
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
            throw ValidationError("\(flag) must be the gateway's URL, http:// or https://…/router/rest, not '\(url)'")
        }
        guard let key = try SettingsTable.upstreamAppKey.resolve(upstreamAppKey)?.nonEmpty,
            let secret = try SettingsTable.upstreamSecret.resolve(upstreamSecret)?.nonEmpty
        else {
            throw ValidationError("\(flag) needs the upstream app: --upstream-app-key and TOPMOCK_UPSTREAM_SECRET (or --upstream-secret)")
        }
        var settings = UpstreamSettings(url: url, appKey: key, secret: secret, caFile: try SettingsTable.caFile.resolve(caFile)?.nonEmpty)
        settings.timeoutMillis = try SettingsTable.upstreamTimeout.resolve(upstreamTimeout) * 1000
        settings.redactedPaths = redactedPaths
        settings.mode = mode
        return settings
    }
}
