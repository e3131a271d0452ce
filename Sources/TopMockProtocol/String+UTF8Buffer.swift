extension String {
    /// Calls `body` with the string's UTF-8 bytes, in place: the request path reads names and
    /// values this way without copying them. (`withUTF8` is `mutating`, so calling it on a copy
    /// retained and released the string's storage each time.) A bridged string, which topmock never
    /// makes, is copied first.
    func withUTF8Buffer<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        if let result = try utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = self
        return try copy.withUTF8(body)
    }
}

extension RawRepresentable where Self: CaseIterable, RawValue == String {
    /// The case whose name has the bytes of a parameter's value (read in place).
    init?(utf8 bytes: UnsafeBufferPointer<UInt8>) {
        guard
            let match = Self.allCases.first(where: { $0.rawValue.withUTF8Buffer { $0.equals(bytes) } })
        else { return nil }
        self = match
    }
}
