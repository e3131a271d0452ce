import TopMockProtocol
import TopMockYAML

/// The `stores` and `sale` sections (docs/scenarios.md, "Stores"): every problem reported at its
/// place, as for the rest of a file.
extension ScenarioCompiler {
    static let storeKeys = ["shop_id", "name", "items", "promotions", "coupons", "accounts", "features"]
    static let itemKeys = ["item_id", "sku_id", "title", "short_name", "price_fen", "codes", "unit", "sold_by_weight", "unit_weight", "sku_code"]
    static let promotionKeys = ["item_id", "sku_id", "title", "price_fen"]
    static let couponKeys = ["code", "title", "off_fen", "minimum_fen"]
    static let accountKeys = ["channel_name", "channel_account", "balance_fen", "status", "usable", "valid_from", "valid_until", "biz_codes"]
    static let featureKeys = ["code", "name", "prompt"]
    static let saleKeys = ["order_id_fields", "first_order_id", "cash_channels"]
    /// The most an order id may start at: ids stay far from `Int64`'s end however many are made.
    static let maximumFirstOrderID: Int64 = 1_000_000_000_000_000

    func compileStore(_ node: YAMLNode) -> Store? {
        guard let reader = MappingReader(node, what: "a store", allowedKeys: Self.storeKeys, sink: sink) else { return nil }
        _ = reader.string("name")
        let shopID = reader.integer("shop_id", required: true, minimum: 0)
        var store = Store(shopID: shopID ?? 0, source: sink.location(node.mark))
        var codes: [String: YAMLMark] = [:]
        for itemNode in reader.list("items") ?? [] {
            guard let item = compileItem(itemNode) else { continue }
            if store.items.contains(where: { $0.itemID == item.itemID && $0.skuID == item.skuID }) {
                sink.error(
                    "duplicate item: item_id \(item.itemID)" + (item.skuID.map { ", sku_id \($0)" } ?? "") + " is declared twice", at: itemNode.mark)
                continue
            }
            for code in item.codes { noteCode(code, at: itemNode.mark, in: &codes) }
            store.items.append(item)
        }
        for promotionNode in reader.list("promotions") ?? [] {
            guard let promotion = compilePromotion(promotionNode) else { continue }
            let items = store.items.filter { $0.itemID == promotion.itemID && (promotion.skuID == nil || $0.skuID == promotion.skuID) }
            if items.isEmpty {
                sink.error("the promotion names item_id \(promotion.itemID), which this store does not list", at: promotionNode.mark)
            } else if let item = items.first(where: { promotion.priceFen >= $0.priceFen }) {
                sink.error(
                    "the promotion's price_fen \(promotion.priceFen) is not below item \(item.itemID)'s price_fen \(item.priceFen)",
                    at: promotionNode.mark)
            } else {
                store.promotions.append(promotion)
            }
        }
        for couponNode in reader.list("coupons") ?? [] {
            guard let coupon = compileCoupon(couponNode) else { continue }
            noteCode(coupon.code, at: couponNode.mark, in: &codes)
            store.coupons.append(coupon)
        }
        for accountNode in reader.list("accounts") ?? [] {
            guard let account = compileAccount(accountNode) else { continue }
            if store.account(channelName: account.channelName, channelAccount: account.channelAccount) != nil {
                sink.error("duplicate account: this channel_name and channel_account are declared twice", at: accountNode.mark)
                continue
            }
            store.accounts.append(account)
        }
        for featureNode in reader.list("features") ?? [] {
            guard let feature = MappingReader(featureNode, what: "a feature", allowedKeys: Self.featureKeys, sink: sink) else { continue }
            let code = feature.string("code", required: true), name = feature.string("name", required: true)
            let prompt = feature.string("prompt") ?? ""
            if let code, let name { store.features.append(StoreFeature(code: code, name: name, prompt: prompt)) }
        }
        return shopID == nil ? nil : store
    }

    /// Reports a code a store already uses (a scan must find one thing).
    private func noteCode(_ code: String, at mark: YAMLMark, in codes: inout [String: YAMLMark]) {
        if let first = codes[code] {
            sink.error("code '\(code)' is used twice in this store (first at line \(first.line)); a scan must find one item or coupon", at: mark)
        } else {
            codes[code] = mark
        }
    }

