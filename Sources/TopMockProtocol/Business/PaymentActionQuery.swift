internal import FoundationEssentials

/// The business parameters of `alibaba.pos.pay.action.query`:
/// `shop_id` (Number) and `payment_action_request` (a JSON object with `request_id` String and
/// `buyer_id` Number).
///
/// Errors, in this order: `shop_id` missing → 40, not a whole number → 41;
/// `payment_action_request` missing → 40, not a JSON object → 41; its `request_id` or `buyer_id`
/// missing (or null) → 40 naming `payment_action_request.request_id`/`.buyer_id`, of the wrong
/// type → 41 naming the field. Like the Java gateway's converters, a number is accepted for
/// `request_id` and a numeric string for `buyer_id`.
public struct PaymentActionQuery: Sendable, Equatable {
    public var shopID: Int64
    public var requestID: String
    public var buyerID: Int64

    public init(shopID: Int64, requestID: String, buyerID: Int64) {
        self.shopID = shopID
        self.requestID = requestID
        self.buyerID = buyerID
    }

    public init(parameters: TOPParameters) throws(TOPError) {
        guard let shopText = parameters["shop_id"], !shopText.isEmpty else {
            throw .missingRequiredArguments("shop_id")
        }
        guard let shopID = Self.wholeNumber(shopText) else {
            throw .invalidArguments("shop_id")
        }
        // Decoded from the parameter's bytes, copied once into the `Data` the decoder takes.
        guard let requestData = parameters.withValueBytes(of: "payment_action_request", { Data(buffer: $0) }), !requestData.isEmpty else {
            throw .missingRequiredArguments("payment_action_request")
        }
        let body: RawRequest
        do {
            body = try Self.decoder.decode(RawRequest.self, from: requestData)
        } catch {
            throw .invalidArguments("payment_action_request")
        }
        guard let requestScalar = body.requestID else {
            throw .missingRequiredArguments("payment_action_request.request_id")
        }
        guard let requestID = requestScalar.asString, !requestID.isEmpty else {
            throw .invalidArguments("payment_action_request.request_id")
        }
        guard let buyerScalar = body.buyerID else {
            throw .missingRequiredArguments("payment_action_request.buyer_id")
        }
        guard let buyerID = buyerScalar.asWholeNumber else {
            throw .invalidArguments("payment_action_request.buyer_id")
        }
        self.init(shopID: shopID, requestID: requestID, buyerID: buyerID)
    }

    /// One decoder for every call: it has no options set and keeps no state between decodes.
    private static let decoder = JSONDecoder()

    /// Decimal digits only (no sign, no fraction), fitting in 64 bits.
    static func wholeNumber(_ text: String) -> Int64? {
        guard !text.isEmpty, text.utf8.count <= 19, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        return Int64(text)
    }

    private struct RawRequest: Decodable {
        var requestID: Scalar?
        var buyerID: Scalar?

        enum CodingKeys: String, CodingKey {
            case requestID = "request_id"
            case buyerID = "buyer_id"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            requestID = Scalar(container, .requestID, stringFirst: true)
            buyerID = Scalar(container, .buyerID, stringFirst: false)
        }
    }

    /// Any JSON value, reduced to what the checks need.
    private enum Scalar {
        case integer(Int64)
        case string(String)
        case other

        /// The field's value, or nil when it is missing or null. The type a field usually has is
        /// tried first, so a usual call decodes without a thrown (and discarded) `DecodingError`;
        /// the keyed container decodes it directly, with no nested decoder per field.
        init?(_ container: KeyedDecodingContainer<RawRequest.CodingKeys>, _ key: RawRequest.CodingKeys, stringFirst: Bool) {
            do {
                let usual =
                    stringFirst
                    ? try container.decodeIfPresent(String.self, forKey: key).map(Self.string)
                    : try container.decodeIfPresent(Int64.self, forKey: key).map(Self.integer)
                guard let usual else { return nil }
                self = usual
            } catch {
                if stringFirst, let integer = try? container.decode(Int64.self, forKey: key) {
                    self = .integer(integer)
                } else if !stringFirst, let string = try? container.decode(String.self, forKey: key) {
                    self = .string(string)
                } else {
                    self = .other
                }
            }
        }

        var asString: String? {
            switch self {
            case .integer(let value): return String(value)
            case .string(let value): return value
            case .other: return nil
            }
        }

        var asWholeNumber: Int64? {
            switch self {
            case .integer(let value): return value >= 0 ? value : nil
            case .string(let value): return PaymentActionQuery.wholeNumber(value)
            case .other: return nil
            }
        }
    }
}
