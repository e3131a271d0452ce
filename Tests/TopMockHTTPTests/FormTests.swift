import Testing
import TopMockHTTP
import TopMockProtocol

@Suite struct FormTests {
    @Test func decodesPlusAsSpaceAndPercentEscapes() {
        #expect(PercentDecoding.decodeString(Array("2016-01-01+12%3A00%3A00".utf8)) == "2016-01-01 12:00:00")
        #expect(PercentDecoding.decodeString(Array("%E6%94%AF%E4%BB%98".utf8)) == "支付")
    }

    @Test func keepsMalformedEscapesLiterally() {
        #expect(PercentDecoding.decodeString(Array("100%+sure%2".utf8)) == "100% sure%2")
        #expect(PercentDecoding.decodeString(Array("%zz".utf8)) == "%zz")
    }

    @Test func parsesURLEncodedForm() {
        let fields = URLEncodedForm.parse("a=1&b=&c&&d=x%3Dy=z")
        #expect(
            fields == [
                FormField(name: "a", value: "1"), FormField(name: "b", value: ""), FormField(name: "c", value: ""),
                FormField(name: "d", value: "x=y=z"),
            ])
    }

    /// The byte scanner (`memchr` for `&`, `=`, `%`, `+`) against a plain reading of the format, on
    /// random bodies over the bytes that matter, with and without a field limit.
    @Test func parsesRandomFormsLikeAPlainReading() {
        let alphabet = Array("ab=&%+2B3f".utf8) + [0xC3, 0xA9, 0xFF]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let body = (0..<Int.random(in: 0...24, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }
            let segments = body.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true)
            let expected = segments.map { segment -> FormField in
                let equals = segment.firstIndex(of: UInt8(ascii: "=")) ?? segment.endIndex
                let name = Self.plainDecode(segment[..<equals])
                let value = equals == segment.endIndex ? (text: "", valid: true) : Self.plainDecode(segment[(equals + 1)...])
                return FormField(name: name.text, value: value.text, isValidUTF8: name.valid && value.valid)
            }
            #expect(URLEncodedForm.parse(body) == expected, "body \(body)")
            let limit = Int.random(in: 0...4, using: &generator)
            #expect(URLEncodedForm.parse(body, limit: limit) == (expected.count > limit ? nil : expected), "body \(body), limit \(limit)")
        }
    }

    /// `%XX` with two hex digits → the byte, `+` → space, anything else as it is; then UTF-8.
    static func plainDecode(_ bytes: ArraySlice<UInt8>) -> (text: String, valid: Bool) {
        let bytes = Array(bytes)
        var decoded: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let hex = index + 2 < bytes.count ? String(decoding: bytes[(index + 1)...(index + 2)], as: UTF8.self) : ""
            if bytes[index] == UInt8(ascii: "%"), hex.allSatisfy(\.isHexDigit), let value = UInt8(hex, radix: 16) {
                decoded.append(value)
                index += 3
            } else {
                decoded.append(bytes[index] == UInt8(ascii: "+") ? UInt8(ascii: " ") : bytes[index])
                index += 1
            }
        }
        let valid = String(validating: decoded, as: UTF8.self) != nil
        return (String(decoding: decoded, as: UTF8.self), valid)
    }

    @Test func encodesLikeJavaURLEncoder() {
        #expect(PercentEncoding.encodeFormComponent(#"{"a":1} x*~"#) == "%7B%22a%22%3A1%7D+x*%7E")
        let round = PercentEncoding.formEncode([("timestamp", "2016-01-01 12:00:00"), ("名", "值")])
        #expect(URLEncodedForm.parse(round) == [FormField(name: "timestamp", value: "2016-01-01 12:00:00"), FormField(name: "名", value: "值")])
    }

    @Test func parsesMediaTypeParametersInAnyOrder() throws {
        let java = try #require(MediaType("multipart/form-data;charset=UTF-8;boundary=1234"))
        #expect(java.isMultipartFormData)
        #expect(java.parameters == ["charset": "UTF-8", "boundary": "1234"])
        let quoted = try #require(MediaType("Multipart/Form-Data; boundary=\"a b\"; charset=utf-8"))
        #expect(quoted.isMultipartFormData)
        #expect(quoted.parameters["boundary"] == "a b")
        #expect(MediaType("application/x-www-form-urlencoded; charset=UTF-8")?.isFormURLEncoded == true)
        #expect(MediaType(" Application/X-WWW-Form-URLEncoded ")?.isFormURLEncoded == true)
        #expect(MediaType("application/x-www-form-urlencodee")?.isFormURLEncoded == false)
        #expect(MediaType("text/plain").map { !$0.isFormURLEncoded && !$0.isMultipartFormData } == true)
        #expect(MediaType("garbage") == nil)
    }

    @Test func parsesJavaStyleMultipart() throws {
        let body =
            "--XyZ\r\nContent-Disposition:form-data;name=\"shop_id\"\r\nContent-Type:text/plain;charset=UTF-8\r\n\r\n124\r\n"
            + "--XyZ\r\nContent-Disposition:form-data;name=\"payment_action_request\"\r\n\r\n{\"a\":\"b\r\nc\"}\r\n--XyZ--\r\n"
        let fields = try MultipartForm.parse(Array(body.utf8), boundary: "XyZ")
        #expect(fields == [FormField(name: "shop_id", value: "124"), FormField(name: "payment_action_request", value: "{\"a\":\"b\r\nc\"}")])
    }

    @Test func parsesNodeAndPythonStyleMultipartWithFileAndEmptyValue() throws {
        let body =
            "preamble\r\n--b\r\nContent-Disposition: form-data; name=\"empty\"\r\n\r\n\r\n"
            + "--b\r\nContent-Disposition: file; name=\"image\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n\u{1}PNG\r\n--b--"
        let fields = try MultipartForm.parse(Array(body.utf8), boundary: "b")
        #expect(fields == [FormField(name: "empty", value: ""), FormField(name: "image", value: "\u{1}PNG", filename: "a.png")])
        #expect(fields[1].isFile)
    }

    @Test(arguments: [
        ("no boundary at all", "b", "multipart body does not contain its boundary 'b'"),
        ("--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nvalue without end", "b", "multipart part 1 is not terminated by the boundary"),
        ("--b\r\nContent-Disposition: form-data; name=\"x\"", "b", "multipart part 1 has no end to its headers"),
        ("--b\r\nContent-Type: text/plain\r\n\r\nv\r\n--b--", "b", "multipart part 1 has no Content-Disposition name"),
        ("--bXX\r\n", "b", "multipart boundary is not followed by a line break"),
        ("--\r\n", "", "multipart boundary is empty or longer than 200 bytes"),
    ])
    func reportsBrokenMultipart(body: String, boundary: String, message: String) {
        #expect(throws: MultipartForm.ParseError(message)) { try MultipartForm.parse(Array(body.utf8), boundary: boundary) }
    }

    @Test func headersAreCaseInsensitive() {
        var headers: HTTPHeaders = ["Content-Type": "a"]
        headers.add(name: "X-A", value: "1")
        headers.add(name: "x-a", value: "2")
        #expect(headers["content-type"] == "a")
        #expect(headers.values(of: "X-a") == ["1", "2"])
        headers.replaceOrAdd(name: "X-A", value: "3")
        #expect(headers.values(of: "x-a") == ["3"])
    }
}
