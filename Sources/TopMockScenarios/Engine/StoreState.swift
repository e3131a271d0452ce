public import TopMockProtocol

/// What one namespace changes of the stores at run time: stores the admin API changed (whole
/// copies, winning over the seed's) and the sales its subtotals priced. Dropped with the
/// namespace on reset; a reload keeps it (a changed store stays changed, over the new seed).
struct StoreState {
    /// By shop: stores the admin API changed in this namespace.
    var changed: [Int64: Store] = [:]
    /// By order id: every basket `items.subtotal` priced here.
    var sales: [Int64: Sale] = [:]
    /// Each machine's open sale: the order its next subtotal re-prices while nothing is paid on it.
    var openSales: [MachineKey: Int64] = [:]
    /// The id the next new sale gets; nil = the scenario's `sale.first_order_id`.
    var nextOrderID: Int64?

    /// The store as this namespace sees it.
    func store(_ shopID: Int64, in set: ScenarioSet) -> Store? { changed[shopID] ?? set.stores[shopID] }
}

/// A shop's POS machine (`machine_id`; "" when a call gives none).
struct MachineKey: Hashable {
    var shopID: Int64
    var machineID: String
}

/// A basket `items.subtotal` priced: the order a checkout of the same id pays (its total is
/// ``actualFen``) and `bill.get` prints.
public struct Sale: Sendable, Equatable {
    public var orderID: Int64
    public var shopID: Int64
    public var buyerID: Int64
    public var machineID: String?
    public var pricing: BasketPricing
    /// When it was priced (last re-priced), on the namespace's clock, epoch milliseconds.
    public var createdAt: Int64
    /// When `bill.get` first found it paid, on the namespace's clock.
    public var paidAt: Int64?

    /// The checkout `order.pay` pays it through: the order id as `checkout_id`.
    public var checkoutKey: CheckoutKey { CheckoutKey(shopID: shopID, checkoutID: String(orderID)) }
}

/// A basket priced against a store: its lines and what it costs.
///
/// Bounds, so no sum can overflow: a unit price is at most ``Fen/maximum`` (10^10), a line at most
/// 9,999 units or 10^6 grams, a basket at most 200 lines: every product and sum stays below
/// 2 × 10^18 before the result is checked against ``Fen``'s bound.
public struct BasketPricing: Sendable, Equatable {
    public var lines: [BasketLine]
    /// The lines at their list prices.
    public var totalFen: Int64
    /// What promotions took off.
    public var promotionFen: Int64
    /// What coupons took off (at most what is left after promotions).
    public var couponFen: Int64
    /// What is to pay: the checkout's total.
    public var actualFen: Fen
    /// The coupons applied, by code.
    public var couponCodes: [String]
}

/// One priced line of a basket.
public struct BasketLine: Sendable, Equatable {
    public var item: StoreItem
    public var quantity: Int64
    public var weightGrams: Int64?
    /// The promotion's unit price, when one applies.
    public var promotionPriceFen: Fen?
    /// At the list price.
    public var totalFen: Int64
    /// What the promotion took off the line.
    public var discountFen: Int64

    /// What the line costs after its promotion.
    public var payFen: Int64 { totalFen - discountFen }
}

/// Why a basket cannot be priced: each a business failure naming what is wrong.
public enum BasketPricingFailure: Error, Equatable {
    case unknownItem(itemID: Int64, skuID: Int64?, line: Int)
    case weightOfCountedItem(itemID: Int64, line: Int)
    case unknownCoupon(String)
    case couponBelowMinimum(code: String, minimumFen: Fen, basketFen: Int64)
    case tooLarge(Int64)

    public var code: String {
        switch self {
        case .unknownItem: "ITEM_NOT_FOUND"
        case .weightOfCountedItem: "ITEM_NOT_SOLD_BY_WEIGHT"
        case .unknownCoupon: "COUPON_NOT_FOUND"
        case .couponBelowMinimum: "COUPON_MINIMUM_NOT_MET"
        case .tooLarge: "AMOUNT_TOO_LARGE"
        }
    }

    public var info: String {
        switch self {
        case .unknownItem(let item, let sku, let line):
            "item_list[\(line)]: no item with item_id \(item)" + (sku.map { " and sku_id \($0)" } ?? "") + " in this store"
        case .weightOfCountedItem(let item, let line):
            "item_list[\(line)]: item \(item) is sold by count; give buy_quantity, not inv_quantity"
        case .unknownCoupon(let code): "no coupon with code '\(code)' in this store"
        case .couponBelowMinimum(let code, let minimum, let basket):
            "coupon '\(code)' needs a basket of at least \(minimum) fen after promotions; this one is \(basket)"
        case .tooLarge(let fen): "the basket comes to \(fen) fen, over the most a checkout can total (\(Fen.maximum))"
        }
    }
}

extension BasketPricing {
    /// Prices `request`'s lines and coupons against `store`: list price × quantity (or × grams /
    /// 1000, rounded half up, for an item sold by weight), less each line's promotion, less the
    /// coupons in the order given.
    public static func price(_ request: ItemsSubtotalRequest, in store: Store) -> Result<BasketPricing, BasketPricingFailure> {
        var lines: [BasketLine] = []
        var total: Int64 = 0
        var promotion: Int64 = 0
        for (index, line) in request.lines.enumerated() {
            guard let item = store.item(id: line.itemID, skuID: line.skuID) else {
                return .failure(.unknownItem(itemID: line.itemID, skuID: line.skuID, line: index))
            }
            let promotionPrice = store.promotionPrice(of: item)
            let lineTotal: Int64
            let lineDiscount: Int64
            if let grams = line.weightGrams {
                guard item.soldByWeight else { return .failure(.weightOfCountedItem(itemID: item.itemID, line: index)) }
                lineTotal = weighed(item.priceFen, grams)
                lineDiscount = promotionPrice.map { lineTotal - weighed($0, grams) } ?? 0
            } else {
                lineTotal = item.priceFen.value * line.quantity
                lineDiscount = promotionPrice.map { (item.priceFen.value - $0.value) * line.quantity } ?? 0
            }
            total += lineTotal
            promotion += lineDiscount
            lines.append(
                BasketLine(
                    item: item, quantity: line.quantity, weightGrams: line.weightGrams, promotionPriceFen: promotionPrice, totalFen: lineTotal,
                    discountFen: lineDiscount))
        }
        var left = total - promotion
        var couponFen: Int64 = 0
        var codes: [String] = []
        for code in request.assetCodes {
            guard let coupon = store.coupon(code: code) else { return .failure(.unknownCoupon(code)) }
            guard !codes.contains(code) else { continue }
            guard left >= coupon.minimumFen.value else {
                return .failure(.couponBelowMinimum(code: code, minimumFen: coupon.minimumFen, basketFen: left))
            }
            let off = min(coupon.offFen.value, left)
            couponFen += off
            left -= off
            codes.append(code)
        }
        guard let actual = Fen(left) else { return .failure(.tooLarge(left)) }
        return .success(
            BasketPricing(lines: lines, totalFen: total, promotionFen: promotion, couponFen: couponFen, actualFen: actual, couponCodes: codes))
    }

    /// A per-kilogram price for `grams`, rounded half up.
    private static func weighed(_ perKilogram: Fen, _ grams: Int64) -> Int64 { (perKilogram.value * grams + 500) / 1000 }
}
