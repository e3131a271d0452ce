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
    /// `bytes[layout.entries[i].name]`, its value `bytes[layout.entries[i].value]`.
    private var bytes: [UInt8] = []
    private var layout = Layout()
    static let indexThreshold = 16
    /// Room for this many parameters is made at once: a TOP call has about ten.
    static let usualCount = 16

    /// Where each parameter lies in ``bytes``, and what only unusual calls have.
    fileprivate struct Layout: Sendable, Equatable {
        /// One entry per distinct name, in first-seen order.
        var entries: [Entry] = []
        /// What only unusual calls have (files, repeated names, bad encodings, many parameters),
        /// out of line: while there is none, nothing is allocated, so a usual call's parameters hold two
        /// buffers.
        var unusual = OutOfLine<Unusual>()

        /// Records the parameter whose name is `buffer[name]` and value `buffer[value]`, written
        /// right after the last one, unless its name is here already: then it lists the name in
        /// `duplicatedNames` and returns false, and the caller takes the bytes back.
        mutating func add(name: Range<Int>, value: Range<Int>, in buffer: UnsafeBufferPointer<UInt8>) -> Bool {
            let nameBytes = UnsafeBufferPointer(rebasing: buffer[name])
            if position(of: nameBytes, in: buffer) != nil {
                let text = String(decoding: nameBytes, as: UTF8.self)
                if !(unusual.value?.duplicatedNames ?? []).contains(where: { $0.utf8.elementsEqual(text.utf8) }) {
                    updateUnusual { $0.duplicatedNames.append(text) }
                }
                return false
            }
            let valueBytes = UnsafeBufferPointer(rebasing: buffer[value])
            if !TOPParameters.isValidUTF8(nameBytes) || !TOPParameters.isValidUTF8(valueBytes) {
                markInvalidEncoding(name: String(decoding: nameBytes, as: UTF8.self))
            }
            entries.append(Entry(nameStart: name.lowerBound, valueStart: value.lowerBound, valueEnd: value.upperBound))
            if unusual.value?.index != nil {
                let key = Name(text: String(decoding: nameBytes, as: UTF8.self)), position = entries.count - 1
                updateUnusual { $0.index?[key] = position }
            } else if entries.count > TOPParameters.indexThreshold {
                var built: [Name: Int] = [:]
                for (position, entry) in entries.enumerated() {
                    built[Name(text: String(decoding: buffer[entry.name], as: UTF8.self))] = position
                }
                updateUnusual { $0.index = built }
            }
            return true
        }

        /// The position of the parameter whose name has the bytes of `name`, among those in `buffer`.
        func position(of name: UnsafeBufferPointer<UInt8>, in buffer: UnsafeBufferPointer<UInt8>) -> Int? {
            if let index = unusual.value?.index { return index[Name(text: String(decoding: name, as: UTF8.self))] }
            return entries.firstIndex { entry in
                entry.valueStart - entry.nameStart == name.count
                    && (name.isEmpty || memcmp(buffer.baseAddress! + entry.nameStart, name.baseAddress!, name.count) == 0)
            }
        }

        mutating func markInvalidEncoding(name: String) {
            if !(unusual.value?.invalidEncodingNames ?? []).contains(where: { $0.utf8.elementsEqual(name.utf8) }) {
                updateUnusual { $0.invalidEncodingNames.append(name) }
            }
        }

        /// Changes the unusual parts in place (the index of a call with a thousand parameters is
        /// not copied per parameter).
        mutating func updateUnusual(_ change: (inout Unusual) -> Void) {
            unusual.update(orStartWith: Unusual.init, change)
        }
    }

    fileprivate struct Entry: Sendable, Equatable {
        var nameStart: Int
        var valueStart: Int
        var valueEnd: Int
        var name: Range<Int> { nameStart..<valueStart }
        var value: Range<Int> { valueStart..<valueEnd }
    }

    fileprivate struct Unusual: Sendable, Equatable {
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
    fileprivate struct Name: Hashable, Sendable {
        let text: String
        static func == (lhs: Name, rhs: Name) -> Bool { lhs.text.utf8.elementsEqual(rhs.text.utf8) }
        func hash(into hasher: inout Hasher) {
            text.withUTF8Buffer { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        }
    }

    /// Names of file parameters (multipart parts with a filename): present, not signed.
    public var fileNames: [String] { layout.unusual.value?.fileNames ?? [] }
    /// Names that arrived more than once (the later values were dropped).
    public var duplicatedNames: [String] { layout.unusual.value?.duplicatedNames ?? [] }
    /// Names whose name or value was not valid UTF-8 (code 47).
    public var invalidEncodingNames: [String] { layout.unusual.value?.invalidEncodingNames ?? [] }

    /// TOP's public (system) parameters; every other parameter is the method's business parameter.
    public static let publicNames: Set<String> = [
        "method", "app_key", "session", "timestamp", "v", "sign", "sign_method", "format", "partner_id", "simplify", "target_app_key",
    ]

    public init() {}

    public init(_ pairs: [(String, String)]) {
        self.init(pairs.map { Parameter(name: $0.0, value: $0.1) })
    }

    public init(_ parameters: [Parameter]) {
        guard !parameters.isEmpty else {
            self.init()
            return
        }
        let capacity = parameters.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count }
        self.init(capacity: capacity) { writer in
            for parameter in parameters { writer.append(name: parameter.name, value: parameter.value) }
        }
    }

    /// Parameters written in one pass into one buffer of `capacity` bytes, which `write` fills
    /// through a ``Writer``: a call's forms are decoded straight into the buffer, which is never
    /// regrown.
    public init(capacity: Int, _ write: (inout Writer) -> Void) {
        var layout = Layout()
        layout.entries.reserveCapacity(Self.usualCount)
        bytes = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, initializedCount in
            var writer = Writer(buffer: buffer, layout: layout)
            layout = Layout()  // the writer's is the only reference: appends do not copy
            write(&writer)
            layout = writer.layout
            initializedCount = writer.count
        }
        self.layout = layout
    }

    /// Writes parameters into the buffer of a ``TOPParameters`` being made (``init(capacity:_:)``).
    ///
    /// Invariant: the first `count` bytes of the buffer are the parameters' names and values back
    /// to back, as `layout` records them; a parameter takes at most as many bytes as its sources
    /// (decoding never lengthens a text), so sources of `capacity` bytes in all always fit.
    public struct Writer {
        fileprivate let buffer: UnsafeMutableBufferPointer<UInt8>
        fileprivate var count = 0
        fileprivate var layout: Layout

        fileprivate init(buffer: UnsafeMutableBufferPointer<UInt8>, layout: Layout) {
            self.buffer = buffer
            self.layout = layout
        }

        /// Appends the parameter that `transform` makes of `name` and `value`, unless its name is
        /// here already. `transform` is called for each with a window of the buffer exactly as long
        /// as the source (never the buffer itself) and returns how many bytes of it it wrote.
        public mutating func append(
            name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>,
            transform: (_ source: UnsafeBufferPointer<UInt8>, _ window: UnsafeMutableBufferPointer<UInt8>) -> Int
        ) {
            precondition(buffer.count - count >= name.count + value.count, "more bytes than the parameters were made for")
            let nameStart = count
            let valueStart = nameStart + write(name, at: nameStart, transform)
            let valueEnd = valueStart + write(value, at: valueStart, transform)
            if layout.add(name: nameStart..<valueStart, value: valueStart..<valueEnd, in: UnsafeBufferPointer(buffer)) {
                count = valueEnd
            }
        }

        /// Appends a parameter as it is.
        public mutating func append(name: String, value: String) {
            name.withUTF8Buffer { name in
                value.withUTF8Buffer { value in
                    append(name: name, value: value) { source, window in
                        _ = window.initialize(from: source)
                        return source.count
                    }
                }
            }
        }

        private func write(
            _ source: UnsafeBufferPointer<UInt8>, at offset: Int, _ transform: (UnsafeBufferPointer<UInt8>, UnsafeMutableBufferPointer<UInt8>) -> Int
        ) -> Int {
            // An empty source writes nothing (and an empty buffer has no address).
            guard !source.isEmpty else { return 0 }
            let written = transform(source, UnsafeMutableBufferPointer(rebasing: buffer[offset..<(offset + source.count)]))
            precondition(written >= 0 && written <= source.count, "a parameter's bytes outgrew their source")
            return written
        }
    }

    // MARK: adding

    public mutating func append(name: String, value: String) {
        name.withUTF8Buffer { name in
            value.withUTF8Buffer { value in append(name: name, value: value) }
        }
    }

    /// Appends a parameter from its decoded bytes (copied), unless its name is here already (then
    /// the name is listed in ``duplicatedNames``). Bytes that are not valid UTF-8 are kept as they
    /// are, and the name is listed in ``invalidEncodingNames``.
    public mutating func append(name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>) {
        let nameStart = bytes.count, valueStart = nameStart + name.count, valueEnd = valueStart + value.count
        bytes.append(contentsOf: name)
        bytes.append(contentsOf: value)
        let stored = bytes
        let added = stored.withUnsafeBufferPointer { layout.add(name: nameStart..<valueStart, value: valueStart..<valueEnd, in: $0) }
        if !added { bytes.removeSubrange(nameStart...) }
    }

    /// Records that a parameter was not valid UTF-8.
    public mutating func markInvalidEncoding(name: String) {
        layout.markInvalidEncoding(name: name)
    }

    public mutating func appendFile(name: String) {
        if !fileNames.contains(where: { $0.utf8.elementsEqual(name.utf8) }) { layout.updateUnusual { $0.fileNames.append(name) } }
    }

    // MARK: reading

    public var count: Int { layout.entries.count }

    /// The value of `name` as text, or nil when the call has no such parameter.
    public subscript(name: String) -> String? {
        position(of: name).map(value(at:))
    }

    /// The name of parameter `position` (in arrival order) as text.
    public func name(at position: Int) -> String {
        String(decoding: bytes[layout.entries[position].name], as: UTF8.self)
    }

    /// The value of parameter `position` (in arrival order) as text.
    public func value(at position: Int) -> String {
        String(decoding: bytes[layout.entries[position].value], as: UTF8.self)
    }

    /// Every parameter as text, in arrival order.
    public var all: [Parameter] {
        layout.entries.indices.map { Parameter(name: name(at: $0), value: value(at: $0)) }
    }

    /// Calls `body` with the value of `name` as bytes, in place; nil when there is no such parameter.
    public func withValueBytes<Result>(of name: String, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result? {
        guard let position = position(of: name) else { return nil }
        let range = layout.entries[position].value
        return try bytes.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[range])) }
    }

    /// Whether `predicate` holds for some parameter, asked with its name's and value's bytes in
    /// place, in arrival order.
    public func contains(where predicate: (_ name: UnsafeBufferPointer<UInt8>, _ value: UnsafeBufferPointer<UInt8>) throws -> Bool) rethrows -> Bool {
        try bytes.withUnsafeBufferPointer { buffer in
            try layout.entries.contains { entry in
                try predicate(UnsafeBufferPointer(rebasing: buffer[entry.name]), UnsafeBufferPointer(rebasing: buffer[entry.value]))
            }
        }
    }

    /// Whether some parameter's value is empty (clients differ on signing those).
    public var hasEmptyValue: Bool { layout.entries.contains { $0.value.isEmpty } }

    /// The bytes the parameters take, names and values together (for size estimates).
    public var byteCount: Int { bytes.count }

    /// The position of the parameter called `name`.
    private func position(of name: String) -> Int? {
        bytes.withUnsafeBufferPointer { stored in
            name.withUTF8Buffer { layout.position(of: $0, in: stored) }
        }
    }

    /// Whether `bytes` are UTF-8: ASCII at once, otherwise by decoding them (which repairs what is
    /// not, so getting the same bytes back means they were valid).
    static func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        if isASCII(bytes) { return true }
        return String(decoding: bytes, as: UTF8.self).utf8.elementsEqual(bytes)
    }

    /// Whether no byte has its high bit set, read eight bytes at a time (every parameter of every
    /// call is checked).
    static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        var offset = 0
        while offset + 8 <= bytes.count {
            if UnsafeRawPointer(base + offset).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
            offset += 8
        }
        while offset < bytes.count {
            if base[offset] >= 0x80 { return false }
            offset += 1
        }
        return true
    }
}

