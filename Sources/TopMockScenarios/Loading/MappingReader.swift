import TopMockProtocol
import TopMockYAML

/// Collects diagnostics for one file, with the source text to quote.
final class DiagnosticSink {
    let path: String
    private let lines: [Substring]
    private var collected: [ScenarioDiagnostic] = []

    /// In source order, as a compiler reports them (stable for problems at the same place).
    var diagnostics: [ScenarioDiagnostic] {
        collected.enumerated().sorted {
            ($0.element.location.line, $0.element.location.column, $0.offset) < ($1.element.location.line, $1.element.location.column, $1.offset)
        }.map(\.element)
    }

    init(path: String, source: String) {
        self.path = path
        self.lines = source.split(separator: "\n", omittingEmptySubsequences: false)
    }

    func location(_ mark: YAMLMark) -> SourceLocation {
        SourceLocation(path: path, line: mark.line, column: mark.column)
    }

    func error(_ message: String, at mark: YAMLMark) {
        let line = mark.line >= 1 && mark.line <= lines.count ? String(lines[mark.line - 1]).trimmingCR() : nil
        collected.append(ScenarioDiagnostic(location: location(mark), message: message, sourceLine: line))
    }

    var count: Int { collected.count }

    var hasErrors: Bool { collected.contains { $0.severity == .error } }
}

extension String {
    fileprivate func trimmingCR() -> String { hasSuffix("\r") ? String(dropLast()) : self }
}

/// Reads one YAML mapping as a record: typed fields by key, every problem reported with its mark
/// (wrong type, missing key, unknown key with a "did you mean").
struct MappingReader {
    let node: YAMLNode
    let what: String
    let sink: DiagnosticSink
    private let pairs: [(key: YAMLNode, value: YAMLNode)]

    /// Reports an error and returns nil when `node` is not a mapping.
    init?(_ node: YAMLNode, what: String, allowedKeys: [String], sink: DiagnosticSink) {
        guard let pairs = node.mapping else {
            sink.error("\(what) must be a mapping, found \(node.kindDescription)", at: node.mark)
            return nil
        }
        self.node = node
        self.what = what
        self.sink = sink
        self.pairs = pairs
        var seen: Set<String> = []
        for pair in pairs {
            guard let key = pair.key.scalar else {
                sink.error("keys of \(what) must be strings", at: pair.key.mark)
                continue
            }
            if !seen.insert(key).inserted {
                sink.error("duplicate key '\(key)' in \(what)", at: pair.key.mark)
            }
            if !allowedKeys.contains(key) {
                var message = "unknown key '\(key)' in \(what)"
                if let suggestion = closest(to: key, in: allowedKeys) {
                    message += "; did you mean '\(suggestion)'?"
                } else {
                    message += " (allowed: \(allowedKeys.joined(separator: ", ")))"
                }
                sink.error(message, at: pair.key.mark)
            }
        }
    }

    func value(_ key: String) -> YAMLNode? {
        pairs.first { $0.key.scalar == key }?.value
    }

    /// A string field. Plain numbers are accepted and kept as written (`request_id: 123`).
    func string(_ key: String, required: Bool = false) -> String? {
        guard let node = present(key, required: required) else { return nil }
        guard node.mapping == nil, node.sequence == nil, !node.isNull, let text = node.scalar else {
            sink.error("'\(key)' in \(what) must be a string, found \(node.kindDescription)", at: node.mark)
            return nil
        }
        return text
    }

    func integer(_ key: String, required: Bool = false, minimum: Int64? = nil) -> Int64? {
        guard let node = present(key, required: required) else { return nil }
        guard let value = node.integer else {
            sink.error("'\(key)' in \(what) must be a whole number, found \(node.kindDescription)", at: node.mark)
            return nil
        }
        if let minimum, value < minimum {
            sink.error("'\(key)' in \(what) must be at least \(minimum), found \(value)", at: node.mark)
            return nil
        }
        return value
    }

    /// An amount in fen: a whole number inside ``Fen``'s bound.
    func amount(_ key: String, required: Bool = false) -> Fen? {
        guard let number = integer(key, required: required) else { return nil }
        guard let amount = Fen(number) else {
            sink.error("'\(key)' in \(what) must be \(Fen.boundText()), found \(number)", at: value(key)!.mark)
            return nil
        }
        return amount
    }

    func bool(_ key: String) -> Bool? {
        guard let node = present(key, required: false) else { return nil }
        guard let value = node.bool else {
            sink.error("'\(key)' in \(what) must be true or false, found \(node.kindDescription)", at: node.mark)
            return nil
        }
        return value
    }

    func list(_ key: String, required: Bool = false) -> [YAMLNode]? {
        guard let node = present(key, required: required) else { return nil }
        guard let items = node.sequence else {
            sink.error("'\(key)' in \(what) must be a list, found \(node.kindDescription)", at: node.mark)
            return nil
        }
        return items
    }

    private func present(_ key: String, required: Bool) -> YAMLNode? {
        guard let node = value(key), !(node.isNull && !required) else {
            if required { sink.error("\(what) is missing the required key '\(key)'", at: node.mark) }
            return nil
        }
        return node
    }
}

/// The allowed key nearest to `key` by edit distance, if it is near enough to be a typo.
func closest(to key: String, in candidates: [String]) -> String? {
    let scored = candidates.map { ($0, editDistance(key, $0)) }
    guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(2, key.count / 3) else { return nil }
    return best.0
}

func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a.utf8), b = Array(b.utf8)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}
