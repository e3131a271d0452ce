/// The three TOP signature methods. An absent `sign_method` means md5 (the Java SDK's rule).
public enum SignMethod: String, Sendable, CaseIterable {
    case md5
    case hmac
    case hmacSHA256 = "hmac-sha256"

    /// Hex digits in a signature of this method.
    public var signatureLength: Int { self == .hmacSHA256 ? 64 : 32 }
}

/// The two answer formats. XML is the default when `format` is absent.
public enum ResponseFormat: String, Sendable {
    case json
    case xml
}

extension ResponseFormat: CaseIterable {}

extension RawRepresentable where Self: CaseIterable, RawValue == String {
    /// The case whose name has the bytes of a parameter's value (read in place).
    init?(utf8 bytes: UnsafeBufferPointer<UInt8>) {
        guard
            let match = Self.allCases.first(where: { $0.rawValue.withUTF8Buffer { $0.equals(bytes) } })
        else { return nil }
        self = match
    }
}
