internal import FoundationEssentials

/// Any JSON value, as FoundationEssentials' `JSONDecoder` reads it: the business parameters that
/// TOP sends as JSON strings (`pay_request`, `pay_status_request`) and the field paths rules and
/// the journal see. Numbers keep their kind: a whole number is `integer`, anything else `number`.
public enum JSONValue: Sendable, Equatable, Codable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// `JSONDecoder` tells a value's kind only by a decode that fails (a thrown error each), so the
    /// kinds business parameters mostly hold go first: strings, then whole numbers. The kinds
    /// exclude each other (no kind decodes from another's JSON), except that a whole number also
    /// decodes as a `Double`: `Int64` stays before it.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// The text of an object, or nil when `text` is not one (not JSON, or another kind of value).
    public static func object(parsing text: String) -> [String: JSONValue]? {
        // Decoded as an object directly: the first byte says it is one, so no other kind is tried.
        guard let data = objectText(text) else { return nil }
        return try? decoder.decode([String: JSONValue].self, from: data)
    }

    /// Whether `text` is a JSON object, checked by the decoder (which reads the whole text before
    /// anything is decoded) without building the object.
    public static func isObject(_ text: String) -> Bool {
        guard let data = objectText(text) else { return false }
        return (try? decoder.decode(ObjectShape.self, from: data)) != nil
    }

    /// `text`'s bytes for the decoder when it starts as an object; nil (unread) otherwise.
    private static func objectText(_ text: String) -> Data? {
        text.withUTF8Buffer { JSONText.objectStart($0) == nil ? nil : Data(buffer: $0) }
    }

    /// Any JSON object, nothing of it read.
    private struct ObjectShape: Decodable {
        init(from decoder: any Decoder) throws { _ = try decoder.container(keyedBy: NoKey.self) }
    }

    private struct NoKey: CodingKey {
        var stringValue: String { "" }
        var intValue: Int? { nil }
        init?(stringValue: String) { nil }
        init?(intValue: Int) { nil }
    }

    /// One decoder for every call, as `PaymentActionQuery` keeps: no options, no state between decodes.
    private static let decoder = JSONDecoder()

    /// Compact JSON with sorted keys (one text per value: what idempotency compares).
    public var jsonText: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    /// A scalar as text, the way a rule or a filter compares it: a whole number in decimal,
    /// `true`/`false`, a string as it is; nil for null, arrays and objects.
    public var scalarText: String? {
        switch self {
        case .bool(let value): return value ? "true" : "false"
        case .integer(let value): return String(value)
        case .number(let value): return value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
        case .string(let value): return value
        case .null, .array, .object: return nil
        }
    }

    /// This value with every object field for which `masks(path, key)` holds replaced by
    /// ``Redaction/maskedValue``, at any depth (list items by index: `items.0.sku`); `path` is this
    /// value's own. What the journal's pay-code masking and a recording's redaction both use.
    public func masking(at path: String, where masks: (_ path: String, _ key: String) -> Bool) -> JSONValue {
        switch self {
        case .object(let fields):
            var masked: [String: JSONValue] = [:]
            for (key, field) in fields {
                let fieldPath = path.isEmpty ? key : path + "." + key
                masked[key] = masks(fieldPath, key) ? .string(Redaction.maskedValue) : field.masking(at: fieldPath, where: masks)
            }
            return .object(masked)
        case .array(let items):
            return .array(items.enumerated().map { index, item in item.masking(at: path + "." + String(index), where: masks) })
        default:
            return self
        }
    }

    /// Every scalar below this value by dotted path (`pay_request.pay_fee`; list items by index,
    /// `items.0.sku`), added to `paths`.
    public func flatten(into paths: inout [String: String], prefix: String) {
        switch self {
        case .object(let object):
            for (key, value) in object { value.flatten(into: &paths, prefix: prefix.isEmpty ? key : prefix + "." + key) }
        case .array(let items):
            for (index, value) in items.enumerated() { value.flatten(into: &paths, prefix: prefix + "." + String(index)) }
        default:
            if let text = scalarText { paths[prefix] = text }
        }
    }
}

/// A call's fields by dotted path: every parameter by its name, and inside every parameter that
/// holds a JSON object, each scalar by `name.key.key` (`shop_id`, `pay_request.pay_fee`,
/// `payment_action_request.buyer_id`). What rules' `fields` and the journal's field filters read;
/// built only where one asks, never on a call no such rule or filter looks at.
public struct FieldPaths: Sendable, Equatable {
    public private(set) var values: [String: String] = [:]

    public init(_ parameters: some Sequence<TOPParameters.Parameter>) {
        for parameter in parameters where values[parameter.name] == nil {
            values[parameter.name] = parameter.value
            if let object = JSONValue.object(parsing: parameter.value) {
                JSONValue.object(object).flatten(into: &values, prefix: parameter.name)
            }
        }
    }

    public subscript(path: String) -> String? { values[path] }
}
