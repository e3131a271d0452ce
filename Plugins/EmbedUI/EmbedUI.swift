import Foundation
import PackagePlugin

/// Puts the dashboard's files (`ui/` at the package root: HTML, CSS, JavaScript) into the target
/// at build time, as Swift string literals: the server serves them from its own binary, with no
/// bundle, no Foundation and no file to ship beside it. Runs `EmbedFiles` whenever a file changes.
@main
struct EmbedUI: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let folder = context.package.directoryURL.appending(path: "ui")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { !$0.hasPrefix(".") }.sorted()
        let inputs = names.map { folder.appending(path: $0) }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedUI.swift")
        return [
            .buildCommand(
                displayName: "Embedding ui/ in \(target.name)", executable: try context.tool(named: "EmbedFiles").url,
                arguments: [output.path] + inputs.map(\.path), inputFiles: inputs, outputFiles: [output])
        ]
    }
}
