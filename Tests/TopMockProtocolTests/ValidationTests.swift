import Testing
import TopMockProtocol

/// Each public-parameter check, in the documented order, gives the catalogue's error.
@Suite struct ValidationTests {
    /// 2016-01-01 12:00:00 GMT+8.
    static let now: Int64 = 1_451_620_800_000

    static func valid(_ method: SignMethod = .md5) -> [(String, String)] {
        SignerTests.payActionQuery(method)
    }

    func validate(
        _ pairs: [(String, String)], sign: Bool = true, secret: String = "helloworld", signMethod: SignMethod = .md5,
        policy: GatewayPolicy = GatewayPolicy(redaction: .testing, timestamp: TimestampPolicy(zone: .gmt8)),
        sessions: Set<String>? = nil, invalidEncoding: String? = nil
    ) -> Result<TOPRequest, TOPRejection> {
        var all = pairs
        if sign { all.append(("sign", Signer.sign(pairs, secret: secret, method: signMethod))) }
        var parameters = TOPParameters(all)
        if let invalidEncoding { parameters.markInvalidEncoding(name: invalidEncoding) }
        return Result { () throws(TOPRejection) -> TOPRequest in
            try TOPRequest.validate(
                parameters, policy: policy, nowMillis: Self.now,
                app: { $0 == "12345678" ? AppCredentials(secret: "helloworld", sessions: sessions) : nil },
                isKnownAPI: { $0 == .posPayActionQuery })
        }
    }

    func code(_ result: Result<TOPRequest, TOPRejection>) -> Int? {
        if case .failure(let rejection) = result { return rejection.error.code }
        return nil
    }

    func without(_ name: String) -> [(String, String)] { Self.valid().filter { $0.0 != name } }

    func replacing(_ name: String, _ value: String, in pairs: [(String, String)] = valid()) -> [(String, String)] {
        pairs.map { $0.0 == name ? ($0.0, value) : $0 }
    }

    @Test func acceptsValidCallForEachSignMethod() throws {
        for method in SignMethod.allCases {
            let request = try validate(Self.valid(method), signMethod: method).get()
            #expect(request.api == .posPayActionQuery)
            #expect(request.signMethod == method)
            #expect(request.format == .json)
            #expect(request.simplify == false)
        }
    }

    /// The credentials come back as a value: with the request, or with a refusal made after the
    /// app lookup (so the gateway masks that app's secret in the journal), never before it.
    @Test func credentialsComeBackWithTheRequestOrTheRefusal() throws {
        let request = try validate(Self.valid()).get()
        #expect(request.credentials == AppCredentials(secret: "helloworld"))
        guard case .failure(let badTimestamp) = validate(replacing("timestamp", "yesterday")) else {
            Issue.record("accepted")
            return
        }
        #expect(badTimestamp.credentials?.secret == "helloworld")
        guard case .failure(let badSignature) = validate(Self.valid(), secret: "other") else {
            Issue.record("accepted")
            return
        }
        #expect(badSignature.credentials?.secret == "helloworld")
        guard case .failure(let unknownApp) = validate(replacing("app_key", "999")) else {
            Issue.record("accepted")
            return
        }
        #expect(unknownApp.credentials == nil)
        guard case .failure(let noMethod) = validate(without("method")) else {
            Issue.record("accepted")
            return
        }
        #expect(noMethod.credentials == nil)
    }

