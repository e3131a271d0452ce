public import TopMockProtocol

/// `alibaba.pos.items.subtotal` (pos线下交易小计): prices a basket against the shop's store and makes
/// it the order the sale pays. The order's id (answered under each of `sale.order_id_fields`) is a
/// checkout's `checkout_id`: `order.pay` is held to the subtotal's `actual_fee` and
/// `paystatus.query` polls it; `bill.get` prints it by the same id as `biz_order_id`.
///
/// A machine (`machine_id`) has one open basket: a subtotal while nothing is paid on the machine's
/// last order re-prices that order under the same id; once a payment was made on it, the next
/// subtotal starts a new order.
enum ItemsSubtotalMethod: TOPMethod {
    static let api = APIName(rawValue: "alibaba.pos.items.subtotal")
    static let requestParameter: String? = nil
    static let outcomes: [CallOutcome] = [.priced, .notFound, .businessFailure]

    public static let salesLimitCode = "SALES_LIMIT"

    static func parse(_ parameters: TOPParameters) throws(TOPError) -> ItemsSubtotalRequest {
        try ItemsSubtotalRequest(parameters: parameters)
    }

    static func answer(
        _ request: ItemsSubtotalRequest, context: MethodContext, namespace: inout NamespaceState, state _: inout NoMethodState
    ) -> MethodAnswer {
        guard let store = namespace.store.store(request.shopID, in: context.set) else { return .storeNotFound(request.shopID) }
        let pricing: BasketPricing
        switch BasketPricing.price(request, in: store) {
        case .success(let priced): pricing = priced
        case .failure(let failure): return MethodAnswer.failure(.businessFailure, code: failure.code, info: failure.info, source: store.source)
        }
        let machine = MachineKey(shopID: request.shopID, machineID: request.machineID ?? "")
        let orderID: Int64
        if let open = namespace.store.openSales[machine], let sale = namespace.store.sales[open],
            namespace.checkout(sale.checkoutKey, in: context.set)?.actions.isEmpty ?? true
        {
            orderID = open
        } else {
            guard namespace.store.sales.count < context.limits.maxCreatedActions else {
                return MethodAnswer.failure(
                    .businessFailure, code: salesLimitCode,
                    info: "this namespace has priced \(context.limits.maxCreatedActions) orders, the most --max-created-actions "
                        + "(TOPMOCK_MAX_CREATED_ACTIONS) allows; POST /__admin/reset {\"namespace\": …} starts it afresh")
            }
            orderID = newOrderID(request.shopID, context: context, namespace: &namespace)
        }
        let sale = Sale(
            orderID: orderID, shopID: request.shopID, buyerID: request.buyerID, machineID: request.machineID, pricing: pricing,
            createdAt: context.now)
        namespace.store.sales[orderID] = sale
        namespace.store.openSales[machine] = orderID
        // The checkout the sale is paid through: its total is the subtotal's, its buyer the subtotal's.
        namespace.checkouts[sale.checkoutKey, default: CheckoutRecord()].totalFen = pricing.actualFen
        namespace.checkouts[sale.checkoutKey, default: CheckoutRecord()].buyerID = request.buyerID
        let model = Model(sale: sale, idFields: context.set.sale.orderIDFields)
        return MethodAnswer.success(model, outcome: .priced, status: nil, source: store.source)
    }

    /// The next id no checkout of the shop has: ids count up from `sale.first_order_id`, per
    /// namespace (bounded by the cap on sales, so they cannot run out).
    private static func newOrderID(_ shopID: Int64, context: MethodContext, namespace: inout NamespaceState) -> Int64 {
        var id = namespace.store.nextOrderID ?? context.set.sale.firstOrderID
        while namespace.store.sales[id] != nil || namespace.checkout(CheckoutKey(shopID: shopID, checkoutID: String(id)), in: context.set) != nil {
            id += 1
        }
        namespace.store.nextOrderID = id + 1
        return id
    }

    static func nearMiss(_ request: ItemsSubtotalRequest, in scope: NearMissScope) -> String? {
        scope.store(request.shopID) == nil ? scope.noStore(request.shopID) : nil
    }

    static func recorded(_ answer: RecordedAnswer) -> RecordedObservation { .derived }

    /// `model`: the amounts, then the order's id under each configured name (a number, and a
    /// string for `checkout_id`, which `order.pay` and `paystatus.query` take as a string).
    struct Model: ResponseFields {
        let sale: Sale
        let idFields: [String]

        func write(to writer: inout ResponseWriter) {
            writer.field("actual_fee", sale.pricing.actualFen.value)
            writer.field("coupon_fee", sale.pricing.couponFen)
            writer.field("promotion_fee", sale.pricing.promotionFen)
            writer.field("total_fee", sale.pricing.totalFen)
            for name in idFields {
                writer.field(name, name == "checkout_id" ? .string(String(sale.orderID)) : .integer(sale.orderID))
            }
        }
    }
}

extension CallOutcome {
    /// `items.subtotal` priced a basket (a new order, or the machine's open one re-priced).
    public static let priced = CallOutcome(rawValue: "priced")
}

extension ItemsSubtotalRequest: MethodCall {
    public var matchRequestID: String? { nil }
    public var matchBuyerID: Int64? { buyerID }
}
