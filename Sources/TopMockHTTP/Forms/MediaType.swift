/// A parsed `Content-Type` value: `type/subtype` plus parameters, in any order
/// (`multipart/form-data;charset=UTF-8;boundary=123` as the Java SDK sends it, or the usual order).
public struct MediaType: Sendable, Equatable {
    /// Lower-cased `type/subtype`.
    public var essence: String
    /// Parameter names lower-cased; quoted values unquoted.
    public var parameters: [String: String]

    public init?(_ text: String) {
        // Bytes, not Characters: a header is ASCII, and this runs on every request with a body.
        // Slices of the string's own buffer: no copy, no reference counting per piece.
        var text = text
        guard let (essence, parameters) = text.withUTF8({ Self.parse($0) }) else { return nil }
        self.essence = essence
        self.parameters = parameters
    }

    private typealias Bytes = Slice<UnsafeBufferPointer<UInt8>>

    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> (essence: String, parameters: [String: String])? {
        let pieces = bytes.split(separator: UInt8(ascii: ";"), omittingEmptySubsequences: false)
        guard let first = pieces.first else { return nil }
        let essence = trimmed(first)
        guard essence.contains(UInt8(ascii: "/")) else { return nil }
        var parameters: [String: String] = [:]
        for piece in pieces.dropFirst() {
            guard let equals = piece.firstIndex(of: UInt8(ascii: "=")) else { continue }
            let name = lowercased(trimmed(piece[..<equals]))
            var value = trimmed(piece[(equals + 1)...])
            if value.count >= 2, value.first == UInt8(ascii: "\""), value.last == UInt8(ascii: "\"") {
                value = value.dropFirst().dropLast()
            }
            if !name.isEmpty, parameters[name] == nil { parameters[name] = String(decoding: value, as: UTF8.self) }
        }
        return (lowercased(essence), parameters)
    }

    private static func trimmed(_ bytes: Bytes) -> Bytes {
        let isSpace = { (byte: UInt8) in byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A }
        guard let start = bytes.firstIndex(where: { !isSpace($0) }), let end = bytes.lastIndex(where: { !isSpace($0) }) else {
            return bytes[bytes.startIndex..<bytes.startIndex]
        }
        return bytes[start...end]
    }

    private static func lowercased(_ bytes: Bytes) -> String {
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
