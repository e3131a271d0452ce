public import TopMockProtocol

/// Decides what an `order.pay` call's new action becomes, chosen by the call's `pay_channel`,
/// `payment_channel`, `channel_account` (and `pay_fee`, `buyer_id`, `shop_id`): of the profiles
/// one of whose alternatives holds, the most specific wins (``Specificity``), then the first in
/// load order.
///
/// Never changed once compiled, so a class: `order.pay` tries the profiles in turn on every call,
/// and each one it looks at is one reference, not a copy of its conditions and shape.
public final class ChannelProfile: Sendable {
    public let name: String
    /// Alternatives: the profile applies when every condition of one of them holds.
    public let alternatives: [[Condition]]
    /// Each alternative's ``Specificity``, in the same order: made once, as the profile is compiled.
    private let specificities: [Specificity]
    public let shape: ActionShape
    public let source: SourceLocation
    /// Cash: a payment over what the checkout has left is taken, the action counting what was
    /// left and handing the rest back as change (`gives_change: true`; `bill.get`'s `change_fee`).
    public let givesChange: Bool

    public init(name: String, alternatives: [[Condition]], shape: ActionShape, source: SourceLocation, givesChange: Bool = false) {
        self.name = name
        self.givesChange = givesChange
        self.alternatives = alternatives
        self.specificities = alternatives.map { conditions in
            Specificity(conditions: conditions.count, firstField: conditions.map(\.field.rank).min() ?? Field.allCases.count)
        }
        self.shape = shape
        self.source = source
    }

    /// What a profile's `when` may test: fields of `pay_request`, and `shop_id`, the one that says
    /// most about the payment first (a pay code names one buyer's account; `pay_channel` the
    /// documented channel; `payment_channel` a numeric code for it). The raw value is the YAML key.
    public enum Field: String, CaseIterable, Sendable {
        case channelAccount = "channel_account", payChannel = "pay_channel", paymentChannel = "payment_channel"
        case payFee = "pay_fee", buyerID = "buyer_id", shopID = "shop_id"

        /// The position in the order above (lower is more specific).
        var rank: Int { Self.allCases.firstIndex(of: self)! }

        /// The field's value in a call, as text a ``Matcher`` tests; nil when the call has none.
        func value(in request: OrderPayRequest) -> String? {
            switch self {
            case .payChannel: request.payChannel
            case .paymentChannel: request.paymentChannel
            case .channelAccount: request.channelAccount
            case .payFee: request.payFee?.description
            case .buyerID: request.buyerID.map { String($0) }
            case .shopID: String(request.shopID)
            }
        }
    }

    /// One test of an alternative: the field's value matches.
    public struct Condition: Sendable {
        public let field: Field
        public let matcher: Matcher

        public init(field: Field, matcher: Matcher) {
            self.field = field
            self.matcher = matcher
        }

        func holds(for request: OrderPayRequest) -> Bool { field.value(in: request).map(matcher.matches) ?? false }
    }

    /// The YAML keys of a profile's `when`, most specific first.
    public static var fields: [String] { Field.allCases.map(\.rawValue) }

    /// How specific a matching alternative is: more conditions win; with as many, the one testing
    /// the field earliest in ``Field`` wins. So `{pay_channel: cash}` beats
    /// `{payment_channel: "1006"}` for a call that sends both, and a profile without `when` loses
    /// to any other.
    public struct Specificity: Comparable, Sendable {
        let conditions: Int
        /// The ``Field/rank`` of the earliest field tested (lower is more specific).
        let firstField: Int

        public static func < (lhs: Specificity, rhs: Specificity) -> Bool {
            (lhs.conditions, -lhs.firstField) < (rhs.conditions, -rhs.firstField)
        }
    }

    /// The specificity of the most specific alternative that holds for `request`; nil when none does.
    public func specificity(for request: OrderPayRequest) -> Specificity? {
        var best: Specificity?
        for (conditions, specificity) in zip(alternatives, specificities)
        where best.map({ $0 < specificity }) ?? true
            && conditions.allSatisfy({ $0.holds(for: request) })
        {
            best = specificity
        }
        return best
    }

    /// The profile for a new action: the most specific that matches, the first in load order of
    /// those as specific; nil when none matches.
    public static func choose(among profiles: [ChannelProfile], for request: OrderPayRequest) -> ChannelProfile? {
        var chosen: (profile: ChannelProfile, specificity: Specificity)?
        for profile in profiles {
            guard let specificity = profile.specificity(for: request) else { continue }
            if chosen.map({ $0.specificity < specificity }) ?? true { chosen = (profile, specificity) }
        }
        return chosen?.profile
    }
}
