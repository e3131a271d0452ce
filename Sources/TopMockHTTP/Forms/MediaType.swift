/// A parsed `Content-Type` value: `type/subtype` plus parameters, in any order
/// (`multipart/form-data;charset=UTF-8;boundary=123` as the Java SDK sends it, or the usual order).
public struct MediaType: Sendable, Equatable {
    /// Lower-cased `type/subtype`.
    public var essence: String
    /// Parameter names lower-cased; quoted values unquoted.
    public var parameters: [String: String]

    public init?(_ text: String) {
        let pieces = text.split(separator: ";", omittingEmptySubsequences: false)
        guard let first = pieces.first else { return nil }
        let essence = first.trimmingASCIIWhitespace().lowercased()
        guard essence.contains("/") else { return nil }
        self.essence = essence
        var parameters: [String: String] = [:]
        for piece in pieces.dropFirst() {
            guard let equals = piece.firstIndex(of: "=") else { continue }
            let name = piece[..<equals].trimmingASCIIWhitespace().lowercased()
            var value = piece[piece.index(after: equals)...].trimmingASCIIWhitespace()
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
                value = String(value.dropFirst().dropLast())
            }
            if !name.isEmpty, parameters[name] == nil { parameters[name] = value }
        }
        self.parameters = parameters
    }

    public var isFormURLEncoded: Bool { essence == "application/x-www-form-urlencoded" }
    public var isMultipartFormData: Bool { essence == "multipart/form-data" }
}

extension StringProtocol {
    package func trimmingASCIIWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[start...end])
    }
}
