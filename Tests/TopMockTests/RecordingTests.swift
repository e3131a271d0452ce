import Foundation
import FoundationXML
import Logging
import Testing
import TopMockHTTP
import TopMockProtocol
import TopMockScenarios
import TopMockTesting
import TopMockUpstream

@testable import TopMock

/// `topmock record` against a real upstream: a second topmock on loopback with the shipped
/// scenarios (timelines, an error rule, a dropped connection). The recorder re-signs the app's
/// calls with the upstream app, answers with what the upstream said, and writes a scenario file
/// that replays the same app-visible answers in order.
@Suite struct RecordingTests {
    static let localKey = "pos-local", localSecret = "local-secret"

    /// The calls a POS app makes in this test, signed with the recorder's local app, answered in `format`.
    static func calls(_ format: ResponseFormat = .json) -> [SignedRequest] {
        func query(_ id: String, buyer: Int64 = 123) -> SignedRequest {
            SignedRequest.payActionQuery(shopID: 124, requestID: id, buyerID: buyer, format: format, appKey: localKey, secret: localSecret)
        }
        let pay =
            #"{"request_id":"rec-pay-1","checkout_id":"rec-co-1","pay_fee":1500,"pay_channel":"alipay_facepay_v2","buyer_id":123,"channel_account":"289999888877776666","operator_id":"op-secret-7"}"#
        let payment = SignedRequest.orderPay(shopID: 124, payRequest: pay, appKey: localKey, secret: localSecret)
            .setting("format", format.rawValue)
        let checkout = SignedRequest.payStatusQuery(shopID: 124, checkoutID: "rec-co-1", buyerID: 123, appKey: localKey, secret: localSecret)
            .setting("format", format.rawValue)
        return [
            query("alipay-poll-0001"), query("alipay-poll-0001"), query("alipay-poll-0001"), query("alipay-poll-0001"),
            // The app polls the checkout, then the action: the payment settles on the checkout's poll.
            payment, checkout, query("rec-pay-1"), checkout, query("rec-pay-1"), checkout,
            query("err-timeout-1"), query("drop-1"), query("cash-0001"),
            SignedRequest(
                parameters: [
                    ("method", "alibaba.pos.fund.cashier.shift.summary"), ("app_key", localKey), ("v", "2.0"), ("format", format.rawValue),
                    ("sign_method", "md5"), ("timestamp", String(SystemWallClock().nowMillis())), ("shop_id", "124"),
                ], secret: localSecret),
            item("7", format), item("7", format), item("8", format), item("7", format),
        ]
    }

    /// A call of a method only a stub answers (`Self.itemStubs`), by item id.
    static func item(_ id: String, _ format: ResponseFormat) -> SignedRequest {
        SignedRequest(
            parameters: [
                ("method", "taobao.item.get"), ("app_key", localKey), ("v", "2.0"), ("format", format.rawValue), ("sign_method", "md5"),
                ("timestamp", String(SystemWallClock().nowMillis())), ("item_request", #"{"item_id":\#(id),"operator_id":"op-secret-7"}"#),
            ], secret: localSecret)
    }

    /// The upstream's answers for taobao.item.get: item 7 changes between calls, item 8 does not.
    static let itemStubs = """
        name: items
        stubs:
          - method: taobao.item.get
            when: {fields: {"item_request.item_id": {equals: "7"}}}
            responses:
              - {item: {state: draft, title: 茶}}
              - {item: {state: listed, title: 茶}}
          - method: taobao.item.get
            response: {item: {state: sold_out}}
        checkout_status: {waiting: 10, paid: 11, failed: 12}
        """

    /// What the app sees: the answer without TOP's request_id — JSON with sorted keys; XML as its
    /// sorted element paths (answers are values: their field order is not kept) — or how the
    /// connection ended.
    static func seen(_ client: TestClient, _ request: SignedRequest) -> String {
        do {
            let response = try client.execute(request)
            if response.bodyText.hasPrefix("<?xml") { return XMLPaths.of(response.body) }
            guard var object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any],
                let (key, value) = object.first, var inner = value as? [String: Any]
            else { return "HTTP \(response.status): \(response.bodyText)" }
            inner["request_id"] = nil
            object[key] = inner
            return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
        } catch {
            return "\(type(of: error))"
        }
    }

