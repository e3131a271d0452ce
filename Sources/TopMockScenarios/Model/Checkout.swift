public import TopMockProtocol

/// Where a checkout (支付单, a payment order) is found: shop and `checkout_id`. Its payment actions
/// are the `order.pay` calls that named it, or the actions a scenario lists under it.
public struct CheckoutKey: Hashable, Sendable, CustomStringConvertible {
    public var shopID: Int64
    public var checkoutID: String

    public init(shopID: Int64, checkoutID: String) {
        self.shopID = shopID
        self.checkoutID = checkoutID
    }

    public var description: String { "shop \(shopID), checkout_id '\(checkoutID)'" }
}

/// A checkout as a scenario declares it: a payment order with an `id` (its `total_fen` and actions).
public struct CheckoutSeed: Sendable, Equatable {
    public var key: CheckoutKey
    /// What the checkout costs; nil = open (paid when all its actions have succeeded).
    public var totalFen: Fen?
    public var actions: [ActionKey]
    public var source: SourceLocation

    public init(key: CheckoutKey, totalFen: Fen?, actions: [ActionKey], source: SourceLocation) {
        self.key = key
        self.totalFen = totalFen
        self.actions = actions
        self.source = source
    }
}

/// Where a checkout stands, derived from its actions' current statuses against its total.
public enum CheckoutStatus: String, Sendable, Equatable {
    case waiting, paid, failed
}

/// The numbers `paystatus.query` answers as `checkout_status`. The real ones are not published
/// (the doc's only example is `1`): 0 waiting, 1 paid, 2 failed by default, set in YAML with
/// `checkout_status: {waiting: 0, paid: 1, failed: 2}`; docs/protocol.md marks them unconfirmed.
public struct CheckoutStatusCodes: Sendable, Equatable {
    public var waiting: Int64 = 0
    public var paid: Int64 = 1
    public var failed: Int64 = 2

    public init(waiting: Int64 = 0, paid: Int64 = 1, failed: Int64 = 2) {
        self.waiting = waiting
        self.paid = paid
        self.failed = failed
    }

    public func code(_ status: CheckoutStatus) -> Int64 {
        switch status {
        case .waiting: return waiting
        case .paid: return paid
        case .failed: return failed
        }
    }
}

/// How a payment action's status counts for its checkout: `SUCCESS` pays, `FAILED`, `CLOSED` and
/// `CANCELLED` end it unpaid, anything else is still under way.
extension PaymentStatus {
    public static let cancelled = PaymentStatus(rawValue: "CANCELLED")

    public var pays: Bool { self == .success }
    public var endsUnpaid: Bool { self == .failed || self == .closed || self == .cancelled }
}

/// What a new payment action becomes, as its first result and timeline: a shape shared by channel
/// profiles (`order.pay`) and action templates (`pay.action.query` of ids nobody created).
public struct ActionShape: Sendable, Equatable {
    /// Emitted as `channel_name`.
    public var channel: String
    public var initial: ActionResult
    public var timeline: [TimelineStep]

    public init(channel: String, initial: ActionResult, timeline: [TimelineStep] = []) {
        self.channel = channel
        self.initial = initial
        self.timeline = timeline
    }

    public func action(
        key: ActionKey, buyerID: Int64?, paymentOrderID: String?, amountFen: Fen?, changeFen: Fen? = nil, source: SourceLocation
    ) -> PaymentAction {
        PaymentAction(
            key: key, buyerID: buyerID, paymentOrderID: paymentOrderID, channel: channel, amountFen: amountFen, changeFen: changeFen,
            initial: initial, timeline: timeline, source: source)
    }
}

/// Materialises a payment action, per namespace, the first time `pay.action.query` asks for an id
/// that nobody created but that matches its `request_id` (and `shop_id`, when given).
public struct ActionTemplate: Sendable {
    public var name: String
    public var requestID: Matcher
    public var shopID: Int64?
    public var amountFen: Fen?
    public var shape: ActionShape
    public var source: SourceLocation

    public init(name: String, requestID: Matcher, shopID: Int64?, amountFen: Fen?, shape: ActionShape, source: SourceLocation) {
        self.name = name
        self.requestID = requestID
        self.shopID = shopID
        self.amountFen = amountFen
        self.shape = shape
        self.source = source
    }

    public func matches(_ key: ActionKey) -> Bool {
        (shopID.map { $0 == key.shopID } ?? true) && requestID.matches(key.requestID)
    }
}
