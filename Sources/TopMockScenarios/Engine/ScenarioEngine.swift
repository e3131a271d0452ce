#if canImport(Glibc)
import Glibc
#endif
public import TopMockProtocol
import TopMockLock

/// Answers validated calls from the loaded ``ScenarioSet`` and each namespace's own state: rules
/// first (in priority order, first one that fires wins), then the call's method (``TOPMethods``:
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

    private let state: Locked<EngineState>
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

    /// Whether a method is served: one of ``TOPMethods``, or a stub.
    public func serves(_ api: APIName) -> Bool {
        TOPMethods.serves(api) || state.withLock { $0.set.stubs[api] != nil }
    }

    /// Swaps in a new set whole: the seeds change, what calls created stays. Progress is kept for
    /// every created action, every seeded action whose definition did not change and every rule
    /// whose text did not change; everything else starts afresh.
    public func replace(with set: ScenarioSet) {
        state.withLock { state in
            let oldActions = state.set.actions
            let fingerprints = Set(set.rules.map(\.fingerprint))
            state.namespaces = state.namespaces.mapValues { space in
                var kept = space
                kept.actions = space.actions.filter { key, _ in
                    if space.created[key] != nil { return true }
                    guard let old = oldActions[key], let new = set.actions[key] else { return false }
                    return old.sameDefinition(as: new)
                }
                kept.rules = space.rules.filter { fingerprints.contains($0.key) }
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
            let set = state.set
            let candidates = state.ruleIndex.candidates(for: request)
            // In place: copying the namespace out and back would copy its dictionaries on every call.
            return resolve(
                request, set: set, candidates: candidates, space: &state.namespaces[namespace, default: NamespaceState()], now: now)
        }
    }

    private func resolve(
        _ request: MatchableRequest, set: ScenarioSet, candidates: RuleIndex.Candidates, space: inout NamespaceState, now: Int64
    ) -> Resolution {
        var fired: (rule: Rule, quotaError: TOPError?)?
        for position in candidates where set.rules[position].pattern.matches(request) {
            let rule = set.rules[position]
            let decision = space.rules[rule.fingerprint, default: RuleProgress(rule: rule)].decide(rule, now: now)
            if decision.fires {
                fired = (rule, decision.quotaError)
                break
            }
        }
        var resolution: Resolution
        switch (fired?.quotaError, fired?.rule.plan.outcome) {
        case (let quotaError?, _):
            resolution = Resolution(outcome: .error(quotaError))
        case (nil, .error(let error)?):
            resolution = Resolution(outcome: .error(error))
        case (nil, .fault(let fault)?):
            resolution = Resolution(outcome: .fault(fault))
            if fault.carriesAnswer || fired?.rule.plan.takesEffect == true {
                resolution.faultedAnswer = answer(request, set: set, space: &space, now: now)
            }
        default:
            resolution = Resolution(outcome: answer(request, set: set, space: &space, now: now))
        }
        if let rule = fired?.rule {
            resolution.ruleName = rule.name
            resolution.ruleSource = rule.source
            if let delay = rule.plan.delay, fired?.quotaError == nil {
                resolution.delay = space.rules[rule.fingerprint]?.sampleDelay(delay)
            }
        }
        return resolution
    }

    /// The normal answer: the call's method's (its effect on the namespace included), or the
    /// method's stub.
    private func answer(_ request: MatchableRequest, set: ScenarioSet, space: inout NamespaceState, now: Int64) -> Resolution.Outcome {
        guard let call = request.call, let method = TOPMethods.method(request.api),
              let answer = method.answer(call, MethodContext(set: set, now: now, limits: limits), &space)
        else {
            guard let stub = set.stubs[request.api] else { return .unknownMethod }
            return .stub(stub)
        }
        return .answer(answer)
    }

    /// Why a call got the default answer (no action, or another buyer's): the nearest action by
    /// request_id (same shop preferred), and the rule that came closest with the fields that
    /// differed. Only computed on that path; at most 20,000 actions are compared.
    public func nearMiss(for request: MatchableRequest) -> String? {
        guard let query = request.call as? PaymentActionQuery else { return nil }
        let set = self.set
        var parts: [String] = []
        if let action = set.actions[ActionKey(shopID: query.shopID, requestID: query.requestID)] {
            parts.append("payment action '\(query.requestID)' in shop \(query.shopID) belongs to buyer \(action.buyerID.map { String($0) } ?? "any"), not \(query.buyerID)")
        } else {
            var best: (distance: Int, key: ActionKey)?
            for key in set.actions.keys.prefix(20_000) {
                let distance = editDistance(key.requestID, query.requestID) + (key.shopID == query.shopID ? 0 : 3)
                if let current = best, (current.distance, current.key.requestID) <= (distance, key.requestID) { continue }
                best = (distance, key)
            }
            var sentence = "no payment action with request_id '\(query.requestID)' in shop \(query.shopID)"
            if let best, best.distance <= max(3, query.requestID.count / 2) {
                sentence += "; nearest: '\(best.key.requestID)' in shop \(best.key.shopID)"
            }
            parts.append(sentence)
        }
        // A rule counts as close when it missed by one condition, by a small edit distance.
        var closest: (rule: Rule, distance: Int)?
        for rule in set.rules where rule.pattern.conditions.count > 0 {
            let failing = rule.pattern.conditions.filter { condition in
                request.value(of: condition.field).map { !condition.matcher.matches($0) } ?? true
            }
            guard failing.count == 1, let value = request.value(of: failing[0].field) else { continue }
            let distance: Int
            switch failing[0].matcher {
            case .equals(let expected): distance = editDistance(value, expected)
            case .prefix(let prefix): distance = editDistance(String(value.prefix(prefix.count)), prefix)
            default: continue
            }
            guard distance <= max(2, value.count / 4) else { continue }
            if closest == nil || distance < closest!.distance { closest = (rule, distance) }
        }
        if let closest {
            parts.append("closest rule '\(closest.rule.name)' (\(closest.rule.source)): \(closest.rule.pattern.mismatches(request).joined(separator: "; "))")
        }
        return parts.joined(separator: "; ")
    }

    /// Where an action stands in a namespace: total queries and the current timeline step
    /// (0 = its initial result).
    public func progress(of key: ActionKey, namespace: String = ScenarioEngine.defaultNamespace) -> (queries: Int, step: Int)? {
        state.withLock { state in
            let space = state.namespaces[namespace] ?? NamespaceState()
            guard space.action(key, in: state.set) != nil else { return nil }
            let progress = space.actions[key] ?? ActionProgress()
            return (progress.queries, progress.step)
        }
    }

    /// An action as a namespace sees it now (for the admin API): definition, step, queries, and
    /// the result the next query answers with (before any step that comes due on that query).
    public func snapshot(of key: ActionKey, namespace: String = ScenarioEngine.defaultNamespace) -> ActionSnapshot? {
        state.withLock { state in
            let space = state.namespaces[namespace] ?? NamespaceState()
            return space.action(key, in: state.set).map { Self.snapshot($0, space) }
        }
    }

    private static func snapshot(_ action: PaymentAction, _ space: NamespaceState) -> ActionSnapshot {
        let progress = space.actions[action.key] ?? ActionProgress()
        return ActionSnapshot(
            action: action, step: progress.step, queries: progress.queries, current: space.current(action),
            isOverridden: progress.override != nil, isCreated: space.created[action.key] != nil)
    }

    /// Every action a namespace sees: the seeds and what its calls created, by shop and request id.
    public func actions(namespace: String) -> [ActionSnapshot] {
        state.withLock { state in
            let space = state.namespaces[namespace] ?? NamespaceState()
            let keys = Set(state.set.actions.keys).union(space.created.keys)
            return keys.sorted { ($0.shopID, $0.requestID) < ($1.shopID, $1.requestID) }
                .compactMap { space.action($0, in: state.set).map { Self.snapshot($0, space) } }
        }
    }

    /// A checkout as a namespace sees it now, with its status (queries not counted).
    public func checkout(_ key: CheckoutKey, namespace: String) -> CheckoutSnapshot? {
        state.withLock { state in
            let space = state.namespaces[namespace] ?? NamespaceState()
            return space.checkout(key, in: state.set).map { Self.snapshot($0, space, codes: state.set.checkoutStatusCodes) }
        }
    }

    /// Every checkout a namespace sees: the seeds' payment orders with an id, and what calls and
    /// the admin API made.
    public func checkouts(namespace: String) -> [CheckoutSnapshot] {
        state.withLock { state in
            let space = state.namespaces[namespace] ?? NamespaceState()
            let keys = Set(state.set.checkouts.keys).union(space.checkouts.keys)
            return keys.sorted { ($0.shopID, $0.checkoutID) < ($1.shopID, $1.checkoutID) }
                .compactMap { space.checkout($0, in: state.set).map { Self.snapshot($0, space, codes: state.set.checkoutStatusCodes) } }
        }
    }

    private static func snapshot(_ checkout: CheckoutView, _ space: NamespaceState, codes: CheckoutStatusCodes) -> CheckoutSnapshot {
        let actions = checkout.actions.map { snapshot($0, space) }
        let results = actions.map { (action: $0.action, result: $0.current) }
        let status = CheckoutView.status(totalFen: checkout.totalFen, results: results)
        return CheckoutSnapshot(checkout: checkout, status: status, code: codes.code(status), paidFen: CheckoutView.paidFen(results), actions: actions)
    }

    /// Why a checkout cannot be created or given a total.
    public enum CheckoutChangeError: Error, Equatable {
        /// It has a total already, another one.
        case totalDiffers(Int64)
        /// It belongs to another buyer.
        case buyerDiffers(Int64)
    }

    /// Creates a checkout, or gives an open one its total (what a POS app's order has before it
    /// is paid). Creating an existing checkout with the same total and buyer changes nothing.
    public func createCheckout(
        _ key: CheckoutKey, totalFen: Int64?, buyerID: Int64?, namespace: String
    ) -> Result<(snapshot: CheckoutSnapshot, created: Bool), CheckoutChangeError> {
        state.withLock { state in
            let set = state.set
            let existing = state.namespaces[namespace]?.checkout(key, in: set)
            if let total = existing?.totalFen, let totalFen, total != totalFen { return .failure(.totalDiffers(total)) }
            if let owner = existing?.owner, let buyerID, owner != buyerID { return .failure(.buyerDiffers(owner)) }
            // In place: a namespace may hold 100,000 created actions.
            state.namespaces[namespace, default: NamespaceState()].checkouts[key, default: CheckoutRecord()].settle(
                totalFen: existing?.totalFen == nil ? totalFen : nil, buyerID: existing?.owner == nil ? buyerID : nil)
            let space = state.namespaces[namespace]!
            return .success((Self.snapshot(space.checkout(key, in: set)!, space, codes: set.checkoutStatusCodes), existing == nil))
        }
    }

    /// Sets an action's status, as a test does when "the customer pays now". If a step of its
    /// timeline (or its initial result) has that status, the action moves to that step and goes on
    /// from there; otherwise it answers with the current result under the new status (and the given
    /// fields) until it advances or is reset. Works on seeded and created actions alike. Returns
    /// the new snapshot, or nil for an unknown action.
    public func setStatus(
        _ key: ActionKey, to status: PaymentStatus, resultCode: String? = nil, resultMessage: String? = nil,
        namespace: String = ScenarioEngine.defaultNamespace
    ) -> ActionSnapshot? {
        state.withLock { state in
            guard let action = state.namespaces[namespace]?.action(key, in: state.set) ?? state.set.actions[key] else { return nil }
            state.namespaces[namespace, default: NamespaceState()].actions[key, default: ActionProgress()].setStatus(
                status, resultCode: resultCode, resultMessage: resultMessage, of: action)
            return Self.snapshot(action, state.namespaces[namespace]!)
        }
    }

    /// Moves an action to its next timeline step (what a `manual` step waits for). Returns the
    /// new step, or nil when the action does not exist or is at its last step.
    @discardableResult
    public func advance(_ key: ActionKey, namespace: String = ScenarioEngine.defaultNamespace) -> Int? {
        state.withLock { state in
            guard let action = state.namespaces[namespace]?.action(key, in: state.set) ?? state.set.actions[key] else { return nil }
            guard (state.namespaces[namespace]?.actions[key]?.step ?? 0) < action.timeline.count else { return nil }
            return state.namespaces[namespace, default: NamespaceState()].actions[key, default: ActionProgress()].advance()
        }
    }
}

