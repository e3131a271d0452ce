#if canImport(Glibc)
import Glibc
#endif

/// The parameters of one TOP call, merged from the query string and the body.
///
/// Every name and value is kept as its percent-decoded bytes, back to back in one buffer; a
/// parameter is two ranges of it. The gateway reads the public parameters, checks the signature
/// and decodes the business parameters from those bytes; a `String` is made only where one is
/// asked for (``subscript(_:)``, ``all``), so a call's parameters cost two allocations however
/// many there are.
///
/// When a name appears more than once, the first occurrence wins (query string before body). Which
/// one the real gateway takes is unknown (docs/protocol.md, "Where each SDK puts the
/// parameters"); no official SDK sends a name twice. Two names are the same when their bytes are,
/// as for the Java gateway's `String.equals` and for the client that signs them: `"\u{E9}"` and
/// `"e\u{301}"` (é as one code point, and as e with a combining accent) are two parameters. File
/// parts are kept apart: TOP leaves them out of the signature.
///
/// ```swift
/// var parameters = TOPParameters([("method", "alibaba.pos.pay.action.query"), ("format", "json")])
/// parameters["format"]  // "json"
/// ```
public struct TOPParameters: Sendable, Equatable {
    /// One parameter as text (names and values that were not valid UTF-8 are repaired, U+FFFD).
    public struct Parameter: Sendable, Equatable {
        public var name: String
        public var value: String
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The names and values, decoded, in arrival order: parameter `i`'s name is
    /// `bytes[entries[i].name]`, its value `bytes[entries[i].value]`.
    private var bytes: [UInt8] = []
    /// One entry per distinct name, in first-seen order.
    private var entries: [Entry] = []
    /// What only unusual calls have (files, repeated names, bad encodings, many parameters), out of
    /// line: an empty array allocates nothing, so a usual call's parameters hold two buffers.
    private var unusual: [Unusual] = []
    static let indexThreshold = 16

    private struct Entry: Sendable, Equatable {
        var nameStart: Int
        var valueStart: Int
        var valueEnd: Int
        var name: Range<Int> { nameStart..<valueStart }
        var value: Range<Int> { valueStart..<valueEnd }
    }

    private struct Unusual: Sendable, Equatable {
        var fileNames: [String] = []
        var duplicatedNames: [String] = []
        var invalidEncodingNames: [String] = []
        /// Position by name, built only once a call has more than ``indexThreshold`` parameters:
        /// below that a look-up compares a handful of short names and hashes none; above it,
        /// look-ups stay O(1) for a call with a thousand parameters.
        var index: [Name: Int]?
    }

    /// A name as the index's key: equal and hashed by its bytes (a `String`, so a short name
    /// needs no allocation).
    private struct Name: Hashable, Sendable {
        let text: String
        static func == (lhs: Name, rhs: Name) -> Bool { lhs.text.utf8.elementsEqual(rhs.text.utf8) }
        func hash(into hasher: inout Hasher) {
            text.withUTF8Buffer { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        }
    }

    /// Names of file parameters (multipart parts with a filename): present, not signed.
    public var fileNames: [String] { unusual.first?.fileNames ?? [] }
    /// Names that arrived more than once (the later values were dropped).
    public var duplicatedNames: [String] { unusual.first?.duplicatedNames ?? [] }
    /// Names whose name or value was not valid UTF-8 (code 47).
    public var invalidEncodingNames: [String] { unusual.first?.invalidEncodingNames ?? [] }

    /// Changes the unusual parts in place (the index of a call with a thousand parameters is
    /// not copied per parameter).
    private mutating func updateUnusual(_ change: (inout Unusual) -> Void) {
        if unusual.isEmpty { unusual.append(Unusual()) }
        change(&unusual[0])
    }

    /// TOP's public (system) parameters; every other parameter is the method's business parameter.
    public static let publicNames: Set<String> = [
        "method", "app_key", "session", "timestamp", "v", "sign", "sign_method", "format", "partner_id", "simplify", "target_app_key",
    ]

    public init() {}

    public init(_ pairs: [(String, String)]) {
        for (name, value) in pairs { append(name: name, value: value) }
    }

    public init(_ parameters: some Sequence<Parameter>) {
        for parameter in parameters { append(name: parameter.name, value: parameter.value) }
    }

    /// Room for `count` parameters holding `bytes` bytes in all, so a call's parameters are
    /// stored without regrowing.
    public mutating func reserveCapacity(_ count: Int, bytes byteCount: Int = 0) {
        entries.reserveCapacity(count)
        bytes.reserveCapacity(byteCount)
    }

    // MARK: adding

    public mutating func append(name: String, value: String) {
        name.withUTF8Buffer { name in
            value.withUTF8Buffer { value in append(name: name, value: value) }
        }
    }

    /// Appends a parameter from its decoded bytes (copied), unless its name is here already.
    /// Bytes that are not valid UTF-8 are kept as they are, and the name is listed in
    /// ``invalidEncodingNames``.
    public mutating func append(name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>) {
        append {
            $0.append(contentsOf: name)
        } value: {
            $0.append(contentsOf: value)
        }
    }

