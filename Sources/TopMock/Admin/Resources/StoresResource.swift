import TopMockHTTP
import TopMockProtocol
import TopMockScenarios

/// `/__admin/namespaces/{ns}/stores/{shop_id}…`: a shop's store as one namespace sees it (items,
/// promotions, coupons, accounts with their numbers masked, features) and the orders its
/// subtotals priced; and the changes a test makes before a sale: put an item, a promotion or an
/// account (replacing the one with the same ids). Changes hold in that namespace until a reset.
struct StoresResource: Sendable {
    let engine: ScenarioEngine

    func read(_ call: AdminCall) throws(AdminError) -> HTTPResponse {
        let namespace = call.segment("ns")
        let shopID = try call.shopID()
        guard let (store, sales) = engine.store(shopID, namespace: namespace) else { throw .unknownStore(shopID: shopID) }
        return .json(View(store: store, sales: sales, namespace: namespace))
    }

    /// `PUT {"item_id", "title", "price_fen", "codes", …}` (the YAML's keys).
    func putItem(_ call: AdminCall) throws(AdminError) -> HTTPResponse {
        let body = try call.body(ItemBody.self)
        let item = try body.item()
        return try change(call) { $0.put(item) }
    }

    /// `PUT {"item_id", "sku_id"?, "title"?, "price_fen"}`: the item must be in the store, and the
    /// price below its own.
    func putPromotion(_ call: AdminCall) throws(AdminError) -> HTTPResponse {
        let body = try call.body(PromotionBody.self)
        let shopID = try call.shopID()
        let promotion = try body.promotion()
        let store = engine.store(shopID, namespace: call.segment("ns"))?.store
        let items = (store?.items ?? []).filter { $0.itemID == promotion.itemID && (promotion.skuID == nil || $0.skuID == promotion.skuID) }
        guard !items.isEmpty else { throw .badParameter("the promotion names item_id \(promotion.itemID), which the store does not list") }
        if let item = items.first(where: { promotion.priceFen >= $0.priceFen }) {
            throw .badParameter("price_fen \(promotion.priceFen) is not below item \(item.itemID)'s price_fen \(item.priceFen)")
        }
        return try change(call) { $0.put(promotion) }
    }

    /// `PUT {"channel_name", "channel_account", "balance_fen", "status"?, "usable"?, "valid_from"?,
    /// "valid_until"?, "biz_codes"?}`.
    func putAccount(_ call: AdminCall) throws(AdminError) -> HTTPResponse {
        let account = try call.body(AccountBody.self).account()
        return try change(call) { $0.put(account) }
    }

    private func change(_ call: AdminCall, _ body: (inout Store) -> Void) throws(AdminError) -> HTTPResponse {
        let namespace = call.segment("ns")
        let shopID = try call.shopID()
        engine.changeStore(shopID, namespace: namespace, body)
        guard let (store, sales) = engine.store(shopID, namespace: namespace) else { throw .unknownStore(shopID: shopID) }
        return .json(View(store: store, sales: sales, namespace: namespace))
    }

    // MARK: Bodies

    struct ItemBody: Decodable {
        var itemID: Int64
        var skuID: Int64?
        var title: String
        var shortName: String?
        var priceFen: Int64
        var codes: [String]
        var unit: String?
        var soldByWeight: Bool?
        var unitWeight: String?
        var skuCode: String?

        enum CodingKeys: String, CodingKey {
            case title, codes, unit
            case itemID = "item_id", skuID = "sku_id", shortName = "short_name", priceFen = "price_fen", soldByWeight = "sold_by_weight"
            case unitWeight = "unit_weight", skuCode = "sku_code"
        }

