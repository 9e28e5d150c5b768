/// The fields one event source understands, with libsinsp's name resolution rules
/// (longest catalog prefix wins, the rest is a dot argument).
public final class FieldCatalog: @unchecked Sendable {
    public let source: String
    public private(set) var fields: [String: FieldInfo] = [:]

    /// Longest field name: a dot argument's field is a prefix no longer than this.
    private(set) var maxNameLength = 0

    init(source: String, rows: [FieldInfo]) {
        self.source = source
        for row in rows where fields[row.name] == nil { fields[row.name] = row }
        maxNameLength = fields.keys.map(\.utf8.count).max() ?? 0
    }

    /// Parses the TSV format of `../conformance/fields/*.tsv`.
    static func parseTSV(_ text: String) -> [FieldInfo] {
        var rows: [FieldInfo] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: true).dropFirst() {
            let cols = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard cols.count >= 6 else { continue }
            var typeText = cols[1]
            var isList = false
            if typeText.hasSuffix(" list") { isList = true; typeText.removeLast(5) }
            guard let type = FieldType(rawValue: typeText) else { continue }
            let flags = Set(cols[5].split(separator: ",").map(String.init))
            rows.append(FieldInfo(name: cols[0], type: type, isList: isList, arg: FieldArgSpec(column: cols[2]),
                                  description: cols[3], flags: flags))
        }
        return rows
    }

    /// A field name as written, resolved to its catalog entry and argument.
    public struct Resolved: Sendable {
        public let info: FieldInfo
        /// Argument from `[arg]` or from the dot form (`evt.arg.flags` -> `flags`).
        public let argument: String?
        public let argumentWasBracketed: Bool
    }

    public enum ResolveError: Error, Equatable {
        case unknownField
        case argumentMissing
        case argumentNotAllowed
        case badIndex
    }

    /// Resolves `name` (without brackets) plus an optional bracket argument.
    public func resolve(name: String, bracketArgument: String?) -> Result<Resolved, ResolveError> {
        var info = fields[name]
        var dotArgument: String?
        if info == nil {
            // Longest catalog name that is a prefix on a dot boundary; the remainder is the
            // argument. Only dots within the longest name's length can end one (a name of many
            // dots would otherwise cost a lookup per dot).
            var end = name.utf8.index(name.startIndex, offsetBy: min(name.utf8.count, maxNameLength + 1))
            while let dot = name[..<end].lastIndex(of: ".") {
                if let field = fields[String(name[..<dot])], field.arg.accepts, field.arg.key || field.arg.index {
                    info = field
                    dotArgument = String(name[name.index(after: dot)...])
                    break
                }
                end = dot
            }
        }
        guard let info else { return .failure(.unknownField) }
        if dotArgument != nil && bracketArgument != nil { return .failure(.unknownField) }
        let argument = bracketArgument ?? dotArgument
        if let argument {
            guard info.arg.accepts else { return .failure(.argumentNotAllowed) }
            if info.arg.index && !info.arg.key {
                guard Self.isIndex(argument) else { return .failure(.badIndex) }
            }
        } else if info.arg.required {
            return .failure(.argumentMissing)
        }
        return .success(Resolved(info: info, argument: argument, argumentWasBracketed: bracketArgument != nil))
    }

    static func isIndex(_ text: String) -> Bool {
        var s = Substring(text)
        if s.first == "-" || s.first == "+" { s = s.dropFirst() }
        return !s.isEmpty && s.allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// True when `text` (blanks ignored) names a field of this catalog: used for the
    /// "may be a valid field misused as a const string value" warning.
    func looksLikeField(_ text: String) -> Bool {
        // Cheap rejections first: a field needs a dot and starts with a letter.
        guard text.utf8.contains(UInt8(ascii: ".")) else { return false }
        let trimmed = String(text.filter { !$0.isWhitespace })
        guard let first = trimmed.utf8.first, (first | 0x20) >= 0x61, (first | 0x20) <= 0x7A else { return false }
        var name = trimmed
        var bracket: String?
        if let open = trimmed.firstIndex(of: "["), trimmed.last == "]" {
            name = String(trimmed[..<open])
            bracket = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
        }
        if case .success = resolve(name: name, bracketArgument: bracket) { return true }
        return false
    }
}

/// The catalogs known to the engine, built once from the embedded tables.
public enum FieldCatalogs {
    public static let syscall: FieldCatalog = FieldCatalog(source: "syscall",
        rows: FieldCatalog.parseTSV(EmbeddedCatalogs.syscallFieldsTSV))

    /// Generic event fields every source has (libsinsp `sinsp_filtercheck_gen_event`).
    static let genericEventFieldNames: Set<String> = [
        "evt.num", "evt.time", "evt.time.s", "evt.time.iso8601", "evt.datetime", "evt.datetime.s",
        "evt.rawtime", "evt.rawtime.s", "evt.rawtime.ns", "evt.reltime", "evt.reltime.s", "evt.reltime.ns",
        "evt.pluginname", "evt.plugininfo", "evt.source", "evt.is_async", "evt.asynctype", "evt.hostname",
    ]

    public static let k8sAudit: FieldCatalog = {
        let generic = FieldCatalog.parseTSV(EmbeddedCatalogs.syscallFieldsTSV)
            .filter { genericEventFieldNames.contains($0.name) }
        return FieldCatalog(source: "k8s_audit", rows: FieldCatalog.parseTSV(EmbeddedCatalogs.k8sauditFieldsTSV) + generic)
    }()

    /// Catalog for a known source name, nil for sources the engine does not know.
    public static func catalog(for source: String) -> FieldCatalog? {
        switch source {
        case "syscall": return syscall
        case "k8s_audit": return k8sAudit
        default: return nil
        }
    }
}
