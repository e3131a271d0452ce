public import TopMockProtocol

/// `alibaba.pos.pay.action.query` (支付动作查询): one payment action by `shop_id` +
/// `payment_action_request.request_id`, its timeline advanced by the query. An id nobody created
/// that an action template matches becomes a fresh action of this namespace on its first query.
enum PayActionQueryMethod: TOPMethod {
    static let api = APIName.posPayActionQuery
    static let requestParameter: String? = "payment_action_request"

    static func parse(_ parameters: TOPParameters) throws(TOPError) -> PaymentActionQuery {
        try PaymentActionQuery(parameters: parameters)
    }

    static func answer(_ query: PaymentActionQuery, context: MethodContext, space: inout NamespaceState) -> MethodAnswer {
        let key = ActionKey(shopID: query.shopID, requestID: query.requestID)
        var found = space.action(key, in: context.set)
        if found == nil, let template = context.set.templates.first(where: { $0.matches(key) }) {
            // A fresh action of this namespace for an id nobody created, within its cap.
            let action = template.shape.action(
                key: key, buyerID: query.buyerID, paymentOrderID: nil, amountFen: template.amountFen, source: template.source)
            guard space.create(action, checkout: nil, limits: context.limits) else { return OrderPayMethod.limitReached(context.limits) }
            found = action
        }
        guard let action = found else { return notFound(key) }
        if let owner = action.buyerID, owner != query.buyerID {
            return MethodAnswer.failure(
                .buyerMismatch, code: buyerMismatchCode,
                info: "payment action '\(key.requestID)' belongs to another buyer than \(query.buyerID)", source: action.source)
        }
        return answer(action, space.query(action, now: context.now))
    }

    /// topmock's own business codes for the two failures (the real API's are undocumented).
    public static let notFoundCode = "PAY_ACTION_NOT_FOUND"
    public static let buyerMismatchCode = "BUYER_ID_MISMATCH"

    static func notFound(_ key: ActionKey) -> MethodAnswer {
        MethodAnswer.failure(.notFound, code: notFoundCode, info: "no payment action with request_id '\(key.requestID)' in shop \(key.shopID)")
    }

    /// The answer for an action's result (docs/protocol.md, "Answers of alibaba.pos.pay.action.query"): `model` when the result succeeded,
    /// then `msg_code`, `msg_info`, `success`.
    static func answer(_ action: PaymentAction, _ state: ActionResult) -> MethodAnswer {
        var result = ResponseObject(capacity: 4)
        if state.resultSuccess {
            var model = ResponseObject(capacity: 5)
            model.append("result_code", state.resultCode.map(ResponseValue.string))
            model.append("result_message", state.resultMessage.map(ResponseValue.string))
            model.append("channel_name", .string(action.channel))
            model.append("action_status", .string(state.status.rawValue))
            model.append("success", .bool(state.modelSuccess))
            result.append("model", .object(model))
        }
        result.append("msg_code", state.msgCode.map(ResponseValue.string))
        result.append("msg_info", state.msgInfo.map(ResponseValue.string))
        result.append("success", .bool(state.resultSuccess))
        var fields = ResponseObject(capacity: 2)  // the envelope adds request_id
        fields.append("result", .object(result))
        return MethodAnswer(fields: fields, outcome: .found, isSuccess: state.resultSuccess, actionStatus: state.status, source: action.source)
    }
}

extension PaymentActionQuery: MethodCall {
    public var matchRequestID: String? { requestID }
    public var matchBuyerID: Int64? { buyerID }
}
