/// A TOP response tree, rendered to JSON or XML by ``EnvelopeEncoder``. Fields keep their order;
/// absent fields are simply not there (TOP never sends null, and an empty XML element for a
/// number or boolean breaks the .NET SDK).
public enum ResponseValue: Sendable, Equatable {
    case string(String)
    case integer(Int64)
    case bool(Bool)
    case object(ResponseObject)
    /// A list, which TOP wraps twice in JSON (`"items":{"item":[…]}`) unless `simplify` is on.
    case list(itemName: String, [ResponseValue])
}

/// An ordered set of named fields.
public struct ResponseObject: Sendable, Equatable, ExpressibleByDictionaryLiteral {
    public private(set) var fields: [(name: String, value: ResponseValue)]

    public init() { fields = [] }

    /// An empty object with room for `capacity` fields (answers are built on every call).
    public init(capacity: Int) {
        fields = []
        fields.reserveCapacity(capacity)
    }

    public init(dictionaryLiteral elements: (String, ResponseValue)...) {
        self.init(elements)
    }

    public init(_ elements: [(String, ResponseValue)]) {
        fields = elements.map { (name: $0.0, value: $0.1) }
    }

    public mutating func append(_ name: String, _ value: ResponseValue) {
        fields.append((name: name, value: value))
    }

    /// Appends the field only when `value` is non-nil.
    public mutating func append(_ name: String, _ value: ResponseValue?) {
        if let value { fields.append((name: name, value: value)) }
    }

    public subscript(name: String) -> ResponseValue? {
        fields.first { $0.name == name }?.value
    }

    public static func == (lhs: ResponseObject, rhs: ResponseObject) -> Bool {
        lhs.fields.count == rhs.fields.count
            && zip(lhs.fields, rhs.fields).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }
}
