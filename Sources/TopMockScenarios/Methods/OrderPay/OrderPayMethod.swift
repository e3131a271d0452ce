public import TopMockProtocol

/// `alibaba.pos.order.pay` (pos线下交易支付): pays part or all of a checkout with one payment action,
/// keyed by `pay_request.request_id`, TOP's idempotency key. The first call of a `request_id`
/// creates the action under its checkout, shaped by the most specific channel profile that matches; a
/// repeat with the same payload answers exactly as the first (nothing created), a repeat with
/// another payload is a business failure. The engine's lock makes concurrent identical calls
/// create one action.
enum OrderPayMethod: TOPMethod {
    static let api = APIName(rawValue: "alibaba.pos.order.pay")
    static let requestParameter: String? = "pay_request"
    static let outcomes: [CallOutcome] = [.created, .replayed, .conflict, .buyerMismatch, .businessFailure]
    /// The scanned pay code or card number, and the buyer's account.
    static let secretFields: [StaticString] = ["channel_account", "alipay_account"]

    /// Per namespace: the payload each `request_id` was first paid with (its action is in the
    /// namespace's `created` under the same key, and its first answer follows from that action).
    struct State: MethodState {
        var payloads: [ActionKey: OrderPayRequest.Payload] = [:]
    }

    /// topmock's business codes for order.pay's failures (the real API's are undocumented).
    public static let conflictCode = "REQUEST_ID_CONFLICT"
    public static let exceedsTotalCode = "PAY_FEE_EXCEEDS_TOTAL"
    public static let alreadyPaidCode = "CHECKOUT_ALREADY_PAID"
    public static let noProfileCode = "PAY_CHANNEL_NOT_SUPPORTED"

    static func parse(_ parameters: TOPParameters) throws(TOPError) -> OrderPayRequest {
        try OrderPayRequest(parameters: parameters)
    }

    static func answer(_ pay: OrderPayRequest, context: MethodContext, namespace: inout NamespaceState, state: inout State) -> MethodAnswer {
        let key = ActionKey(shopID: pay.shopID, requestID: pay.requestID)
        if let payload = state.payloads[key], let created = namespace.created[key] {
            guard payload == pay.payload else {
                return MethodAnswer.failure(
                    .conflict, code: conflictCode,
                    info: "request_id '\(pay.requestID)' was paid before with another pay_request; a retry must send the same one "
                        + "(first: \(payload.shown(through: ServedMethods.redaction)); now: \(pay.payload.shown(through: ServedMethods.redaction)))")
            }
            // The first answer again: it follows from the action as created (its initial result).
            return answer(created, payFee: created.amountFen, result: created.initial, outcome: .replayed)
        }
        if let existing = namespace.action(key, in: context.set) {
            // A scenario's (or a template's) action stands for a payment already made with this id.
            return answer(existing, payFee: existing.amountFen, result: namespace.current(existing), outcome: .replayed)
        }
        let checkoutKey = CheckoutKey(shopID: pay.shopID, checkoutID: pay.checkoutID)
        let checkout = namespace.checkout(checkoutKey, in: context.set)
        let profile = ChannelProfile.choose(among: context.set.channelProfiles, for: pay)
        var amount = pay.payFee
        var change: Fen?
        if let checkout {
            switch refusal(pay, checkout: checkout, namespace: namespace, givesChange: profile?.givesChange ?? false) {
            case .refused(let answer): return answer
            case .takesWithChange(let counted, let handedBack): (amount, change) = (counted, handedBack)
            case .takes: break
            }
        }
        guard let profile else {
            return MethodAnswer.failure(
                .businessFailure, code: noProfileCode,
                info: "no channel profile matches pay_channel \(shown(pay.payChannel)), payment_channel \(shown(pay.paymentChannel)); "
                    + "add one under channel_profiles (docs/scenarios.md)")
        }
        let action = profile.shape.action(
            key: key, buyerID: pay.buyerID ?? checkout?.owner, paymentOrderID: pay.checkoutID,
            amountFen: amount, changeFen: change, source: profile.source)
        guard namespace.create(action, checkout: checkoutKey, limits: context.limits) else {
            return .createdActionsLimitReached(context.limits)
        }
        state.payloads[key] = pay.payload
        return answer(action, payFee: amount, result: action.initial, outcome: .created)
    }

    /// Whether the checkout takes the payment.
    private enum Admission {
        case takes
        /// Cash over what is left: the action counts what was left, the rest is change.
        case takesWithChange(counted: Fen, change: Fen)
        case refused(MethodAnswer)
    }

