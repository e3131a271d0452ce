public import TopMockHTTP
public import TopMockProtocol
import TopMockScenarios

/// Builds a correctly signed TOP call the way a given SDK puts it on the wire, with knobs to break
/// it (wrong secret, stale timestamp, a tampered sign, a dropped parameter).
///
/// ```swift
/// let request = SignedRequest.payActionQuery(shopID: 124, requestID: "cash-0001", buyerID: 123)
///     .placed(.javaSDK).httpRequest()
/// ```
public struct SignedRequest: Sendable {
    /// Where the parameters go (docs/protocol.md, "Where each SDK puts the parameters").
    public enum Placement: Sendable {
        /// Everything in the query string of a GET.
        case get
        /// Java/Python/PHP: system parameters in the query, business parameters in a urlencoded body.
        case javaSDK
        /// .NET/taobaopy: everything in one urlencoded body.
        case formBody
        /// Java uploads: system parameters in the query, business ones in a multipart body whose part
        /// headers have no space after the colon; Content-Type `multipart/form-data;charset=UTF-8;boundary=…`.
        case javaMultipart
        /// Node: everything in a multipart body, usual header spacing.
        case nodeMultipart
    }

    public static var systemNames: Set<String> { TOPParameters.publicNames }

    public var parameters: [(String, String)]
    public var secret: String
    public var signMethod: SignMethod
    public var placement: Placement = .javaSDK
    /// Replaces the computed signature when set.
    public var signOverride: String?
    /// Extra request headers.
    public var headers: HTTPHeaders = HTTPHeaders()

    public init(parameters: [(String, String)], secret: String, signMethod: SignMethod = .md5) {
        self.parameters = parameters
        self.secret = secret
        self.signMethod = signMethod
    }

    /// A signed call of any method from the built-in app, timestamped now in GMT+8: the public
    /// parameters, then `business` as given (JSON objects as their text). What every method's
    /// tests build on; the conveniences below are three such calls.
    public static func call(
        _ api: APIName, business: [(String, String)], format: ResponseFormat? = .json, signMethod: SignMethod = .md5,
        appKey: String = "12345678", secret: String = "helloworld", nowMillis: Int64 = SystemWallClock().nowMillis()
    ) -> SignedRequest {
        var parameters: [(String, String)] = [
            ("method", api.rawValue), ("app_key", appKey), ("timestamp", TimestampPolicy.format(epochMillis: nowMillis)), ("v", "2.0"),
            ("sign_method", signMethod.rawValue),
        ]
        if let format { parameters.append(("format", format.rawValue)) }
        return SignedRequest(parameters: parameters + business, secret: secret, signMethod: signMethod)
    }