        func item() throws(AdminError) -> StoreItem {
            guard itemID >= 0, skuID ?? 0 >= 0 else { throw .badParameter("item_id and sku_id must not be negative") }
            guard !title.isEmpty else { throw .badParameter("title must not be empty") }
            guard let price = Fen(priceFen) else { throw .badParameter("price_fen must be \(Fen.boundText()), not \(priceFen)") }
            guard !codes.isEmpty, codes.allSatisfy({ !$0.isEmpty }) else {
                throw .badParameter("codes needs at least one non-empty code (a barcode, a QR code, an asset code)")
            }
            return StoreItem(
                itemID: itemID, skuID: skuID, title: title, shortName: shortName, priceFen: price, codes: codes, unit: unit,
                soldByWeight: soldByWeight ?? false, unitWeight: unitWeight, skuCode: skuCode)
        }
    }

    struct PromotionBody: Decodable {
        var itemID: Int64
        var skuID: Int64?
        var title: String?
        var priceFen: Int64

        enum CodingKeys: String, CodingKey {
            case title
            case itemID = "item_id", skuID = "sku_id", priceFen = "price_fen"
        }

        func promotion() throws(AdminError) -> Promotion {
            guard let price = Fen(priceFen) else { throw .badParameter("price_fen must be \(Fen.boundText()), not \(priceFen)") }
            return Promotion(itemID: itemID, skuID: skuID, title: title ?? "promotion", priceFen: price)
        }
    }

    struct AccountBody: Decodable {
        var channelName: String
        var channelAccount: String
        var balanceFen: Int64
        var status: String?
        var usable: Bool?
        var validFrom: String?
        var validUntil: String?
        var bizCodes: String?

        enum CodingKeys: String, CodingKey {
            case status, usable
            case channelName = "channel_name", channelAccount = "channel_account", balanceFen = "balance_fen", validFrom = "valid_from"
            case validUntil = "valid_until", bizCodes = "biz_codes"
        }

        func account() throws(AdminError) -> StoreAccount {
            guard !channelName.isEmpty, !channelAccount.isEmpty else { throw .badParameter("channel_name and channel_account must not be empty") }
            guard let balance = Fen(balanceFen) else { throw .badParameter("balance_fen must be \(Fen.boundText()), not \(balanceFen)") }
            let from = try Self.time(validFrom, "valid_from"), until = try Self.time(validUntil, "valid_until")
            if let from, let until, from > until { throw .badParameter("valid_until is before valid_from") }
            return StoreAccount(
                channelName: channelName, channelAccount: channelAccount, balanceFen: balance, status: status ?? "正常", usable: usable ?? true,
                validFrom: from, validUntil: until, bizCodes: bizCodes)
        }

        private static func time(_ text: String?, _ name: String) throws(AdminError) -> Int64? {
            guard let text else { return nil }
            guard let seconds = TimestampPolicy.wallClockSeconds(text) else {
                throw .badParameter("\(name) must be a time as yyyy-MM-dd HH:mm:ss (GMT+8), not '\(text)'")
            }
            return (seconds - TimestampPolicy.gmt8OffsetSeconds) * 1000
        }
    }

    // MARK: The answer

    /// The store and its orders. Account numbers go through the redaction list like everything
    /// else shown: `channel_account` is one of its fields.
    struct View: Encodable {
        var namespace: String
        var shopID: Int64
        var items: [Item]
        var promotions: [PromotionView]
        var coupons: [CouponView]
        var accounts: [AccountView]
        var features: [FeatureView]
        var orders: [Order]

        init(store: Store, sales: [SaleSnapshot], namespace: String) {
            self.namespace = namespace
            shopID = store.shopID
            items = store.items.map(Item.init)
            promotions = store.promotions.map {
                PromotionView(itemID: $0.itemID, skuID: $0.skuID, title: $0.title, priceFen: $0.priceFen.value)
            }
            coupons = store.coupons.map { CouponView(code: $0.code, title: $0.title, offFen: $0.offFen.value, minimumFen: $0.minimumFen.value) }
            accounts = store.accounts.map(AccountView.init)
            features = store.features.map { FeatureView(code: $0.code, name: $0.name, prompt: $0.prompt) }
            orders = sales.map(Order.init)
        }

        enum CodingKeys: String, CodingKey {
            case namespace, items, promotions, coupons, accounts, features, orders
            case shopID = "shop_id"
        }
    }

