import Logging
import Synchronization
import TopMockScenarios

#if canImport(Glibc)
import Glibc
import TopMockLock
#endif

/// Watches the scenario paths by polling (``Configuration/watchInterval``: no inotify dependency,
/// works on every file system and in containers with mounted volumes) and reloads on any change. A set that
/// does not validate is not served: the last good one stays, and the error shows in the log and in
/// `/__admin/health` until a good set loads.
final class ScenarioReloader: Sendable {
    private let paths: [String]
    /// Nil: no watching (reloads come only from the admin API).
    private let interval: Duration?
    private let apply: @Sendable (ScenarioLoadResult) -> Void
    private let metrics: GatewayMetrics
    private let logger: Logger
    private let stopped = Atomic<Bool>(false)
    private let lastSignature = Locked<[String: FileSignature]>([:])
    /// The diagnostics of the last failed reload; empty once a good set is loaded.
    let lastFailure = Locked<[ScenarioDiagnostic]>([])
    let reloads = Atomic<Int>(0)
    let failures = Atomic<Int>(0)

    /// Scenario documents uploaded through the admin API, by name: loaded with the files.
    let uploads = Locked<[String: String]>([:])
    /// Held from loading a set to applying it, by the watcher and by uploads and deletions alike:
    /// a set loaded before an upload can never be applied after it (the upload would be lost).
    private let applying = Locked(())

    /// Runs `body` (a load and its apply) while no other load-and-apply runs.
    private func exclusively<Result, Failure: Error>(_ body: () throws(Failure) -> Result) throws(Failure) -> Result {
        try applying.withLock { (_: inout Void) throws(Failure) -> Result in try body() }
    }

    /// Changes the uploaded documents and applies the files with them, as one step no reload or
    /// other upload can come between. `change` may refuse (its error is thrown, nothing changes);
    /// a set that does not validate is returned unapplied, and the uploads stay as they were.
    func changeUploads<Failure: Error>(
        _ change: (inout [String: String]) throws(Failure) -> Void
    ) throws(Failure) -> ScenarioLoadResult {
        try exclusively { () throws(Failure) -> ScenarioLoadResult in
            var changed = uploads.withLock { $0 }
            try change(&changed)
            let result = load(withUploads: changed)
            guard result.isValid else { return result }
            uploads.withLock { $0 = changed }
            applyLoaded(result)
            return result
        }
    }

    init(
        paths: [String], interval: Duration?, metrics: GatewayMetrics, logger: Logger,
        apply: @escaping @Sendable (ScenarioLoadResult) -> Void
    ) {
        self.paths = paths
        self.interval = interval
        self.metrics = metrics
        self.logger = logger
        self.apply = apply
        lastSignature.withLock { $0 = Self.signature(of: paths) }
    }

    /// Starts the polling thread, when there is an interval.
    func start() {
        guard interval != nil else { return }
        let thread = PollingThread(reloader: self)
        thread.start()
    }

    func stop() {
        stopped.store(true, ordering: .releasing)
    }

    /// Reloads if anything changed since the last look.
    func checkNow() {
        let current = Self.signature(of: paths)
        let changed = lastSignature.withLock { last in
            defer { last = current }
            return last != current
        }
        if changed { reload() }
    }

    /// Applies a set loaded with the uploads (``changeUploads(_:)``).
    private func applyLoaded(_ result: ScenarioLoadResult) {
        apply(result)
        reloads.add(1, ordering: .relaxed)
        metrics.recordReload(succeeded: true)
        lastFailure.withLock { $0 = [] }
    }

    /// The files and the uploads, loaded together (uploads as `upload:NAME`).
    private func load(withUploads uploads: [String: String]? = nil) -> ScenarioLoadResult {
        let documents = uploads ?? self.uploads.withLock { $0 }
        return ScenarioLoader.load(
            paths: paths, extraSources: documents.sorted { $0.key < $1.key }.map { (path: "upload:\($0.key)", text: $0.value) })
    }

    /// Loads and, when valid, applies. Returns whether the new set was applied.
    @discardableResult
    func reload() -> Bool {
        exclusively { reloadExclusively() }
    }

    private func reloadExclusively() -> Bool {
        let result = load()
        guard result.isValid else {
            failures.add(1, ordering: .relaxed)
            metrics.recordReload(succeeded: false)
            lastFailure.withLock { $0 = result.diagnostics }
            logger.error(
                "scenario reload failed; still serving the last good set",
                metadata: [
                    "scenario.errors": "\(result.diagnostics.count)", "scenario.report": "\(result.report)",
                ])
            return false
        }
        apply(result)
        reloads.add(1, ordering: .relaxed)
        metrics.recordReload(succeeded: true)
        lastSignature.withLock { $0 = Self.signature(of: paths) }
        lastFailure.withLock { $0 = [] }
        logger.info(
            "scenarios reloaded",
            metadata: [
                "scenario.files": "\(result.set.files.count)", "scenario.actions": "\(result.set.actions.count)",
                "scenario.rules": "\(result.set.rules.count)",
            ])
        return true
    }

    fileprivate func run() {
        guard let interval else { return }
        let micros = UInt32(clamping: Int64(interval.seconds * 1_000_000))
        while !stopped.load(ordering: .acquiring) {
            usleep(micros)
            if stopped.load(ordering: .acquiring) { break }
            checkNow()
        }
    }

    /// Modification time, size and inode of every YAML file under the paths (and the paths themselves).
    struct FileSignature: Equatable {
        var modified: Int64
        var nanoseconds: Int
        var size: Int64
        var inode: UInt64
    }

    static func signature(of paths: [String]) -> [String: FileSignature] {
        var signatures: [String: FileSignature] = [:]
        for path in paths {
            guard let own = fileSignature(path) else { continue }
            signatures[path] = own
            guard let directory = opendir(path) else { continue }
            defer { closedir(directory) }
            while let entry = readdir(directory) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
                    String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
                }
                guard name.hasSuffix(".yaml") || name.hasSuffix(".yml"), !name.hasPrefix(".") else { continue }
                let file = path.hasSuffix("/") ? path + name : path + "/" + name
                if let signature = fileSignature(file) { signatures[file] = signature }
            }
        }
        return signatures
    }

    private static func fileSignature(_ path: String) -> FileSignature? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return FileSignature(
            modified: Int64(info.st_mtim.tv_sec), nanoseconds: info.st_mtim.tv_nsec, size: Int64(info.st_size), inode: UInt64(info.st_ino))
    }
}

/// A plain POSIX thread for the poller (it sleeps; it must not occupy a Swift concurrency thread).
private final class PollingThread: @unchecked Sendable {
    private let reloader: ScenarioReloader

    init(reloader: ScenarioReloader) { self.reloader = reloader }

    func start() {
        var thread = pthread_t()
        let box = Unmanaged.passRetained(self).toOpaque()
        let created = pthread_create(
            &thread, nil,
            { context in
                let polling = Unmanaged<PollingThread>.fromOpaque(context!).takeRetainedValue()
                polling.reloader.run()
                return nil
            }, box)
        if created == 0 {
            pthread_detach(thread)
        } else {
            Unmanaged<PollingThread>.fromOpaque(box).release()
        }
    }
}
