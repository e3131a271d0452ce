public import TopMockProtocol

/// A shop's store, as a scenario declares it under `stores`: what `item.get`, `items.subtotal`,
/// `pay.account.ack` and `service.features.get` answer from, and what `bill.get` prints. Small on
/// purpose: items with their codes and prices, promotions, coupons, accounts and the shop's
/// features. Amounts are fen, inside ``Fen``'s bound.
public struct Store: Sendable, Equatable {
    public var shopID: Int64
    public var items: [StoreItem]
    public var promotions: [Promotion]
    public var coupons: [Coupon]
    public var accounts: [StoreAccount]
    public var features: [StoreFeature]
    public var source: SourceLocation

    public init(
        shopID: Int64, items: [StoreItem] = [], promotions: [Promotion] = [], coupons: [Coupon] = [], accounts: [StoreAccount] = [],
        features: [StoreFeature] = [], source: SourceLocation = SourceLocation(path: "", line: 0, column: 0)
    ) {
        self.shopID = shopID
        self.items = items
        self.promotions = promotions
        self.coupons = coupons
        self.accounts = accounts
        self.features = features
        self.source = source
    }

    /// The item a scanned code names (any of its codes).
    public func item(code: String) -> StoreItem? { items.first { $0.codes.contains(code) } }

    /// The item a basket line names: by `item_id`, and by `sku_id` when the line gives one.
    public func item(id: Int64, skuID: Int64?) -> StoreItem? {
        items.first { $0.itemID == id && (skuID == nil || $0.skuID == skuID) }
    }

    /// The unit price a promotion gives the item now, when one does (the lowest, if several).
    public func promotionPrice(of item: StoreItem) -> Fen? {
        promotions.filter { $0.itemID == item.itemID && ($0.skuID == nil || $0.skuID == item.skuID) && $0.priceFen < item.priceFen }
            .map(\.priceFen).min()
    }

    public func coupon(code: String) -> Coupon? { coupons.first { $0.code == code } }

    public func account(channelName: String, channelAccount: String) -> StoreAccount? {
        accounts.first { $0.channelName == channelName && $0.channelAccount == channelAccount }
    }

    /// Puts `item` in place of the one with its item and SKU ids, or adds it.
    public mutating func put(_ item: StoreItem) {
        if let index = items.firstIndex(where: { $0.itemID == item.itemID && $0.skuID == item.skuID }) {
            items[index] = item
        } else {
            items.append(item)
        }
    }

    /// Puts `promotion` in place of the one for the same item and SKU, or adds it.
    public mutating func put(_ promotion: Promotion) {
        if let index = promotions.firstIndex(where: { $0.itemID == promotion.itemID && $0.skuID == promotion.skuID }) {
            promotions[index] = promotion
        } else {
            promotions.append(promotion)
        }
    }

    /// Puts `account` in place of the one with its channel and account, or adds it.
    public mutating func put(_ account: StoreAccount) {
        if let index = accounts.firstIndex(where: { $0.channelName == account.channelName && $0.channelAccount == account.channelAccount }) {
            accounts[index] = account
        } else {
            accounts.append(account)
        }
    }
}

/// An item on sale: what a scan of any of its `codes` finds and a basket line prices.
public struct StoreItem: Sendable, Equatable {
    public var itemID: Int64
    public var skuID: Int64?
    public var title: String
    public var shortName: String?
    /// The unit price; per kilogram for an item sold by weight.
    public var priceFen: Fen
    /// Barcodes, QR codes, asset codes: any of them finds the item.
    public var codes: [String]
    /// `瓶`, `kg`, …
    public var unit: String?
    /// Priced by the basket line's `inv_quantity` (kilograms) instead of a count.
    public var soldByWeight: Bool
    /// The weight of one unit as shown (`500g`), for an item sold by count.
    public var unitWeight: String?
    public var skuCode: String?

