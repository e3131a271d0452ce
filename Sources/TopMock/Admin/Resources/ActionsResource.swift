import TopMockHTTP
import TopMockProtocol
import TopMockScenarios

/// `/__admin/namespaces/{ns}/actions…`: a namespace's payment actions, seeded or created — list,
/// read, set a status, advance a timeline.
struct ActionsResource: Sendable {
    let engine: ScenarioEngine

    /// One action as a namespace sees it.
    struct Action: Encodable {
        var namespace: String
        var shopID: Int64
        var requestID: String
        var buyerID: Int64?
        var channel: String
        var status: String
        var resultCode: String?
        var resultMessage: String?
        var amountFen: Int64?
        var checkoutID: String?
        var step: Int
        var steps: Int
        var queries: Int
        var setByAdmin: Bool
        var created: Bool

        init(_ snapshot: ActionSnapshot, namespace: String) {
            self.namespace = namespace
            shopID = snapshot.action.key.shopID
            requestID = snapshot.action.key.requestID
            buyerID = snapshot.action.buyerID
            channel = snapshot.action.channel
            status = snapshot.current.status.rawValue
            resultCode = snapshot.current.resultCode
            resultMessage = snapshot.current.resultMessage
            amountFen = snapshot.action.amountFen?.value
            checkoutID = snapshot.action.paymentOrderID
            step = snapshot.step
            steps = snapshot.action.timeline.count
            queries = snapshot.queries
            setByAdmin = snapshot.isSetByAdmin
            created = snapshot.isCreated
        }

        enum CodingKeys: String, CodingKey {
            case namespace, channel, status, step, steps, queries, created
            case shopID = "shop_id"
            case requestID = "request_id"
            case buyerID = "buyer_id"
            case resultCode = "result_code"
            case resultMessage = "result_message"
            case amountFen = "amount_fen"
            case checkoutID = "checkout_id"
            case setByAdmin = "set_by_admin"
        }
    }

    struct Listing: Encodable {
        var namespace: String
        var actions: [Action]
    }

    /// Every action the namespace sees, seeded or created.
    func list(_ call: AdminCall) -> HTTPResponse {
        let namespace = call.segment("ns")
        return .json(Listing(namespace: namespace, actions: engine.actions(namespace: namespace).map { Action($0, namespace: namespace) }))
    }

    func read(_ call: AdminCall) throws(AdminError) -> HTTPResponse {
        let key = try Self.key(call)
        guard let snapshot = engine.snapshot(of: key, namespace: call.segment("ns")) else { throw Self.unknown(call) }
        return .json(Action(snapshot, namespace: call.segment("ns")))
    }

    struct StatusChange: Decodable {
        var status: String
        var resultCode: String?
        var resultMessage: String?

        enum CodingKeys: String, CodingKey {
            case status
            case resultCode = "result_code"
            case resultMessage = "result_message"
        }
    }

    func setStatus(_ call: AdminCall) throws(AdminError) -> HTTPResponse {
        let key = try Self.key(call)
        let change = try call.body(StatusChange.self)
        guard !change.status.isEmpty else { throw .badParameter("status must not be empty") }
        guard
            let snapshot = engine.setStatus(
                key, to: PaymentStatus(rawValue: change.status), resultCode: change.resultCode, resultMessage: change.resultMessage,
                namespace: call.segment("ns"))
        else { throw Self.unknown(call) }
        return .json(Action(snapshot, namespace: call.segment("ns")))
    }

    func advance(_ call: AdminCall) throws(AdminError) -> HTTPResponse {
        let key = try Self.key(call)
        let namespace = call.segment("ns")
        guard let before = engine.snapshot(of: key, namespace: namespace) else { throw Self.unknown(call) }
        guard engine.advance(key, namespace: namespace) != nil, let after = engine.snapshot(of: key, namespace: namespace) else {
            throw .badParameter("'\(key.requestID)' is at the last step of its timeline (\(before.step) of \(before.action.timeline.count))")
        }
        return .json(Action(after, namespace: namespace))
    }

    private static func key(_ call: AdminCall) throws(AdminError) -> ActionKey {
        ActionKey(shopID: try call.shopID(), requestID: call.segment("request_id"))
    }

    private static func unknown(_ call: AdminCall) -> AdminError {
        .unknownAction(shopID: call.segment("shop_id"), requestID: call.segment("request_id"))
    }
}
