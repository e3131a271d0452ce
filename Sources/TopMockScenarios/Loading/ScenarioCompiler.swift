import TopMockProtocol
import TopMockYAML

/// What one scenario file declares, before it is merged with the others.
struct ScenarioFileContents {
    var name: String
    var description: String?
    var apps: [(appKey: String, credentials: AppCredentials, mark: YAMLMark)] = []
    var actions: [(action: PaymentAction, mark: YAMLMark)] = []
    var rules: [Rule] = []
    var stubs: [(stub: Stub, mark: YAMLMark)] = []
    var checkouts: [(seed: CheckoutSeed, mark: YAMLMark)] = []
    var profiles: [ChannelProfile] = []
    var templates: [ActionTemplate] = []
    var statusCodes: (codes: CheckoutStatusCodes, mark: YAMLMark)?
    var stores: [(store: Store, mark: YAMLMark)] = []
    var sale: (settings: SaleSettings, mark: YAMLMark)?
}

/// Turns one file's YAML into declarations, reporting every problem it finds (not just the first).
/// The format is documented in docs/scenarios.md and described by schema/scenario.schema.json.
struct ScenarioCompiler {
    static let fileKeys = [
        "name", "description", "apps", "shops", "rules", "stubs", "channel_profiles", "action_templates", "checkout_status", "stores", "sale",
    ]
    static let appKeys = ["app_key", "secret", "sessions"]
    static let shopKeys = ["shop_id", "name", "payment_orders"]
    static let orderKeys = ["id", "total_fen", "actions"]
    static let resultFieldKeys = ["status", "result_code", "result_message", "success", "result"]
    static let actionKeys = ["request_id", "buyer_id", "channel", "amount_fen", "timeline"] + resultFieldKeys
    static let stepKeys = ["after_queries", "after", "manual"] + resultFieldKeys
    static let resultKeys = ["success", "msg_code", "msg_info"]
    static let ruleKeys = ["name", "priority", "when", "error", "fault", "takes_effect", "delay", "first", "nth", "probability", "seed", "quota"]
    static let whenKeys = ["method", "app_key", "shop_id", "request_id", "buyer_id", "params", "fields"]
    static let shapeKeys = ["channel", "timeline"] + resultFieldKeys
    static let profileKeys = ["name", "when", "gives_change"] + shapeKeys
    static let templateKeys = ["name", "request_id", "shop_id", "amount_fen"] + shapeKeys
    static let statusCodeKeys = ["waiting", "paid", "failed"]
    static let matcherKeys = ["equals", "prefix", "regex", "range", "one_of"]
    static let errorKeys = ["name", "code", "msg", "sub_code", "sub_msg", "ban_seconds"]
    static let delayKeys = ["fixed", "uniform", "lognormal"]
    static let quotaKeys = ["limit", "window"]
    static let stubKeys = ["method", "when", "response", "responses"]

    let sink: DiagnosticSink

    func compile(_ root: YAMLNode, defaultName: String) -> ScenarioFileContents {
        var contents = ScenarioFileContents(name: defaultName)
        guard let file = MappingReader(root, what: "a scenario file", allowedKeys: Self.fileKeys, sink: sink) else { return contents }
        contents.name = file.string("name") ?? defaultName
        contents.description = file.string("description")
        for node in file.list("apps") ?? [] {
            if let app = compileApp(node) { contents.apps.append(app) }
        }
        for shopNode in file.list("shops") ?? [] {
            contents.actions += compileShop(shopNode, checkouts: &contents.checkouts)
        }
        for (index, node) in (file.list("rules") ?? []).enumerated() {
            if let rule = compileRule(node, index: index, fileName: contents.name) { contents.rules.append(rule) }
        }
        for node in file.list("stubs") ?? [] {
            if let stub = compileStub(node) { contents.stubs.append((stub: stub, mark: node.mark)) }
        }
        for (index, node) in (file.list("channel_profiles") ?? []).enumerated() {
            if let profile = compileProfile(node, index: index, fileName: contents.name) { contents.profiles.append(profile) }
        }
        for (index, node) in (file.list("action_templates") ?? []).enumerated() {
            if let template = compileTemplate(node, index: index, fileName: contents.name) { contents.templates.append(template) }
        }
        if let codesNode = file.value("checkout_status"), !codesNode.isNull,
            let reader = MappingReader(codesNode, what: "checkout_status", allowedKeys: Self.statusCodeKeys, sink: sink)
        {
            var codes = CheckoutStatusCodes()
            if let value = reader.integer("waiting") { codes.waiting = value }
            if let value = reader.integer("paid") { codes.paid = value }
            if let value = reader.integer("failed") { codes.failed = value }
            if Set([codes.waiting, codes.paid, codes.failed]).count < 3 {
                sink.error("checkout_status needs three different numbers for waiting, paid and failed", at: codesNode.mark)
            }
            contents.statusCodes = (codes, codesNode.mark)
        }
        for node in file.list("stores") ?? [] {
            if let store = compileStore(node) { contents.stores.append((store: store, mark: node.mark)) }
        }
        if let saleNode = file.value("sale"), !saleNode.isNull, let settings = compileSaleSettings(saleNode) {
            contents.sale = (settings, saleNode.mark)
        }
        return contents
    }

