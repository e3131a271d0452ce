import TopMockHTTP

/// `/__admin/ui`: the dashboard (docs/dashboard.md) — the page, its script and its stylesheet,
/// served from the binary (``EmbeddedUI``, made from `ui/` at build time). The page reads and
/// steers through the admin API like any client, so the browser-safety rules and the token guard
/// it too; these answers add a strict Content-Security-Policy (scripts and styles from topmock
/// only, no inline code, no other origin, no framing).
struct UIResource: Sendable {
    /// By name: the file's bytes and type, made once.
    private let files: [String: (type: String, bytes: [UInt8])]

    static let securityHeaders: [(String, String)] = [
        (
            "Content-Security-Policy",
            "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; "
                + "form-action 'none'; frame-ancestors 'none'"
        ),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "no-referrer"),
        ("Cache-Control", "no-cache"),
    ]

    init() {
        var files: [String: (type: String, bytes: [UInt8])] = [:]
        for (name, text) in EmbeddedUI.files {
            files[name] = (Self.contentType(of: name), Array(text.utf8))
        }
        self.files = files
    }

    static func contentType(of name: String) -> String {
        if name.hasSuffix(".html") { return "text/html;charset=UTF-8" }
        if name.hasSuffix(".js") { return "text/javascript;charset=UTF-8" }
        if name.hasSuffix(".css") { return "text/css;charset=UTF-8" }
        return "application/octet-stream"
    }

    func page(_ call: AdminCall) throws(AdminError) -> HTTPResponse { try file(named: "index.html") }

    func file(_ call: AdminCall) throws(AdminError) -> HTTPResponse { try file(named: call.segment("file")) }

    private func file(named name: String) throws(AdminError) -> HTTPResponse {
        guard let file = files[name] else { throw .notFound("/__admin/ui/" + name) }
        var headers: HTTPHeaders = ["Content-Type": file.type]
        for (name, value) in Self.securityHeaders { headers.add(name: name, value: value) }
        return HTTPResponse(status: 200, headers: headers, body: file.bytes)
    }
}

#if NO_DASHBOARD
/// A fuzzing build's stand-in (Package.swift): no files, so `/__admin/ui` is 404 there.
enum EmbeddedUI {
    static let files: [(name: String, text: String)] = []
}
#endif
