import TopMockProtocol
import TopMockYAML

/// What one scenario file declares, before it is merged with the others.
struct ScenarioFileContents {
    var name: String
    var description: String?
    var apps: [(appKey: String, credentials: AppCredentials, mark: YAMLMark)] = []
    var actions: [(action: PaymentAction, mark: YAMLMark)] = []
}

/// Turns one file's YAML into declarations, reporting every problem it finds (not just the first).
///
/// The format (docs/scenarios.md):
/// ```yaml
/// name: cash
/// description: …
/// apps: [{app_key: "12345678", secret: helloworld}]
/// shops:
///   - shop_id: 124
///     payment_orders:
///       - id: PO-1
///         total_fen: 1000
///         actions:
///           - {request_id: cash-1, buyer_id: 123, channel: cash, amount_fen: 1000, status: SUCCESS}
/// ```
enum ScenarioCompiler {
    static let fileKeys = ["name", "description", "apps", "shops"]
    static let appKeys = ["app_key", "secret", "sessions"]
    static let shopKeys = ["shop_id", "name", "payment_orders"]
    static let orderKeys = ["id", "total_fen", "actions"]
    static let actionKeys = [
        "request_id", "buyer_id", "channel", "amount_fen", "status", "result_code", "result_message", "success", "result",
    ]
    static let resultKeys = ["success", "msg_code", "msg_info"]

    static func compile(_ root: YAMLNode, defaultName: String, sink: DiagnosticSink) -> ScenarioFileContents {
        var contents = ScenarioFileContents(name: defaultName)
        guard let file = MappingReader(root, what: "a scenario file", allowedKeys: fileKeys, sink: sink) else { return contents }
        contents.name = file.string("name") ?? defaultName
        contents.description = file.string("description")

        for node in file.list("apps") ?? [] {
            guard let app = MappingReader(node, what: "an app", allowedKeys: appKeys, sink: sink) else { continue }
            let key = app.string("app_key", required: true)
            let secret = app.string("secret", required: true)
            var sessions: Set<String>?
            if let list = app.list("sessions") {
                sessions = []
                for item in list {
                    guard let session = item.scalar, item.mapping == nil, item.sequence == nil, !item.isNull, !session.isEmpty else {
                        sink.error("sessions of an app must be non-empty strings, found \(item.kindDescription)", at: item.mark)
                        continue
                    }
                    sessions?.insert(session)
                }
            }
            if let key, let secret {
                if key.isEmpty { sink.error("app_key must not be empty", at: node.mark); continue }
                contents.apps.append((appKey: key, credentials: AppCredentials(secret: secret, sessions: sessions), mark: node.mark))
            }
        }

        for shopNode in file.list("shops") ?? [] {
            guard let shop = MappingReader(shopNode, what: "a shop", allowedKeys: shopKeys, sink: sink) else { continue }
            _ = shop.string("name")
            let shopID = shop.integer("shop_id", required: true, minimum: 0)
            for orderNode in shop.list("payment_orders", required: true) ?? [] {
                guard let order = MappingReader(orderNode, what: "a payment order", allowedKeys: orderKeys, sink: sink) else { continue }
                let orderID = order.string("id")
                let total = order.integer("total_fen", minimum: 0)
                let actionNodes = order.list("actions", required: true) ?? []
                if actionNodes.isEmpty, order.value("actions") != nil {
                    sink.error("a payment order needs at least one action", at: orderNode.mark)
                }
                var legs: [Int64] = []
                var allLegsHaveAmounts = true
                for actionNode in actionNodes {
                    guard let action = compileAction(actionNode, shopID: shopID, orderID: orderID, sink: sink) else {
                        allLegsHaveAmounts = false
                        continue
                    }
                    if let amount = action.amountFen { legs.append(amount) } else { allLegsHaveAmounts = false }
                    contents.actions.append((action: action, mark: actionNode.mark))
                }
                if let total, let totalNode = order.value("total_fen") {
                    let sum = legs.reduce(0, +)
                    if !allLegsHaveAmounts {
                        sink.error("total_fen is \(total) but not every action gives amount_fen", at: totalNode.mark)
                    } else if sum != total {
                        let parts = legs.map(String.init).joined(separator: " + ")
                        sink.error("the actions' amount_fen add up to \(sum) (\(parts)), not total_fen \(total)", at: totalNode.mark)
                    }
                }
            }
        }
        return contents
    }

    private static func compileAction(_ node: YAMLNode, shopID: Int64?, orderID: String?, sink: DiagnosticSink) -> PaymentAction? {
        guard let reader = MappingReader(node, what: "a payment action", allowedKeys: actionKeys, sink: sink) else { return nil }
        let requestID = reader.string("request_id", required: true)
        let buyerID = reader.integer("buyer_id", required: true, minimum: 0)
        let channel = reader.string("channel", required: true)
        let amount = reader.integer("amount_fen", minimum: 0)
        let status = reader.string("status", required: true)
        let resultCode = reader.string("result_code")
        let resultMessage = reader.string("result_message")
        let modelSuccess = reader.bool("success") ?? true
        var resultSuccess = true
        var msgCode: String?
        var msgInfo: String?
        if let resultNode = reader.value("result"), !resultNode.isNull,
           let result = MappingReader(resultNode, what: "an action's result", allowedKeys: resultKeys, sink: sink) {
            resultSuccess = result.bool("success") ?? true
            msgCode = result.string("msg_code")
            msgInfo = result.string("msg_info")
        }
        if requestID?.isEmpty == true, let mark = reader.value("request_id")?.mark {
            sink.error("request_id must not be empty", at: mark)
            return nil
        }
        guard let shopID, let requestID, let buyerID, let channel, let status else { return nil }
        return PaymentAction(
            key: ActionKey(shopID: shopID, requestID: requestID), buyerID: buyerID, paymentOrderID: orderID,
            channel: channel, amountFen: amount, status: PaymentStatus(rawValue: status), resultCode: resultCode,
            resultMessage: resultMessage, modelSuccess: modelSuccess, resultSuccess: resultSuccess,
            msgCode: msgCode, msgInfo: msgInfo, source: sink.location(node.mark))
    }
}
