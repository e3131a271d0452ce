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
    public static let xmlPrologue = #"<?xml version="1.0" encoding="utf-8" ?>"#

    public static func success(
        _ body: consuming ResponseObject, api: APIName, requestID: String, format: ResponseFormat, simplify: Bool
    ) -> [UInt8] {
        var out = Output()
        // request_id goes last, written after the fields rather than appended to them.
        switch format {
        case .json:
            if simplify {
                out.writeJSONObject(body, simplify: true, requestID: requestID)
            } else {
                out.bytes.append(UInt8(ascii: "{"))
                out.bytes.append(UInt8(ascii: "\""))
                api.appendResponseKey(to: &out.bytes)
                out.write("\":")
                out.writeJSONObject(body, simplify: false, requestID: requestID)
                out.bytes.append(UInt8(ascii: "}"))
            }
        case .xml:
            out.write(xmlPrologue)
            out.write("\n<")
            api.appendResponseKey(to: &out.bytes)
            out.bytes.append(UInt8(ascii: ">"))
            for field in body.fields { out.writeXMLElement(field.name, field.value) }
            out.writeXMLElement("request_id", .string(requestID))
            out.write("</")
            api.appendResponseKey(to: &out.bytes)
            out.bytes.append(UInt8(ascii: ">"))
        }
        return out.bytes
    }

    /// A plain JSON document (for topmock's own admin answers, not TOP envelopes).
    public static func json(_ object: ResponseObject) -> [UInt8] {
        var out = Output()
        out.writeJSONObject(object, simplify: true)
        return out.bytes
    }

    public static func failure(_ error: TOPError, requestID: String, format: ResponseFormat) -> [UInt8] {
        var fields = ResponseObject()
        fields.append("code", .integer(Int64(error.code)))
        fields.append("msg", .string(error.msg))
        fields.append("sub_code", error.subCode.map(ResponseValue.string))
        fields.append("sub_msg", error.subMsg.map(ResponseValue.string))
        fields.append("request_id", .string(requestID))
        var out = Output()
        switch format {
        case .json:
            out.write(#"{"error_response":"#)
            out.writeJSONObject(fields, simplify: false)
            out.write("}")
        case .xml:
            out.write(xmlPrologue)
            out.write("\n")
            out.writeXMLElement("error_response", .object(fields))
        }
        return out.bytes
    }

    struct Output {
        var bytes: [UInt8] = []

        init() { bytes.reserveCapacity(512) }

        mutating func write(_ text: String) { bytes.append(contentsOf: text.utf8) }

        /// The object's fields, then `request_id` when one is given.
        mutating func writeJSONObject(_ object: ResponseObject, simplify: Bool, requestID: String? = nil) {
            bytes.append(UInt8(ascii: "{"))
            var first = true
            for field in object.fields {
                if !first { bytes.append(UInt8(ascii: ",")) }
                first = false
                writeJSONString(field.name)
                bytes.append(UInt8(ascii: ":"))
                writeJSONValue(field.value, simplify: simplify)
            }
            if let requestID {
                if !first { bytes.append(UInt8(ascii: ",")) }
                write(#""request_id":"#)
                writeJSONString(requestID)
            }
            bytes.append(UInt8(ascii: "}"))
        }

        mutating func writeJSONValue(_ value: ResponseValue, simplify: Bool) {
            switch value {
            case .string(let text): writeJSONString(text)
            case .integer(let number): write(String(number))
            case .bool(let flag): write(flag ? "true" : "false")
            case .object(let object): writeJSONObject(object, simplify: simplify)
            case .list(let itemName, let items):
                if !simplify {
                    bytes.append(UInt8(ascii: "{"))
                    writeJSONString(itemName)
                    bytes.append(UInt8(ascii: ":"))
                }
                bytes.append(UInt8(ascii: "["))
                for (offset, item) in items.enumerated() {
                    if offset > 0 { bytes.append(UInt8(ascii: ",")) }
                    writeJSONValue(item, simplify: simplify)
                }
                bytes.append(UInt8(ascii: "]"))
                if !simplify { bytes.append(UInt8(ascii: "}")) }
            }
        }

        /// JSON string with the escapes RFC 8259 requires; non-ASCII goes out as UTF-8.
        mutating func writeJSONString(_ text: String) {
            bytes.append(UInt8(ascii: "\""))
            writeEscaped(text, .json)
            bytes.append(UInt8(ascii: "\""))
        }

        /// Copies `text`, replacing each byte `escapes` has a replacement for. Runs between
        /// escapes are copied whole, since values rarely need escaping.
        mutating func writeEscaped(_ text: String, _ escapes: Escapes) {
            text.withUTF8Buffer { utf8 in
                var runStart = 0
                for offset in 0..<utf8.count where !escapes.isPlain(utf8[offset]) {
                    bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<offset]))
                    bytes.append(contentsOf: escapes.replacement(utf8[offset]).utf8)
                    runStart = offset + 1
                }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
            }
        }

        mutating func writeXMLElement(_ name: String, _ value: ResponseValue) {
            bytes.append(UInt8(ascii: "<"))
            write(name)
            bytes.append(UInt8(ascii: ">"))
            switch value {
            case .string(let text): writeXMLText(text)
            case .integer(let number): write(String(number))
            case .bool(let flag): write(flag ? "true" : "false")
            case .object(let object):
                for field in object.fields { writeXMLElement(field.name, field.value) }
            case .list(let itemName, let items):
                for item in items { writeXMLElement(itemName, item) }
            }
            write("</")
            write(name)
            bytes.append(UInt8(ascii: ">"))
        }

        mutating func writeXMLText(_ text: String) {
            writeEscaped(text, .xml)
        }
    }

    /// What a format escapes: which bytes go out as they are, and what replaces each other one.
    enum Escapes: Sendable {
        /// The escapes RFC 8259 requires in a JSON string.
        case json
        /// XML text: the markup characters as entities, and the control characters XML 1.0 does
        /// not allow dropped.
        case xml

        /// Whether `byte` is written as it is (most are: this is read for every byte written).
        func isPlain(_ byte: UInt8) -> Bool {
            switch self {
            case .json: return byte >= 0x20 && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\")
            case .xml:
                return byte >= 0x20
                    ? byte != UInt8(ascii: "&") && byte != UInt8(ascii: "<") && byte != UInt8(ascii: ">") && byte != UInt8(ascii: "\"")
                    : byte == 9 || byte == 10 || byte == 13
            }
        }

        /// What replaces a byte that is not plain ("" drops it).
        func replacement(_ byte: UInt8) -> String {
            switch (self, byte) {
            case (.json, UInt8(ascii: "\"")): return #"\""#
            case (.json, UInt8(ascii: "\\")): return #"\\"#
            case (.json, 10): return #"\n"#
            case (.json, 13): return #"\r"#
            case (.json, 9): return #"\t"#
            case (.json, _): return "\\u00" + String(decoding: [Self.hex[Int(byte >> 4)], Self.hex[Int(byte & 15)]], as: UTF8.self)
            case (.xml, UInt8(ascii: "&")): return "&amp;"
            case (.xml, UInt8(ascii: "<")): return "&lt;"
            case (.xml, UInt8(ascii: ">")): return "&gt;"
            case (.xml, UInt8(ascii: "\"")): return "&quot;"
            case (.xml, _): return ""
            }
        }

        private static let hex = Array("0123456789abcdef".utf8)
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
