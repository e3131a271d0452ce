public import TopMockProtocol

/// `alibaba.pos.pay.action.query` (支付动作查询): one payment action by `shop_id` +
/// `payment_action_request.request_id`, its timeline advanced by the query. An id nobody created
/// that an action template matches becomes a fresh action of this namespace on its first query.
enum PayActionQueryMethod: TOPMethod {
    static let api = APIName(rawValue: "alibaba.pos.pay.action.query")
    static let requestParameter: String? = "payment_action_request"
    static let outcomes: [CallOutcome] = [.found, .notFound, .buyerMismatch, .businessFailure]

    static func parse(_ parameters: TOPParameters) throws(TOPError) -> PaymentActionQuery {
        try PaymentActionQuery(parameters: parameters)
    }

    static func answer(
        _ query: PaymentActionQuery, context: MethodContext, namespace: inout NamespaceState, state _: inout NoMethodState
    ) -> MethodAnswer {
        let key = ActionKey(shopID: query.shopID, requestID: query.requestID)
        var found = namespace.action(key, in: context.set)
        if found == nil, let template = context.set.templates.first(where: { $0.matches(key) }) {
            // A fresh action of this namespace for an id nobody created, within its cap.
            let action = template.shape.action(
                key: key, buyerID: query.buyerID, paymentOrderID: nil, amountFen: template.amountFen, source: template.source)
            guard namespace.create(action, checkout: nil, limits: context.limits) else { return .createdActionsLimitReached(context.limits) }
            found = action
        }
        guard let action = found else { return notFound(key) }
        if let owner = action.buyerID, owner != query.buyerID {
            return MethodAnswer.failure(
                .buyerMismatch, code: MethodAnswer.buyerMismatchCode,
                info: "payment action '\(key.requestID)' belongs to another buyer than \(query.buyerID)", source: action.source)
        }
        return answer(action, namespace.query(action, now: context.now))
    }

    /// The nearest action by id, or whose the action is.
    static func nearMiss(_ query: PaymentActionQuery, in scope: NearMissScope) -> String? {
        let action = scope.namespace.action(ActionKey(shopID: query.shopID, requestID: query.requestID), in: scope.set)
        let limit = NearMissScope.comparedLimit
        return scope.explanation(
            of: "payment action", keyName: "request_id", id: query.requestID, shopID: query.shopID, buyerID: query.buyerID,
            ownedBy: action.map { $0.buyerID.map { String($0) } ?? "any" },
            among: [
                scope.set.actions.keys.prefix(limit).map { ($0.shopID, $0.requestID) },
                scope.namespace.created.keys.prefix(limit).map { ($0.shopID, $0.requestID) },
            ])
    }

    /// A successful answer shows the action's state at this query (a timeline step when it
    /// changed); a failure is topmock's own.
    static func recorded(_ answer: RecordedAnswer) -> RecordedObservation {
        guard let state = answer.actionState, let shop = answer.number("shop_id"),
            let id = answer.fields["payment_action_request.request_id"]
        else { return .derived }
        return .actionQueried(
            RecordedAction(shopID: shop, requestID: id, buyerID: answer.number("payment_action_request.buyer_id")), state: state)
    }

    /// topmock's own business code for an unknown action (the real API's is undocumented).
    public static let notFoundCode = "PAY_ACTION_NOT_FOUND"

    static func notFound(_ key: ActionKey) -> MethodAnswer {
        MethodAnswer.failure(.notFound, code: notFoundCode, info: "no payment action with request_id '\(key.requestID)' in shop \(key.shopID)")
    }

    /// The answer for an action's result (docs/protocol.md, "Answers of alibaba.pos.pay.action.query").
    static func answer(_ action: PaymentAction, _ state: ActionResult) -> MethodAnswer {
        MethodAnswer(
            body: Fields(channel: action.channel, state: state), outcome: .found, isSuccess: state.resultSuccess,
            actionStatus: state.status, source: action.source)
    }

    /// `result`: `model` when the result succeeded, then `msg_code`, `msg_info`, `success`;
    /// written from the action's result, with no tree built per call.
    struct Fields: ResponseFields {
        let channel: String
        let state: ActionResult

        func write(to writer: inout ResponseWriter) {
            writer.object("result") { result in
                if state.resultSuccess {
                    result.object("model") { model in
                        model.field("result_code", state.resultCode)
                        model.field("result_message", state.resultMessage)
                        model.field("channel_name", channel)
                        model.field("action_status", state.status.rawValue)
                        model.field("success", state.modelSuccess)
                    }
                }
                result.field("msg_code", state.msgCode)
                result.field("msg_info", state.msgInfo)
                result.field("success", state.resultSuccess)
            }
        }
    }
}

extension PaymentActionQuery: MethodCall {
    public var matchRequestID: String? { requestID }
    public var matchBuyerID: Int64? { buyerID }
}

extension APIName {
    public static let posPayActionQuery = PayActionQueryMethod.api
}
