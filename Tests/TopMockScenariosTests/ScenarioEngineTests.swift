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
    /// priorities, random request ids, compared with the scan done here.
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
                let request = Self.query(requestID, shop: Int64(random(3)), app: "k\(random(2))")
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

@Suite struct RuleDiagnosticsTests {
    @Test func reportsEveryRuleProblemWithCarets() {
        let text = """
            rules:
              - name: a
                when: {request_id: {prefix: x, regex: y}}
                error: isp.top-remote-conection-timeout
              - name: b
                fault: explode
                delay: 5 seconds
              - name: c
                when: {shop_id: {range: [20, 10]}, request_id: {regex: "(unclosed"}}
                first: 1
                nth: 2
                error: invalid_signature
              - name: d
                when: {request_id: z}
              - name: e
                quota: {limit: 3}
              - name: f
                probability: 1.5
                error: invalid_signature
            shops:
              - shop_id: 1
                payment_orders:
                  - actions:
                      - request_id: t
                        buyer_id: 1
                        channel: cash
                        status: PAYING
                        timeline:
                          - {status: SUCCESS}
                          - {after_queries: 0, after: 1s, status: X}
                          - {after: soon, status: Y}
            """
        let result = ScenarioLoader.load(sources: [(path: "r.yaml", text: text)])
        #expect(
            result.diagnostics.map(\.headline) == [
                "r.yaml:3:24: error: the matcher of request_id needs exactly one of equals, prefix, regex, range, one_of",
                "r.yaml:4:12: error: unknown error 'isp.top-remote-conection-timeout'; did you mean 'isp.top-remote-connection-timeout'?",
                "r.yaml:6:12: error: unknown fault 'explode' (one of close, reset, empty_body, truncated_body, malformed_body, http_500, http_502, http_503)",
                "r.yaml:7:12: error: delay must be a duration such as 250ms, 2s, 1.5m or 1h, found '5 seconds'",
                "r.yaml:8:5: error: a rule takes one of first, nth and probability, not first and nth",
                "r.yaml:9:29: error: range of shop_id is empty: 20.0 > 10.0",
                "r.yaml:9:60: error: regex '(unclosed' of request_id does not compile: \(regexError("(unclosed"))",
                "r.yaml:13:5: error: a rule needs something to do: error, fault, delay or quota",
                "r.yaml:16:12: error: a quota is missing the required key 'window'",
                "r.yaml:18:18: error: probability must be a number from 0 to 1, found '1.5'",
                "r.yaml:29:17: error: a timeline step needs one trigger: after_queries, after or manual",
                "r.yaml:30:17: error: a timeline step takes one trigger, not after_queries and after",
                "r.yaml:31:25: error: after must be a duration such as 250ms, 2s, 1.5m or 1h, found 'soon'",
            ])
    }

    func regexError(_ source: String) -> String {
        do {
            _ = try Regex(source)
            return ""
        } catch { return "\(error)" }
    }

