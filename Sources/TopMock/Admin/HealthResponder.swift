import Synchronization
import TopMockHTTP
import TopMockProtocol
import TopMockScenarios

/// `GET /__admin/health`: 200 with what is loaded, for readiness probes and humans.
struct HealthResponder: HTTPResponder {
    let engine: ScenarioEngine
    let apps: AppRegistry
    let reloader: ScenarioReloader

    func respond(to request: HTTPRequest) -> HTTPOutcome {
        guard request.method == "GET" || request.method == "HEAD" else {
            return .response(AdminError.methodNotAllowed(request.method, allowed: "GET").response)
        }
        let set = engine.set
        var files: [ResponseValue] = []
        for file in set.files {
            var entry = ResponseObject()
            entry.append("path", .string(file.path))
            entry.append("name", .string(file.name))
            entry.append("actions", .integer(Int64(file.actionCount)))
            entry.append("rules", .integer(Int64(file.ruleCount)))
            entry.append("stubs", .integer(Int64(file.stubCount)))
            files.append(.object(entry))
        }
        var scenarios = ResponseObject()
        scenarios.append("files", .integer(Int64(set.files.count)))
        scenarios.append("actions", .integer(Int64(set.actions.count)))
        scenarios.append("rules", .integer(Int64(set.rules.count)))
        scenarios.append("stubs", .integer(Int64(set.stubs.count)))
        scenarios.append("loaded", .list(itemName: "file", files))
        scenarios.append("reloads", .integer(Int64(reloader.reloads.load(ordering: .relaxed))))
        scenarios.append("failed_reloads", .integer(Int64(reloader.failures.load(ordering: .relaxed))))
        let failure = reloader.lastFailure.withLock { $0 }
        if !failure.isEmpty {
            scenarios.append("last_reload_errors", .list(itemName: "error", failure.map { .string($0.headline) }))
        }
        var body = ResponseObject()
        body.append("status", .string("ok"))
        body.append("version", .string(TopMockVersion.current))
        body.append("apps", .integer(Int64(apps.all.count)))
        body.append("scenarios", .object(scenarios))
        return .response(HTTPResponse(
            status: 200, headers: ["Content-Type": "application/json;charset=UTF-8"], body: EnvelopeEncoder.json(body)))
    }
}

/// topmock's own JSON errors outside `/router/rest`: `{"error":{"code":…,"message":…}}` with a
/// stable numeric code.
struct AdminError {
    let status: Int
    let code: Int
    let message: String

    static func notFound(_ path: String) -> AdminError {
        AdminError(status: 404, code: 1001, message: "no route for '\(path)'; TOP calls go to /router/rest, admin calls under /__admin/")
    }

    static func methodNotAllowed(_ method: String, allowed: String) -> AdminError {
        AdminError(status: 405, code: 1002, message: "method '\(method)' is not allowed here; use \(allowed)")
    }

    var response: HTTPResponse {
        var error = ResponseObject()
        error.append("code", .integer(Int64(code)))
        error.append("message", .string(message))
        var body = ResponseObject()
        body.append("error", .object(error))
        return HTTPResponse(status: status, headers: ["Content-Type": "application/json;charset=UTF-8"], body: EnvelopeEncoder.json(body))
    }
}
