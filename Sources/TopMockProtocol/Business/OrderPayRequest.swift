/// The business parameters of `alibaba.pos.order.pay` (docs/protocol.md, "alibaba.pos.order.pay and alibaba.pos.paystatus.query"): `shop_id` and
/// `pay_request`, a JSON object whose `request_id` (the idempotency key, 幂等请求号) and
/// `checkout_id` (the payment order, 支付单号) are required.
///
/// Errors, in this order: `shop_id` missing → 40, not a whole number → 41; `pay_request` missing →
/// 40, not a JSON object → 41; then each field: `request_id`, `checkout_id` missing → 40;
/// `pay_fee`, `buyer_id`, `payer_id` not whole numbers → 41; `pay_fee` 0 or over ``Fen/maximum`` →
/// 41 with `isv.invalid-parameter`; a string field given an object, a list or "" → 41. Every error
/// names the field's path (`pay_request.checkout_id`).
public struct OrderPayRequest: Sendable, Equatable {
    public var shopID: Int64
    public var requestID: String
    public var checkoutID: String
    /// The amount of this payment action: at least 1 fen (Alipay refuses a payment of nothing).
    public var payFee: Fen?
    public var buyerID: Int64?
    /// e.g. `cash`, `alipay_facepay_v2`.
    public var payChannel: String?
    /// e.g. `1006` (Alipay face-to-face); a number or a string on the wire, kept as text.
    public var paymentChannel: String?
    /// The scanned pay code or card number: a secret, masked in the journal and logs.
    public var channelAccount: String?
    public var orderID: String?
    /// Everything the call asked for: two calls with the same `request_id` are the same payment
    /// exactly when their payloads are equal.
    public var payload: Payload

    public init(parameters: TOPParameters) throws(TOPError) {
        shopID = try parameters.wholeNumber("shop_id")
        let request = try BusinessObject<Field>(parameters, "pay_request")
        requestID = try request.string(.requestID, required: true)!
        checkoutID = try request.string(.checkoutID, required: true)!
        payFee = try request.amount(.payFee, minimum: 1)
        buyerID = try request.wholeNumber(.buyerID)
        _ = try request.wholeNumber(.payerID)
        payChannel = try request.string(.payChannel)
        paymentChannel = try request.string(.paymentChannel)
        channelAccount = try request.string(.channelAccount)
        orderID = try request.string(.orderID)
        for key in Field.otherStrings { _ = try request.string(key) }
        payload = Payload(shopID: shopID, payRequest: parameters["pay_request"] ?? "")
    }

    /// The fields of `pay_request` that are read or checked. Any other field (`attributes`, whose
    /// form is not documented) is kept, unchecked, in ``payload`` only.
    enum Field: String, BusinessKey {
        case requestID = "request_id", checkoutID = "checkout_id", payFee = "pay_fee", buyerID = "buyer_id", payerID = "payer_id"
        case payChannel = "pay_channel", paymentChannel = "payment_channel", channelAccount = "channel_account", orderID = "order_id"
        case operatorID = "operator_id", machineID = "machine_id", source, merchantCode = "merchant_code"
        case alipayAccount = "alipay_account", payCodeSource = "pay_code_source"

        /// The string fields besides the ones read: checked for type, kept only in ``payload``.
        static let otherStrings: [Field] = [.operatorID, .machineID, .source, .merchantCode, .alipayAccount, .payCodeSource]
        static let fields = BusinessFields(Self.self)

        var kind: BusinessFieldKind {
            switch self {
            // `payment_channel` is read as text but usually sent as a number (`1006`).
            case .payFee, .buyerID, .payerID, .paymentChannel: .wholeNumber
            default: .string
            }
        }
    }

    /// `shop_id` and `pay_request` as the call sent them. Equal when they mean the same JSON,
    /// whatever the key order or spacing: the same text settles it at once (a client's retry
    /// sends the very bytes it sent before); other texts are compared by their ``canonical`` form.
    public struct Payload: Sendable, Equatable {
        public let shopID: Int64
        /// `pay_request`'s text, a JSON object (``OrderPayRequest`` checked it).
        public let payRequest: String

        /// Compact JSON with sorted keys: `pay_request`'s fields and `shop_id`. One text per
        /// meaning, made only when two payloads' texts differ or one is shown.
        public var canonical: String {
            var fields = JSONValue.object(parsing: payRequest) ?? [:]
            fields["shop_id"] = .integer(shopID)
            return JSONValue.object(fields).jsonText
        }

        /// ``canonical`` with its secret fields (the pay code, the account) masked, for messages.
        public func shown(through redaction: Redaction) -> String { redaction.maskedFields(canonical) }

        public static func == (lhs: Payload, rhs: Payload) -> Bool {
            lhs.shopID == rhs.shopID && (lhs.payRequest == rhs.payRequest || lhs.canonical == rhs.canonical)
        }
    }
}