    @Test func reportsUnreachableRules() {
        let text = """
            rules:
              - {name: all, delay: 1s}
              - {name: never, when: {request_id: x}, error: invalid_signature}
              - {name: higher, priority: 1, when: {request_id: y}, fault: close}
            """
        let result = ScenarioLoader.load(sources: [(path: "u.yaml", text: text)])
        #expect(
            result.report == """
                u.yaml:3:5: error: rule 'never' can never fire: rule 'all' at u.yaml:2:5 matches every request before it
                  - {name: never, when: {request_id: x}, error: invalid_signature}
                    ^
                """)
    }

    @Test func reportsCheckoutProblems() {
        let text = """
            checkout_status: {waiting: 0, paid: 0}
            channel_profiles:
              - {when: {pay_chanel: cash}, channel: cash, status: SUCCESS}
              - {when: {pay_channel: cash}, status: SUCCESS}
            action_templates:
              - {channel: alipay, status: PAYING}
            rules:
              - {when: {method: alibaba.pos.order.pay}, delay: 1s, takes_effect: true}
            stubs:
              - {method: alibaba.pos.order.pay, response: {a: 1}}
            """
        #expect(
            ScenarioLoader.load(sources: [(path: "c.yaml", text: text)]).diagnostics.map(\.headline) == [
                "c.yaml:1:18: error: checkout_status needs three different numbers for waiting, paid and failed",
                "c.yaml:3:13: error: unknown key 'pay_chanel' in a channel profile's when; did you mean 'pay_channel'?",
                "c.yaml:4:5: error: a channel profile is missing the required key 'channel'",
                "c.yaml:6:5: error: an action template is missing the required key 'request_id' (a prefix or regex matcher)",
                "c.yaml:8:70: error: takes_effect goes with a fault (the call takes effect, then the fault loses its answer)",
                "c.yaml:10:14: error: alibaba.pos.order.pay is answered from shops, checkouts and rules; a stub cannot replace it (see docs/scenarios.md)",
            ])
    }

    @Test func reportsStubProblems() {
        let text = """
            stubs:
              - {method: alibaba.pos.pay.action.query, response: {a: 1}}
              - {method: taobao.x.get, response: {a: ~}}
              - {method: taobao.y.get, response: [1]}
            """
        #expect(
            ScenarioLoader.load(sources: [(path: "s.yaml", text: text)]).diagnostics.map(\.headline) == [
                "s.yaml:2:14: error: alibaba.pos.pay.action.query is answered from shops, checkouts and rules; a stub cannot replace it (see docs/scenarios.md)",
                "s.yaml:3:42: error: 'a' is null; TOP leaves absent fields out, so leave the key out",
                "s.yaml:4:38: error: a stub's response must be a mapping, found a list",
            ])
        let more = """
            stubs:
              - {method: taobao.a.get, response: {a: 1}, responses: [{a: 2}]}
              - {method: taobao.b.get, responses: []}
              - {method: taobao.c.get, when: {method: taobao.c.get}, response: {a: 1}}
            """
        #expect(
            ScenarioLoader.load(sources: [(path: "s.yaml", text: more)]).diagnostics.map(\.headline) == [
                "s.yaml:2:5: error: a stub has response or responses, not both",
                "s.yaml:3:39: error: a stub's responses must be a non-empty list of answers (given in turn; the last repeats)",
                "s.yaml:4:34: error: a stub's when does not take method (the stub's method is the method)",
            ])
        let shadowed = """
            stubs:
              - {method: taobao.d.get, response: {a: 1}}
              - {method: taobao.d.get, when: {fields: {x: {equals: "1"}}}, response: {a: 2}}
            """
        #expect(
            ScenarioLoader.load(sources: [(path: "s.yaml", text: shadowed)]).diagnostics.map(\.headline) == [
                "s.yaml:3:5: error: the stub for taobao.d.get at s.yaml:2:5 answers every call of it (no when), so this one is never reached"
            ])
    }

    /// Stubs matched on business fields, the first that matches answering; several responses
    /// given in turn per namespace, the last repeating; a call no stub matches is code 22's path.
    @Test func stubsMatchFieldsAndAnswerInTurn() throws {
        let engine = try ScenarioEngineTests.engine(
            """
            stubs:
              - method: taobao.item.get
                when: {fields: {"item_request.item_id": {equals: "7"}}}
                responses:
                  - {item: {state: draft}}
                  - {item: {state: listed}}
              - method: taobao.item.get
                when: {params: {shop_id: {equals: "1"}}}
                response: {item: {state: other}}
            """)
        func call(_ item: String, shop: String = "1", namespace: String = "a") -> String {
            let request = MatchableRequest(
                api: APIName(rawValue: "taobao.item.get"), appKey: "k",
                parameters: TOPParameters([("shop_id", shop), ("item_request", #"{"item_id":\#(item)}"#)]), call: nil)
            switch engine.resolve(request, namespace: namespace).decision {
            case .stub(let answer):
                guard case .object(let object)? = answer.response["item"], case .string(let state)? = object["state"] else { return "?" }
                return state
            case .unknownMethod: return "unmatched"
            default: return "other"
            }
        }
        let answers: [String] = [call("7"), call("7"), call("7"), call("8"), call("8", shop: "2")]
        #expect(answers == ["draft", "listed", "listed", "other", "unmatched"])
        #expect(call("7", namespace: "b") == "draft")
    }
}
