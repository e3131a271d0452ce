import TopMockProtocol

/// Rule resolution: which rule fires for a call, and what that makes of the call's answer.
/// Rules are tried in priority order (``RuleIndex`` narrows them to the candidates); the first
/// whose pattern matches and whose counters say "fire" wins. Each matching rule tried counts the
/// call whether it fires or not, so `first`, `nth`, quotas and probabilities count every matching
/// call that no earlier rule took.
extension NamespaceState {
    /// The rule that fires for the call, with the quota error when it fires because a quota ran out.
    mutating func firingRule(
        for request: MatchableRequest, among candidates: RuleIndex.Candidates, in set: ScenarioSet, now: Int64
    ) -> (rule: Rule, quotaError: TOPError?)? {
        for position in candidates where set.rules[position].pattern.matches(request) {
            let rule = set.rules[position]
            let decision = rules[rule.fingerprint, default: RuleProgress(rule: rule)].decide(rule, now: now)
            if decision.fires { return (rule, decision.quotaError) }
        }
        return nil
    }

    /// The delay the fired rule adds to this call, drawn from the rule's own stream.
    mutating func delay(of rule: Rule) -> Duration? {
        guard let delay = rule.plan.delay else { return nil }
        return rules[rule.fingerprint]?.sampleDelay(delay)
    }
}

/// A rule's counters in one namespace.
struct RuleProgress {
    var matched = 0
    var random: SplitMix64
    var delayRandom: SplitMix64
    var quotaWindowStart: Int64?
    var quotaCount = 0

    init(rule: Rule) {
        var seed: UInt64 = UInt64(bitPattern: ScenarioCompiler.stableSeed(rule.name))
        if case .probability(_, let ruleSeed)? = rule.frequency { seed = ruleSeed }
        random = SplitMix64(seed: seed)
        delayRandom = SplitMix64(seed: seed &+ 0x5DEE_CE66)
    }

    /// Whether the rule fires for this matching call; for a quota past its limit, the code-7 error.
    mutating func decide(_ rule: Rule, now: Int64) -> (fires: Bool, quotaError: TOPError?) {
        matched += 1
        if let quota = rule.quota {
            let windowMillis = ScenarioDurations.millis(quota.window)
            if let start = quotaWindowStart, now < start + windowMillis {
                quotaCount += 1
            } else {
                quotaWindowStart = now
                quotaCount = 1
            }
            guard quotaCount > quota.limit, let start = quotaWindowStart else { return (false, nil) }
            let remaining = Int((start + windowMillis - now + 999) / 1000)
            return (true, .appCallLimited(banSeconds: max(remaining, 1)))
        }
        switch rule.frequency {
        case nil: return (true, nil)
        case .first(let count)?: return (matched <= count, nil)
        case .nth(let index)?: return (matched == index, nil)
        case .probability(let probability, _)?: return (random.nextDouble() < probability, nil)
        }
    }

    mutating func sampleDelay(_ delay: Delay) -> Duration {
        let uniform = delayRandom.nextDouble()
        return delay.sample(uniform: uniform, normal: delayRandom.nextStandardNormal())
    }
}
