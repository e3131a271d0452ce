public import TopMockProtocol

/// The methods topmock serves for real (every other method is a stub or code 22), and every list
/// derived from them: their names, their outcome words, their secret fields. Nothing else names a
/// served method; a test pins each list kept outside Swift (the schema, the OpenAPI description,
/// the metrics docs) to these.
public enum ServedMethods {
    /// One line a method. Looked up three times a call (validation, parsing, answering): a short
    /// list compared by name costs less than hashing the name each time.
    static let registry: [AnyTOPMethod] = [
        AnyTOPMethod(PayActionQueryMethod.self),
        AnyTOPMethod(OrderPayMethod.self),
        AnyTOPMethod(PayStatusQueryMethod.self),
        AnyTOPMethod(ItemGetMethod.self),
        AnyTOPMethod(ItemsSubtotalMethod.self),
        AnyTOPMethod(BillGetMethod.self),
        AnyTOPMethod(PayAccountAckMethod.self),
        AnyTOPMethod(ServiceFeaturesGetMethod.self),
    ]

    static func method(_ api: APIName) -> AnyTOPMethod? { registry.first { $0.api == api } }

    /// The served methods' names, sorted.
    public static var names: [APIName] { registry.map(\.api).sorted { $0.rawValue < $1.rawValue } }

    public static func serves(_ api: APIName) -> Bool { method(api) != nil }

    /// Every word a call may end with: the gateway's, then each method's, each once.
    public static let outcomes: [CallOutcome] = {
        var seen = Set<CallOutcome>()
        return (CallOutcome.gateway + registry.flatMap(\.outcomes)).filter { seen.insert($0).inserted }
    }()

    /// What every place that shows a call masks: the gateway's secret parameters and every
    /// method's secret fields (``Redaction``).
    public static let redaction: Redaction = {
        // Several methods may declare the same field (`channel_account`): each is listed once.
        var seen = Set<String>()
        return Redaction(fields: registry.flatMap(\.secretFields).filter { seen.insert($0.description).inserted })
    }()

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

    /// What a recorded answer of a served method shows of the scenario model; nil for a method
    /// not served here (a recording stubs it).
    public static func recorded(_ api: APIName, _ answer: RecordedAnswer) -> RecordedObservation? {
        method(api)?.recorded(answer)
    }
}

/// A ``TOPMethod`` behind closures, so one registry holds them all. A class: a look-up hands out
/// one reference, not copies of its names and closures.
final class AnyTOPMethod: Sendable {
    let api: APIName
    let requestParameter: String?
    let outcomes: [CallOutcome]
    let secretFields: [StaticString]
    let parse: @Sendable (TOPParameters) throws(TOPError) -> any MethodCall
    let answer: @Sendable (any MethodCall, MethodContext, inout NamespaceState) -> MethodAnswer?
    let nearMiss: @Sendable (any MethodCall, NearMissScope) -> String?
    let recorded: @Sendable (RecordedAnswer) -> RecordedObservation

    init<Method: TOPMethod>(_ method: Method.Type) {
        api = Method.api
        requestParameter = Method.requestParameter
        outcomes = Method.outcomes
        secretFields = Method.secretFields
        parse = { parameters throws(TOPError) in try Method.parse(parameters) }
        answer = { call, context, namespace in
            // The call came from this method's parse (the engine looks both up by the same name).
            guard let call = call as? Method.Call else { return nil }
            let answer = namespace.withState(of: Method.self) { namespace, state in
                Method.answer(call, context: context, namespace: &namespace, state: &state)
            }
            assert(Method.outcomes.contains(answer.outcome), "\(Method.api) answered '\(answer.outcome)', not in its outcomes")
            return answer
        }
        nearMiss = { call, scope in
            guard let call = call as? Method.Call else { return nil }
            return Method.nearMiss(call, in: scope)
        }
        recorded = { Method.recorded($0) }
    }
}