    // MARK: apps

    private func compileApp(_ node: YAMLNode) -> (appKey: String, credentials: AppCredentials, mark: YAMLMark)? {
        guard let app = MappingReader(node, what: "an app", allowedKeys: Self.appKeys, sink: sink) else { return nil }
        let key = app.string("app_key", required: true)
        let secret = app.string("secret", required: true)
        var sessions: Set<String>?
        if let list = app.list("sessions") {
            sessions = []
            for item in list {
                guard let session = item.scalar, !item.isNull, !session.isEmpty else {
                    sink.error("sessions of an app must be non-empty strings, found \(item.kindDescription)", at: item.mark)
                    continue
                }
                sessions?.insert(session)
            }
        }
        guard let key, let secret else { return nil }
        if key.isEmpty {
            sink.error("app_key must not be empty", at: node.mark)
            return nil
        }
        return (appKey: key, credentials: AppCredentials(secret: secret, sessions: sessions), mark: node.mark)
    }

    // MARK: shops, orders, actions

    private func compileShop(
        _ shopNode: YAMLNode, checkouts: inout [(seed: CheckoutSeed, mark: YAMLMark)]
    ) -> [(action: PaymentAction, mark: YAMLMark)] {
        guard let shop = MappingReader(shopNode, what: "a shop", allowedKeys: Self.shopKeys, sink: sink) else { return [] }
        _ = shop.string("name")
        let shopID = shop.integer("shop_id", required: true, minimum: 0)
        var actions: [(action: PaymentAction, mark: YAMLMark)] = []
        for orderNode in shop.list("payment_orders", required: true) ?? [] {
            guard let order = MappingReader(orderNode, what: "a payment order", allowedKeys: Self.orderKeys, sink: sink) else { continue }
            let orderID = order.string("id")
            let total = order.amount("total_fen")
            // A payment order with an id is a checkout and may wait for order.pay with no actions yet.
            let actionNodes = order.list("actions", required: orderID == nil) ?? []
            if actionNodes.isEmpty, order.value("actions") != nil, orderID == nil {
                sink.error("a payment order needs at least one action (or an id, for a checkout order.pay fills)", at: orderNode.mark)
            }
            var legs: [Fen] = []
            var allLegsHaveAmounts = true
            let firstLeg = actions.count
            for actionNode in actionNodes {
                guard let action = compileAction(actionNode, shopID: shopID, orderID: orderID) else {
                    allLegsHaveAmounts = false
                    continue
                }
                if let amount = action.amountFen { legs.append(amount) } else { allLegsHaveAmounts = false }
                actions.append((action: action, mark: actionNode.mark))
            }
            if let total, let totalNode = order.value("total_fen"), !actionNodes.isEmpty {
                let sum = Fen.sum(legs)
                if !allLegsHaveAmounts {
                    sink.error("total_fen is \(total) but not every action gives amount_fen", at: totalNode.mark)
                } else if sum != total.value {
                    let parts = legs.map(\.description).joined(separator: " + ")
                    sink.error("the actions' amount_fen add up to \(sum) (\(parts)), not total_fen \(total)", at: totalNode.mark)
                }
            }
            // A payment order with an id is a checkout: paystatus.query and order.pay see it.
            if let orderID, let shopID {
                let seed = CheckoutSeed(
                    key: CheckoutKey(shopID: shopID, checkoutID: orderID), totalFen: total, actions: actions[firstLeg...].map(\.action.key),
                    source: sink.location(orderNode.mark))
                checkouts.append((seed: seed, mark: orderNode.mark))
            }
        }
        return actions
    }

