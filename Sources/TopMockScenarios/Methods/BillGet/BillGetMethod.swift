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
            let lines = sale.pricing.lines.enumerated()
            writer.objects("item_blocks", itemName: "bill_item_block_dto", CollectionOfOne(())) { block, _ in
                block.field("title", "")
                block.objects("item_dtos", itemName: "bill_item_dto", lines) { line, numbered in
                    Self.write(numbered.element, index: numbered.offset, orderID: sale.orderID, to: &line)
                }
            }
            writer.objects("payment_channels", itemName: "payment_channel_dto", payments) { channel, payment in
                channel.field("channel_code", payment.channel)
                channel.field("pay_fee", payment.amountFen?.value ?? 0)
                channel.field("request_id", payment.key.requestID)
            }
        }

        private static func write(_ line: BasketLine, index: Int, orderID: Int64, to writer: inout ResponseWriter) {
            writer.field("sub_order_id", "\(orderID)-\(index + 1)")
            writer.field("item_id", String(line.item.itemID))
            writer.field("title", line.item.shortName ?? line.item.title)
            writer.field("full_title", line.item.title)
            writer.field("quantity", line.quantity)
            writer.field("price", line.item.priceFen.value)
            writer.field("promotion_price", (line.promotionPriceFen ?? line.item.priceFen).value)
            writer.field("total_fee", line.payFen)
            writer.field("total_discount_fee", line.discountFen)
            writer.field("is_weight", line.weightGrams != nil)
            writer.field("weight", line.weightGrams.map(kilograms))
            writer.field("inv_unit", line.item.unit)
            writer.field("bar_code", line.item.codes.first)
            writer.field("sku_code", line.item.skuCode)
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
