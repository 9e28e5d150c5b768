// CYaml is the libyaml that Yams builds and links; Yams has no event-level API of its own.
import CYaml

/// Measures what a file's YAML aliases stand for, from libyaml's events, before Yams composes
/// the documents.
///
/// Yams keeps an alias as a reference to the node it names, so 40 anchors each naming the
/// previous one twice ("billion laughs") cost nothing to compose, but 2^40 nodes to walk:
/// Yams itself hashes a complex mapping key in full to find duplicate keys, and the rules loader
/// reads every item a list or an exception names. A file whose aliases stand for more nodes
/// than `maxAliasedNodes` is refused, at the alias that crossed the limit. Rules files and
/// config files are both checked with it.
public enum YAMLAliasBudget {
    /// Nodes all aliases of a file may stand for (each alias counts the nodes it names).
    public static let maxAliasedNodes = 1_000_000

    public struct Exceeded: Error, Equatable, Sendable {
        /// 1-based, as the loader reports positions.
        public var line: Int
        public var column: Int
    }

    /// nil when the aliases stay within the limit, or when libyaml cannot parse the text
    /// (Yams then reports the error with its own message).
    public static func check(_ text: String) -> Exceeded? {
        // No anchor, no alias: the common case costs one scan for '&'.
        guard text.utf8.contains(UInt8(ascii: "&")), text.utf8.contains(UInt8(ascii: "*")) else { return nil }
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { measure($0) }
    }

    private static func measure(_ input: UnsafeMutableBufferPointer<UInt8>) -> Exceeded? {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return nil }
        defer { yaml_parser_delete(&parser) }
        yaml_parser_set_input_string(&parser, input.baseAddress, input.count)

        /// Nodes each anchor stands for (its node and everything under it, aliases expanded).
        var sizes: [String: Int] = [:]
        /// Open sequences and mappings: their anchor and the nodes counted so far.
        var open: [(anchor: String?, size: Int)] = []
        var aliased = 0
        func add(_ n: Int) {
            guard !open.isEmpty else { return }
            open[open.count - 1].size = saturatingAdd(open[open.count - 1].size, n)
        }
        func name(_ anchor: UnsafeMutablePointer<yaml_char_t>?) -> String? {
            anchor.map { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
        }
        while true {
            var event = yaml_event_t()
            guard yaml_parser_parse(&parser, &event) == 1 else { return nil }
            defer { yaml_event_delete(&event) }
            switch event.type {
            case YAML_STREAM_END_EVENT:
                return nil
            case YAML_SCALAR_EVENT:
                if let anchor = name(event.data.scalar.anchor) { sizes[anchor] = 1 }
                add(1)
            case YAML_SEQUENCE_START_EVENT:
                open.append((name(event.data.sequence_start.anchor), 1))
            case YAML_MAPPING_START_EVENT:
                open.append((name(event.data.mapping_start.anchor), 1))
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                guard let closed = open.popLast() else { break }
                if let anchor = closed.anchor { sizes[anchor] = closed.size }
                add(closed.size)
            case YAML_ALIAS_EVENT:
                let n = name(event.data.alias.anchor).flatMap { sizes[$0] } ?? 0
                aliased = saturatingAdd(aliased, n)
                if aliased > maxAliasedNodes {
                    return Exceeded(line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1)
                }
                add(n)
            default:
                break
            }
        }
    }

    private static func saturatingAdd(_ a: Int, _ b: Int) -> Int {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? .max : sum
    }
}
