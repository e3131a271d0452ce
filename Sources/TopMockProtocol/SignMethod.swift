/// The three TOP signature methods. An absent `sign_method` means md5 (the Java SDK's rule).
public enum SignMethod: String, Sendable, CaseIterable {
    case md5
    case hmac
    case hmacSHA256 = "hmac-sha256"

    /// Hex digits in a signature of this method.
    public var signatureLength: Int { self == .hmacSHA256 ? 64 : 32 }
}
