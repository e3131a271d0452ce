import TopMockLock
import TopMockProtocol

/// The apps the gateway accepts: the built-in one, the scenario files' (which a reload may
/// change), the ones the admin API made at run time (`POST /__admin/apps`, one per test in the
/// helpers) and the command line's — later ones winning, except that a run-time app never takes a
/// key another source has.
final class AppRegistry: Sendable {
    /// Where an app comes from.
    enum Source: String, Sendable {
        case builtIn = "built-in", scenarioFile = "scenario-file", admin, commandLine = "command-line"
    }

    /// Why a run-time app cannot be made or removed.
    enum ChangeError: Error, Equatable {
        case taken(Source)
        case limitReached(Int)
        case unknown
        case notRemovable(Source)
    }

    /// An app made at run time.
    struct RuntimeApp: Equatable {
        var key: String
        var secret: String
    }

    /// Most apps the admin API may hold at once (helpers make one per test and remove it after).
    let maxRuntimeApps: Int

    private struct State {
        var fileApps: [String: AppCredentials] = [:]
        var runtime: [String: AppCredentials] = [:]
        /// Every app by key, rebuilt when a source changes: the gateway reads only this.
        var merged: [String: (credentials: AppCredentials, source: Source)] = [:]
    }

    private let base: [String: AppCredentials]
    private let overrides: [String: AppCredentials]
    private let state = Locked(State())

    init(configuration: Configuration, fileApps: [String: AppCredentials], maxRuntimeApps: Int = 10_000) {
        self.maxRuntimeApps = maxRuntimeApps
        var base: [String: AppCredentials] = [:]
        if configuration.defaultAppEnabled {
            base[Configuration.defaultAppKey] = AppCredentials(secret: Configuration.defaultAppSecret)
        }
        self.base = base
        self.overrides = configuration.apps
        update(fileApps: fileApps)
    }

    /// A reload's apps. A run-time app whose key a scenario file now takes gives way to the file's.
    func update(fileApps: [String: AppCredentials]) {
        state.withLock { state in
            state.fileApps = fileApps
            merge(&state)
        }
    }

    private func merge(_ state: inout State) {
        var merged: [String: (credentials: AppCredentials, source: Source)] = [:]
        for (key, app) in base { merged[key] = (app, .builtIn) }
        for (key, app) in state.runtime { merged[key] = (app, .admin) }
        for (key, app) in state.fileApps { merged[key] = (app, .scenarioFile) }
        for (key, app) in overrides { merged[key] = (app, .commandLine) }
        state.merged = merged
    }

    subscript(appKey: String) -> AppCredentials? { state.withLock { $0.merged[appKey]?.credentials } }

    var all: [String: AppCredentials] { state.withLock { $0.merged.mapValues(\.credentials) } }

    /// Every key with its source, sorted by key.
    var sources: [(key: String, source: Source)] {
        state.withLock { $0.merged.map { ($0.key, $0.value.source) } }.sorted { $0.key < $1.key }
    }

    /// Adds a run-time app. A key or secret left out is made up: eight digits (as TOP's app keys
    /// are) that no app has, 32 hex digits.
    func add(key: String?, secret: String?) -> Result<RuntimeApp, ChangeError> {
        var random = SystemRandomNumberGenerator()
        let secret = secret ?? (0..<16).map { _ in String(UInt8.random(in: 0...255, using: &random), radix: 16).leftPadded(2) }.joined()
        return state.withLock { state in
            guard state.runtime.count < maxRuntimeApps else { return .failure(.limitReached(maxRuntimeApps)) }
            var chosen = key
            while chosen == nil {
                let candidate = String(UInt32.random(in: 10_000_000...99_999_999, using: &random))
                if state.merged[candidate] == nil { chosen = candidate }
            }
            let key = chosen!
            if let existing = state.merged[key] { return .failure(.taken(existing.source)) }
            // The key is free, so the merged table takes it as it is (no rebuild: helpers make many).
            state.runtime[key] = AppCredentials(secret: secret)
            state.merged[key] = (AppCredentials(secret: secret), .admin)
            return .success(RuntimeApp(key: key, secret: secret))
        }
    }

    /// Removes a run-time app; its key.
    func remove(key: String) -> Result<String, ChangeError> {
        state.withLock { state in
            guard let existing = state.merged[key] else { return .failure(.unknown) }
            guard existing.source == .admin else { return .failure(.notRemovable(existing.source)) }
            state.runtime[key] = nil
            state.merged[key] = nil
            return .success(key)
        }
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
