import Logging
import TopMockProtocol

/// `--log-format json`: one JSON object per line on stderr, for log collectors in CI:
/// `{"time":"…","level":"info","label":"topmock","message":"rejected","request_id":"…",…}`.
/// Metadata keys are kept as they are (dotted); `topmock.request.id` is also given as `request_id`.
struct JSONLogHandler: LogHandler {
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info
    let label: String

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var object = ResponseObject()
        object.append("time", .string(Self.timestamp()))
        object.append("level", .string(event.level.rawValue))
        object.append("label", .string(label))
        object.append("message", .string(event.message.description))
        if let error = event.error { object.append("error", .string("\(error)")) }
        let all = metadata.merging(event.metadata ?? [:]) { _, new in new }
        if let requestID = all["topmock.request.id"] { object.append("request_id", .string("\(requestID)")) }
        for key in all.keys.sorted() { object.append(key, .string("\(all[key]!)")) }
        var bytes = EnvelopeEncoder.json(object)
        bytes.append(10)
        writeStandardError(bytes)
    }

    /// UTC, ISO 8601 with milliseconds.
    static func timestamp() -> String {
        let millis = SystemWallClock().nowMillis()
        let text = TimestampPolicy.format(epochMillis: millis, offsetSeconds: 0)  // yyyy-MM-dd HH:mm:ss
        let fraction = String(1000 + millis % 1000).dropFirst()
        return text.replacing(" ", with: "T") + ".\(fraction)Z"
    }
}
