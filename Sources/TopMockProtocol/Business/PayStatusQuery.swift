/// The business parameters of `alibaba.pos.paystatus.query` (docs/protocol.md, "alibaba.pos.order.pay and alibaba.pos.paystatus.query"): `shop_id` and
/// `pay_status_request{checkout_id String, buyer_id Number}`, both fields required (40/41 naming
/// `pay_status_request.checkout_id` / `.buyer_id`).
public struct PayStatusQuery: Sendable, Equatable {
    public var shopID: Int64
    public var checkoutID: String
    public var buyerID: Int64

    public init(shopID: Int64, checkoutID: String, buyerID: Int64) {
        self.shopID = shopID
        self.checkoutID = checkoutID
        self.buyerID = buyerID
    }

    public init(parameters: TOPParameters) throws(TOPError) {
        let shopID = try parameters.wholeNumber("shop_id")
        let request = try BusinessObject<Field>(parameters, "pay_status_request")
        let checkoutID = try request.string(.checkoutID, required: true)!
        let buyerID = try request.wholeNumber(.buyerID, required: true)!
        self.init(shopID: shopID, checkoutID: checkoutID, buyerID: buyerID)
    }

    enum Field: String, BusinessKey {
        case checkoutID = "checkout_id", buyerID = "buyer_id"

        var kind: BusinessFieldKind { self == .buyerID ? .wholeNumber : .string }
        static let fields = BusinessFields(Self.self)
    }
}
