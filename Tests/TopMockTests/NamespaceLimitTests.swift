import Foundation
import Testing
import TopMock
import TopMockHTTP
import TopMockProtocol
import TopMockScenarios
import TopMockTesting

/// The set of namespaces is bounded (`--max-namespaces`): a call that would start one more is
/// refused with a clear TOP error, no namespace's state is dropped, and a reset makes room.
@Suite struct NamespaceLimitTests {
    @Test(arguments: [TestTarget.inProcess, .live])
    func aNewNamespacePastTheCapIsRefusedAndNothingIsLost(target: TestTarget) throws {
        let app = try GatewayTests.makeApplication { $0.engine.maxNamespaces = 2 }
        try target.run(app) { (client: TestClient) throws in
            // Two suites pay in their own namespaces.
            for namespace in ["suite-a", "suite-b"] {
                let paid = try client.execute(CheckoutTests.pay("\(namespace)-1", checkout: "co-\(namespace)", namespace: namespace))
                #expect(ShippedScenarioTests.field(paid, "action_status") == "SUCCESS", "\(paid.bodyText)")
            }
            // A third namespace: refused, whatever the method.
            let refused = try client.execute(AdminTests.query("cash-0001", namespace: "suite-c"))
            #expect(refused.bodyText.contains(#""code":15"#) && refused.bodyText.contains("isp.topmock-namespace-limit"), "\(refused.bodyText)")
            #expect(refused.bodyText.contains("--max-namespaces"))
            // The first two keep their payments; calls in them go on.
            #expect(try CheckoutTests.createdActions(client, "suite-a").count == 1)
            #expect(AdminTests.status(try client.execute(AdminTests.query("cash-0001", namespace: "suite-b"))) == "SUCCESS")
            // The journal says what happened.
            let journal = try AdminTests.admin(client, "GET", "/__admin/requests?namespace=suite-c")
            #expect(journal.text.contains(#""error_code":15"#) && journal.text.contains("isp.topmock-namespace-limit"), "\(journal.text)")
            // A reset frees one: the new namespace now starts.
            #expect(try AdminTests.admin(client, "POST", "/__admin/reset", json: #"{"namespace":"suite-a"}"#).status == 200)
            #expect(AdminTests.status(try client.execute(AdminTests.query("cash-0001", namespace: "suite-c"))) == "SUCCESS")
            #expect(try CheckoutTests.createdActions(client, "suite-b").count == 1)
        }
    }
}
