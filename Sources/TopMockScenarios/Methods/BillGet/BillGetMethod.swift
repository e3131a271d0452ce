public import TopMockProtocol

/// `alibaba.pos.bill.get` (pos线下交易小票打印): the receipt of a paid order. It reads the sale
/// `items.subtotal` priced (its lines and fees) and the checkout of the same id that `order.pay`
/// paid: `receive_fee` is the cash received (the cash channels' payments and the change handed
/// back), `change_fee` the change, `pay_time` when a receipt first found it paid, on the
/// namespace's clock. An order not paid yet is a business failure: nothing to print.
enum BillGetMethod: TOPMethod {
    static let api = APIName(rawValue: "alibaba.pos.bill.get")
    static let requestParameter: String? = nil
    static let outcomes: [CallOutcome] = [.found, .notFound, .businessFailure]

    public static let orderNotFoundCode = "ORDER_NOT_FOUND"
    public static let orderNotPaidCode = "ORDER_NOT_PAID"

    static func parse(_ parameters: TOPParameters) throws(TOPError) -> BillGetRequest {
        try BillGetRequest(parameters: parameters)
    }

    static func answer(
        _ request: BillGetRequest, context: MethodContext, namespace: inout NamespaceState, state _: inout NoMethodState
    ) -> MethodAnswer {
        guard var sale = namespace.store.sales[request.bizOrderID], sale.shopID == request.shopID else {
            return MethodAnswer.failure(
                .notFound, code: orderNotFoundCode,
                info: "no order with biz_order_id \(request.bizOrderID) in shop \(request.shopID); items.subtotal makes one")
        }
        let checkout = namespace.checkout(sale.checkoutKey, in: context.set)
        let results = (checkout?.actions ?? []).map { (action: $0, result: namespace.current($0)) }
        let total = checkout?.totalFen ?? sale.pricing.actualFen
        guard CheckoutView.status(totalFen: total, results: results) == .paid else {
            return MethodAnswer.failure(
                .businessFailure, code: orderNotPaidCode,
                info: "order \(request.bizOrderID) is not paid: \(CheckoutView.paidFen(results)) of \(total) fen paid")
        }
        if sale.paidAt == nil {
            sale.paidAt = context.now
            namespace.store.sales[request.bizOrderID] = sale
        }
        let paid = results.filter { $0.result.status.pays }.map(\.action)
        let model = Model(sale: sale, payments: paid, cashChannels: context.set.sale.cashChannels, now: context.now)
        return MethodAnswer.success(model, outcome: .found, status: nil, source: nil)
    }

    /// The nearest order id of the shop, when the call named none.
    static func nearMiss(_ request: BillGetRequest, in scope: NearMissScope) -> String? {
        let ids = scope.namespace.store.sales.values.prefix(NearMissScope.comparedLimit).map { ($0.shopID, String($0.orderID)) }
        return "no order with biz_order_id \(request.bizOrderID) in shop \(request.shopID)"
            + scope.nearest(String(request.bizOrderID), shopID: request.shopID, among: [ids])
    }

    static func recorded(_ answer: RecordedAnswer) -> RecordedObservation { .derived }

    /// `model`: the receipt. Lists are `item_blocks{bill_item_block_dto[…]}` with one block of
    /// `item_dtos{bill_item_dto[…]}`, and `payment_channels{payment_channel_dto[…]}`.
    struct Model: ResponseFields {
        let sale: Sale
        let payments: [PaymentAction]
        let cashChannels: [String]
        let now: Int64

        func write(to writer: inout ResponseWriter) {
            let cash = payments.filter { cashChannels.contains($0.channel) }
            let change = Fen.sum(cash.compactMap(\.changeFen))
            let received = Fen.sum(cash.compactMap(\.amountFen)) + change
            writer.field("pos_id", sale.machineID ?? "")
            writer.field("cashier_id", "")
            writer.field("print_time", TimestampPolicy.format(epochMillis: now))
            writer.field("receive_fee", received)
            writer.field("change_fee", change)
            writer.field("coupon_fee", sale.pricing.couponFen)
            writer.field("member_promotion_fee", 0)
            writer.field("promotion_fee", sale.pricing.promotionFen)
            writer.field("total_fee", sale.pricing.totalFen)
            writer.field("actual_fee", sale.pricing.actualFen.value)
            writer.field("shop_id", String(sale.shopID))
            writer.field("biz_order_id", sale.orderID)
            writer.field("create_time", TimestampPolicy.format(epochMillis: sale.createdAt))
            writer.field("pay_time", TimestampPolicy.format(epochMillis: sale.paidAt ?? now))
            let items = sale.pricing.lines.enumerated().map { Self.line($0.element, index: $0.offset, orderID: sale.orderID) }
            writer.field(
                "item_blocks",
                .list(
                    itemName: "bill_item_block_dto",
                    [.object(ResponseObject([("title", .string("")), ("item_dtos", .list(itemName: "bill_item_dto", items))]))]))
            writer.field(
                "payment_channels",
                .list(
                    itemName: "payment_channel_dto",
                    payments.map { payment in
                        .object(
                            ResponseObject([
                                ("channel_code", .string(payment.channel)), ("pay_fee", .integer(payment.amountFen?.value ?? 0)),
                                ("request_id", .string(payment.key.requestID)),
                            ]))
                    }))
        }

        private static func line(_ line: BasketLine, index: Int, orderID: Int64) -> ResponseValue {
            var fields: [(String, ResponseValue)] = [
                ("sub_order_id", .string("\(orderID)-\(index + 1)")), ("item_id", .string(String(line.item.itemID))),
                ("title", .string(line.item.shortName ?? line.item.title)), ("full_title", .string(line.item.title)),
                ("quantity", .integer(line.quantity)), ("price", .integer(line.item.priceFen.value)),
                ("promotion_price", .integer((line.promotionPriceFen ?? line.item.priceFen).value)),
                ("total_fee", .integer(line.payFen)), ("total_discount_fee", .integer(line.discountFen)),
                ("is_weight", .bool(line.weightGrams != nil)),
            ]
            if let grams = line.weightGrams { fields.append(("weight", .string(kilograms(grams)))) }
            if let unit = line.item.unit { fields.append(("inv_unit", .string(unit))) }
            if let code = line.item.codes.first { fields.append(("bar_code", .string(code))) }
            if let sku = line.item.skuCode { fields.append(("sku_code", .string(sku))) }
            return .object(ResponseObject(fields))
        }

        /// Grams as kilograms with three decimals (`0.532`).
        static func kilograms(_ grams: Int64) -> String {
            let rest = String(grams % 1000)
            return "\(grams / 1000)." + String(repeating: "0", count: 3 - rest.count) + rest
        }
    }
}

extension BillGetRequest: MethodCall {
    public var matchRequestID: String? { nil }
    public var matchBuyerID: Int64? { nil }
}
