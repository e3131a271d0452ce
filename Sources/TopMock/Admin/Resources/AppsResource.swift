import TopMockHTTP
import TopMockScenarios

/// `/__admin/apps`: the app keys the gateway accepts, and apps made at run time — one per test, so
/// that each test has a namespace of its own (a call's namespace is its `app_key`) without the app
/// under test sending any header. Secrets are given only to whoever makes the app.
struct AppsResource: Sendable {
    let apps: AppRegistry
    let engine: ScenarioEngine
    let journal: RequestJournal

    struct App: Encodable {
        var appKey: String
        /// `built-in`, `scenario-file`, `admin` or `command-line`.
        var source: String

        enum CodingKeys: String, CodingKey {
            case source
            case appKey = "app_key"
        }
    }

    struct Listing: Encodable { var apps: [App] }

    func list() -> HTTPResponse {
        .json(Listing(apps: apps.sources.map { App(appKey: $0.key, source: $0.source.rawValue) }))
    }

    struct Creation: Decodable {
        var appKey: String?
        var secret: String?

        enum CodingKeys: String, CodingKey {
            case secret
            case appKey = "app_key"
        }
    }

    struct Created: Encodable {
        var appKey: String
        var secret: String
        /// The namespace its calls fall in: the app key.
        var namespace: String

        enum CodingKeys: String, CodingKey {
            case secret, namespace
            case appKey = "app_key"
        }
    }

    /// `POST {"app_key"?, "secret"?}` → 201 with the app (a key or secret left out is made up). Its
    /// namespace starts from the seed: whatever an earlier app of the same key left is dropped.
    func create(_ call: AdminCall) throws(AdminError) -> HTTPResponse {
        let body = try call.body(Creation.self)
        if let key = body.appKey, key.isEmpty || key.utf8.count > 64 || key.contains(where: { $0 == "/" || $0.isWhitespace }) {
            throw .badParameter("app_key must be 1 to 64 characters without '/' or blanks")
        }
        if let secret = body.secret, secret.isEmpty { throw .badParameter("secret must not be empty (leave it out to get one)") }
        switch apps.add(key: body.appKey, secret: body.secret) {
        case .success(let app):
            engine.reset(namespace: app.key)
            journal.forget(namespace: app.key)
            return .json(Created(appKey: app.key, secret: app.secret, namespace: app.key), status: 201)
        case .failure(.taken(let source)):
            throw .appConflict("app_key '\(body.appKey ?? "")' is taken (\(source.rawValue))")
        case .failure(.limitReached(let limit)):
            throw .appConflict("\(limit) apps made through the admin API exist; DELETE /__admin/apps/{app_key} the ones a finished test made")
        case .failure:
            throw .appConflict("the app could not be made")
        }
    }

    struct Deleted: Encodable {
        var deleted: String
    }

    /// `DELETE /__admin/apps/{app_key}`: removes an app the admin API made, with its namespace's
    /// state and journal entries.
    func delete(_ call: AdminCall) throws(AdminError) -> HTTPResponse {
        let key = call.segment("app_key")
        switch apps.remove(key: key) {
        case .success:
            engine.reset(namespace: key)
            journal.forget(namespace: key)
            return .json(Deleted(deleted: key))
        case .failure(.notRemovable(let source)):
            throw .appConflict(
                "app '\(key)' comes from \(source.rawValue == "built-in" ? "topmock itself" : "the \(source.rawValue)"); only apps made through the admin API can be removed"
            )
        case .failure:
            throw .unknownApp(key)
        }
    }
}