    @Test(arguments: [ResponseFormat.json, .xml])
    func aRecordingReplaysTheSameAnswersInOrderAndKeepsSecretsOut(format: ResponseFormat) throws {
        let extra = FileManager.default.temporaryDirectory.appendingPathComponent("topmock-upstream-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: extra, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: extra) }
        try Self.itemStubs.write(to: extra.appendingPathComponent("items.yaml"), atomically: true, encoding: .utf8)
        let upstream = try GatewayTests.makeApplication {
            $0.watchInterval = nil
            $0.scenarioPaths.append(extra.path)
        }
        try upstream.start()
        defer { upstream.stop() }
        let recorder = try GatewayTests.makeApplication {
            $0.watchInterval = nil
            $0.defaultAppEnabled = false
            $0.apps = [Self.localKey: AppCredentials(secret: Self.localSecret)]
            var settings = UpstreamSettings(url: "http://127.0.0.1:\(upstream.port)/router/rest", appKey: "12345678", secret: "helloworld")
            settings.redactedPaths = ["pay_request.operator_id", "item_request.operator_id"]
            $0.upstream = settings
            $0.scenarioPaths = []
        }
        let recorded = try TestTarget.inProcess.run(recorder) { client in Self.calls(format).map { Self.seen(client, $0) } }

        // The recorder answered with the upstream's answers: timelines, the error, the dropped connection.
        let (paying, success, timeout) =
            format == .json
            ? (#""action_status":"PAYING""#, #""action_status":"SUCCESS""#, #""code":15"#)
            : ("action_status=PAYING", "action_status=SUCCESS", "code=15")
        #expect(recorded[0].contains(paying) && recorded[3].contains(success), "\(recorded)")
        #expect(recorded[4].contains(paying) && recorded[8].contains(success), "\(recorded)")
        let (waitingCode, paidCode) =
            format == .json ? (#""checkout_status":10"#, #""checkout_status":11"#) : ("checkout_status=10", "checkout_status=11")
        #expect(recorded[5].contains(waitingCode) && recorded[7].contains(paidCode) && recorded[9].contains(paidCode), "\(recorded)")
        #expect(recorded[10].contains(timeout) && recorded[11] == "ClosedWithoutResponse", "\(recorded)")
        #expect(recorded[13].contains("channel_summar"), "\(recorded[13])")
        let states = recorded[14...17].map {
            $0.contains("draft") ? "draft" : $0.contains("listed") ? "listed" : $0.contains("sold_out") ? "sold_out" : $0
        }
        #expect(states == ["draft", "listed", "sold_out", "listed"], "\(recorded[14...])")
        // The upstream saw the calls signed with its own app, in its namespace.
        #expect(upstream.journal.count(matching: JournalFilter(namespace: "12345678", outcome: "25")) == 0)
        #expect(upstream.journal.count(matching: JournalFilter(namespace: "12345678")) == recorded.count)

        let yaml = try #require(recorder.recordingYAML(name: "recorded-test"))
        #expect(!yaml.contains("helloworld") && !yaml.contains(Self.localSecret) && !yaml.contains("289999888877776666"), "\(yaml)")
        // A --redact path never becomes a matcher (without it, the item stubs' when would name it).
        #expect(!yaml.contains("op-secret-7"), "a --redact path reached the recording: \(yaml)")
        #expect(yaml.hasPrefix("# Recorded by topmock \(TopMockVersion.current) from http://127.0.0.1:\(upstream.port)/router/rest"))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("topmock-recording-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try yaml.write(to: folder.appendingPathComponent("recorded.yaml"), atomically: true, encoding: .utf8)
        if ProcessInfo.processInfo.environment["TOPMOCK_PRINT_RECORDING"] != nil { print(yaml) }
        let loaded = ScenarioLoader.load(paths: [folder.path])
        #expect(loaded.isValid, "\(loaded.diagnostics.map(\.description))\n\(yaml)")

        // Replayed from the written file alone, with the local app: the same answers, in order.
        let replay = try GatewayTests.makeApplication {
            $0.watchInterval = nil
            $0.defaultAppEnabled = false
            $0.apps = [Self.localKey: AppCredentials(secret: Self.localSecret)]
            $0.scenarioPaths = [folder.path]
        }
        let replayed = try TestTarget.inProcess.run(replay) { client in Self.calls(format).map { Self.seen(client, $0) } }
        for (index, (first, again)) in zip(recorded, replayed).enumerated() {
            #expect(first == again, "call \(index): recorded \(first), replayed \(again)\n\(yaml)")
        }
    }

    /// A server reading the scenarios in `folder` that sends what they do not know to `upstream`.
    static func proxyOnMiss(to upstream: TopMockApplication, scenarios folder: URL) throws -> TopMockApplication {
        try GatewayTests.makeApplication {
            $0.watchInterval = nil
            $0.scenarioPaths = [folder.path]
            var settings = UpstreamSettings(url: "http://127.0.0.1:\(upstream.port)/router/rest", appKey: "12345678", secret: "helloworld")
            settings.mode = .proxyOnMiss
            $0.upstream = settings
        }
    }

    /// `serve --proxy-on-miss`: what the scenarios know is answered here; an unknown action or an
    /// unserved method goes upstream (and into the recording).
    @Test func proxyOnMissForwardsOnlyWhatTheScenariosDoNotKnow() throws {
        let upstream = try GatewayTests.makeApplication { $0.watchInterval = nil }
        try upstream.start()
        defer { upstream.stop() }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("topmock-proxy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try """
        name: local
        shops:
          - shop_id: 124
            payment_orders:
              - actions:
                  - {request_id: local-0001, buyer_id: 123, channel: cash, status: SUCCESS}
        """.write(to: folder.appendingPathComponent("local.yaml"), atomically: true, encoding: .utf8)
        let proxy = try Self.proxyOnMiss(to: upstream, scenarios: folder)
        let features = SignedRequest(
            parameters: [
                ("method", "alibaba.pos.fund.cashier.shift.summary"), ("app_key", "12345678"), ("v", "2.0"), ("format", "json"),
                ("sign_method", "md5"), ("timestamp", String(SystemWallClock().nowMillis())), ("shop_id", "124"),
            ], secret: "helloworld")
        try TestTarget.inProcess.run(proxy) { client in
            #expect(
                AdminTests.status(try client.execute(SignedRequest.payActionQuery(shopID: 124, requestID: "local-0001", buyerID: 123))) == "SUCCESS")
            let forwarded = try client.execute(SignedRequest.payActionQuery(shopID: 124, requestID: "alipay-poll-0001", buyerID: 123))
            #expect(AdminTests.status(forwarded) == "PAYING", "\(forwarded.bodyText)")
            #expect(try client.execute(features).bodyText.contains("channel_summar"))
            let outcomes = proxy.journal.entries(matching: JournalFilter(), limit: nil).map(\.outcome)
            #expect(outcomes == [.found, .proxied, .proxied])
            let recording = try client.execute(HTTPRequest(method: "GET", path: "/__admin/recording")).bodyText
            #expect(
                recording.contains("alipay-poll-0001") && recording.contains("alibaba.pos.fund.cashier.shift.summary")
                    && !recording.contains("local-0001"))
        }
        #expect(upstream.journal.count(matching: JournalFilter()) == 2)
    }

    /// The store a recording shows: a scan the local scenarios cannot answer goes upstream (the
    /// shipped store), and the recording holds the item, its promotion and the features; replayed
    /// from the recording alone, the scan and the subtotal answer as upstream priced them.
    @Test func scansAndFeaturesAreRecordedAsAStore() throws {
        let upstream = try GatewayTests.makeApplication { $0.watchInterval = nil }
        try upstream.start()
        defer { upstream.stop() }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("topmock-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let proxy = try Self.proxyOnMiss(to: upstream, scenarios: folder)
        func scan(_ code: String) -> SignedRequest {
            SignedRequest.call(
                APIName(rawValue: "alibaba.pos.item.get"), business: [("shop_id", "124"), ("code_reader_req", #"{"code_value":"\#(code)"}"#)])
        }
        let features = SignedRequest.call(
            APIName(rawValue: "alibaba.pos.service.features.get"), business: [("get_config_request", #"{"merchant_code":"M","shop_id":"124"}"#)])
        let recording = try TestTarget.inProcess.run(proxy) { (client: TestClient) throws -> String in
            #expect(ShippedScenarioTests.field(try client.execute(scan("6921168509256")), "promotion_price") == "150")
            #expect(ShippedScenarioTests.field(try client.execute(scan("2000503")), "is_weight") == "true")
            #expect(try client.execute(features).bodyText.contains("ALIPAY_FACEPAY"))
            return try client.execute(HTTPRequest(method: "GET", path: "/__admin/recording")).bodyText
        }
        #expect(recording.contains("stores:\n  - shop_id: 124\n    items:\n"), "\(recording)")
        try recording.write(to: folder.appendingPathComponent("recorded.yaml"), atomically: true, encoding: .utf8)
        let loaded = ScenarioLoader.load(paths: [folder.path])
        #expect(loaded.isValid, "\(loaded.diagnostics.map(\.description))\n\(recording)")
        let replay = try GatewayTests.makeApplication {
            $0.watchInterval = nil
            $0.scenarioPaths = [folder.path]
        }
        try TestTarget.inProcess.run(replay) { (client: TestClient) throws in
            #expect(ShippedScenarioTests.field(try client.execute(scan("6921168509256")), "promotion_price") == "150")
            let subtotal = SignedRequest.call(
                APIName(rawValue: "alibaba.pos.items.subtotal"),
                business: [
                    ("shop_id", "124"), ("buyer_id", "1"),
                    ("subtotal_request", #"{"item_list":[{"item_id":5001,"buy_quantity":2},{"item_id":5003,"inv_quantity":"0.532"}]}"#),
                ])
            #expect(ShippedScenarioTests.field(try client.execute(subtotal), "actual_fee") == "981")
            #expect(try client.execute(features).bodyText.contains(#"{"code":"CASH","name":"现金","prompt":""}"#))
        }
    }

    @Test func anUnreachableUpstreamIsA502WithTheReason() throws {
        let recorder = try GatewayTests.makeApplication {
            $0.watchInterval = nil
            $0.upstream = UpstreamSettings(url: "http://127.0.0.1:1/router/rest", appKey: "12345678", secret: "helloworld")
        }
        try TestTarget.inProcess.run(recorder) { client in
            let response = try client.execute(SignedRequest.payActionQuery(shopID: 124, requestID: "cash-0001", buyerID: 123))
            #expect(response.status == 502 && response.headers["X-Topmock-Diagnostic"]?.contains("upstream") == true, "\(response.bodyText)")
            #expect(recorder.journal.entries(matching: JournalFilter(), limit: nil).first?.outcome == .proxied)
            // The recording so far (an unreachable upstream: a dropped-connection rule), then cleared.
            let recording = try client.execute(HTTPRequest(method: "GET", path: "/__admin/recording"))
            #expect(recording.status == 200 && recording.bodyText.hasPrefix("# Recorded by topmock"), "\(recording.bodyText)")
            #expect(!recording.bodyText.contains("fault:"), "an upstream topmock cannot reach is not the upstream's fault: \(recording.bodyText)")
            #expect(try AdminTests.admin(client, "DELETE", "/__admin/recording").json["cleared"] as? Int == 1)
        }
        let plain = try GatewayTests.makeApplication()
        try TestTarget.inProcess.run(plain) { client in
            let refused = try AdminTests.admin(client, "GET", "/__admin/recording")
            #expect(refused.status == 404 && (refused.json["error"] as? [String: Any])?["code"] as? Int == 1015)
        }
    }

    @Test func anAnswerIsReadAsAValueWithoutTOPsRequestIDOrHostComment() {
        let body =
            Array(#"{"item_get_response":{"item":{"title":"茶"},"request_id":"zt9tg1f4lhkg"}}"#.utf8) + Array("\n<!--top010179031191.s.et2-->\n".utf8)
        #expect(Forwarder.answer(body) == .success(.object(["item": .object(["title": .string("茶")])])))
        let error = Array(
            #"{"error_response":{"code":29,"msg":"Invalid app Key","sub_code":"isv.appkey-not-exists","request_id":"157dldoj7tr3e"}}"#.utf8)
        #expect(Forwarder.answer(error) == .error(TOPError(code: 29, msg: "Invalid app Key", subCode: "isv.appkey-not-exists")))
        guard case .failure(let failure) = Forwarder.answer(Array("<html>502</html>".utf8)) else {
            Issue.record("read a page as an answer")
            return
        }
        #expect(failure.description.contains("not a TOP JSON envelope"))
    }

    @Test func redactionMasksPathsInsideJSONParametersCanonically() {
        let recorder = Recorder(limit: 10, redactedPaths: ["pay_request.operator_id"])
        let value = recorder.redacted("pay_request", #"{"operator_id":"op-7","channel_account":"2811","pay_fee":1,"nested":{"a":1}}"#)
        #expect(value == #"{"channel_account":"***","nested":{"a":1},"operator_id":"***","pay_fee":1}"#)
        #expect(recorder.redacted("session", "s-1") == "***")
    }
}

/// An XML answer as its element paths with their text, sorted ("result/model/action_status=PAYING"),
/// TOP's request_id left out: equal for two answers with the same values in any field order.
final class XMLPaths: NSObject, XMLParserDelegate {
    private var path: [String] = []
    private var text = ""
    private var lines: [String] = []

    static func of(_ body: [UInt8]) -> String {
        let collector = XMLPaths()
        let parser = XMLParser(data: Data(body))
        parser.delegate = collector
        guard parser.parse() else { return "malformed XML: \(String(decoding: body, as: UTF8.self))" }
        return collector.lines.sorted().joined(separator: "\n")
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:])
    {
        path.append(name)
        text = ""
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if !trimmed.isEmpty && name != "request_id" { lines.append(path.dropFirst().joined(separator: "/") + "=" + trimmed) }
        text = ""
        path.removeLast()
    }
}
