import Dispatch
import Synchronization
import Testing
import TopMockProtocol
import TopMockScenarios
import TopMockTesting

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
                "c.yaml:10:14: error: alibaba.pos.order.pay is served from the scenario model (shops, stores, checkouts) and rules; a stub cannot replace it (see docs/scenarios.md)",
            ])
    }

    @Test func reportsStoreProblems() {
        let text = """
            stores:
              - shop_id: 7
                items:
                  - {item_id: 1, title: water, price_fen: 200, codes: ["690"]}
                  - {item_id: 1, title: again, price_fen: 200, codes: ["691"]}
                  - {item_id: 2, title: milk, price_fen: 10000000001, codes: ["690"]}
                  - {item_id: 3, title: tea, price_fen: 300, codes: []}
                promotions:
                  - {item_id: 9, price_fen: 100}
                  - {item_id: 1, price_fen: 200}
                coupons:
                  - {code: "690", off_fen: 1}
                accounts:
                  - {channel_name: card, channel_account: "1", balance_fen: 1, valid_from: "2026-13-01 00:00:00"}
                  - {channel_name: card, channel_account: "2", balance_fen: 1, valid_from: "2026-01-02 00:00:00", valid_until: "2026-01-01 00:00:00"}
                feature: []
            sale: {order_id_fields: ["Bad-Name"], first_order_id: 1000000000000000001}
            """
        #expect(
            ScenarioLoader.load(sources: [(path: "t.yaml", text: text)]).diagnostics.map(\.headline) == [
                "t.yaml:5:9: error: duplicate item: item_id 1 is declared twice",
                "t.yaml:6:46: error: 'price_fen' in an item must be between 0 and 10000000000 fen, found 10000000001",
                "t.yaml:7:57: error: an item needs at least one code (a barcode, a QR code, an asset code)",
                "t.yaml:9:9: error: the promotion names item_id 9, which this store does not list",
                "t.yaml:10:9: error: the promotion's price_fen 200 is not below item 1's price_fen 200",
                "t.yaml:12:9: error: code '690' is used twice in this store (first at line 4); a scan must find one item or coupon",
                "t.yaml:14:80: error: 'valid_from' must be a time as yyyy-MM-dd HH:mm:ss (GMT+8), found '2026-13-01 00:00:00'",
                "t.yaml:15:116: error: valid_until is before valid_from",
                "t.yaml:16:5: error: unknown key 'feature' in a store; did you mean 'features'?",
                "t.yaml:17:26: error: order_id_fields holds field names of lower-case letters, digits and _, found 'Bad-Name'",
                "t.yaml:17:55: error: first_order_id must be at most 1000000000000000, found 1000000000000000001",
            ])
        // Across files: one store a shop, one sale section.
        let first = "stores: [{shop_id: 7}]\nsale: {first_order_id: 5}"
        #expect(
            ScenarioLoader.load(sources: [(path: "a.yaml", text: first), (path: "b.yaml", text: first)]).diagnostics.map(\.headline) == [
                "b.yaml:1:10: error: duplicate store for shop 7: first declared at a.yaml:1:10",
                "b.yaml:2:7: error: sale is already set at a.yaml:2:7; set it in one file",
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
                "s.yaml:2:14: error: alibaba.pos.pay.action.query is served from the scenario model (shops, stores, checkouts) and rules; a stub cannot replace it (see docs/scenarios.md)",
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
