import TopMockHTTP
import TopMockProtocol

/// topmock's own JSON errors outside `/router/rest`: `{"error":{"code":…,"message":…}}` with a
/// stable numeric code (docs/admin-openapi.yaml lists them).
struct AdminError: Error {
    let status: Int
    let code: Int
    let message: String
    /// With 1004: each diagnostic, `path:line:col: message`.
    var diagnostics: [String]?
    /// With 1008: how many calls matched, and the namespace's latest five.
    var seen: (matched: Int, recent: [JournalResource.Entry])?

    static func notFound(_ path: String) -> AdminError {
        AdminError(status: 404, code: 1001, message: "no route for '\(path)'; TOP calls go to /router/rest, admin calls under /__admin/")
    }

    static func methodNotAllowed(_ method: String, allowed: [String]) -> AdminError {
        AdminError(status: 405, code: 1002, message: "method '\(method)' is not allowed here; use \(allowed.joined(separator: " or "))")
    }

    static func badJSON(_ detail: String) -> AdminError {
        AdminError(status: 400, code: 1003, message: "the body is not the JSON this route takes: \(detail)")
    }

    static func invalidScenarios(_ diagnostics: [String]) -> AdminError {
        AdminError(status: 422, code: 1004, message: "the scenarios do not validate; nothing was changed", diagnostics: diagnostics)
    }

    static func unknownAction(shopID: String, requestID: String) -> AdminError {
        AdminError(status: 404, code: 1005, message: "no payment action with request_id '\(requestID)' in shop \(shopID)")
    }

    static func badParameter(_ message: String) -> AdminError {
        AdminError(status: 400, code: 1006, message: message)
    }

    static let unauthorized = AdminError(
        status: 401, code: 1007, message: "this topmock requires 'Authorization: Bearer <token>' on admin routes (--admin-token)")

    static func verificationFailed(_ message: String, matched: Int, recent: [JournalResource.Entry]) -> AdminError {
        AdminError(status: 409, code: 1008, message: message, seen: (matched, recent))
    }

    static func unknownScenario(_ name: String) -> AdminError {
        AdminError(status: 404, code: 1009, message: "no uploaded scenario named '\(name)'")
    }

    static let adminDisabled = AdminError(status: 404, code: 1010, message: "the admin API is off (--admin off)")

    static func unknownCheckout(shopID: String, checkoutID: String) -> AdminError {
        AdminError(status: 404, code: 1011, message: "no checkout with checkout_id '\(checkoutID)' in shop \(shopID)")
    }

    static func unknownRequest(_ id: String) -> AdminError {
        AdminError(status: 404, code: 1020, message: "no journal entry with id '\(id)' (the journal keeps the latest calls only)")
    }

    static func unknownStore(shopID: Int64) -> AdminError {
        AdminError(status: 404, code: 1019, message: "no store for shop \(shopID): declare one under stores, or PUT an item to start one")
    }

    static func checkoutConflict(_ message: String) -> AdminError {
        AdminError(status: 409, code: 1012, message: message)
    }

    static func appConflict(_ message: String) -> AdminError {
        AdminError(status: 409, code: 1013, message: message)
    }

    static let notRecording = AdminError(
        status: 404, code: 1015, message: "topmock is not recording: start it with `topmock record --upstream URL`")

    static func unknownApp(_ key: String) -> AdminError {
        AdminError(status: 404, code: 1014, message: "no app with app_key '\(key)'")
    }

    /// A `Host` that is not loopback, an IP literal or an `--allowed-host` (a DNS-rebinding page's).
    static func hostNotAllowed(_ host: String) -> AdminError {
        AdminError(
            status: 403, code: 1016,
            message: "Host '\(host)' is not a name this topmock answers to on admin routes (localhost, an IP address); "
                + "add it with --allowed-host (TOPMOCK_ALLOWED_HOSTS), e.g. a compose service's name")
    }

    /// A mutating call from a web page of another origin.
    static func crossOrigin(_ origin: String) -> AdminError {
        AdminError(
            status: 403, code: 1017,
            message: "a change from Origin '\(origin)' is refused: admin calls that change state come from topmock's own origin or from "
                + "tools that send no Origin (curl, the helpers)")
    }

    /// A mutating call whose body is not the route's type (a form, `text/plain`, or no type).
    static func unsupportedMediaType(_ contentType: String?, expected: String) -> AdminError {
        AdminError(
            status: 415, code: 1018,
            message: "\(contentType.map { "Content-Type '\($0)'" } ?? "a body without a Content-Type") is refused here; "
                + "send Content-Type: \(expected) (curl: -H 'Content-Type: \(expected)')")
    }

    /// `{"error": {"code", "message"}}`, with `diagnostics` (1004) or `matched` and `recent` (1008).
    struct Body: Encodable {
        struct Detail: Encodable {
            var code: Int
            var message: String
        }

        var error: Detail
        var diagnostics: [String]?
        var matched: Int?
        var recent: [JournalResource.Entry]?
    }

    var response: HTTPResponse {
        .json(
            Body(error: Body.Detail(code: code, message: message), diagnostics: diagnostics, matched: seen?.matched, recent: seen?.recent),
            status: status)
    }
}
