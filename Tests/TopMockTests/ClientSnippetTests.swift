import Foundation
import Testing
import TopMockTesting

/// Every option a snippet in docs/clients.md passes to an SDK is one that SDK reads, by the table
/// docs/protocol.md keeps ("Client options"). A snippet that names an ignored option silently
/// falls back to the SDK's default — for the Node SDK, the production gateway.
@Suite struct ClientSnippetTests {
    /// How a snippet of each SDK names its options, and which row of the table holds that SDK.
    static let extractors: [(section: String, row: String, pattern: String)] = [
        ("## Node", "Node `TopClient`", #"new TopClient\(\{([^}]*)\}"#),
        ("## PHP", "PHP `TopClient`", #"\$c->(\w+)\s*="#),
        ("taobaopy:", "taobaopy `TaoBaoAPIClient`", #"TaoBaoAPIClient\(([^)]*)\)"#),
    ]

    @Test func everySnippetOptionIsOneItsSDKReads() throws {
        let clients = try String(contentsOfFile: packageRoot + "/docs/clients.md", encoding: .utf8)
        let protocolText = try String(contentsOfFile: packageRoot + "/docs/protocol.md", encoding: .utf8)
        let table = try Self.optionTable(protocolText)
        for extractor in Self.extractors {
            let known = try #require(table[extractor.row], "docs/protocol.md has no row for \(extractor.row)")
            let named = try Self.options(in: clients, section: extractor.section, pattern: extractor.pattern)
            #expect(!named.isEmpty, "found no options in the \(extractor.section) snippet")
            let ignored = named.subtracting(known)
            #expect(ignored.isEmpty, "\(extractor.row) ignores \(ignored.sorted()) (it reads \(known.sorted()))")
        }
    }

    /// The check can fail: the snippet as it stood before the fix named `REST_URL`.
    @Test func theOldNodeSnippetIsCaught() throws {
        let protocolText = try String(contentsOfFile: packageRoot + "/docs/protocol.md", encoding: .utf8)
        let known = try #require(try Self.optionTable(protocolText)["Node `TopClient`"])
        let old =
            "## Node\n```js\nconst client = new TopClient({ appkey: '1', appsecret: 's', REST_URL: 'http://127.0.0.1:8080/router/rest' });\n```\n"
        let named = try Self.options(in: old, section: "## Node", pattern: Self.extractors[0].pattern)
        #expect(named.subtracting(known) == ["REST_URL"])
    }

    /// SDK row → the backticked names in its "options it reads" column.
    static func optionTable(_ text: String) throws -> [String: Set<String>] {
        let start = try #require(text.range(of: "<!-- client-options -->"))
        let end = try #require(text.range(of: "<!-- /client-options -->"))
        var table: [String: Set<String>] = [:]
        for line in text[start.upperBound..<end.lowerBound].split(separator: "\n") where line.hasPrefix("| ") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 2, !cells[0].hasPrefix("SDK"), !cells[0].hasPrefix("---") else { continue }
            let name = cells[0].components(separatedBy: " (")[0]
            table[name] = Set(backticked(cells[1]))
        }
        return table
    }

    static func backticked(_ text: String) -> [String] {
        text.split(separator: "`", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
    }

    /// The option names the section's first code block passes, read with `pattern`: a pattern with
    /// one group over an argument list yields its `name:` / `name=` keys; one over a name yields it.
    static func options(in text: String, section: String, pattern: String) throws -> Set<String> {
        let heading = try #require(text.range(of: section), "no section '\(section)'")
        let rest = text[heading.upperBound...]
        let open = try #require(rest.range(of: "```"))
        let close = try #require(rest[open.upperBound...].range(of: "```"))
        let code = String(rest[open.upperBound..<close.lowerBound])
        let regex = try NSRegularExpression(pattern: pattern)
        var names: Set<String> = []
        for match in regex.matches(in: code, range: NSRange(code.startIndex..., in: code)) {
            let group = String(code[Range(match.range(at: 1), in: code)!])
            if group.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) {
                names.insert(group)
                continue
            }
            // Quoted values out first (a URL's `http:` is no key), then `name:` / `name=`.
            let bare = try NSRegularExpression(pattern: #"'[^']*'|"[^"]*""#)
                .stringByReplacingMatches(in: group, range: NSRange(group.startIndex..., in: group), withTemplate: "")
            let keys = try NSRegularExpression(pattern: #"([A-Za-z_]\w*)\s*[:=](?!=)"#)
            for key in keys.matches(in: bare, range: NSRange(bare.startIndex..., in: bare)) {
                names.insert(String(bare[Range(key.range(at: 1), in: bare)!]))
            }
        }
        return names
    }
}
