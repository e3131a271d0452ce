/// One named value from a query string, a urlencoded body or a multipart body.
public struct FormField: Sendable, Equatable {
    public var name: String
    public var value: String
    /// The part's `filename`, for multipart file parts (which TOP leaves out of the signature).
    public var filename: String?

    public init(name: String, value: String, filename: String? = nil) {
        self.name = name
        self.value = value
        self.filename = filename
    }

    public var isFile: Bool { filename != nil }
}

/// `name=value&…` as in query strings and `application/x-www-form-urlencoded` bodies.
public enum URLEncodedForm {
    /// Splits on `&`, then on the first `=`; empty segments are skipped, a segment without `=` is a
    /// name with an empty value.
    public static func parse(_ bytes: some Collection<UInt8>) -> [FormField] {
        var fields: [FormField] = []
        for segment in bytes.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            if let equals = segment.firstIndex(of: UInt8(ascii: "=")) {
                fields.append(FormField(
                    name: PercentDecoding.decodeString(segment[segment.startIndex..<equals]),
                    value: PercentDecoding.decodeString(segment[segment.index(after: equals)...])))
            } else {
                fields.append(FormField(name: PercentDecoding.decodeString(segment), value: ""))
            }
        }
        return fields
    }

    public static func parse(_ text: String) -> [FormField] {
        parse(Array(text.utf8))
    }
}
