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
    /// `bytes[entries[i].nameStart..<entries[i].valueStart]`, its value the bytes up to `valueEnd`.
    private var bytes: [UInt8] = []
    /// One entry per distinct name, in first-seen order.
    private var entries: [Entry] = []
    /// Names of file parameters (multipart parts with a filename): present, not signed.
    public private(set) var fileNames: [String] = []
    /// Names that arrived more than once (the later values were dropped).
    public private(set) var duplicatedNames: [String] = []
    /// Names whose name or value was not valid UTF-8 (code 47).
    public private(set) var invalidEncodingNames: [String] = []
    /// Position by name, built only once a call has more than ``indexThreshold`` parameters:
    /// below that a look-up compares a handful of short names and hashes none; above it,
    /// look-ups stay O(1) for a call with a thousand parameters.
    private var index: [Name: Int]?
    static let indexThreshold = 16

    private struct Entry: Sendable, Equatable {
        var nameStart: Int
        var valueStart: Int
        var valueEnd: Int
        var name: Range<Int> { nameStart..<valueStart }
        var value: Range<Int> { valueStart..<valueEnd }
    }

    /// A name as the index's key: equal and hashed by its bytes.
    private struct Name: Hashable {
        let bytes: [UInt8]
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
        if position(of: name) != nil {
            let text = String(decoding: name, as: UTF8.self)
            if !duplicatedNames.contains(where: { $0.utf8.elementsEqual(text.utf8) }) { duplicatedNames.append(text) }
            return
        }
        if !Self.isValidUTF8(name) || !Self.isValidUTF8(value) { markInvalidEncoding(name: String(decoding: name, as: UTF8.self)) }
        let nameStart = bytes.count
        bytes.append(contentsOf: name)
        let valueStart = bytes.count
        bytes.append(contentsOf: value)
        entries.append(Entry(nameStart: nameStart, valueStart: valueStart, valueEnd: bytes.count))
        if index != nil {
            index?[Name(bytes: Array(name))] = entries.count - 1
        } else if entries.count > Self.indexThreshold {
            var built: [Name: Int] = [:]
            for position in entries.indices { built[Name(bytes: Array(bytes[entries[position].name]))] = position }
            index = built
        }
    }

    /// Records that a parameter was not valid UTF-8.
    public mutating func markInvalidEncoding(name: String) {
        if !invalidEncodingNames.contains(where: { $0.utf8.elementsEqual(name.utf8) }) { invalidEncodingNames.append(name) }
    }

    public mutating func appendFile(name: String) {
        if !fileNames.contains(where: { $0.utf8.elementsEqual(name.utf8) }) { fileNames.append(name) }
    }

    // MARK: reading

    public var count: Int { entries.count }

    /// The value of `name` as text, or nil when the call has no such parameter.
    public subscript(name: String) -> String? {
        name.withUTF8Buffer { name in
            position(of: name).map { position in value(at: position) }
        }
    }

    /// Whether the call has the parameter `name`.
    public func contains(_ name: String) -> Bool {
        name.withUTF8Buffer { position(of: $0) != nil }
    }

    /// The name of parameter `position` (in arrival order) as text.
    public func name(at position: Int) -> String {
        bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[entries[position].name]), as: UTF8.self) }
    }

    /// The value of parameter `position` (in arrival order) as text.
    public func value(at position: Int) -> String {
        bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[entries[position].value]), as: UTF8.self) }
    }

    /// Every parameter as text, in arrival order.
    public var all: [Parameter] {
        entries.indices.map { Parameter(name: name(at: $0), value: value(at: $0)) }
    }

    /// Calls `body` with the value of `name` as bytes, in place; nil when there is no such parameter.
    public func withValueBytes<Result>(of name: String, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result? {
        guard let position = name.withUTF8Buffer({ self.position(of: $0) }) else { return nil }
        return try bytes.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[entries[position].value])) }
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

    private func position(of name: UnsafeBufferPointer<UInt8>) -> Int? {
        if let index { return index[Name(bytes: Array(name))] }
        return bytes.withUnsafeBufferPointer { stored in
            entries.firstIndex { entry in
                entry.valueStart - entry.nameStart == name.count && Self.equal(UnsafeBufferPointer(rebasing: stored[entry.name]), name)
            }
        }
    }

    private static func equal(_ lhs: UnsafeBufferPointer<UInt8>, _ rhs: UnsafeBufferPointer<UInt8>) -> Bool {
        guard lhs.count == rhs.count else { return false }
        guard let left = lhs.baseAddress, let right = rhs.baseAddress else { return true }
        return memcmp(left, right, lhs.count) == 0
    }

    /// Whether `bytes` are UTF-8: ASCII at once, otherwise by decoding them (which repairs what is
    /// not, so getting the same bytes back means they were valid).
    static func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        if !bytes.contains(where: { $0 >= 0x80 }) { return true }
        return String(decoding: bytes, as: UTF8.self).withUTF8Buffer { Self.equal($0, bytes) }
    }
}