extension UnsafeBufferPointer<UInt8> {
    /// Whether these are `text`'s UTF-8 bytes.
    func equals(_ text: StaticString) -> Bool {
        count == text.utf8CodeUnitCount && (isEmpty || memcmp(baseAddress!, text.utf8Start, count) == 0)
    }

    /// Whether `other` has the same bytes.
    func equals(_ other: UnsafeBufferPointer<UInt8>) -> Bool {
        count == other.count && (isEmpty || memcmp(baseAddress!, other.baseAddress!, count) == 0)
    }

    /// Whether `first` occurs immediately followed by `second`.
    func contains(_ first: UInt8, followedBy second: UInt8) -> Bool {
        var offset = firstOffset(of: first, from: 0)
        while let found = offset {
            if found + 1 < count && self[found + 1] == second { return true }
            offset = firstOffset(of: first, from: found + 1)
        }
        return false
    }

    /// Whether `other`'s bytes occur in these (an empty `other` does not).
    func contains(_ other: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = other.first, let otherBase = other.baseAddress else { return false }
        var offset = firstOffset(of: first, from: 0)
        while let found = offset, count - found >= other.count {
            if memcmp(baseAddress! + found, otherBase, other.count) == 0 { return true }
            offset = firstOffset(of: first, from: found + 1)
        }
        return false
    }