    private func compileItem(_ node: YAMLNode) -> StoreItem? {
        guard let reader = MappingReader(node, what: "an item", allowedKeys: Self.itemKeys, sink: sink) else { return nil }
        let itemID = reader.integer("item_id", required: true, minimum: 0)
        let skuID = reader.integer("sku_id", minimum: 0)
        let title = reader.string("title", required: true)
        let price = reader.amount("price_fen", required: true)
        var codes: [String] = []
        for codeNode in reader.list("codes", required: true) ?? [] {
            guard let code = codeNode.scalar, !codeNode.isNull, codeNode.mapping == nil, codeNode.sequence == nil, !code.isEmpty else {
                sink.error("codes of an item must be non-empty strings, found \(codeNode.kindDescription)", at: codeNode.mark)
                continue
            }
            codes.append(code)
        }
        if codes.isEmpty, let codesNode = reader.value("codes"), codesNode.sequence?.isEmpty == true {
            sink.error("an item needs at least one code (a barcode, a QR code, an asset code)", at: codesNode.mark)
        }
        let item = reader.string("short_name"), unit = reader.string("unit"), weight = reader.string("unit_weight"), sku = reader.string("sku_code")
        let byWeight = reader.bool("sold_by_weight") ?? false
        guard let itemID, let title, let price, !codes.isEmpty else { return nil }
        return StoreItem(
            itemID: itemID, skuID: skuID, title: title, shortName: item, priceFen: price, codes: codes, unit: unit, soldByWeight: byWeight,
            unitWeight: weight, skuCode: sku)
    }

    private func compilePromotion(_ node: YAMLNode) -> Promotion? {
        guard let reader = MappingReader(node, what: "a promotion", allowedKeys: Self.promotionKeys, sink: sink) else { return nil }
        let itemID = reader.integer("item_id", required: true, minimum: 0)
        let skuID = reader.integer("sku_id", minimum: 0)
        let title = reader.string("title") ?? "promotion"
        let price = reader.amount("price_fen", required: true)
        guard let itemID, let price else { return nil }
        return Promotion(itemID: itemID, skuID: skuID, title: title, priceFen: price)
    }

    private func compileCoupon(_ node: YAMLNode) -> Coupon? {
        guard let reader = MappingReader(node, what: "a coupon", allowedKeys: Self.couponKeys, sink: sink) else { return nil }
        let code = reader.string("code", required: true)
        let title = reader.string("title") ?? code ?? ""
        let off = reader.amount("off_fen", required: true)
        let minimum = reader.amount("minimum_fen") ?? .zero
        if let code, code.isEmpty { sink.error("a coupon's code must not be empty", at: node.mark) }
        guard let code, !code.isEmpty, let off else { return nil }
        return Coupon(code: code, title: title, offFen: off, minimumFen: minimum)
    }

    private func compileAccount(_ node: YAMLNode) -> StoreAccount? {
        guard let reader = MappingReader(node, what: "an account", allowedKeys: Self.accountKeys, sink: sink) else { return nil }
        let channel = reader.string("channel_name", required: true)
        let account = reader.string("channel_account", required: true)
        let balance = reader.amount("balance_fen", required: true)
        let status = reader.string("status") ?? "正常"
        let usable = reader.bool("usable") ?? true
        let from = time(reader, "valid_from"), until = time(reader, "valid_until")
        if let from, let until, from > until, let node = reader.value("valid_until") {
            sink.error("valid_until is before valid_from", at: node.mark)
        }
        guard let channel, let account, let balance else { return nil }
        return StoreAccount(
            channelName: channel, channelAccount: account, balanceFen: balance, status: status, usable: usable, validFrom: from, validUntil: until,
            bizCodes: reader.string("biz_codes"))
    }

    /// A `yyyy-MM-dd HH:mm:ss` time in GMT+8, as epoch milliseconds.
    private func time(_ reader: MappingReader, _ key: String) -> Int64? {
        guard let text = reader.string(key) else { return nil }
        guard let seconds = TimestampPolicy.wallClockSeconds(text) else {
            sink.error("'\(key)' must be a time as yyyy-MM-dd HH:mm:ss (GMT+8), found '\(text)'", at: reader.value(key)!.mark)
            return nil
        }
        return (seconds - TimestampPolicy.gmt8OffsetSeconds) * 1000
    }

    func compileSaleSettings(_ node: YAMLNode) -> SaleSettings? {
        guard let reader = MappingReader(node, what: "sale", allowedKeys: Self.saleKeys, sink: sink) else { return nil }
        var settings = SaleSettings()
        if let names = reader.list("order_id_fields") {
            let valid = names.compactMap { nameNode -> String? in
                guard let name = nameNode.scalar, !name.isEmpty,
                    name.utf8.allSatisfy({ $0 == 95 || ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) })
                else {
                    let found = nameNode.scalar.map { "'\($0)'" } ?? nameNode.kindDescription
                    sink.error("order_id_fields holds field names of lower-case letters, digits and _, found \(found)", at: nameNode.mark)
                    return nil
                }
                return name
            }
            if names.isEmpty, let node = reader.value("order_id_fields") {
                sink.error("order_id_fields needs at least one name: the subtotal's answer must carry the order's id", at: node.mark)
            }
            if !valid.isEmpty { settings.orderIDFields = valid }
        }
        if let first = reader.integer("first_order_id", minimum: 1) {
            if first > Self.maximumFirstOrderID, let node = reader.value("first_order_id") {
                sink.error("first_order_id must be at most \(Self.maximumFirstOrderID), found \(first)", at: node.mark)
            } else {
                settings.firstOrderID = first
            }
        }
        if let channels = reader.list("cash_channels") {
            settings.cashChannels = channels.compactMap { $0.scalar }
        }
        return settings
    }
}
