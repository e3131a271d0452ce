import Testing
import TopMockScenarios
import TopMockYAML

@Suite struct YAMLParserTests {
    @Test func keepsLinesColumnsAndScalarStyles() throws {
        let documents = try YAMLParser.parse(
            """
            shops:
              - shop_id: 124
                name: "124"
                code: &c x
                again: *c
            """)
        let root = try #require(documents.first?.mapping)
        #expect(root[0].key.scalar == "shops")
        #expect(root[0].key.mark == YAMLMark(line: 1, column: 1))
        let shop = try #require(root[0].value.sequence?.first?.mapping)
        #expect(shop[0].value.integer == 124)
        #expect(shop[0].value.mark == YAMLMark(line: 2, column: 14))
        #expect(shop[1].value.integer == nil)
        #expect(shop[1].value.scalar == "124")
        #expect(shop[3].value.scalar == "x")
        #expect(shop[3].value.mark == YAMLMark(line: 5, column: 12))
    }

    @Test func reportsSyntaxErrorWithMark() {
        #expect(throws: YAMLError(message: "mapping values are not allowed in this context", mark: YAMLMark(line: 2, column: 5))) {
            try YAMLParser.parse("a: 1\nb: c: d\n")
        }
    }

    @Test func readsNullsBooleansAndEmptyText() throws {
        #expect(try YAMLParser.parse("").isEmpty)
        let values = try #require(YAMLParser.parse("[~, null, '', true, False, 'true']").first?.sequence)
        #expect(values.map(\.isNull) == [true, true, false, false, false, false])
        #expect(values.map(\.bool) == [nil, nil, nil, true, false, nil])
    }

    @Test func refusesAliasBombs() {
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...7 { text += "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]\n" }
        do {
            let documents = try YAMLParser.parse(text)
            Issue.record("an alias bomb was parsed into \(documents.count) documents")
        } catch {
            #expect(error.message == "aliases expand to more than 1000000 nodes")
        }
    }

    /// Found by the fuzzer (a text of `[`s overflowed the stack): nesting is bounded, with a
    /// diagnostic at the level that goes past the limit, whatever the depth.
    @Test(arguments: [300, 100_000])
    func refusesNestingPastTheLimit(depth: Int) {
        for open in ["[", "{a: "] {
            let text = String(repeating: open, count: depth)
            do {
                let documents = try YAMLParser.parse(text)
                Issue.record("\(depth) levels were parsed into \(documents.count) documents")
            } catch {
                #expect(error.message == "sequences and mappings nested deeper than 256 levels")
                #expect(error.mark.line == 1)
            }
        }
        let deepest = String(repeating: "[", count: 256) + String(repeating: "]", count: 256)
        #expect((try? YAMLParser.parse(deepest))?.count == 1)
    }

    /// A scenario file that nests too deep is a compiler-style diagnostic, as any broken file is.
    @Test func aScenarioFileNestedTooDeepIsADiagnostic() {
        let result = ScenarioLoader.load(sources: [(path: "deep.yaml", text: "shops: " + String(repeating: "[", count: 10_000))])
        #expect(!result.isValid)
        #expect(
            result.diagnostics.map(\.description).contains { $0.hasPrefix("deep.yaml:1:") && $0.contains("nested deeper than 256 levels") },
            "\(result.diagnostics.map(\.description))")
    }
}
