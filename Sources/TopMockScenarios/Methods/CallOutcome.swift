/// How a call ended, for the journal, metrics and logs: one typed value instead of words compared
/// as strings. The raw value is the word they show. The gateway's own words and the ones several
/// methods share are here; a method declares its own beside it (`replayed`, say) and lists every
/// word it answers with in ``TOPMethod/outcomes``. ``ServedMethods/outcomes`` is the whole set:
/// the metrics docs and the admin API's description are pinned to it by tests.
public struct CallOutcome: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    public var description: String { rawValue }

    /// Refused by the gateway's checks (a TOP error before any scenario was asked).
    public static let rejected = CallOutcome(rawValue: "rejected")
    /// Answered by a stub.
    public static let stub = CallOutcome(rawValue: "stub")
    /// An error injected by a rule.
    public static let error = CallOutcome(rawValue: "error")
    /// A fault injected by a rule.
    public static let fault = CallOutcome(rawValue: "fault")
    /// A method neither served nor stubbed (code 22).
    public static let unknownMethod = CallOutcome(rawValue: "unknown_method")
    /// Forwarded to the upstream gateway and answered with what it said (`topmock record`).
    public static let proxied = CallOutcome(rawValue: "proxied")

    /// What the gateway itself ends calls with, whatever the method.
    public static let gateway: [CallOutcome] = [.rejected, .stub, .error, .fault, .unknownMethod, .proxied]

    // Words several methods answer with.

    /// A payment action or checkout answered.
    public static let found = CallOutcome(rawValue: "found")
    /// No payment action or checkout with that key (a business failure; what `--proxy-on-miss`
    /// forwards).
    public static let notFound = CallOutcome(rawValue: "not_found")
    /// The action or checkout belongs to another buyer (a business failure).
    public static let buyerMismatch = CallOutcome(rawValue: "buyer_mismatch")
    /// The call created a payment action: what the journal's `created=true` and verify count as a
    /// payment.
    public static let created = CallOutcome(rawValue: "created")
    /// Another business failure of a method (over-paying a checkout, no channel profile, the cap
    /// on created actions).
    public static let businessFailure = CallOutcome(rawValue: "business_failure")
}
