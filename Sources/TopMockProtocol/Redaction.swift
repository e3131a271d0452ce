/// The one owner of what never leaves topmock unmasked: the journal, the logs, signature
/// diagnostics, recordings and every admin page show a call's parameters only through
/// ``masked(_:secret:)`` (and a recording's upstream answer through ``maskedFields(_:)``), so one
/// value decides alone. `ServedMethods.redaction` is that value: the gateway's ``parameters``, and
/// the ``fields`` each served method declares secret (`TOPMethod.secretFields`). `SecretsTests`
/// sends each secret through each of those places, and pins the list to the registry.
///
/// - ``parameters``: parameters masked whole (`session`).
/// - ``fields``: JSON fields masked wherever they sit in any parameter (or answer) that is a JSON
///   object: the scanned pay code or card number, and the buyer's account.
/// - a value equal to the app's (or the upstream's) secret, as a client that sent it by mistake
///   does: shown as `<secret>`.
public struct Redaction: Sendable {
    /// The gateway's own secret parameters, masked whole whatever the method.
    public static let gatewayParameters: [StaticString] = ["session"]

    /// Parameters masked whole.
    public var parameters: [StaticString] { Self.gatewayParameters }
    /// JSON fields masked at any depth (`pay_request.channel_account`, say).
    public let fields: [StaticString]

    /// The gateway's parameters and these fields.
    public init(fields: [StaticString]) {
        self.fields = fields
    }

    /// What a masked value reads as.
    public static let maskedValue = "***"
    /// What a value equal to the secret reads as.
    public static let secretValue = "<secret>"

    /// The parameter as it may be shown anywhere outside the call itself.
    public func masked(_ parameter: TOPParameters.Parameter, secret: String) -> TOPParameters.Parameter {
        guard needsMasking(parameter, secret: secret) else { return parameter }
        if parameter.name.withUTF8Buffer(isMaskedWhole) {
            return .init(name: parameter.name, value: Self.maskedValue)
        }
        if !secret.isEmpty && parameter.value == secret { return .init(name: parameter.name, value: Self.secretValue) }
        return .init(name: parameter.name, value: maskedFields(parameter.value))
    }

    /// Whether ``masked(_:secret:)`` changes the parameter (journals copy their parameters only then).
    public func needsMasking(_ parameter: TOPParameters.Parameter, secret: String) -> Bool {
        parameter.name.withUTF8Buffer { name in
            parameter.value.withUTF8Buffer { value in needsMasking(name: name, value: value, secret: secret) }
        }
    }

    /// Whether any parameter needs masking (as ``needsMasking(_:secret:)``), asked of the
    /// parameters, which own their bytes.
    public func needsMasking(_ parameters: TOPParameters, secret: String) -> Bool {
        parameters.contains { name, value in needsMasking(name: name, value: value, secret: secret) }
    }

    /// The one rule, over a parameter's bytes: a masked parameter, a value equal to the secret, a
    /// JSON object that may hold a masked field.
    private func needsMasking(name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>, secret: String) -> Bool {
        isMaskedWhole(name) || mentionsField(value)
            || (!secret.isEmpty && secret.utf8.count == value.count && secret.utf8.elementsEqual(value))
    }

    /// Whether a parameter of this name is one of ``parameters``.
    private func isMaskedWhole(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        for parameter in parameters where name.equals(parameter) { return true }
        return false
    }

    /// Whether a JSON object's text may name one of ``fields``: a byte scan of values whose first
    /// non-blank byte is `{` (the only ones JSON parsing reads as objects), run on every parameter
    /// of every call. A `\u` escape counts too, since `channel\u005faccount` is the same key.
    func mentionsField(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        // Most values (names, numbers, timestamps) are ruled out by their first byte.
        guard let first = bytes.first, first == UInt8(ascii: "{") || first <= 0x20 else { return false }
        guard let start = JSONText.objectStart(bytes) else { return false }
        // A `\u` escape, or a field's bytes, anywhere after the `{`: found by libc's `memchr`
        // (a word or a vector at a time), each candidate then checked in place.
        let rest = UnsafeBufferPointer(rebasing: bytes[start...])
        if rest.contains(UInt8(ascii: "\\"), followedBy: UInt8(ascii: "u")) { return true }
        for field in fields where rest.contains(field.bytes) {
            return true
        }
        return false
    }

    /// Whether an answer's bytes (JSON or XML) name any of ``fields`` anywhere.
    public func mentionsAnyField(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        fields.contains { bytes.contains($0.bytes) }
    }

    /// An answer that names one of ``fields``, as a page may show it: a JSON object with the
    /// fields masked (``maskedFields(_:)``), anything else (XML) masked whole.
    public func maskedAnswer(_ text: String) -> String {
        JSONValue.object(parsing: text) == nil ? Self.maskedValue : maskedFields(text)
    }

