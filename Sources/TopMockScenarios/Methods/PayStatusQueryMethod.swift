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
        var model = ResponseObject(capacity: 2)
        model.append("checkout_status", .integer(context.set.checkoutStatusCodes.code(status)))
        model.append("checkout_id", .string(query.checkoutID))
        return MethodAnswer.success(model, outcome: .found, status: nil, source: checkout.source ?? checkout.actions.first?.source)
    }
}

extension PayStatusQuery: MethodCall {
    public var matchRequestID: String? { nil }
    public var matchBuyerID: Int64? { buyerID }
}
