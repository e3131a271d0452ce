import Foundation

/// `EmbedFiles OUTPUT FILE…`: writes OUTPUT, a Swift file declaring `EmbeddedUI.files`, each
/// FILE's name and text as a raw string literal (the build-time half of the EmbedUI plugin; it
/// runs on the build machine, never in topmock). A file that is not UTF-8, or that holds the
/// literal's closing delimiter, stops the build with a message naming it.
@main
struct EmbedFiles {
    static let delimiter = String(repeating: "#", count: 6)

    static func main() {
        let arguments = CommandLine.arguments.dropFirst()
        guard let output = arguments.first else { fail("usage: EmbedFiles OUTPUT FILE...", status: 2) }
        var source = """
            // Generated at build time by EmbedFiles (the EmbedUI plugin) from ui/: do not edit.

            /// The dashboard's files, by name.
            enum EmbeddedUI {
                static let files: [(name: String, text: String)] = [

            """
        for path in arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                fail("EmbedFiles: \(path) is not a readable UTF-8 file")
            }
            guard !text.contains("\"\"\"" + delimiter) else { fail("EmbedFiles: \(path) holds the literal's delimiter \"\"\"\(delimiter)") }
            let name = URL(fileURLWithPath: path).lastPathComponent
            source += "        (\"\(name)\", \(delimiter)\"\"\"\n\(text)\n\"\"\"\(delimiter)),\n"
        }
        source += "    ]\n}\n"
        do {
            try source.write(toFile: output, atomically: true, encoding: .utf8)
        } catch {
            fail("EmbedFiles: cannot write \(output): \(error)")
        }
    }

    static func fail(_ message: String, status: Int32 = 1) -> Never {
        FileHandle.standardError.write(Data((message + "\n").utf8))
        exit(status)
    }
}
