/// The checkout these sources were compiled from: the one place tests, fuzz targets and the
/// harness find the repository's scenarios, schema and docs.
public let packageRoot: String = {
    var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3)  // Sources/TopMockTesting/PackageRoot.swift
    return parts.joined(separator: "/")
}()