    private func compileAction(_ node: YAMLNode, shopID: Int64?, orderID: String?) -> PaymentAction? {
        guard let reader = MappingReader(node, what: "a payment action", allowedKeys: Self.actionKeys, sink: sink) else { return nil }
        let requestID = reader.string("request_id", required: true)
        let buyerID = reader.integer("buyer_id", required: true, minimum: 0)
        let amount = reader.amount("amount_fen")
        let shape = compileShape(reader)
        if requestID?.isEmpty == true, let mark = reader.value("request_id")?.mark {
            sink.error("request_id must not be empty", at: mark)
            return nil
        }
        guard let shopID, let requestID, let buyerID, let shape else { return nil }
        return shape.action(
            key: ActionKey(shopID: shopID, requestID: requestID), buyerID: buyerID, paymentOrderID: orderID, amountFen: amount,
            source: sink.location(node.mark))
    }

    /// `channel`, the first result's fields and `timeline`: what an action, a channel profile and
    /// an action template say about the action.
    private func compileShape(_ reader: MappingReader) -> ActionShape? {
        let channel = reader.string("channel", required: true)
        let initial = compileResult(reader, inheriting: nil)
        var timeline: [TimelineStep] = []
        var previous = initial
        for stepNode in reader.list("timeline") ?? [] {
            guard let step = compileStep(stepNode, previous: previous) else {
                previous = nil
                continue
            }
            timeline.append(step)
            previous = step.result
        }
        guard let channel, let initial else { return nil }
        return ActionShape(channel: channel, initial: initial, timeline: timeline)
    }

    // MARK: channel profiles and action templates

    private func compileProfile(_ node: YAMLNode, index: Int, fileName: String) -> ChannelProfile? {
        guard let reader = MappingReader(node, what: "a channel profile", allowedKeys: Self.profileKeys, sink: sink) else { return nil }
        let name = reader.string("name") ?? "\(fileName) channel profile #\(index + 1)"
        var alternatives: [[ChannelProfile.Condition]] = []
        if let whenNode = reader.value("when"), !whenNode.isNull {
            for alternative in whenNode.sequence ?? [whenNode] {
                guard let when = MappingReader(alternative, what: "a channel profile's when", allowedKeys: ChannelProfile.fields, sink: sink) else {
                    continue
                }
                var conditions: [ChannelProfile.Condition] = []
                for field in ChannelProfile.Field.allCases {
                    if let valueNode = when.value(field.rawValue), let matcher = compileMatcher(valueNode, field: field.rawValue) {
                        conditions.append(ChannelProfile.Condition(field: field, matcher: matcher))
                    }
                }
                alternatives.append(conditions)
            }
        } else {
            alternatives = [[]]  // no when: every payment (a catch-all, last in load order)
        }
        let givesChange = reader.bool("gives_change") ?? false
        guard let shape = compileShape(reader) else { return nil }
        return ChannelProfile(name: name, alternatives: alternatives, shape: shape, source: sink.location(node.mark), givesChange: givesChange)
    }

    private func compileTemplate(_ node: YAMLNode, index: Int, fileName: String) -> ActionTemplate? {
        guard let reader = MappingReader(node, what: "an action template", allowedKeys: Self.templateKeys, sink: sink) else { return nil }
        let name = reader.string("name") ?? "\(fileName) action template #\(index + 1)"
        guard let requestNode = reader.value("request_id") else {
            sink.error("an action template is missing the required key 'request_id' (a prefix or regex matcher)", at: node.mark)
            return nil
        }
        let matcher = compileMatcher(requestNode, field: "request_id")
        let shopID = reader.integer("shop_id", minimum: 0)
        let amount = reader.amount("amount_fen")
        guard let matcher, let shape = compileShape(reader) else { return nil }
        return ActionTemplate(name: name, requestID: matcher, shopID: shopID, amountFen: amount, shape: shape, source: sink.location(node.mark))
    }