    @Test func missingMethodIs21() { #expect(code(validate(without("method"))) == 21) }
    @Test func missingAppKeyIs28() { #expect(code(validate(without("app_key"))) == 28) }

    @Test func unknownAppKeyIs29WithSubCode() throws {
        guard case .failure(let rejection) = validate(replacing("app_key", "999")) else {
            Issue.record("accepted")
            return
        }
        #expect(rejection.error == .invalidAppKey)
        #expect(rejection.error.subCode == "isv.appkey-not-exists")
    }

    @Test func missingTimestampIs30() { #expect(code(validate(without("timestamp"))) == 30) }

    @Test(arguments: ["2016-01-01 12:10:01", "2016-01-01 11:49:59", "2016/01/01 12:00:00", "2016-02-30 12:00:00", "1451620800", "yesterday"])
    func badTimestampIs31(timestamp: String) {
        #expect(code(validate(replacing("timestamp", timestamp))) == 31)
    }

    @Test(arguments: ["2016-01-01 12:10:00", "2016-01-01 11:50:00", "1451621400000", "1451620200000"])
    func timestampAtWindowEdgeIsAccepted(timestamp: String) {
        #expect(code(validate(replacing("timestamp", timestamp))) == nil)
    }

    @Test func missingVersionIs32() { #expect(code(validate(without("v"))) == 32) }
    @Test func malformedVersionIs33() { #expect(code(validate(replacing("v", "two"))) == 33) }
    @Test func otherVersionIs34() { #expect(code(validate(replacing("v", "1.0"))) == 34) }
    @Test func unknownFormatIs23() { #expect(code(validate(replacing("format", "yaml"))) == 23) }

    @Test func unknownSignMethodIs43WithReason() {
        guard case .failure(let rejection) = validate(replacing("sign_method", "sha1")) else {
            Issue.record("accepted")
            return
        }
        #expect(rejection.error.code == 43)
        #expect(rejection.error.subCode == "isv.invalid-parameter:sign_method")
    }

    @Test func absentSignMethodMeansMD5() throws {
        let request = try validate(without("sign_method")).get()
        #expect(request.signMethod == .md5)
    }

    @Test func missingSignIs24() { #expect(code(validate(Self.valid(), sign: false)) == 24) }

    @Test func wrongSecretIs25WithMismatchDetails() {
        guard case .failure(let rejection) = validate(Self.valid(), secret: "nope") else {
            Issue.record("accepted")
            return
        }
        #expect(rejection.error == .invalidSignature)
        #expect(rejection.signatureMismatch?.expected == "3300AA7A593A184C58F6EF9D420B5205")
        #expect(rejection.diagnostic.hasPrefix("signature mismatch (md5): expected 3300AA7A593A184C58F6EF9D420B5205, received "))
    }

    @Test func unknownMethodIs22AfterTheSignature() {
        #expect(code(validate(replacing("method", "taobao.item.get"))) == 22)
    }

    @Test func sessionIsRequiredOnlyWhereConfigured() {
        let policy = GatewayPolicy(redaction: .testing, timestamp: TimestampPolicy(zone: .gmt8), apisRequiringSession: [.posPayActionQuery])
        #expect(code(validate(Self.valid(), policy: policy)) == 26)
        #expect(code(validate(Self.valid())) == nil)
    }

    @Test func appSessionsAreRequiredAndChecked() throws {
        #expect(code(validate(Self.valid(), sessions: ["s1"])) == 26)
        #expect(code(validate(Self.valid() + [("session", "nope")], sessions: ["s1"])) == 27)
        #expect(try validate(Self.valid() + [("session", "s1")], sessions: ["s1"]).get().session == "s1")
        #expect(try validate(Self.valid() + [("session", "anything")]).get().session == "anything")
    }

    @Test func nonUTF8ParameterIs47First() {
        guard case .failure(let rejection) = validate(without("method"), invalidEncoding: "shop_id") else {
            Issue.record("accepted")
            return
        }
        #expect(rejection.error == .invalidEncoding)
        #expect(rejection.diagnostic == "parameter 'shop_id' is not valid UTF-8 (after percent-decoding)")
    }

    @Test func errorsAreRenderedInTheRequestedFormat() {
        guard case .failure(let json) = validate(without("timestamp")) else {
            Issue.record("accepted")
            return
        }
        #expect(json.format == .json)
        guard case .failure(let xml) = validate(replacing("format", "xml", in: without("timestamp"))) else {
            Issue.record("accepted")
            return
        }
        #expect(xml.format == .xml)
        guard case .failure(let absent) = validate(without("format").filter { $0.0 != "timestamp" }) else {
            Issue.record("accepted")
            return
        }
        #expect(absent.format == .xml)
    }

    @Test(arguments: [("true", true), ("1", true), ("TRUE", true), ("false", false), ("0", false)])
    func simplifyValues(value: String, expected: Bool) throws {
        #expect(try validate(Self.valid() + [("simplify", value)]).get().simplify == expected)
    }
}
