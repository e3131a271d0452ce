import TopMockProtocol

/// The method names these tests sign and envelope with (the served methods declare theirs in
/// TopMockScenarios, which this module's tests do not link).
extension APIName {
    static let posPayActionQuery = APIName(rawValue: "alibaba.pos.pay.action.query")
}

extension Redaction {
    /// order.pay's secret fields, as the served methods declare them (pinned in SecretsTests).
    static let testing = Redaction(fields: ["channel_account", "alipay_account"])
}
