public import TopMockProtocol

/// A served method's answer as `topmock record` saw it: the call's business fields by dotted path
/// (`pay_request.request_id`, JSON parameters looked into; masked values as `***`) and the
/// answer's `result` object. What ``TOPMethod/recorded(_:)`` reads.
public struct RecordedAnswer: Sendable {
    public let fields: [String: String]
    public let result: [String: JSONValue]

    public init(fields: [String: String], result: [String: JSONValue]) {
        self.fields = fields
        self.result = result
    }

    /// A field read as a whole number.
    public func number(_ path: String) -> Int64? { fields[path].flatMap { Int64($0) } }

    /// `result.model` of an answer that succeeded.
    public var successfulModel: [String: JSONValue]? {
        guard result["success"] == .bool(true), case .object(let model)? = result["model"] else { return nil }
        return model
    }

    /// What a payment action's state is made of (`action_status`, `result_code`,
    /// `result_message`, `channel_name` of `result.model`), when the answer succeeded and shows an
    /// action; nil otherwise (a business failure topmock answers itself).
    public var actionState: [String: JSONValue]? {
        guard result["success"] == .bool(true), case .object(let model)? = result["model"], model["action_status"] != nil else { return nil }
        return model.filter { Self.actionStateFields.contains($0.key) }
    }

    static let actionStateFields: Set<String> = ["action_status", "result_code", "result_message", "channel_name"]
}

/// What a recorded answer shows of the scenario model a replay rebuilds; the recording writer
/// turns these into payment actions, timelines, checkouts and `checkout_status` codes without
/// knowing which method showed them.
public enum RecordedObservation: Sendable {
    /// A query of the action showed this state (a later different one is a timeline step).
    case actionQueried(RecordedAction, state: [String: JSONValue])
    /// A payment created the action in this state (only an action's first sighting counts).
    case actionCreated(RecordedAction, state: [String: JSONValue])
    /// A poll of a checkout, answered with this status code: a query of each of its actions.
    case checkoutPolled(shopID: Int64, checkoutID: String, statusCode: Int64)
    /// A scan found an item (with its promotion's unit price, when lower): a store's item.
    case storeItem(shopID: Int64, StoreItem, promotionPriceFen: Fen?)
    /// The shop's features, in order.
    case storeFeatures(shopID: Int64, [StoreFeature])
    /// Nothing to record: an answer topmock derives by itself (a business failure, say, or a
    /// subtotal, which the replay prices from the store).
    case derived
}

/// A payment action as a recorded call names it.
public struct RecordedAction: Sendable {
    public var shopID: Int64
    public var requestID: String
    public var buyerID: Int64?
    public var checkoutID: String?
    public var amountFen: Fen?

    public init(shopID: Int64, requestID: String, buyerID: Int64?, checkoutID: String? = nil, amountFen: Fen? = nil) {
        self.shopID = shopID
        self.requestID = requestID
        self.buyerID = buyerID
        self.checkoutID = checkoutID
        self.amountFen = amountFen
    }
}
