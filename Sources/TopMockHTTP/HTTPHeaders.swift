/// An ordered list of HTTP header fields with case-insensitive lookup by name.
///
/// Order and duplicates are kept as received, because some clients (and the journal) care.
public struct HTTPHeaders: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral {
    public typealias Field = (name: String, value: String)

    private var fields: [Field]

    public init() { fields = [] }

    public init(_ fields: [(String, String)]) {
        self.fields = fields.map { (name: $0.0, value: $0.1) }
    }

    /// One field.
    public init(name: String, value: String) {
        fields = [(name: name, value: value)]
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(elements)
    }

    /// The first value of the field `name`, compared without regard to ASCII case.
    public subscript(name: String) -> String? {
        fields.first { $0.name.equalsIgnoringASCIICase(name) }?.value
    }

    /// Every value of the field `name`, in the order received.
    public func values(of name: String) -> [String] {
        fields.filter { $0.name.equalsIgnoringASCIICase(name) }.map(\.value)
    }

    public mutating func add(name: String, value: String) {
        fields.append((name: name, value: value))
    }

    /// Room for `count` fields, so a request's headers are collected without regrowing.
    public mutating func reserveCapacity(_ count: Int) {
        fields.reserveCapacity(count)
    }

    /// Replaces every field called `name` with one field holding `value`.
    public mutating func replaceOrAdd(name: String, value: String) {
        fields.removeAll { $0.name.equalsIgnoringASCIICase(name) }
        fields.append((name: name, value: value))
    }

    public var count: Int { fields.count }

    public func makeIterator() -> IndexingIterator<[Field]> {
        fields.makeIterator()
    }

    public static func == (lhs: HTTPHeaders, rhs: HTTPHeaders) -> Bool {
        lhs.fields.count == rhs.fields.count
            && zip(lhs.fields, rhs.fields).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }
}

extension String {
    /// ASCII case-insensitive comparison, as HTTP field names and media types need.
    /// Over the two strings' contiguous bytes in place (every header look-up runs this).
    package func equalsIgnoringASCIICase(_ other: String) -> Bool {
        guard utf8.count == other.utf8.count else { return false }
        // In place where the strings are contiguous (native ones always are): a `withUTF8` on
        // copies would retain and release both.
        let inPlace = utf8.withContiguousStorageIfAvailable { lhs in
            other.utf8.withContiguousStorageIfAvailable { rhs in
                lhs.indices.allSatisfy { asciiLowercased(lhs[$0]) == asciiLowercased(rhs[$0]) }
            }
        }
        if let inPlace = inPlace ?? nil { return inPlace }
        return zip(utf8, other.utf8).allSatisfy { asciiLowercased($0) == asciiLowercased($1) }
    }
}

@inline(__always)
package func asciiLowercased(_ byte: UInt8) -> UInt8 {
    (byte >= 0x41 && byte <= 0x5A) ? byte | 0x20 : byte
}
