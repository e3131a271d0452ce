import Testing
import TopMockProtocol

@Suite struct SignerTests {
    /// docs/protocol.md, test vector (a): the official documentation's example.
    @Test func signsOfficialDocumentationExample() {
        let parameters: [(String, String)] = [
            ("method", "taobao.item.seller.get"), ("app_key", "12345678"), ("session", "test"),
            ("timestamp", "2016-01-01 12:00:00"), ("format", "json"), ("v", "2.0"), ("sign_method", "md5"),
            ("fields", "num_iid,title,nick,price,num"), ("num_iid", "11223344"),
        ]
        #expect(Signer.sign(parameters, secret: "helloworld", method: .md5) == "66987CB115214E59E6EC978214934FB8")
    }

    @Test func signsSecondPublicVector() {
        let parameters: [(String, String)] = [
            ("app_key", "test"), ("fields", "nick"), ("format", "xml"), ("method", "taobao.user.seller.get"),
            ("session", "test"), ("sign_method", "md5"), ("timestamp", "2013-05-06 13:52:03"), ("v", "2.0"),
        ]
        #expect(Signer.sign(parameters, secret: "test", method: .md5) == "72CB4D809B375A54502C09360D879C64")
    }

    static func payActionQuery(_ method: SignMethod) -> [(String, String)] {
        [
            ("method", "alibaba.pos.pay.action.query"), ("app_key", "12345678"), ("timestamp", "2016-01-01 12:00:00"),
            ("format", "json"), ("v", "2.0"), ("sign_method", method.rawValue), ("shop_id", "124"),
            ("payment_action_request", #"{"buyer_id":123,"request_id":"123"}"#),
        ]
    }

    /// docs/protocol.md, test vector (b): this API, each sign method.
    @Test(arguments: [
        (SignMethod.md5, "3300AA7A593A184C58F6EF9D420B5205"),
        (SignMethod.hmac, "28FB879D93FEEAB335CE635731A61F8F"),
        (SignMethod.hmacSHA256, "618413C83E7D5C89E8100577A449D740DE015775ED8F705D4DB15B2F532A1AA9"),
    ])
    func signsPayActionQuery(method: SignMethod, expected: String) {
        #expect(Signer.sign(Self.payActionQuery(method), secret: "helloworld", method: method) == expected)
    }

    @Test func canonicalStringSortsByteWiseAndSkipsSign() {
        let parameters = TOPParameters(Self.payActionQuery(.md5) + [("sign", "X")])
        let canonical = String(decoding: Signer.canonicalString(parameters.all), as: UTF8.self)
        #expect(
            canonical
                == #"app_key12345678formatjsonmethodalibaba.pos.pay.action.querypayment_action_request{"buyer_id":123,"request_id":"123"}shop_id124sign_methodmd5timestamp2016-01-01 12:00:00v2.0"#
        )
    }

    /// The sort compares the names' first eight bytes as a number and only then the whole names:
    /// against a plain byte-wise sort, for names that share eight bytes, are prefixes of one
    /// another (shorter than, exactly, and longer than eight bytes), contain NUL or are not ASCII.
    @Test func canonicalOrderIsByteOrderForAwkwardNames() {
        let names = [
            "payment_action_request", "payment_action", "payment_", "payment", "paymentZ", "payment_b",
            "a", "ab", "ab\0", "ab\0c", "b", "", "v", "timestamp", "timestam", "timestamq",
            "é", "e\u{301}", "\u{FF}", "\u{1F600}", "z\u{7F}", "ZZZZZZZZZ", "zzzzzzzz", "zzzzzzzzz",
        ]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<50 {
            let shuffled = names.shuffled(using: &generator)
            // Values tell the pairs apart whatever the names: value = the name's position in `names`.
            let parameters = shuffled.map { TOPParameters.Parameter(name: $0, value: "<\(names.firstIndex(of: $0)!)>") }
            let expected =
                parameters
                .sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
                .flatMap { Array($0.name.utf8) + Array($0.value.utf8) }
            #expect(Signer.canonicalString(parameters) == expected)
        }
    }

    /// docs/protocol.md, test vector (c): the official Python SDK (epoch ms, partner_id).
    @Test func signsPythonSDKStyleCall() {
        var parameters = Self.payActionQuery(.md5)
        parameters[2] = ("timestamp", "1451620800000")
        parameters.append(("partner_id", "taobao-sdk-python-20160516"))
        #expect(Signer.sign(parameters, secret: "helloworld", method: .md5) == "56B0DCCE8656144C09ED4A6AF68EDB8D")
    }

