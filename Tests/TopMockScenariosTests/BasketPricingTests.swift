import Testing

@testable import TopMockProtocol
@testable import TopMockScenarios

/// The subtotal's parameters at their bounds, and the basket's pricing: weights, promotions,
/// coupons, rounding.
@Suite struct BasketPricingTests {
    static let store = Store(
        shopID: 1,
        items: [
            StoreItem(itemID: 1, title: "water", priceFen: Fen(200)!, codes: ["W"]),
            StoreItem(itemID: 2, title: "apples", priceFen: Fen(1280)!, codes: ["A"], soldByWeight: true),
            StoreItem(itemID: 3, skuID: 7, title: "cola", priceFen: Fen(350)!, codes: ["C"]),
        ],
        promotions: [Promotion(itemID: 1, title: "sale", priceFen: Fen(150)!), Promotion(itemID: 2, title: "sale", priceFen: Fen(999)!)],
        coupons: [
            Coupon(code: "OFF5", title: "5 off 50", offFen: Fen(500)!, minimumFen: Fen(5000)!),
            Coupon(code: "BIG", title: "big", offFen: Fen(99999)!),
        ])

    static func request(_ itemList: String, assets: String = "[]") throws(TOPError) -> ItemsSubtotalRequest {
        try ItemsSubtotalRequest(
            parameters: TOPParameters([
                .init(name: "shop_id", value: "1"), .init(name: "buyer_id", value: "2"),
                .init(name: "subtotal_request", value: #"{"item_list":\#(itemList),"asset_list":\#(assets)}"#),
            ]))
    }

    @Test func weightsAreKilogramsWithAtMostThreeDecimals() {
        #expect(ItemsSubtotalRequest.grams("0.532") == 532 && ItemsSubtotalRequest.grams("2") == 2000)
        #expect(ItemsSubtotalRequest.grams("1.5") == 1500 && ItemsSubtotalRequest.grams("0.05") == 50)
        #expect(ItemsSubtotalRequest.grams("9999999.999") == 9_999_999_999 && ItemsSubtotalRequest.grams("0.000") == 0)
        for bad in ["", ".5", "1.", "1.0001", "-1", "+1", "1e3", "1,5", "1.5.0", "99999999", "1..5", " 1", "1 ", "١"] {
            #expect(ItemsSubtotalRequest.grams(bad) == nil, "\(bad)")
        }
    }

    @Test func linesAreBoundedWhereTheyAreRead() throws {
        // Numbers as strings and strings as numbers, as the Java gateway's converters read them.
        let line = try Self.request(#"[{"item_id":1,"buy_quantity":"3"},{"item_id":2,"inv_quantity":2},{"item_id":3}]"#)
        #expect(line.lines.map(\.quantity) == [3, 1, 1] && line.lines[1].weightGrams == 2000)
        // A weight is text (String on the page): a fraction as a JSON number is not one.
        #expect(throws: TOPError.invalidArguments("subtotal_request.item_list[0].inv_quantity")) {
            try Self.request(#"[{"item_id":2,"inv_quantity":1.5}]"#)
        }
        #expect(throws: TOPError.outOfRange("subtotal_request.item_list[0].buy_quantity", must: "between 1 and 9999, not 10000")) {
            try Self.request(#"[{"item_id":1,"buy_quantity":10000}]"#)
        }
        #expect(throws: TOPError.invalidArguments("subtotal_request.item_list[0].buy_quantity")) {
            try Self.request(#"[{"item_id":1,"buy_quantity":-1}]"#)
        }
        #expect(throws: TOPError.missingRequiredArguments("subtotal_request.item_list[1].item_id")) {
            try Self.request(#"[{"item_id":1},{"sku_id":1}]"#)
        }
        #expect(throws: TOPError.invalidArguments("subtotal_request.item_list")) { try Self.request(#"[1,2]"#) }
        #expect(throws: TOPError.invalidArguments("subtotal_request.item_list")) { try Self.request(#""x""#) }
        #expect(throws: TOPError.missingRequiredArguments("subtotal_request.item_list")) { try Self.request("[]") }
        #expect(throws: TOPError.missingRequiredArguments("subtotal_request.item_list")) { try Self.request("null") }
        let tooMany = "[" + Array(repeating: #"{"item_id":1}"#, count: 2000).joined(separator: ",") + "]"
        #expect(throws: TOPError.outOfRange("subtotal_request.item_list", must: "at most 200 entries, not 1001")) { try Self.request(tooMany) }
    }

    @Test func aBasketIsPricedLessPromotionsThenCoupons() throws {
        // 3 × 200 = 600 less 3 × 50; 1.5 kg × 1280 = 1920 less 1.5 × 281 = 421.5 → 422 (half up); 350.
        let basket = try Self.request(#"[{"item_id":1,"buy_quantity":3},{"item_id":2,"inv_quantity":"1.5"},{"item_id":3,"sku_id":7}]"#)
        let priced = try BasketPricing.price(basket, in: Self.store).get()
        #expect(priced.lines.map(\.totalFen) == [600, 1920, 350] && priced.lines.map(\.discountFen) == [150, 421, 0])
        #expect(priced.totalFen == 2870 && priced.promotionFen == 571 && priced.actualFen.value == 2299)
        // 0.001 kg × 1280 = 1.28 → 1 fen; 0.0005 is refused as it is read.
        let gram = try BasketPricing.price(try Self.request(#"[{"item_id":2,"inv_quantity":"0.001"}]"#), in: Self.store).get()
        #expect(gram.totalFen == 1)
    }

    @Test func couponsNeedTheirMinimumAndTakeNoMoreThanIsLeft() throws {
        let small = try Self.request(#"[{"item_id":1}]"#, assets: #"[{"code":"OFF5"}]"#)
        #expect(throws: BasketPricingFailure.couponBelowMinimum(code: "OFF5", minimumFen: Fen(5000)!, basketFen: 150)) {
            try BasketPricing.price(small, in: Self.store).get()
        }
        let capped = try BasketPricing.price(try Self.request(#"[{"item_id":1}]"#, assets: #"[{"code":"BIG"},{"code":"BIG"}]"#), in: Self.store).get()
        #expect(capped.couponFen == 150 && capped.actualFen == .zero && capped.couponCodes == ["BIG"])
        #expect(throws: BasketPricingFailure.unknownCoupon("NOPE")) {
            try BasketPricing.price(try Self.request(#"[{"item_id":1}]"#, assets: #"[{"code":"NOPE"}]"#), in: Self.store).get()
        }
        #expect(throws: BasketPricingFailure.unknownItem(itemID: 3, skuID: 8, line: 0)) {
            try BasketPricing.price(try Self.request(#"[{"item_id":3,"sku_id":8}]"#), in: Self.store).get()
        }
        #expect(throws: BasketPricingFailure.weightOfCountedItem(itemID: 1, line: 0)) {
            try BasketPricing.price(try Self.request(#"[{"item_id":1,"inv_quantity":"1"}]"#), in: Self.store).get()
        }
    }

    @Test func theLargestBasketStaysInsideItsBoundsAndIsRefusedPastTheCheckoutsTotal() throws {
        let dear = Store(shopID: 1, items: [StoreItem(itemID: 1, title: "gold", priceFen: Fen(Fen.maximum)!, codes: ["G"])])
        let lines = "[" + Array(repeating: #"{"item_id":1,"buy_quantity":9999}"#, count: 200).joined(separator: ",") + "]"
        let result = BasketPricing.price(try Self.request(lines), in: dear)
        // 200 × 9999 × 10^10 ≈ 2 × 10^16: summed without overflow, then refused as a checkout total.
        #expect(throws: BasketPricingFailure.tooLarge(19_998_000_000_000_000)) { try result.get() }
    }
}
