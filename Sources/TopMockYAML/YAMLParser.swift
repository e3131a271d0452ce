internal import CYAML

/// A YAML syntax error, with the mark libyaml reports.
public struct YAMLError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var mark: YAMLMark

    public init(message: String, mark: YAMLMark) {
        self.message = message
        self.mark = mark
    }

    public var description: String { "\(mark): \(message)" }
}

/// Parses YAML text into ``YAMLNode`` trees with libyaml (the library Yams wraps).
///
/// ```swift
/// let documents = try YAMLParser.parse("shops: []")
/// ```
public enum YAMLParser {
    /// Most nodes the aliases of one text may expand to: a guard against alias bombs ("billion
    /// laughs"). Nodes written out in the text are not limited: the text's size bounds them.
    public static let aliasExpansionLimit = 1_000_000

    /// The deepest nesting of sequences and mappings a text may have. The reader recurses once per
    /// level, so a text of nothing but `[` would otherwise exhaust the thread's stack; a scenario
    /// file needs about ten levels.
    public static let nestingLimit = 256

    /// Every document in `text`, in order. An empty text gives no documents.
    public static func parse(_ text: String) throws(YAMLError) -> [YAMLNode] {
        let parser = EventParser(bytes: Array(text.utf8))
        return try parser.documents()
    }
}

/// Owns one `yaml_parser_t` (created in init, deleted in deinit) and the bytes it reads.
private final class EventParser {
    private let parser: UnsafeMutablePointer<yaml_parser_t>
    private let input: UnsafeMutableBufferPointer<UInt8>
    /// Anchored nodes, with the number of nodes each one stands for (so an alias costs its size).
    private var anchors: [String: (node: YAMLNode, size: Int)] = [:]
    /// Nodes built so far, written and expanded (sizes anchors).
    private var nodeCount = 0
    /// Nodes that aliases stood for so far.
    private var aliasExpansion = 0
    /// Sequences and mappings open around the node being read.
    private var depth = 0

