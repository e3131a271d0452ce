import Logging
import TopMock
import TopMockHTTP
import TopMockProtocol
import TopMockScenarios

#if canImport(Glibc)
import Glibc
#endif

/// The fuzzed surfaces. Each takes arbitrary bytes, must never crash or hang, and checks the
/// invariants that hold for every input (a violated one is a crash: libFuzzer keeps the input).
///
/// Driven by libFuzzer through `Tests/Fuzz/Runner` (scripts/fuzz) and replayed over the checked-in
/// corpus by `swift test` (`FuzzCorpusReplayTests`).
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// Form decoding (urlencoded, multipart with a fuzzed Content-Type) and signature
    /// verification with its diagnosis.
    case parameters
    /// The whole gateway in-process: the input's parameters, re-signed with the right secret and
    /// a fresh timestamp so the checks past the signature are reached, answered by the
    /// application with the shipped scenarios, whose state is reset after each input.
    case gateway
    /// Scenario loading: YAML parsing, the compiler and its diagnostics.
    case scenarios
    /// A sequence of operations on one application, with invariants checked after each
    /// (``StatefulFuzz``).
    case stateful

    public func run(_ bytes: UnsafeBufferPointer<UInt8>) {
        switch self {
        case .parameters: Self.parameters(Array(bytes))
        case .gateway: Self.gateway(Array(bytes))
        case .scenarios: Self.scenarios(Array(bytes))
        case .stateful: StatefulFuzz.run(Array(bytes))
        }
    }

    static func parameters(_ input: [UInt8]) {
        // First line: a Content-Type; the rest: the body.
        let newline = input.firstIndex(of: 0x0A) ?? input.endIndex
        let contentType = String(decoding: input[..<newline], as: UTF8.self)
        let body = Array(input[Swift.min(newline + 1, input.endIndex)...])
        var parameters = TOPParameters()
        for field in URLEncodedForm.parse(body) { parameters.append(name: field.name, value: field.value) }
        if let mediaType = MediaType(contentType), let boundary = mediaType.parameters["boundary"],
            let fields = try? MultipartForm.parse(body, boundary: boundary)
        {
            for field in fields where !field.isFile { parameters.append(name: field.name, value: field.value) }
        }
        // Every served method reads any parameters without crashing: a value or a TOP error (40/41).
        for api in ServedMethods.names { _ = try? ServedMethods.parse(api, parameters) }
        // A pay code that order.pay reads never survives masking.
        if let pay = try? OrderPayRequest(parameters: parameters), let code = pay.channelAccount, code.utf8.count >= 4,
            let raw = parameters.all.first(where: { $0.name == "pay_request" })
        {
            let masked = ServedMethods.redaction.masked(raw, secret: "helloworld").value
            if masked.contains("\"channel_account\":\"\(code)\"") { fatalError("a pay code survived masking: \(masked)") }
        }
        for method in [SignMethod.md5, .hmac, .hmacSHA256] {
            let verdict = Signer.verify(parameters, secret: "helloworld", method: method, redaction: ServedMethods.redaction)
            if parameters["sign"] == nil, verdict == .valid { fatalError("a call without sign verified") }
        }
        // A correct signature must verify, whatever the parameters are.
        var resigned = TOPParameters()
        for parameter in parameters.all where parameter.name != "sign" { resigned.append(name: parameter.name, value: parameter.value) }
        resigned.append(name: "sign", value: Signer.sign(resigned, secret: "helloworld", method: .md5))
        guard Signer.verify(resigned, secret: "helloworld", method: .md5, redaction: ServedMethods.redaction) == .valid else {
            fatalError("a correctly signed call did not verify")
        }
    }

    static let application: TopMockApplication = makeApplication()

    /// An application over the shipped scenarios, not watching files, logging nothing.
    static func makeApplication() -> TopMockApplication {
        var configuration = Configuration()
        configuration.scenarioPaths = [scenarioDirectory]
        configuration.watchInterval = nil
        do {
            return try TopMockApplication(configuration: configuration, logger: Logger(label: "fuzz") { _ in SwiftLogNoOpLogHandler() })
        } catch {
            fatalError("cannot load \(scenarioDirectory): \(error)")
        }
    }

    /// `TOPMOCK_FUZZ_SCENARIOS`, else the repository's `scenarios` (found from this file's path).
    static var scenarioDirectory: String {
        getenvString("TOPMOCK_FUZZ_SCENARIOS") ?? packageRoot + "/scenarios"
    }

    static func gateway(_ input: [UInt8]) {
        var pairs = URLEncodedForm.parse(input).map { ($0.name, $0.value) }.filter { $0.0 != "sign" && $0.0 != "timestamp" }
        if !pairs.contains(where: { $0.0 == "app_key" }) { pairs.append(("app_key", "12345678")) }
        pairs.append(("timestamp", String(SystemWallClock().nowMillis())))
        let method = pairs.first { $0.0 == "sign_method" }.flatMap { SignMethod(rawValue: $0.1) } ?? .md5
        pairs.append(("sign", Signer.sign(pairs, secret: "helloworld", method: method)))
        let body = Array(PercentEncoding.formEncode(pairs).utf8)
        let request = HTTPRequest(
            method: "POST", target: "/router/rest", headers: ["Content-Type": "application/x-www-form-urlencoded"], body: body)
        // Every input meets the scenarios' seed state, so what an input does is its own (libFuzzer
        // expects a target to be deterministic), not what thousands of earlier inputs created.
        defer { application.engine.reset() }
        switch application.responder.respond(to: request) {
        case .response(let response):
            guard response.status == 200, let first = response.body.first, first == UInt8(ascii: "{") || first == UInt8(ascii: "<") else {
                fatalError("the gateway answered HTTP \(response.status) with \(response.body.prefix(80))")
            }
        default:
            break  // faults and delays of the shipped scenarios
        }
    }

    static func scenarios(_ input: [UInt8]) {
        let result = ScenarioLoader.load(sources: [(path: "fuzz.yaml", text: String(decoding: input, as: UTF8.self))])
        for diagnostic in result.diagnostics where diagnostic.description.isEmpty {
            fatalError("an empty diagnostic")
        }
    }
}

public func getenvString(_ name: String) -> String? {
    guard let value = getenv(name) else { return nil }
    return String(cString: value)
}

#if canImport(Glibc)
import Glibc
#endif
