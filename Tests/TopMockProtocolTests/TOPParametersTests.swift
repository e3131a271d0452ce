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

    /// é as one code point and as e + combining accent, and combining marks in another order at
    /// the same length: different bytes, so different names, as for Java's `String.equals`; all
    /// signed. The same bytes again: one name.
    @Test(arguments: [0, 40])
    func namesAreTheSameWhenTheirBytesAre(padding: Int) {
        let composed = "caf\u{E9}", decomposed = "cafe\u{301}"
        let reordered = ("a\u{301}\u{323}", "a\u{323}\u{301}")
        var pairs = (0..<padding).map { ("p\($0)", "v\($0)") }
        pairs += [(composed, "one"), (decomposed, "two"), (reordered.0, "first"), (reordered.1, "second"), (composed, "again")]
        let parameters = TOPParameters(pairs)

        #expect(parameters.count == padding + 4)
        #expect(parameters[composed] == "one")
        #expect(parameters[decomposed] == "two")
        #expect(parameters[reordered.0] == "first")
        #expect(parameters[reordered.1] == "second")
        #expect(parameters.duplicatedNames == [composed])
        // Bytes, not String.contains, which would find either spelling for the other.
        let canonical = Signer.canonicalString(parameters.all)
        for signed in [composed + "one", decomposed + "two"] {
            let bytes = Array(signed.utf8)
            #expect((0...(canonical.count - bytes.count)).contains { Array(canonical[$0..<($0 + bytes.count)]) == bytes })
        }
    }

    @Test func parametersBuiltInDifferentWaysCompareByContent() {
        let pairs = (0..<20).map { ("n\($0)", "\($0)") }
        var appended = TOPParameters()
        for (name, value) in pairs { appended.append(name: name, value: value) }
        #expect(appended == TOPParameters(pairs))
        #expect(appended != TOPParameters(Array(pairs.dropLast())))
    }

    /// A value that is not UTF-8 is listed wherever its bad byte sits (the check reads eight bytes
    /// at a time, then the rest one by one); one that is, with a two-byte character anywhere, is not.
    @Test(arguments: 0..<20)
    func aBadByteIsFoundAtAnyOffset(offset: Int) {
        var invalid = Array(repeating: UInt8(ascii: "a"), count: 20)
        invalid[offset] = 0xFF
        var valid = Array(repeating: UInt8(ascii: "a"), count: 20)
        valid.replaceSubrange(offset..<min(offset + 2, 20), with: offset == 19 ? [0x61] : [0xC3, 0xA9])
        var parameters = TOPParameters()
        for (name, value) in [("bad", invalid), ("good", valid)] {
            Array(name.utf8).withUnsafeBufferPointer { name in
                value.withUnsafeBufferPointer { parameters.append(name: name, value: $0) }
            }
        }
        #expect(parameters.invalidEncodingNames == ["bad"])
        #expect(parameters.count == 2)
    }
}
