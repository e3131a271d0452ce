/// Numbers that come from outside — a TOP call, an admin call, a scenario file, the command line —
/// become one of these types at their door, and only then does arithmetic touch them. Each type
/// states its bound once; the doors refuse a value outside it with their own clear error (41 with
/// `isv.invalid-parameter` on `/router/rest`, 1006 on the admin API, a `path:line:col` diagnostic in
/// a scenario file). docs/robustness.md, "Numbers at their bounds", lists them with the sums they
/// keep in range.

/// An amount of money in fen (分): `order.pay`'s `pay_fee`, a checkout's `total_fen`, an action's
/// `amount_fen`.
///
/// Invariant: `0 ≤ value ≤ Fen.maximum` (¥100,000,000, Alipay's largest `total_amount`: above any
/// real checkout). A sum of amounts is made only by ``Fen/sum(_:)``, which stays exact for up to
/// 922 million amounts — more actions than a namespace can hold — and saturates past that, so no
/// sum the engine makes can overflow.
public struct Fen: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let value: Int64

    public static let maximum: Int64 = 10_000_000_000
    public static let range: ClosedRange<Int64> = 0...maximum
    public static let zero = Fen(unchecked: 0)

    /// nil when `value` is outside ``range``.
    public init?(_ value: Int64) {
        guard Self.range.contains(value) else { return nil }
        self.value = value
    }

    private init(unchecked value: Int64) { self.value = value }

    public static func < (lhs: Fen, rhs: Fen) -> Bool { lhs.value < rhs.value }

    public var description: String { String(value) }

    /// The sum of `amounts`, saturating at `Int64.max` (never reached while there are fewer than
    /// `Int64.max / Fen.maximum` amounts, and a saturated sum is still "more than any total").
    public static func sum(_ amounts: some Sequence<Fen>) -> Int64 {
        var total: Int64 = 0
        for amount in amounts {
            let (next, overflow) = total.addingReportingOverflow(amount.value)
            if overflow { return .max }
            total = next
        }
        return total
    }

    /// `"between 0 and 10000000000 fen"`: how every door's error states the bound (from `minimum`
    /// where the door asks for more than 0).
    public static func boundText(from minimum: Int64 = range.lowerBound) -> String { "between \(minimum) and \(maximum) fen" }
}

/// An instant of a namespace's clock, in milliseconds since 1970-01-01T00:00:00Z.
///
/// Invariant: the instant is one TOP's timestamp format (`yyyy-MM-dd HH:mm:ss`, GMT+8) can write:
/// 0001-01-01 00:00:00.000 to 9999-12-31 23:59:59.999 GMT+8. Any two instants therefore differ by
/// less than 2^49 ms, so their differences, and an instant plus a difference of two others, stay
/// far inside `Int64`.
public struct WallInstant: Hashable, Comparable, Sendable {
    public let millis: Int64

    /// 0001-01-01 00:00:00 GMT+8 and 9999-12-31 23:59:59.999 GMT+8.
    public static let range: ClosedRange<Int64> = (-62_135_596_800_000 - 28_800_000)...(253_402_300_799_999 - 28_800_000)
    /// How far apart two instants can be, in milliseconds (also the largest shift of a clock).
    public static let span: Int64 = range.upperBound - range.lowerBound

    /// nil when `millis` is outside ``range``.
    public init?(millis: Int64) {
        guard Self.range.contains(millis) else { return nil }
        self.millis = millis
    }

    /// The nearest instant in ``range``: what a clock shown or compared reads when real time plus a
    /// shift would pass an end.
    public init(clamping millis: Int64) {
        self.millis = Swift.min(Swift.max(millis, Self.range.lowerBound), Self.range.upperBound)
    }

    public static func < (lhs: WallInstant, rhs: WallInstant) -> Bool { lhs.millis < rhs.millis }

    /// `this instant + delta`, or nil when that leaves ``range`` (checked: `delta` may be any
    /// `Int64`).
    public func adding(millis delta: Int64) -> WallInstant? {
        let (sum, overflow) = millis.addingReportingOverflow(delta)
        return overflow ? nil : WallInstant(millis: sum)
    }

    /// How the admin API and its errors state the bound.
    public static let boundText = "between 0001-01-01 00:00:00 and 9999-12-31 23:59:59 GMT+8"
}

extension TOPError {
    /// 41 `Invalid arguments:<path>` with `isv.invalid-parameter` and what the bound is: a business
    /// field that is a number of the right form but outside its type's bound.
    public static func outOfRange(_ path: String, must: String) -> TOPError {
        invalidArguments(path).with(subCode: "isv.invalid-parameter", subMsg: "\(path) must be \(must)")
    }
}
