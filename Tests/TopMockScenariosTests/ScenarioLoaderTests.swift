import Testing
import TopMockProtocol
import TopMockScenarios
import TopMockTesting

@Suite struct ScenarioLoaderTests {
    static let valid = """
        name: demo
        apps:
          - app_key: "4272"
            secret: s3cret
        shops:
          - shop_id: 124
            payment_orders:
              - id: PO-1
                total_fen: 2000
                actions:
                  - request_id: split-cash
                    buyer_id: 456
                    channel: cash
                    amount_fen: 1000
                    status: SUCCESS
                  - request_id: 777
                    buyer_id: 456
                    channel: alipay
                    amount_fen: 1000
                    status: PAYING
                    success: false
                    result:
                      success: true
                      msg_code: OK
        """

    func load(_ files: [(String, String)]) -> ScenarioLoadResult {
        ScenarioLoader.load(sources: files.map { (path: $0.0, text: $0.1) })
    }

    @Test func loadsShopsOrdersActionsAndApps() throws {
        let result = load([("demo.yaml", Self.valid)])
        #expect(result.isValid, "\(result.report)")
        #expect(result.set.apps == ["4272": AppCredentials(secret: "s3cret")])
        #expect(result.set.files == [ScenarioFileSummary(path: "demo.yaml", name: "demo", description: nil, actionCount: 2)])
        let cash = try #require(result.set.actions[ActionKey(shopID: 124, requestID: "split-cash")])
        #expect(cash.channel == "cash")
        #expect(cash.paymentOrderID == "PO-1")
        #expect(cash.source == SourceLocation(path: "demo.yaml", line: 11, column: 13))
        let alipay = try #require(result.set.actions[ActionKey(shopID: 124, requestID: "777")])
        #expect(alipay.initial.status == .paying)
        #expect(alipay.initial.modelSuccess == false)
        #expect(alipay.initial.msgCode == "OK")
    }

