import AlertStore
import TradsecCore

extension ConsoleState {
    /// Handles one key; returns what the app must do.
    public mutating func handle(_ key: Key) -> [Effect] {
        if key == .resize { return [.redraw] }
        switch mode {
        case .normal:
            message = nil
            guard let action = keyMap.action(for: key) else { return [] }
            return perform(action)
        case .filter(let text, let previous):
            return typeFilter(key, text: text, previous: previous)
        case .command(let text):
            return typeCommand(key, text: text)
        case .silenceChoice(let rule, let container):
            return chooseSilence(key, rule: rule, container: container)
        case .silenceDuration(let kind, let value, let label, let text):
            return typeSilenceDuration(key, kind: kind, value: value, label: label, text: text)
        case .confirmIncident(let confirmation):
            return typeConfirmation(key, confirmation)
        }
    }

    // MARK: - Actions

    public mutating func perform(_ action: Action) -> [Effect] {
        switch action {
        case .quit:
            quitRequested = true
            return [.quit]
        case .help:
            if screen != .help { push(.help) }
            return []
        case .back:
            return pop()
        case .up: moveSelection(by: -1)
        case .down: moveSelection(by: 1)
        case .pageUp: moveSelection(by: -max(1, pageSize))
        case .pageDown: moveSelection(by: max(1, pageSize))
        case .top: moveSelection(by: -Int.max / 2)
        case .bottom: moveSelection(by: Int.max / 2)
        case .nextPane: cyclePane(by: 1)
        case .previousPane: cyclePane(by: -1)
        case .open: return open()
        case .filter:
            mode = .filter(text: filter.search ?? "", previous: filter.search)
        case .command:
            mode = .command("")
        case .acknowledge: return acknowledge()
        case .silence: startSilence()
        case .pause:
            paused.toggle()
            pausedAtID = latestID
            setMessage(paused ? "paused: the view stays as it is (p resumes)" : "resumed")
            return paused ? [.setPaused(true)] : [.setPaused(false), .load(.overview(filter))] + (screen == .overview ? [] : loadCurrent())
        case .containers:
            if screen != .containers { return push(.containers) }
        case .overview:
            var effects: [Effect] = []
            while stack.count > 1 { effects += pop() }
            return effects
        case .sort:
            if screen == .containers {
                containerSort = containerSort.next
                top.selection = 0
                top.scroll = 0
                setMessage("sorted by \(containerSort.rawValue)")
            }
        case .redraw:
            return [.redraw]
        case .stopTrading, .isolate, .restore, .backup, .forensics, .audit:
            return startIncident(action)
        case .gauges:
            if screen != .gauges { return push(.gauges) }
        case .incidents:
            if screen != .incidents { return push(.incidents) }
        case .approve:
            return approveProposal()
        }
        return []
    }

    @discardableResult
    mutating func push(_ kind: ScreenKind) -> [Effect] {
        stack.append(ScreenState(kind: kind))
        return loadCurrent()
    }

    mutating func pop() -> [Effect] {
        guard stack.count > 1 else { return [] }
        let left = stack.removeLast().kind
        var effects: [Effect] = []
        if let slot = left.liveSlot, !stack.contains(where: { $0.kind.liveSlot == slot }) { effects.append(.leave(slot: slot)) }
        switch left {
        case .alert: alertDetail = nil
        case .container: containerDetail = nil
        case .incident:
            incidentDetail = nil
            incidentMissing = nil
        default: break
        }
        // The screen we come back to may hold stale data of another container/alert.
        if case .container = screen { effects += loadCurrent() }
        if case .alert = screen { effects += loadCurrent() }
        if case .incident = screen { effects += loadCurrent() }
        if screen == .containers || screen == .incidents { effects += loadCurrent() }
        return effects
    }

    mutating func moveSelection(by delta: Int) {
        let count = itemCount
        if screen == .overview {
            let old = paneSelection[focusedPane]
            paneSelection[focusedPane] = clamp(old.addingClamped(delta), count)
            markSelectedSeen()
            return
        }
        if case .alert = screen {
            // Detail screens scroll; Tab picks related alerts.
            top.scroll = max(0, top.scroll.addingClamped(delta))
            return
        }
        top.selection = clamp(top.selection.addingClamped(delta), count)
    }

    mutating func cyclePane(by delta: Int) {
        switch screen {
        case .overview:
            focusedPane = (focusedPane + delta + 3) % 3
            paneSelection[focusedPane] = clamp(paneSelection[focusedPane], itemCount)
            markSelectedSeen()
        case .alert:
            let n = itemCount
            if n > 0 { top.selection = (top.selection + delta + n) % n }
        default:
            break
        }
    }

    mutating func markSelectedSeen() {
        if let row = selectedRow { seen.insert(row.newest.id) }
    }

