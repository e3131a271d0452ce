/// The business parameters of `alibaba.pos.item.get` (商品扫码获取商品, apiId 40405; docs/protocol.md,
/// "The rest of a POS sale"): `shop_id` and `code_reader_req`, whose `code_value` (the scanned
/// barcode, QR or asset code) topmock requires. The other fields the page lists are neither
/// required nor read: whether the real gateway requires them is not known.
public struct ItemGetRequest: Sendable, Equatable {
    public var shopID: Int64
    public var codeValue: String
    /// e.g. `DISCOUNT`; echoed nowhere, kept for rules and the journal.
    public var codeType: String?
    public var machineID: String?
    public var buyerID: Int64?

    public init(parameters: TOPParameters) throws(TOPError) {
        shopID = try parameters.wholeNumber("shop_id")
        let request = try BusinessObject<Field>(parameters, "code_reader_req")
        codeValue = try request.string(.codeValue, required: true)!
        codeType = try request.string(.codeType)
        machineID = try request.string(.machineID)
        buyerID = try request.wholeNumber(.buyerID)
    }

    /// The fields topmock reads; the page's others are not looked at.
    enum Field: String, BusinessKey {
        case codeValue = "code_value", codeType = "code_type", machineID = "machine_id", buyerID = "buyer_id"

        static let fields = BusinessFields(Self.self)

        var kind: BusinessFieldKind { self == .buyerID ? .wholeNumber : .string }
    }
}
