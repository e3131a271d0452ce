import Foundation
import Testing
import TopMockProtocol
import TopMockTesting

@testable import TopMockScenarios

/// schema/scenario.schema.json says what the loader accepts: the same keys, error names and faults.
@Suite struct SchemaTests {
    static var schema: [String: Any] {
        let url = URL(fileURLWithPath: packageRoot + "/schema/scenario.schema.json")
        let data = (try? Data(contentsOf: url)) ?? Data()
        return ((try? JSONSerialization.jsonObject(with: data)) as? [String: Any]) ?? [:]
    }

    static func properties(_ definition: String?) -> Set<String> {
        let node = definition.map { ((schema["$defs"] as? [String: Any])?[$0] as? [String: Any]) ?? [:] } ?? schema
        return Set(((node["properties"] as? [String: Any]) ?? [:]).keys)
    }

    @Test(
        arguments: [
            (nil, ScenarioCompiler.fileKeys), ("app", ScenarioCompiler.appKeys), ("shop", ScenarioCompiler.shopKeys),
            ("paymentOrder", ScenarioCompiler.orderKeys), ("paymentAction", ScenarioCompiler.actionKeys),
            ("timelineStep", ScenarioCompiler.stepKeys), ("resultLevel", ScenarioCompiler.resultKeys),
            ("rule", ScenarioCompiler.ruleKeys), ("stub", ScenarioCompiler.stubKeys),
            ("channelProfile", ScenarioCompiler.profileKeys), ("actionTemplate", ScenarioCompiler.templateKeys),
            ("store", ScenarioCompiler.storeKeys), ("storeItem", ScenarioCompiler.itemKeys), ("promotion", ScenarioCompiler.promotionKeys),
            ("coupon", ScenarioCompiler.couponKeys), ("storeAccount", ScenarioCompiler.accountKeys), ("storeFeature", ScenarioCompiler.featureKeys),
        ] as [(String?, [String])])
    func schemaHasTheLoadersKeys(definition: String?, keys: [String]) {
        #expect(Self.properties(definition) == Set(keys), "\(definition ?? "root")")
    }

    @Test func schemaNamesEveryCatalogueErrorAndFault() throws {
        let rule = try #require((Self.schema["$defs"] as? [String: Any])?["rule"] as? [String: Any])
        let properties = try #require(rule["properties"] as? [String: Any])
        let errorForms = try #require((properties["error"] as? [String: Any])?["oneOf"] as? [[String: Any]])
        #expect(errorForms.first?["enum"] as? [String] == TOPError.allNames)
        #expect((properties["fault"] as? [String: Any])?["enum"] as? [String] == Fault.allCases.map(\.rawValue))
        let when = try #require((properties["when"] as? [String: Any])?["properties"] as? [String: Any])
        #expect(Set(when.keys) == Set(ScenarioCompiler.whenKeys))
    }
}
