import TopMockHTTP
import TopMockProtocol
import TopMockScenarios

/// The checkouts and payment actions of a namespace: its seeds and what `order.pay`, templates
/// and these routes made.
extension AdminContext {
    /// `GET /__admin/namespaces/{ns}/actions`: every action the namespace sees, seeded or created.
    func listActions(_ call: AdminCall) -> HTTPResponse {
        let namespace = call.segment("ns")
        var body = ResponseObject()
        body.append("namespace", .string(namespace))
        body.append("actions", .list(itemName: "action", engine.actions(namespace: namespace).map { .object(Self.describe($0, namespace: namespace)) }))
        return .json(body)
    }

    /// `GET /__admin/namespaces/{ns}/checkouts`.
    func listCheckouts(_ call: AdminCall) -> HTTPResponse {
        let namespace = call.segment("ns")
        var body = ResponseObject()
        body.append("namespace", .string(namespace))
        body.append("checkouts", .list(itemName: "checkout", engine.checkouts(namespace: namespace).map { .object(Self.describe($0, namespace: namespace)) }))
        return .json(body)
    }

    /// `GET /__admin/namespaces/{ns}/checkouts/{shop_id}/{checkout_id}`.
    func checkout(_ call: AdminCall) throws(AdminError) -> HTTPResponse {
        let namespace = call.segment("ns")
        guard let shopID = Int64(call.segment("shop_id")), shopID >= 0 else {
            throw .badParameter("shop_id '\(call.segment("shop_id"))' is not a whole number")
        }
        let key = CheckoutKey(shopID: shopID, checkoutID: call.segment("checkout_id"))
        guard let snapshot = engine.checkout(key, namespace: namespace) else {
            throw .unknownCheckout(shopID: call.segment("shop_id"), checkoutID: key.checkoutID)
        }
        return .json(Self.describe(snapshot, namespace: namespace))
    }

    struct CreateCheckoutBody: Decodable {
        var shopID: Int64
        var checkoutID: String
        var totalFen: Int64?
        var buyerID: Int64?

        enum CodingKeys: String, CodingKey {
            case shopID = "shop_id"
            case checkoutID = "checkout_id"
            case totalFen = "total_fen"
            case buyerID = "buyer_id"
        }
    }

    /// `POST /__admin/namespaces/{ns}/checkouts {"shop_id", "checkout_id", "total_fen"?, "buyer_id"?}`:
    /// 201 with a new checkout; 200 when it existed (an open one gets the total); 409 when it has
    /// another total or buyer.
    func createCheckout(_ call: AdminCall) throws(AdminError) -> HTTPResponse {
        let namespace = call.segment("ns")
        let body = try call.body(CreateCheckoutBody.self)
        guard body.shopID >= 0 else { throw .badParameter("shop_id must not be negative") }
        guard !body.checkoutID.isEmpty else { throw .badParameter("checkout_id must not be empty") }
        if let total = body.totalFen, total <= 0 { throw .badParameter("total_fen must be more than 0 (leave it out for an open checkout)") }
        let key = CheckoutKey(shopID: body.shopID, checkoutID: body.checkoutID)
        switch engine.createCheckout(key, totalFen: body.totalFen, buyerID: body.buyerID, namespace: namespace) {
        case .success(let made):
            return .json(Self.describe(made.snapshot, namespace: namespace), status: made.created ? 201 : 200)
        case .failure(.totalDiffers(let total)):
            throw .checkoutConflict("checkout '\(body.checkoutID)' in shop \(body.shopID) has total_fen \(total) already")
        case .failure(.buyerDiffers(let buyer)):
            throw .checkoutConflict("checkout '\(body.checkoutID)' in shop \(body.shopID) belongs to buyer \(buyer)")
        }
    }

    static func describe(_ snapshot: CheckoutSnapshot, namespace: String) -> ResponseObject {
        var body = ResponseObject()
        body.append("namespace", .string(namespace))
        body.append("shop_id", .integer(snapshot.checkout.key.shopID))
        body.append("checkout_id", .string(snapshot.checkout.key.checkoutID))
        body.append("buyer_id", snapshot.checkout.owner.map { .integer($0) })
        body.append("total_fen", snapshot.checkout.totalFen.map { .integer($0) })
        body.append("paid_fen", .integer(snapshot.paidFen))
        body.append("status", .string(snapshot.status.rawValue))
        body.append("checkout_status", .integer(snapshot.code))
        body.append("seeded", .bool(snapshot.checkout.isSeeded))
        body.append("actions", .list(itemName: "action", snapshot.actions.map { .object(describe($0, namespace: namespace)) }))
        return body
    }
}
