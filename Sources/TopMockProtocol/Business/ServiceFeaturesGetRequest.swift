/// The business parameters of `alibaba.pos.service.features.get` (APOS服务特性配置获取, apiId 67793):
/// only `get_config_request{merchant_code, shop_id (both required), extra}`. Its `shop_id` is a
/// string on the page; topmock needs it to be a shop's number (41 otherwise).
public struct ServiceFeaturesGetRequest: Sendable, Equatable {
    public var shopID: Int64
    public var merchantCode: String

    public init(parameters: TOPParameters) throws(TOPError) {
        let request = try BusinessObject<Field>(parameters, "get_config_request")
        merchantCode = try request.string(.merchantCode, required: true)!
        shopID = try request.wholeNumber(.shopID, required: true)!
    }

    enum Field: String, BusinessKey {
        case merchantCode = "merchant_code", shopID = "shop_id"

        static let fields = BusinessFields(Self.self)
        var kind: BusinessFieldKind { self == .shopID ? .wholeNumber : .string }
    }
}
