/// A problem in a scenario file, reported the way a compiler reports one:
///
/// ```text
/// scenarios/cash.yaml:12:9: error: unknown key 'amout_fen' in a payment action; did you mean 'amount_fen'?
///         amout_fen: 1000
///         ^
/// ```
public struct ScenarioDiagnostic: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Severity: String, Sendable {
        case error
        case warning
    }

    public var location: SourceLocation
    public var severity: Severity
    public var message: String
    /// The source line the location points into (without its line break), when known.
    public var sourceLine: String?

    public init(location: SourceLocation, severity: Severity = .error, message: String, sourceLine: String? = nil) {
        self.location = location
        self.severity = severity
        self.message = message
        self.sourceLine = sourceLine
    }

    /// `path:line:col: error: message`, without the snippet.
    public var headline: String { "\(location): \(severity.rawValue): \(message)" }

    /// The headline, then the source line and a caret under the column.
    public var description: String {
        guard let sourceLine, location.column >= 1 else { return headline }
        let prefix = sourceLine.prefix(location.column - 1).map { $0 == "\t" ? "\t" : " " }.joined()
        return "\(headline)\n\(sourceLine)\n\(prefix)^"
    }
}
