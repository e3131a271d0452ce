public import TopMockProtocol

/// A TOP method topmock serves for real: one type owns everything specific to it — reading and
/// checking its business parameters (40/41 naming the field path), its effect on the namespace's
/// checkouts and payment actions, and its answer. The gateway, rule matching, the rule index, the
/// journal and metrics only see ``MethodCall`` and ``MethodAnswer``.
///
/// Adding a method: one file with a type conforming to this protocol, and one line in
/// ``TOPMethods/registry`` (docs/architecture.md, "Adding a TOP method").
protocol TOPMethod: Sendable {
    associatedtype Call: MethodCall
    static var api: APIName { get }
    /// The JSON parameter whose `request_id` names the call's payment action, if the method has
    /// one (read on its own for journals of calls refused before ``parse``).
    static var requestParameter: String? { get }
    /// The business parameters, or the TOP error (40/41) that refuses them.
    static func parse(_ parameters: TOPParameters) throws(TOPError) -> Call
    /// The answer, and the method's effect on the namespace; runs under the engine's lock, so a
    /// call's effect is all or nothing and concurrent calls see each other's.
    static func answer(_ call: Call, context: MethodContext, space: inout NamespaceState) -> MethodAnswer
}

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

    public init(maxCreatedActions: Int = 100_000) {
        self.maxCreatedActions = maxCreatedActions
    }
}

/// The methods topmock serves for real; every other method is a stub or code 22.
public enum TOPMethods {
    /// Looked up three times a call (validation, parsing, answering): a short list compared by
    /// name costs less than hashing the name each time.
    static let registry: [AnyTOPMethod] = [
        AnyTOPMethod(PayActionQueryMethod.self),
        AnyTOPMethod(OrderPayMethod.self),
        AnyTOPMethod(PayStatusQueryMethod.self),
    ]

    static func method(_ api: APIName) -> AnyTOPMethod? { registry.first { $0.api == api } }

    /// The served methods' names, sorted.
    public static var names: [APIName] { registry.map(\.api).sorted { $0.rawValue < $1.rawValue } }

    public static func serves(_ api: APIName) -> Bool { method(api) != nil }

    /// The `request_id` a refused call named, if it can be read at all: from its method's request
    /// parameter, or, for a method not served here (or none), from any served method's. Only on
    /// the refusal path, so journal filters by `request_id` find refused calls too.
    public static func requestIDIfReadable(_ api: APIName?, _ parameters: TOPParameters) -> String? {
        let names = api.flatMap(method).map { [$0.requestParameter] } ?? registry.map(\.requestParameter)
        for name in names.compactMap({ $0 }).sorted() {
            guard let text = parameters[name] else { continue }
            if let id = JSONValue.object(parsing: text)?["request_id"]?.scalarText { return id }
        }
        return nil
    }

    /// The call's business parameters as its method reads them; nil for a method not served here
    /// (a stub, or unknown).
    public static func parse(_ api: APIName, _ parameters: TOPParameters) throws(TOPError) -> (any MethodCall)? {
        guard let method = method(api) else { return nil }
        return try method.parse(parameters)
    }
}

/// A ``TOPMethod`` behind closures, so one registry holds them all. A class: a look-up hands out
/// one reference, not copies of its names and closures.
final class AnyTOPMethod: Sendable {
    let api: APIName
    let requestParameter: String?
    let parse: @Sendable (TOPParameters) throws(TOPError) -> any MethodCall
    let answer: @Sendable (any MethodCall, MethodContext, inout NamespaceState) -> MethodAnswer?

    init<Method: TOPMethod>(_ method: Method.Type) {
        api = Method.api
        requestParameter = Method.requestParameter
        parse = { parameters throws(TOPError) in try Method.parse(parameters) }
        answer = { call, context, space in
            // The call came from this method's parse (the engine looks both up by the same name).
            guard let call = call as? Method.Call else { return nil }
            return Method.answer(call, context: context, space: &space)
        }
    }
}

