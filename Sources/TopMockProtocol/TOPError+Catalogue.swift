// The TOP platform error catalogue (../shared/docs/top-protocol.md §6.1). The `msg` strings are
// the ones seen in captured gateway output where a capture exists, else the official list's wording.

extension TOPError {
    public static let uploadFail = TOPError(code: 3, msg: "Upload Fail")
    public static let userCallLimited = TOPError(code: 4, msg: "User Call Limited")
    public static let sessionCallLimited = TOPError(code: 5, msg: "Session Call Limited")
    public static let partnerCallLimited = TOPError(code: 6, msg: "Partner Call Limited")
    public static let appCallLimited = TOPError(code: 7, msg: "App Call Limited")
    public static let appCallExceedsLimitedFrequency = TOPError(code: 8, msg: "App Call Exceeds Limited Frequency")
    public static let httpActionNotAllowed = TOPError(code: 9, msg: "Http Action Not Allowed")
    public static let serviceCurrentlyUnavailable = TOPError(code: 10, msg: "Service Currently Unavailable")
    public static let insufficientISVPermissions = TOPError(code: 11, msg: "Insufficient isv permissions")
    public static let insufficientUserPermissions = TOPError(code: 12, msg: "Insufficient User Permissions")
    public static let insufficientPartnerPermissions = TOPError(code: 13, msg: "Insufficient Partner Permissions")
    public static let remoteServiceError = TOPError(code: 15, msg: "Remote service error")
    public static let missingMethod = TOPError(code: 21, msg: "Missing method")
    public static let invalidMethod = TOPError(code: 22, msg: "Invalid method")
    public static let invalidFormat = TOPError(code: 23, msg: "Invalid format")
    public static let missingSignature = TOPError(code: 24, msg: "Missing signature")
    public static let invalidSignature = TOPError(code: 25, msg: "Invalid signature")
    public static let missingSession = TOPError(code: 26, msg: "Missing session")
    public static let invalidSession = TOPError(
        code: 27, msg: "Invalid session", subCode: "invalid-sessionkey", subMsg: "SessionKey非法")
    public static let missingAppKey = TOPError(code: 28, msg: "Missing app key")
    public static let invalidAppKey = TOPError(code: 29, msg: "Invalid app Key", subCode: "isv.appkey-not-exists")
    public static let missingTimestamp = TOPError(code: 30, msg: "Missing timestamp")
    public static let invalidTimestamp = TOPError(code: 31, msg: "Invalid timestamp")
    public static let missingVersion = TOPError(code: 32, msg: "Missing version")
    public static let invalidVersion = TOPError(code: 33, msg: "Invalid version")
    public static let unsupportedVersion = TOPError(code: 34, msg: "Unsupported version")
    public static let forbiddenRequest = TOPError(code: 42, msg: "Forbidden Request")
    public static let parameterError = TOPError(code: 43, msg: "Parameter Error")
    public static let invalidEncoding = TOPError(code: 47, msg: "Invalid encoding")
    public static let remoteServiceErrorTemplate = TOPError(
        code: 50, msg: "Remote service error", subCode: "isv.invalid-parameter", subMsg: "非法参数")
    public static let insufficientSecurityLevel = TOPError(code: 53, msg: "Insufficient security level")

    /// 40 `Missing required arguments:<name>`.
    public static func missingRequiredArguments(_ name: String) -> TOPError {
        TOPError(code: 40, msg: "Missing required arguments:\(name)")
    }

    /// 41 `Invalid arguments:<name>`.
    public static func invalidArguments(_ name: String) -> TOPError {
        TOPError(code: 41, msg: "Invalid arguments:\(name)")
    }

    /// 43 for a `sign_method` other than md5, hmac, hmac-sha256. The real gateway's answer is
    /// unconfirmed (top-protocol.md §2); this one at least says what is wrong.
    public static func unsupportedSignMethod(_ value: String) -> TOPError {
        TOPError(
            code: 43, msg: "Parameter Error", subCode: "isv.invalid-parameter:sign_method",
            subMsg: "sign_method must be md5, hmac or hmac-sha256, not '\(value)'")
    }

    /// 7 with `accesscontrol.limited-by-app-access-count` and the remaining ban.
    public static func appCallLimited(banSeconds: Int) -> TOPError {
        appCallLimited.with(
            subCode: "accesscontrol.limited-by-app-access-count",
            subMsg: "This ban will last for \(banSeconds) more seconds")
    }
}
