import Dispatch
import Synchronization
import Testing
import TopMockProtocol
import TopMockScenarios
import TopMockTesting

/// The engine on scenario texts, with a manual clock: nothing sleeps.
@Suite struct ScenarioEngineTests {
    static func engine(_ text: String, clock: ManualWallClock = ManualWallClock(millis: 1_000_000)) throws -> ScenarioEngine {
        let result = ScenarioLoader.load(sources: [(path: "t.yaml", text: text)])
        #expect(result.isValid, "\(result.report)")
        return ScenarioEngine(set: result.set, clock: clock)
    }

    static func query(_ requestID: String, buyer: Int64 = 1, shop: Int64 = 1, app: String = "k", extra: [(String, String)] = []) -> MatchableRequest {
        MatchableRequest(
            api: .posPayActionQuery, appKey: app, parameters: TOPParameters([("shop_id", String(shop))] + extra),
            call: PaymentActionQuery(shopID: shop, requestID: requestID, buyerID: buyer))
    }

    /// The `result.model` object of an answer.
    static func model(_ answer: MethodAnswer) -> ResponseObject? {
        guard case .object(let result)? = answer.fields["result"], case .object(let model)? = result["model"] else { return nil }
        return model
    }

    static func status(_ resolution: Resolution) -> String {
        switch resolution.decision {
        case .answer(let answer) where answer.outcome == .notFound: return "not-found"
        case .answer(let answer) where answer.outcome == .buyerMismatch: return "buyer-mismatch"
        case .answer(let answer): return answer.actionStatus?.rawValue ?? answer.outcome.rawValue
        case .error(let error): return "error \(error.code) \(error.subCode ?? "")"
        case .fault(let fault): return "fault \(fault.rawValue)"
        case .stub: return "stub"
        case .unknownMethod: return "unknown"
        case .refused(let error, _): return "refused \(error.code) \(error.subCode ?? "")"
        }
    }

    static let timelines = """
        shops:
          - shop_id: 1
            payment_orders:
              - actions:
                  - request_id: polls
                    buyer_id: 1
                    channel: alipay
                    status: PAYING
                    result_code: WAIT
                    timeline:
                      - {after_queries: 2, status: SUCCESS}
                      - {manual: true, status: REFUNDED, result_code: REFUND}
                  - request_id: timed
                    buyer_id: 1
                    channel: alipay
                    status: PAYING
                    timeline:
                      - {after: 30s, status: CLOSED}
        """

    @Test func advancesAfterQueriesAndInheritsFields() throws {
        let engine = try Self.engine(Self.timelines)
        let statuses = (0..<5).map { _ in Self.status(engine.resolve(Self.query("polls"))) }
        #expect(statuses == ["PAYING", "PAYING", "SUCCESS", "SUCCESS", "SUCCESS"])
        guard case .answer(let answer) = engine.resolve(Self.query("polls")).decision else {
            Issue.record("no action")
            return
        }
        #expect(Self.model(answer)?["result_code"] == .string("WAIT"))  // inherited from the initial result
        #expect(engine.progress(of: ActionKey(shopID: 1, requestID: "polls"))?.queries == 6)
    }

    @Test func manualStepsWaitForAdvance() throws {
        let engine = try Self.engine(Self.timelines)
        for _ in 0..<10 { _ = engine.resolve(Self.query("polls")) }
        #expect(Self.status(engine.resolve(Self.query("polls"))) == "SUCCESS")
        #expect(engine.advance(ActionKey(shopID: 1, requestID: "polls")) == 2)
        #expect(Self.status(engine.resolve(Self.query("polls"))) == "REFUNDED")
        #expect(engine.advance(ActionKey(shopID: 1, requestID: "polls")) == nil)  // the last step
    }

    @Test func advancesAfterADurationOnTheInjectedClock() throws {
        let clock = ManualWallClock(millis: 5_000)
        let engine = try Self.engine(Self.timelines, clock: clock)
        #expect(Self.status(engine.resolve(Self.query("timed"))) == "PAYING")
        clock.advance(byMillis: 29_999)
        #expect(Self.status(engine.resolve(Self.query("timed"))) == "PAYING")
        clock.advance(byMillis: 1)
        #expect(Self.status(engine.resolve(Self.query("timed"))) == "CLOSED")
    }

