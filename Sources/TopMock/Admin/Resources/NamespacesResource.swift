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
        var freezeAt: WallInstant?
        if let millis = change.freezeMillis {
            guard let instant = WallInstant(millis: millis) else {
                throw .badParameter("freeze_millis must be an instant \(WallInstant.boundText) (\(WallInstant.range) ms), not \(millis)")
            }
            freezeAt = instant
        } else if let freeze = change.freeze, freeze != "now" {
            guard let wall = TimestampPolicy.wallClockSeconds(freeze),
                let instant = WallInstant(millis: (wall - TimestampPolicy.gmt8OffsetSeconds) * 1000)
            else {
                throw .badParameter("freeze must be \"now\" or yyyy-MM-dd HH:mm:ss (GMT+8) \(WallInstant.boundText), not '\(freeze)'")
            }
            freezeAt = instant
        }
        var advanceMillis: Int64?
        if let advance = change.advance {
            let negative = advance.hasPrefix("-")
            guard let duration = ScenarioDurations.parse(negative ? String(advance.dropFirst()) : advance) else {
                throw .badParameter("advance must be a duration such as 30s, 5m or -1h (at most a year), not '\(advance)'")
            }
            let millis = ScenarioDurations.millis(duration)
            advanceMillis = negative ? -millis : millis
        }
        let result = engine.clocks.change(
            namespace: namespace, real: change.real == true, freezeAt: freezeAt, freezeNow: change.freeze == "now" && change.freezeMillis == nil,
            advanceMillis: advanceMillis)
        if case .failure(let refusal) = result {
            let reading = refusal.wouldReadMillis.map { " (it would read \($0) ms)" } ?? ""
            throw .badParameter(
                "advance \(change.advance ?? "") would move the clock outside \(WallInstant.boundText)\(reading); the clock is unchanged")
        }
        return clock(namespace)
    }
}
