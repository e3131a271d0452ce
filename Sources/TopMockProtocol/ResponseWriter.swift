/// An answer's fields that write themselves: into the envelope's JSON or XML bytes directly, or
/// into a ``ResponseObject`` where something reads them by name (``tree``: tests, mostly). A
/// served method's answer writes its fields from what it holds, so a call builds no tree;
/// ``ResponseObject`` (stubs, rules, errors, upstream answers) writes its tree.
public protocol ResponseFields: Sendable {
    /// Writes the fields in order; ``ResponseWriter/object(_:_:)`` nests an object.
    func write(to writer: inout ResponseWriter)
}

extension ResponseFields {
    /// The fields as a tree.
    public var tree: ResponseObject {
        var writer = ResponseWriter(target: .tree)
        write(to: &writer)
        return writer.finishedTree
    }
}

extension ResponseObject: ResponseFields {
    public func write(to writer: inout ResponseWriter) {
        for field in fields { writer.field(field.name, field.value) }
    }
}

/// Where ``ResponseFields`` go: JSON or XML text (TOP's rendering of a tree, docs/protocol.md,
/// "Answers"), or a ``ResponseObject``. The same calls write every target, so an answer is
/// described once.
///
/// Field names given as `StaticString` are written as they are: they are identifiers in the
/// source, with nothing to escape in either format. Values are always escaped.
public struct ResponseWriter: ~Copyable {
    enum Target: Equatable {
        case json(simplify: Bool)
        case xml
        case tree
    }

    let target: Target
    /// JSON and XML: the text written so far.
    var bytes: GrowingBytes
    /// JSON: whether the object being written has a field already (the next one needs a comma).
    private var objectHasField = false
    /// Tree: the objects being written, the innermost last; the first is the result.
    private var objects: [ResponseObject] = []

    init(target: Target) {
        self.target = target
        if target == .tree {
            objects = [ResponseObject()]
            bytes = GrowingBytes(capacity: 0)
        } else {
            bytes = GrowingBytes(capacity: 512)
        }
    }

    var finishedTree: ResponseObject { objects.first ?? ResponseObject() }

    // MARK: Fields named in the source

    public mutating func field(_ name: StaticString, _ value: String) {
        switch target {
        case .json:
            beginJSONField(name)
            writeJSONString(value)
        case .xml:
            beginXMLElement(name)
            writeEscaped(value, .xml)
            endXMLElement(name)
        case .tree: objects[objects.count - 1].append(name.description, .string(value))
        }
    }

    /// Writes nothing when `value` is nil: TOP leaves absent fields out.
    public mutating func field(_ name: StaticString, _ value: String?) {
        if let value { field(name, value) }
    }

    public mutating func field(_ name: StaticString, _ value: Bool) {
        switch target {
        case .json:
            beginJSONField(name)
            write(value ? "true" : "false")
        case .xml:
            beginXMLElement(name)
            write(value ? "true" : "false")
            endXMLElement(name)
        case .tree: objects[objects.count - 1].append(name.description, .bool(value))
        }
    }

    public mutating func field(_ name: StaticString, _ value: Int64) {
        switch target {
        case .json:
            beginJSONField(name)
            write(String(value))
        case .xml:
            beginXMLElement(name)
            write(String(value))
            endXMLElement(name)
        case .tree: objects[objects.count - 1].append(name.description, .integer(value))
        }
    }

    /// An object field whose fields `body` writes.
    public mutating func object(_ name: StaticString, _ body: (inout ResponseWriter) -> Void) {
        switch target {
        case .json:
            beginJSONField(name)
            bytes.append(UInt8(ascii: "{"))
            objectHasField = false
            body(&self)
            bytes.append(UInt8(ascii: "}"))
            objectHasField = true
        case .xml:
            beginXMLElement(name)
            body(&self)
            endXMLElement(name)
        case .tree:
            objects.append(ResponseObject())
            body(&self)
            let object = objects.removeLast()
            objects[objects.count - 1].append(name.description, .object(object))
        }
    }

    /// A list of objects, each written by `body` from one of `items`: TOP's list — wrapped twice
    /// in JSON (`"name":{"itemName":[{…}]}`, a plain array with `simplify`), one `itemName`
    /// element per item in XML — with no tree built.
    public mutating func objects<Items: Sequence>(
        _ name: StaticString, itemName: StaticString, _ items: Items, _ body: (inout ResponseWriter, Items.Element) -> Void
    ) {
        switch target {
        case .json(let simplify):
            beginJSONField(name)
            if !simplify {
                bytes.append(UInt8(ascii: "{"))
                bytes.append(UInt8(ascii: "\""))
                write(itemName)
                write("\":")
            }
            bytes.append(UInt8(ascii: "["))
            var first = true
            for item in items {
                if !first { bytes.append(UInt8(ascii: ",")) }
                first = false
                bytes.append(UInt8(ascii: "{"))
                objectHasField = false
                body(&self, item)
                bytes.append(UInt8(ascii: "}"))
            }
            bytes.append(UInt8(ascii: "]"))
            if !simplify { bytes.append(UInt8(ascii: "}")) }
            objectHasField = true
        case .xml:
            beginXMLElement(name)
            for item in items {
                beginXMLElement(itemName)
                body(&self, item)
                endXMLElement(itemName)
            }
            endXMLElement(name)
        case .tree:
            var list: [ResponseValue] = []
            for item in items {
                objects.append(ResponseObject())
                body(&self, item)
                list.append(.object(objects.removeLast()))
            }
            objects[objects.count - 1].append(name.description, .list(itemName: itemName.description, list))
        }
    }

