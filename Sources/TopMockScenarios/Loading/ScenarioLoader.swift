import FoundationEssentials
import TopMockProtocol
import TopMockYAML

#if canImport(Glibc)
import Glibc
#endif

/// The outcome of loading a directory: the set (empty of anything from a broken file) and every
/// diagnostic. A set with errors must not be served; ``ScenarioLoadResult/isValid`` says so.
public struct ScenarioLoadResult: Sendable {
    public var set: ScenarioSet
    public var diagnostics: [ScenarioDiagnostic]

    public var isValid: Bool { !diagnostics.contains { $0.severity == .error } }

    /// Every diagnostic, compiler style, one after the other.
    public var report: String { diagnostics.map(\.description).joined(separator: "\n") }
}

/// Loads every `*.yaml`/`*.yml` file of a directory (or single files) into one ``ScenarioSet``.
///
/// ```swift
/// let result = ScenarioLoader.load(paths: ["scenarios"])
/// guard result.isValid else { print(result.report); exit(1) }
/// ```
public enum ScenarioLoader {
    /// `paths` may name directories (their YAML files are read in name order, not recursively) and
    /// files.
    public static func load(paths: [String], extraSources: [(path: String, text: String)] = []) -> ScenarioLoadResult {
        var sources: [(path: String, text: String)] = []
        var diagnostics: [ScenarioDiagnostic] = []
        for path in paths {
            let (found, problems) = readSources(at: path)
            sources += found
            diagnostics += problems
        }
        var result = load(sources: sources + extraSources)
        result.diagnostics.insert(contentsOf: diagnostics, at: 0)
        return result
    }

    /// Loads already-read texts (`path` is only used in diagnostics).
    public static func load(sources: [(path: String, text: String)]) -> ScenarioLoadResult {
        var set = ScenarioSet()
        var diagnostics: [ScenarioDiagnostic] = []
        var appOrigins: [String: SourceLocation] = [:]
        var rules: [Rule] = []
        var statusCodesOrigin: SourceLocation?
        var saleOrigin: SourceLocation?
        for source in sources {
            let sink = DiagnosticSink(path: source.path, source: source.text)
            defer { diagnostics += sink.diagnostics }
            guard let contents = compileFile(source, sink: sink) else { continue }
            for app in contents.apps {
                if let existing = set.apps[app.appKey], existing != app.credentials, let origin = appOrigins[app.appKey] {
                    let what = existing.secret != app.credentials.secret ? "another secret" : "other sessions"
                    sink.error("app_key '\(app.appKey)' is declared at \(origin) with \(what)", at: app.mark)
                    continue
                }
                set.apps[app.appKey] = app.credentials
                appOrigins[app.appKey] = appOrigins[app.appKey] ?? sink.location(app.mark)
            }
            var count = 0
            for (action, mark) in contents.actions {
                if let existing = set.actions[action.key] {
                    sink.error("duplicate payment action (\(action.key)): first declared at \(existing.source)", at: mark)
                    continue
                }
                set.actions[action.key] = action
                count += 1
            }
            for (stub, mark) in contents.stubs {
                if let catchAll = set.stubs[stub.api]?.first(where: { $0.pattern.conditions.isEmpty }) {
                    sink.error(
                        "the stub for \(stub.api) at \(catchAll.source) answers every call of it (no when), so this one is never reached", at: mark)
                    continue
                }
                set.stubs[stub.api, default: []].append(stub)
            }
            for (seed, mark) in contents.checkouts {
                if let existing = set.checkouts[seed.key] {
                    sink.error("duplicate checkout (\(seed.key)): first declared at \(existing.source)", at: mark)
                    continue
                }
                set.checkouts[seed.key] = seed
            }
            set.channelProfiles += contents.profiles
            set.templates += contents.templates
            if let (codes, mark) = contents.statusCodes {
                if let origin = statusCodesOrigin {
                    sink.error("checkout_status is already set at \(origin); set it in one file", at: mark)
                } else {
                    set.checkoutStatusCodes = codes
                    statusCodesOrigin = sink.location(mark)
                }
            }
            for (store, mark) in contents.stores {
                if let existing = set.stores[store.shopID] {
                    sink.error("duplicate store for shop \(store.shopID): first declared at \(existing.source)", at: mark)
                    continue
                }
                set.stores[store.shopID] = store
            }
            if let (settings, mark) = contents.sale {
                if let origin = saleOrigin {
                    sink.error("sale is already set at \(origin); set it in one file", at: mark)
                } else {
                    set.sale = settings
                    saleOrigin = sink.location(mark)
                }
            }
            rules += contents.rules
            set.files.append(
                ScenarioFileSummary(
                    path: source.path, name: contents.name, description: contents.description, actionCount: count,
                    ruleCount: contents.rules.count, stubCount: contents.stubs.count))
        }
        // Priority first (higher wins), load order within a priority: a stable sort.
        set.rules = rules.enumerated().sorted { ($0.element.priority, -$0.offset) > ($1.element.priority, -$1.offset) }.map(\.element)
        diagnostics += unreachableRules(set.rules, sources: sources)
        return ScenarioLoadResult(set: set, diagnostics: diagnostics)
    }

