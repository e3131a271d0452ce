public import TopMockProtocol

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

/// What a fired rule does.
public struct ResponsePlan: Sendable, Equatable {
    public enum Action: Sendable, Equatable {
        /// The normal answer (the payment action, or the method's stub), possibly delayed.
        case answer
        case error(TOPError)
        case fault(Fault)
    }

    public var action: Action
    public var delay: Delay?
    /// With a fault: the call takes effect (an `order.pay` creates its action, a query counts)
    /// before the fault loses its answer — a lost reply.
    public var takesEffect: Bool

    public init(action: Action, delay: Delay? = nil, takesEffect: Bool = false) {
        self.action = action
        self.delay = delay
        self.takesEffect = takesEffect
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
