#if canImport(Glibc)
import Glibc
#endif
import AlertStore
import TradsecCore

/// One directory per incident with what an investigator asks for first: the container's
/// logs, inspect and process list from the engine, its alert history from the store (JSON
/// Lines, Falco's bytes), the tail of Falco's log, host facts, Falco's capture files that cover
/// the incident's alerts (``FalcoCaptures``), and a SHA-256 manifest
/// (`sha256sum -c MANIFEST.sha256` checks it). Built under a temporary name, renamed when complete.
public struct ForensicsBundle: Sendable {
    public let config: ActionsConfig.Forensics
    public let engine: DockerEngineClient
    public let store: AlertStore

    public init(config: ActionsConfig.Forensics, engine: DockerEngineClient, store: AlertStore) {
        self.config = config
        self.engine = engine
        self.store = store
    }

    public struct Outcome: Sendable {
        public var directory: String
        public var files: [(name: String, sha256: String)]
        public var message: String
        public var detail: String
    }

    /// A name safe as a directory name: letters, digits, `.`, `_` and `-`.
    static func safeName(_ text: String) -> String {
        let cleaned = String(text.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "_" || $0 == "-") ? $0 : "_" })
        return cleaned.hasPrefix(".") ? "_" + cleaned.dropFirst() : cleaned
    }

    public func plan(_ container: EngineContainer, incident: String?) -> String {
        "would write \(config.directory)/\(bundleName(container, incident: incident, now: .now()))/ with logs.txt, inspect.json, top.json, changes.json, stats.json, alerts.jsonl, falco-log-tail.jsonl, host.txt\(config.captures.pathPrefix.map { ", the captures \($0)_*.scap covering the alerts" } ?? ""), MANIFEST.sha256"
    }

    func bundleName(_ container: EngineContainer, incident: String?, now: Timestamp) -> String {
        Self.safeName(incident ?? "incident-\(FileOps.timestampName(now))") + "-" + Self.safeName(container.name)
    }

    public func create(_ container: EngineContainer, incident: String?, who: AuditIdentity, now: Timestamp = .now()) throws(ActionError) -> Outcome {
        try FileOps.makeDirectory(config.directory)
        var final = config.directory + "/" + bundleName(container, incident: incident, now: now)
        var n = 2
        while FileOps.exists(final) {   // never overwrite an earlier bundle
            final = config.directory + "/" + bundleName(container, incident: incident, now: now) + "-\(n)"
            n += 1
        }
        // mkdtemp: an unpredictable name, so no link can be planted where the bundle is built.
        let temporary = try FileOps.makeTemporaryDirectory(
            prefix: FileOps.parent(of: final) + "/." + (final.split(separator: "/").last.map(String.init) ?? "bundle") + ".partial-")
        do {
            let files = try collect(container, incident: incident, who: who, now: now, into: temporary)
            try FileOps.commit(temporary, to: final)
            let detail = JSONWriter.string(.object(JSONObject([
                ("bundle", .string(final)),
                ("manifest_sha256", .string(files.first(where: { $0.name == "MANIFEST.sha256" })?.sha256 ?? "")),
                ("files", .object(JSONObject(files.map { ($0.name, .string($0.sha256)) }))),
            ])))
            return Outcome(directory: final, files: files,
                           message: "forensics bundle \(final) (\(files.count - 1) files and MANIFEST.sha256)", detail: detail)
        } catch {
            FileOps.removeTree(temporary)
            throw error
        }
    }

    private func collect(_ container: EngineContainer, incident: String?, who: AuditIdentity, now: Timestamp,
                         into dir: String) throws(ActionError) -> [(name: String, sha256: String)] {
        var files: [(name: String, sha256: String)] = []
        var notes: [String] = []
        func add(_ name: String, _ bytes: [UInt8]) throws(ActionError) {
            try FileOps.write(bytes, to: dir + "/" + name)
            files.append((name, SHA256Digest.of(bytes)))
        }
        // The engine is the primary evidence: inspect must work, or the bundle is refused.
        let inspect = try engine.inspect(container.id)
        try add("inspect.json", inspect.raw)
        do { try add("logs.txt", try engine.logs(container.id, tail: config.logLines)) } catch {
            notes.append("logs: \(error.message)")
        }
        do { try add("top.json", try engine.top(container.id)) } catch {
            notes.append("top: \(error.message)")   // a stopped container has no processes
        }
        do { try add("changes.json", try engine.changes(container.id)) } catch {
            notes.append("changes: \(error.message)")
        }
        do { try add("stats.json", try engine.stats(container.id)) } catch {
            notes.append("stats: \(error.message)")
        }
        let history = try alertHistory(container)
        var jsonl: [UInt8] = []
        for stored in history {
            jsonl += Array(stored.alert.raw.utf8)
            jsonl.append(0x0A)
        }
        try add("alerts.jsonl", jsonl)
        let captures = try fetchCaptures(incidentAlerts(incident) ?? history, into: dir)
        files += captures.files
        if let tail = FileOps.tail(config.falcoLog, maxBytes: config.falcoLogBytes) {
            try add("falco-log-tail.jsonl", tail)
        } else {
            notes.append("falco log \(config.falcoLog): \(FileOps.errorText())")
        }
        try add("host.txt", Array(hostFacts(container, who: who, now: now, notes: notes).utf8))
        // sha256sum skips `#` lines: a capture left out is said where the digests are checked.
        let manifest = files.map { "\($0.sha256)  \($0.name)\n" }.joined()
            + captures.notes.map { "# " + TerminalSafe.escape($0) + "\n" }.joined()
        try add("MANIFEST.sha256", Array(manifest.utf8))
        try FileOps.fsyncPath(dir, directory: true)
        return files
    }

    /// The alerts of the incident named by a number the history knows; nil otherwise.
    func incidentAlerts(_ incident: String?) throws(ActionError) -> [StoredAlert]? {
        guard let id = incident.flatMap({ Int64($0) }) else { return nil }
        do {
            let alerts = try store.incidentAlerts(id: id, limit: 100_000)
            return alerts.isEmpty ? nil : alerts
        } catch {
            throw ActionError.history("cannot read the alerts of incident \(id): \(error)")
        }
    }

    /// Falco's captures that cover `alerts` (see ``FalcoCaptures``), copied into `dir`. The
    /// alerts of the same hosts are what may have kept a capture open.
    func fetchCaptures(_ alerts: [StoredAlert], into dir: String) throws(ActionError) -> FalcoCaptures.Collected {
        let captures = FalcoCaptures(config: config.captures)
        guard captures.location != nil, !alerts.isEmpty else { return FalcoCaptures.Collected() }
        let hosts = Set(alerts.map(\.alert.hostname))
        var failure: ActionError?
        var collected = captures.collect(incident: alerts.map(\.alert.time.nanoseconds).sorted(), history: { since, until in
            do {
                let others = try store.alerts(AlertQuery(since: Timestamp(nanoseconds: since), until: Timestamp(nanoseconds: until), limit: 100_000))
                return others.filter { hosts.contains($0.alert.hostname) }.map(\.alert.time.nanoseconds).sorted()
            } catch {
                failure = ActionError.history("cannot read the alert history: \(error)")
                return []
            }
        }, into: dir)
        if let failure { collected.notes.append("captures chosen from the incident's alerts alone: \(failure.message)") }
        return collected
    }

    /// The container's alerts, oldest first, as Falco wrote them. Falco names containers by
    /// the 12-character short id; the name is asked for too.
    func alertHistory(_ container: EngineContainer) throws(ActionError) -> [StoredAlert] {
        var byID: [Int64: StoredAlert] = [:]
        do {
            for key in [container.shortID, container.name] {
                for stored in try store.alerts(AlertQuery(container: key, limit: 100_000)) { byID[stored.id] = stored }
            }
        } catch {
            throw ActionError.history("cannot read the alert history: \(error)")
        }
        return byID.values.sorted(by: { ($0.alert.time, $0.id) < ($1.alert.time, $1.id) })
    }

    func hostFacts(_ container: EngineContainer, who: AuditIdentity, now: Timestamp, notes: [String]) -> String {
        var lines: [String] = []
        var name = utsname()
        uname(&name)
        func field<T>(_ value: T) -> String {
            withUnsafeBytes(of: value) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
        }
        lines.append("collected: \(now.rfc3339())")
        lines.append("collected_by: \(who.summary)")
        lines.append("hostname: \(field(name.nodename))")
        lines.append("kernel: \(field(name.sysname)) \(field(name.release)) \(field(name.version)) \(field(name.machine))")
        for (label, path) in [("uptime", "/proc/uptime"), ("load_average", "/proc/loadavg")] {
            // procfs reports size 0, so read to end of file rather than trusting fstat.
            if let text = try? TextFile.read(path, limit: 4096) { lines.append("\(label): \(text.trimmedLines)") }
        }
        lines.append("container: \(container.name) \(container.id) image=\(container.image) state=\(container.state)")
        lines.append("engine_socket: \(engine.socketPath)")
        for note in notes { lines.append("missing: \(note)") }
        return lines.map { TerminalSafe.escape($0) }.joined(separator: "\n") + "\n"
    }
}
