import TopMockHTTP
import TopMockProtocol
import TopMockScenarios

/// `/__admin/namespaces/{ns}/checkouts…`: a namespace's checkouts — the seeds' payment orders with
/// an id, and what `order.pay` and these routes made. List, read, create (or give an open one its
/// total).
struct CheckoutsResource: Sendable {
    let engine: ScenarioEngine

    struct Checkout: Encodable {
        var namespace: String
        var shopID: Int64
        var checkoutID: String
        var buyerID: Int64?
        var totalFen: Int64?
        var paidFen: Int64
        /// `waiting`, `paid` or `failed`.
        var status: String
        /// `checkout_status` as `paystatus.query` answers it.
        var checkoutStatus: Int64
        var seeded: Bool
        var actions: [ActionsResource.Action]

        init(_ snapshot: CheckoutSnapshot, namespace: String) {
            self.namespace = namespace
            shopID = snapshot.checkout.key.shopID
            checkoutID = snapshot.checkout.key.checkoutID
            buyerID = snapshot.checkout.owner
            totalFen = snapshot.checkout.totalFen?.value
            paidFen = snapshot.paidFen
            status = snapshot.status.rawValue
            checkoutStatus = snapshot.code
            seeded = snapshot.checkout.isSeeded
            actions = snapshot.actions.map { ActionsResource.Action($0, namespace: namespace) }
        }

        enum CodingKeys: String, CodingKey {
            case namespace, status, seeded, actions
            case shopID = "shop_id"
            case checkoutID = "checkout_id"
            case buyerID = "buyer_id"
            case totalFen = "total_fen"
            case paidFen = "paid_fen"
            case checkoutStatus = "checkout_status"
        }
    }

    struct Listing: Encodable {
        var namespace: String
        var checkouts: [Checkout]
    }

    func list(_ call: AdminCall) -> HTTPResponse {
        let namespace = call.segment("ns")
        return .json(Listing(namespace: namespace, checkouts: engine.checkouts(namespace: namespace).map { Checkout($0, namespace: namespace) }))
    }

    func read(_ call: AdminCall) throws(AdminError) -> HTTPResponse {
        let namespace = call.segment("ns")
        let key = CheckoutKey(shopID: try call.shopID(), checkoutID: call.segment("checkout_id"))
        guard let snapshot = engine.checkout(key, namespace: namespace) else {
            throw .unknownCheckout(shopID: call.segment("shop_id"), checkoutID: key.checkoutID)
        }
        return .json(Checkout(snapshot, namespace: namespace))
    }

    struct Creation: Decodable {
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

    /// `POST {"shop_id", "checkout_id", "total_fen"?, "buyer_id"?}`: 201 with a new checkout; 200
    /// when it existed (an open one gets the total); 409 when it has another total or buyer.
    func create(_ call: AdminCall) throws(AdminError) -> HTTPResponse {
        let namespace = call.segment("ns")
        let body = try call.body(Creation.self)
        guard body.shopID >= 0 else { throw .badParameter("shop_id must not be negative") }
        guard !body.checkoutID.isEmpty else { throw .badParameter("checkout_id must not be empty") }
        if let buyer = body.buyerID, buyer < 0 { throw .badParameter("buyer_id must not be negative") }
        var total: Fen?
        if let value = body.totalFen {
            guard value > 0, let amount = Fen(value) else {
                throw .badParameter("total_fen must be \(Fen.boundText(from: 1)), not \(value) (leave it out for an open checkout)")
            }
            total = amount
        }
        let key = CheckoutKey(shopID: body.shopID, checkoutID: body.checkoutID)
        switch engine.createCheckout(key, totalFen: total, buyerID: body.buyerID, namespace: namespace) {
        case .success(let made):
            return .json(Checkout(made.snapshot, namespace: namespace), status: made.created ? 201 : 200)
        case .failure(.totalDiffers(let total)):
            throw .checkoutConflict("checkout '\(body.checkoutID)' in shop \(body.shopID) has total_fen \(total) already")
        case .failure(.buyerDiffers(let buyer)):
            throw .checkoutConflict("checkout '\(body.checkoutID)' in shop \(body.shopID) belongs to buyer \(buyer)")
        }
    }
}
