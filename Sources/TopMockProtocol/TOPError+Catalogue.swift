// The TOP platform error catalogue (docs/protocol.md, "Error catalogue"). The `msg` strings are
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
    /// unconfirmed (docs/protocol.md, "Checks, in order", row 10); this one at least says what is wrong.
    public static func unsupportedSignMethod(_ value: String) -> TOPError {
        TOPError(
            code: 43, msg: "Parameter Error", subCode: "isv.invalid-parameter:sign_method",
            subMsg: "sign_method must be md5, hmac or hmac-sha256, not '\(value)'")
    }

    /// 7 with `accesscontrol.limited-by-app-access-count` and the remaining ban.
    /// topmock's own: a call that would start a namespace past `--max-namespaces`.
    public static func namespaceLimit(_ limit: Int) -> TOPError {
        TOPError(
            code: 15, msg: "Remote service error", subCode: "isp.topmock-namespace-limit",
            subMsg: "topmock holds \(limit) namespaces, the most --max-namespaces (TOPMOCK_MAX_NAMESPACES) allows; "
                + "POST /__admin/reset frees them (one, or all)")
    }

    public static func appCallLimited(banSeconds: Int) -> TOPError {
        appCallLimited.with(
            subCode: "accesscontrol.limited-by-app-access-count",
            subMsg: "This ban will last for \(banSeconds) more seconds")
    }
}

extension TOPError {
    /// Every error the catalogue knows by a name, for scenario files and the admin API:
    /// `invalid_signature`, `app_call_limited`, `isp.top-remote-connection-timeout` …
    ///
    /// Platform codes go by their snake_case name. `isp.*` and `isv.*` sub-codes go by the sub-code
    /// itself and come as code 15 `Remote service error` (how real traffic carries them), each with
    /// the `sub_msg` the real gateway sends or a plain English one. `app_call_limited` and the
    /// `accesscontrol.*` names need the ban length: see ``named(_:banSeconds:)``.
    public static let catalogue: [String: TOPError] = {
        var entries: [String: TOPError] = [
            "upload_fail": .uploadFail,
            "user_call_limited": .userCallLimited,
            "session_call_limited": .sessionCallLimited,
            "partner_call_limited": .partnerCallLimited,
            "app_call_exceeds_limited_frequency": .appCallExceedsLimitedFrequency,
            "http_action_not_allowed": .httpActionNotAllowed,
            "service_currently_unavailable": .serviceCurrentlyUnavailable,
            "insufficient_isv_permissions": .insufficientISVPermissions.with(
                subCode: "isv.permission-api-package-limit", subMsg: "scope ids is 381 11655"),
            "insufficient_user_permissions": .insufficientUserPermissions,
            "insufficient_partner_permissions": .insufficientPartnerPermissions,
            "remote_service_error": .remoteServiceError,
            "missing_method": .missingMethod,
            "invalid_method": .invalidMethod,
            "invalid_format": .invalidFormat,
            "missing_signature": .missingSignature,
            "invalid_signature": .invalidSignature,
            "missing_session": .missingSession,
            "invalid_session": .invalidSession,
            "session_expired": TOPError(code: 27, msg: "Invalid session", subCode: "session-expired", subMsg: "SessionKey过期"),
            "missing_app_key": .missingAppKey,
            "invalid_app_key": .invalidAppKey,
            "missing_timestamp": .missingTimestamp,
            "invalid_timestamp": .invalidTimestamp,
            "missing_version": .missingVersion,
            "invalid_version": .invalidVersion,
            "unsupported_version": .unsupportedVersion,
            "forbidden_request": .forbiddenRequest,
            "parameter_error": .parameterError,
            "invalid_encoding": .invalidEncoding,
            "remote_service_error_template": .remoteServiceErrorTemplate,
            "insufficient_security_level": .insufficientSecurityLevel,
        ]
        // isp.*: the platform's own faults; TOP says retry after a while (taobaopy retries these).
        let isp: [(String, String)] = [
            ("isp.top-remote-connection-timeout", "连接服务超时"),
            ("isp.top-remote-connection-timeout-tmall", "连接服务超时"),
            ("isp.top-remote-service-unavailable", "服务不可用"),
            ("isp.top-remote-service-unavailable-tmall", "服务不可用"),
            ("isp.top-remote-connection-control-error", "连接控制错误"),
            ("isp.top-remote-connection-control-error-tmall", "连接控制错误"),
            ("isp.top-remote-unknown-error", "未知错误"),
            ("isp.top-remote-unknown-error-tmall", "未知错误"),
            ("isp.top-remote-connection-error", "连接错误"),
            ("isp.remote-connection-error", "远程连接错误"),
            ("isp.remote-service-timeout", "远程服务超时"),
            ("isp.service-error", "服务错误"),
            ("isp.call-limited", "调用受限"),
            ("isp.unknown-error", "未知错误"),
        ]
        for (subCode, subMsg) in isp { entries[subCode] = remoteServiceError.with(subCode: subCode, subMsg: subMsg) }
        // isv.*: the caller's fault; do not retry.
        entries["isv.invalid-parameter"] = remoteServiceError.with(subCode: "isv.invalid-parameter", subMsg: "非法参数")
        entries["isv.missing-parameter"] = remoteServiceError.with(subCode: "isv.missing-parameter", subMsg: "缺少参数")
        entries["isv.business-limit-control"] = remoteServiceError.with(subCode: "isv.BUSINESS_LIMIT_CONTROL", subMsg: "触发业务流控")
        entries["isv.appkey-not-exists"] = .invalidAppKey
        entries["isv.permission-api-package-limit"] = entries["insufficient_isv_permissions"]
        entries["isv.permission-ip-whitelist-limit"] = insufficientISVPermissions.with(
            subCode: "isv.permission-ip-whitelist-limit", subMsg: "ip whitelist limit")
        return entries
    }()

    /// Names that take a ban length (code 7, `accesscontrol.*`).
    public static let banNames: [String: String] = [
        "app_call_limited": "accesscontrol.limited-by-app-access-count",
        "accesscontrol.limited-by-app-access-count": "accesscontrol.limited-by-app-access-count",
        "accesscontrol.limited-by-api-access-count": "accesscontrol.limited-by-api-access-count",
        "accesscontrol.limited-by-app-api-access-count": "accesscontrol.limited-by-app-api-access-count",
    ]

    /// The error called `name` in the catalogue, or nil. `banSeconds` fills the
    /// `This ban will last for N more seconds` of the flow-control errors (default 60).
    public static func named(_ name: String, banSeconds: Int = 60) -> TOPError? {
        if let subCode = banNames[name] {
            return appCallLimited.with(subCode: subCode, subMsg: "This ban will last for \(banSeconds) more seconds")
        }
        return catalogue[name]
    }

    /// Every name ``named(_:banSeconds:)`` accepts, sorted (for "did you mean" and the docs).
    public static var allNames: [String] {
        (Array(catalogue.keys) + Array(banNames.keys)).sorted()
    }
}
