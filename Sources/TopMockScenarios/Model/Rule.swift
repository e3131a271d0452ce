public import TopMockProtocol

#if canImport(Glibc)
import Glibc
#endif

/// A rule: when a request matches its pattern (and its frequency lets it fire), the plan decides
/// the answer. WireMock's StubMapping = RequestPattern + ResponseDefinition.
///
/// A final class: immutable once loaded, and the engine tests rules on every call (those its
/// `RuleIndex` leaves), where a reference costs one retain instead of one per field.
public final class Rule: Sendable {
    /// The rule's name (from the file, or `rule #N` of its file).
    public let name: String
    /// Higher first; equal priorities keep file order.
    public let priority: Int
    public let pattern: RequestPattern
    public let plan: ResponsePlan
    /// How often the rule fires among the requests it matches; nil = every time.
    public let frequency: Frequency?
    /// When set, the rule counts matching calls and answers code 7 past the limit.
    public let quota: Quota?
    public let source: SourceLocation
    /// Identity across reloads: the file and the canonical text of the rule's definition.
    public let fingerprint: String

    public init(
        name: String, priority: Int = 0, pattern: RequestPattern, plan: ResponsePlan, frequency: Frequency? = nil,
        quota: Quota? = nil, source: SourceLocation = SourceLocation(path: "", line: 0, column: 0), fingerprint: String = ""
    ) {
        self.name = name
        self.priority = priority
        self.pattern = pattern
        self.plan = plan
        self.frequency = frequency
        self.quota = quota
        self.source = source
        self.fingerprint = fingerprint
    }

    /// Matches every request and fires every time: nothing after it at the same or a lower
    /// priority can be reached.
    public var catchesEverything: Bool {
        pattern.conditions.isEmpty && frequency == nil && quota == nil
    }
}

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

/// What a fired rule does.
public struct ResponsePlan: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
        /// The normal answer (the payment action, or the method's stub), possibly delayed.
        case answer
        case error(TOPError)
        case fault(Fault)
    }

    public var outcome: Outcome
    public var delay: Delay?
    /// With a fault: the call takes effect (an `order.pay` creates its action, a query counts)
    /// before the fault loses its answer — a lost reply.
    public var takesEffect: Bool

    public init(outcome: Outcome, delay: Delay? = nil, takesEffect: Bool = false) {
        self.outcome = outcome
        self.delay = delay
        self.takesEffect = takesEffect
    }
}

/// Transport faults, carried out by the HTTP layer (WireMock's Fault + FaultInjector).
public enum Fault: String, Sendable, Equatable, CaseIterable {
    /// Close the connection without answering.
    case closeConnection = "close"
    /// Reset the connection (TCP RST) without answering.
    case resetConnection = "reset"
    /// HTTP 200 with the TOP content type and no body.
    case emptyBody = "empty_body"
    /// The headers and half of the body, then the connection closes.
    case truncatedBody = "truncated_body"
    /// HTTP 200 with a body that is not well-formed JSON/XML.
    case malformedBody = "malformed_body"
    /// HTTP 500/502/503 with an HTML page, as a proxy in front of the gateway sends.
    case http500 = "http_500"
    case http502 = "http_502"
    case http503 = "http_503"

    /// Faults that deliver a broken version of the real answer (so the call counts as a query).
    public var carriesAnswer: Bool { self == .truncatedBody || self == .malformedBody }
}

extension Fault {
    /// The proxy-page fault that replays an HTTP error status an upstream answered with (`http_502`
    /// for a status topmock has no page of its own for).
    public init(proxyStatus status: Int) {
        self = status == 500 ? .http500 : status == 503 ? .http503 : .http502
    }
}

/// How long to wait before answering.
public enum Delay: Sendable, Equatable {
    case fixed(Duration)
    case uniform(min: Duration, max: Duration)
    /// Log-normal by its median and 99th percentile.
    case logNormal(median: Duration, p99: Duration)

    /// A sample, drawn from `random` (a number in [0, 1)) and, for log-normal, `normal` (a standard
    /// normal deviate); always between 0 and a year: fixed and uniform durations are parsed inside
    /// it, and a log-normal's unbounded tail (or NaN, for a median of 0) is clamped into it.
    public func sample(uniform random: Double, normal: Double) -> Duration {
        switch self {
        case .fixed(let duration):
            return duration
        case .uniform(let min, let max):
            return min + (max - min) * random
        case .logNormal(let median, let p99):
            let mu = log(median.seconds)
            let sigma = max(0, (log(p99.seconds) - mu) / 2.326_347_874)
            let seconds = exp(mu + sigma * normal)
            return seconds.isFinite ? .seconds(Swift.min(seconds, ScenarioDurations.maximumSeconds)) : .zero
        }
    }
}

extension Duration {
    /// The duration in seconds, as a Double.
    public var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}

/// Which of the matching calls a rule fires on.
public enum Frequency: Sendable, Equatable {
    /// The first N matching calls, then the rule lets calls through ("N failures, then recover").
    case first(Int)
    /// Only the N-th matching call.
    case nth(Int)
    /// Each matching call with this probability, from a random stream seeded with `seed`.
    case probability(Double, seed: UInt64)
}

/// More than `limit` matching calls within `window` → code 7 until the window ends.
public struct Quota: Sendable, Equatable {
    public var limit: Int
    public var window: Duration

    public init(limit: Int, window: Duration) {
        self.limit = limit
        self.window = window
    }
}

/// A canned answer for another TOP method, rendered with the envelope rules.
public struct Stub: Sendable {
    public var api: APIName
    /// Which calls of its method it answers (no condition: every call).
    public var pattern: RequestPattern
    /// Answered in turn, counted per namespace; the last one repeats.
    public var responses: [ResponseObject]
    public var source: SourceLocation

    /// The first answer.
    public var response: ResponseObject { responses[0] }

    public init(
        api: APIName, pattern: RequestPattern = RequestPattern(), responses: [ResponseObject],
        source: SourceLocation = SourceLocation(path: "", line: 0, column: 0)
    ) {
        precondition(!responses.isEmpty, "a stub answers with at least one response")
        self.api = api
        self.pattern = pattern
        self.responses = responses
        self.source = source
    }

    public init(api: APIName, response: ResponseObject, source: SourceLocation = SourceLocation(path: "", line: 0, column: 0)) {
        self.init(api: api, responses: [response], source: source)
    }
}

/// What a stub answered one call with.
public struct StubAnswer: Sendable, Equatable {
    public var response: ResponseObject
    /// Where the stub is declared.
    public var source: SourceLocation
}
