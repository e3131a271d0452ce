#if canImport(Glibc)
import Glibc
#endif

/// A parsed `Content-Type` value: `type/subtype` plus parameters, in any order
/// (`multipart/form-data;charset=UTF-8;boundary=123` as the Java SDK sends it, or the usual order).
public struct MediaType: Sendable, Equatable {
    /// The header's value as received: the essence and the parameters are read from it when asked
    /// for, so the check every request with a body makes (is it a form?) makes no string.
    private let text: String
    /// Which of the two form types the essence is, found as the value is read: the gateway asks
    /// for every request with a body.
    private let form: Form?

    private enum Form {
        case urlEncoded
        case multipart

        init?(essence: Slice<UnsafeBufferPointer<UInt8>>) {
            if MediaType.equalsIgnoringCase(essence, "application/x-www-form-urlencoded") {
                self = .urlEncoded
            } else if MediaType.equalsIgnoringCase(essence, "multipart/form-data") {
                self = .multipart
            } else {
                return nil
            }
        }
    }

    public init?(_ text: String) {
        let (isTypeAndSubtype, form) = Self.withEssence(of: text) { ($0.contains(UInt8(ascii: "/")), Form(essence: $0)) }
        guard isTypeAndSubtype else { return nil }
        self.text = text
        self.form = form
    }

    /// Lower-cased `type/subtype`.
    public var essence: String { Self.withEssence(of: text) { Self.lowercased($0) } }

    /// Whether the essence is `lowercased` (given in lower case), whatever the case it was sent in.
    public func hasEssence(_ lowercased: StaticString) -> Bool {
        Self.withEssence(of: text) { Self.equalsIgnoringCase($0, lowercased) }
    }

    fileprivate static func equalsIgnoringCase(_ essence: Slice<UnsafeBufferPointer<UInt8>>, _ lowercased: StaticString) -> Bool {
        guard essence.count == lowercased.utf8CodeUnitCount else { return false }
        // Clients send media types in lower case: one comparison settles those.
        if let start = essence.base.baseAddress, memcmp(start + essence.startIndex, lowercased.utf8Start, essence.count) == 0 { return true }
        var expected = lowercased.utf8Start
        for byte in essence {
            guard asciiLowercased(byte) == expected.pointee else { return false }
            expected += 1
        }
        return true
    }

    /// Calls `body` with the bytes before the first `;`, trimmed, read in place.
    private static func withEssence<Result>(of text: String, _ body: (Slice<UnsafeBufferPointer<UInt8>>) -> Result) -> Result {
        func essence(_ bytes: UnsafeBufferPointer<UInt8>) -> Result {
            body(trimmed(bytes[..<(bytes.firstIndex(of: UInt8(ascii: ";")) ?? bytes.endIndex)]))
        }
        // In place for a contiguous (native) string; a copy retains and releases it.
        if let result = text.utf8.withContiguousStorageIfAvailable(essence) { return result }
        var copy = text
        return copy.withUTF8(essence)
    }

    /// What follows the essence's `;`, unparsed.
    private var parameterText: Substring.UTF8View {
        let bytes = text.utf8
        guard let semicolon = bytes.firstIndex(of: UInt8(ascii: ";")) else { return bytes[bytes.endIndex...] }
        return bytes[bytes.index(after: semicolon)...]
    }

    /// Parameter names lower-cased; quoted values unquoted; the first of a repeated name.
    public var parameters: [String: String] {
        var parameters: [String: String] = [:]
        for piece in parameterText.split(separator: UInt8(ascii: ";"), omittingEmptySubsequences: false) {
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
        // `form` follows from the essence.
        lhs.essence == rhs.essence && lhs.parameters == rhs.parameters
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

    public var isFormURLEncoded: Bool { form == .urlEncoded }
    public var isMultipartFormData: Bool { form == .multipart }
}

extension StringProtocol {
    package func trimmingASCIIWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[start...end])
    }
}
