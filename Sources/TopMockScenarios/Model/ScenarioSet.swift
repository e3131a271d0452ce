public import TopMockProtocol

/// Everything loaded from one scenario directory: apps and payment actions, indexed for lookup.
/// Immutable: a reload builds a new set and swaps it in whole.
public struct ScenarioSet: Sendable {
    /// `app_key` → secret and sessions, from the files' `apps`.
    public var apps: [String: AppCredentials]
    public var actions: [ActionKey: PaymentAction]
    /// Every rule of every file, in evaluation order: priority (higher first), then load order.
    public var rules: [Rule]
    /// Canned answers for other TOP methods, by method.
    /// By method, in declaration order: the first whose `when` matches a call answers it.
    public var stubs: [APIName: [Stub]]
    /// The files read, in load order, with what each declared.
    public var files: [ScenarioFileSummary]
    /// Payment orders with an `id`: the checkouts `paystatus.query` and `order.pay` see from the start.
    public var checkouts: [CheckoutKey: CheckoutSeed] = [:]
    /// What `order.pay` makes of a new action, first match wins (load order).
    public var channelProfiles: [ChannelProfile] = []
    /// Actions materialised on first query of an id nobody created, first match wins.
    public var templates: [ActionTemplate] = []
    public var checkoutStatusCodes = CheckoutStatusCodes()
    /// By shop: what the sale's methods (`item.get`, `items.subtotal`, …) answer from.
    public var stores: [Int64: Store] = [:]
    public var sale = SaleSettings()

    public init(
        apps: [String: AppCredentials] = [:], actions: [ActionKey: PaymentAction] = [:], rules: [Rule] = [],
        stubs: [APIName: [Stub]] = [:], files: [ScenarioFileSummary] = []
    ) {
        self.apps = apps
        self.actions = actions
        self.rules = rules
        self.stubs = stubs
        self.files = files
    }

    public static let empty = ScenarioSet()
}

/// What one scenario file contributed (for `/__admin/health` and the logs).
public struct ScenarioFileSummary: Sendable, Equatable {
    public var path: String
    public var name: String
    public var description: String?
    public var actionCount: Int
    public var ruleCount: Int
    public var stubCount: Int

    public init(path: String, name: String, description: String? = nil, actionCount: Int, ruleCount: Int = 0, stubCount: Int = 0) {
        self.path = path
        self.name = name
        self.description = description
        self.actionCount = actionCount
        self.ruleCount = ruleCount
        self.stubCount = stubCount
    }
}
