/// A parsed `Content-Type` value: `type/subtype` plus parameters, in any order
/// (`multipart/form-data;charset=UTF-8;boundary=123` as the Java SDK sends it, or the usual order).
public struct MediaType: Sendable, Equatable {
    /// Lower-cased `type/subtype`.
    public var essence: String
    /// What follows the essence's `;`, unparsed: the parameters are read when asked for, so the
    /// check every request with a body makes (is it a form?) reads the essence alone.
    private var parameterText: String

    public init?(_ text: String) {
        // Bytes, not Characters: a header is ASCII, and this runs on every request with a body.
        guard let (essence, rest) = text.utf8.withContiguousStorageIfAvailable({ Self.split($0) }) ?? Self.split(Array(text.utf8))
        else { return nil }
        self.essence = essence
        self.parameterText = rest
    }

    /// Parameter names lower-cased; quoted values unquoted; the first of a repeated name.
    public var parameters: [String: String] {
        var parameters: [String: String] = [:]
        for piece in parameterText.utf8.split(separator: UInt8(ascii: ";"), omittingEmptySubsequences: false) {
            guard let equals = piece.firstIndex(of: UInt8(ascii: "=")) else { continue }
            let name = Self.lowercased(Self.trimmed(piece[..<equals]))
            var value = Self.trimmed(piece[piece.index(after: equals)...])
            if value.count >= 2, value.first == UInt8(ascii: "\""), value.last == UInt8(ascii: "\"") {
                value = value.dropFirst().dropLast()
            }
            if !name.isEmpty, parameters[name] == nil { parameters[name] = String(decoding: value, as: UTF8.self) }
        }
        return parameters
    }

    public static func == (lhs: MediaType, rhs: MediaType) -> Bool {
        lhs.essence == rhs.essence && lhs.parameters == rhs.parameters
    }

    /// The lower-cased essence (it must have a `/`) and the text after its `;`.
    private static func split(_ bytes: some BidirectionalCollection<UInt8>) -> (essence: String, rest: String)? {
        let semicolon = bytes.firstIndex(of: UInt8(ascii: ";")) ?? bytes.endIndex
        let essence = trimmed(bytes[..<semicolon])
        guard essence.contains(UInt8(ascii: "/")) else { return nil }
        let rest = semicolon == bytes.endIndex ? "" : String(decoding: bytes[bytes.index(after: semicolon)...], as: UTF8.self)
        return (lowercased(essence), rest)
    }

    private static func trimmed<Bytes: BidirectionalCollection<UInt8>>(_ bytes: Bytes) -> Bytes.SubSequence {
        let isSpace = { (byte: UInt8) in byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A }
        guard let start = bytes.firstIndex(where: { !isSpace($0) }), let end = bytes.lastIndex(where: { !isSpace($0) }) else {
            return bytes[bytes.startIndex..<bytes.startIndex]
        }
        return bytes[start...end]
    }

    private static func lowercased(_ bytes: some Collection<UInt8>) -> String {
        String(unsafeUninitializedCapacity: bytes.count) { buffer in
            for (offset, byte) in bytes.enumerated() { buffer[offset] = asciiLowercased(byte) }
            return bytes.count
        }
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
