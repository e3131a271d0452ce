/// The business parameters of `alibaba.pos.pay.account.ack` (POS支付信息确认, apiId 41770): `store_id`
/// and `pay_account_detail_request{payer_id, channel_account, channel_name (all required),
/// payee_id, attributes}`. `channel_account` (a card number, a wallet's user id) is a secret.
public struct PayAccountAckRequest: Sendable, Equatable {
    public var storeID: Int64
    public var payerID: Int64
    public var payeeID: Int64?
    public var channelAccount: String
    public var channelName: String

    public init(parameters: TOPParameters) throws(TOPError) {
        storeID = try parameters.wholeNumber("store_id")
        let request = try BusinessObject<Field>(parameters, "pay_account_detail_request")
        payerID = try request.wholeNumber(.payerID, required: true)!
        payeeID = try request.wholeNumber(.payeeID)
        channelAccount = try request.string(.channelAccount, required: true)!
        channelName = try request.string(.channelName, required: true)!
    }

    /// The fields topmock reads; `attributes` is not looked at.
    enum Field: String, BusinessKey {
        case payerID = "payer_id", payeeID = "payee_id", channelAccount = "channel_account", channelName = "channel_name"

        static let fields = BusinessFields(Self.self)
        var kind: BusinessFieldKind { self == .payerID || self == .payeeID ? .wholeNumber : .string }
    }
}
