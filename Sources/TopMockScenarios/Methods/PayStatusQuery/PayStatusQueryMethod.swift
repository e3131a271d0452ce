public import TopMockProtocol

/// `alibaba.pos.paystatus.query` (支付结果轮训): a checkout as a whole, `checkout_status` derived
/// from its actions against its total. Each call counts as a query of every action of the
/// checkout, so a timeline's `after_queries` advances whichever of the two methods the app polls.
enum PayStatusQueryMethod: TOPMethod {
    static let api = APIName(rawValue: "alibaba.pos.paystatus.query")
    static let requestParameter: String? = nil
    static let outcomes: [CallOutcome] = [.found, .notFound, .buyerMismatch]

    public static let notFoundCode = "CHECKOUT_NOT_FOUND"

    static func parse(_ parameters: TOPParameters) throws(TOPError) -> PayStatusQuery {
        try PayStatusQuery(parameters: parameters)
    }

    static func answer(
        _ query: PayStatusQuery, context: MethodContext, namespace: inout NamespaceState, state _: inout NoMethodState
    ) -> MethodAnswer {
        let key = CheckoutKey(shopID: query.shopID, checkoutID: query.checkoutID)
        guard let checkout = namespace.checkout(key, in: context.set) else {
            return MethodAnswer.failure(
                .notFound, code: notFoundCode, info: "no checkout with checkout_id '\(query.checkoutID)' in shop \(query.shopID)")
        }
        if let owner = checkout.owner, owner != query.buyerID {
            return MethodAnswer.failure(
                .buyerMismatch, code: MethodAnswer.buyerMismatchCode,
                info: "checkout '\(query.checkoutID)' belongs to another buyer than \(query.buyerID)", source: checkout.source)
        }
        let results = checkout.actions.map { (action: $0, result: namespace.query($0, now: context.now)) }
        let status = CheckoutView.status(totalFen: checkout.totalFen, results: results)
        let model = Model(status: context.set.checkoutStatusCodes.code(status), checkoutID: query.checkoutID)
        return MethodAnswer.success(model, outcome: .found, status: nil, source: checkout.source ?? checkout.actions.first?.source)
    }

    /// The nearest checkout by id, or whose the checkout is.
    static func nearMiss(_ query: PayStatusQuery, in scope: NearMissScope) -> String? {
        let checkout = scope.namespace.checkout(CheckoutKey(shopID: query.shopID, checkoutID: query.checkoutID), in: scope.set)
        let limit = NearMissScope.comparedLimit
        return scope.explanation(
            of: "checkout", keyName: "checkout_id", id: query.checkoutID, shopID: query.shopID, buyerID: query.buyerID,
            ownedBy: checkout?.owner.map { String($0) },
            among: [
                scope.set.checkouts.keys.prefix(limit).map { ($0.shopID, $0.checkoutID) },
                scope.namespace.checkouts.keys.prefix(limit).map { ($0.shopID, $0.checkoutID) },
            ])
    }

    /// A poll answered with a `checkout_status` code: a query of each of the checkout's actions.
    static func recorded(_ answer: RecordedAnswer) -> RecordedObservation {
        guard case .object(let model)? = answer.result["model"],
            let code = model["checkout_status"].flatMap({ $0.scalarText }).flatMap({ Int64($0) }),
            let shop = answer.number("shop_id"), let id = answer.fields["pay_status_request.checkout_id"]
        else { return .derived }
        return .checkoutPolled(shopID: shop, checkoutID: id, statusCode: code)
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

extension APIName {
    public static let posPayStatusQuery = PayStatusQueryMethod.api
}
