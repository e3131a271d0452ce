public import TopMockProtocol

/// What the engine decided for one call.
public struct Resolution: Sendable, Equatable {
    public enum Decision: Sendable, Equatable {
        /// The answer of one of ``ServedMethods``.
        case answer(MethodAnswer)
        case stub(StubAnswer)
        case error(TOPError)
        case fault(Fault)
        /// A method that neither ``ServedMethods`` nor any stub serves (code 22).
        case unknownMethod
        /// Refused by one of the engine's bounds (the cap on namespaces), with why in words.
        case refused(TOPError, why: String)
    }

    public let decision: Decision
    /// For faults that break an answer in transit (truncated or malformed body): the answer.
    public var faultedAnswer: Decision?
    /// Wait this long before answering.
    public var delay: Duration?
    /// The rule that fired, if any.
    public var ruleName: String?
    /// How the call ended, for the journal, logs and metrics (read from ``decision`` once, when
    /// the resolution is made: reading it from the decision copies the answer).
    public let callOutcome: CallOutcome
    /// The payment action's or stub's scenario file, read from ``decision`` with ``callOutcome``.
    private let answerPath: String?

    /// The scenario file behind the answer: the fired rule's, else the payment action's or stub's.
    public var scenarioPath: String? { ruleSource?.path ?? answerPath }

    /// Where the fired rule was declared.
    public var ruleSource: SourceLocation?

    public init(decision: Decision, delay: Duration? = nil, ruleName: String? = nil) {
        switch decision {
        case .answer(let answer): (callOutcome, answerPath) = (answer.outcome, answer.source?.path)
        case .stub(let stub): (callOutcome, answerPath) = (.stub, stub.source.path)
        case .error: (callOutcome, answerPath) = (.error, nil)
        case .fault: (callOutcome, answerPath) = (.fault, nil)
        case .unknownMethod: (callOutcome, answerPath) = (.unknownMethod, nil)
        case .refused: (callOutcome, answerPath) = (.rejected, nil)
        }
        self.decision = decision
        self.delay = delay
        self.ruleName = ruleName
    }

    /// Whether the call created a payment action, its answer delivered or not: a fault that
    /// `takes_effect` (a lost reply) created one too. What `verify` counts as a payment.
    public var createdPayment: Bool {
        switch callOutcome {
        case .created: return true
        case .fault:
            if case .answer(let answer)? = faultedAnswer { return answer.outcome == .created }
            return false
        default: return false
        }
    }

    /// Whether the scenarios do not know the call: a method neither served nor stubbed, or an
    /// action or checkout that is not there (what `serve --proxy-on-miss` forwards).
    public var isMiss: Bool {
        switch decision {
        case .unknownMethod: true
        case .answer(let answer): answer.outcome == .notFound
        default: false
        }
    }

}
