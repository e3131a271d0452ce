import Testing
import TopMockProtocol

@Suite struct PaymentActionQueryTests {
    func parse(_ pairs: [(String, String)]) -> Result<PaymentActionQuery, TOPError> {
        Result { () throws(TOPError) -> PaymentActionQuery in try PaymentActionQuery(parameters: TOPParameters(pairs)) }
    }

    func message(_ pairs: [(String, String)]) -> String? {
        if case .failure(let error) = parse(pairs) { return "\(error.code) \(error.msg)" }
        return nil
    }

    @Test func parsesJavaSDKJSON() throws {
        let query = try parse([("shop_id", "124"), ("payment_action_request", #"{"buyer_id":123,"request_id":"123"}"#)]).get()
        #expect(query == PaymentActionQuery(shopID: 124, requestID: "123", buyerID: 123))
    }

    @Test func acceptsNumericRequestIDAndStringBuyerID() throws {
        let query = try parse([("shop_id", "124"), ("payment_action_request", #"{"buyer_id":"77","request_id":5,"extra":[1]}"#)]).get()
        #expect(query == PaymentActionQuery(shopID: 124, requestID: "5", buyerID: 77))
    }

    static let badCases: [([(String, String)], String)] = [
        ([("payment_action_request", "{}")], "40 Missing required arguments:shop_id"),
        ([("shop_id", "12a"), ("payment_action_request", "{}")], "41 Invalid arguments:shop_id"),
        ([("shop_id", "-1"), ("payment_action_request", "{}")], "41 Invalid arguments:shop_id"),
        ([("shop_id", "1.5"), ("payment_action_request", "{}")], "41 Invalid arguments:shop_id"),
        ([("shop_id", "99999999999999999999"), ("payment_action_request", "{}")], "41 Invalid arguments:shop_id"),
        ([("shop_id", "124")], "40 Missing required arguments:payment_action_request"),
        ([("shop_id", "124"), ("payment_action_request", "not json")], "41 Invalid arguments:payment_action_request"),
        ([("shop_id", "124"), ("payment_action_request", "[1,2]")], "41 Invalid arguments:payment_action_request"),
        ([("shop_id", "124"), ("payment_action_request", #"{"buyer_id":1}"#)], "40 Missing required arguments:payment_action_request.request_id"),
        (
            [("shop_id", "124"), ("payment_action_request", #"{"request_id":"a","buyer_id":null}"#)],
            "40 Missing required arguments:payment_action_request.buyer_id"
        ),
        (
            [("shop_id", "124"), ("payment_action_request", #"{"request_id":{},"buyer_id":1}"#)],
            "41 Invalid arguments:payment_action_request.request_id"
        ),
        (
            [("shop_id", "124"), ("payment_action_request", #"{"request_id":"a","buyer_id":1.5}"#)],
            "41 Invalid arguments:payment_action_request.buyer_id"
        ),
        (
            [("shop_id", "124"), ("payment_action_request", #"{"request_id":"a","buyer_id":123456789012345678901234}"#)],
            "41 Invalid arguments:payment_action_request.buyer_id"
        ),
    ]

    @Test(arguments: badCases)
    func rejectsBadBusinessParameters(pairs: [(String, String)], expected: String) {
        #expect(message(pairs) == expected)
    }

    @Test func deeplyNestedJSONIsRejectedNotCrashed() {
        let nested = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(message([("shop_id", "124"), ("payment_action_request", nested)]) == "41 Invalid arguments:payment_action_request")
    }
}