    /// Where `byte` first occurs at or after `start`, found by `memchr` (a word or a vector at a
    /// time); nil when it does not.
    private func firstOffset(of byte: UInt8, from start: Int) -> Int? {
        guard start < count, let base = baseAddress, let found = memchr(base + start, Int32(byte), count - start) else { return nil }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }
}

// MARK: signing

extension TOPParameters {
    /// Every parameter but `sign` (and, with `withoutEmptyValues`, but those with an empty value;
    /// and but the one at `leftOut`), sorted by name in byte order, names and values back to back
    /// between two copies of `affix`: TOP's canonical string (md5 puts it between the secret), in
    /// one array of exactly its length, made from this type's own buffer.
    func sortedForSigning(withoutEmptyValues: Bool = false, leavingOut leftOut: Int? = nil, between affix: String) -> [UInt8] {
        // Ranges are sorted, not bytes. Each carries its name's first eight bytes as a number,
        // which orders the names as their bytes do unless the eight are equal; only then are the
        // names compared whole. They are listed on the stack where they fit (a usual call's
        // ten take 400 bytes); `withUnsafeTemporaryAllocation` takes the heap beyond that.
        withUnsafeTemporaryAllocation(of: SignedParameter.self, capacity: count) { room in
            bytes.withUnsafeBufferPointer { buffer in
                var count = 0
                for (position, entry) in layout.entries.enumerated() {
                    let name = entry.name, value = entry.value
                    if (withoutEmptyValues && value.isEmpty) || position == leftOut || UnsafeBufferPointer(rebasing: buffer[name]).equals("sign") {
                        continue
                    }
                    room.initializeElement(at: count, to: (Self.namePrefix(UnsafeBufferPointer(rebasing: buffer[name])), name, value))
                    count += 1
                }
                let signed = UnsafeMutableBufferPointer(rebasing: room[..<count])
                defer { signed.deinitialize() }
                return Self.joined(signed, in: buffer, between: affix)
            }
        }
    }

