/// The business parameters of `alibaba.pos.pay.action.query`:
/// `shop_id` (Number) and `payment_action_request` (a JSON object with `request_id` String and
/// `buyer_id` Number).
///
/// Errors, in this order: `shop_id` missing → 40, not a whole number → 41;
/// `payment_action_request` missing → 40, not a JSON object → 41; its `request_id` or `buyer_id`
/// missing (or null) → 40 naming `payment_action_request.request_id`/`.buyer_id`, of the wrong
/// type → 41 naming the field. Like the Java gateway's converters, a number is accepted for
/// `request_id` and a numeric string for `buyer_id`.
public struct PaymentActionQuery: Sendable, Equatable {
    public var shopID: Int64
    public var requestID: String
    public var buyerID: Int64

    public init(shopID: Int64, requestID: String, buyerID: Int64) {
        self.shopID = shopID
        self.requestID = requestID
        self.buyerID = buyerID
    }

    public init(parameters: TOPParameters) throws(TOPError) {
        let shopID = try parameters.wholeNumber("shop_id")
        let request = try BusinessObject<Field>(parameters, "payment_action_request")
        let requestID = try request.string(.requestID, required: true)!
        let buyerID = try request.wholeNumber(.buyerID, required: true)!
        self.init(shopID: shopID, requestID: requestID, buyerID: buyerID)
    }

    enum Field: String, BusinessKey {
        case requestID = "request_id", buyerID = "buyer_id"

        var kind: BusinessFieldKind { self == .buyerID ? .wholeNumber : .string }
        static let fields = BusinessFields(Self.self)
    }
}
