/// Transport faults, carried out by the HTTP layer (WireMock's Fault + FaultInjector).
public enum Fault: String, Sendable, Equatable, CaseIterable {
    /// Close the connection without answering.
    case closeConnection = "close"
    /// Reset the connection (TCP RST) without answering.
    case resetConnection = "reset"
    /// HTTP 200 with the TOP content type and no body.
    case emptyBody = "empty_body"
    /// The headers and half of the body, then the connection closes.
    case truncatedBody = "truncated_body"
    /// HTTP 200 with a body that is not well-formed JSON/XML.
    case malformedBody = "malformed_body"
    /// HTTP 500/502/503 with an HTML page, as a proxy in front of the gateway sends.
    case http500 = "http_500"
    case http502 = "http_502"
    case http503 = "http_503"

    /// Faults that deliver a broken version of the real answer (so the call counts as a query).
    public var carriesAnswer: Bool { self == .truncatedBody || self == .malformedBody }
}

extension Fault {
    /// The proxy-page fault that replays an HTTP error status an upstream answered with (`http_502`
    /// for a status topmock has no page of its own for).
    public init(proxyStatus status: Int) {
        self = status == 500 ? .http500 : status == 503 ? .http503 : .http502
    }
}
