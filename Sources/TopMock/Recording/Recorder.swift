import TopMockLock
import TopMockProtocol
import TopMockScenarios
import TopMockUpstream

/// One forwarded call as a recording keeps it: the method, its business parameters with the
/// redacted paths masked (secrets never reach the store), and what the upstream answered.
struct RecordedCall: Sendable {
    var api: APIName
    /// Business parameters (public ones left out), JSON values written canonically.
    var parameters: [(name: String, value: String)]
    var answer: UpstreamAnswer

    /// The parameters by dotted path (JSON parameters looked into), what rules match on.
    var fields: [String: String] { FieldPaths(parameters.map { TOPParameters.Parameter(name: $0.name, value: $0.value) }).values }
}

/// The calls `topmock record` forwarded, in order, bounded (past the bound they are forwarded and
/// not kept). Safe under concurrent calls: one lock around an array.
public final class Recorder: Sendable {
    private let calls = Locked<[RecordedCall]>([])
    let limit: Int
    /// Paths the user named with `--redact`, masked besides what ``Redaction`` masks.
    let redactedPaths: Set<String>
    /// The upstream app's secret: a parameter equal to it is masked too.
    let secret: String
    /// The upstream's URL and the clock, for the file's header.
    let upstream: String
    let clock: any WallClock
    /// Calls forwarded but not kept because the recording was full.
    private let dropped = Locked(0)

    init(limit: Int, redactedPaths: [String], secret: String = "", upstream: String = "", clock: any WallClock = SystemWallClock()) {
        self.limit = limit
        self.redactedPaths = Set(redactedPaths)
        self.secret = secret
        self.upstream = upstream
        self.clock = clock
    }

    /// The calls so far as a scenario file (``RecordingWriter``), stamped with the time (GMT+8):
    /// what `topmock record` writes and `GET /__admin/recording` answers.
    public func scenarioFile(name: String = "recorded") -> String {
        let stamp = TimestampPolicy.format(epochMillis: clock.nowMillis()) + " GMT+8"
        return RecordingWriter(upstream: upstream, recordedAt: stamp, name: name).yaml(recorded)
    }

    var recorded: [RecordedCall] { calls.withLock { $0 } }

    /// How many calls are kept, and how many were not for want of room.
    public var counts: (kept: Int, dropped: Int) { (calls.withLock { $0.count }, dropped.withLock { $0 }) }

    public func clear() { calls.withLock { $0.removeAll() } }

    func record(_ request: TOPRequest, _ answer: UpstreamAnswer) {
        let parameters = request.parameters.all.filter { !TOPParameters.publicNames.contains($0.name) }.map { parameter in
            (name: parameter.name, value: redacted(parameter.name, parameter.value))
        }
        var kept = answer
        if case .success(let fields) = answer { kept = .success(ServedMethods.redaction.maskedFields(fields)) }
        let call = RecordedCall(api: request.api, parameters: parameters, answer: kept)
        let stored = calls.withLock { calls in
            guard calls.count < limit else { return false }
            calls.append(call)
            return true
        }
        if !stored { dropped.withLock { $0 += 1 } }
    }

    /// The parameter's value as masked by ``Redaction`` (the one list every other place uses),
    /// then with every `--redact` path inside it masked (`***`); a JSON value is written back
    /// canonically (sorted keys), so two calls that differ only in key order match.
    func redacted(_ name: String, _ value: String) -> String {
        let value = ServedMethods.redaction.masked(.init(name: name, value: value), secret: secret).value
        if redactedPaths.contains(name) { return Redaction.maskedValue }
        guard let object = JSONValue.object(parsing: value) else { return value }
        return JSONValue.object(object).masking(at: name) { path, _ in redactedPaths.contains(path) }.jsonText
    }
}

extension JSONValue {
    /// This value as the fields of a TOP answer: objects keep their keys (sorted: JSON gives no
    /// order), `{"item": […]}` becomes a list of `item`s (TOP's list shape), nulls are left out,
    /// numbers with a fraction become their text.
    var responseObject: ResponseObject {
        guard case .object(let fields) = self else { return ResponseObject() }
        var object = ResponseObject(capacity: fields.count)
        for key in fields.keys.sorted() {
            if let value = fields[key]!.responseValue { object.append(key, value) }
        }
        return object
    }

    var responseValue: ResponseValue? {
        switch self {
        case .null: return nil
        case .bool(let value): return .bool(value)
        case .integer(let value): return .integer(value)
        case .number(let value): return .string(String(value))
        case .string(let value): return .string(value)
        case .array(let items): return .list(itemName: "item", items.compactMap(\.responseValue))
        case .object(let fields):
            if fields.count == 1, let (name, value) = fields.first, case .array(let items) = value {
                return .list(itemName: name, items.compactMap(\.responseValue))
            }
            return .object(responseObject)
        }
    }
}