/// A checkout as one namespace sees it.
public struct CheckoutSnapshot: Sendable, Equatable {
    public var checkout: CheckoutView
    public var status: CheckoutStatus
    /// `checkout_status` as `paystatus.query` answers it.
    public var code: Int64
    /// What its successful actions paid, in fen.
    public var paidFen: Int64
    public var actions: [ActionSnapshot]
}

/// An action as one namespace sees it.
public struct ActionSnapshot: Sendable, Equatable {
    public var action: PaymentAction
    /// 0 = the initial result, N = the N-th timeline step.
    public var step: Int
    public var queries: Int
    /// What the next query answers with, unless a step comes due on it.
    public var current: ActionResult
    /// True when the status was set through the admin API rather than reached by the timeline.
    public var isOverridden: Bool
    /// True for an action a call created (`order.pay`, a template), false for a scenario's.
    public var isCreated: Bool = false
}

/// What the engine decided for one call.
public struct Resolution: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
        /// The answer of one of ``TOPMethods``.
        case answer(MethodAnswer)
        case stub(Stub)
        case error(TOPError)
        case fault(Fault)
        /// A method that neither ``TOPMethods`` nor any stub serves (code 22).
        case unknownMethod
    }

    public var outcome: Outcome
    /// For faults that break an answer in transit (truncated or malformed body): the answer.
    public var faultedAnswer: Outcome?
    /// Wait this long before answering.
    public var delay: Duration?
    /// The rule that fired, if any.
    public var ruleName: String?

    /// The scenario file behind the answer: the fired rule's, else the payment action's or stub's.
    public var scenarioPath: String? {
        if let ruleSource { return ruleSource.path }
        switch outcome {
        case .answer(let answer): return answer.source?.path
        case .stub(let stub): return stub.source.path
        default: return nil
        }
    }

    /// Where the fired rule was declared.
    public var ruleSource: SourceLocation?

    public init(outcome: Outcome, delay: Duration? = nil, ruleName: String? = nil) {
        self.outcome = outcome
        self.delay = delay
        self.ruleName = ruleName
    }

    /// How the call ended, for the journal, logs and metrics.
    public var callOutcome: CallOutcome {
        switch outcome {
        case .answer(let answer): return answer.outcome
        case .stub: return .stub
        case .error: return .error
        case .fault: return .fault
        case .unknownMethod: return .unknownMethod
        }
    }
}

