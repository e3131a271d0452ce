import ArgumentParser
import TopMockHTTP

/// `topmock healthcheck`: exit 0 when a topmock answers its health route (the container's
/// HEALTHCHECK; no curl needed).
struct Healthcheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Exit 0 when the topmock at --url answers GET /__admin/health with 200, 1 otherwise.")

    @Option(
        help:
            "Health URL (http only); a URL without a path gets /__admin/health. Default: http://127.0.0.1:$\(SettingsTable.port.variable!)/__admin/health, port \(SettingsTable.port.defaultValue!) when unset."
    )
    var url: String?

    @Option(help: "Seconds to wait for the answer.")
    var timeout: Int = 3

    @Flag(help: "Print nothing.")
    var quiet = false

    @Option(help: "The admin token, when the server has one. (env: \(SettingsTable.adminToken.variable!))")
    var token: String?

    func run() throws {
        let port = (try? SettingsTable.port.resolve(nil)) ?? SettingsTable.port.defaultValue!
        let target = url ?? "http://127.0.0.1:\(port)/__admin/health"
        guard let (host, port, path) = Self.parse(target) else {
            throw ValidationError("--url '\(target)' must look like http://HOST:PORT/PATH")
        }
        do {
            var headers = HTTPHeaders()
            if let token = try token ?? SettingsTable.adminToken.resolve(nil) { headers.add(name: "Authorization", value: "Bearer \(token)") }
            let response = try HTTPClient(host: host, port: port, timeoutSeconds: timeout).send("GET", path, headers: headers)
            guard response.status == 200 else {
                if !quiet { printError("unhealthy: \(target) answered HTTP \(response.status)") }
                throw ExitCode(1)
            }
            if !quiet { print("healthy: \(response.bodyText)") }
        } catch let failure as HTTPClient.Failure {
            if !quiet { printError("unhealthy: \(failure)") }
            throw ExitCode(1)
        }
    }

    /// `http://host:port/path` → parts; IPv6 hosts in brackets; no path (or `/`) → the health route.
    static func parse(_ url: String) -> (String, Int, String)? {
        guard url.hasPrefix("http://") else { return nil }
        let rest = url.dropFirst("http://".count)
        let authority = rest.prefix { $0 != "/" }
        let path = rest.dropFirst(authority.count)
        var host = String(authority), port = 80
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            host = String(authority[authority.index(after: authority.startIndex)..<close])
            let after = authority[authority.index(after: close)...]
            if after.hasPrefix(":") {
                guard let p = Int(after.dropFirst()) else { return nil }
                port = p
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = String(authority[..<colon])
            guard let p = Int(authority[authority.index(after: colon)...]) else { return nil }
            port = p
        }
        if host == "0.0.0.0" { host = "127.0.0.1" }
        if host == "::" { host = "::1" }
        guard !host.isEmpty, (1...65535).contains(port) else { return nil }
        // A bare server URL (http://host:8080 or …/) means its health route.
        return (host, port, path.isEmpty || path == "/" ? "/__admin/health" : String(path))
    }
}
