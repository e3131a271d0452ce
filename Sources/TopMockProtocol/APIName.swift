/// A TOP API method name such as `alibaba.pos.pay.action.query`.
public struct APIName: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    /// The JSON/XML root key of a success response: a leading `taobao.` stripped, dots turned into
    /// underscores, `_response` appended (`alibaba_pos_pay_action_query_response`). The envelope
    /// writes it in place (`ResponseWriter.writeResponseKey(of:)`).
    public var responseKey: String {
        var writer = ResponseWriter(target: .json(simplify: true))
        writer.writeResponseKey(of: self)
        return String(decoding: writer.bytes.array, as: UTF8.self)
    }

    public var description: String { rawValue }
}
