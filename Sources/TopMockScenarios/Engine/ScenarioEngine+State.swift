import TopMockLock
public import TopMockProtocol

/// The state store as the admin API sees it: each namespace's actions and checkouts, read as
/// snapshots and changed (status, advance, a checkout's total) under the engine's lock. What a
/// namespace holds is ``NamespaceState``; a call changes it only through its method's answer.
extension ScenarioEngine {
    /// Where an action stands in a namespace: total queries and the current timeline step
    /// (0 = its initial result).
    public func progress(of key: ActionKey, namespace: String = ScenarioEngine.defaultNamespace) -> (queries: Int, step: Int)? {
        state.withLock { state in
            let namespaceState = state.namespaceState(namespace)
            guard namespaceState.action(key, in: state.set) != nil else { return nil }
            let progress = namespaceState.actions[key] ?? ActionProgress()
            return (progress.queries, progress.step)
        }
    }

    /// An action as a namespace sees it now (for the admin API): definition, step, queries, and
    /// the result the next query answers with (before any step that comes due on that query).
    public func snapshot(of key: ActionKey, namespace: String = ScenarioEngine.defaultNamespace) -> ActionSnapshot? {
        state.withLock { state in
            let namespaceState = state.namespaceState(namespace)
            return namespaceState.action(key, in: state.set).map { Self.snapshot($0, namespaceState) }
        }
    }

    private static func snapshot(_ action: PaymentAction, _ namespaceState: NamespaceState) -> ActionSnapshot {
        let progress = namespaceState.actions[action.key] ?? ActionProgress()
        return ActionSnapshot(
            action: action, step: progress.step, queries: progress.queries, current: namespaceState.current(action),
            isOverridden: progress.override != nil, isSetByAdmin: progress.setByAdmin, isCreated: namespaceState.created[action.key] != nil)
    }

    /// Every action a namespace sees: the seeds and what its calls created, by shop and request id.
    public func actions(namespace: String) -> [ActionSnapshot] {
        state.withLock { state in
            let namespaceState = state.namespaceState(namespace)
            let keys = Set(state.set.actions.keys).union(namespaceState.created.keys)
            return keys.sorted { ($0.shopID, $0.requestID) < ($1.shopID, $1.requestID) }
                .compactMap { namespaceState.action($0, in: state.set).map { Self.snapshot($0, namespaceState) } }
        }
    }

    /// A checkout as a namespace sees it now, with its status (queries not counted).
    public func checkout(_ key: CheckoutKey, namespace: String) -> CheckoutSnapshot? {
        state.withLock { state in
            let namespaceState = state.namespaceState(namespace)
            return namespaceState.checkout(key, in: state.set).map { Self.snapshot($0, namespaceState, codes: state.set.checkoutStatusCodes) }
        }
    }

    /// Every checkout a namespace sees: the seeds' payment orders with an id, and what calls and
    /// the admin API made.
    public func checkouts(namespace: String) -> [CheckoutSnapshot] {
        state.withLock { state in
            let namespaceState = state.namespaceState(namespace)
            let keys = Set(state.set.checkouts.keys).union(namespaceState.checkouts.keys)
            return keys.sorted { ($0.shopID, $0.checkoutID) < ($1.shopID, $1.checkoutID) }
                .compactMap {
                    namespaceState.checkout($0, in: state.set).map { Self.snapshot($0, namespaceState, codes: state.set.checkoutStatusCodes) }
                }
        }
    }

    private static func snapshot(_ checkout: CheckoutView, _ namespaceState: NamespaceState, codes: CheckoutStatusCodes) -> CheckoutSnapshot {
        let actions = checkout.actions.map { snapshot($0, namespaceState) }
        let results = actions.map { (action: $0.action, result: $0.current) }
        let status = CheckoutView.status(totalFen: checkout.totalFen, results: results)
        return CheckoutSnapshot(
            checkout: checkout, status: status, code: codes.code(status), paidFen: CheckoutView.paidFen(results), actions: actions)
    }

    /// Why a checkout cannot be created or given a total.
    public enum CheckoutChangeError: Error, Equatable {
        /// It has a total already, another one.
        case totalDiffers(Fen)
        /// It belongs to another buyer.
        case buyerDiffers(Int64)
    }

    /// Creates a checkout, or gives an open one its total (what a POS app's order has before it
    /// is paid). Creating an existing checkout with the same total and buyer changes nothing.
    public func createCheckout(
        _ key: CheckoutKey, totalFen: Fen?, buyerID: Int64?, namespace: String
    ) -> Result<(snapshot: CheckoutSnapshot, created: Bool), CheckoutChangeError> {
        state.withLock { state in
            let set = state.set
            let existing = state.namespaces[namespace]?.checkout(key, in: set)
            if let total = existing?.totalFen, let totalFen, total != totalFen { return .failure(.totalDiffers(total)) }
            if let owner = existing?.owner, let buyerID, owner != buyerID { return .failure(.buyerDiffers(owner)) }
            // In place: a namespace may hold 100,000 created actions.
            state.namespaces[namespace, default: NamespaceState()].checkouts[key, default: CheckoutRecord()].settle(
                totalFen: existing?.totalFen == nil ? totalFen : nil, buyerID: existing?.owner == nil ? buyerID : nil)
            let namespaceState = state.namespaces[namespace]!
            return .success((Self.snapshot(namespaceState.checkout(key, in: set)!, namespaceState, codes: set.checkoutStatusCodes), existing == nil))
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
            guard let action = state.namespaceState(namespace).action(key, in: state.set) else { return nil }
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
            guard let action = state.namespaceState(namespace).action(key, in: state.set) else { return nil }
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
    /// True when the current result is an override: a status (or fields) the timeline does not have.
    public var isOverridden: Bool
    /// True when the status was set through the admin API rather than reached by the timeline
    /// (also when the API moved the action to a step that has that status).
    public var isSetByAdmin: Bool = false
    /// True for an action a call created (`order.pay`, a template), false for a scenario's.
    public var isCreated: Bool = false
}