    /// A JSON object's ``fields`` (at any depth) as `***`; text that mentions one but is not a JSON
    /// object is masked whole, since where the value sits cannot be told.
    ///
    /// The text stays as sent, each masked field's value replaced in place; a text with a key
    /// spelled with escapes (`channel\u005faccount`) is decoded and written anew instead (sorted
    /// keys, compact). The first needs the decoder only to check the text is a JSON object, not
    /// to build it as a tree and encode it again.
    public func maskedFields(_ text: String) -> String {
        guard JSONValue.isObject(text) else { return Self.maskedValue }
        if let inPlace = maskedInPlace(text) { return inPlace }
        guard let object = JSONValue.object(parsing: text) else { return Self.maskedValue }
        return maskedFields(.object(object)).jsonText
    }

    /// `text` (a valid JSON object: the decoder read it) with the value of every key that is one of
    /// ``fields`` replaced by `"***"`, at any depth; nil when a key is spelled with an escape (its
    /// bytes are then not its name, so it cannot be compared here).
    ///
    /// In valid JSON every key is a string followed by a colon, so a key without a `\` is
    /// exactly its bytes: each one that names a field is found. A field given twice is masked
    /// twice.
    private func maskedInPlace(_ text: String) -> String? {
        text.withUTF8Buffer { bytes -> String? in
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count)
            var index = 0
            while index < bytes.count {
                guard bytes[index] == UInt8(ascii: "\"") else {
                    out.append(bytes[index])
                    index += 1
                    continue
                }
                guard let end = JSONText.endOfString(bytes, from: index) else { return nil }
                let content = UnsafeBufferPointer(rebasing: bytes[(index + 1)..<(end - 1)])
                out.append(contentsOf: bytes[index..<end])
                index = end
                // A key is a string followed by a colon.
                let colon = JSONText.skipBlanks(bytes, from: index)
                guard colon < bytes.count, bytes[colon] == UInt8(ascii: ":") else { continue }
                if content.contains(UInt8(ascii: "\\")) { return nil }
                guard fields.contains(where: { content.elementsEqual($0.bytes) }) else { continue }
                let start = JSONText.skipBlanks(bytes, from: colon + 1)
                guard let valueEnd = JSONText.endOfValue(bytes, from: start) else { return nil }
                out.append(contentsOf: bytes[index..<start])
                out.append(contentsOf: "\"\(Self.maskedValue)\"".utf8)
                index = valueEnd
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// A JSON value with its ``fields`` masked at any depth (an upstream's answer, say).
    public func maskedFields(_ value: JSONValue) -> JSONValue {
        let fields = self.fields
        return value.masking(at: "") { _, key in
            fields.contains { key.utf8.elementsEqual($0.bytes) }
        }
    }
}

/// Where tokens of a JSON text end, for replacing a value in place. Only ever run on text the
/// decoder has read as valid JSON; a shape it does not expect answers nil (the caller then writes
/// the value anew).
enum JSONText {
    /// The index of the `{` that opens a JSON object's text, after leading blanks; nil when the
    /// first non-blank byte is anything else (no other JSON value is an object, so such text is
    /// refused unread).
    static func objectStart(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        let start = skipBlanks(bytes, from: 0)
        return start < bytes.count && bytes[start] == UInt8(ascii: "{") ? start : nil
    }

    /// The index after the string that starts at `start` (a `"`): a `\` escapes the byte after it.
    static func endOfString(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var index = start + 1
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\\"): index += 2
            case UInt8(ascii: "\""): return index + 1
            default: index += 1
            }
        }
        return nil
    }

    static func skipBlanks(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var index = start
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0A || bytes[index] == 0x0D { index += 1 }
        return index
    }

    /// The index after the value that starts at `start`: a string, an object or array (to its
    /// matching bracket, strings skipped), or a number, `true`, `false`, `null`.
    static func endOfValue(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        guard start < bytes.count else { return nil }
        switch bytes[start] {
        case UInt8(ascii: "\""): return endOfString(bytes, from: start)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            var index = start
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\""):
                    guard let end = endOfString(bytes, from: index) else { return nil }
                    index = end
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 { return index + 1 }
                default: break
                }
                index += 1
            }
            return nil
        default:
            var index = start
            while index < bytes.count, ![UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) {
                index += 1
            }
            return index > start ? index : nil
        }
    }
}

extension StaticString {
    /// The string's UTF-8 bytes, in place (a static string's storage lives as long as the program).
    fileprivate var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: utf8Start, count: utf8CodeUnitCount) }
}