    @Test func verifyAcceptsSignatureMadeWithoutEmptyValues() {
        let signedWithoutEmpty = Signer.sign(Self.payActionQuery(.md5), secret: "helloworld", method: .md5)
        let received = TOPParameters(Self.payActionQuery(.md5) + [("session", ""), ("sign", signedWithoutEmpty)])
        #expect(Signer.verify(received, secret: "helloworld", method: .md5, redaction: .testing) == .valid)
    }

    @Test func verifyAcceptsSignatureMadeWithEmptyValues() {
        let withEmpty = Self.payActionQuery(.md5) + [("session", "")]
        let sign = Signer.sign(withEmpty, secret: "helloworld", method: .md5)
        #expect(Signer.verify(TOPParameters(withEmpty + [("sign", sign)]), secret: "helloworld", method: .md5, redaction: .testing) == .valid)
    }

    @Test func verifyReportsMissingSign() {
        #expect(Signer.verify(TOPParameters(Self.payActionQuery(.md5)), secret: "helloworld", method: .md5, redaction: .testing) == .missing)
    }

    @Test func verifyExplainsLowerCaseHex() throws {
        let parameters = TOPParameters(Self.payActionQuery(.md5) + [("sign", "3300aa7a593a184c58f6ef9d420b5205")])
        guard case .invalid(let mismatch) = Signer.verify(parameters, secret: "helloworld", method: .md5, redaction: .testing) else {
            Issue.record("expected a mismatch")
            return
        }
        #expect(mismatch.expected == "3300AA7A593A184C58F6EF9D420B5205")
        #expect(mismatch.likelyCause == "the signature is lower-case hex; TOP expects upper case")
        #expect(!mismatch.canonical.contains("helloworld"))
    }

    @Test func verifyExplainsWrongSecret() {
        let sign = Signer.sign(Self.payActionQuery(.md5), secret: "other", method: .md5)
        let parameters = TOPParameters(Self.payActionQuery(.md5) + [("sign", sign)])
        guard case .invalid(let mismatch) = Signer.verify(parameters, secret: "helloworld", method: .md5, redaction: .testing) else {
            Issue.record("expected a mismatch")
            return
        }
        #expect(mismatch.received == sign)
        #expect(mismatch.likelyCause == "wrong secret, or a parameter was signed but not sent, or a value differs from what was signed")
        #expect(mismatch.signedText.hasPrefix("<secret>app_key12345678"))
    }

    func cause(_ received: String, extra: [(String, String)] = [], method: SignMethod = .md5) -> String? {
        let parameters = TOPParameters(Self.payActionQuery(method) + extra + [("sign", received)])
        if case .invalid(let mismatch) = Signer.verify(parameters, secret: "helloworld", method: method, redaction: .testing) {
            return mismatch.likelyCause
        }
        return nil
    }

    @Test func diagnosesSignatureMadeWithAnotherMethod() {
        // Signed with hmac over the same parameters (which say sign_method=md5).
        let hmac = Signer.sign(canonical: Signer.canonicalString(TOPParameters(Self.payActionQuery(.md5)).all), secret: "helloworld", method: .hmac)
        #expect(cause(hmac) == "the client signed with hmac but sent sign_method=md5")
        #expect(cause("ABC") == "a md5 signature has 32 hex digits, this one has 3")
    }

    @Test func diagnosesURLEncodedValuesUnsortedParametersAndUnsignedParameters() {
        let encoded = Self.payActionQuery(.md5).map { ($0.0, PercentEncoding.encodeFormComponent($0.1)) }
        #expect(
            cause(Signer.sign(encoded, secret: "helloworld", method: .md5)) == "the client signed URL-encoded values; TOP signs the decoded values")
        let unsorted = Self.payActionQuery(.md5).flatMap { Array($0.0.utf8) + Array($0.1.utf8) }
        #expect(
            cause(Signer.sign(canonical: unsorted, secret: "helloworld", method: .md5))
                == "the client did not sort the parameters by name before signing")
        let signedWithoutPartner = Signer.sign(Self.payActionQuery(.md5), secret: "helloworld", method: .md5)
        #expect(cause(signedWithoutPartner, extra: [("partner_id", "top-sdk-java")]) == "parameter 'partner_id' was sent but not signed")
    }
}