    mutating func open() -> [Effect] {
        switch screen {
        case .overview:
            guard let row = selectedRow else { return [] }
            seen.insert(row.newest.id)
            return push(.alert(row.newest))
        case .containers:
            guard let activity = sortedContainers[safe: top.selection] else { return [] }
            return push(.container(activity.container.ref.id))
        case .container:
            guard let stored = containerDetail?.recent[safe: top.selection] else { return [] }
            return push(.alert(stored))
        case .alert:
            guard let d = alertDetail, let stored = (d.sameRule + d.sameContainer + d.sameProcess)[safe: top.selection] else { return [] }
            return push(.alert(stored))
        case .incidents:
            guard let record = incidentList?.incidents[safe: top.selection] else { return [] }
            return push(.incident(record.id))
        case .incident:
            guard let stored = selectedIncidentAlert else { return [] }
            return push(.alert(stored))
        case .help, .audit, .gauges:
            return []
        }
    }

    /// The alerts `a` and `s` act on: the selected row (all its folded alerts) or the open alert.
    var actionTarget: (ids: [Int64], alert: Alert)? {
        switch screen {
        case .overview:
            return selectedRow.map { ($0.ids, $0.newest.alert) }
        case .alert(let stored):
            return ([stored.id], stored.alert)
        case .container:
            return containerDetail?.recent[safe: top.selection].map { ([$0.id], $0.alert) }
        case .incident:
            return selectedIncidentAlert.map { ([$0.id], $0.alert) }
        default:
            return nil
        }
    }

    mutating func acknowledge() -> [Effect] {
        guard !readOnly else {
            setMessage("read-only: acknowledgements are not stored", error: true)
            return []
        }
        guard let target = actionTarget else {
            setMessage("nothing selected to acknowledge", error: true)
            return []
        }
        seen.formUnion(target.ids)
        return [.load(.acknowledge(target.ids))]
    }

    mutating func startSilence() {
        guard !readOnly else {
            setMessage("read-only: silences are not stored", error: true)
            return
        }
        switch screen {
        case .containers:
            guard let c = sortedContainers[safe: top.selection]?.container.ref else { return }
            mode = .silenceDuration(kind: .container, value: c.id, label: c.name, text: "1h")
        default:
            guard let target = actionTarget else {
                setMessage("nothing selected to silence", error: true)
                return
            }
            mode = .silenceChoice(rule: target.alert.rule, container: target.alert.container)
        }
    }

    // MARK: - Prompts

    mutating func typeFilter(_ key: Key, text: String, previous: String?) -> [Effect] {
        switch key {
        case .escape:
            mode = .normal
            filter.search = previous
            return reloadForFilter()
        case .enter:
            mode = .normal
            return []
        default:
            guard let edited = Self.edit(text, with: key) else { return [] }
            mode = .filter(text: edited, previous: previous)
            filter.search = edited.isEmpty ? nil : edited
            resetCursors()
            return reloadForFilter()
        }
    }

    mutating func typeCommand(_ key: Key, text: String) -> [Effect] {
        switch key {
        case .escape:
            mode = .normal
            return []
        case .enter:
            mode = .normal
            return run(command: text)
        default:
            if key == .backspace, text.isEmpty {
                mode = .normal
                return []
            }
            if let edited = Self.edit(text, with: key) { mode = .command(edited) }
            return []
        }
    }

    mutating func chooseSilence(_ key: Key, rule: String, container: ContainerRef) -> [Effect] {
        switch key {
        case .character("r"), .character("R"):
            mode = .silenceDuration(kind: .rule, value: rule, label: "'\(rule)'", text: "1h")
        case .character("c"), .character("C"):
            mode = .silenceDuration(kind: .container, value: container.id, label: container.name, text: "1h")
        case .escape:
            mode = .normal
        default:
            break
        }
        return []
    }

    mutating func typeSilenceDuration(_ key: Key, kind: Silence.Kind, value: String, label: String, text: String) -> [Effect] {
        switch key {
        case .escape:
            mode = .normal
            return []
        case .enter:
            guard let ns = Duration.parse(text.trimmingSpaces), ns > 0 else {
                setMessage("'\(text)' is not a duration (30m, 1h, 1d)", error: true)
                return []
            }
            mode = .normal
            return [.load(.silence(kind, value: value, label: label, nanoseconds: ns))]
        default:
            if let edited = Self.edit(text, with: key) { mode = .silenceDuration(kind: kind, value: value, label: label, text: edited) }
            return []
        }
    }

    /// Line editing for prompts: printable characters append, Backspace removes, Ctrl-U clears.
    static func edit(_ text: String, with key: Key) -> String? {
        switch key {
        case .character(let c): return text + String(c)
        case .backspace: return String(text.dropLast())
        case .control("u"): return ""
        default: return nil
        }
    }

    mutating func resetCursors() {
        paneSelection = [0, 0, 0]
        paneScroll = [0, 0, 0]
        if screen != .overview {
            top.selection = 0
            top.scroll = 0
        }
    }
}

func clamp(_ value: Int, _ count: Int) -> Int { count <= 0 ? 0 : min(max(0, value), count - 1) }

extension Int {
    func addingClamped(_ delta: Int) -> Int {
        let (r, overflow) = addingReportingOverflow(delta)
        return overflow ? (delta > 0 ? Int.max : Int.min) : r
    }
}
