import Crypto
internal import FoundationEssentials  // ContiguousBytes, which digests and MACs conform to

#if canImport(Glibc)
import Glibc
#endif

/// TOP request signing (docs/protocol.md, "Signatures"): parameters sorted by name in byte order, concatenated
/// as `name1value1name2value2…` (raw values, not URL-encoded), `sign` and files left out; then
/// md5(secret + s + secret), HMAC-MD5(secret, s) or HMAC-SHA256(secret, s); upper-case hex.
///
/// ```swift
/// let sign = Signer.sign(parameters, secret: "helloworld", method: .md5)
/// ```
public enum Signer {
    /// The string that is hashed, without the secret affixes md5 adds: every parameter but
    /// `sign` (and, with `withoutEmptyValues`, but those with an empty value; and but the one at
    /// `leftOut`), sorted by name in byte order, names and values concatenated. Built from the
    /// parameters' own buffer.
    public static func canonicalString(_ parameters: TOPParameters, withoutEmptyValues: Bool = false, leavingOut leftOut: Int? = nil) -> [UInt8] {
        signedBytes(parameters, withoutEmptyValues: withoutEmptyValues, leavingOut: leftOut, affix: "")
    }

    /// The canonical string between two copies of `affix` (md5 hashes it between the secret),
    /// written by the parameters into one buffer of exactly its length.
    static func signedBytes(_ parameters: TOPParameters, withoutEmptyValues: Bool = false, leavingOut leftOut: Int? = nil, affix: String) -> [UInt8] {
        parameters.sortedForSigning(withoutEmptyValues: withoutEmptyValues, leavingOut: leftOut, between: affix)
    }

    /// The canonical string of name/value pairs (a name that repeats counts once, the first).
    public static func canonicalString(_ parameters: some Sequence<TOPParameters.Parameter>) -> [UInt8] {
        canonicalString(TOPParameters(Array(parameters)))
    }

    /// The upper-case hex signature of `canonical` (from ``canonicalString(_:)``).
    public static func sign(canonical: [UInt8], secret: String, method: SignMethod) -> String {
        var signed = canonical
        if method == .md5 { signed = Array(secret.utf8) + canonical + Array(secret.utf8) }
        return withSignature(of: signed, secret: secret, method: method) { String(decoding: $0, as: UTF8.self) }
    }

