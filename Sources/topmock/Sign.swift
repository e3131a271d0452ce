import ArgumentParser
import TopMockHTTP
import TopMockProtocol
import TopMockScenarios

/// `topmock sign`: the TOP signature of a set of parameters, and the string that was signed.
struct Sign: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the TOP signature of the given parameters.",
        discussion: """
            Example: topmock sign --secret helloworld method=alibaba.pos.pay.action.query app_key=12345678 \
            'timestamp=2016-01-01 12:00:00' format=json v=2.0 sign_method=md5 shop_id=124 \
            'payment_action_request={"buyer_id":123,"request_id":"123"}'
            """)

    @Option(help: "The app secret.")
    var secret: String

    @Option(help: "md5, hmac or hmac-sha256. Default: the sign_method parameter if given, else md5.")
    var signMethod: SignMethod?

    @Flag(help: "Add timestamp=<now in GMT+8> unless a timestamp is given.")
    var now = false

    @Flag(help: "Print only a form-encoded query string with sign appended (for curl).")
    var query = false

    @Option(
        help: ArgumentHelp(
            "Take the parameters from a URL, a query string or a form body (name=value&…, percent-encoded); a sign in it is compared with the computed one.",
            valueName: "url"))
    var url: String?

    @Argument(help: ArgumentHelp("Parameters as name=value.", valueName: "name=value"))
    var parameters: [String] = []

    func validate() throws {
        for parameter in parameters where !parameter.contains("=") {
            throw ValidationError("'\(parameter)' must be name=value")
        }
        if url == nil && parameters.isEmpty {
            throw ValidationError("give the parameters as name=value arguments or with --url")
        }
    }

    func run() throws {
        var pairs: [(String, String)] = []
        var received: String?
        if let url {
            let query = url.firstIndex(of: "?").map { String(url[url.index(after: $0)...]) } ?? url
            for field in URLEncodedForm.parse(query) {
                if field.name == "sign" { received = field.value } else { pairs.append((field.name, field.value)) }
            }
        }
        pairs += parameters.map { parameter in
            let equals = parameter.firstIndex(of: "=")!  // checked in validate()
            return (String(parameter[..<equals]), String(parameter[parameter.index(after: equals)...]))
        }
        if now && !pairs.contains(where: { $0.0 == "timestamp" }) {
            pairs.append(("timestamp", TimestampPolicy.format(epochMillis: SystemWallClock().nowMillis())))
        }
        let parameterMethod = pairs.first { $0.0 == "sign_method" }.map(\.1)
        guard let method = signMethod ?? (parameterMethod.map { SignMethod(rawValue: $0) } ?? .md5) else {
            throw ValidationError("sign_method '\(parameterMethod ?? "")' must be md5, hmac or hmac-sha256")
        }
        let canonical = Signer.canonicalString(TOPParameters(pairs).all)
        let sign = Signer.sign(canonical: canonical, secret: secret, method: method)
        if query {
            print(PercentEncoding.formEncode(pairs + [("sign", sign)]))
            return
        }
        let text = String(decoding: canonical, as: UTF8.self)
        print("sign_method: \(method.rawValue)")
        print("signed:      \(method == .md5 ? "<secret>\(text)<secret>" : text)")
        print("sign:        \(sign)")
        if let received {
            if received == sign {
                print("received:    \(received) (matches)")
            } else {
                var all = TOPParameters(pairs)
                all.append(name: "sign", value: received)
                let cause: String
                if case .invalid(let mismatch) = Signer.verify(all, secret: secret, method: method, redaction: ServedMethods.redaction) {
                    cause = mismatch.likelyCause
                } else {
                    cause = "it matches once empty values are left out"
                }
                print("received:    \(received) (does not match; likely cause: \(cause))")
                throw ExitCode(1)
            }
        }
    }
}