/// How a call ended, for the journal, metrics and logs: one typed value instead of words compared
/// as strings. The raw value is the word they show.
public enum CallOutcome: String, Sendable, Equatable, CaseIterable {
    /// Refused by the gateway's checks (a TOP error before any scenario was asked).
    case rejected
    /// A payment action or checkout answered.
    case found
    /// No payment action or checkout with that key (a business failure).
    case notFound = "not_found"
    /// The action or checkout belongs to another buyer (a business failure).
    case buyerMismatch = "buyer_mismatch"
    /// `order.pay` created a payment action.
    case created
    /// `order.pay` repeated an earlier call's `request_id` with the same payload: the first answer again, nothing created.
    case replayed
    /// `order.pay` repeated a `request_id` with another payload (a business failure).
    case conflict
    /// Another business failure of a method (over-paying a checkout, no channel profile, the cap on created actions).
    case businessFailure = "business_failure"
    case stub
    /// An error injected by a rule.
    case error
    case fault
    case unknownMethod = "unknown_method"
    /// Forwarded to the upstream gateway and answered with what it said (`topmock record`).
    case proxied
}

/// A served method's answer: the `result` fields (the envelope adds `request_id`), how the call
/// ended, and what it concerned.
public struct MethodAnswer: Sendable, Equatable {
    /// The fields, written straight into the envelope (``ResponseFields``).
    public var body: any ResponseFields
    public var outcome: CallOutcome
    /// Whether `result.success` in ``body`` is true (a business failure when false).
    public var isSuccess: Bool
    /// The payment action's status after the call, when it concerned one (metrics' `result`).
    public var actionStatus: PaymentStatus?
    /// The scenario file behind the answer (the action's, the profile's, the template's).
    public var source: SourceLocation?

    public init(
        body: some ResponseFields, outcome: CallOutcome, isSuccess: Bool, actionStatus: PaymentStatus? = nil, source: SourceLocation? = nil
    ) {
        self.body = body
        self.outcome = outcome
        self.isSuccess = isSuccess
        self.actionStatus = actionStatus
        self.source = source
    }

    /// The fields as a tree, for what reads them by name (tests).
    public var fields: ResponseObject { body.tree }

    public static func == (lhs: MethodAnswer, rhs: MethodAnswer) -> Bool {
        lhs.fields == rhs.fields && lhs.outcome == rhs.outcome && lhs.isSuccess == rhs.isSuccess && lhs.actionStatus == rhs.actionStatus
            && lhs.source == rhs.source
    }

    /// The `result` label of `topmock_requests_total`: the action's status, else `business_failure`
    /// for an answer with `success: false`, else the outcome.
    public var resultLabel: String {
        if let actionStatus, isSuccess { return actionStatus.rawValue }
        return isSuccess ? outcome.rawValue : "business_failure"
    }

    /// A business failure: `result{msg_code, msg_info, success: false}`.
    static func failure(_ outcome: CallOutcome, code: String, info: String, source: SourceLocation? = nil) -> MethodAnswer {
        MethodAnswer(body: BusinessFailure(code: code, info: info), outcome: outcome, isSuccess: false, source: source)
    }

    /// A success: `result{model, success: true}`.
    static func success(_ model: some ResponseFields, outcome: CallOutcome, status: PaymentStatus?, source: SourceLocation?) -> MethodAnswer {
        MethodAnswer(body: Success(model: model), outcome: outcome, isSuccess: true, actionStatus: status, source: source)
    }

    private struct Success<Model: ResponseFields>: ResponseFields {
        let model: Model

        func write(to writer: inout ResponseWriter) {
            writer.object("result") { result in
                result.object("model") { model.write(to: &$0) }
                result.field("success", true)
            }
        }
    }

    private struct BusinessFailure: ResponseFields {
        let code: String
        let info: String

        func write(to writer: inout ResponseWriter) {
            writer.object("result") { result in
                result.field("msg_code", code)
                result.field("msg_info", info)
                result.field("success", false)
            }
        }
    }
}
