/// A TOP API method name such as `alibaba.pos.pay.action.query`.
public struct APIName: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    public static let posPayActionQuery = APIName(rawValue: "alibaba.pos.pay.action.query")
    public static let posOrderPay = APIName(rawValue: "alibaba.pos.order.pay")
    public static let posPayStatusQuery = APIName(rawValue: "alibaba.pos.paystatus.query")

    /// The JSON/XML root key of a success response: a leading `taobao.` stripped, dots turned into
    /// underscores, `_response` appended (`alibaba_pos_pay_action_query_response`).
    public var responseKey: String {
        var key: [UInt8] = []
        appendResponseKey(to: &key)
        return String(decoding: key, as: UTF8.self)
    }

    /// Appends ``responseKey``'s bytes: the name without a leading `taobao.`, dots as
    /// underscores, then `_response` (what every answer's envelope starts with).
    public func appendResponseKey(to bytes: inout [UInt8]) {
        rawValue.withUTF8Buffer { name in
            let prefix = "taobao.".utf8
            let start = name.starts(with: prefix) ? prefix.count : 0
            for byte in name[start...] { bytes.append(byte == UInt8(ascii: ".") ? UInt8(ascii: "_") : byte) }
        }
        bytes.append(contentsOf: "_response".utf8)
    }

    public var description: String { rawValue }
}
