/// A position in a YAML source, 1-based like a compiler's `file:line:col`.
public struct YAMLMark: Sendable, Equatable, Hashable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public var description: String { "\(line):\(column)" }
}

/// One node of a YAML document, with the mark of where it starts.
public struct YAMLNode: Sendable {
    public enum Content: Sendable {
        /// `isPlain` is false for quoted and block scalars: `"123"` is a string, `123` a number.
        case scalar(String, isPlain: Bool)
        case sequence([YAMLNode])
        case mapping([(key: YAMLNode, value: YAMLNode)])
    }

    public var content: Content
    public var mark: YAMLMark
    /// An explicit tag (`!!str`), if any.
    public var tag: String?

    public init(_ content: Content, mark: YAMLMark, tag: String? = nil) {
        self.content = content
        self.mark = mark
        self.tag = tag
    }

    /// The text of a scalar node.
    public var scalar: String? {
        if case .scalar(let text, _) = content { return text }
        return nil
    }

    public var sequence: [YAMLNode]? {
        if case .sequence(let items) = content { return items }
        return nil
    }

    public var mapping: [(key: YAMLNode, value: YAMLNode)]? {
        if case .mapping(let pairs) = content { return pairs }
        return nil
    }

    /// A plain scalar that YAML 1.2's core schema reads as null (`~`, `null`, or nothing).
    public var isNull: Bool {
        if case .scalar(let text, true) = content, tag == nil {
            return text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL"
        }
        return false
    }

    /// A plain scalar read as an integer (decimal, optional sign), per YAML 1.2's core schema.
    public var integer: Int64? {
        guard case .scalar(let text, true) = content, tag == nil || tag == "tag:yaml.org,2002:int" else { return nil }
        return Int64(text)
    }

    /// A plain scalar read as a boolean (`true`/`false` in any of YAML 1.2's spellings).
    public var bool: Bool? {
        guard case .scalar(let text, true) = content else { return nil }
        switch text {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default: return nil
        }
    }

    /// What kind of node this is, in words, for diagnostics ("a mapping", "a string" …).
    public var kindDescription: String {
        switch content {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .scalar:
            if isNull { return "null" }
            if integer != nil { return "a number" }
            if bool != nil { return "a boolean" }
            return "a string"
        }
    }
}

extension YAMLNode {
    /// The node as one line of flow YAML, without marks: equal for equal content wherever it was
    /// written (used to recognise unchanged definitions across reloads).
    public var canonicalText: String {
        switch content {
        case .scalar(let text, let isPlain):
            if isPlain && tag == nil { return text }
            var quoted = "\""
            for character in text.unicodeScalars {
                switch character {
                case "\"": quoted += "\\\""
                case "\\": quoted += "\\\\"
                case "\n": quoted += "\\n"
                default: quoted.unicodeScalars.append(character)
                }
            }
            return quoted + "\""
        case .sequence(let items):
            return "[" + items.map(\.canonicalText).joined(separator: ", ") + "]"
        case .mapping(let pairs):
            return "{" + pairs.map { "\($0.key.canonicalText): \($0.value.canonicalText)" }.joined(separator: ", ") + "}"
        }
    }
}
