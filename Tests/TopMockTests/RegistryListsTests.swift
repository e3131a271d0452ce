import Foundation
import Testing
import TopMockProtocol
import TopMockTesting

@testable import TopMockScenarios

/// Every list of methods or outcomes kept outside Swift is the registry's: adding a method to
/// ``ServedMethods/registry`` without its docs, or dropping one, fails here.
@Suite struct RegistryListsTests {
    static func text(_ path: String) throws -> String { try String(contentsOfFile: packageRoot + "/" + path, encoding: .utf8) }

    /// The words between `start` and `end` in `text`, split at commas and spaces, backticks dropped.
    static func words(in text: String, after start: String, before end: String) throws -> Set<String> {
        let from = try #require(text.range(of: start))
        let to = try #require(text.range(of: end, range: from.upperBound..<text.endIndex))
        let list = text[from.upperBound..<to.lowerBound]
        return Set(list.split(whereSeparator: { ",; \n`():".contains($0) }).map(String.init).filter { $0.contains(where: \.isLetter) })
    }

    static let outcomeWords = Set(ServedMethods.outcomes.map(\.rawValue))

    @Test func theSchemaRefusesAStubForEveryServedMethodAndNoOther() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: packageRoot + "/schema/scenario.schema.json"))
        let schema = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let stub = try #require((schema["$defs"] as? [String: Any])?["stub"] as? [String: Any])
        let method = try #require((stub["properties"] as? [String: Any])?["method"] as? [String: Any])
        let refused = try #require((method["not"] as? [String: Any])?["enum"] as? [String])
        #expect(Set(refused) == Set(ServedMethods.names.map(\.rawValue)))
    }

    @Test func theAdminAPIsOutcomeFilterListsEveryOutcome() throws {
        let openAPI = try Self.text("docs/admin-openapi.yaml")
        let filter = try Self.words(
            in: openAPI, after: "outcome: {name: outcome, in: query, schema: {type: string}, description: \"", before: "; or an error code")
        #expect(filter == Self.outcomeWords)
        let metrics = try Self.words(in: openAPI, after: "topmock_requests_total{method, outcome, result, namespace} (outcome:", before: "; result:")
        #expect(metrics == Self.outcomeWords)
    }

    @Test func theMetricsDocsListEveryOutcome() throws {
        let ci = try Self.text("docs/ci.md")
        let row = try #require(ci.split(separator: "\n").first { $0.hasPrefix("| `topmock_requests_total`") })
        let words = try Self.words(in: String(row), after: "`outcome` (", before: "), `result`")
        // The row explains the words with a few of its own; every outcome is there, and each
        // backticked word is an outcome.
        let ticked = Set(
            String(row).components(separatedBy: "`outcome` (")[1].components(separatedBy: "), `result`")[0]
                .components(separatedBy: "`").enumerated().filter { $0.offset % 2 == 1 }.map(\.element))
        #expect(words.isSuperset(of: Self.outcomeWords))
        #expect(ticked == Self.outcomeWords)
    }

    @Test func everyOutcomeIsDeclaredOnceAndEveryMethodHasItsOwnDocs() throws {
        #expect(Set(ServedMethods.outcomes).count == ServedMethods.outcomes.count)
        let protocolText = try Self.text("docs/protocol.md")
        for method in ServedMethods.registry {
            #expect(!method.outcomes.isEmpty, "\(method.api)")
            #expect(protocolText.contains(method.api.rawValue), "docs/protocol.md does not describe \(method.api)")
        }
    }

    @Test func eachMethodExplainsItsOwnNearMissAndRecording() {
        // A query of a missing action is explained by pay.action.query's hook, which names it.
        let scope = NearMissScope(set: ScenarioSet(), namespace: NamespaceState())
        let call = PaymentActionQuery(shopID: 1, requestID: "r-1", buyerID: 2)
        #expect(ServedMethods.method(.posPayActionQuery)?.nearMiss(call, scope) == "no payment action with request_id 'r-1' in shop 1")
        // Another method's call is no business of this hook.
        #expect(ServedMethods.method(.posPayStatusQuery)?.nearMiss(call, scope) == nil)
        // A served method's failure is topmock's own answer: nothing recorded, never a stub.
        let failure = RecordedAnswer(fields: ["shop_id": "1"], result: ["success": .bool(false)])
        for method in ServedMethods.registry {
            guard case .derived = method.recorded(failure) else {
                Issue.record("\(method.api) records a failure")
                continue
            }
        }
        #expect(ServedMethods.recorded(APIName(rawValue: "taobao.time.get"), failure) == nil)
    }
}
