/// Reading a method's business parameters with TOP's codes: a missing required one is 40
/// (`Missing required arguments:<path>`), a malformed one 41 (`Invalid arguments:<path>`), both
/// naming the field by its dotted path (`pay_request.request_id`).
///
/// Like the Java gateway's converters, a string field takes a number and a numeric field takes a
/// numeric string. `pay.action.query` keeps its own two-field decoder (`PaymentActionQuery`): it is
/// the hot path, and decoding into a generic ``JSONValue`` costs a thrown error per type tried.
public struct BusinessObject: Sendable {
    /// The parameter's name: the path prefix of every field.
    public let name: String
    public let fields: [String: JSONValue]
    /// The parameter's text, as the call sent it.
    public let text: String

    /// The parameter `name` as a JSON object: 40 when it is missing or empty, 41 when it is not
    /// an object.
    public init(_ parameters: TOPParameters, _ name: String) throws(TOPError) {
        guard let text = parameters[name], !text.isEmpty else { throw .missingRequiredArguments(name) }
        guard let fields = JSONValue.object(parsing: text) else { throw .invalidArguments(name) }
        self.name = name
        self.fields = fields
        self.text = text
    }

    /// The whole-number parameter `name` (`shop_id`): 40 when missing, 41 when not digits.
    public static func wholeNumber(_ parameters: TOPParameters, _ name: String) throws(TOPError) -> Int64 {
        guard let text = parameters[name], !text.isEmpty else { throw .missingRequiredArguments(name) }
        guard let value = PaymentActionQuery.wholeNumber(text) else { throw .invalidArguments(name) }
        return value
    }

    private func path(_ key: String) -> String { name + "." + key }

    /// A string field; nil when absent or null (40 when `required`), 41 for an object, a list or
    /// an empty string.
    public func string(_ key: String, required: Bool = false) throws(TOPError) -> String? {
        switch fields[key] {
        case nil, .null?:
            if required { throw .missingRequiredArguments(path(key)) }
            return nil
        case .string(let value)?:
            guard !value.isEmpty else { throw .invalidArguments(path(key)) }
            return value
        case .integer(let value)?: return String(value)
        case .bool, .number, .array, .object: throw .invalidArguments(path(key))
        }
    }

    /// A whole, non-negative number (an amount in fen, an id); nil when absent or null (40 when
    /// `required`), 41 for anything else.
    public func wholeNumber(_ key: String, required: Bool = false) throws(TOPError) -> Int64? {
        switch fields[key] {
        case nil, .null?:
            if required { throw .missingRequiredArguments(path(key)) }
            return nil
        case .integer(let value)? where value >= 0: return value
        case .string(let text)?:
            guard let value = PaymentActionQuery.wholeNumber(text) else { throw .invalidArguments(path(key)) }
            return value
        default: throw .invalidArguments(path(key))
        }
    }
}
