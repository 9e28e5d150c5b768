/// libsinsp's event table: which names `evt.type` accepts, their event codes (for the
/// event-type set of 2.10) and the parameter names of each event (for `evt.arg.NAME`).
public final class EventTypeTable: @unchecked Sendable {
    public static let shared = EventTypeTable()

    /// Every name accepted on the right of `evt.type` (event names and syscall names).
    public let acceptedNames: Set<String>
    /// Event codes per name; syscall names without a dedicated event map to the generic codes.
    public let codesByName: [String: [Int]]
    /// Total number of event codes (the universe for complements).
    public let codeCount: Int
    /// Every parameter name of any event (`evt.arg.NAME` must be one of them).
    public let parameterNames: Set<String>
    /// Parameter names per (event name, direction "E"/"X"), in order, for `evt.arg[N]`.
    public let parametersByEvent: [String: [String]]
    let genericCodes: [Int]
    /// Event names that have an exit row: their enter events are the ones Falco drops.
    public let namesWithExit: Set<String>

    private init() {
        var codes: [String: [Int]] = [:]
        var params = Set<String>()
        var byEvent: [String: [String]] = [:]
        var code = 0
        var generic: [Int] = []
        var withExit = Set<String>()
        for line in EmbeddedCatalogs.syscallEventsTSV.split(separator: "\n").dropFirst() {
            let cols = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard cols.count >= 6 else { continue }
            let name = cols[1]
            codes[name, default: []].append(code)
            if name == "syscall" { generic.append(code) }
            if cols[2] == "X" { withExit.insert(name) }
            var names: [String] = []
            for p in cols[5].split(separator: ",") {
                let pn = p.trimmingBlanks().split(separator: ":").first.map(String.init) ?? ""
                if !pn.isEmpty { params.insert(pn); names.append(pn) }
            }
            let key = name + "/" + cols[2]
            if byEvent[key] == nil { byEvent[key] = names }
            code += 1
        }
        var accepted = Set<String>()
        for line in EmbeddedCatalogs.evtTypeNamesTSV.split(separator: "\n").dropFirst() {
            let name = line.split(separator: "\t").first.map(String.init) ?? ""
            if !name.isEmpty { accepted.insert(name) }
        }
        acceptedNames = accepted
        codesByName = codes
        codeCount = code
        parameterNames = params
        parametersByEvent = byEvent
        genericCodes = generic
        namesWithExit = withExit
    }

    /// Event codes a name stands for in the event-type analysis.
    func codes(for name: String) -> [Int] {
        if let c = codesByName[name] { return c }
        return acceptedNames.contains(name) ? genericCodes : []
    }
}

extension StringProtocol {
    /// Trims the blanks of the filter grammar (space, tab, CR, LF) at both ends.
    func trimmingBlanks() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\n" || f == "\r" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\n" || l == "\r" { s = s.dropLast() }
        return String(s)
    }
}
