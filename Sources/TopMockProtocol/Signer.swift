import Crypto

/// TOP request signing (top-protocol.md §3): parameters sorted by name in byte order, concatenated
/// as `name1value1name2value2…` (raw values, not URL-encoded), `sign` and files left out; then
/// md5(secret + s + secret), HMAC-MD5(secret, s) or HMAC-SHA256(secret, s); upper-case hex.
///
/// ```swift
/// let sign = Signer.sign(parameters, secret: "helloworld", method: .md5)
/// ```
public enum Signer {
    /// The string that is hashed, without the secret affixes md5 adds.
    public static func canonicalString(_ parameters: some Sequence<TOPParameters.Parameter>) -> [UInt8] {
        let sorted = parameters.filter { $0.name != "sign" }.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(sorted.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count })
        for parameter in sorted {
            bytes.append(contentsOf: parameter.name.utf8)
            bytes.append(contentsOf: parameter.value.utf8)
        }
        return bytes
    }

    /// The upper-case hex signature of `canonical` (from ``canonicalString(_:)``).
    public static func sign(canonical: [UInt8], secret: String, method: SignMethod) -> String {
        let key = Array(secret.utf8)
        switch method {
        case .md5:
            var hasher = Insecure.MD5()
            hasher.update(data: key)
            hasher.update(data: canonical)
            hasher.update(data: key)
            return hex(hasher.finalize())
        case .hmac:
            return hex(HMAC<Insecure.MD5>.authenticationCode(for: canonical, using: SymmetricKey(data: key)))
        case .hmacSHA256:
            return hex(HMAC<SHA256>.authenticationCode(for: canonical, using: SymmetricKey(data: key)))
        }
    }

    /// Signs every parameter except `sign`.
    public static func sign(_ parameters: TOPParameters, secret: String, method: SignMethod) -> String {
        sign(canonical: canonicalString(parameters.all), secret: secret, method: method)
    }

    /// Signs name/value pairs (a convenience for clients and tests).
    public static func sign(_ pairs: [(String, String)], secret: String, method: SignMethod) -> String {
        sign(TOPParameters(pairs), secret: secret, method: method)
    }

    /// Checks `sign` against every non-file parameter; if that fails and some values are empty,
    /// checks again without the empty ones (Java drops them, PHP and Python sign them).
    public static func verify(_ parameters: TOPParameters, secret: String, method: SignMethod) -> SignatureVerdict {
        guard let received = parameters["sign"] else { return .missing }
        let canonical = canonicalString(parameters.all)
        let expected = sign(canonical: canonical, secret: secret, method: method)
        if expected == received { return .valid }
        if parameters.all.contains(where: { $0.value.isEmpty }) {
            let withoutEmpty = canonicalString(parameters.all.filter { !$0.value.isEmpty })
            if sign(canonical: withoutEmpty, secret: secret, method: method) == received { return .valid }
        }
        return .invalid(SignatureMismatch(
            method: method, expected: expected, received: received,
            canonical: String(decoding: canonical, as: UTF8.self)))
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    private static func hex(_ digest: some Sequence<UInt8>) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(64)
        for byte in digest {
            bytes.append(hexDigits[Int(byte >> 4)])
            bytes.append(hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// The result of checking a request's signature.
public enum SignatureVerdict: Sendable, Equatable {
    case valid
    case missing
    case invalid(SignatureMismatch)
}

/// What did not match, for diagnostics. The canonical string holds no secret.
public struct SignatureMismatch: Sendable, Equatable {
    public var method: SignMethod
    public var expected: String
    public var received: String
    /// The sorted, concatenated parameters that topmock signed (without md5's secret affixes).
    public var canonical: String

    /// The likeliest cause, in one line.
    public var likelyCause: String {
        if received.uppercased() == expected {
            return "the signature is lower-case hex; TOP expects upper case"
        }
        if received.utf8.count != method.signatureLength {
            return "a \(method.rawValue) signature has \(method.signatureLength) hex digits, this one has \(received.utf8.count): wrong sign_method?"
        }
        return "wrong secret, or the client signed other parameters or values than it sent"
    }
}
