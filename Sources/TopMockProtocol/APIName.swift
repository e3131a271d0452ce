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
        // Every answer needs this key: the bytes go in one pass into the new string's storage,
        // with no intermediate string or array.
        func key(_ name: UnsafeBufferPointer<UInt8>) -> String {
            let start = name.starts(with: "taobao.".utf8) ? "taobao.".utf8.count : 0
            let suffix = "_response".utf8
            return String(unsafeUninitializedCapacity: name.count - start + suffix.count) { key in
                var end = 0
                for byte in name[start...] {
                    key[end] = byte == UInt8(ascii: ".") ? UInt8(ascii: "_") : byte
                    end += 1
                }
                for byte in suffix {
                    key[end] = byte
                    end += 1
                }
                return end
            }
        }
        return rawValue.withUTF8Buffer(key)
    }

    public var description: String { rawValue }
}
