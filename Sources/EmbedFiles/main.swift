import Foundation

// EmbedFiles OUTPUT FILE…: writes OUTPUT, a Swift file declaring `EmbeddedUI.files`, each FILE's
// name and text as a raw string literal (the build-time half of the EmbedUI plugin; it runs on
// the build machine, never in topmock). A file that is not UTF-8, or that holds the literal's
// closing delimiter, stops the build with a message naming it.
let arguments = CommandLine.arguments.dropFirst()
guard let output = arguments.first else {
    FileHandle.standardError.write(Data("usage: EmbedFiles OUTPUT FILE...\n".utf8))
    exit(2)
}
let delimiter = String(repeating: "#", count: 6)
var source = """
    // Generated at build time by EmbedFiles (the EmbedUI plugin) from ui/: do not edit.

    /// The dashboard's files, by name.
    enum EmbeddedUI {
        static let files: [(name: String, text: String)] = [

    """
for path in arguments.dropFirst() {
    let url = URL(fileURLWithPath: path)
    guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
        FileHandle.standardError.write(Data("EmbedFiles: \(path) is not a readable UTF-8 file\n".utf8))
        exit(1)
    }
    guard !text.contains("\"\"\"" + delimiter) else {
        FileHandle.standardError.write(Data("EmbedFiles: \(path) holds the literal's delimiter \"\"\"\(delimiter)\n".utf8))
        exit(1)
    }
    source += "        (\"\(url.lastPathComponent)\", \(delimiter)\"\"\"\n\(text)\n\"\"\"\(delimiter)),\n"
}
source += "    ]\n}\n"
do {
    try source.write(toFile: output, atomically: true, encoding: .utf8)
} catch {
    FileHandle.standardError.write(Data("EmbedFiles: cannot write \(output): \(error)\n".utf8))
    exit(1)
}
