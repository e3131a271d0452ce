/// A TOP platform error as it goes out in `error_response`: `code`, `msg`, optional `sub_code` and
/// `sub_msg`. The standard ones are in `TOPError+Catalogue.swift`, the only place their codes live.
public struct TOPError: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: Int
    public var msg: String
    public var subCode: String?
    public var subMsg: String?

    public init(code: Int, msg: String, subCode: String? = nil, subMsg: String? = nil) {
        self.code = code
        self.msg = msg
        self.subCode = subCode
        self.subMsg = subMsg
    }

    public var description: String {
        var text = "\(code) \(msg)"
        if let subCode { text += " (\(subCode)" + (subMsg.map { ": \($0)" } ?? "") + ")" }
        return text
    }

    /// The same error with a sub-code and sub-message.
    public func with(subCode: String?, subMsg: String?) -> TOPError {
        TOPError(code: code, msg: msg, subCode: subCode, subMsg: subMsg)
    }
}