    @Test func buyerMismatchDoesNotCountAsAQuery() throws {
        let engine = try Self.engine(Self.timelines)
        for _ in 0..<3 { #expect(Self.status(engine.resolve(Self.query("polls", buyer: 2))) == "buyer-mismatch") }
        #expect(Self.status(engine.resolve(Self.query("polls"))) == "PAYING")
    }

    static let rules = """
        rules:
          - {name: low, priority: -1, when: {request_id: {prefix: x}}, error: isp.service-error}
          - {name: regex, when: {request_id: {regex: "x-[0-9]+"}, app_key: {one_of: [a, b]}}, error: invalid_session}
          - {name: range, when: {shop_id: {range: [10, 20]}}, fault: reset}
          - {name: param, when: {params: {partner_id: {prefix: top-sdk-java}}}, fault: close}
          - {name: high, priority: 5, when: {request_id: x-9}, error: {code: 15, msg: Remote service error, sub_code: isv.x, sub_msg: y}}
          - {name: nth, when: {request_id: nth}, nth: 2, error: service_currently_unavailable}
        """

    @Test func appliesPriorityThenFileOrderAndEveryMatcher() throws {
        let engine = try Self.engine(Self.rules)
        #expect(Self.status(engine.resolve(Self.query("x-9", app: "a"))) == "error 15 isv.x")  // priority 5 first
        #expect(Self.status(engine.resolve(Self.query("x-1", app: "a"))) == "error 27 invalid-sessionkey")
        #expect(Self.status(engine.resolve(Self.query("x-1", app: "c"))) == "error 15 isp.service-error")  // falls to low
        #expect(Self.status(engine.resolve(Self.query("y", shop: 15))) == "fault reset")
        #expect(Self.status(engine.resolve(Self.query("y", shop: 21))) == "not-found")
        #expect(Self.status(engine.resolve(Self.query("y", extra: [("partner_id", "top-sdk-java-20200706")]))) == "fault close")
        #expect(engine.resolve(Self.query("x-1", app: "a")).ruleName == "regex")
    }

    /// The rule index (candidates by the request_id's first byte) must pick exactly the rule a
    /// scan of every rule in order picks: random sets of gated and ungated rules at random
    /// priorities, random request ids (some empty, and calls with none, as the sale's methods
    /// make), compared with the scan done here.
    @Test func ruleIndexPicksWhatAFullScanPicks() throws {
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        func random(_ bound: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((seed >> 33) % UInt64(bound))
        }
        let pieces = ["a", "ab", "abc", "b", "ba", "x-", "x-1", "é", ""]
        for round in 0..<20 {
            var text = "rules:\n"
            for number in 0..<30 {
                let value = pieces[random(pieces.count)]
                let when: String
                switch random(6) {
                case 0: when = "{request_id: {prefix: '\(value)'}}"
                case 1: when = value.isEmpty ? "{request_id: {prefix: ''}}" : "{request_id: '\(value)'}"
                case 2: when = "{request_id: {regex: '\(value).*'}}"
                case 3: when = "{app_key: k\(random(2))}"
                case 4: when = "{request_id: {one_of: ['\(value)1', b]}, app_key: k0}"
                default: when = "{request_id: {prefix: '\(value)'}, shop_id: {range: [0, \(random(3))]}}"
                }
                text += "  - {name: r\(number), priority: \(random(3)), when: \(when), error: isp.service-error}\n"
            }
            let engine = try Self.engine(text)
            for _ in 0..<50 {
                let requestID = pieces[random(pieces.count - 1)] + pieces[random(pieces.count)] + String(random(3))
                var request = Self.query(random(8) == 0 ? "" : requestID, shop: Int64(random(3)), app: "k\(random(2))")
                if random(6) == 0 { request.call = nil }  // a call with no request_id at all
                let scanned = engine.set.rules.first { $0.pattern.matches(request) }?.name
                #expect(engine.resolve(request).ruleName == scanned, "round \(round), request_id '\(requestID)'")
            }
        }
    }

    @Test func nthFiresOnceAndFirstRecovers() throws {
        let engine = try Self.engine(Self.rules + "\n  - {name: first, when: {request_id: flaky}, first: 2, error: isp.service-error}\n")
        #expect((0..<4).map { _ in Self.status(engine.resolve(Self.query("nth"))) } == ["not-found", "error 10 ", "not-found", "not-found"])
        #expect(
            (0..<4).map { _ in Self.status(engine.resolve(Self.query("flaky"))) }
                == ["error 15 isp.service-error", "error 15 isp.service-error", "not-found", "not-found"])
    }

