public import TopMockProtocol

/// `alibaba.pos.pay.account.ack` (POS支付信息确认): a card or account checked against the store's
/// accounts, by `channel_name` and `channel_account`. Known accounts answer their balance, status
/// and validity window (`is_valid` false outside it or when the account is not usable); an unknown
/// one is a business failure. Reads only; `channel_account` is masked wherever a call is shown.
enum PayAccountAckMethod: TOPMethod {
    static let api = APIName(rawValue: "alibaba.pos.pay.account.ack")
    static let requestParameter: String? = nil
    static let outcomes: [CallOutcome] = [.found, .notFound]
    static let secretFields: [StaticString] = ["channel_account"]

    public static let accountNotFoundCode = "ACCOUNT_NOT_FOUND"

    static func parse(_ parameters: TOPParameters) throws(TOPError) -> PayAccountAckRequest {
        try PayAccountAckRequest(parameters: parameters)
    }

    static func answer(
        _ request: PayAccountAckRequest, context: MethodContext, namespace: inout NamespaceState, state _: inout NoMethodState
    ) -> MethodAnswer {
        guard let store = namespace.store.store(request.storeID, in: context.set) else { return .storeNotFound(request.storeID) }
        guard let account = store.account(channelName: request.channelName, channelAccount: request.channelAccount) else {
            return MethodAnswer.failure(
                .notFound, code: accountNotFoundCode,
                info: "no \(request.channelName) account with that channel_account in store \(request.storeID)",
                source: store.source)
        }
        let model = Model(account: account, isValid: account.isValid(at: context.now))
        return MethodAnswer.success(model, outcome: .found, status: nil, source: store.source)
    }

    static func nearMiss(_ request: PayAccountAckRequest, in scope: NearMissScope) -> String? {
        guard let store = scope.store(request.storeID) else { return scope.noStore(request.storeID) }
        let channels = Set(store.accounts.map(\.channelName)).sorted()
        return "no \(request.channelName) account with that channel_account in store \(request.storeID); "
            + "\(store.accounts.count) accounts, channels: \(channels.isEmpty ? "none" : channels.joined(separator: ", "))"
    }

    static func recorded(_ answer: RecordedAnswer) -> RecordedObservation { .derived }

    /// `model`: the account as the store holds it, then `success`, `msg_code`, `msg_info` (the
    /// page lists them inside `model` too).
    struct Model: ResponseFields {
        let account: StoreAccount
        let isValid: Bool

        /// The account as a receipt shows a card: its last four characters, the rest `*` (the
        /// app knows the number it sent; the answer, kept by the journal, holds no more of it).
        static func shown(_ account: String) -> String {
            String(repeating: "*", count: max(0, account.count - 4)) + account.suffix(4)
        }

        func write(to writer: inout ResponseWriter) {
            writer.field("biz_codes", account.bizCodes)
            writer.field("result_code", isValid ? "SUCCESS" : "ACCOUNT_INVALID")
            writer.field("result_message", isValid ? "ok" : "the account is not valid now")
            writer.field("balance", account.balanceFen.value)
            writer.field("account_status", account.status)
            writer.field("start_time", account.validFrom.map { TimestampPolicy.format(epochMillis: $0) })
            writer.field("end_time", account.validUntil.map { TimestampPolicy.format(epochMillis: $0) })
            writer.field("is_valid", isValid)
            writer.field("account", Self.shown(account.channelAccount))
            writer.field("success", true)
            writer.field("msg_code", "")
            writer.field("msg_info", "")
        }
    }
}

extension PayAccountAckRequest: MethodCall {
    public var shopID: Int64 { storeID }
    public var matchRequestID: String? { nil }
    public var matchBuyerID: Int64? { payerID }
}
