import TopMockProtocol

/// Which rules a call can possibly match, so the engine tests only those (in evaluation order).
///
/// Scenario files gate most rules on the `request_id` (`{request_id: {prefix: err-timeout-}}`,
/// `{request_id: flaky-0001}`), and every condition must hold; so a rule with an `equals` or
/// `prefix` condition on `request_id` can only match a call whose `request_id` starts with that
/// value's first byte. The index keeps those rules in one list per first byte and every other rule
/// in one list for all calls; a call's candidates are the two lists merged by position. With the
/// shipped scenarios a call tests 0–2 rules instead of 20, and a set of thousands of rules costs a
/// call only the rules that could fire.
struct RuleIndex {
    /// Positions (in the set's `rules`) of rules that no first byte rules out, ascending.
    private let everyCall: [Int]
    /// Positions of rules gated on a `request_id` starting with that byte, ascending.
    private let byFirstByte: [UInt8: [Int]]

    init(_ rules: [Rule]) {
        var everyCall: [Int] = []
        var byFirstByte: [UInt8: [Int]] = [:]
        for (position, rule) in rules.enumerated() {
            if let byte = Self.requiredFirstByte(of: rule) {
                byFirstByte[byte, default: []].append(position)
            } else {
                everyCall.append(position)
            }
        }
        self.everyCall = everyCall
        self.byFirstByte = byFirstByte
    }

    /// The positions to test for a call, ascending. A call with no `request_id` (a method
    /// without one: the sale's scans, subtotals and receipts) or an empty one tests only the rules
    /// no first byte rules out: a rule gated on a `request_id` that equals or starts with a
    /// non-empty value cannot match it.
    func candidates(for request: MatchableRequest) -> Candidates {
        guard let byte = request.requestID?.utf8.first else {
            return Candidates(first: everyCall, second: [])
        }
        return Candidates(first: everyCall, second: byFirstByte[byte] ?? [])
    }

    /// The first byte every matching call's `request_id` must have, if a condition fixes one.
    static func requiredFirstByte(of rule: Rule) -> UInt8? {
        for condition in rule.pattern.conditions where condition.field == .requestID {
            switch condition.matcher {
            case .equals(let value), .prefix(let value):
                if let byte = value.utf8.first { return byte }
            default:
                continue
            }
        }
        return nil
    }

    /// Two ascending position lists, merged.
    struct Candidates: Sequence, IteratorProtocol {
        private var first: ArraySlice<Int>
        private var second: ArraySlice<Int>

        init(first: [Int], second: [Int]) {
            self.first = first[...]
            self.second = second[...]
        }

        mutating func next() -> Int? {
            switch (first.first, second.first) {
            case (let a?, let b?): return a < b ? first.popFirst() : second.popFirst()
            case (_?, nil): return first.popFirst()
            case (nil, _?): return second.popFirst()
            case (nil, nil): return nil
            }
        }
    }
}