extension Stub: Equatable {
    public static func == (lhs: Stub, rhs: Stub) -> Bool {
        lhs.api == rhs.api && lhs.response == rhs.response && lhs.source == rhs.source
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
}

/// A rule's counters in one namespace.
struct RuleProgress {
    var matched = 0
    var random: SplitMix64
    var delayRandom: SplitMix64
    var quotaWindowStart: Int64?
    var quotaCount = 0

    init(rule: Rule) {
        var seed: UInt64 = UInt64(bitPattern: ScenarioCompiler.stableSeed(rule.name))
        if case .probability(_, let ruleSeed)? = rule.frequency { seed = ruleSeed }
        random = SplitMix64(seed: seed)
        delayRandom = SplitMix64(seed: seed &+ 0x5DEE_CE66)
    }

    /// Whether the rule fires for this matching call; for a quota past its limit, the code-7 error.
    mutating func decide(_ rule: Rule, now: Int64) -> (fires: Bool, quotaError: TOPError?) {
        matched += 1
        if let quota = rule.quota {
            let windowMillis = Int64(quota.window.seconds * 1000)
            if let start = quotaWindowStart, now < start + windowMillis {
                quotaCount += 1
            } else {
                quotaWindowStart = now
                quotaCount = 1
            }
            guard quotaCount > quota.limit, let start = quotaWindowStart else { return (false, nil) }
            let remaining = Int((start + windowMillis - now + 999) / 1000)
            return (true, .appCallLimited(banSeconds: max(remaining, 1)))
        }
        switch rule.frequency {
        case nil: return (true, nil)
        case .first(let count)?: return (matched <= count, nil)
        case .nth(let index)?: return (matched == index, nil)
        case .probability(let probability, _)?: return (random.nextDouble() < probability, nil)
        }
    }

    mutating func sampleDelay(_ delay: Delay) -> Duration {
        let uniform = delayRandom.nextDouble()
        // Box–Muller for the log-normal's standard normal deviate.
        let u1 = max(delayRandom.nextDouble(), 1e-12), u2 = delayRandom.nextDouble()
        let normal = (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
        return delay.sample(uniform: uniform, normal: normal)
    }
}

/// A small, fast, seedable random stream (splitmix64): the same seed gives the same faults.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    mutating func nextDouble() -> Double {
        Double(next() >> 11) / Double(1 << 53)
    }
}
