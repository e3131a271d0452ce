internal import FoundationEssentials

/// The fields a method reads from one of its JSON business parameters: an enum whose raw values
/// are the JSON names, listing each field with the JSON type it usually has (tried first when
/// decoding: a value of the other type costs a thrown error). Fields not listed are not read;
/// `order.pay` keeps them in its payload text.
public protocol BusinessKey: RawRepresentable<String>, CaseIterable, Equatable, Sendable where AllCases == [Self] {
    var kind: BusinessFieldKind { get }
    /// Every case's name and kind, made once: `static let fields = BusinessFields(Self.self)`.
    static var fields: BusinessFields { get }
}

public enum BusinessFieldKind: Sendable {
    case string
    case wholeNumber
    /// A list of JSON objects, each read for the fields given (`subtotal_request.item_list`).
    case objectList(BusinessFields)
}

/// The names and kinds of a ``BusinessKey``'s cases, in `allCases` order: what the decoder reads.
public struct BusinessFields: Sendable {
    let names: [String]
    let kinds: [BusinessFieldKind]

    public init<Key: BusinessKey>(_ key: Key.Type) {
        names = Key.allCases.map(\.rawValue)
        kinds = Key.allCases.map(\.kind)
    }
}

/// Reading a method's business parameters with TOP's codes: a missing required one is 40
/// (`Missing required arguments:<path>`), a malformed one 41 (`Invalid arguments:<path>`), both
/// naming the field by its dotted path (`pay_request.request_id`).
///
/// Like the Java gateway's converters, a string field takes a number and a numeric field takes a
/// numeric string. The parameter is decoded once by `JSONDecoder`'s keyed container, reading only
/// the fields `Key` lists.
public struct BusinessObject<Key: BusinessKey>: Sendable {
    /// The parameter's name, or the path of the list holding this object.
    private let path: String
    /// The object's position in that list; nil for a parameter.
    private let position: Int?
    /// Each listed field's value, in ``BusinessFields`` order; nil when missing or null.
    private let values: [BusinessScalar?]

    /// The path prefix of every field (`pay_request`, `subtotal_request.item_list[1]`). Made when
    /// asked, which is for an error: reading a list's objects builds no names.
    public var name: String { position.map { "\(path)[\($0)]" } ?? path }

    /// One object of the list field at `path`, at `position`.
    init(path: String, position: Int, values: [BusinessScalar?]) {
        self.path = path
        self.position = position
        self.values = values
    }

    /// The parameter `name` as a JSON object: 40 when it is missing or empty, 41 when it is not
    /// an object.
    public init(_ parameters: TOPParameters, _ name: String) throws(TOPError) {
        let reading =
            parameters.withValueBytes(of: name) { bytes -> Result<[BusinessScalar?], TOPError> in
                guard !bytes.isEmpty else { return .failure(.missingRequiredArguments(name)) }
                guard let fields = BusinessScalar.decodeObject(bytes, Key.fields) else { return .failure(.invalidArguments(name)) }
                return .success(fields)
            } ?? .failure(.missingRequiredArguments(name))
        self.path = name
        self.position = nil
        self.values = try reading.get()
    }

    private func path(_ key: Key) -> String { name + "." + key.rawValue }

    /// `key`'s value: ``values`` are in `Key.allCases` order (``BusinessFields`` lists them so),
    /// found by comparing cases, not their names.
    private func value(_ key: Key) -> BusinessScalar? { values[Key.allCases.firstIndex(of: key)!] }

    /// A string field; nil when absent or null (40 when `required`), 41 for an object, a list, a
    /// boolean, a fraction or an empty string.
    public func string(_ key: Key, required: Bool = false) throws(TOPError) -> String? {
        switch value(key) {
        case nil:
            if required { throw .missingRequiredArguments(path(key)) }
            return nil
        case .string(let value)?:
            guard !value.isEmpty else { throw .invalidArguments(path(key)) }
            return value
        case .integer(let value)?: return String(value)
        case .other?, .objects?: throw .invalidArguments(path(key))
        }
    }

    /// A whole, non-negative number (an amount in fen, an id); nil when absent or null (40 when
    /// `required`), 41 for anything else.
    public func wholeNumber(_ key: Key, required: Bool = false) throws(TOPError) -> Int64? {
        switch value(key) {
        case nil:
            if required { throw .missingRequiredArguments(path(key)) }
            return nil
        case .integer(let value)? where value >= 0: return value
        case .string(let text)?:
            guard let value = TOPParameters.wholeNumber(text) else { throw .invalidArguments(path(key)) }
            return value
        default: throw .invalidArguments(path(key))
        }
    }

    /// A list field of objects, each read as `Item`'s fields and named by its index
    /// (`subtotal_request.item_list[1].sku_id`); nil when absent or null (40 when `required`,
    /// and for an empty list), 41 for anything but a list of objects and for more than
    /// `maximumCount` objects (`isv.invalid-parameter` stating the bound).
    public func objects<Item: BusinessKey>(
        _ key: Key, of item: Item.Type, required: Bool = false, maximumCount: Int
    ) throws(TOPError) -> [BusinessObject<Item>]? {
        switch value(key) {
        case nil:
            if required { throw .missingRequiredArguments(path(key)) }
            return nil
        case .objects(let rows)?:
            if rows.isEmpty, required { throw .missingRequiredArguments(path(key)) }
            guard rows.count <= maximumCount else {
                throw .outOfRange(path(key), must: "at most \(maximumCount) entries, not \(rows.count)")
            }
            let listPath = path(key)
            return rows.enumerated().map { BusinessObject<Item>(path: listPath, position: $0.offset, values: $0.element) }
        default: throw .invalidArguments(path(key))
        }
    }
}