    /// The result fields of an action or a step; a step inherits what it does not say.
    private func compileResult(_ reader: MappingReader, inheriting previous: ActionResult?) -> ActionResult? {
        let status = reader.string("status", required: previous == nil)
        var result = previous ?? ActionResult(status: PaymentStatus(rawValue: status ?? ""))
        if let status { result.status = PaymentStatus(rawValue: status) }
        if let code = reader.string("result_code") { result.resultCode = code }
        if let message = reader.string("result_message") { result.resultMessage = message }
        if let success = reader.bool("success") { result.modelSuccess = success }
        if let resultNode = reader.value("result"), !resultNode.isNull,
            let level = MappingReader(resultNode, what: "a result", allowedKeys: Self.resultKeys, sink: sink)
        {
            if let success = level.bool("success") { result.resultSuccess = success }
            if let code = level.string("msg_code") { result.msgCode = code }
            if let info = level.string("msg_info") { result.msgInfo = info }
        }
        return previous == nil && status == nil ? nil : result
    }

    private func compileStep(_ node: YAMLNode, previous: ActionResult?) -> TimelineStep? {
        guard let reader = MappingReader(node, what: "a timeline step", allowedKeys: Self.stepKeys, sink: sink) else { return nil }
        let triggers = ["after_queries", "after", "manual"].filter { reader.value($0) != nil }
        guard triggers.count == 1 else {
            sink.error(
                triggers.isEmpty
                    ? "a timeline step needs one trigger: after_queries, after or manual"
                    : "a timeline step takes one trigger, not \(triggers.joined(separator: " and "))", at: node.mark)
            return nil
        }
        var trigger: StepTrigger?
        switch triggers[0] {
        case "after_queries":
            trigger = reader.integer("after_queries", required: true, minimum: 1).map { .afterQueries(Int($0)) }
        case "after":
            trigger = reader.value("after").flatMap { duration($0, what: "after") }.map { .after($0) }
        default:
            if reader.bool("manual") == false {
                sink.error("manual must be true (or leave the key out)", at: reader.value("manual")?.mark ?? node.mark)
            }
            trigger = .manual
        }
        guard let previous, let trigger, let result = compileResult(reader, inheriting: previous) else { return nil }
        return TimelineStep(trigger: trigger, result: result, source: sink.location(node.mark))
    }

    // MARK: rules

