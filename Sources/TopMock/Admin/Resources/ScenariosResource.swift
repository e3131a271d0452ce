import TopMockHTTP
import TopMockLock
import TopMockScenarios

/// `/__admin/scenarios`: list, upload, delete and reload scenario files. Every change is
/// validated with everything else loaded first; a change that does not validate changes nothing.
struct ScenariosResource: Sendable {
    let engine: ScenarioEngine
    let journal: RequestJournal
    let reloader: ScenarioReloader

    struct Listing: Encodable {
        var files: [ScenarioFile]
        var uploads: [String]
        var loadErrors: [String]

        enum CodingKeys: String, CodingKey {
            case files, uploads
            case loadErrors = "load_errors"
        }
    }

    func list() -> HTTPResponse {
        .json(
            Listing(
                files: engine.set.files.map(ScenarioFile.init), uploads: reloader.uploads.withLock { $0.keys.sorted() },
                loadErrors: reloader.lastFailure.withLock { $0 }.map(\.description)))
    }

    struct Uploaded: Encodable {
        var name: String
        var replaced: Bool
        var actions: Int
        var rules: Int
    }

    /// `POST /__admin/scenarios?name=NAME` with a YAML document: validated together with everything
    /// else loaded, then added (or replacing the upload of the same name).
    func upload(_ call: AdminCall) throws(AdminError) -> HTTPResponse {
        let name = call.query["name"] ?? "upload-\(journal.statistics.entries)-\(engine.set.files.count)"
        try Self.checkName(name)
        guard let text = String(validating: call.request.body, as: UTF8.self) else {
            throw .badParameter("the scenario document is not UTF-8")
        }
        var replaced = false
        let result = reloader.changeUploads { uploads in replaced = uploads.updateValue(text, forKey: name) != nil }
        guard result.isValid else { throw .invalidScenarios(result.diagnostics.map(\.description)) }
        return .json(
            Uploaded(name: name, replaced: replaced, actions: result.set.actions.count, rules: result.set.rules.count),
            status: replaced ? 200 : 201)
    }

    struct Deleted: Encodable { var deleted: String }

    func delete(_ call: AdminCall) throws(AdminError) -> HTTPResponse {
        let name = call.segment("name")
        let result = try reloader.changeUploads { (uploads) throws(AdminError) in
            guard uploads.removeValue(forKey: name) != nil else { throw .unknownScenario(name) }
        }
        guard result.isValid else { throw .invalidScenarios(result.diagnostics.map(\.description)) }
        return .json(Deleted(deleted: name))
    }

    static func checkName(_ name: String) throws(AdminError) {
        let allowed = name.utf8.allSatisfy {
            ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || $0 == 45 || $0 == 46 || $0 == 95
        }
        guard allowed, (1...64).contains(name.utf8.count), !name.hasPrefix(".") else {
            throw .badParameter("a scenario name is 1 to 64 letters, digits, '-', '_' or '.', not starting with '.'")
        }
    }

    struct Reloaded: Encodable {
        var reloaded = true
        var actions: Int
        var rules: Int
    }

    func reload() throws(AdminError) -> HTTPResponse {
        guard reloader.reload() else {
            throw .invalidScenarios(reloader.lastFailure.withLock { $0 }.map(\.description))
        }
        return .json(Reloaded(actions: engine.set.actions.count, rules: engine.set.rules.count))
    }
}