    /// Appends a parameter whose name and value `writeName` and `writeValue` append to the bytes
    /// they are given (a decoder writes straight into the parameters' buffer), unless its name is
    /// here already: then the bytes written are taken back and the name is listed in
    /// ``duplicatedNames``.
    public mutating func append(writingName writeName: (inout [UInt8]) -> Void, value writeValue: (inout [UInt8]) -> Void) {
        let nameStart = bytes.count
        writeName(&bytes)
        let valueStart = bytes.count
        if let _ = position(ofNameAt: nameStart..<valueStart) {
            let name = String(decoding: bytes[nameStart..<valueStart], as: UTF8.self)
            bytes.removeSubrange(nameStart...)
            if !duplicatedNames.contains(where: { $0.utf8.elementsEqual(name.utf8) }) { updateUnusual { $0.duplicatedNames.append(name) } }
            return
        }
        writeValue(&bytes)
        let entry = Entry(nameStart: nameStart, valueStart: valueStart, valueEnd: bytes.count)
        if !Self.isValidUTF8(bytes[entry.name]) || !Self.isValidUTF8(bytes[entry.value]) {
            markInvalidEncoding(name: String(decoding: bytes[entry.name], as: UTF8.self))
        }
        entries.append(entry)
        if unusual.first?.index != nil {
            let key = Name(text: String(decoding: bytes[entry.name], as: UTF8.self)), position = entries.count - 1
            updateUnusual { $0.index?[key] = position }
        } else if entries.count > Self.indexThreshold {
            var built: [Name: Int] = [:]
            for position in entries.indices { built[Name(text: name(at: position))] = position }
            updateUnusual { $0.index = built }
        }
    }

    /// Records that a parameter was not valid UTF-8.
    public mutating func markInvalidEncoding(name: String) {
        if !invalidEncodingNames.contains(where: { $0.utf8.elementsEqual(name.utf8) }) {
            updateUnusual { $0.invalidEncodingNames.append(name) }
        }
    }

    public mutating func appendFile(name: String) {
        if !fileNames.contains(where: { $0.utf8.elementsEqual(name.utf8) }) { updateUnusual { $0.fileNames.append(name) } }
    }

    // MARK: reading

    public var count: Int { entries.count }

    /// The value of `name` as text, or nil when the call has no such parameter.
    public subscript(name: String) -> String? {
        position(of: name).map(value(at:))
    }

    /// The name of parameter `position` (in arrival order) as text.
    public func name(at position: Int) -> String {
        String(decoding: bytes[entries[position].name], as: UTF8.self)
    }

    /// The value of parameter `position` (in arrival order) as text.
    public func value(at position: Int) -> String {
        String(decoding: bytes[entries[position].value], as: UTF8.self)
    }

    /// Every parameter as text, in arrival order.
    public var all: [Parameter] {
        entries.indices.map { Parameter(name: name(at: $0), value: value(at: $0)) }
    }

    /// Calls `body` with the value of `name` as bytes, in place; nil when there is no such parameter.
    public func withValueBytes<Result>(of name: String, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result? {
        guard let position = position(of: name) else { return nil }
        let range = entries[position].value
        return try bytes.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[range])) }
    }

    /// Calls `body` with the buffer every name and value lies in (``nameRange(at:)`` and
    /// ``valueRange(at:)`` are ranges of it): the signature's canonical string is built from it.
    public func withUnsafeBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        try bytes.withUnsafeBufferPointer(body)
    }

    /// Where parameter `position`'s name lies in the buffer ``withUnsafeBytes(_:)`` shows.
    public func nameRange(at position: Int) -> Range<Int> { entries[position].name }

    /// Where parameter `position`'s value lies in the buffer ``withUnsafeBytes(_:)`` shows.
    public func valueRange(at position: Int) -> Range<Int> { entries[position].value }

    /// The bytes the parameters take, names and values together (for size estimates).
    public var byteCount: Int { bytes.count }

    /// The position of the parameter called `name`.
    private func position(of name: String) -> Int? {
        if let index = unusual.first?.index { return index[Name(text: name)] }
        let entries = self.entries
        return bytes.withUnsafeBufferPointer { stored in
            name.withUTF8Buffer { Self.position(of: $0, among: entries, in: stored) }
        }
    }

    /// The position of a parameter whose name has the bytes `bytes[range]` (another position).
    private func position(ofNameAt range: Range<Int>) -> Int? {
        if let index = unusual.first?.index { return index[Name(text: String(decoding: bytes[range], as: UTF8.self))] }
        let entries = self.entries
        return bytes.withUnsafeBufferPointer { Self.position(of: UnsafeBufferPointer(rebasing: $0[range]), among: entries, in: $0) }
    }

    /// The first entry whose name in `stored` has the bytes of `name`.
    private static func position(of name: UnsafeBufferPointer<UInt8>, among entries: [Entry], in stored: UnsafeBufferPointer<UInt8>) -> Int? {
        entries.firstIndex { entry in
            entry.valueStart - entry.nameStart == name.count
                && (name.isEmpty || memcmp(stored.baseAddress! + entry.nameStart, name.baseAddress!, name.count) == 0)
        }
    }

    /// Whether `bytes` are UTF-8: ASCII at once, otherwise by decoding them (which repairs what is
    /// not, so getting the same bytes back means they were valid).
    static func isValidUTF8(_ bytes: ArraySlice<UInt8>) -> Bool {
        if !bytes.contains(where: { $0 >= 0x80 }) { return true }
        return String(decoding: bytes, as: UTF8.self).utf8.elementsEqual(bytes)
    }
}