    private func compileRule(_ node: YAMLNode, index: Int, fileName: String) -> Rule? {
        guard let reader = MappingReader(node, what: "a rule", allowedKeys: Self.ruleKeys, sink: sink) else { return nil }
        let name = reader.string("name") ?? "\(fileName) rule #\(index + 1)"
        let priority = reader.integer("priority").map { Int(clamping: $0) } ?? 0
        let errorsBefore = sink.count
        var pattern = RequestPattern()
        if let whenNode = reader.value("when"), !whenNode.isNull {
            pattern = compilePattern(whenNode)
        }
        let hasError = reader.value("error") != nil, hasFault = reader.value("fault") != nil
        if hasError && hasFault {
            sink.error("a rule answers with an error or a fault, not both", at: node.mark)
        }
        var action = ResponsePlan.Action.answer
        if let errorNode = reader.value("error"), let error = compileError(errorNode) { action = .error(error) }
        if let faultNode = reader.value("fault"), !hasError, let fault = compileFault(faultNode) { action = .fault(fault) }
        let takesEffect = reader.bool("takes_effect") ?? false
        if takesEffect && !hasFault, let mark = reader.value("takes_effect")?.mark {
            sink.error("takes_effect goes with a fault (the call takes effect, then the fault loses its answer)", at: mark)
        }
        let delay = reader.value("delay").flatMap { compileDelay($0) }
        let quota = reader.value("quota").flatMap { compileQuota($0) }
        if !hasError && !hasFault && reader.value("delay") == nil && reader.value("quota") == nil {
            sink.error("a rule needs something to do: error, fault, delay or quota", at: node.mark)
        }
        let frequencies = ["first", "nth", "probability"].filter { reader.value($0) != nil }
        var frequency: Frequency?
        if frequencies.count > 1 {
            sink.error("a rule takes one of first, nth and probability, not \(frequencies.joined(separator: " and "))", at: node.mark)
        } else if let first = reader.integer("first", minimum: 1) {
            frequency = .first(Int(first))
        } else if let nth = reader.integer("nth", minimum: 1) {
            frequency = .nth(Int(nth))
        } else if let probabilityNode = reader.value("probability") {
            guard let text = probabilityNode.scalar, let probability = Double(text), (0...1).contains(probability) else {
                sink.error(
                    "probability must be a number from 0 to 1, found \(probabilityNode.kindDescription == "a string" ? "'\(probabilityNode.scalar ?? "")'" : probabilityNode.kindDescription)",
                    at: probabilityNode.mark)
                return nil
            }
            frequency = .probability(probability, seed: UInt64(truncatingIfNeeded: reader.integer("seed") ?? Self.stableSeed(name)))
        }
        if reader.value("seed") != nil, frequencies != ["probability"], !isRandomDelay(delay) {
            sink.error("seed only matters with probability or a random delay", at: reader.value("seed")!.mark)
        }
        guard sink.count == errorsBefore else { return nil }
        return Rule(
            name: name, priority: priority, pattern: pattern, plan: ResponsePlan(action: action, delay: delay, takesEffect: takesEffect),
            frequency: frequency, quota: quota, source: sink.location(node.mark),
            fingerprint: "\(sink.path)|\(node.canonicalText)")
    }

    private func isRandomDelay(_ delay: Delay?) -> Bool {
        switch delay {
        case .uniform?, .logNormal?: return true
        default: return false
        }
    }