    @Test func reportsEveryProblemWithLineColumnAndCaret() {
        let broken = """
            name: broken
            shops:
              - shop_id: "abc"
                payment_orders:
                  - total_fen: 500
                    actions:
                      - request_id: a1
                        buyer_id: 1
                        chanel: cash
                        amount_fen: 100
                        status: SUCCESS
                      - request_id: a2
                        buyer_id: -4
                        channel: [cash]
                        status: SUCCESS
            """
        let result = load([("broken.yaml", broken)])
        #expect(!result.isValid)
        #expect(
            result.report == """
                broken.yaml:3:14: error: 'shop_id' in a shop must be a whole number, found a string
                  - shop_id: "abc"
                             ^
                broken.yaml:5:20: error: total_fen is 500 but not every action gives amount_fen
                      - total_fen: 500
                                   ^
                broken.yaml:7:13: error: a payment action is missing the required key 'channel'
                          - request_id: a1
                            ^
                broken.yaml:9:13: error: unknown key 'chanel' in a payment action; did you mean 'channel'?
                            chanel: cash
                            ^
                broken.yaml:13:23: error: 'buyer_id' in a payment action must be at least 0, found -4
                            buyer_id: -4
                                      ^
                broken.yaml:14:22: error: 'channel' in a payment action must be a string, found a list
                            channel: [cash]
                                     ^
                """)
        #expect(result.set.actions.isEmpty)
    }

    @Test func checksThatSplitLegsAddUp() {
        let text = Self.valid.replacing("total_fen: 2000", with: "total_fen: 2500")
        #expect(
            load([("demo.yaml", text)]).report == """
                demo.yaml:9:20: error: the actions' amount_fen add up to 2000 (1000 + 1000), not total_fen 2500
                        total_fen: 2500
                                   ^
                """)
    }

    @Test func reportsDuplicateActionsAcrossFiles() {
        let second = """
            shops:
              - shop_id: 124
                payment_orders:
                  - actions:
                      - {request_id: split-cash, buyer_id: 1, channel: cash, status: SUCCESS}
            """
        let result = load([("a.yaml", Self.valid), ("b.yaml", second)])
        #expect(
            result.diagnostics.map(\.headline) == [
                "b.yaml:5:13: error: duplicate payment action (shop 124, request_id 'split-cash'): first declared at a.yaml:11:13"
            ])
    }

    @Test func reportsConflictingAppSecretsAndSyntaxErrors() {
        let other = "apps: [{app_key: \"4272\", secret: other}]\n"
        let syntax = "shops: [\n"
        let result = load([("a.yaml", Self.valid), ("b.yaml", other), ("c.yaml", syntax)])
        #expect(
            result.diagnostics.map(\.headline) == [
                "b.yaml:1:8: error: app_key '4272' is declared at a.yaml:3:5 with another secret",
                "c.yaml:2:1: error: YAML syntax: did not find expected node content while parsing a flow node",
            ])
    }

    @Test func readsAppSessions() {
        let result = load([("apps.yaml", "apps:\n  - {app_key: a, secret: s, sessions: [one, two]}\n  - {app_key: b, secret: s, sessions: [{}]}\n")])
        #expect(
            result.report == """
                apps.yaml:3:40: error: sessions of an app must be non-empty strings, found a mapping
                  - {app_key: b, secret: s, sessions: [{}]}
                                                       ^
                """)
        let valid = load([("apps.yaml", "apps:\n  - {app_key: a, secret: s, sessions: [one, two]}\n")])
        #expect(valid.set.apps == ["a": AppCredentials(secret: "s", sessions: ["one", "two"])])
    }

    @Test func emptyFileDeclaresNothing() {
        let result = load([("empty.yaml", "# nothing yet\n")])
        #expect(result.isValid)
        #expect(result.set.files.map(\.name) == ["empty"])
    }

    @Test func reportsMissingDirectory() {
        let result = ScenarioLoader.load(paths: ["/nonexistent/topmock"])
        #expect(result.report == "/nonexistent/topmock:1:1: error: no such file or directory")
    }

    /// The shipped scenarios are the product's default: they must load clean.
    @Test func shippedScenariosAreValid() throws {
        let result = ScenarioLoader.load(paths: [packageRoot + "/scenarios"])
        #expect(result.isValid, "\(result.report)")
        for key in ["cash-0001", "alipay-0001", "split-0001-cash", "split-0001-alipay", "alipay-failed-0001"] {
            #expect(result.set.actions[ActionKey(shopID: 124, requestID: key)] != nil, "\(key)")
        }
    }

    @Test func engineResolvesFoundNotFoundAndBuyerMismatch() throws {
        let engine = ScenarioEngine(set: load([("demo.yaml", Self.valid)]).set)
        func resolve(_ shop: Int64, _ request: String, _ buyer: Int64) -> Resolution.Decision {
            engine.resolve(
                MatchableRequest(
                    api: .posPayActionQuery, appKey: "k", parameters: TOPParameters(),
                    call: PaymentActionQuery(shopID: shop, requestID: request, buyerID: buyer))
            ).decision
        }
        guard case .answer(let answer) = resolve(124, "split-cash", 456) else {
            Issue.record("not found")
            return
        }
        guard case .object(let result)? = answer.fields["result"], case .object(let model)? = result["model"] else {
            Issue.record("no model in \(answer.fields)")
            return
        }
        #expect(model["channel_name"] == .string("cash"))
        #expect(answer.outcome == .found && answer.actionStatus == .success)
        guard case .answer(let missing) = resolve(125, "split-cash", 456), case .answer(let other) = resolve(124, "split-cash", 1) else {
            Issue.record("no answers")
            return
        }
        #expect(missing.outcome == .notFound && !missing.isSuccess)
        #expect(other.outcome == .buyerMismatch && !other.isSuccess)
    }
}
