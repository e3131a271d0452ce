import Synchronization
public import TopMockProtocol

/// Answers queries from the loaded ``ScenarioSet``: one hash lookup on shop + request id.
///
/// This is the first cut: an action answers with the status it was declared with. Timelines,
/// injected errors, faults and rules come with the full engine.
///
/// ```swift
/// let engine = ScenarioEngine(set: result.set)
/// let answer = engine.resolve(PaymentActionQuery(shopID: 124, requestID: "cash-1", buyerID: 123))
/// ```
public final class ScenarioEngine: Sendable {
    private let current: Mutex<ScenarioSet>

    public init(set: ScenarioSet) {
        current = Mutex(set)
    }

    /// The set being served.
    public var set: ScenarioSet { current.withLock { $0 } }

    /// Swaps in a new set whole (for reloads).
    public func replace(with set: ScenarioSet) {
        current.withLock { $0 = set }
    }

    public func resolve(_ query: PaymentActionQuery) -> QueryAnswer {
        let key = ActionKey(shopID: query.shopID, requestID: query.requestID)
        guard let action = current.withLock({ $0.actions[key] }) else {
            return .notFound(key)
        }
        guard action.buyerID == query.buyerID else {
            return .buyerMismatch(action, queried: query.buyerID)
        }
        return .action(action)
    }
}

/// What a query of a payment action comes to, in business terms.
public enum QueryAnswer: Sendable, Equatable {
    case action(PaymentAction)
    /// No action has this shop and request id.
    case notFound(ActionKey)
    /// The action exists but belongs to another buyer.
    case buyerMismatch(PaymentAction, queried: Int64)

    /// topmock's own business codes for the two failures (the real API's are undocumented).
    public static let notFoundCode = "PAY_ACTION_NOT_FOUND"
    public static let buyerMismatchCode = "BUYER_ID_MISMATCH"

    /// The `result` object of the API's response (top-protocol.md §7.1): `model` (when the
    /// result succeeded), then `msg_code`, `msg_info`, `success`.
    public var responseFields: ResponseObject {
        var result = ResponseObject()
        switch self {
        case .action(let action):
            if action.resultSuccess {
                var model = ResponseObject()
                model.append("result_code", action.resultCode.map(ResponseValue.string))
                model.append("result_message", action.resultMessage.map(ResponseValue.string))
                model.append("channel_name", .string(action.channel))
                model.append("action_status", .string(action.status.rawValue))
                model.append("success", .bool(action.modelSuccess))
                result.append("model", .object(model))
            }
            result.append("msg_code", action.msgCode.map(ResponseValue.string))
            result.append("msg_info", action.msgInfo.map(ResponseValue.string))
            result.append("success", .bool(action.resultSuccess))
        case .notFound(let key):
            result.append("msg_code", .string(Self.notFoundCode))
            result.append("msg_info", .string("no payment action with request_id '\(key.requestID)' in shop \(key.shopID)"))
            result.append("success", .bool(false))
        case .buyerMismatch(let action, let queried):
            result.append("msg_code", .string(Self.buyerMismatchCode))
            result.append("msg_info", .string("payment action '\(action.key.requestID)' belongs to another buyer than \(queried)"))
            result.append("success", .bool(false))
        }
        var fields = ResponseObject()
        fields.append("result", .object(result))
        return fields
    }

    /// A one-word outcome for logs: `found`, `not_found`, `buyer_mismatch`.
    public var outcomeName: String {
        switch self {
        case .action: return "found"
        case .notFound: return "not_found"
        case .buyerMismatch: return "buyer_mismatch"
        }
    }
}
