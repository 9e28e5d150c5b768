import TradsecCore

/// Indented JSON for the alert detail. Strings go through the JSON writer, so control
/// characters come out as `\u001b` escapes, never raw.
public enum PrettyJSON {
    public static func lines(_ raw: String) -> [String] {
        guard let value = try? JSONParser.parse(raw) else { return [raw] }
        var out: [String] = []
        write(value, indent: "", prefix: "", suffix: "", into: &out)
        return out
    }

    static func write(_ value: JSONValue, indent: String, prefix: String, suffix: String, into out: inout [String]) {
        switch value {
        case .object(let object) where !object.isEmpty:
            out.append(indent + prefix + "{")
            for (i, (k, v)) in object.pairs.enumerated() {
                write(v, indent: indent + "  ", prefix: JSONWriter.string(.string(k)) + ": ",
                      suffix: i == object.count - 1 ? "" : ",", into: &out)
            }
            out.append(indent + "}" + suffix)
        case .array(let items) where !items.isEmpty && items.contains(where: { $0.objectValue != nil || $0.arrayValue != nil }):
            out.append(indent + prefix + "[")
            for (i, v) in items.enumerated() {
                write(v, indent: indent + "  ", prefix: "", suffix: i == items.count - 1 ? "" : ",", into: &out)
            }
            out.append(indent + "]" + suffix)
        default:
            out.append(indent + prefix + JSONWriter.string(value) + suffix)
        }
    }
}
