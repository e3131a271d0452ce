import TopMockProtocol

/// Why a call got a method's default answer (no such action or checkout, or another buyer's):
/// the method's own explanation (``TOPMethod/nearMiss(_:in:)``, which names the nearest key by
/// id through ``NearMissScope``), and the rule that came closest, with the fields that differed.
///
/// Computed only on that path, from a copy of what the namespace sees, outside the engine's lock;
/// at most ``NearMissScope/comparedLimit`` seeded and as many created ids are compared.
struct NearMiss {
    let request: MatchableRequest
    let set: ScenarioSet
    let namespace: NamespaceState

    /// The explanation, or nil when there is nothing to say.
    var explanation: String? {
        var parts: [String] = []
        if let call = request.call, let method = ServedMethods.method(request.api),
            let explained = method.nearMiss(call, NearMissScope(set: set, namespace: namespace))
        {
            parts.append(explained)
        }
        if let rule = closestRule() { parts.append(rule) }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
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

/// What a method's near-miss explanation reads: the seed and the namespace's state (a copy), and
/// the nearest key by id.
struct NearMissScope {
    static let comparedLimit = 20_000

    let set: ScenarioSet
    let namespace: NamespaceState

    /// The explanation of a call whose key (`keyName` = `id` in `shopID`) named no `thing`, or
    /// one of another buyer (`ownedBy`: that buyer, shown as given): the owner, else the nearest
    /// key by id among `lists` when it is close enough to be a typo.
    func explanation(
        of thing: String, keyName: String, id: String, shopID: Int64, buyerID: Int64, ownedBy owner: String?, among lists: [[(Int64, String)]]
    ) -> String {
        if let owner { return "\(thing) '\(id)' in shop \(shopID) belongs to buyer \(owner), not \(buyerID)" }
        return "no \(thing) with \(keyName) '\(id)' in shop \(shopID)" + nearest(id, shopID: shopID, among: lists)
    }

    /// "; nearest: 'ID' in shop N" for the id closest by edit distance (another shop costs 3), when
    /// it is close enough to be a typo; else "". The methods pass at most ``comparedLimit`` keys of
    /// each list.
    func nearest(_ id: String, shopID: Int64, among lists: [[(Int64, String)]]) -> String {
        var best: (distance: Int, shopID: Int64, id: String)?
        for list in lists {
            for (shop, candidate) in list {
                let distance = editDistance(candidate, id) + (shop == shopID ? 0 : 3)
                if let current = best, (current.distance, current.id) <= (distance, candidate) { continue }
                best = (distance, shop, candidate)
            }
        }
        guard let best, best.distance <= max(3, id.count / 2) else { return "" }
        return "; nearest: '\(best.id)' in shop \(best.shopID)"
    }
}
