public import TopMockProtocol

/// `alibaba.pos.item.get` (商品扫码获取商品): a scanned code looked up in the shop's store. An item's
/// code answers `buy_item` (its price, and its promotion's); a coupon's code answers `asset` (type
/// `COUPON`), which the app then gives in the subtotal's `asset_list`. Reads only.
enum ItemGetMethod: TOPMethod {
    static let api = APIName(rawValue: "alibaba.pos.item.get")
    static let requestParameter: String? = nil
    static let outcomes: [CallOutcome] = [.found, .notFound]

    public static let codeNotFoundCode = "CODE_NOT_FOUND"

    static func parse(_ parameters: TOPParameters) throws(TOPError) -> ItemGetRequest {
        try ItemGetRequest(parameters: parameters)
    }

    static func answer(_ scan: ItemGetRequest, context: MethodContext, namespace: inout NamespaceState, state _: inout NoMethodState) -> MethodAnswer
    {
        guard let store = namespace.store.store(scan.shopID, in: context.set) else {
            return .storeNotFound(scan.shopID)
        }
        if let item = store.item(code: scan.codeValue) {
            let model = ItemModel(item: item, promotionPrice: store.promotionPrice(of: item), code: scan.codeValue)
            return MethodAnswer.success(model, outcome: .found, status: nil, source: store.source)
        }
        if let coupon = store.coupon(code: scan.codeValue) {
            return MethodAnswer.success(CouponModel(coupon: coupon), outcome: .found, status: nil, source: store.source)
        }
        return MethodAnswer.failure(
            .notFound, code: codeNotFoundCode, info: "no item or coupon with code '\(scan.codeValue)' in shop \(scan.shopID)",
            source: store.source)
    }

    /// The nearest code of the shop's store, when the scan named none.
    static func nearMiss(_ scan: ItemGetRequest, in scope: NearMissScope) -> String? {
        guard let store = scope.store(scan.shopID) else { return scope.noStore(scan.shopID) }
        let codes = store.items.flatMap(\.codes) + store.coupons.map(\.code)
        let nearest = scope.nearest(scan.codeValue, shopID: scan.shopID, among: [codes.prefix(NearMissScope.comparedLimit).map { (scan.shopID, $0) }])
        return "no item or coupon with code '\(scan.codeValue)' in shop \(scan.shopID)" + nearest
    }

    /// An item the upstream found by the scanned code: the store's item, under that code (a
    /// coupon's answer says too little to price with: derived).
    static func recorded(_ answer: RecordedAnswer) -> RecordedObservation {
        guard case .object(let buy)? = answer.successfulModel?["buy_item"], let shop = answer.number("shop_id"),
            let code = answer.fields["code_reader_req.code_value"], code != Redaction.maskedValue,
            let itemID = buy["item_id"]?.scalarText.flatMap({ Int64($0) }), let title = buy["title"]?.scalarText,
            let price = buy["price"]?.scalarText.flatMap({ Int64($0) }).flatMap(Fen.init)
        else { return .derived }
        let item = StoreItem(
            itemID: itemID, skuID: buy["sku_id"]?.scalarText.flatMap { Int64($0) }, title: title, shortName: buy["short_name"]?.scalarText,
            priceFen: price, codes: [code], unit: buy["inv_unit"]?.scalarText, soldByWeight: buy["is_weight"] == .bool(true),
            unitWeight: buy["item_weight"]?.scalarText, skuCode: buy["sku_code"]?.scalarText)
        let promotion = buy["promotion_price"]?.scalarText.flatMap { Int64($0) }.flatMap(Fen.init).flatMap { $0 < price ? $0 : nil }
        return .storeItem(shopID: shop, item, promotionPriceFen: promotion)
    }

    /// `model.buy_item`: the item as the scan found it. `total_fee` is one unit (or one kilogram)
    /// after its promotion.
    struct ItemModel: ResponseFields {
        let item: StoreItem
        let promotionPrice: Fen?
        let code: String

        func write(to writer: inout ResponseWriter) {
            writer.object("buy_item") { buy in
                buy.field("item_id", item.itemID)
                if let sku = item.skuID { buy.field("sku_id", sku) }
                buy.field("title", item.title)
                buy.field("short_name", item.shortName ?? item.title)
                buy.field("price", item.priceFen.value)
                buy.field("promotion_price", (promotionPrice ?? item.priceFen).value)
                buy.field("total_fee", (promotionPrice ?? item.priceFen).value)
                buy.field("item_weight", item.unitWeight)
                buy.field("inv_unit", item.unit)
                buy.field("is_weight", item.soldByWeight)
                buy.field("bar_code", code)
                buy.field("sku_code", item.skuCode)
            }
        }
    }

    /// `model.asset`: a coupon, as an asset of type `COUPON` (status `1`: usable).
    struct CouponModel: ResponseFields {
        let coupon: Coupon

        func write(to writer: inout ResponseWriter) {
            writer.object("asset") { asset in
                asset.field("type", "COUPON")
                asset.field("code", coupon.code)
                asset.field("title", coupon.title)
                asset.field("status", "1")
                asset.field("extra", "{}")
            }
        }
    }
}

extension ItemGetRequest: MethodCall {
    public var matchRequestID: String? { nil }
    public var matchBuyerID: Int64? { buyerID }
}