    public init(
        itemID: Int64, skuID: Int64? = nil, title: String, shortName: String? = nil, priceFen: Fen, codes: [String], unit: String? = nil,
        soldByWeight: Bool = false, unitWeight: String? = nil, skuCode: String? = nil
    ) {
        self.itemID = itemID
        self.skuID = skuID
        self.title = title
        self.shortName = shortName
        self.priceFen = priceFen
        self.codes = codes
        self.unit = unit
        self.soldByWeight = soldByWeight
        self.unitWeight = unitWeight
        self.skuCode = skuCode
    }
}

/// A lower unit price for one item (and SKU, when given): what `promotion_price` and
/// `promotion_fee` show.
public struct Promotion: Sendable, Equatable {
    public var itemID: Int64
    public var skuID: Int64?
    public var title: String
    public var priceFen: Fen

    public init(itemID: Int64, skuID: Int64? = nil, title: String, priceFen: Fen) {
        self.itemID = itemID
        self.skuID = skuID
        self.title = title
        self.priceFen = priceFen
    }
}

/// A coupon: scanned with `item.get` (an asset of type `COUPON`), then given in the subtotal's
/// `asset_list`; takes `offFen` off a basket worth at least `minimumFen` after promotions.
public struct Coupon: Sendable, Equatable {
    public var code: String
    public var title: String
    public var offFen: Fen
    public var minimumFen: Fen

    public init(code: String, title: String, offFen: Fen, minimumFen: Fen = .zero) {
        self.code = code
        self.title = title
        self.offFen = offFen
        self.minimumFen = minimumFen
    }
}

/// A card or account `pay.account.ack` checks, by channel and account number.
public struct StoreAccount: Sendable, Equatable {
    public var channelName: String
    /// The card number or wallet id: a secret, masked wherever a call or the store is shown.
    public var channelAccount: String
    public var balanceFen: Fen
    /// What the account's state is called to the buyer (`正常`, `冻结`, `挂失`).
    public var status: String
    /// Whether the account may pay at all (a frozen card is not); outside its validity window
    /// it is not valid either.
    public var usable: Bool
    /// The validity window, epoch milliseconds; nil = open on that side.
    public var validFrom: Int64?
    public var validUntil: Int64?
    /// `biz_codes`, as the page shows them (`111,222`).
    public var bizCodes: String?

    public init(
        channelName: String, channelAccount: String, balanceFen: Fen, status: String = "正常", usable: Bool = true, validFrom: Int64? = nil,
        validUntil: Int64? = nil, bizCodes: String? = nil
    ) {
        self.channelName = channelName
        self.channelAccount = channelAccount
        self.balanceFen = balanceFen
        self.status = status
        self.usable = usable
        self.validFrom = validFrom
        self.validUntil = validUntil
        self.bizCodes = bizCodes
    }

    /// Usable and inside its validity window at `now` (epoch milliseconds).
    public func isValid(at now: Int64) -> Bool {
        usable && (validFrom.map { now >= $0 } ?? true) && (validUntil.map { now <= $0 } ?? true)
    }
}

/// A feature the shop may use, as `service.features.get` lists it.
public struct StoreFeature: Sendable, Equatable {
    public var code: String
    public var name: String
    public var prompt: String

    public init(code: String, name: String, prompt: String = "") {
        self.code = code
        self.name = name
        self.prompt = prompt
    }
}

/// How the sale's methods link and count, where the TOP pages do not say (docs/protocol.md marks
/// each unconfirmed): set once, in any file, under `sale`.
public struct SaleSettings: Sendable, Equatable {
    /// The fields of the subtotal's answer that carry the order's id: the id `order.pay` takes as
    /// `checkout_id` (and `order_id`) and `bill.get` as `biz_order_id`.
    public var orderIDFields: [String] = ["biz_order_id", "checkout_id"]
    /// The first order id a namespace's subtotals hand out; each next one is one more.
    public var firstOrderID: Int64 = 1_000_001
    /// The channel names (`channel_name` of the action) `bill.get` counts as cash:
    /// `receive_fee` and `change_fee` come from these.
    public var cashChannels: [String] = ["cash"]

    public init() {}
}