extension BusinessObject {
    /// An amount field (``wholeNumber(_:required:)``), inside ``Fen``'s bound and at least
    /// `minimum`: 41 with `isv.invalid-parameter` stating the bound otherwise.
    public func amount(_ key: Key, minimum: Int64 = 0, required: Bool = false) throws(TOPError) -> Fen? {
        guard let value = try wholeNumber(key, required: required) else { return nil }
        guard value >= minimum, let amount = Fen(value) else {
            throw .outOfRange(name + "." + key.rawValue, must: "\(Fen.boundText(from: minimum)), not \(value)")
        }
        return amount
    }
}

/// A JSON value, reduced to what the checks need.
enum BusinessScalar: Sendable {
    case integer(Int64)
    case string(String)
    /// A list of objects, each read for the fields its ``BusinessFieldKind/objectList(_:)`` gave.
    case objects([[BusinessScalar?]])
    /// A boolean, a fraction, a list or an object where the field is not a list of objects.
    case other

    /// The `fields` of a JSON object's text; nil when it is not one. Only an object's text starts
    /// with `{` (after blanks): anything else is refused unread.
    static func decodeObject(_ bytes: UnsafeBufferPointer<UInt8>, _ fields: BusinessFields) -> [BusinessScalar?]? {
        guard JSONText.objectStart(bytes) != nil else { return nil }
        return (try? businessDecoder.decode(Fields.self, from: Data(buffer: bytes), configuration: fields))?.values
    }

    /// The listed fields of a JSON object, decoded from a keyed container: each field directly,
    /// with no nested decoder per field and no dictionary of every field. Not generic, so the
    /// decoding is compiled for these types (a generic one ran unspecialised through the decoder).
    private struct Fields: DecodableWithConfiguration {
        var values: [BusinessScalar?]

        init(from decoder: any Decoder, configuration fields: BusinessFields) throws {
            values = BusinessScalar.values(of: try decoder.container(keyedBy: Name.self), fields)
        }
    }

    /// The `fields` of one object's keyed container, in ``BusinessFields`` order.
    private static func values(of container: KeyedDecodingContainer<Name>, _ fields: BusinessFields) -> [BusinessScalar?] {
        var values: [BusinessScalar?] = []
        values.reserveCapacity(fields.names.count)
        for (name, kind) in zip(fields.names, fields.kinds) {
            values.append(BusinessScalar(container, Name(name), kind))
        }
        return values
    }

    /// The field's value, or nil when it is missing or null. The type the field usually has is
    /// tried first, so a usual call decodes without a thrown (and discarded) `DecodingError`.
    private init?(_ container: KeyedDecodingContainer<Name>, _ key: Name, _ kind: BusinessFieldKind) {
        do {
            switch kind {
            case .string:
                guard let value = try container.decodeIfPresent(String.self, forKey: key) else { return nil }
                self = .string(value)
            case .wholeNumber:
                guard let value = try container.decodeIfPresent(Int64.self, forKey: key) else { return nil }
                self = .integer(value)
            case .objectList(let fields):
                guard container.contains(key), try !container.decodeNil(forKey: key) else { return nil }
                var list = try container.nestedUnkeyedContainer(forKey: key)
                var rows: [[BusinessScalar?]] = []
                // Read one past the bound at most: the caller refuses a longer list by its count.
                // Each row is the list's nested container, not a decoder of its own.
                while !list.isAtEnd, rows.count <= BusinessScalar.maximumListCount {
                    rows.append(BusinessScalar.values(of: try list.nestedContainer(keyedBy: Name.self), fields))
                }
                self = .objects(rows)
            }
        } catch {
            switch kind {
            case .string: self = (try? container.decode(Int64.self, forKey: key)).map(Self.integer) ?? .other
            case .wholeNumber: self = (try? container.decode(String.self, forKey: key)).map(Self.string) ?? .other
            case .objectList: self = .other
            }
        }
    }

    /// The most objects a list field is read for; a method bounds its own lists lower.
    static let maximumListCount = 1000

    /// A field's name as a coding key.
    private struct Name: CodingKey {
        let stringValue: String
        init(_ name: String) { stringValue = name }
        init?(stringValue: String) { self.stringValue = stringValue }
        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }
}

/// The one `JSONDecoder` business parameters are read with: it has no options set and keeps no
/// state between decodes. (A generic type cannot have a stored static property.)
private let businessDecoder = JSONDecoder()

extension TOPParameters {
    /// The whole-number parameter `name` (`shop_id`): 40 when missing, 41 when not digits.
    public func wholeNumber(_ name: String) throws(TOPError) -> Int64 {
        guard let text = self[name], !text.isEmpty else { throw .missingRequiredArguments(name) }
        guard let value = Self.wholeNumber(text) else { throw .invalidArguments(name) }
        return value
    }

    /// Decimal digits only (no sign, no fraction), fitting in 64 bits.
    static func wholeNumber(_ text: String) -> Int64? {
        guard !text.isEmpty, text.utf8.count <= 19, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        return Int64(text)
    }
}
