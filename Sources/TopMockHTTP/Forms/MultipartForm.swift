/// `multipart/form-data` bodies (RFC 7578) as the TOP SDKs write them: the Java SDK's part headers
/// have no space after the colon (`Content-Disposition:form-data;name="x"`), Python's file parts
/// say `file;` instead of `form-data;`, Node sends every parameter this way.
public enum MultipartForm {
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public let description: String
        public init(_ description: String) { self.description = description }
    }

    /// Parses a body against `boundary` (the `boundary` parameter of its Content-Type).
    public static func parse(_ body: [UInt8], boundary: String) throws(ParseError) -> [FormField] {
        guard !boundary.isEmpty, boundary.utf8.count <= 200 else {
            throw ParseError("multipart boundary is empty or longer than 200 bytes")
        }
        let delimiter = Array("--\(boundary)".utf8)
        let crlf: [UInt8] = [13, 10]
        // The first delimiter starts the body or a line (anything before it is preamble).
        guard var cursor = firstDelimiter(delimiter, in: body) else {
            throw ParseError("multipart body does not contain its boundary '\(boundary)'")
        }
        var fields: [FormField] = []
        while true {
            cursor += delimiter.count
            if body.hasBytes([45, 45], at: cursor) { return fields }  // "--": the closing delimiter
            // Transport padding, then CRLF.
            while cursor < body.count, body[cursor] == 32 || body[cursor] == 9 { cursor += 1 }
            guard body.hasBytes(crlf, at: cursor) else {
                throw ParseError("multipart boundary is not followed by a line break")
            }
            cursor += 2
            guard let headerEnd = body.firstRange(of: [13, 10, 13, 10], from: cursor) else {
                throw ParseError("multipart part \(fields.count + 1) has no end to its headers")
            }
            let headerBlock = String(decoding: body[cursor..<headerEnd], as: UTF8.self)
            let contentStart = headerEnd + 4
            guard let contentEnd = body.firstRange(of: crlf + delimiter, from: contentStart) else {
                throw ParseError("multipart part \(fields.count + 1) is not terminated by the boundary")
            }
            fields.append(try field(headers: headerBlock, content: body[contentStart..<contentEnd], index: fields.count + 1))
            cursor = contentEnd + 2
        }
    }

    private static func firstDelimiter(_ delimiter: [UInt8], in body: [UInt8]) -> Int? {
        if body.hasBytes(delimiter, at: 0) { return 0 }
        return body.firstRange(of: [13, 10] + delimiter, from: 0).map { $0 + 2 }
    }

    private static func field(headers: String, content: ArraySlice<UInt8>, index: Int) throws(ParseError) -> FormField {
        var name: String?
        var filename: String?
        for line in headers.split(separator: "\r\n") {
            guard let colon = line.firstIndex(of: ":") else {
                throw ParseError("multipart part \(index) has a header line without ':'")
            }
            guard line[..<colon].trimmingASCIIWhitespace().lowercased() == "content-disposition" else { continue }
            for parameter in line[line.index(after: colon)...].split(separator: ";").dropFirst() {
                guard let equals = parameter.firstIndex(of: "=") else { continue }
                let key = parameter[..<equals].trimmingASCIIWhitespace().lowercased()
                var value = parameter[parameter.index(after: equals)...].trimmingASCIIWhitespace()
                if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
                if key == "name" { name = value } else if key == "filename" { filename = value }
            }
        }
        guard let name else {
            throw ParseError("multipart part \(index) has no Content-Disposition name")
        }
        let value = content.withUnsafeBufferPointer { PercentDecoding.validated($0) }
        return FormField(name: name, value: value.text, filename: filename, isValidUTF8: value.isValidUTF8 || filename != nil)
    }
}

extension Array where Element == UInt8 {
    func hasBytes(_ needle: [UInt8], at offset: Int) -> Bool {
        guard offset >= 0, offset + needle.count <= count else { return false }
        var i = 0
        while i < needle.count {
            if self[offset + i] != needle[i] { return false }
            i += 1
        }
        return true
    }

    /// Start offset of the first occurrence of `needle` at or after `from`.
    func firstRange(of needle: [UInt8], from: Int) -> Int? {
        guard let first = needle.first, needle.count <= count else { return nil }
        var offset = Swift.max(from, 0)
        let last = count - needle.count
        while offset <= last {
            if self[offset] == first && hasBytes(needle, at: offset) { return offset }
            offset += 1
        }
        return nil
    }
}