    init(bytes: [UInt8]) {
        parser = .allocate(capacity: 1)
        input = .allocate(capacity: max(bytes.count, 1))
        _ = input.initialize(from: bytes)
        yaml_parser_initialize(parser)
        yaml_parser_set_input_string(parser, input.baseAddress, bytes.count)
        yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)
    }

    deinit {
        yaml_parser_delete(parser)
        parser.deallocate()
        input.deallocate()
    }

    /// One event; the caller owns nothing (the event is copied into `Event`).
    private struct Event {
        var type: yaml_event_type_t
        var mark: YAMLMark
        var scalar: String = ""
        var isPlain = false
        var anchor: String?
        var tag: String?
    }

    private func nextEvent() throws(YAMLError) -> Event {
        var raw = yaml_event_t()
        guard yaml_parser_parse(parser, &raw) == 1 else { throw parserError() }
        defer { yaml_event_delete(&raw) }
        var event = Event(
            type: raw.type,
            mark: YAMLMark(line: Int(raw.start_mark.line) + 1, column: Int(raw.start_mark.column) + 1))
        switch raw.type {
        case YAML_SCALAR_EVENT:
            let scalar = raw.data.scalar
            event.scalar = String(decoding: UnsafeBufferPointer(start: scalar.value, count: Int(scalar.length)), as: UTF8.self)
            event.isPlain = scalar.style == YAML_PLAIN_SCALAR_STYLE
            event.anchor = string(scalar.anchor)
            event.tag = string(scalar.tag)
        case YAML_ALIAS_EVENT:
            event.anchor = string(raw.data.alias.anchor)
        case YAML_SEQUENCE_START_EVENT:
            event.anchor = string(raw.data.sequence_start.anchor)
            event.tag = string(raw.data.sequence_start.tag)
        case YAML_MAPPING_START_EVENT:
            event.anchor = string(raw.data.mapping_start.anchor)
            event.tag = string(raw.data.mapping_start.tag)
        default:
            break
        }
        return event
    }

    private func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: UnsafePointer($0)) }
    }

    private func parserError() -> YAMLError {
        let problem = parser.pointee.problem.map { String(cString: $0) } ?? "invalid YAML"
        let context = parser.pointee.context.map { String(cString: $0) }
        let mark = parser.pointee.problem_mark
        let message = context.map { "\(problem) \($0)" } ?? problem
        return YAMLError(message: message, mark: YAMLMark(line: Int(mark.line) + 1, column: Int(mark.column) + 1))
    }

    func documents() throws(YAMLError) -> [YAMLNode] {
        var documents: [YAMLNode] = []
        while true {
            let event = try nextEvent()
            switch event.type {
            case YAML_STREAM_START_EVENT, YAML_DOCUMENT_END_EVENT:
                continue
            case YAML_DOCUMENT_START_EVENT:
                anchors = [:]
                let start = try nextEvent()
                documents.append(try node(startingWith: start))
            case YAML_STREAM_END_EVENT, YAML_NO_EVENT:
                return documents
            default:
                throw YAMLError(message: "unexpected YAML event", mark: event.mark)
            }
        }
    }

    private func count(_ nodes: Int, at mark: YAMLMark) {
        nodeCount += nodes
    }

    private func countAlias(_ nodes: Int, at mark: YAMLMark) throws(YAMLError) {
        nodeCount += nodes
        aliasExpansion += nodes
        guard aliasExpansion <= YAMLParser.aliasExpansionLimit else {
            throw YAMLError(message: "aliases expand to more than \(YAMLParser.aliasExpansionLimit) nodes", mark: mark)
        }
    }

    private func node(startingWith event: Event) throws(YAMLError) -> YAMLNode {
        let countBefore = nodeCount
        if event.type == YAML_SEQUENCE_START_EVENT || event.type == YAML_MAPPING_START_EVENT {
            guard depth < YAMLParser.nestingLimit else {
                throw YAMLError(message: "sequences and mappings nested deeper than \(YAMLParser.nestingLimit) levels", mark: event.mark)
            }
            depth += 1
        }
        defer { if event.type == YAML_SEQUENCE_START_EVENT || event.type == YAML_MAPPING_START_EVENT { depth -= 1 } }
        let result: YAMLNode
        switch event.type {
        case YAML_SCALAR_EVENT:
            count(1, at: event.mark)
            result = YAMLNode(.scalar(event.scalar, isPlain: event.isPlain), mark: event.mark, tag: event.tag)
        case YAML_ALIAS_EVENT:
            guard let anchor = event.anchor, let target = anchors[anchor] else {
                throw YAMLError(message: "unknown alias '*\(event.anchor ?? "")'", mark: event.mark)
            }
            try countAlias(target.size, at: event.mark)
            var copy = target.node
            copy.mark = event.mark
            return copy
        case YAML_SEQUENCE_START_EVENT:
            count(1, at: event.mark)
            var items: [YAMLNode] = []
            while true {
                let next = try nextEvent()
                if next.type == YAML_SEQUENCE_END_EVENT { break }
                items.append(try node(startingWith: next))
            }
            result = YAMLNode(.sequence(items), mark: event.mark, tag: event.tag)
        case YAML_MAPPING_START_EVENT:
            count(1, at: event.mark)
            var pairs: [(key: YAMLNode, value: YAMLNode)] = []
            while true {
                let next = try nextEvent()
                if next.type == YAML_MAPPING_END_EVENT { break }
                let key = try node(startingWith: next)
                let value = try node(startingWith: try nextEvent())
                pairs.append((key: key, value: value))
            }
            result = YAMLNode(.mapping(pairs), mark: event.mark, tag: event.tag)
        default:
            throw YAMLError(message: "unexpected YAML event", mark: event.mark)
        }
        if let anchor = event.anchor { anchors[anchor] = (node: result, size: nodeCount - countBefore) }
        return result
    }
}
