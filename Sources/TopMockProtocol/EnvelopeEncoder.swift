/// The two answer formats. XML is the default when `format` is absent.
public enum ResponseFormat: String, Sendable, CaseIterable {
    case json
    case xml
}

/// Renders TOP answers byte for byte (docs/protocol.md, "Answers"):
///
/// - JSON: one root key `<api>_response` holding the fields and then `request_id`; with
///   `simplify` the root wrapper goes and lists become plain arrays. Errors are always
///   `{"error_response":{code,msg,sub_code,sub_msg,request_id}}`.
/// - XML: the `<?xml version="1.0" encoding="utf-8" ?>` prologue, then the same tree as elements.
///
/// ```swift
/// let body = EnvelopeEncoder.success(fields, api: .posPayActionQuery, requestID: id, format: .json, simplify: false)
/// ```
public enum EnvelopeEncoder {
    public static let xmlPrologue: StaticString = #"<?xml version="1.0" encoding="utf-8" ?>"#

    public static func success(
        _ body: some ResponseFields, api: APIName, requestID: String, format: ResponseFormat, simplify: Bool
    ) -> [UInt8] {
        // request_id goes last, written after the fields rather than appended to them.
        switch format {
        case .json:
            var out = ResponseWriter(target: .json(simplify: simplify))
            if simplify {
                out.writeJSONObject(body, requestID: requestID)
            } else {
                out.write(#"{""#)
                out.writeResponseKey(of: api)
                out.write(#"":"#)
                out.writeJSONObject(body, requestID: requestID)
                out.bytes.append(UInt8(ascii: "}"))
            }
            return out.bytes.array
        case .xml:
            var out = ResponseWriter(target: .xml)
            out.write(xmlPrologue)
            out.write("\n<")
            out.writeResponseKey(of: api)
            out.bytes.append(UInt8(ascii: ">"))
            body.write(to: &out)
            out.field("request_id", requestID)
            out.write("</")
            out.writeResponseKey(of: api)
            out.bytes.append(UInt8(ascii: ">"))
            return out.bytes.array
        }
    }

    /// A plain JSON document (for topmock's own admin answers, not TOP envelopes).
    public static func json(_ object: ResponseObject) -> [UInt8] {
        var out = ResponseWriter(target: .json(simplify: true))
        out.writeJSONObject(object)
        return out.bytes.array
    }

    public static func failure(_ error: TOPError, requestID: String, format: ResponseFormat) -> [UInt8] {
        var fields = ResponseObject(capacity: 5)
        fields.append("code", .integer(Int64(error.code)))
        fields.append("msg", .string(error.msg))
        fields.append("sub_code", error.subCode.map(ResponseValue.string))
        fields.append("sub_msg", error.subMsg.map(ResponseValue.string))
        fields.append("request_id", .string(requestID))
        switch format {
        case .json:
            var out = ResponseWriter(target: .json(simplify: false))
            out.write(#"{"error_response":"#)
            out.writeJSONObject(fields)
            out.write("}")
            return out.bytes.array
        case .xml:
            var out = ResponseWriter(target: .xml)
            out.write(xmlPrologue)
            out.write("\n")
            out.writeXMLElement("error_response", .object(fields))
            return out.bytes.array
        }
    }
}

/// The `Content-Type` TOP answers carry. JSON's is configurable: the real gateway most likely
/// sends `text/javascript`, `application/json` works with every SDK (docs/protocol.md, "Answers").
public struct ContentTypes: Sendable, Equatable {
    public var json: String
    public var xml: String

    public init(json: String = "application/json;charset=UTF-8", xml: String = "text/xml;charset=UTF-8") {
        self.json = json
        self.xml = xml
    }

    public func of(_ format: ResponseFormat) -> String { format == .json ? json : xml }

    /// Why the official Node SDK would not parse JSON answers labelled `json`, or nil when it
    /// would: its `network.js` parses a body only when the content type contains
    /// `application/json` or `text/javascript` (case-insensitive), and otherwise hands back the raw
    /// string with no error — a code-25 answer then looks like a success.
    public var nodeSDKWarning: String? {
        let lowered = json.lowercased()
        guard !lowered.contains("application/json"), !lowered.contains("text/javascript") else { return nil }
        return "JSON answers are labelled '\(json)': the official Node SDK parses only application/json or "
            + "text/javascript, and hands any other body back as a string with no error (an error answer looks like a success)"
    }
}
