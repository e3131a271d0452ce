public import TopMockProtocol

/// The status of a payment action (`action_status`): an open set, since real values are not
/// documented (docs/protocol.md, "Answers of alibaba.pos.pay.action.query"). Scenarios may use any string.
public struct PaymentStatus: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let paying = PaymentStatus(rawValue: "PAYING")
    public static let success = PaymentStatus(rawValue: "SUCCESS")
    public static let failed = PaymentStatus(rawValue: "FAILED")
    public static let closed = PaymentStatus(rawValue: "CLOSED")

    public var description: String { rawValue }
}

/// Where a payment action is found: shop and request id (what the query names).
public struct ActionKey: Hashable, Sendable, CustomStringConvertible {
    public var shopID: Int64
    public var requestID: String

    public init(shopID: Int64, requestID: String) {
        self.shopID = shopID
        self.requestID = requestID
    }

    public var description: String { "shop \(shopID), request_id '\(requestID)'" }
}

/// What a query of a payment action answers at one point of its life: the `model` fields and the
/// `result` level.
public struct ActionResult: Sendable, Equatable {
    /// `action_status`.
    public var status: PaymentStatus
    public var resultCode: String?
    public var resultMessage: String?
    /// `model.success`: whether the query itself succeeded.
    public var modelSuccess: Bool
    /// The `result` level: `success`, `msg_code`, `msg_info`. When `resultSuccess` is false the
    /// answer is a business failure and carries no `model`.
    public var resultSuccess: Bool
    public var msgCode: String?
    public var msgInfo: String?

    public init(
        status: PaymentStatus, resultCode: String? = nil, resultMessage: String? = nil, modelSuccess: Bool = true,
        resultSuccess: Bool = true, msgCode: String? = nil, msgInfo: String? = nil
    ) {
        self.status = status
        self.resultCode = resultCode
        self.resultMessage = resultMessage
        self.modelSuccess = modelSuccess
        self.resultSuccess = resultSuccess
        self.msgCode = msgCode
        self.msgInfo = msgInfo
    }
}

/// When a timeline step becomes the current one.
public enum StepTrigger: Sendable, Equatable {
    /// After this many queries answered by the previous step.
    case afterQueries(Int)
    /// This long after the action's first query.
    case after(Duration)
    /// Only when the admin API advances the action.
    case manual
}

/// One step of a status timeline: its trigger and the result it answers with from then on.
public struct TimelineStep: Sendable, Equatable {
    public var trigger: StepTrigger
    public var result: ActionResult
    public var source: SourceLocation

    public init(trigger: StepTrigger, result: ActionResult, source: SourceLocation = SourceLocation(path: "", line: 0, column: 0)) {
        self.trigger = trigger
        self.result = result
        self.source = source
    }
}

/// One way a payment order is paid (cash ¥10, Alipay ¥10 …): what the API queries. It answers
/// with `initial` until the steps of its `timeline` take over, one after the other.
///
/// A definition never changes once made, so its fields live in one immutable object: a copy (the
/// store hands one out on every query) shares it — one reference to count, not ten.
public struct PaymentAction: Sendable, Equatable {
    private final class Definition: Sendable {
        let key: ActionKey
        let buyerID: Int64?
        let paymentOrderID: String?
        let channel: String
        let amountFen: Fen?
        let changeFen: Fen?
        let initial: ActionResult
        let timeline: [TimelineStep]
        let source: SourceLocation

        init(
            key: ActionKey, buyerID: Int64?, paymentOrderID: String?, channel: String, amountFen: Fen?, changeFen: Fen?, initial: ActionResult,
            timeline: [TimelineStep], source: SourceLocation
        ) {
            self.changeFen = changeFen
            self.key = key
            self.buyerID = buyerID
            self.paymentOrderID = paymentOrderID
            self.channel = channel
            self.amountFen = amountFen
            self.initial = initial
            self.timeline = timeline
            self.source = source
        }
    }

    private let definition: Definition

    public var key: ActionKey { definition.key }
    /// The buyer the action belongs to; nil (an `order.pay` without `buyer_id`) answers any buyer.
    public var buyerID: Int64? { definition.buyerID }
    public var paymentOrderID: String? { definition.paymentOrderID }
    /// Emitted as `channel_name`, exactly as configured (cash, alipay, wechat, …).
    public var channel: String { definition.channel }
    public var amountFen: Fen? { definition.amountFen }
    /// Cash handed back: what the cashier received over ``amountFen`` (a change-giving profile's
    /// payment over what its checkout had left).
    public var changeFen: Fen? { definition.changeFen }
    public var initial: ActionResult { definition.initial }
    public var timeline: [TimelineStep] { definition.timeline }
    /// Where the action was declared, for diagnostics.
    public var source: SourceLocation { definition.source }

    public init(
        key: ActionKey, buyerID: Int64?, paymentOrderID: String? = nil, channel: String, amountFen: Fen? = nil, changeFen: Fen? = nil,
        initial: ActionResult, timeline: [TimelineStep] = [],
        source: SourceLocation = SourceLocation(path: "", line: 0, column: 0)
    ) {
        definition = Definition(
            key: key, buyerID: buyerID, paymentOrderID: paymentOrderID, channel: channel, amountFen: amountFen, changeFen: changeFen,
            initial: initial, timeline: timeline, source: source)
    }

    public static func == (lhs: PaymentAction, rhs: PaymentAction) -> Bool {
        lhs.definition === rhs.definition
            || (lhs.key == rhs.key && lhs.buyerID == rhs.buyerID && lhs.paymentOrderID == rhs.paymentOrderID && lhs.channel == rhs.channel
                && lhs.amountFen == rhs.amountFen && lhs.changeFen == rhs.changeFen && lhs.initial == rhs.initial && lhs.timeline == rhs.timeline
                && lhs.source == rhs.source)
    }

    /// The result of step `index` (0 = the initial result).
    public func result(atStep index: Int) -> ActionResult {
        index == 0 ? initial : timeline[min(index, timeline.count) - 1].result
    }

    /// The same definition, ignoring where it was written (for keeping state across reloads).
    public func sameDefinition(as other: PaymentAction) -> Bool {
        key == other.key && buyerID == other.buyerID && paymentOrderID == other.paymentOrderID && channel == other.channel
            && amountFen == other.amountFen && initial == other.initial
            && timeline.map { ($0.trigger, $0.result) }.elementsEqual(other.timeline.map { ($0.trigger, $0.result) }) { $0 == $1 }
    }
}
