import Foundation
import Testing
import TopMockTesting
import TopMockYAML

@testable import TopMock

/// docs/admin-openapi.yaml describes exactly the routes the server has.
@Suite struct AdminOpenAPITests {
    @Test func documentListsEveryRouteAndNoOther() throws {
        let text = try String(contentsOfFile: packageRoot + "/docs/admin-openapi.yaml", encoding: .utf8)
        let root = try #require(try YAMLParser.parse(text).first?.mapping)
        let paths = try #require(root.first { $0.key.scalar == "paths" }?.value.mapping)
        var documented: Set<String> = []
        for path in paths {
            for operation in path.value.mapping ?? [] where ["get", "put", "post", "delete"].contains(operation.key.scalar ?? "") {
                documented.insert("\(operation.key.scalar!.uppercased()) \(path.key.scalar!)")
            }
        }
        let served = Set(AdminResponder.routes.map { "\($0.method) \($0.template)" })
        #expect(documented == served, "documented only: \(documented.subtracting(served)); served only: \(served.subtracting(documented))")
    }
}
