import TopMockHTTP

/// Keeps web pages away from the admin API. A page open in the developer's browser can send
/// requests to topmock: a cross-site form or `fetch` can post, and a DNS-rebinding page (a name
/// of its own that resolves to 127.0.0.1) can even read the answers. Three rules, the ones dev
/// servers (webpack-dev-server, Vite, Jupyter) settled on, hold for every admin route; the gateway
/// `/router/rest` takes any `Host` (SDKs send the real gateway's):
///
/// 1. **Host**: an IP literal (any address topmock can be bound to), `localhost` (and
///    `*.localhost`), or a name given with `--allowed-host` (a compose service, a container name).
///    A rebinding page's requests carry its own name, so they get 403.
/// 2. **Origin**: a mutating call (anything but GET and HEAD) that carries an `Origin` must come
///    from topmock's own origin (the same host and port as `Host`); browsers send `Origin` on every
///    cross-site POST, PUT and DELETE. Tools (curl, the helpers, the SDKs) send none.
/// 3. **Content-Type**: a mutating call's body is the route's type (JSON, or YAML for a scenario
///    upload) and says so; a body without a type, or with one of the types a page may send without
///    a CORS preflight (a form, `text/plain`), gets 415. A call with no body may send no type.
struct BrowserGuard: Sendable {
    /// Names besides loopback and IP literals, lowercased, without ports.
    let allowedHosts: Set<String>

    init(allowedHosts: [String]) {
        self.allowedHosts = Set(allowedHosts.map { $0.lowercased() })
    }

    /// What the route's body is, for rule 3.
    enum BodyType {
        case json
        /// A scenario file: YAML, or JSON (a subset of YAML).
        case yaml

        func accepts(_ mediaType: MediaType) -> Bool {
            let type = mediaType.essence
            if type == "application/json" || type.hasSuffix("+json") { return true }
            return self == .yaml && ["application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"].contains(type)
        }

        var shown: String { self == .json ? "application/json" : "application/yaml" }
    }

    /// Why the request may not reach an admin route, or nil.
    func refusal(of request: HTTPRequest, body: BodyType) -> AdminError? {
        let host = request.headers["Host"]
        if let host, !isAllowed(host: Self.hostName(of: host)) {
            return .hostNotAllowed(host)
        }
        guard request.method != "GET" && request.method != "HEAD" else { return nil }
        if let origin = request.headers["Origin"], !Self.isSameOrigin(origin, host: host) {
            return .crossOrigin(origin)
        }
        let contentType = request.headers["Content-Type"]
        if let contentType {
            guard let mediaType = MediaType(contentType), body.accepts(mediaType) else {
                return .unsupportedMediaType(contentType, expected: body.shown)
            }
        } else if !request.body.isEmpty {
            return .unsupportedMediaType(nil, expected: body.shown)
        }
        return nil
    }

    /// Rule 1 for a host name without its port.
    func isAllowed(host: String) -> Bool {
        let name = host.lowercased()
        if name.isEmpty || Self.isIPLiteral(name) || name == "localhost" || name.hasSuffix(".localhost") { return true }
        return allowedHosts.contains(name)
    }

    /// `Host`'s name: without a port, an IPv6 literal with its brackets.
    static func hostName(of host: String) -> String {
        let trimmed = host.trimmingWhitespace
        if trimmed.hasPrefix("["), let close = trimmed.firstIndex(of: "]") { return String(trimmed[...close]) }
        return String(trimmed.prefix { $0 != ":" })
    }

    /// An IPv4 address in dotted form, or an IPv6 one in brackets.
    static func isIPLiteral(_ name: String) -> Bool {
        if name.hasPrefix("[") && name.hasSuffix("]") {
            // The address, then optionally `%` and a zone (`%25eth0` as a URL writes it).
            let inner = name.dropFirst().dropLast()
            let address = inner.prefix { $0 != "%" }, zone = inner.dropFirst(address.count)
            return address.contains(":") && address.allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." }
                && zone.allSatisfy { $0 == "%" || $0.isLetter || $0.isNumber || $0 == "." || $0 == "_" || $0 == "-" }
        }
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { part in part.count <= 3 && Int(part).map { $0 <= 255 } == true }
    }

    /// Whether `Origin` (`scheme://host[:port]`) names the host and port the request was sent to.
    static func isSameOrigin(_ origin: String, host: String?) -> Bool {
        guard let host, let separator = origin.firstRange(of: "://") else { return false }
        let scheme = origin[..<separator.lowerBound].lowercased()
        var authority = origin[separator.upperBound...].lowercased()
        var expected = host.trimmingWhitespace.lowercased()
        // A default port may be left out on either side.
        let defaultPort = scheme == "https" ? ":443" : ":80"
        if authority.hasSuffix(defaultPort) { authority.removeLast(defaultPort.count) }
        if expected.hasSuffix(defaultPort) { expected.removeLast(defaultPort.count) }
        return (scheme == "http" || scheme == "https") && authority == expected
    }
}

extension String {
    /// Without the spaces and tabs a header value may have around it.
    fileprivate var trimmingWhitespace: Substring {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isBlank($0) }), let last = lastIndex(where: { !isBlank($0) }) else { return "" }
        return self[first...last]
    }
}
