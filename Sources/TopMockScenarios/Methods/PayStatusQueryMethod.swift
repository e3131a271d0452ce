public import TopMockProtocol

/// `alibaba.pos.paystatus.query` (支付结果轮训): a checkout as a whole, `checkout_status` derived
/// from its actions against its total. Each call counts as a query of every action of the
/// checkout, so a timeline's `after_queries` advances whichever of the two methods the app polls.
enum PayStatusQueryMethod: TOPMethod {
    static let api = APIName.posPayStatusQuery
    static let requestParameter: String? = nil

    public static let notFoundCode = "CHECKOUT_NOT_FOUND"

    static func parse(_ parameters: TOPParameters) throws(TOPError) -> PayStatusQuery {
        try PayStatusQuery(parameters: parameters)
    }

    static func answer(_ query: PayStatusQuery, context: MethodContext, space: inout NamespaceState) -> MethodAnswer {
        let key = CheckoutKey(shopID: query.shopID, checkoutID: query.checkoutID)
        guard let checkout = space.checkout(key, in: context.set) else {
            return MethodAnswer.failure(
                .notFound, code: notFoundCode, info: "no checkout with checkout_id '\(query.checkoutID)' in shop \(query.shopID)")
        }
        if let owner = checkout.owner, owner != query.buyerID {
            return MethodAnswer.failure(
                .buyerMismatch, code: PayActionQueryMethod.buyerMismatchCode,
                info: "checkout '\(query.checkoutID)' belongs to another buyer than \(query.buyerID)", source: checkout.source)
        }
        let results = checkout.actions.map { (action: $0, result: space.query($0, now: context.now)) }
        let status = CheckoutView.status(totalFen: checkout.totalFen, results: results)
        let model = Model(status: context.set.checkoutStatusCodes.code(status), checkoutID: query.checkoutID)
        return MethodAnswer.success(model, outcome: .found, status: nil, source: checkout.source ?? checkout.actions.first?.source)
    }

    /// The answer's `model`: `checkout_status` (a code, configurable) and `checkout_id`.
    struct Model: ResponseFields {
        let status: Int64
        let checkoutID: String

        func write(to writer: inout ResponseWriter) {
            writer.field("checkout_status", status)
            writer.field("checkout_id", checkoutID)
        }
    }
}

extension PayStatusQuery: MethodCall {
    public var matchRequestID: String? { nil }
    public var matchBuyerID: Int64? { buyerID }
}
