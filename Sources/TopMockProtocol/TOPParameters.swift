/// The parameters of one TOP call, merged from the query string and the body.
///
/// When a name appears more than once, the first occurrence wins (query string before body). Which
/// one the real gateway takes is unknown (docs/protocol.md, "Where each SDK puts the parameters"); no official SDK sends a name twice.
/// File parts are kept apart: TOP leaves them out of the signature.
///
/// Two names are the same name when they have the same UTF-8 length and Swift's `==` holds. So
/// `"\u{E9}"` and `"e\u{301}"` (é as one code point, and as e with a combining accent) are two
/// parameters, as for the Java gateway's `String.equals` and for the client that signs them both;
/// only spellings of equal length that Unicode calls equivalent (combining marks in another order)
/// still count as one. The lengths are compared first: most names a look-up passes differ in
/// length, and then no Unicode comparison runs.
public struct TOPParameters: Sendable, Equatable {
    public struct Parameter: Sendable, Equatable {
        public var name: String
        public var value: String
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// One entry per distinct name, in first-seen order.
    public private(set) var all: [Parameter] = []
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

    /// TOP's public (system) parameters; every other parameter is the method's business parameter.
    public static let publicNames: Set<String> = [
        "method", "app_key", "session", "timestamp", "v", "sign", "sign_method", "format", "partner_id", "simplify", "target_app_key",
    ]

    /// A name as the index's key, equal as ``sameName(_:_:)`` compares. Hashed as the text alone:
    /// names that are the same are `==`, so their hashes agree.
    private struct Name: Hashable {
        let text: String
        static func == (lhs: Name, rhs: Name) -> Bool { sameName(lhs.text, rhs.text) }
        func hash(into hasher: inout Hasher) { hasher.combine(text) }
    }

    /// Whether two names are the same parameter's (see the type's documentation).
    static func sameName(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.count == rhs.utf8.count && lhs == rhs
    }

    public init() {}

    public init(_ pairs: [(String, String)]) {
        for (name, value) in pairs { append(name: name, value: value) }
    }

    /// Room for `count` parameters, so a call's parameters are stored without regrowing.
    public mutating func reserveCapacity(_ count: Int) {
        all.reserveCapacity(count)
    }

    public mutating func append(name: String, value: String) {
        if position(of: name) != nil {
            if !duplicatedNames.contains(where: { Self.sameName($0, name) }) { duplicatedNames.append(name) }
            return
        }
        all.append(Parameter(name: name, value: value))
        if index != nil {
            index?[Name(text: name)] = all.count - 1
        } else if all.count > Self.indexThreshold {
            index = Dictionary(uniqueKeysWithValues: all.indices.map { (Name(text: all[$0].name), $0) })
        }
    }

    private func position(of name: String) -> Int? {
        if let index { return index[Name(text: name)] }
        return all.firstIndex { Self.sameName($0.name, name) }
    }

    /// Records that a parameter was not valid UTF-8 (it is appended all the same, repaired).
    public mutating func markInvalidEncoding(name: String) {
        if !invalidEncodingNames.contains(where: { Self.sameName($0, name) }) { invalidEncodingNames.append(name) }
    }

    public mutating func appendFile(name: String) {
        if !fileNames.contains(where: { Self.sameName($0, name) }) { fileNames.append(name) }
    }

    public subscript(name: String) -> String? {
        position(of: name).map { all[$0].value }
    }

    public var count: Int { all.count }
}
