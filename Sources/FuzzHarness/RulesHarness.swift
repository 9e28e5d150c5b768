import RuleEngine
import TradsecCore

/// The rule engine's inputs: rules files (YAML), conditions, and events.
enum RulesHarness {
    // MARK: - Rules files

    static let rulesTarget = FuzzTarget(
        "rules",
        "RulesEngine.load on YAML text: errors with locations, or rules that evaluate sample events into alerts the history accepts",
        maxLength: 32768, dictionary: "rules"
    ) { bytes in
        // Rules files are read as UTF-8 text; a file that is not is refused before the loader.
        guard let text = String(validating: bytes.bindMemory(to: UInt8.self), as: UTF8.self) else { return }
        checkRules(text)
    }

    static func checkRules(_ text: String) {
        let engine = RulesEngine()
        let result = engine.load(content: text, name: "fuzz.yaml")
        for message in result.errors + result.warnings {
            Invariant.require(message.line >= 0 && message.column >= 0, "negative location in \(message)")
            _ = message.codeDescription
        }
        guard result.successful else { return }
        _ = engine.ruleSummaries
        let matcher = engine.makeMatcher()
        let decoder = engine.makeDecoder(for: matcher)
        let event = Event(slotCount: engine.slots.count)
        var matches: [Int] = []
        for line in sampleEvents {
            line.withUnsafeBytes { bytes in
                try! decoder.withEvent(line: bytes, event) { event in
                    matcher.match(event, matching: .all, into: &matches)
                    for index in matches { checkAlert(formatter.line(for: matcher.rule(at: index), event: event)) }
                }
            }
        }
    }

    /// What the engine emits for a match is an alert the history accepts.
    static func checkAlert(_ line: String) {
        do { _ = try AlertDecoder.decodeRecord(line: line) } catch {
            Invariant.require(false, "the engine emitted an alert the history refuses (\(error)):\n\(line)")
        }
    }

    static let formatter = AlertFormatter(hostname: "fuzz-host")

    // MARK: - Conditions

    static let conditionTarget = FuzzTarget(
        "condition",
        "ConditionParser (deterministic) + CanonicalPrinter, FilterExpression.compile (syscall, k8s_audit), predicates evaluated on sample events",
        maxLength: 4096, dictionary: "rules"
    ) { bytes in checkCondition(bytes.lossyText) }

    static func checkCondition(_ text: String) {
        // The canonical form is libsinsp's report format (`condition_compiled`), not meant to be
        // parsed again (it prints transformer literals bare), so only its determinism is checked.
        if let ast = try? ConditionParser.parse(text, maxDepth: ConditionParser.loaderMaxDepth) {
            let again = try? ConditionParser.parse(text, maxDepth: ConditionParser.loaderMaxDepth)
            Invariant.require(again == ast, "parsing the same text twice gave different trees")
            _ = CanonicalPrinter.print(ast)
        }
        for catalog in [FieldCatalogs.syscall, FieldCatalogs.k8sAudit] {
            guard let filter = try? FilterExpression.compile(text, catalog: catalog) else { continue }
            let decoder = EventDecoder(slots: filter.slots)
            let event = Event(slotCount: filter.slots.count)
            for line in sampleEvents {
                line.withUnsafeBytes { bytes in
                    _ = try! decoder.withEvent(line: bytes, event) { filter.predicate($0) }
                }
            }
        }
    }

    // MARK: - Events

    static let eventTarget = FuzzTarget(
        "event",
        "one JSON Lines event through the engine (trading rule pack + typed fields): what the strict parser accepts the byte scanner accepts, with the same value for every field and the same matches; alerts accepted by the history",
        maxLength: 8192
    ) { bytes in checkEvent(bytes) }

    /// Rules read every kind of field: the bundled pack, and one rule over numbers, addresses,
    /// buffers and lists.
    // Fuzz inputs run one at a time on one thread.
    nonisolated(unsafe) static let eventEngine: (RuleMatcher, EventDecoder, FieldSlotTable) = {
        let engine = RulesEngine()
        for (text, name) in [(RepositoryFiles.text("rules/trading_rules.yaml"), "trading_rules.yaml"), (typedRules, "typed.yaml")] {
            let result = engine.load(content: text, name: name)
            precondition(result.successful, "\(name): \(result.errors)")
        }
        let matcher = engine.makeMatcher()
        return (matcher, engine.makeDecoder(for: matcher), engine.slots)
    }()

    static let typedRules = """
        - rule: Fuzz typed fields
          desc: numbers, addresses, buffers and lists of one event
          condition: >
            (fd.sip = 127.0.0.1 or fd.snet = "10.0.0.0/8" or fd.cip in ("::1", 192.168.0.1) or evt.rawres < 0
            or proc.pid > 100 or evt.buffer contains abc or fd.sport in (80, 443) or evt.arg.fd >= 3
            or thread.exectime > 0 or evt.is_open_read = true or proc.aname[1] startswith ba or fd.types intersects (ipv4)
            or user.uid = 0 or evt.latency > 1000 or proc.env icontains PATH)
          output: "%proc.name %fd.name %evt.rawres %fd.sip %fd.sport %evt.buffer %proc.pid %user.uid %fd.types %evt.latency"
          priority: WARNING
        """

