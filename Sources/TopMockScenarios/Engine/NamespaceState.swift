public import TopMockProtocol

/// Everything one namespace changes at run time: the progress of its payment actions, its rules'
/// counters, what its calls created (actions, checkouts), and each method's own state. The loaded
/// ``ScenarioSet`` is the seed and is never written: dropping a namespace's state puts it back to
/// its seed, and a reload swaps the seed under the created actions, which stay.
struct NamespaceState {
    /// Progress of every action queried here, seeded or created.
    var actions: [ActionKey: ActionProgress] = [:]
    /// By rule fingerprint.
    var rules: [String: RuleProgress] = [:]
    /// Actions created by `order.pay` and templates; they win over a seed of the same key.
    var created: [ActionKey: PaymentAction] = [:]
    /// Checkouts as calls and the admin API changed them: created ones, and additions to seeded ones.
    var checkouts: [CheckoutKey: CheckoutRecord] = [:]
    /// The stores as this namespace changed them, and the sales its subtotals priced.
    var store = StoreState()
    /// Calls each stub with several responses answered, by the stub's declaration.
    var stubCalls: [SourceLocation: Int] = [:]
    /// Each stateful method's ``TOPMethod/State``, by the method's type.
    private var methodStates: [ObjectIdentifier: any MethodState] = [:]

    /// Runs `body` with the method's own state, taken out of the namespace while it runs (so a
    /// mutation copies nothing) and put back after. A method that keeps no state costs no look-up.
    mutating func withState<Method: TOPMethod, Result>(
        of method: Method.Type, _ body: (inout NamespaceState, inout Method.State) -> Result
    ) -> Result {
        guard Method.State.self != NoMethodState.self else {
            var none = Method.State()
            return body(&self, &none)
        }
        let key = ObjectIdentifier(method)
        var state = methodStates.removeValue(forKey: key) as? Method.State ?? Method.State()
        defer { methodStates[key] = state }
        return body(&self, &state)
    }

    /// The stub's next answer: its responses in turn, the last one repeating.
    mutating func answer(_ stub: Stub) -> StubAnswer {
        guard stub.responses.count > 1 else { return StubAnswer(response: stub.responses[0], source: stub.source) }
        let index = stubCalls[stub.source, default: 0]
        stubCalls[stub.source] = index + 1
        return StubAnswer(response: stub.responses[min(index, stub.responses.count - 1)], source: stub.source)
    }

    /// The action with this key: the namespace's own, else the seed's. A namespace that created
    /// nothing costs the query path no second hash.
    func action(_ key: ActionKey, in set: ScenarioSet) -> PaymentAction? {
        created.isEmpty ? set.actions[key] : created[key] ?? set.actions[key]
    }

    /// The result the action's next query answers with, before any step that comes due on it.
    func current(_ action: PaymentAction) -> ActionResult {
        let progress = actions[action.key] ?? ActionProgress()
        return progress.override ?? action.result(atStep: progress.step)
    }

    /// Counts a query of the action (through `pay.action.query`, or `paystatus.query` of its
    /// checkout) and answers with its result after any step that came due.
    mutating func query(_ action: PaymentAction, now: Int64) -> ActionResult {
        actions[action.key, default: ActionProgress()].query(action, now: now)
    }

    /// Adds a created action (and lists it under its checkout, when it has one); false when the
    /// namespace has created `limits.maxCreatedActions` already.
    mutating func create(_ action: PaymentAction, checkout: CheckoutKey?, limits: EngineLimits) -> Bool {
        guard created.count < limits.maxCreatedActions else { return false }
        created[action.key] = action
        if let checkout { checkouts[checkout, default: CheckoutRecord()].actions.append(action.key) }
        return true
    }

    /// A checkout as this namespace sees it: the seed's total and actions, with what calls added;
    /// nil when neither a scenario nor a call made it.
    func checkout(_ key: CheckoutKey, in set: ScenarioSet) -> CheckoutView? {
        let seed = set.checkouts[key], record = checkouts[key]
        guard seed != nil || record != nil else { return nil }
        let keys = (seed?.actions ?? []) + (record?.actions ?? [])
        return CheckoutView(
            key: key, totalFen: record?.totalFen ?? seed?.totalFen, buyerID: record?.buyerID,
            actions: keys.compactMap { action($0, in: set) }, source: seed?.source, isSeeded: seed != nil)
    }
}

/// A checkout's changes at run time.
struct CheckoutRecord {
    /// Set by the admin API; wins over the seed's.
    var totalFen: Fen?
    /// Whose checkout it is, once a call or the admin API said so.
    var buyerID: Int64?
    /// Created actions, in the order they were paid.
    var actions: [ActionKey] = []

