public import TopMockProtocol

/// A served method's answer: the `result` fields (the envelope adds `request_id`), how the call
/// ended, and what it concerned.
public struct MethodAnswer: Sendable, Equatable {
    /// The fields, written straight into the envelope (``ResponseFields``).
    public var body: any ResponseFields
    public var outcome: CallOutcome
    /// Whether `result.success` in ``body`` is true (a business failure when false).
    public var isSuccess: Bool
    /// The payment action's status after the call, when it concerned one (metrics' `result`).
    public var actionStatus: PaymentStatus?
    /// The scenario file behind the answer (the action's, the profile's, the template's).
    public var source: SourceLocation?

    public init(
        body: some ResponseFields, outcome: CallOutcome, isSuccess: Bool, actionStatus: PaymentStatus? = nil, source: SourceLocation? = nil
    ) {
        self.body = body
        self.outcome = outcome
        self.isSuccess = isSuccess
        self.actionStatus = actionStatus
        self.source = source
    }

    /// The fields as a tree, for what reads them by name (tests).
    public var fields: ResponseObject { body.tree }

    public static func == (lhs: MethodAnswer, rhs: MethodAnswer) -> Bool {
        lhs.fields == rhs.fields && lhs.outcome == rhs.outcome && lhs.isSuccess == rhs.isSuccess && lhs.actionStatus == rhs.actionStatus
            && lhs.source == rhs.source
    }

    /// The `result` label of `topmock_requests_total`: the action's status, else `business_failure`
    /// for an answer with `success: false`, else the outcome.
    public var resultLabel: String {
        if let actionStatus, isSuccess { return actionStatus.rawValue }
        return isSuccess ? outcome.rawValue : "business_failure"
    }

    /// A business failure: `result{msg_code, msg_info, success: false}`.
    static func failure(_ outcome: CallOutcome, code: String, info: String, source: SourceLocation? = nil) -> MethodAnswer {
        MethodAnswer(body: BusinessFailure(code: code, info: info), outcome: outcome, isSuccess: false, source: source)
    }

    /// A success: `result{model, success: true}`.
    static func success(_ model: some ResponseFields, outcome: CallOutcome, status: PaymentStatus?, source: SourceLocation?) -> MethodAnswer {
        MethodAnswer(body: Success(model: model), outcome: outcome, isSuccess: true, actionStatus: status, source: source)
    }

    private struct Success<Model: ResponseFields>: ResponseFields {
        let model: Model

        func write(to writer: inout ResponseWriter) {
            writer.object("result") { result in
                result.object("model") { model.write(to: &$0) }
                result.field("success", true)
            }
        }
    }

    private struct BusinessFailure: ResponseFields {
        let code: String
        let info: String

        func write(to writer: inout ResponseWriter) {
            writer.object("result") { result in
                result.field("msg_code", code)
                result.field("msg_info", info)
                result.field("success", false)
            }
        }
    }
}

extension MethodAnswer {
    /// topmock's code for a call naming another buyer's action or checkout (the real API's is
    /// undocumented), whichever method it was.
    public static let buyerMismatchCode = "BUYER_ID_MISMATCH"
    /// The code once a namespace has created as many actions as ``EngineLimits`` allows.
    public static let createdActionsLimitCode = "CREATED_ACTIONS_LIMIT"

    /// The business failure of a call that would create an action past the namespace's cap.
    static func createdActionsLimitReached(_ limits: EngineLimits) -> MethodAnswer {
        .failure(
            .businessFailure, code: createdActionsLimitCode,
            info: "this namespace has created \(limits.maxCreatedActions) payment actions, the most --max-created-actions "
                + "(TOPMOCK_MAX_CREATED_ACTIONS) allows; POST /__admin/reset {\"namespace\": …} starts it afresh")
    }
}