    /// Why the checkout cannot take this payment: another buyer's, already paid, or over its total
    /// (unless the profile gives change).
    private static func refusal(_ pay: OrderPayRequest, checkout: CheckoutView, namespace: NamespaceState, givesChange: Bool) -> Admission {
        if let owner = checkout.owner, let buyer = pay.buyerID, owner != buyer {
            return .refused(
                MethodAnswer.failure(
                    .buyerMismatch, code: MethodAnswer.buyerMismatchCode,
                    info: "checkout '\(pay.checkoutID)' belongs to another buyer than \(buyer)"))
        }
        guard let total = checkout.totalFen else { return .takes }
        let results = checkout.actions.map { (action: $0, result: namespace.current($0)) }
        if CheckoutView.status(totalFen: total, results: results) == .paid {
            return .refused(MethodAnswer.failure(.businessFailure, code: alreadyPaidCode, info: "checkout '\(pay.checkoutID)' is paid already"))
        }
        // Compared as `fee > total - committed`: no sum is made, and `committed` may exceed the
        // total (a seed's amounts, or a total the admin API lowered).
        let committed = CheckoutView.committedFen(results)
        let fee = pay.payFee?.value ?? 0
        if committed < total.value, fee > total.value - committed, givesChange,
            let counted = Fen(total.value - committed), let change = Fen(fee - counted.value)
        {
            return .takesWithChange(counted: counted, change: change)
        }
        if committed > total.value || fee > total.value - committed {
            return .refused(
                MethodAnswer.failure(
                    .businessFailure, code: exceedsTotalCode,
                    info: "pay_fee \(fee) over what checkout '\(pay.checkoutID)' has left: total \(total), "
                        + "\(committed) paid or under way"))
        }
        return .takes
    }

    /// `result{model{payment_order_id, current_pay_fee, channel_name, action_status, result_code,
    /// result_message}, success}`; a first result that is a business failure answers as one (the
    /// action exists all the same, and queries see it).
    static func answer(_ action: PaymentAction, payFee: Fen?, result: ActionResult, outcome: CallOutcome) -> MethodAnswer {
        guard result.resultSuccess else {
            var answer = MethodAnswer.failure(
                outcome, code: result.msgCode ?? "PAY_FAILED", info: result.msgInfo ?? result.status.rawValue, source: action.source)
            answer.actionStatus = result.status
            return answer
        }
        let model = Model(action: action, payFee: payFee?.value ?? 0, result: result)
        return MethodAnswer.success(model, outcome: outcome, status: result.status, source: action.source)
    }

    /// The answer's `model`, written from the action and its first result.
    struct Model: ResponseFields {
        let action: PaymentAction
        let payFee: Int64
        let result: ActionResult

        func write(to writer: inout ResponseWriter) {
            writer.field("payment_order_id", action.paymentOrderID)
            writer.field("current_pay_fee", payFee)
            writer.field("channel_name", action.channel)
            writer.field("action_status", result.status.rawValue)
            writer.field("result_code", result.resultCode)
            writer.field("result_message", result.resultMessage)
        }
    }

    /// The action as the payment created it; a failure is topmock's own.
    static func recorded(_ answer: RecordedAnswer) -> RecordedObservation {
        guard let state = answer.actionState, let shop = answer.number("shop_id"), let id = answer.fields["pay_request.request_id"] else {
            return .derived
        }
        let action = RecordedAction(
            shopID: shop, requestID: id, buyerID: answer.number("pay_request.buyer_id"), checkoutID: answer.fields["pay_request.checkout_id"],
            amountFen: answer.number("pay_request.pay_fee").flatMap(Fen.init))
        return .actionCreated(action, state: state)
    }

    private static func shown(_ value: String?) -> String { value.map { "'\($0)'" } ?? "(none)" }
}

extension CallOutcome {
    /// `order.pay` repeated an earlier call's `request_id` with the same payload: the first answer
    /// again, nothing created.
    public static let replayed = CallOutcome(rawValue: "replayed")
    /// `order.pay` repeated a `request_id` with another payload (a business failure).
    public static let conflict = CallOutcome(rawValue: "conflict")
}

extension OrderPayRequest: MethodCall {
    public var matchRequestID: String? { requestID }
    public var matchBuyerID: Int64? { buyerID }
}

extension APIName {
    public static let posOrderPay = OrderPayMethod.api
}
