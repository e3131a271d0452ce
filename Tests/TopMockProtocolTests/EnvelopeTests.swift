import Testing
import TopMockProtocol

@Suite struct EnvelopeTests {
    static let model: ResponseObject = [
        "result": .object([
            "model": .object([
                "result_code": .string("SUCCESS"), "result_message": .string("ok"), "channel_name": .string("alipay"),
                "action_status": .string("SUCCESS"), "success": .bool(true),
            ]),
            "success": .bool(true),
        ])
    ]

    @Test func rendersJSONSuccessWithRootKeyAndRequestIDLast() {
        let body = EnvelopeEncoder.success(Self.model, api: .posPayActionQuery, requestID: "zt9tg1f4lhkg", format: .json, simplify: false)
        #expect(
            String(decoding: body, as: UTF8.self)
                == #"{"alibaba_pos_pay_action_query_response":{"result":{"model":{"result_code":"SUCCESS","result_message":"ok","channel_name":"alipay","action_status":"SUCCESS","success":true},"success":true},"request_id":"zt9tg1f4lhkg"}}"#
        )
    }

    @Test func rendersSimplifiedJSONWithoutRootKey() {
        let body = EnvelopeEncoder.success(Self.model, api: .posPayActionQuery, requestID: "zt9tg1f4lhkg", format: .json, simplify: true)
        #expect(
            String(decoding: body, as: UTF8.self)
                == #"{"result":{"model":{"result_code":"SUCCESS","result_message":"ok","channel_name":"alipay","action_status":"SUCCESS","success":true},"success":true},"request_id":"zt9tg1f4lhkg"}"#
        )
    }

    @Test func rendersXMLSuccessWithPrologue() {
        let body = EnvelopeEncoder.success(Self.model, api: .posPayActionQuery, requestID: "zt9tg1f4lhkg", format: .xml, simplify: false)
        #expect(
            String(decoding: body, as: UTF8.self) == """
                <?xml version="1.0" encoding="utf-8" ?>
                <alibaba_pos_pay_action_query_response><result><model><result_code>SUCCESS</result_code><result_message>ok</result_message><channel_name>alipay</channel_name><action_status>SUCCESS</action_status><success>true</success></model><success>true</success></result><request_id>zt9tg1f4lhkg</request_id></alibaba_pos_pay_action_query_response>
                """)
    }

    @Test func rendersJSONErrorInRealFieldOrder() {
        let body = EnvelopeEncoder.failure(.invalidAppKey, requestID: "157dldoj7tr3e", format: .json)
        #expect(
            String(decoding: body, as: UTF8.self)
                == #"{"error_response":{"code":29,"msg":"Invalid app Key","sub_code":"isv.appkey-not-exists","request_id":"157dldoj7tr3e"}}"#)
    }

    @Test func rendersXMLErrorWithSubMessage() {
        let body = EnvelopeEncoder.failure(.remoteServiceErrorTemplate, requestID: "13yki55kbv7ug", format: .xml)
        #expect(
            String(decoding: body, as: UTF8.self) == """
                <?xml version="1.0" encoding="utf-8" ?>
                <error_response><code>50</code><msg>Remote service error</msg><sub_code>isv.invalid-parameter</sub_code><sub_msg>非法参数</sub_msg><request_id>13yki55kbv7ug</request_id></error_response>
                """)
    }

    @Test func escapesJSONAndXMLText() {
        let fields: ResponseObject = ["msg_info": .string("a\"b\\c\nd<e>&\u{1}")]
        let json = EnvelopeEncoder.success(fields, api: .posPayActionQuery, requestID: "r", format: .json, simplify: true)
        #expect(String(decoding: json, as: UTF8.self) == #"{"msg_info":"a\"b\\c\nd<e>&\u0001","request_id":"r"}"#)
        let xml = EnvelopeEncoder.success(fields, api: .posPayActionQuery, requestID: "r", format: .xml, simplify: false)
        #expect(
            String(decoding: xml, as: UTF8.self).hasSuffix(
                "<msg_info>a&quot;b\\c\nd&lt;e&gt;&amp;</msg_info><request_id>r</request_id></alibaba_pos_pay_action_query_response>"))
    }

    /// A tree's names come from outside (a stub's keys, an upstream's answer): XML gets each as an
    /// element name, with `_` for what a name cannot hold, so the document stays well formed;
    /// JSON keeps the name, escaped.
    @Test func writesATreesNamesAsXMLNames() {
        let fields: ResponseObject = [
            "a<b": .string("x&y"), "1st": .integer(1), "two words": .object(["\"q\"": .bool(true)]), "": .string("e"),
            "支付_ok-1.2": .string("kept"),
        ]
        let xml = String(
            decoding: EnvelopeEncoder.success(fields, api: .posPayActionQuery, requestID: "r", format: .xml, simplify: false), as: UTF8.self)
        #expect(
            xml.hasSuffix(
                "<a_b>x&amp;y</a_b><_st>1</_st><two_words><_q_>true</_q_></two_words><_>e</_><支付_ok-1.2>kept</支付_ok-1.2>"
                    + "<request_id>r</request_id></alibaba_pos_pay_action_query_response>"), "\(xml)")
        let json = String(
            decoding: EnvelopeEncoder.success(fields, api: .posPayActionQuery, requestID: "r", format: .json, simplify: true), as: UTF8.self)
        #expect(json.hasPrefix(#"{"a<b":"x&y","1st":1,"two words":{"\"q\"":true},"":"e","#), "\(json)")
    }

    /// Answers are written into a buffer that starts at 512 bytes and doubles: one far longer,
    /// with escapes across the points where it grows, comes out whole and in order.
    @Test func rendersAnswersLongerThanTheFirstBuffer() {
        let count = 700
        var fields = ResponseObject()
        for index in 0..<count { fields.append("f\(index)", .string("piece \(index) \"quoted\" <\(index % 7)>")) }
        let json = String(
            decoding: EnvelopeEncoder.success(fields, api: .posPayActionQuery, requestID: "r", format: .json, simplify: true), as: UTF8.self)
        let expectedJSON =
            "{" + (0..<count).map { #""f\#($0)":"piece \#($0) \"quoted\" <\#($0 % 7)>""# }.joined(separator: ",") + #","request_id":"r"}"#
        #expect(json.utf8.count > 32 * 512 && json == expectedJSON)
        let xml = String(
            decoding: EnvelopeEncoder.success(fields, api: .posPayActionQuery, requestID: "r", format: .xml, simplify: false), as: UTF8.self)
        let expectedXML = (0..<count).map { "<f\($0)>piece \($0) &quot;quoted&quot; &lt;\($0 % 7)&gt;</f\($0)>" }.joined()
        #expect(xml.hasSuffix(expectedXML + "<request_id>r</request_id></alibaba_pos_pay_action_query_response>"))
    }

    @Test func wrapsListsTwiceUnlessSimplified() {
        let fields: ResponseObject = ["features": .list(itemName: "feature", [.string("a"), .integer(2)])]
        let wrapped = EnvelopeEncoder.success(fields, api: APIName(rawValue: "taobao.x.get"), requestID: "r", format: .json, simplify: false)
        #expect(String(decoding: wrapped, as: UTF8.self) == #"{"x_get_response":{"features":{"feature":["a",2]},"request_id":"r"}}"#)
        let plain = EnvelopeEncoder.success(fields, api: APIName(rawValue: "taobao.x.get"), requestID: "r", format: .json, simplify: true)
        #expect(String(decoding: plain, as: UTF8.self) == #"{"features":["a",2],"request_id":"r"}"#)
        let xml = EnvelopeEncoder.success(fields, api: APIName(rawValue: "taobao.x.get"), requestID: "r", format: .xml, simplify: false)
        #expect(
            String(decoding: xml, as: UTF8.self).hasSuffix(
                "<x_get_response><features><feature>a</feature><feature>2</feature></features><request_id>r</request_id></x_get_response>"))
    }

    /// Fields that write themselves render exactly as the tree they describe, in every format.
    struct WrittenFields: ResponseFields {
        var note: String?
        func write(to writer: inout ResponseWriter) {
            writer.object("result") { result in
                result.object("model") { model in
                    model.field("channel_name", "a\"b<c>&\u{1}")
                    model.field("result_code", note)
                    model.field("current_pay_fee", Int64(-12))
                }
                result.field("success", true)
            }
            writer.field("extra", ResponseValue.list(itemName: "item", [.string("x"), .object(["y": .bool(false)])]))
        }
    }

    @Test func writtenFieldsRenderAsTheirTree() {
        for note in [nil, "ok"] {
            let fields = WrittenFields(note: note)
            var model: ResponseObject = ["channel_name": .string("a\"b<c>&\u{1}")]
            model.append("result_code", note.map(ResponseValue.string))
            model.append("current_pay_fee", .integer(-12))
            let expected: ResponseObject = [
                "result": .object(["model": .object(model), "success": .bool(true)]),
                "extra": .list(itemName: "item", [.string("x"), .object(["y": .bool(false)])]),
            ]
            #expect(fields.tree == expected)
            for (format, simplify) in [(ResponseFormat.json, false), (.json, true), (.xml, false)] {
                let written = EnvelopeEncoder.success(fields, api: .posPayActionQuery, requestID: "r", format: format, simplify: simplify)
                let tree = EnvelopeEncoder.success(expected, api: .posPayActionQuery, requestID: "r", format: format, simplify: simplify)
                #expect(String(decoding: written, as: UTF8.self) == String(decoding: tree, as: UTF8.self), "\(format) \(simplify)")
            }
        }
        let json = EnvelopeEncoder.success(WrittenFields(note: nil), api: .posPayActionQuery, requestID: "r", format: .json, simplify: true)
        #expect(
            String(decoding: json, as: UTF8.self)
                == #"{"result":{"model":{"channel_name":"a\"b<c>&\u0001","current_pay_fee":-12},"success":true},"extra":["x",{"y":false}],"request_id":"r"}"#
        )
    }

    @Test func derivesResponseKeyFromMethodName() {
        #expect(APIName.posPayActionQuery.responseKey == "alibaba_pos_pay_action_query_response")
        #expect(APIName(rawValue: "taobao.item.seller.get").responseKey == "item_seller_get_response")
    }

    @Test func requestIDsAreTwelveOrThirteenBase36AndUnique() {
        let generator = RequestIDGenerator(seed: 42)
        var seen: Set<String> = []
        for _ in 0..<10_000 {
            let id = generator.next()
            #expect((12...13).contains(id.count))
            #expect(id.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 122) })
            seen.insert(id)
        }
        #expect(seen.count == 10_000)
    }
}
