/// The status of a payment action (`action_status`): an open set, since real values are not
/// documented (top-protocol.md §7.1). Scenarios may use any string.
public struct PaymentStatus: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let paying = PaymentStatus(rawValue: "PAYING")
    public static let success = PaymentStatus(rawValue: "SUCCESS")
    public static let failed = PaymentStatus(rawValue: "FAILED")
    public static let closed = PaymentStatus(rawValue: "CLOSED")

    public var description: String { rawValue }
}

/// Where a payment action is found: shop and request id (what the query names).
public struct ActionKey: Hashable, Sendable, CustomStringConvertible {
    public var shopID: Int64
    public var requestID: String

    public init(shopID: Int64, requestID: String) {
        self.shopID = shopID
        self.requestID = requestID
    }

    public var description: String { "shop \(shopID), request_id '\(requestID)'" }
}

/// One way a payment order is paid (cash ¥10, Alipay ¥10 …): what the API queries.
public struct PaymentAction: Sendable, Equatable {
    public var key: ActionKey
    public var buyerID: Int64
    public var paymentOrderID: String?
    /// Emitted as `channel_name`, exactly as configured (cash, alipay, wechat, …).
    public var channel: String
    public var amountFen: Int64?
    public var status: PaymentStatus
    public var resultCode: String?
    public var resultMessage: String?
    /// `model.success`: whether the query itself succeeded.
    public var modelSuccess: Bool
    /// The `result` level: `success`, `msg_code`, `msg_info`. When `resultSuccess` is false the
    /// answer is a business failure and carries no `model`.
    public var resultSuccess: Bool
    public var msgCode: String?
    public var msgInfo: String?
    /// Where the action was declared, for diagnostics.
    public var source: SourceLocation

    public init(
        key: ActionKey, buyerID: Int64, paymentOrderID: String? = nil, channel: String, amountFen: Int64? = nil,
        status: PaymentStatus, resultCode: String? = nil, resultMessage: String? = nil, modelSuccess: Bool = true,
        resultSuccess: Bool = true, msgCode: String? = nil, msgInfo: String? = nil,
        source: SourceLocation = SourceLocation(path: "", line: 0, column: 0)
    ) {
        self.key = key
        self.buyerID = buyerID
        self.paymentOrderID = paymentOrderID
        self.channel = channel
        self.amountFen = amountFen
        self.status = status
        self.resultCode = resultCode
        self.resultMessage = resultMessage
        self.modelSuccess = modelSuccess
        self.resultSuccess = resultSuccess
        self.msgCode = msgCode
        self.msgInfo = msgInfo
        self.source = source
    }
}

/// A file position: `path:line:col`.
public struct SourceLocation: Sendable, Equatable, Hashable, CustomStringConvertible {
    public var path: String
    public var line: Int
    public var column: Int

    public init(path: String, line: Int, column: Int) {
        self.path = path
        self.line = line
        self.column = column
    }

    public var description: String { "\(path):\(line):\(column)" }
}
