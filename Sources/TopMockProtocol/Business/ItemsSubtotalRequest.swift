/// The business parameters of `alibaba.pos.items.subtotal` (pos线下交易小计, apiId 40428): `shop_id`,
/// `buyer_id` and `subtotal_request{item_list[{item_id, sku_id, buy_quantity, inv_quantity}],
/// asset_list[{code, type, …}], machine_id, …}`.
///
/// topmock requires what it prices with: `item_list` (1 to ``maximumLines`` lines) and each line's
/// `item_id`. A line is a count (`buy_quantity`, 1 to ``maximumQuantity``) or a weight
/// (`inv_quantity`, kilograms as text with at most three decimals, above 0 and at most
/// ``maximumWeightGrams`` grams); neither means one. Each error names its path
/// (`subtotal_request.item_list[1].buy_quantity`).
public struct ItemsSubtotalRequest: Sendable, Equatable {
    public var shopID: Int64
    public var buyerID: Int64
    /// The POS machine: a machine has one open basket, which a new subtotal replaces until it is paid.
    public var machineID: String?
    public var lines: [Line]
    /// The codes of `asset_list` (coupons scanned with `item.get`), in order.
    public var assetCodes: [String]

    public static let maximumLines = 200
    public static let maximumAssets = 20
    public static let maximumQuantity: Int64 = 9_999
    /// One tonne.
    public static let maximumWeightGrams: Int64 = 1_000_000

    /// One basket line, bounded as read.
    public struct Line: Sendable, Equatable {
        public var itemID: Int64
        public var skuID: Int64?
        /// How many; 1 when the line gives neither a count nor a weight.
        public var quantity: Int64
        /// The weight, for an item sold by weight.
        public var weightGrams: Int64?

        public init(itemID: Int64, skuID: Int64? = nil, quantity: Int64 = 1, weightGrams: Int64? = nil) {
            self.itemID = itemID
            self.skuID = skuID
            self.quantity = quantity
            self.weightGrams = weightGrams
        }
    }

    public init(parameters: TOPParameters) throws(TOPError) {
        shopID = try parameters.wholeNumber("shop_id")
        buyerID = try parameters.wholeNumber("buyer_id")
        let request = try BusinessObject<Field>(parameters, "subtotal_request")
        machineID = try request.string(.machineID)
        lines = []
        for line in try request.objects(.itemList, of: LineField.self, required: true, maximumCount: Self.maximumLines)! {
            lines.append(try Self.line(line))
        }
        assetCodes = []
        for asset in try request.objects(.assetList, of: AssetField.self, maximumCount: Self.maximumAssets) ?? [] {
            if let code = try asset.string(.code) { assetCodes.append(code) }
        }
    }

    private static func line(_ line: BusinessObject<LineField>) throws(TOPError) -> Line {
        let itemID = try line.wholeNumber(.itemID, required: true)!
        let skuID = try line.wholeNumber(.skuID)
        if let weight = try line.string(.invQuantity) {
            guard let grams = grams(weight), grams > 0, grams <= maximumWeightGrams else {
                throw .outOfRange(
                    line.name + ".inv_quantity",
                    must: "a weight in kilograms above 0 and at most \(maximumWeightGrams / 1000), with at most three decimals, not '\(weight)'")
            }
            return Line(itemID: itemID, skuID: skuID, quantity: 1, weightGrams: grams)
        }
        let quantity = try line.wholeNumber(.buyQuantity) ?? 1
        guard quantity >= 1, quantity <= maximumQuantity else {
            throw .outOfRange(line.name + ".buy_quantity", must: "between 1 and \(maximumQuantity), not \(quantity)")
        }
        return Line(itemID: itemID, skuID: skuID, quantity: quantity)
    }

    /// Kilograms as text (`2`, `0.532`) in grams; nil for anything else (a sign, four decimals,
    /// more digits than a tonne needs). One pass over the bytes: at most 7 whole digits and 3
    /// decimals, so the sum stays far inside `Int64`.
    static func grams(_ text: String) -> Int64? {
        var grams: Int64 = 0
        var wholeDigits = 0
        var decimals: Int?  // nil until the point
        var decimalGrams: Int64 = 100  // what the next decimal digit counts: 100 g, 10 g, 1 g
        for byte in text.utf8 {
            if byte == UInt8(ascii: ".") {
                guard decimals == nil, wholeDigits > 0 else { return nil }
                decimals = 0
                continue
            }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let digit = Int64(byte - UInt8(ascii: "0"))
            if let count = decimals {
                guard count < 3 else { return nil }
                decimals = count + 1
                grams += digit * decimalGrams
                decimalGrams /= 10
            } else {
                guard wholeDigits < 7 else { return nil }
                wholeDigits += 1
                grams = grams * 10 + digit * 1000
            }
        }
        guard wholeDigits > 0, decimals != 0 else { return nil }
        return grams
    }

    /// The fields topmock reads (the page's others, `shop_id`, `business_type`, `merchant_code`,
    /// `buyer_id`, `extra`, are not looked at: each field read costs a look-up in the decoder).
    enum Field: String, BusinessKey {
        case itemList = "item_list", assetList = "asset_list", machineID = "machine_id"

        static let fields = BusinessFields(Self.self)

        var kind: BusinessFieldKind {
            switch self {
            case .itemList: .objectList(LineField.fields)
            case .assetList: .objectList(AssetField.fields)
            case .machineID: .string
            }
        }
    }

    enum LineField: String, BusinessKey {
        case itemID = "item_id", skuID = "sku_id", buyQuantity = "buy_quantity", invQuantity = "inv_quantity"

        static let fields = BusinessFields(Self.self)
        var kind: BusinessFieldKind { self == .invQuantity ? .string : .wholeNumber }
    }

    enum AssetField: String, BusinessKey {
        case code

        static let fields = BusinessFields(Self.self)
        var kind: BusinessFieldKind { .string }
    }
}