    /// Calls `body` with the upper-case hex signature of `signed` (for md5, the canonical string
    /// already between the secret affixes: ``signedBytes(_:withoutEmptyValues:leavingOut:affix:)``),
    /// written on the stack.
    private static func withSignature<Result>(
        of signed: [UInt8], secret: String, method: SignMethod, _ body: (UnsafeBufferPointer<UInt8>) -> Result
    ) -> Result {
        switch method {
        case .md5:
            return withHex(Insecure.MD5.hash(data: signed), body)
        case .hmac:
            return withHex(HMAC<Insecure.MD5>.authenticationCode(for: signed, using: SymmetricKey(data: Array(secret.utf8))), body)
        case .hmacSHA256:
            return withHex(HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: Array(secret.utf8))), body)
        }
    }

    /// Signs every parameter except `sign`.
    public static func sign(_ parameters: TOPParameters, secret: String, method: SignMethod) -> String {
        sign(canonical: canonicalString(parameters), secret: secret, method: method)
    }

    /// Signs name/value pairs (a convenience for clients and tests).
    public static func sign(_ pairs: [(String, String)], secret: String, method: SignMethod) -> String {
        sign(TOPParameters(pairs), secret: secret, method: method)
    }

    /// Checks `sign` against every non-file parameter; if that fails and some values are empty,
    /// checks again without the empty ones (Java drops them, PHP and Python sign them). A
    /// mismatch's canonical string is shown through `redaction`.
    public static func verify(_ parameters: TOPParameters, secret: String, method: SignMethod, redaction: Redaction) -> SignatureVerdict {
        // Hashed in one pass and compared with the received bytes in place; texts are made only
        // for a mismatch.
        let signed = signedBytes(parameters, affix: method == .md5 ? secret : "")
        let matches = parameters.withValueBytes(of: "sign") { received in
            withSignature(of: signed, secret: secret, method: method) { $0.equals(received) }
        }
        guard let matches else { return .missing }
        if matches { return .valid }
        let received = parameters["sign"] ?? ""
        let canonical = canonicalString(parameters)
        let expected = sign(canonical: canonical, secret: secret, method: method)
        if parameters.hasEmptyValue {
            let withoutEmpty = canonicalString(parameters, withoutEmptyValues: true)
            if sign(canonical: withoutEmpty, secret: secret, method: method) == received { return .valid }
        }
        return .invalid(
            SignatureMismatch(
                method: method, expected: expected, received: received == secret ? Redaction.secretValue : received,
                canonical: String(decoding: canonicalString(parameters.all.map { redaction.masked($0, secret: secret) }), as: UTF8.self),
                likelyCause: diagnose(parameters, canonical: canonical, secret: secret, method: method, expected: expected, received: received)))
    }

    /// Re-signs the request the ways clients get it wrong and names the first that reproduces the
    /// received signature. Runs only after a mismatch, so the extra hashing costs nothing on the
    /// normal path.
    static func diagnose(
        _ parameters: TOPParameters, canonical: [UInt8], secret: String, method: SignMethod, expected: String, received: String
    ) -> String {
        let signed = parameters.all.filter { $0.name != "sign" }
        let upper = received.uppercased()
        if upper == expected {
            return "the signature is lower-case hex; TOP expects upper case"
        }
        for other in SignMethod.allCases where other != method {
            if sign(canonical: canonical, secret: secret, method: other) == upper {
                return "the client signed with \(other.rawValue) but sent sign_method=\(method.rawValue)"
            }
        }
        if received.utf8.count != method.signatureLength {
            return "a \(method.rawValue) signature has \(method.signatureLength) hex digits, this one has \(received.utf8.count)"
        }
        let encoded = signed.map { TOPParameters.Parameter(name: $0.name, value: PercentEncoding.encodeFormComponent($0.value)) }
        if sign(canonical: canonicalString(encoded), secret: secret, method: method) == upper {
            return "the client signed URL-encoded values; TOP signs the decoded values"
        }
        var unsorted: [UInt8] = []
        for parameter in signed { unsorted += Array(parameter.name.utf8) + Array(parameter.value.utf8) }
        if sign(canonical: unsorted, secret: secret, method: method) == upper {
            return "the client did not sort the parameters by name before signing"
        }
        // One signature per parameter, each over nearly the whole call: tried for calls of the
        // size clients send, not for one with hundreds of parameters.
        if parameters.count <= maxParametersToLeaveOut {
            for left in 0..<parameters.count where parameters.name(at: left) != "sign" {
                if sign(canonical: canonicalString(parameters, leavingOut: left), secret: secret, method: method) == upper {
                    return "parameter '\(parameters.name(at: left))' was sent but not signed"
                }
            }
        }
        return "wrong secret, or a parameter was signed but not sent, or a value differs from what was signed"
    }

    /// The most parameters a mismatched call may have for the diagnosis to try leaving each out.
    static let maxParametersToLeaveOut = 64

    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    /// Calls `body` with the digest's bytes as upper-case hex, written on the stack.
    private static func withHex<Result>(_ digest: some ContiguousBytes, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        digest.withUnsafeBytes { digest in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: digest.count * 2) { text in
                for (offset, byte) in digest.enumerated() {
                    text[2 * offset] = hexDigits[Int(byte >> 4)]
                    text[2 * offset + 1] = hexDigits[Int(byte & 0x0F)]
                }
                return body(UnsafeBufferPointer(text))
            }
        }
    }
}

/// The result of checking a request's signature.
public enum SignatureVerdict: Sendable, Equatable {
    case valid
    case missing
    case invalid(SignatureMismatch)
}

/// What did not match, for diagnostics. Nothing here holds the secret or a session: the canonical
/// string shows them masked (``Redaction/masked(_:secret:)``).
public struct SignatureMismatch: Sendable, Equatable {
    public var method: SignMethod
    public var expected: String
    public var received: String
    /// The sorted, concatenated parameters that topmock signed (without md5's secret affixes),
    /// `session` and any value equal to the secret masked.
    public var canonical: String
    /// The likeliest cause, in one line.
    public var likelyCause: String

    /// What was hashed, with the secret masked: `<secret>…<secret>` for md5, the canonical string
    /// for the HMACs (whose key is the secret).
    public var signedText: String {
        method == .md5 ? "<secret>\(canonical)<secret>" : canonical
    }
}
