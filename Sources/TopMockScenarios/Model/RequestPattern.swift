public import TopMockProtocol

/// A request field a condition looks at.
public enum MatchField: Sendable, Hashable, CustomStringConvertible {
    case method, appKey, shopID, requestID, buyerID
    /// Any parameter by its wire name.
    case parameter(String)
    /// A business field by dotted path (`pay_request.pay_fee`), JSON parameters looked into.
    case path(String)

    public var description: String {
        switch self {
        case .method: return "method"
        case .appKey: return "app_key"
        case .shopID: return "shop_id"
        case .requestID: return "request_id"
        case .buyerID: return "buyer_id"
        case .parameter(let name): return "params.\(name)"
        case .path(let path): return "fields.\(path)"
        }
    }
}

/// How a field's value is tested.
public enum Matcher: Sendable, CustomStringConvertible {
    case equals(String)
    case prefix(String)
    case regex(CompiledRegex)
    /// Numeric, both ends inclusive; a missing end is open.
    case range(min: Double?, max: Double?)
    case oneOf([String])

    public func matches(_ value: String) -> Bool {
        switch self {
        case .equals(let expected): return value == expected
        case .prefix(let prefix):  // bytes, not Unicode comparison: cheaper, and what TOP values are
            return value.utf8.count >= prefix.utf8.count && value.utf8.starts(with: prefix.utf8)
        case .regex(let regex): return regex.matchesWhole(value)
        case .range(let min, let max):
            guard let number = Double(value) else { return false }
            return (min.map { number >= $0 } ?? true) && (max.map { number <= $0 } ?? true)
        case .oneOf(let values): return values.contains(value)
        }
    }

    public var description: String {
        switch self {
        case .equals(let value): return "= '\(value)'"
        case .prefix(let value): return "starts with '\(value)'"
        case .regex(let regex): return "matches /\(regex.source)/"
        case .range(let min, let max): return "in [\(min.map { "\($0)" } ?? "-∞"), \(max.map { "\($0)" } ?? "∞")]"
        case .oneOf(let values): return "one of \(values)"
        }
    }
}

/// A Swift `Regex` compiled once at load time (immutable, so safe to share).
///
/// A class so that ``Matcher`` has a layout known at compile time: `Regex` is resilient, and a
/// struct holding it made every matcher test (any case) go through runtime metadata and
/// value-witness copies.
public final class CompiledRegex: @unchecked Sendable {
    public let source: String
    private let regex: Regex<AnyRegexOutput>

    public init(_ source: String) throws {
        self.source = source
        self.regex = try Regex(source)
    }

    /// The whole value must match (anchored), as in most mock servers' `matches`.
    public func matchesWhole(_ value: String) -> Bool {
        (try? regex.wholeMatch(in: value)) != nil
    }
}

/// One condition of a pattern: a field and how its value is tested.
///
/// A final class, not a tuple: the engine tests the conditions of its candidate rules on every
/// call, and passing a condition around then shares one reference instead of copying its field
/// and matcher.
public final class Condition: Sendable {
    public let field: MatchField
    public let matcher: Matcher

    public init(field: MatchField, matcher: Matcher) {
        self.field = field
        self.matcher = matcher
    }

    /// Whether the request has the field and its value passes the matcher. A field path is read
    /// from `paths`, which the first path condition of a pattern builds for the others.
    func holds(for request: MatchableRequest, paths: inout FieldPaths?) -> Bool {
        let value: String?
        if case .path(let path) = field {
            if paths == nil { paths = FieldPaths(request.parameters.all) }
            value = paths?[path]
        } else {
            value = request.value(of: field)
        }
        guard let value else { return false }
        return matcher.matches(value)
    }
}

/// Conditions that must all hold.
public struct RequestPattern: Sendable {
    public let conditions: [Condition]

    public init(conditions: [(field: MatchField, matcher: Matcher)] = []) {
        self.conditions = conditions.map { Condition(field: $0.field, matcher: $0.matcher) }
    }

    /// Whether every condition holds; stops at the first that does not (the hot path). The call's
    /// JSON parameters are parsed at most once, and only when a condition names a field path.
    public func matches(_ request: MatchableRequest) -> Bool {
        var paths: FieldPaths?
        for condition in conditions where !condition.holds(for: request, paths: &paths) { return false }
        return true
    }

    /// The fields that did not match, with what was expected (empty: a match). For reports, not
    /// for matching: it builds a sentence per condition.
    public func mismatches(_ request: MatchableRequest) -> [String] {
        conditions.compactMap { condition in
            let value = request.value(of: condition.field)
            if let value, condition.matcher.matches(value) { return nil }
            return "\(condition.field) \(condition.matcher), got \(value.map { "'\($0)'" } ?? "nothing")"
        }
    }
}

/// The values rules look at, taken from a validated call.
public struct MatchableRequest: Sendable {
    public var api: APIName
    public var appKey: String
    public var parameters: TOPParameters
    /// The call's business parameters, read by its method (nil for a stubbed or unknown method).
    public var call: (any MethodCall)?

    public init(api: APIName, appKey: String, parameters: TOPParameters, call: (any MethodCall)?) {
        self.api = api
        self.appKey = appKey
        self.parameters = parameters
        self.call = call
    }

    /// The `request_id` of the payment action the call names, if any.
    public var requestID: String? { call?.matchRequestID }

    public func value(of field: MatchField) -> String? {
        switch field {
        case .method: return api.rawValue
        case .appKey: return appKey
        case .shopID: return call.map { String($0.shopID) } ?? parameters["shop_id"]
        case .requestID: return call?.matchRequestID
        case .buyerID: return call?.matchBuyerID.map { String($0) }
        case .parameter(let name): return parameters[name]
        // Parsed per lookup (reports); matching parses once per pattern (RequestPattern.matches).
        case .path(let path): return FieldPaths(parameters.all)[path]
        }
    }
}
