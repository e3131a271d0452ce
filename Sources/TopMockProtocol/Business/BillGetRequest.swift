/// The business parameters of `alibaba.pos.bill.get` (pos线下交易小票打印, apiId 40433): `shop_id` and
/// `bill_print_request{biz_order_id (required), machine_id, shop_id, merchant_code, source, extra}`.
public struct BillGetRequest: Sendable, Equatable {
    public var shopID: Int64
    /// The order the receipt is for: the id `items.subtotal` answered.
    public var bizOrderID: Int64
    public var machineID: String?

    public init(parameters: TOPParameters) throws(TOPError) {
        shopID = try parameters.wholeNumber("shop_id")
        let request = try BusinessObject<Field>(parameters, "bill_print_request")
        bizOrderID = try request.wholeNumber(.bizOrderID, required: true)!
        machineID = try request.string(.machineID)
    }

    /// The fields topmock reads; the page's others are not looked at.
    enum Field: String, BusinessKey {
        case bizOrderID = "biz_order_id", machineID = "machine_id"

        static let fields = BusinessFields(Self.self)
        var kind: BusinessFieldKind { self == .bizOrderID ? .wholeNumber : .string }
    }
}
