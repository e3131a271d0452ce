import TopMockTesting

#if canImport(Glibc)
import Glibc
#endif

#if FUZZING
/// libFuzzer's entry point (built by scripts/fuzz with `--sanitize=fuzzer`); the target comes from
/// `TOPMOCK_FUZZ_TARGET`.
let selectedTarget: FuzzTarget = {
    guard let name = getenvString("TOPMOCK_FUZZ_TARGET"), let target = FuzzTarget(rawValue: name) else {
        fatalError("set TOPMOCK_FUZZ_TARGET to one of \(FuzzTarget.allCases.map(\.rawValue))")
    }
    return target
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    selectedTarget.run(UnsafeBufferPointer(start: data, count: size))
    return 0
}
#else
/// Without the fuzzer: runs files (or every file of directories) through a target once each —
/// how CI replays the corpus and how a crash a fuzzer found is reproduced.
///
///     topmock-fuzz TARGET PATH...
@main struct Replay {
    static func main() {
        let arguments = CommandLine.arguments.dropFirst()
        guard let name = arguments.first, let target = FuzzTarget(rawValue: name), arguments.count > 1 else {
            print("usage: topmock-fuzz \(FuzzTarget.allCases.map(\.rawValue).joined(separator: "|")) PATH...")
            exit(64)
        }
        var count = 0
        for path in arguments.dropFirst() {
            for file in files(at: path) {
                guard let bytes = read(file) else {
                    print("cannot read \(file)")
                    exit(1)
                }
                bytes.withUnsafeBufferPointer { target.run($0) }
                count += 1
            }
        }
        print("\(target.rawValue): \(count) inputs replayed, no crash")
    }

    static func files(at path: String) -> [String] {
        guard let directory = opendir(path) else { return [path] }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if !name.hasPrefix(".") { names.append(path + "/" + name) }
        }
        return names.sorted()
    }

    static func read(_ path: String) -> [UInt8]? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = fread(&buffer, 1, buffer.count, file)
            if count <= 0 { break }
            bytes += buffer[..<count]
        }
        return bytes
    }
}
#endif
