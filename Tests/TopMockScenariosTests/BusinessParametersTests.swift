import Testing

@testable import TopMockProtocol
@testable import TopMockScenarios

/// Field paths, the new methods' business parameters, and pay-code masking.
@Suite struct BusinessParametersTests {
    @Test func fieldPathsLookIntoJSONParameters() {
        let paths = FieldPaths([
            .init(name: "shop_id", value: "124"),
            .init(name: "pay_request", value: #"{"pay_fee":1500,"ok":true,"n":1.5,"a":{"b":"c"},"l":[{"x":1}],"z":null}"#),
            .init(name: "plain", value: "{not json"),
        ])
        #expect(paths["shop_id"] == "124")
        #expect(paths["pay_request.pay_fee"] == "1500")
        #expect(paths["pay_request.ok"] == "true" && paths["pay_request.n"] == "1.5")
        #expect(paths["pay_request.a.b"] == "c" && paths["pay_request.l.0.x"] == "1")
        #expect(paths["pay_request.z"] == nil && paths["plain"] == "{not json")
    }

    @Test func orderPayReadsItsFieldsAndComparesPayloadsWhateverTheKeyOrder() throws {
        let one = try OrderPayRequest(
            parameters: TOPParameters([
                ("shop_id", "124"), ("pay_request", #"{"request_id":"r","checkout_id":"c","pay_fee":"1500","payment_channel":1006}"#),
            ]))
        let two = try OrderPayRequest(
            parameters: TOPParameters([
                ("shop_id", "124"), ("pay_request", #"{"payment_channel":1006, "pay_fee":"1500","checkout_id":"c","request_id":"r"}"#),
            ]))
        #expect(one.payFee?.value == 1500 && one.paymentChannel == "1006" && one.buyerID == nil)
        #expect(one.payload == two.payload)
        let other = try OrderPayRequest(
            parameters: TOPParameters([
                ("shop_id", "125"), ("pay_request", #"{"request_id":"r","checkout_id":"c","pay_fee":"1500","payment_channel":1006}"#),
            ]))
        #expect(other.payload != one.payload, "shop_id is part of the payload")
        #expect(one.payload.canonical == #"{"checkout_id":"c","pay_fee":"1500","payment_channel":1006,"request_id":"r","shop_id":124}"#)
        let costlier = OrderPayRequest.Payload(
            shopID: 124, payRequest: #"{"request_id":"r","checkout_id":"c","pay_fee":"1600","payment_channel":1006}"#)
        #expect(costlier != one.payload && costlier != two.payload)
        #expect(OrderPayRequest.Payload(shopID: 124, payRequest: one.payload.payRequest) == one.payload)
    }

    @Test(
        arguments: [
            ([("pay_request", #"{"request_id":"r","checkout_id":"c"}"#)], 40, "shop_id"),
            ([("shop_id", "x")], 41, "shop_id"),
            ([("shop_id", "1")], 40, "pay_request"),
            ([("shop_id", "1"), ("pay_request", "nope")], 41, "pay_request"),
            ([("shop_id", "1"), ("pay_request", #"{"request_id":"","checkout_id":"c"}"#)], 41, "pay_request.request_id"),
            ([("shop_id", "1"), ("pay_request", #"{"request_id":"r","checkout_id":null}"#)], 40, "pay_request.checkout_id"),
            ([("shop_id", "1"), ("pay_request", #"{"request_id":"r","checkout_id":"c","operator_id":[1]}"#)], 41, "pay_request.operator_id"),
            ([("shop_id", "1"), ("pay_request", #"{"request_id":"r","checkout_id":"c","pay_fee":1.5}"#)], 41, "pay_request.pay_fee"),
            ([("shop_id", "1"), ("pay_request", #"{"request_id":"r","checkout_id":"c","pay_fee":"-5"}"#)], 41, "pay_request.pay_fee"),
            ([("shop_id", "1"), ("pay_request", #"{"request_id":"r","checkout_id":"c","buyer_id":-5}"#)], 41, "pay_request.buyer_id"),
            ([("shop_id", "1"), ("pay_request", #"{"request_id":true,"checkout_id":"c"}"#)], 41, "pay_request.request_id"),
            ([("shop_id", "1"), ("pay_request", #"{"request_id":"r","checkout_id":"c","payment_channel":{}}"#)], 41, "pay_request.payment_channel"),
            ([("shop_id", "1"), ("pay_request", #"[{"request_id":"r","checkout_id":"c"}]"#)], 41, "pay_request"),
            ([("shop_id", "1"), ("pay_request", #"{"request_id":"r","checkout_id":"c""#)], 41, "pay_request"),
        ] as [([(String, String)], Int, String)])
    func orderPayErrorsNameThePath(parameters: [(String, String)], code: Int, path: String) {
        #expect(throws: code == 40 ? TOPError.missingRequiredArguments(path) : TOPError.invalidArguments(path)) {
            _ = try OrderPayRequest(parameters: TOPParameters(parameters))
        }
    }

    /// Each field is read whichever JSON type it comes in, as the Java gateway's converters do: a
    /// number for a string field, a numeric string for a number field; fields not listed are
    /// neither read nor checked, and null is absent.
    static let payRequestOfEveryType =
        #" {"request_id":42,"checkout_id":"c","pay_fee":"1500","buyer_id":"7","payment_channel":"1006","order_id":null,"#
        + #""attributes":{"x":[1,2]},"pay_channel":"cash"}"#

    @Test func orderPayReadsFieldsOfEitherType() throws {
        let pay = try OrderPayRequest(
            parameters: TOPParameters([
                ("shop_id", "124"),
                ("pay_request", Self.payRequestOfEveryType),
            ]))
        #expect(pay.requestID == "42" && pay.checkoutID == "c" && pay.payFee?.value == 1500 && pay.buyerID == 7)
        #expect(pay.paymentChannel == "1006" && pay.payChannel == "cash" && pay.orderID == nil)
        let numeric = try OrderPayRequest(
            parameters: TOPParameters([("shop_id", "124"), ("pay_request", #"{"request_id":"r","checkout_id":9,"payment_channel":1006}"#)]))
        #expect(numeric.checkoutID == "9" && numeric.paymentChannel == "1006" && numeric.payFee == nil)
        let query = try PaymentActionQuery(
            parameters: TOPParameters([("shop_id", "124"), ("payment_action_request", #"{"buyer_id":"123","request_id":7}"#)]))
        #expect(query == PaymentActionQuery(shopID: 124, requestID: "7", buyerID: 123))
    }

    @Test func payCodesAreMaskedWhereverTheySit() {
        let parameter = TOPParameters.Parameter(
            name: "pay_request", value: #"{"request_id":"r","channel_account":"281234","x":{"channel_account":"99"}}"#)
        #expect(ServedMethods.redaction.needsMasking(parameter, secret: "s"))
        let masked = ServedMethods.redaction.masked(parameter, secret: "s").value
        #expect(!masked.contains("281234") && !masked.contains("99") && masked.contains(#""request_id":"r""#))
        #expect(ServedMethods.redaction.masked(.init(name: "note", value: #"{"channel_account": broken"#), secret: "s").value == "***")
        #expect(!ServedMethods.redaction.needsMasking(.init(name: "payment_action_request", value: #"{"request_id":"r","buyer_id":1}"#), secret: "s"))
        // Only the whole key or a `\u` escape counts: a key cut short at the end, other escapes and
        // a last `\` do not.
        for text in [#"{"note":"channel_accoun"#, #"{"a":"\"c\\","b":"cc"}"#, #"{"a":"x\"#, "{c"] {
            #expect(!ServedMethods.redaction.needsMasking(.init(name: "pay_request", value: text), secret: "s"), "\(text)")
        }
        #expect(ServedMethods.redaction.needsMasking(.init(name: "pay_request", value: #"{"a":"\u0063"}"#), secret: "s"))
        #expect(ServedMethods.redaction.needsMasking(.init(name: "pay_request", value: #"{"channel_account"#), secret: "s"))
        // Leading blanks and escaped keys are the same JSON to the parser, so they are masked too.
        for text in [#" {"channel_account":"281234"}"#, #"{"channel\u005faccount":"281234"}"#] {
            #expect(!ServedMethods.redaction.masked(.init(name: "pay_request", value: text), secret: "s").value.contains("281234"), "\(text)")
        }
    }

    /// Every JSON kind comes back as its own case, whatever order the decoder tries them in (a
    /// number JSONDecoder reads as whole, like -2e3, is an integer).
    @Test func jsonValuesKeepTheirKinds() {
        let text = #"{"s":"x","digits":"15","i":15,"d":1.5,"e":-2e3,"b":true,"n":null,"a":[1,"y",false],"o":{"k":false}}"#
        #expect(
            JSONValue.object(parsing: text) == [
                "s": .string("x"), "digits": .string("15"), "i": .integer(15), "d": .number(1.5), "e": .integer(-2000), "b": .bool(true),
                "n": .null, "a": .array([.integer(1), .string("y"), .bool(false)]), "o": .object(["k": .bool(false)]),
            ])
        #expect(JSONValue.object(parsing: "[1]") == nil && JSONValue.object(parsing: "{broken") == nil)
    }
}
