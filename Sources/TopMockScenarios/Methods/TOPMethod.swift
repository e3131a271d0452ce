import TopMockProtocol

/// A TOP method topmock serves for real: one type declares everything about it, and nothing else
/// lists methods (``ServedMethods`` derives every list from its registry):
/// - its business parameters (``parse(_:)``: 40/41 naming the field path), its answer and its effect
///   on the namespace (``answer(_:context:namespace:state:)``);
/// - its own slice of each namespace's state (``State``), beside the shared checkouts and actions;
/// - the words its calls end with (``outcomes``: journal, metrics, admin's filters);
/// - its secret JSON fields (``secretFields``: masked everywhere, through ``Redaction``);
/// - how a near miss of it is explained (``nearMiss(_:in:)``);
/// - what a recorded answer of it is in scenario terms (``recorded(_:)``, for `topmock record`).
///
/// Adding a method: its own folder under `Methods/` with a type conforming to this protocol and
/// its parameters, and one line in ``ServedMethods/registry`` (docs/architecture.md, "Adding a TOP
/// method").
protocol TOPMethod: Sendable {
    associatedtype Call: MethodCall
    /// What the method keeps per namespace besides checkouts and actions; dropped with the
    /// namespace on reset, kept across a reload.
    associatedtype State: MethodState = NoMethodState

    static var api: APIName { get }
    /// The JSON parameter whose `request_id` names the call's payment action, if the method has
    /// one (read on its own for journals of calls refused before ``parse(_:)``).
    static var requestParameter: String? { get }
    /// Every ``CallOutcome`` its answers may carry (checked on each answer in debug builds).
    static var outcomes: [CallOutcome] { get }
    /// JSON fields of its parameters that are secrets (a pay code, an account): masked at any
    /// depth wherever a call is shown.
    static var secretFields: [StaticString] { get }

    /// The business parameters, or the TOP error (40/41) that refuses them.
    static func parse(_ parameters: TOPParameters) throws(TOPError) -> Call
    /// The answer, and the method's effect on the namespace; runs under the engine's lock, so a
    /// call's effect is all or nothing and concurrent calls see each other's.
    static func answer(_ call: Call, context: MethodContext, namespace: inout NamespaceState, state: inout State) -> MethodAnswer
    /// Why the call got the method's default answer (nothing with that key, another buyer's), or
    /// nil when there is nothing to say; read outside the lock, from a copy.
    static func nearMiss(_ call: Call, in scope: NearMissScope) -> String?
    /// What an answer the upstream gave to a call of this method shows of the scenario model.
    static func recorded(_ answer: RecordedAnswer) -> RecordedObservation
}

extension TOPMethod {
    static var secretFields: [StaticString] { [] }
    static func nearMiss(_ call: Call, in scope: NearMissScope) -> String? { nil }
}

/// A method's own per-namespace state: a value, made empty with the namespace.
protocol MethodState: Sendable {
    init()
}

/// The state of a method that keeps none of its own.
struct NoMethodState: MethodState {}

/// What the engine and the journal need of any method's parsed call.
public protocol MethodCall: Sendable {
    var shopID: Int64 { get }
    /// The `request_id` of the payment action the call names, if it names one: what rules'
    /// `request_id`, the rule index and the journal's `request_id` read.
    var matchRequestID: String? { get }
    /// The `buyer_id` the call gives, if any: what rules' `buyer_id` reads.
    var matchBuyerID: Int64? { get }
}

/// The fixed inputs of one call's answer.
struct MethodContext {
    let set: ScenarioSet
    /// The namespace's time, epoch milliseconds.
    let now: Int64
    let limits: EngineLimits
}

/// Bounds on what calls create at run time.
public struct EngineLimits: Sendable, Equatable {
    /// Most payment actions `order.pay` and action templates may create in one namespace.
    public var maxCreatedActions: Int
    /// Most namespaces with state at once: a call that would start one more is refused (code 15,
    /// `isp.topmock-namespace-limit`) until a reset frees some. Each namespace a call touched costs
    /// about 1.7 KB before what it creates.
    public var maxNamespaces: Int

    public init(maxCreatedActions: Int = 100_000, maxNamespaces: Int = 10_000) {
        self.maxCreatedActions = maxCreatedActions
        self.maxNamespaces = maxNamespaces
    }
}
