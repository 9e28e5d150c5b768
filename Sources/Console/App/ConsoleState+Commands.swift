import TradsecCore

extension ConsoleState {
    /// Runs a `:` command line.
    public mutating func run(command line: String) -> [Effect] {
        let trimmed = line.trimmingSpaces
        let name = trimmed.prefix { $0 != " " }.lowercased()
        let argument = trimmed.dropFirst(name.count).description.trimmingSpaces
        let value: String? = argument.isEmpty || argument == "any" || argument == "all" || argument == "-" ? nil : argument
        switch name {
        case "":
            return []
        case "q", "quit", "q!", "qa":
            quitRequested = true
            return [.quit]
        case "priority", "prio", "p":
            if let value {
                guard let p = PriorityFilter(value) else {
                    setMessage("priority: '\(value)' is not \(PriorityFilter.help)", error: true)
                    return []
                }
                filter.priorities = p
            } else {
                filter.priorities = nil
            }
        case "since":
            if let value, TimeSpec.parse(value) == nil {
                setMessage("since: '\(value)' is not \(TimeSpec.help)", error: true)
                return []
            }
            filter.since = value
        case "container", "c":
            filter.container = value
        case "rule", "r":
            filter.ruleGlob = value
        case "search":
            filter.search = value
        case "clear", "reset":
            filter = ViewFilter()
        case "theme":
            guard let value else {
                setMessage("theme: give a name (\(ThemeLoader.available().joined(separator: ", ")))", error: true)
                return []
            }
            return [.setTheme(value)]
        case "silences":
            let list = overview?.silences ?? []
            setMessage(list.isEmpty ? "no active silences" : list.enumerated().map { i, s in
                "\(i + 1): \(s.kind.rawValue) \(s.kind == .rule ? "'\(s.value)'" : String(s.value.prefix(12))) until \(Formatting.clock(s.until))Z"
            }.joined(separator: " · "))
            return []
        case "unsilence":
            guard !readOnly else {
                setMessage("read-only: silences are not changed", error: true)
                return []
            }
            let list = overview?.silences ?? []
            if let value {
                guard let n = Int(value), list.indices.contains(n - 1) else {
                    setMessage("unsilence: give a number from :silences (1-\(list.count)), or nothing for all", error: true)
                    return []
                }
                return [.load(.unsilence([list[n - 1].id]))]
            }
            guard !list.isEmpty else {
                setMessage("no active silences")
                return []
            }
            return [.load(.unsilence(list.map(\.id)))]
        case "help":
            return perform(.help)
        case "containers":
            return perform(.containers)
        case "overview":
            return perform(.overview)
        case "gauges":
            return perform(.gauges)
        case "incidents":
            return perform(.incidents)
        case "response":
            return switchResponse(argument.lowercased())
        case "pause":
            return paused ? [] : perform(.pause)
        case "resume":
            return paused ? perform(.pause) : []
        default:
            setMessage("unknown command '\(name)': try :priority, :since, :container, :rule, :search, :clear, :silences, :unsilence, :incidents, :response, :theme, :q", error: true)
            return []
        }
        resetCursors()
        setMessage(filter.isEmpty ? "showing everything" : "filter: \(filter.summary)")
        return reloadForFilter()
    }
}
