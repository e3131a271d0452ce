import FoundationEssentials
import Synchronization
import TopMockHTTP
import TopMockProtocol
import TopMockScenarios

/// `/__admin/…`: steer topmock and read what it saw. JSON in and out. One route table;
/// docs/admin-openapi.yaml describes the same routes (a test compares them).
struct AdminResponder: HTTPResponder {
    let application: AdminContext
    let enabled: Bool
    let token: String?
    /// What keeps web pages out (``BrowserGuard``): checked before the token and every route.
    let browserGuard: BrowserGuard

    /// Every route: method, path template (`{name}` is a path segment), and the task of its
    /// resource that answers it.
    static let routes: [(method: String, template: String, handler: @Sendable (AdminContext, AdminCall) throws(AdminError) -> HTTPResponse)] = [
        ("GET", "/__admin/health", { admin, _ in admin.health.health() }),
        ("GET", "/metrics", { admin, _ in admin.health.prometheusMetrics() }),
        ("GET", "/__admin/apps", { admin, _ in admin.apps.list() }),
        ("POST", "/__admin/apps", { admin, call throws(AdminError) in try admin.apps.create(call) }),
        ("DELETE", "/__admin/apps/{app_key}", { admin, call throws(AdminError) in try admin.apps.delete(call) }),
        ("GET", "/__admin/scenarios", { admin, _ in admin.scenarios.list() }),
        ("POST", "/__admin/scenarios", { admin, call throws(AdminError) in try admin.scenarios.upload(call) }),
        ("DELETE", "/__admin/scenarios/{name}", { admin, call throws(AdminError) in try admin.scenarios.delete(call) }),
        ("POST", "/__admin/scenarios/reload", { admin, _ throws(AdminError) in try admin.scenarios.reload() }),
        ("POST", "/__admin/reset", { admin, call throws(AdminError) in try admin.namespaces.reset(call) }),
        ("GET", "/__admin/namespaces", { admin, _ in admin.namespaces.list() }),
        ("GET", "/__admin/namespaces/{ns}/clock", { admin, call in admin.namespaces.clock(call) }),
        ("PUT", "/__admin/namespaces/{ns}/clock", { admin, call throws(AdminError) in try admin.namespaces.setClock(call) }),
        ("GET", "/__admin/namespaces/{ns}/actions", { admin, call in admin.actions.list(call) }),
        ("GET", "/__admin/namespaces/{ns}/actions/{shop_id}/{request_id}", { admin, call throws(AdminError) in try admin.actions.read(call) }),
        ("PUT", "/__admin/namespaces/{ns}/actions/{shop_id}/{request_id}", { admin, call throws(AdminError) in try admin.actions.setStatus(call) }),
        (
            "POST", "/__admin/namespaces/{ns}/actions/{shop_id}/{request_id}/advance",
            { admin, call throws(AdminError) in try admin.actions.advance(call) }
        ),
        ("GET", "/__admin/namespaces/{ns}/checkouts", { admin, call in admin.checkouts.list(call) }),
        ("POST", "/__admin/namespaces/{ns}/checkouts", { admin, call throws(AdminError) in try admin.checkouts.create(call) }),
        ("GET", "/__admin/namespaces/{ns}/checkouts/{shop_id}/{checkout_id}", { admin, call throws(AdminError) in try admin.checkouts.read(call) }),
        ("GET", "/__admin/namespaces/{ns}/stores/{shop_id}", { admin, call throws(AdminError) in try admin.stores.read(call) }),
        ("PUT", "/__admin/namespaces/{ns}/stores/{shop_id}/items", { admin, call throws(AdminError) in try admin.stores.putItem(call) }),
        ("PUT", "/__admin/namespaces/{ns}/stores/{shop_id}/promotions", { admin, call throws(AdminError) in try admin.stores.putPromotion(call) }),
        ("PUT", "/__admin/namespaces/{ns}/stores/{shop_id}/accounts", { admin, call throws(AdminError) in try admin.stores.putAccount(call) }),
        ("GET", "/__admin/requests", { admin, call throws(AdminError) in try admin.journal.list(call) }),
        ("DELETE", "/__admin/requests", { admin, call throws(AdminError) in try admin.journal.clear(call) }),
        ("GET", "/__admin/requests/count", { admin, call throws(AdminError) in try admin.journal.count(call) }),
        ("GET", "/__admin/requests/{id}", { admin, call throws(AdminError) in try admin.journal.read(call) }),
        ("POST", "/__admin/requests/verify", { admin, call throws(AdminError) in try admin.journal.verify(call) }),
        ("GET", "/__admin/recording", { admin, _ throws(AdminError) in try admin.recording.read() }),
        ("DELETE", "/__admin/recording", { admin, _ throws(AdminError) in try admin.recording.clear() }),
        ("GET", "/__admin/ui", { admin, call throws(AdminError) in try admin.ui.page(call) }),
        ("GET", "/__admin/ui/{file}", { admin, call throws(AdminError) in try admin.ui.file(call) }),
    ]

