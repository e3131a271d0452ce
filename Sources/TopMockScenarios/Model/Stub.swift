public import TopMockProtocol

/// A canned answer for another TOP method, rendered with the envelope rules.
public struct Stub: Sendable {
    public var api: APIName
    /// Which calls of its method it answers (no condition: every call).
    public var pattern: RequestPattern
    /// Answered in turn, counted per namespace; the last one repeats.
    public var responses: [ResponseObject]
    public var source: SourceLocation

    /// The first answer.
    public var response: ResponseObject { responses[0] }

    public init(
        api: APIName, pattern: RequestPattern = RequestPattern(), responses: [ResponseObject],
        source: SourceLocation = SourceLocation(path: "", line: 0, column: 0)
    ) {
        precondition(!responses.isEmpty, "a stub answers with at least one response")
        self.api = api
        self.pattern = pattern
        self.responses = responses
        self.source = source
    }

    public init(api: APIName, response: ResponseObject, source: SourceLocation = SourceLocation(path: "", line: 0, column: 0)) {
        self.init(api: api, responses: [response], source: source)
    }
}

/// What a stub answered one call with.
public struct StubAnswer: Sendable, Equatable {
    public var response: ResponseObject
    /// Where the stub is declared.
    public var source: SourceLocation
}