    /// A parameter to sign: its name's first eight bytes as a number (``namePrefix(_:)``) and
    /// where its name and value lie.
    private typealias SignedParameter = (prefix: UInt64, name: Range<Int>, value: Range<Int>)

    /// The names and values of `signed`, sorted by name, back to back between two copies of
    /// `affix`, in one array of exactly that length.
    private static func joined(
        _ signed: UnsafeMutableBufferPointer<SignedParameter>, in buffer: UnsafeBufferPointer<UInt8>, between affix: String
    ) -> [UInt8] {
        let total = signed.reduce(0) { $0 + $1.name.count + $1.value.count }
        var signed = signed  // the same memory: sorted in place
        signed.sort {
            $0.prefix != $1.prefix ? $0.prefix < $1.prefix : buffer[$0.name].lexicographicallyPrecedes(buffer[$1.name])
        }
        return affix.withUTF8Buffer { affix in
            [UInt8](unsafeUninitializedCapacity: total + 2 * affix.count) { bytes, count in
                func write(_ piece: UnsafeBufferPointer<UInt8>) {
                    guard let start = piece.baseAddress else { return }
                    (bytes.baseAddress! + count).update(from: start, count: piece.count)
                    count += piece.count
                }
                write(affix)
                for parameter in signed {
                    write(UnsafeBufferPointer(rebasing: buffer[parameter.name]))
                    write(UnsafeBufferPointer(rebasing: buffer[parameter.value]))
                }
                write(affix)
            }
        }
    }

    /// The first eight bytes of `name`, big-endian, zero-padded: a shorter name that is a prefix
    /// of a longer one gets the smaller number, as in byte order (a tie is resolved by the caller).
    static func namePrefix(_ name: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var prefix: UInt64 = 0
        for offset in 0..<8 { prefix = prefix << 8 | (offset < name.count ? UInt64(name[offset]) : 0) }
        return prefix
    }
}
