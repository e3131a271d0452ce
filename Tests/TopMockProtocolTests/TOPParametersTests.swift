import Testing
import TopMockProtocol

/// The first value of a name wins, however many parameters a call has: a few are scanned, many
/// are indexed, and both must agree.
@Suite struct TOPParametersTests {
    @Test(arguments: [3, 16, 17, 40, 1000])
    func firstValueWinsAndDuplicatesAreNamedAtAnySize(count: Int) {
        var pairs = (0..<count).map { ("p\($0)", "v\($0)") }
        pairs.insert(("p0", "again"), at: pairs.count / 2)
        pairs.append(("p\(count - 1)", "late"))
        pairs.append(("p\(count - 1)", "later"))
        let parameters = TOPParameters(pairs)

        #expect(parameters.count == count)
        #expect(parameters.all.map(\.name) == (0..<count).map { "p\($0)" })
        for number in [0, count / 2, count - 1] {
            #expect(parameters["p\(number)"] == "v\(number)")
        }
        #expect(parameters["absent"] == nil)
        #expect(parameters.duplicatedNames == ["p0", "p\(count - 1)"])
    }

    @Test func parametersBuiltInDifferentWaysCompareByContent() {
        let pairs = (0..<20).map { ("n\($0)", "\($0)") }
        var appended = TOPParameters()
        appended.reserveCapacity(4)
        for (name, value) in pairs { appended.append(name: name, value: value) }
        #expect(appended == TOPParameters(pairs))
        #expect(appended != TOPParameters(Array(pairs.dropLast())))
    }
}