    /// FNV-1a of the rule's name: a fixed seed when the file gives none, so runs repeat.
    static func stableSeed(_ name: String) -> Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in name.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return Int64(bitPattern: hash)
    }

    private func compilePattern(_ node: YAMLNode) -> RequestPattern {
        guard let when = MappingReader(node, what: "a rule's when", allowedKeys: Self.whenKeys, sink: sink) else { return RequestPattern() }
        var conditions: [(field: MatchField, matcher: Matcher)] = []
        let fields: [(String, MatchField)] = [
            ("method", .method), ("app_key", .appKey), ("shop_id", .shopID), ("request_id", .requestID), ("buyer_id", .buyerID),
        ]
        for (key, field) in fields {
            if let valueNode = when.value(key), let matcher = compileMatcher(valueNode, field: key) {
                conditions.append((field: field, matcher: matcher))
            }
        }
        // `params` by parameter name, `fields` by dotted path (an empty path names nothing).
        let named: [(key: String, what: String, skipsEmpty: Bool, field: (String) -> MatchField)] = [
            ("params", "parameter names", false, MatchField.parameter),
            ("fields", "field paths (pay_request.pay_fee)", true, MatchField.path),
        ]
        for kind in named {
            guard let node = when.value(kind.key) else { continue }
            guard let pairs = node.mapping else {
                sink.error("\(kind.key) in a rule's when must be a mapping of \(kind.what) to matchers", at: node.mark)
                continue
            }
            for pair in pairs {
                guard let name = pair.key.scalar, !(kind.skipsEmpty && name.isEmpty) else { continue }
                if let matcher = compileMatcher(pair.value, field: "\(kind.key).\(name)") {
                    conditions.append((field: kind.field(name), matcher: matcher))
                }
            }
        }
        return RequestPattern(conditions: conditions)
    }

    private func compileMatcher(_ node: YAMLNode, field: String) -> Matcher? {
        if let text = node.scalar, !node.isNull { return .equals(text) }
        guard let reader = MappingReader(node, what: "the matcher of \(field)", allowedKeys: Self.matcherKeys, sink: sink) else { return nil }
        let kinds = Self.matcherKeys.filter { reader.value($0) != nil }
        guard kinds.count == 1 else {
            sink.error("the matcher of \(field) needs exactly one of \(Self.matcherKeys.joined(separator: ", "))", at: node.mark)
            return nil
        }
        switch kinds[0] {
        case "equals": return reader.string("equals").map { .equals($0) }
        case "prefix": return reader.string("prefix").map { .prefix($0) }
        case "regex":
            guard let source = reader.string("regex"), let mark = reader.value("regex")?.mark else { return nil }
            do {
                return .regex(try CompiledRegex(source))
            } catch {
                sink.error("regex '\(source)' of \(field) does not compile: \(error)", at: mark)
                return nil
            }
        case "one_of":
            guard let items = reader.list("one_of") else { return nil }
            let values = items.compactMap { $0.isNull ? nil : $0.scalar }
            if values.count != items.count || values.isEmpty {
                sink.error("one_of of \(field) must be a non-empty list of values", at: reader.value("one_of")?.mark ?? node.mark)
                return nil
            }
            return .oneOf(values)
        default:
            guard let rangeNode = reader.value("range"), let bounds = rangeNode.sequence, bounds.count == 2 else {
                sink.error("range of \(field) must be [min, max] (null for an open end)", at: reader.value("range")?.mark ?? node.mark)
                return nil
            }
            let numbers = bounds.map { $0.isNull ? Optional<Double>.none : $0.scalar.flatMap(Double.init) }
            for (bound, number) in zip(bounds, numbers) where !bound.isNull && number == nil {
                sink.error("range bounds of \(field) must be numbers or null, found \(bound.kindDescription)", at: bound.mark)
                return nil
            }
            if let min = numbers[0], let max = numbers[1], min > max {
                sink.error("range of \(field) is empty: \(min) > \(max)", at: rangeNode.mark)
                return nil
            }
            return .range(min: numbers[0], max: numbers[1])
        }
    }

    private func compileError(_ node: YAMLNode) -> TOPError? {
        if let name = node.scalar, !node.isNull {
            if let error = TOPError.named(name) { return error }
            var message = "unknown error '\(name)'"
            if let suggestion = closest(to: name, in: TOPError.allNames) {
                message += "; did you mean '\(suggestion)'?"
            } else {
                message += " (see docs/scenarios.md for the names, or spell it out with code and msg)"
            }
            sink.error(message, at: node.mark)
            return nil
        }
        guard let reader = MappingReader(node, what: "an error", allowedKeys: Self.errorKeys, sink: sink) else { return nil }
        if let name = reader.string("name") {
            let ban = reader.integer("ban_seconds", minimum: 0).map { Int(clamping: $0) } ?? 60
            guard let error = TOPError.named(name, banSeconds: ban) else {
                var message = "unknown error '\(name)'"
                if let suggestion = closest(to: name, in: TOPError.allNames) { message += "; did you mean '\(suggestion)'?" }
                sink.error(message, at: reader.value("name")?.mark ?? node.mark)
                return nil
            }
            return error
        }
        let code = reader.integer("code", required: true, minimum: 1)
        let msg = reader.string("msg", required: true)
        guard let code, let msg else { return nil }
        return TOPError(code: Int(clamping: code), msg: msg, subCode: reader.string("sub_code"), subMsg: reader.string("sub_msg"))
    }

    private func compileFault(_ node: YAMLNode) -> Fault? {
        let names = Fault.allCases.map(\.rawValue)
        guard let name = node.scalar, !node.isNull else {
            sink.error("fault must be one of \(names.joined(separator: ", ")), found \(node.kindDescription)", at: node.mark)
            return nil
        }
        if let fault = Fault(rawValue: name) { return fault }
        var message = "unknown fault '\(name)'"
        if let suggestion = closest(to: name, in: names) {
            message += "; did you mean '\(suggestion)'?"
        } else {
            message += " (one of \(names.joined(separator: ", ")))"
        }
        sink.error(message, at: node.mark)
        return nil
    }

    private func compileDelay(_ node: YAMLNode) -> Delay? {
        if node.scalar != nil, !node.isNull {
            return duration(node, what: "delay").map { .fixed($0) }
        }
        guard let reader = MappingReader(node, what: "a delay", allowedKeys: Self.delayKeys, sink: sink) else { return nil }
        let kinds = Self.delayKeys.filter { reader.value($0) != nil }
        guard kinds.count == 1 else {
            sink.error("a delay is a duration (200ms) or one of fixed, uniform, lognormal", at: node.mark)
            return nil
        }
        switch kinds[0] {
        case "fixed":
            return reader.value("fixed").flatMap { duration($0, what: "fixed") }.map { .fixed($0) }
        case "uniform":
            guard let bounds = reader.value("uniform")?.sequence, bounds.count == 2 else {
                sink.error("uniform must be [min, max], e.g. [100ms, 300ms]", at: reader.value("uniform")?.mark ?? node.mark)
                return nil
            }
            guard let min = duration(bounds[0], what: "uniform"), let max = duration(bounds[1], what: "uniform") else { return nil }
            guard min <= max else {
                sink.error("uniform's min is larger than its max", at: bounds[0].mark)
                return nil
            }
            return .uniform(min: min, max: max)
        default:
            guard let lognormalNode = reader.value("lognormal"),
                let shape = MappingReader(lognormalNode, what: "lognormal", allowedKeys: ["median", "p99"], sink: sink)
            else { return nil }
            guard let medianNode = shape.value("median"), let p99Node = shape.value("p99") else {
                sink.error("lognormal needs median and p99, e.g. {median: 100ms, p99: 1s}", at: lognormalNode.mark)
                return nil
            }
            guard let median = duration(medianNode, what: "median"), let p99 = duration(p99Node, what: "p99") else { return nil }
            guard median > .zero, p99 >= median else {
                sink.error("lognormal needs 0 < median <= p99", at: lognormalNode.mark)
                return nil
            }
            return .logNormal(median: median, p99: p99)
        }
    }

    private func compileQuota(_ node: YAMLNode) -> Quota? {
        guard let reader = MappingReader(node, what: "a quota", allowedKeys: Self.quotaKeys, sink: sink) else { return nil }
        let limit = reader.integer("limit", required: true, minimum: 0)
        guard let windowNode = reader.value("window") else {
            sink.error("a quota is missing the required key 'window'", at: node.mark)
            return nil
        }
        guard let limit, let window = duration(windowNode, what: "window") else { return nil }
        guard window > .zero else {
            sink.error("a quota's window must be longer than 0", at: windowNode.mark)
            return nil
        }
        return Quota(limit: Int(clamping: limit), window: window)
    }

    // MARK: stubs

    private func compileStub(_ node: YAMLNode) -> Stub? {
        guard let reader = MappingReader(node, what: "a stub", allowedKeys: Self.stubKeys, sink: sink) else { return nil }
        let method = reader.string("method", required: true)
        var responses: [ResponseObject] = []
        switch (reader.value("response"), reader.value("responses")) {
        case (let one?, nil):
            guard let response = responseObject(one) else { return nil }
            responses = [response]
        case (nil, let many?):
            guard let items = many.sequence, !items.isEmpty else {
                sink.error("a stub's responses must be a non-empty list of answers (given in turn; the last repeats)", at: many.mark)
                return nil
            }
            for item in items {
                guard let response = responseObject(item) else { return nil }
                responses.append(response)
            }
        case (.some, .some):
            sink.error("a stub has response or responses, not both", at: node.mark)
            return nil
        case (nil, nil):
            sink.error("a stub is missing the required key 'response' (or 'responses', answered in turn)", at: node.mark)
            return nil
        }
        guard let method else { return nil }
        if ServedMethods.serves(APIName(rawValue: method)) {
            sink.error(
                "\(method) is served from the scenario model (shops, stores, checkouts) and rules; a stub cannot replace it (see docs/scenarios.md)",
                at: reader.value("method")?.mark ?? node.mark)
            return nil
        }
        if method.isEmpty || method.contains(" ") {
            sink.error("'\(method)' is not a TOP method name", at: reader.value("method")?.mark ?? node.mark)
            return nil
        }
        var pattern = RequestPattern()
        if let when = reader.value("when") {
            if when.mapping?.contains(where: { $0.key.scalar == "method" }) == true {
                sink.error("a stub's when does not take method (the stub's method is the method)", at: when.mark)
                return nil
            }
            pattern = compilePattern(when)
        }
        return Stub(api: APIName(rawValue: method), pattern: pattern, responses: responses, source: sink.location(node.mark))
    }

    private func responseObject(_ node: YAMLNode) -> ResponseObject? {
        guard let pairs = node.mapping else {
            sink.error("a stub's response must be a mapping, found \(node.kindDescription)", at: node.mark)
            return nil
        }
        var object = ResponseObject()
        for pair in pairs {
            guard let key = pair.key.scalar else { continue }
            guard let value = responseValue(pair.value, key: key) else { return nil }
            object.append(key, value)
        }
        return object
    }

    /// YAML → TOP response tree. A list is written `{item_name: [...]}` (TOP wraps lists twice) or
    /// as a bare sequence, whose item name is the key without its trailing `s`.
    private func responseValue(_ node: YAMLNode, key: String) -> ResponseValue? {
        switch node.content {
        case .scalar(let text, let isPlain):
            if node.isNull {
                sink.error("'\(key)' is null; TOP leaves absent fields out, so leave the key out", at: node.mark)
                return nil
            }
            if isPlain, let integer = node.integer { return .integer(integer) }
            if isPlain, let bool = node.bool { return .bool(bool) }
            return .string(text)
        case .sequence(let items):
            let itemName = key.hasSuffix("s") ? String(key.dropLast()) : key
            var values: [ResponseValue] = []
            for item in items {
                guard let value = responseValue(item, key: itemName) else { return nil }
                values.append(value)
            }
            return .list(itemName: itemName, values)
        case .mapping(let pairs):
            if pairs.count == 1, let itemName = pairs[0].key.scalar, let items = pairs[0].value.sequence {
                var values: [ResponseValue] = []
                for item in items {
                    guard let value = responseValue(item, key: itemName) else { return nil }
                    values.append(value)
                }
                return .list(itemName: itemName, values)
            }
            return responseObject(node).map { .object($0) }
        }
    }

    // MARK: durations

    /// `250ms`, `2s`, `1.5s`, `1m`, `1h`.
    func duration(_ node: YAMLNode, what: String) -> Duration? {
        guard let text = node.scalar, !node.isNull, let parsed = Self.parseDuration(text) else {
            let shown = node.scalar.map { "'\($0)'" } ?? node.kindDescription
            sink.error("\(what) must be a duration such as 250ms, 2s, 1.5m or 1h, found \(shown)", at: node.mark)
            return nil
        }
        return parsed
    }

    static func parseDuration(_ text: String) -> Duration? {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        for (unit, scale) in units where text.hasSuffix(unit) {
            let number = text.dropLast(unit.count)
            guard !number.isEmpty, number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }), let value = Double(number),
                value >= 0, value * scale <= ScenarioDurations.maximumSeconds
            else { return nil }
            return .milliseconds(Int64((value * scale * 1000).rounded()))
        }
        return nil
    }
}

/// Durations as scenario files write them (`250ms`, `2s`, `1.5m`, `1h`), for other modules (the
/// admin API's clock).
///
/// Invariant: a duration is between 0 and ``maximumSeconds`` (a year), so its milliseconds and
/// nanoseconds fit `Int64` and an instant plus a duration stays inside `Int64`.
public enum ScenarioDurations {
    public static let maximumSeconds: Double = 86_400 * 365

    public static func parse(_ text: String) -> Duration? {
        ScenarioCompiler.parseDuration(text)
    }

    /// A duration in whole milliseconds, clamped to 0 … ``maximumSeconds`` (a parsed one is
    /// already inside; a sampled delay may not be), so the conversion cannot trap.
    public static func millis(_ duration: Duration) -> Int64 {
        Int64((clamped(duration).seconds * 1000).rounded())
    }

    /// `duration` inside 0 … ``maximumSeconds``.
    private static func clamped(_ duration: Duration) -> Duration {
        let seconds = duration.seconds
        guard seconds > 0 else { return .zero }  // NaN too
        return seconds <= maximumSeconds ? duration : .seconds(maximumSeconds)
    }
}