    static func checkEvent(_ bytes: UnsafeRawBufferPointer) {
        let (matcher, decoder, slots) = eventEngine
        // The fast path: the byte scanner, values converted when a rule reads them.
        let fastEvent = Event(slotCount: slots.count)
        var fastMatches: [Int] = []
        var fastValues: [FieldValue?] = []
        var fastAlerts: [String] = []
        let fast: Bool
        do {
            try decoder.withEvent(line: bytes, fastEvent) { event in
                matcher.match(event, matching: .all, into: &fastMatches)
                fastValues = (0..<slots.count).map { event.value(at: $0) }
                fastAlerts = fastMatches.map { formatter.line(for: matcher.rule(at: $0), event: event) }
            }
            fast = true
        } catch {
            fast = false
        }
        // The strict path: the shared JSON parser, every field converted.
        let strictEvent = Event(slotCount: slots.count)
        var strictMatches: [Int] = []
        let strict: Bool
        do {
            let value = try JSONParser.parse(bytes: bytes)
            try decoder.decode(value, into: strictEvent)
            matcher.match(strictEvent, matching: .all, into: &strictMatches)
            strict = true
        } catch {
            strict = false
        }
        // The scanner is lenient: it skips values it does not read without validating them
        // (a control character in a key, a malformed number), so it may evaluate a line the
        // parser refuses. The reverse would lose events.
        Invariant.require(fast || !strict, "the byte scanner refuses an event the strict parser accepts")
        guard fast && strict else { return }
        for slot in 0..<slots.count {
            let strictValue = strictEvent.value(at: slot)
            Invariant.require(same(fastValues[slot], strictValue),
                              "field \(slots.keys[slot]): scanner \(String(describing: fastValues[slot])), parser \(String(describing: strictValue))")
        }
        Invariant.require(fastEvent.source == strictEvent.source && fastEvent.eventTypeID == strictEvent.eventTypeID
                          && fastEvent.number == strictEvent.number && fastEvent.rawTime == strictEvent.rawTime
                          && fastEvent.isEnter == strictEvent.isEnter, "event header fields differ between scanner and parser")
        Invariant.require(fastMatches == strictMatches, "rules matched: scanner \(fastMatches), parser \(strictMatches)")
        if !matcher.isDroppedEnterEvent(fastEvent) { fastAlerts.forEach(checkAlert) }
    }

    /// Equal values; NaN equals NaN (JSON has none, but a conversion could make one).
    static func same(_ a: FieldValue?, _ b: FieldValue?) -> Bool {
        switch (a, b) {
        case (nil, nil): return true
        case (.double(let x)?, .double(let y)?): return x == y || (x.isNaN && y.isNaN)
        case (.list(let x)?, .list(let y)?): return x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
        case (let x?, let y?): return x == y
        default: return false
        }
    }

    // MARK: - Sample events

    /// Events the rules and conditions are evaluated on: a shell in a trading container, a
    /// connect with addresses and ports, a read with a buffer, a k8s audit event.
    static let sampleEvents: [[UInt8]] = [
        #"{"source":"syscall","fields":{"evt.num":38,"evt.type":"execve","evt.dir":"<","evt.res":"SUCCESS","evt.rawres":0,"evt.rawtime":1795338000038000000,"proc.name":"bash","proc.cmdline":"bash -i","proc.exepath":"/usr/bin/bash","proc.pid":4038,"proc.tty":34816,"user.name":"root","user.uid":0,"proc.pname":"runc:[2:INIT]","proc.aname[1]":"bash","container.id":"3ad7b26ded6d","container.name":"ai-trading-bot","container.image.repository":"ghcr.io/acme/ai-trading-bot","container.privileged":false,"proc.args":"-i","proc.env":"PATH=/bin"}}"#,
        #"{"source":"syscall","fields":{"evt.num":185,"evt.type":"connect","evt.dir":"<","evt.rawres":0,"evt.rawtime":1522704423470449559,"evt.latency":2000,"proc.name":"curl","proc.pid":31699,"fd.num":3,"fd.typechar":"4","fd.sip":"10.1.2.3","fd.cip":"127.0.0.1","fd.sport":443,"fd.cport":40000,"fd.name":"127.0.0.1:40000->10.1.2.3:443","fd.types":["ipv4"],"container.id":"host","container.name":"host","user.uid":4294967295}}"#,
        #"{"source":"syscall","fields":{"evt.num":9,"evt.type":"read","evt.dir":"<","evt.rawres":-11,"evt.rawtime":-1,"evt.arg.fd":4,"evt.buffer":"ab\u0000abc\u00ff","proc.name":"python3","proc.pid":7,"fd.name":"/app/data/book.csv","evt.is_open_read":true,"thread.exectime":1.5e3}}"#,
        #"{"source":"k8s_audit","fields":{"ka.verb":"create","ka.target.resource":"pods","ka.user.name":"system:anonymous","ka.req.pod.containers.privileged":[true,false],"jevt.time":"2026-11-22T10:00:00Z"}}"#,
    ].map { Array($0.utf8) }
}