    /// A query of alibaba.pos.pay.action.query from the built-in app, timestamped now in GMT+8.
    public static func payActionQuery(
        shopID: Int64, requestID: String, buyerID: Int64, format: ResponseFormat? = .json,
        signMethod: SignMethod = .md5, appKey: String = "12345678", secret: String = "helloworld",
        nowMillis: Int64 = SystemWallClock().nowMillis()
    ) -> SignedRequest {
        call(
            .posPayActionQuery,
            business: [("shop_id", String(shopID)), ("payment_action_request", #"{"buyer_id":\#(buyerID),"request_id":"\#(requestID)"}"#)],
            format: format, signMethod: signMethod, appKey: appKey, secret: secret, nowMillis: nowMillis)
    }

    /// A signed `alibaba.pos.order.pay` call with `pay_request` as given (a JSON object's text).
    public static func orderPay(
        shopID: Int64, payRequest: String, appKey: String = "12345678", secret: String = "helloworld",
        nowMillis: Int64 = SystemWallClock().nowMillis()
    ) -> SignedRequest {
        call(
            .posOrderPay, business: [("shop_id", String(shopID)), ("pay_request", payRequest)], appKey: appKey, secret: secret, nowMillis: nowMillis)
    }

    /// A signed `alibaba.pos.paystatus.query` call.
    public static func payStatusQuery(
        shopID: Int64, checkoutID: String, buyerID: Int64, appKey: String = "12345678", secret: String = "helloworld",
        nowMillis: Int64 = SystemWallClock().nowMillis()
    ) -> SignedRequest {
        call(
            .posPayStatusQuery,
            business: [("shop_id", String(shopID)), ("pay_status_request", #"{"checkout_id":"\#(checkoutID)","buyer_id":\#(buyerID)}"#)],
            appKey: appKey, secret: secret, nowMillis: nowMillis)
    }

    public func placed(_ placement: Placement) -> SignedRequest {
        var copy = self
        copy.placement = placement
        return copy
    }

    /// Sets (or adds) a parameter before signing.
    public func setting(_ name: String, _ value: String) -> SignedRequest {
        var copy = self
        if let index = copy.parameters.firstIndex(where: { $0.0 == name }) {
            copy.parameters[index].1 = value
        } else {
            copy.parameters.append((name, value))
        }
        return copy
    }

    /// Removes a parameter before signing.
    public func removing(_ name: String) -> SignedRequest {
        var copy = self
        copy.parameters.removeAll { $0.0 == name }
        return copy
    }

    public func signedWith(secret: String) -> SignedRequest {
        var copy = self
        copy.secret = secret
        return copy
    }

    public func withSign(_ sign: String) -> SignedRequest {
        var copy = self
        copy.signOverride = sign
        return copy
    }

    /// The signature this request carries.
    public var sign: String {
        signOverride ?? Signer.sign(parameters, secret: secret, method: signMethod)
    }

    public static let boundary = "----topmock1717171717"

    /// The request as an SDK of `placement`'s kind would send it to `/router/rest`.
    public func httpRequest(path: String = "/router/rest") -> HTTPRequest {
        let all = parameters + [("sign", sign)]
        let system = all.filter { Self.systemNames.contains($0.0) }
        let business = all.filter { !Self.systemNames.contains($0.0) }
        switch placement {
        case .get:
            return HTTPRequest(method: "GET", path: path, query: PercentEncoding.formEncode(all), headers: headers)
        case .javaSDK:
            var headers = headers
            headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded;charset=UTF-8")
            return HTTPRequest(
                method: "POST", path: path, query: PercentEncoding.formEncode(system), headers: headers,
                body: Array(PercentEncoding.formEncode(business).utf8))
        case .formBody:
            var headers = headers
            headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded;charset=utf-8")
            return HTTPRequest(method: "POST", path: path, headers: headers, body: Array(PercentEncoding.formEncode(all).utf8))
        case .javaMultipart:
            var headers = headers
            headers.add(name: "Content-Type", value: "multipart/form-data;charset=UTF-8;boundary=\(Self.boundary)")
            return HTTPRequest(
                method: "POST", path: path, query: PercentEncoding.formEncode(system), headers: headers,
                body: Self.multipart(business, compactHeaders: true))
        case .nodeMultipart:
            var headers = headers
            headers.add(name: "Content-Type", value: "multipart/form-data; boundary=\(Self.boundary)")
            return HTTPRequest(method: "POST", path: path, headers: headers, body: Self.multipart(all, compactHeaders: false))
        }
    }

    /// A multipart body; `compactHeaders` writes `Content-Disposition:form-data;name="x"` as Java does.
    public static func multipart(_ fields: [(String, String)], compactHeaders: Bool) -> [UInt8] {
        var text = ""
        for (name, value) in fields {
            text += "--\(boundary)\r\n"
            if compactHeaders {
                text += "Content-Disposition:form-data;name=\"\(name)\"\r\nContent-Type:text/plain;charset=UTF-8\r\n\r\n"
            } else {
                text += "Content-Disposition: form-data; name=\"\(name)\"\r\n\r\n"
            }
            text += "\(value)\r\n"
        }
        text += "--\(boundary)--\r\n"
        return Array(text.utf8)
    }
}
