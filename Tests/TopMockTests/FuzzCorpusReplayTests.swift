import Foundation
import Testing
import TopMockTesting

/// The fuzz corpus (seeds, and every crash a fuzzer found, once fixed) replayed through the fuzz
/// targets in-process, without the fuzzer: each input must run without a crash (a target's
/// violated invariant stops the test process, which fails the run).
@Suite struct FuzzCorpusReplayTests {
    @Test(arguments: FuzzTarget.allCases)
    func corpusReplaysWithoutACrash(target: FuzzTarget) throws {
        let root = packageRoot
        var directories = [root + "/Tests/Fuzz/corpus/" + target.rawValue]
        if target == .scenarios { directories += [root + "/scenarios", root + "/benchmarks/scenarios"] }
        var replayed = 0
        for directory in directories {
            for name in try FileManager.default.contentsOfDirectory(atPath: directory).sorted() where !name.hasPrefix(".") {
                let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: directory + "/" + name)))
                bytes.withUnsafeBufferPointer { target.run($0) }
                replayed += 1
            }
        }
        #expect(replayed >= 3, "only \(replayed) inputs under \(directories)")
    }
}