    /// A rule after one that matches everything and always fires can never fire.
    private static func unreachableRules(_ rules: [Rule], sources: [(path: String, text: String)]) -> [ScenarioDiagnostic] {
        guard let blocker = rules.firstIndex(where: \.catchesEverything) else { return [] }
        return rules[(blocker + 1)...].map { rule in
            let lines = sources.first { $0.path == rule.source.path }?.text.split(separator: "\n", omittingEmptySubsequences: false)
            let line = lines.flatMap { rule.source.line >= 1 && rule.source.line <= $0.count ? String($0[rule.source.line - 1]) : nil }
            return ScenarioDiagnostic(
                location: rule.source,
                message:
                    "rule '\(rule.name)' can never fire: rule '\(rules[blocker].name)' at \(rules[blocker].source) matches every request before it",
                sourceLine: line)
        }
    }

    private static func compileFile(_ source: (path: String, text: String), sink: DiagnosticSink) -> ScenarioFileContents? {
        let documents: [YAMLNode]
        do {
            documents = try YAMLParser.parse(source.text)
        } catch {
            sink.error("YAML syntax: \(error.message)", at: error.mark)
            return nil
        }
        let defaultName = baseName(source.path)
        guard let root = documents.first, !root.isNull else {
            return ScenarioFileContents(name: defaultName)  // an empty file declares nothing
        }
        if documents.count > 1 {
            sink.error("a scenario file holds one YAML document; found \(documents.count)", at: documents[1].mark)
        }
        let contents = ScenarioCompiler(sink: sink).compile(root, defaultName: defaultName)
        return sink.hasErrors ? nil : contents
    }

    private static func baseName(_ path: String) -> String {
        let file = path.split(separator: "/").last.map(String.init) ?? path
        for suffix in [".yaml", ".yml"] where file.hasSuffix(suffix) {
            return String(file.dropLast(suffix.count))
        }
        return file
    }

    /// The texts of a file, or of a directory's YAML files; one diagnostic per file that cannot
    /// be read (with the system's reason), so one bad file does not hide another.
    private static func readSources(at path: String) -> (sources: [(path: String, text: String)], problems: [ScenarioDiagnostic]) {
        let manager = FileManager.default
        var isDirectory = false
        guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return ([], [fileDiagnostic(path, "no such file or directory")])
        }
        var files: [String] = []
        if isDirectory {
            guard let names = try? manager.contentsOfDirectory(atPath: path) else {
                return ([], [fileDiagnostic(path, "cannot list the directory: \(reason(errno))")])
            }
            let prefix = path.hasSuffix("/") ? path : path + "/"
            files = names.filter { ($0.hasSuffix(".yaml") || $0.hasSuffix(".yml")) && !$0.hasPrefix(".") }.sorted().map { prefix + $0 }
        } else {
            files = [path]
        }
        var sources: [(path: String, text: String)] = []
        var problems: [ScenarioDiagnostic] = []
        for file in files {
            switch readFile(file) {
            case .failure(let problem):
                problems.append(fileDiagnostic(file, problem))
            case .success(let bytes):
                guard let text = String(validating: bytes, as: UTF8.self) else {
                    problems.append(fileDiagnostic(file, "the file is not valid UTF-8"))
                    continue
                }
                sources.append((path: file, text: text))
            }
        }
        return (sources, problems)
    }

    /// A file's bytes, or why they cannot be read ("No such file or directory" for a dangling
    /// link, "Is a directory", "Permission denied", …).
    private static func readFile(_ path: String) -> Result<[UInt8], FileProblem> {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return .failure(FileProblem(errno: errno)) }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return .failure(FileProblem(errno: errno))
            }
            if count == 0 { return .success(bytes) }
            bytes += chunk[..<count]
        }
    }

    private struct FileProblem: Error {
        var errno: Int32
    }

    private static func reason(_ code: Int32) -> String {
        String(cString: strerror(code)).lowercased()
    }

    private static func fileDiagnostic(_ path: String, _ problem: FileProblem) -> ScenarioDiagnostic {
        fileDiagnostic(path, "cannot read the file: \(reason(problem.errno))")
    }

    private static func fileDiagnostic(_ path: String, _ message: String) -> ScenarioDiagnostic {
        ScenarioDiagnostic(location: SourceLocation(path: path, line: 1, column: 1), message: message)
    }
}