    @Test func seededProbabilityAndDelaysRepeatRunAfterRun() throws {
        let text = """
            rules:
              - name: sometimes
                when: {request_id: p}
                probability: 0.3
                seed: 42
                fault: close
              - name: jitter
                when: {request_id: j}
                delay: {uniform: [100ms, 200ms]}
                seed: 9
              - name: tail
                when: {request_id: l}
                delay: {lognormal: {median: 100ms, p99: 1s}}
            """
        func run() throws -> ([String], [Duration], [Duration]) {
            let engine = try Self.engine(text)
            let faults = (0..<200).map { _ in Self.status(engine.resolve(Self.query("p"))) }
            let uniform = (0..<50).compactMap { _ in engine.resolve(Self.query("j")).delay }
            let lognormal = (0..<2000).compactMap { _ in engine.resolve(Self.query("l")).delay }
            return (faults, uniform, lognormal)
        }
        let (faults, uniform, lognormal) = try run()
        let again = try run()
        #expect(faults == again.0)
        #expect(uniform == again.1)
        #expect(lognormal == again.2)
        let closes = faults.filter { $0 == "fault close" }.count
        #expect((40...80).contains(closes), "\(closes) of 200 at p = 0.3")
        #expect(uniform.allSatisfy { $0 >= .milliseconds(100) && $0 <= .milliseconds(200) })
        let sorted = lognormal.sorted()
        #expect(abs(sorted[1000].seconds - 0.1) < 0.02, "median \(sorted[1000])")
        #expect(abs(sorted[1980].seconds - 1.0) < 0.3, "p99 \(sorted[1980])")
    }

    @Test func quotaAnswersCode7WithTheBanLeft() throws {
        let clock = ManualWallClock(millis: 0)
        let engine = try Self.engine("rules: [{name: q, when: {request_id: {prefix: l}}, quota: {limit: 2, window: 1m}}]", clock: clock)
        #expect(Self.status(engine.resolve(Self.query("l1"))) == "not-found")
        #expect(Self.status(engine.resolve(Self.query("l1"))) == "not-found")
        clock.advance(byMillis: 20_500)
        let limited = engine.resolve(Self.query("l1"))
        #expect(limited.decision == .error(.appCallLimited(banSeconds: 40)))
        clock.advance(byMillis: 39_500)
        #expect(Self.status(engine.resolve(Self.query("l1"))) == "not-found")  // a new window
    }

    @Test func stubsAnswerOtherMethods() throws {
        let engine = try Self.engine("stubs: [{method: taobao.time.get, response: {time: '2026-01-01 00:00:00'}}]")
        #expect(engine.serves(APIName(rawValue: "taobao.time.get")))
        #expect(!engine.serves(APIName(rawValue: "taobao.item.get")))
        let resolution = engine.resolve(
            MatchableRequest(api: APIName(rawValue: "taobao.time.get"), appKey: "k", parameters: TOPParameters(), call: nil))
        guard case .stub(let stub) = resolution.decision else {
            Issue.record("no stub")
            return
        }
        #expect(stub.response == ["time": .string("2026-01-01 00:00:00")])
    }

    /// 50 clients polling one action at once: every query counted once, the timeline in order.
    @Test func concurrentPollsNeverLoseOrDoubleCountAStep() throws {
        let engine = try Self.engine(Self.timelines)
        let paying = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 50) { _ in
            for _ in 0..<20 where Self.status(engine.resolve(Self.query("polls"))) == "PAYING" {
                paying.add(1, ordering: .relaxed)
            }
        }
        #expect(paying.load(ordering: .relaxed) == 2)
        #expect(engine.progress(of: ActionKey(shopID: 1, requestID: "polls"))?.queries == 1000)
    }

    @Test func reloadKeepsTheStateOfUnchangedDefinitionsOnly() throws {
        let engine = try Self.engine(Self.timelines)
        for _ in 0..<3 { _ = engine.resolve(Self.query("polls")) }
        _ = engine.resolve(Self.query("timed"))
        // Same `polls`, changed `timed`.
        let changed = Self.timelines.replacing("{after: 30s, status: CLOSED}", with: "{after: 10s, status: CLOSED}")
        engine.replace(with: ScenarioLoader.load(sources: [(path: "t.yaml", text: "# moved\n" + changed)]).set)
        #expect(engine.progress(of: ActionKey(shopID: 1, requestID: "polls"))?.queries == 3)
        #expect(engine.progress(of: ActionKey(shopID: 1, requestID: "timed"))?.queries == 0)
        engine.reset()
        #expect(engine.progress(of: ActionKey(shopID: 1, requestID: "polls"))?.queries == 0)
    }

    @Test func namespacesKeepSeparateState() throws {
        let engine = try Self.engine(Self.timelines)
        for _ in 0..<2 { _ = engine.resolve(Self.query("polls"), namespace: "a") }
        #expect(Self.status(engine.resolve(Self.query("polls"), namespace: "a")) == "SUCCESS")
        #expect(Self.status(engine.resolve(Self.query("polls"), namespace: "b")) == "PAYING")
        engine.reset(namespace: "a")
        #expect(Self.status(engine.resolve(Self.query("polls"), namespace: "a")) == "PAYING")
        #expect(engine.progress(of: ActionKey(shopID: 1, requestID: "polls"), namespace: "b")?.queries == 1)
    }
}
