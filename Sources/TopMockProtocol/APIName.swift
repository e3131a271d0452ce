/// A TOP API method name such as `alibaba.pos.pay.action.query`.
public struct APIName: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    public static let posPayActionQuery = APIName(rawValue: "alibaba.pos.pay.action.query")

    /// The JSON/XML root key of a success response: a leading `taobao.` stripped, dots turned into
    /// underscores, `_response` appended (`alibaba_pos_pay_action_query_response`).
    public var responseKey: String {
        let base = rawValue.hasPrefix("taobao.") ? String(rawValue.dropFirst("taobao.".count)) : rawValue
        return base.replacing(".", with: "_") + "_response"
    }

    public var description: String { rawValue }
}