    /// Takes the total and the buyer given, where given (the engine checked they are new).
    mutating func settle(totalFen: Fen?, buyerID: Int64?) {
        if let totalFen { self.totalFen = totalFen }
        if let buyerID { self.buyerID = buyerID }
    }
}

/// A checkout with its actions, as one namespace sees it.
public struct CheckoutView: Sendable, Equatable {
    public var key: CheckoutKey
    public var totalFen: Fen?
    public var buyerID: Int64?
    /// Seeded ones first (file order), then created ones (call order).
    public var actions: [PaymentAction]
    public var source: SourceLocation?
    public var isSeeded: Bool

    /// The buyer the checkout belongs to: the one a call or the admin API gave, else its first
    /// action's.
    public var owner: Int64? { buyerID ?? actions.lazy.compactMap(\.buyerID).first }

    /// Paid when its successful actions reach the total (an open checkout: when it has actions
    /// and all of them succeeded); failed when, unpaid, its latest action ended unpaid; else
    /// waiting.
    public static func status(totalFen: Fen?, results: [(action: PaymentAction, result: ActionResult)]) -> CheckoutStatus {
        status(totalFen: totalFen, paidFen: totalFen == nil ? 0 : paidFen(results), statuses: results.map(\.result.status))
    }

    /// The same from the actions' statuses in order and what the successful ones paid (read only
    /// when there is a total): what a recording derives, with no actions at hand.
    public static func status(totalFen: Fen?, paidFen: Int64, statuses: [PaymentStatus]) -> CheckoutStatus {
        let paid = !statuses.isEmpty && (totalFen.map { paidFen >= $0.value } ?? statuses.allSatisfy(\.pays))
        if paid { return .paid }
        if let last = statuses.last, last.endsUnpaid { return .failed }
        return .waiting
    }

    /// What the successful actions paid, in fen (``Fen/sum(_:)``: no overflow, whatever the amounts).
    public static func paidFen(_ results: [(action: PaymentAction, result: ActionResult)]) -> Int64 {
        Fen.sum(results.lazy.filter { $0.result.status.pays }.compactMap(\.action.amountFen))
    }

    /// What the actions that have not ended unpaid commit, in fen: what a new payment must fit
    /// beside under the total.
    public static func committedFen(_ results: [(action: PaymentAction, result: ActionResult)]) -> Int64 {
        Fen.sum(results.lazy.filter { !$0.result.status.endsUnpaid }.compactMap(\.action.amountFen))
    }
}

/// A payment action's life in one namespace. A value type whose mutating methods are the state
/// machine; the engine runs them under its lock.
struct ActionProgress {
    var queries = 0
    var step = 0
    var queriesInStep = 0
    var firstQueryMillis: Int64?
    /// A result set through the admin API, answered until the action advances.
    var override: ActionResult?
    /// Whether the admin API set the current status (by moving to a step that has it, or by
    /// ``override``); false again once the action advances.
    var setByAdmin = false

    /// Counts one query: first advances through every step whose trigger has come, then answers
    /// with the current step.
    mutating func query(_ action: PaymentAction, now: Int64) -> ActionResult {
        queries += 1
        if firstQueryMillis == nil { firstQueryMillis = now }
        while step < action.timeline.count {
            let due: Bool
            switch action.timeline[step].trigger {
            case .afterQueries(let count): due = queriesInStep >= count
            case .after(let duration): due = now - (firstQueryMillis ?? now) >= ScenarioDurations.millis(duration)
            case .manual: due = false
            }
            guard due else { break }
            step += 1
            queriesInStep = 0
            override = nil
            setByAdmin = false
        }
        queriesInStep += 1
        return override ?? action.result(atStep: step)
    }

    /// The admin API's "the customer pays now": to the first step with that status when there is
    /// one and no fields are given (the timeline goes on from there), else an override of the
    /// current result under the new status, answered until the action advances.
    mutating func setStatus(_ status: PaymentStatus, resultCode: String?, resultMessage: String?, of action: PaymentAction) {
        let steps = [action.initial] + action.timeline.map(\.result)
        if resultCode == nil, resultMessage == nil, let index = steps.firstIndex(where: { $0.status == status }) {
            step = index
            override = nil
        } else {
            var result = override ?? action.result(atStep: step)
            result.status = status
            if let resultCode { result.resultCode = resultCode }
            if let resultMessage { result.resultMessage = resultMessage }
            override = result
        }
        queriesInStep = 0
        setByAdmin = true
    }

    /// The next timeline step (the caller checked there is one); returns it.
    mutating func advance() -> Int {
        step += 1
        queriesInStep = 0
        override = nil
        setByAdmin = false
        return step
    }
}
