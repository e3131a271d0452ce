import Testing

@testable import TopMockProtocol

/// Masking a JSON parameter's secret fields: in place where that provably hides exactly what the
/// decoded object holds, written anew otherwise; never a secret left.
@Suite struct RedactionTests {
    static let redaction = Redaction(fields: ["channel_account", "alipay_account"])

    @Test func aFieldIsMaskedInPlaceAndTheRestStaysAsSent() {
        #expect(
            Self.redaction.maskedFields(#"{"pay_fee": 1500, "channel_account" : "2811000011112222", "x":{"alipay_account":7}}"#)
                == #"{"pay_fee": 1500, "channel_account" : "***", "x":{"alipay_account":"***"}}"#)
        // A value that is an object or a list is masked whole; a field's name as a value is not a key.
        #expect(
            Self.redaction.maskedFields(#"{"channel_account":{"a":["}",{"b":"\"]"}]},"note":"channel_account","l":[{"channel_account":null}]}"#)
                == #"{"channel_account":"***","note":"channel_account","l":[{"channel_account":"***"}]}"#)
    }

    @Test func whatCannotBeMaskedInPlaceIsWrittenAnew() {
        // A key spelled with an escape, and a key given twice: the decoded object decides.
        #expect(Self.redaction.maskedFields(#"{"channel\u005faccount":"2811","b":1}"#) == #"{"b":1,"channel_account":"***"}"#)
        let twice = Self.redaction.maskedFields(#"{"channel_account":"1111","channel_account":"2222"}"#)
        #expect(!twice.contains("1111") && !twice.contains("2222"), "\(twice)")
        // Not a JSON object: masked whole.
        #expect(Self.redaction.maskedFields(#"{"channel_account":"1111""#) == "***")
    }
}
