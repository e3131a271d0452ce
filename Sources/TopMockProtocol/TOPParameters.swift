/// The parameters of one TOP call, merged from the query string and the body.
///
/// When a name appears more than once, the first occurrence wins (query string before body). Which
/// one the real gateway takes is unknown (top-protocol.md §1.3); no official SDK sends a name twice.
/// File parts are kept apart: TOP leaves them out of the signature.
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
    private var index: [String: Int] = [:]

    public init() {}

    public init(_ pairs: [(String, String)]) {
        for (name, value) in pairs { append(name: name, value: value) }
    }

    public mutating func append(name: String, value: String) {
        if index[name] != nil {
            if !duplicatedNames.contains(name) { duplicatedNames.append(name) }
            return
        }
        index[name] = all.count
        all.append(Parameter(name: name, value: value))
    }

    /// Records that a parameter was not valid UTF-8 (it is appended all the same, repaired).
    public mutating func markInvalidEncoding(name: String) {
        if !invalidEncodingNames.contains(name) { invalidEncodingNames.append(name) }
    }

    public mutating func appendFile(name: String) {
        if !fileNames.contains(name) { fileNames.append(name) }
    }

    public subscript(name: String) -> String? {
        index[name].map { all[$0].value }
    }

    public var count: Int { all.count }
}