    struct Item: Encodable {
        var itemID: Int64
        var skuID: Int64?
        var title: String
        var priceFen: Int64
        var codes: [String]
        var soldByWeight: Bool
        var unit: String?

        init(_ item: StoreItem) {
            itemID = item.itemID
            skuID = item.skuID
            title = item.title
            priceFen = item.priceFen.value
            codes = item.codes
            soldByWeight = item.soldByWeight
            unit = item.unit
        }

        enum CodingKeys: String, CodingKey {
            case title, codes, unit
            case itemID = "item_id", skuID = "sku_id", priceFen = "price_fen", soldByWeight = "sold_by_weight"
        }
    }

    struct PromotionView: Encodable {
        var itemID: Int64
        var skuID: Int64?
        var title: String
        var priceFen: Int64

        enum CodingKeys: String, CodingKey {
            case title
            case itemID = "item_id", skuID = "sku_id", priceFen = "price_fen"
        }
    }

    struct CouponView: Encodable {
        var code: String
        var title: String
        var offFen: Int64
        var minimumFen: Int64

        enum CodingKeys: String, CodingKey {
            case code, title
            case offFen = "off_fen", minimumFen = "minimum_fen"
        }
    }

    struct AccountView: Encodable {
        var channelName: String
        var channelAccount: String
        var balanceFen: Int64
        var status: String
        var usable: Bool
        var validFrom: String?
        var validUntil: String?

        init(_ account: StoreAccount) {
            channelName = account.channelName
            // Masked as the redaction list decides (`channel_account` is one of its fields).
            let shown = ServedMethods.redaction.maskedFields(JSONValue.object(["channel_account": .string(account.channelAccount)]))
            if case .object(let fields) = shown, case .string(let value)? = fields["channel_account"] {
                channelAccount = value
            } else {
                channelAccount = Redaction.maskedValue
            }
            balanceFen = account.balanceFen.value
            status = account.status
            usable = account.usable
            validFrom = account.validFrom.map { TimestampPolicy.format(epochMillis: $0) }
            validUntil = account.validUntil.map { TimestampPolicy.format(epochMillis: $0) }
        }

        enum CodingKeys: String, CodingKey {
            case status, usable
            case channelName = "channel_name", channelAccount = "channel_account", balanceFen = "balance_fen", validFrom = "valid_from"
            case validUntil = "valid_until"
        }
    }

    struct FeatureView: Encodable {
        var code: String
        var name: String
        var prompt: String
    }

    struct Order: Encodable {
        var bizOrderID: Int64
        var buyerID: Int64
        var machineID: String?
        var status: String
        var totalFee: Int64
        var promotionFee: Int64
        var couponFee: Int64
        var actualFee: Int64
        var paidFen: Int64
        var lines: [Line]

        init(_ snapshot: SaleSnapshot) {
            let sale = snapshot.sale
            bizOrderID = sale.orderID
            buyerID = sale.buyerID
            machineID = sale.machineID
            status = snapshot.status.rawValue
            totalFee = sale.pricing.totalFen
            promotionFee = sale.pricing.promotionFen
            couponFee = sale.pricing.couponFen
            actualFee = sale.pricing.actualFen.value
            paidFen = snapshot.paidFen
            lines = sale.pricing.lines.map {
                Line(itemID: $0.item.itemID, skuID: $0.item.skuID, quantity: $0.quantity, weightGrams: $0.weightGrams, totalFee: $0.payFen)
            }
        }

        enum CodingKeys: String, CodingKey {
            case status, lines
            case bizOrderID = "biz_order_id", buyerID = "buyer_id", machineID = "machine_id", totalFee = "total_fee"
            case promotionFee = "promotion_fee", couponFee = "coupon_fee", actualFee = "actual_fee", paidFen = "paid_fen"
        }
    }

    struct Line: Encodable {
        var itemID: Int64
        var skuID: Int64?
        var quantity: Int64
        var weightGrams: Int64?
        var totalFee: Int64

        enum CodingKeys: String, CodingKey {
            case quantity
            case itemID = "item_id", skuID = "sku_id", weightGrams = "weight_grams", totalFee = "total_fee"
        }
    }
}
