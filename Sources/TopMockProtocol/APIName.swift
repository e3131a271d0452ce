/// A TOP API method name such as `alibaba.pos.pay.action.query`.
public struct APIName: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    public static let posPayActionQuery = APIName(rawValue: "alibaba.pos.pay.action.query")

    /// The JSON/XML root key of a success response: a leading `taobao.` stripped, dots turned into
    /// underscores, `_response` appended (`alibaba_pos_pay_action_query_response`).
    public var responseKey: String {
        // Bytes: `replacing` goes through _StringProcessing and cost 3.5 % of a request's CPU.
        var bytes = Array(rawValue.utf8)
        if bytes.starts(with: "taobao.".utf8) { bytes.removeFirst("taobao.".utf8.count) }
        for index in bytes.indices where bytes[index] == UInt8(ascii: ".") { bytes[index] = UInt8(ascii: "_") }
        return String(decoding: bytes, as: UTF8.self) + "_response"
    }

    public var description: String { rawValue }
}
