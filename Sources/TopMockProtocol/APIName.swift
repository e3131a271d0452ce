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
        let start = bytes.count
        rawValue.withUTF8Buffer { name in
            let prefix = "taobao.".utf8
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: name[(name.starts(with: prefix) ? prefix.count : 0)...]))
        }
        // The name's dots, now in the answer, become underscores there.
        bytes.withUnsafeMutableBufferPointer { written in
            for index in start..<written.count where written[index] == UInt8(ascii: ".") { written[index] = UInt8(ascii: "_") }
        }
        bytes.append(contentsOf: "_response".utf8)
    }

    public var description: String { rawValue }
}
