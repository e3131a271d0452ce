import TopMockProtocol

/// Why a call got a method's default answer (no such action or checkout, or another buyer's):
/// the nearest action or checkout by id (same shop preferred), seeded or created in the call's
/// namespace, and the rule that came closest, with the fields that differed.
///
/// Computed only on that path, from a copy of what the namespace sees, outside the engine's lock;
/// at most ``comparedLimit`` seeded and as many created ids are compared.
struct NearMiss {
    static let comparedLimit = 20_000

    let request: MatchableRequest
    let set: ScenarioSet
    let space: NamespaceState

    /// The explanation, or nil when there is nothing to say.
    var explanation: String? {
        var parts: [String] = []
        switch request.call {
        case let query as PaymentActionQuery: parts.append(action(query))
        case let query as PayStatusQuery: parts.append(checkout(query))
        default: break
        }
        if let rule = closestRule() { parts.append(rule) }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }

    private func action(_ query: PaymentActionQuery) -> String {
        if let action = space.action(ActionKey(shopID: query.shopID, requestID: query.requestID), in: set) {
            return
                "payment action '\(query.requestID)' in shop \(query.shopID) belongs to buyer \(action.buyerID.map { String($0) } ?? "any"), not \(query.buyerID)"
        }
        let keys = (Array(set.actions.keys.prefix(Self.comparedLimit)) + Array(space.created.keys.prefix(Self.comparedLimit)))
            .map { ($0.shopID, $0.requestID) }
        return "no payment action with request_id '\(query.requestID)' in shop \(query.shopID)"
            + Self.nearest(query.requestID, shopID: query.shopID, among: keys)
    }

    private func checkout(_ query: PayStatusQuery) -> String {
        let key = CheckoutKey(shopID: query.shopID, checkoutID: query.checkoutID)
        if let checkout = space.checkout(key, in: set), let owner = checkout.owner {
            return "checkout '\(query.checkoutID)' in shop \(query.shopID) belongs to buyer \(owner), not \(query.buyerID)"
        }
        let keys = (Array(set.checkouts.keys.prefix(Self.comparedLimit)) + Array(space.checkouts.keys.prefix(Self.comparedLimit)))
            .map { ($0.shopID, $0.checkoutID) }
        return "no checkout with checkout_id '\(query.checkoutID)' in shop \(query.shopID)"
            + Self.nearest(query.checkoutID, shopID: query.shopID, among: keys)
    }

    /// "; nearest: 'ID' in shop N" for the id closest by edit distance (another shop costs 3), when
    /// it is close enough to be a typo; else "".
    private static func nearest(_ id: String, shopID: Int64, among keys: [(Int64, String)]) -> String {
        var best: (distance: Int, shopID: Int64, id: String)?
        for (shop, candidate) in keys.prefix(2 * comparedLimit) {
            let distance = editDistance(candidate, id) + (shop == shopID ? 0 : 3)
            if let current = best, (current.distance, current.id) <= (distance, candidate) { continue }
            best = (distance, shop, candidate)
        }
        guard let best, best.distance <= max(3, id.count / 2) else { return "" }
        return "; nearest: '\(best.id)' in shop \(best.shopID)"
    }

    /// A rule counts as close when it missed by one condition, by a small edit distance.
    private func closestRule() -> String? {
        var closest: (rule: Rule, distance: Int)?
        for rule in set.rules where rule.pattern.conditions.count > 0 {
            let failing = rule.pattern.conditions.filter { condition in
                request.value(of: condition.field).map { !condition.matcher.matches($0) } ?? true
            }
            guard failing.count == 1, let value = request.value(of: failing[0].field) else { continue }
            let distance: Int
            switch failing[0].matcher {
            case .equals(let expected): distance = editDistance(value, expected)
            case .prefix(let prefix): distance = editDistance(String(value.prefix(prefix.count)), prefix)
            default: continue
            }
            guard distance <= max(2, value.count / 4) else { continue }
            if closest == nil || distance < closest!.distance { closest = (rule, distance) }
        }
        guard let closest else { return nil }
        return "closest rule '\(closest.rule.name)' (\(closest.rule.source)): \(closest.rule.pattern.mismatches(request).joined(separator: "; "))"
    }
}