    func respond(to request: HTTPRequest) -> HTTPReply {
        let segments = request.path.split(separator: "/", omittingEmptySubsequences: true)
            .map { PercentDecoding.decodeString(Array($0.utf8), plusIsSpace: false) }
        if let refusal = browserGuard.refusal(of: request, body: request.path == "/__admin/scenarios" ? .yaml : .json) {
            return .response(refusal.response)
        }
        if let token, !Self.isAuthorized(request.headers["Authorization"], token: token) {
            var refusal = AdminError.unauthorized.response
            // A browser asks for the token (any user name, the token as password) and then sends it
            // with every call of the page: how the dashboard passes it.
            refusal.headers.add(name: "WWW-Authenticate", value: #"Basic realm="topmock admin", charset="UTF-8""#)
            return .response(refusal)
        }
        guard enabled || request.path == "/__admin/health" else { return .response(AdminError.adminDisabled.response) }
        var allowed: [String] = []
        for route in Self.routes {
            guard let values = Self.match(route.template, segments) else { continue }
            guard route.method == request.method || (route.method == "GET" && request.method == "HEAD") else {
                allowed.append(route.method)
                continue
            }
            do {
                return .response(try route.handler(application, AdminCall(request: request, values: values)))
            } catch {
                return .response(error.response)
            }
        }
        if !allowed.isEmpty { return .response(AdminError.methodNotAllowed(request.method, allowed: allowed).response) }
        return .response(AdminError.notFound(request.path).response)
    }

    /// `Authorization: Bearer TOKEN` (tools, the helpers), or HTTP Basic with the token as the
    /// password and any user name (a browser, for the dashboard).
    static func isAuthorized(_ authorization: String?, token: String) -> Bool {
        guard let authorization else { return false }
        if authorization == "Bearer \(token)" { return true }
        guard authorization.count > 6, authorization.prefix(6).lowercased() == "basic ",
            let decoded = Data(base64Encoded: String(authorization.dropFirst(6))),
            let credentials = String(bytes: decoded, encoding: .utf8), let colon = credentials.firstIndex(of: ":")
        else { return false }
        return credentials[credentials.index(after: colon)...] == token
    }

    /// The template's `{name}` values, or nil when the path does not fit it.
    static func match(_ template: String, _ segments: [String]) -> [String: String]? {
        let parts = template.split(separator: "/")
        guard parts.count == segments.count else { return nil }
        var values: [String: String] = [:]
        for (part, segment) in zip(parts, segments) {
            if part.hasPrefix("{") && part.hasSuffix("}") {
                values[String(part.dropFirst().dropLast())] = segment
            } else if part != segment {
                return nil
            }
        }
        return values
    }
}

/// One admin call: the request, its path values, its query parameters, and its JSON body.
struct AdminCall {
    let request: HTTPRequest
    let values: [String: String]

    func segment(_ name: String) -> String { values[name] ?? "" }

    /// The `{shop_id}` segment, a whole number.
    func shopID() throws(AdminError) -> Int64 {
        guard let shopID = Int64(segment("shop_id")), shopID >= 0 else {
            throw .badParameter("shop_id '\(segment("shop_id"))' is not a whole number")
        }
        return shopID
    }

    var query: [String: String] {
        var result: [String: String] = [:]
        for field in URLEncodedForm.parse(request.query) where result[field.name] == nil { result[field.name] = field.value }
        return result
    }

    /// The body as `T`; an empty body decodes as `{}`.
    func body<T: Decodable>(_ type: T.Type) throws(AdminError) -> T {
        let bytes = request.body.isEmpty ? Array("{}".utf8) : request.body
        do {
            return try JSONDecoder().decode(T.self, from: Data(bytes))
        } catch let error as DecodingError {
            throw .badJSON(Self.describe(error))
        } catch {
            throw .badJSON("\(error)")
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? context.debugDescription : "\(path): \(context.debugDescription)"
        case .keyNotFound(let key, _):
            return "missing key '\(key.stringValue)'"
        case .dataCorrupted(let context):
            return "not valid JSON (\(context.debugDescription))"
        @unknown default:
            return "\(error)"
        }
    }
}
