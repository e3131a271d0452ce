import TopMockHTTP
import TopMockProtocol
import TopMockScenarios

/// The namespaces: list them, reset one (or all) to its seed, read and steer its clock.
struct NamespacesResource: Sendable {
    let engine: ScenarioEngine
    let journal: RequestJournal

    struct Listing: Encodable { var namespaces: [String] }

    func list() -> HTTPResponse {
        .json(Listing(namespaces: engine.namespaceNames))
    }

    struct ResetRequest: Decodable { var namespace: String? }
    struct ResetDone: Encodable { var reset: String }

    /// Everything (no body) or one namespace: state, clock and journal entries. Well under a
    /// millisecond: it drops dictionaries.
    func reset(_ call: AdminCall) throws(AdminError) -> HTTPResponse {
        let namespace = try call.body(ResetRequest.self).namespace
        engine.reset(namespace: namespace)
        if let namespace { journal.forget(namespace: namespace) } else { journal.remove() }
        return .json(ResetDone(reset: namespace ?? "*"))
    }

    struct Clock: Encodable {
        var namespace: String
        /// `real`, `frozen` or `shifted`.
        var mode: String
        var offsetMillis: Int64?
        var nowMillis: Int64
        /// `yyyy-MM-dd HH:mm:ss`, GMT+8.
        var now: String

        enum CodingKeys: String, CodingKey {
            case namespace, mode, now
            case offsetMillis = "offset_millis"
            case nowMillis = "now_millis"
        }
    }

    func clock(_ call: AdminCall) -> HTTPResponse { clock(call.segment("ns")) }

    private func clock(_ namespace: String) -> HTTPResponse {
        let now = engine.clocks.nowMillis(namespace: namespace)
        var clock = Clock(namespace: namespace, mode: "real", nowMillis: now, now: TimestampPolicy.format(epochMillis: now))
        switch engine.clocks.setting(namespace: namespace) {
        case .real: break
        case .frozen: clock.mode = "frozen"
        case .shifted(let offset):
            clock.mode = "shifted"
            clock.offsetMillis = offset
        }
        return .json(clock)
    }

    struct ClockChange: Decodable {
        /// `yyyy-MM-dd HH:mm:ss` in GMT+8, epoch milliseconds, or "now".
        var freeze: String?
        var freezeMillis: Int64?
        /// A duration: `30s`, `5m`, `-1h`.
        var advance: String?
        var real: Bool?

        enum CodingKeys: String, CodingKey {
            case freeze, advance, real
            case freezeMillis = "freeze_millis"
        }
    }

    /// `{"freeze": "now" | "2026-01-01 12:00:00" (GMT+8)}`, `{"freeze_millis": …}`,
    /// `{"advance": "30s"}` (negative moves back), `{"real": true}`; freeze and advance may combine.
    /// The body is checked whole before the clock changes.
    func setClock(_ call: AdminCall) throws(AdminError) -> HTTPResponse {
        let namespace = call.segment("ns")
        let change = try call.body(ClockChange.self)
        guard change.real == true || change.freeze != nil || change.freezeMillis != nil || change.advance != nil else {
            throw .badParameter("give freeze, freeze_millis, advance or real")
        }
        var freezeAt: Int64?
        if let millis = change.freezeMillis {
            freezeAt = millis
        } else if let freeze = change.freeze, freeze != "now" {
            guard let wall = TimestampPolicy.wallClockSeconds(freeze) else {
                throw .badParameter("freeze must be \"now\" or yyyy-MM-dd HH:mm:ss (GMT+8), not '\(freeze)'")
            }
            freezeAt = (wall - TimestampPolicy.gmt8OffsetSeconds) * 1000
        }
        var advanceMillis: Int64?
        if let advance = change.advance {
            let negative = advance.hasPrefix("-")
            guard let duration = ScenarioDurations.parse(negative ? String(advance.dropFirst()) : advance) else {
                throw .badParameter("advance must be a duration such as 30s, 5m or -1h, not '\(advance)'")
            }
            let millis = Int64(duration.seconds * 1000)
            advanceMillis = negative ? -millis : millis
        }
        if change.real == true { engine.clocks.release(namespace: namespace) }
        if change.freeze == "now" && change.freezeMillis == nil { freezeAt = engine.clocks.nowMillis(namespace: namespace) }
        if let freezeAt { engine.clocks.freeze(namespace: namespace, atMillis: freezeAt) }
        if let advanceMillis { engine.clocks.advance(namespace: namespace, byMillis: advanceMillis) }
        return clock(namespace)
    }
}