    // MARK: Any field

    /// A field of a tree (stubs, rules, errors, upstream answers): names and values escaped.
    public mutating func field(_ name: String, _ value: ResponseValue) {
        switch target {
        case .json(let simplify):
            if objectHasField { bytes.append(UInt8(ascii: ",")) }
            objectHasField = true
            writeJSONString(name)
            bytes.append(UInt8(ascii: ":"))
            writeJSONValue(value, simplify: simplify)
        case .xml: writeXMLElement(name, value)
        case .tree: objects[objects.count - 1].append(name, value)
        }
    }

    // MARK: JSON

    private mutating func beginJSONField(_ name: StaticString) {
        if objectHasField { bytes.append(UInt8(ascii: ",")) }
        objectHasField = true
        bytes.append(UInt8(ascii: "\""))
        write(name)
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    /// An object: `fields`, then `request_id` when one is given.
    mutating func writeJSONObject(_ fields: some ResponseFields, requestID: String? = nil) {
        bytes.append(UInt8(ascii: "{"))
        objectHasField = false
        fields.write(to: &self)
        if let requestID { field("request_id", requestID) }
        bytes.append(UInt8(ascii: "}"))
        objectHasField = true
    }

    private mutating func writeJSONValue(_ value: ResponseValue, simplify: Bool) {
        switch value {
        case .string(let text): writeJSONString(text)
        case .integer(let number): write(String(number))
        case .bool(let flag): write(flag ? "true" : "false")
        case .object(let object): writeJSONObject(object)
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
    private mutating func writeJSONString(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        writeEscaped(text, .json)
        bytes.append(UInt8(ascii: "\""))
    }

    // MARK: XML

    private mutating func beginXMLElement(_ name: StaticString) {
        bytes.append(UInt8(ascii: "<"))
        write(name)
        bytes.append(UInt8(ascii: ">"))
    }

    private mutating func endXMLElement(_ name: StaticString) {
        write("</")
        write(name)
        bytes.append(UInt8(ascii: ">"))
    }

    /// An element from a tree, whose names come from outside (a stub's keys, an upstream's
    /// answer): each written as an XML name (``writeXMLName(_:)``), so the XML stays well formed.
    mutating func writeXMLElement(_ name: String, _ value: ResponseValue) {
        bytes.append(UInt8(ascii: "<"))
        writeXMLName(name)
        bytes.append(UInt8(ascii: ">"))
        switch value {
        case .string(let text): writeEscaped(text, .xml)
        case .integer(let number): write(String(number))
        case .bool(let flag): write(flag ? "true" : "false")
        case .object(let object):
            for field in object.fields { writeXMLElement(field.name, field.value) }
        case .list(let itemName, let items):
            for item in items { writeXMLElement(itemName, item) }
        }
        write("</")
        writeXMLName(name)
        bytes.append(UInt8(ascii: ">"))
    }

    /// `name` as an XML element name: ASCII letters, digits, `_`, `-`, `.` and any non-ASCII
    /// byte (UTF-8 of a letter, usually) go out as they are; every other byte (`<`, `&`, a space,
    /// a quote) as `_`, as does a first byte that may not start a name (a digit, `-`, `.`); an
    /// empty name is `_`. A plain name, which every TOP field is, is copied whole.
    private mutating func writeXMLName(_ name: String) {
        name.withUTF8Buffer { utf8 in
            guard let first = utf8.first else { return bytes.append(UInt8(ascii: "_")) }
            if Self.mayStartXMLName(first) && utf8.allSatisfy(Self.mayContinueXMLName) { return bytes.append(utf8) }
            for (offset, byte) in utf8.enumerated() {
                let kept = offset == 0 ? Self.mayStartXMLName(byte) : Self.mayContinueXMLName(byte)
                bytes.append(kept ? byte : UInt8(ascii: "_"))
            }
        }
    }

    private static func mayStartXMLName(_ byte: UInt8) -> Bool {
        byte >= 0x80 || byte == UInt8(ascii: "_") || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z"))
    }

    private static func mayContinueXMLName(_ byte: UInt8) -> Bool {
        mayStartXMLName(byte) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-")
            || byte == UInt8(ascii: ".")
    }

    // MARK: Bytes

    mutating func write(_ text: String) { text.withUTF8Buffer { bytes.append($0) } }

    mutating func write(_ text: StaticString) { bytes.append(text) }

    /// The JSON/XML root key of `api`'s answer (``APIName/responseKey``), written in place.
    mutating func writeResponseKey(of api: APIName) {
        let start = bytes.count
        api.rawValue.withUTF8Buffer { name in
            let prefix = "taobao.".utf8
            bytes.append(UnsafeBufferPointer(rebasing: name[(name.starts(with: prefix) ? prefix.count : 0)...]))
        }
        // The name's dots, now in the answer, become underscores there.
        bytes.replace(since: start, UInt8(ascii: "."), with: UInt8(ascii: "_"))
        write("_response")
    }

    /// Copies `text`, replacing each byte `escapes` has a replacement for. Runs between
    /// escapes are copied whole, since values rarely need escaping.
    private mutating func writeEscaped(_ text: String, _ escapes: Escapes) {
        text.withUTF8Buffer { utf8 in
            var runStart = 0
            for offset in 0..<utf8.count where !escapes.isPlain(utf8[offset]) {
                bytes.append(UnsafeBufferPointer(rebasing: utf8[runStart..<offset]))
                write(escapes.replacement(utf8[offset]))
                runStart = offset + 1
            }
            bytes.append(UnsafeBufferPointer(rebasing: utf8[runStart...]))
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
