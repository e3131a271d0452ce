/// One named value from a query string, a urlencoded body or a multipart body.
public struct FormField: Sendable, Equatable {
    public var name: String
    public var value: String
    /// The part's `filename`, for multipart file parts (which TOP leaves out of the signature).
    public var filename: String?
    /// False when the name or value was not valid UTF-8 (the bad bytes became U+FFFD).
    public var isValidUTF8: Bool

    public init(name: String, value: String, filename: String? = nil, isValidUTF8: Bool = true) {
        self.name = name
        self.value = value
        self.filename = filename
        self.isValidUTF8 = isValidUTF8
    }

    public var isFile: Bool { filename != nil }
}

/// `name=value&…` as in query strings and `application/x-www-form-urlencoded` bodies.
public enum URLEncodedForm {
    /// Splits on `&`, then on the first `=`; empty segments are skipped, a segment without `=` is a
    /// name with an empty value.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> [FormField] {
        parse(bytes, limit: .max) ?? []
    }

    /// At most `limit` fields, or nil when there are more (parsing stops there, so a body of
    /// millions of tiny fields costs no more memory than the limit allows).
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>, limit: Int) -> [FormField]? {
        var fields: [FormField] = []
        if !bytes.isEmpty { fields.reserveCapacity(min(limit, 16)) }  // a TOP call has about ten
        var raw = RawFields(bytes)
        while let field = raw.next() {
            guard fields.count < limit else { return nil }
            let name = PercentDecoding.decode(UnsafeBufferPointer(rebasing: bytes[field.name]))
            let value = PercentDecoding.decode(UnsafeBufferPointer(rebasing: bytes[field.value]))
            fields.append(FormField(name: name.text, value: value.text, isValidUTF8: name.isValidUTF8 && value.isValidUTF8))
        }
        return fields
    }

    /// The fields of `name=value&…` bytes as ranges of them, still percent-encoded, in order
    /// (``parse(_:limit:)`` decodes them; the gateway decodes them into its parameters' buffer).
    /// Empty segments are skipped; a field without `=` has an empty value range at its end.
    public struct RawFields: IteratorProtocol {
        private let bytes: UnsafeBufferPointer<UInt8>
        private var start = 0

        public init(_ bytes: UnsafeBufferPointer<UInt8>) {
            self.bytes = bytes
        }

        public mutating func next() -> (name: Range<Int>, value: Range<Int>)? {
            while start < bytes.count {
                let end = bytes.position(of: UInt8(ascii: "&"), in: start..<bytes.count)
                defer { start = end + 1 }
                guard end > start else { continue }
                let equals = bytes.position(of: UInt8(ascii: "="), in: start..<end)
                return (start..<equals, equals == end ? end..<end : (equals + 1)..<end)
            }
            return nil
        }
    }

    public static func parse(_ bytes: [UInt8]) -> [FormField] {
        parse(bytes, limit: .max) ?? []
    }

    public static func parse(_ text: String) -> [FormField] {
        parse(text, limit: .max) ?? []
    }

    public static func parse(_ bytes: [UInt8], limit: Int) -> [FormField]? {
        bytes.withUnsafeBufferPointer { parse($0, limit: limit) }
    }

    public static func parse(_ text: String, limit: Int) -> [FormField]? {
        var text = text
        return text.withUTF8 { parse($0, limit: limit) }
    }
}
