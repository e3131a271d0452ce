import TopMockLock
public import TopMockProtocol

/// Answers validated calls from the loaded ``ScenarioSet`` and each namespace's own state: rules
/// first (in priority order, first one that fires wins), then the call's method (``ServedMethods``:
/// a payment action, a checkout, a new payment) or the method's stub.
///
/// All mutable state — query counts, timeline positions, rule counters, quota windows, random
/// streams — lives per namespace behind one mutex, so concurrent requests never lose or
/// double-count a step. Time comes from the injected ``WallClock``.
///
/// ```swift
/// let engine = ScenarioEngine(set: result.set, clock: SystemWallClock())
/// let resolution = engine.resolve(request)
/// ```
public final class ScenarioEngine: Sendable {
    public static let defaultNamespace = "default"

    /// The seed and every namespace's state; every read and write holds this lock.
    let state: Locked<EngineState>
    /// The time of each namespace (real unless a test froze or moved it).
    public let clocks: VirtualClocks

    /// Bounds on what calls create at run time.
    public let limits: EngineLimits

    public init(set: ScenarioSet, clock: any WallClock = SystemWallClock(), limits: EngineLimits = EngineLimits()) {
        self.state = Locked(EngineState(set: set))
        self.clocks = VirtualClocks(base: clock)
        self.limits = limits
    }

    /// The set being served.
    public var set: ScenarioSet { state.withLock { $0.set } }

    /// Whether a method is served: one of ``ServedMethods``, or a stub.
    public func serves(_ api: APIName) -> Bool {
        ServedMethods.serves(api) || state.withLock { $0.set.stubs[api] != nil }
    }

    /// Swaps in a new set whole: the seeds change, what calls created stays. Progress is kept for
    /// every created action, every seeded action whose definition did not change and every rule
    /// whose text did not change; everything else starts afresh.
    public func replace(with set: ScenarioSet) {
        state.withLock { state in
            let oldActions = state.set.actions
            let fingerprints = Set(set.rules.map(\.fingerprint))
            state.namespaces = state.namespaces.mapValues { namespaceState in
                var kept = namespaceState
                kept.actions = namespaceState.actions.filter { key, _ in
                    if namespaceState.created[key] != nil { return true }
                    guard let old = oldActions[key], let new = set.actions[key] else { return false }
                    return old.sameDefinition(as: new)
                }
                kept.rules = namespaceState.rules.filter { fingerprints.contains($0.key) }
                return kept
            }
            state.set = set
        }
    }

    /// Puts `namespace` (every namespace when nil) back to its seed: forgets every count,
    /// timeline position, quota and random stream, every created action, checkout and
    /// `order.pay` record, and puts its clock back to real time.
    public func reset(namespace: String? = nil) {
        state.withLock { state in
            if let namespace { state.namespaces[namespace] = nil } else { state.namespaces = [:] }
        }
        clocks.release(namespace: namespace)
    }

    /// Names of the namespaces that have state.
    public var namespaceNames: [String] {
        state.withLock { Array($0.namespaces.keys).sorted() }
    }

    /// Decides the answer to a call (and updates the namespace's state accordingly).
    /// - Parameter nowMillis: the namespace's time, when the caller has already read it (the
    ///   gateway reads it once for the timestamp check); else it is read here.
    public func resolve(
        _ request: MatchableRequest, namespace: String = ScenarioEngine.defaultNamespace, nowMillis: Int64? = nil
    ) -> Resolution {
        let now = nowMillis ?? clocks.nowMillis(namespace: namespace)
        return state.withLock { state in
            // A new namespace past the cap: refused, and nothing of any other namespace is lost.
            if state.namespaces.count >= limits.maxNamespaces && state.namespaces[namespace] == nil {
                let why = "namespace '\(namespace)' would be one more than the \(limits.maxNamespaces) --max-namespaces allows"
                return Resolution(decision: .refused(.namespaceLimit(limits.maxNamespaces), why: why))
            }
            let set = state.set
            let candidates = state.ruleIndex.candidates(for: request)
            // In place: copying the namespace out and back would copy its dictionaries on every call.
            return resolve(
                request, set: set, candidates: candidates, namespaceState: &state.namespaces[namespace, default: NamespaceState()], now: now)
        }
    }
    private func resolve(
        _ request: MatchableRequest, set: ScenarioSet, candidates: RuleIndex.Candidates, namespaceState: inout NamespaceState, now: Int64
    ) -> Resolution {
        guard let fired = namespaceState.firingRule(for: request, among: candidates, in: set, now: now) else {
            return Resolution(decision: answer(request, set: set, namespaceState: &namespaceState, now: now))
        }
        var resolution: Resolution
        switch (fired.quotaError, fired.rule.plan.action) {
        case (let quotaError?, _):
            resolution = Resolution(decision: .error(quotaError))
        case (nil, .error(let error)):
            resolution = Resolution(decision: .error(error))
        case (nil, .fault(let fault)):
            resolution = Resolution(decision: .fault(fault))
            if fault.carriesAnswer || fired.rule.plan.takesEffect {
                resolution.faultedAnswer = answer(request, set: set, namespaceState: &namespaceState, now: now)
            }
        case (nil, .answer):
            resolution = Resolution(decision: answer(request, set: set, namespaceState: &namespaceState, now: now))
        }
        resolution.ruleName = fired.rule.name
        resolution.ruleSource = fired.rule.source
        if fired.quotaError == nil { resolution.delay = namespaceState.delay(of: fired.rule) }
        return resolution
    }

    private func answer(_ request: MatchableRequest, set: ScenarioSet, namespaceState: inout NamespaceState, now: Int64) -> Resolution.Decision {
        guard let call = request.call, let method = ServedMethods.method(request.api),
            let answer = method.answer(call, MethodContext(set: set, now: now, limits: limits), &namespaceState)
        else {
            guard let stub = set.stubs[request.api]?.first(where: { $0.pattern.matches(request) }) else { return .unknownMethod }
            return .stub(namespaceState.answer(stub))
        }
        return .answer(answer)
    }

    /// Why a call got its method's default answer (see ``NearMiss``); nil when there is nothing to say.
    public func nearMiss(for request: MatchableRequest, namespace: String = ScenarioEngine.defaultNamespace) -> String? {
        let (set, namespaceState) = state.withLock { ($0.set, $0.namespaceState(namespace)) }
        return NearMiss(request: request, set: set, namespace: namespaceState).explanation
    }
}

// MARK: state

struct EngineState {
    var set: ScenarioSet { didSet { ruleIndex = RuleIndex(set.rules) } }
    /// Built whenever the set changes.
    private(set) var ruleIndex: RuleIndex
    var namespaces: [String: NamespaceState] = [:]

    init(set: ScenarioSet) {
        self.set = set
        self.ruleIndex = RuleIndex(set.rules)
    }

    /// A namespace's state to read; one no call has touched reads as its seed.
    func namespaceState(_ namespace: String) -> NamespaceState { namespaces[namespace] ?? NamespaceState() }
}
