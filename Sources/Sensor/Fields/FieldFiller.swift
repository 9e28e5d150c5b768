import RuleEngine
import TradsecCore

/// What filling a field may consult besides the event.
struct FillContext {
    let table: ProcessTable
    let accounts: AccountNames
    let containers: ContainerDirectory
    let serverNames: ServerNames
    let hostname: FieldValue
    let now: Double
}

/// Fills the engine's field slots straight from a `SensorEvent`: the slots the loaded rules
/// read, resolved once to the sensor's fields (no JSON between the kernel and the rules).
final class FieldFiller {
    struct Fill {
        let slot: Int
        let field: SensorField
        let type: FieldType
    }

    /// Slots the rules' conditions read (filled before matching), and slots only outputs print
    /// (filled only when a rule matched: most events match none).
    let conditionFills: [Fill]
    let outputFills: [Fill]
    /// Slot keys the sensor has no value for (output fields then print `<NA>`).
    let unfilled: [String]
    private var flagTexts: [Int64: FieldValue] = [:]
    /// Per event name: the fills that can have a value for it.
    private var byEvent: [String: (condition: [Fill], output: [Fill])] = [:]

    /// `conditionKeys`: the slot keys conditions read (nil: every slot, all filled before matching).
    init(slots: FieldSlotTable, conditionKeys: Set<String>? = nil) {
        var condition: [Fill] = [], output: [Fill] = []
        var unfilled: [String] = []
        for (slot, key) in slots.keys.enumerated() {
            if let field = SensorField.from(slotKey: key) {
                let fill = Fill(slot: slot, field: field, type: slots.types[slot].0)
                if conditionKeys?.contains(key) ?? true { condition.append(fill) } else { output.append(fill) }
            } else {
                unfilled.append(key)
            }
        }
        conditionFills = condition
        outputFills = output
        self.unfilled = unfilled
    }

    enum Phase { case condition, output }

    func fill(_ event: Event, from e: SensorEvent, context: FillContext, phase: Phase) {
        let lists: (condition: [Fill], output: [Fill])
        if let known = byEvent[e.typeName] {
            lists = known
        } else {
            lists = (conditionFills.filter { Self.applies($0.field, to: e) }, outputFills.filter { Self.applies($0.field, to: e) })
            byEvent[e.typeName] = lists
        }
        var container: ContainerDetails??
        for fill in phase == .condition ? lists.condition : lists.output {
            let value: FieldValue?
            switch fill.field {
            case .containerName, .containerImage, .containerImageRepository, .containerImageTag, .containerImageID,
                 .containerPrivileged, .containerStartTs:
                if container == nil {
                    container = .some(e.process.flatMap { context.containers.details($0.container, now: context.now) })
                }
                value = Self.containerValue(fill.field, e.process?.container, container ?? nil, fill.type)
            default:
                value = self.value(fill.field, e, context, fill.type)
            }
            if let value { event.set(value, at: fill.slot) }
        }
    }

    /// Whether a field can have a value on events of `e`'s name (the others are never filled
    /// for it). Every event of one name has the same syscall effect.
    static func applies(_ field: SensorField, to e: SensorEvent) -> Bool {
        let effect = e.syscall?.effect
        switch field {
        case .fdCIP, .fdSIP, .fdLIP, .fdRIP, .fdCPort, .fdSPort, .fdLPort, .fdRPort, .fdL4Proto, .fdSockFamily, .fdIsServer,
             .fdConnected, .fdSIPName, .fdNameChanged:
            return effect == .connect || effect == .accept
        case .fdNameRaw, .fdDirectory, .fdFilename:
            return effect == .open
        case .fdName, .fdNum, .fdType, .fdTypeChar:
            return effect == .open || effect == .connect || effect == .accept || effect == .socket
        case .evtArg(let name):
            guard let syscall = e.syscall else { return ArgumentCatalog.processArguments.contains(name) }
            return name == syscall.result || name == syscall.path1 || name == syscall.path2
                || syscall.numbers.contains { $0?.name == name } || (name == "flags" && syscall.name == "creat")
                || ((effect == .connect || effect == .accept) && ArgumentCatalog.socketArguments.contains(name))
        default:
            return true
        }
    }

    static func text(_ s: String) -> FieldValue { .bytes(Array(s.utf8)) }

    /// A number in the slot's catalog type.
    static func number(_ v: Int64, _ type: FieldType) -> FieldValue {
        switch type {
        case .int16, .int32, .int64: return .int(v)
        case .uint32, .uint64, .reltime, .abstime, .port: return .uint(UInt64(bitPattern: v))
        case .double: return .double(Double(v))
        case .bool: return .bool(v != 0)
        default: return text(String(v))
        }
    }

    static func ip(_ text: String?) -> FieldValue? { text.flatMap(IPAddress.parse).map(FieldValue.ip) }

    private func value(_ field: SensorField, _ e: SensorEvent, _ c: FillContext, _ type: FieldType) -> FieldValue? {
        let p = e.process
        switch field {
        case .evtNum: return Self.number(Int64(bitPattern: e.number), type)
        case .evtTime: return Self.text(ValueText.timeOfDay(e.nanos))
        case .evtRawTime: return Self.number(e.nanos, type)
        case .evtType: return Self.text(e.typeName)
        case .evtDir: return Self.text(e.isEnter ? ">" : "<")
        case .evtRes: return e.hasResult ? Self.text(ValueText.result(e.result)) : nil
        case .evtRawRes: return e.hasResult ? Self.number(e.result, type) : nil
        case .evtFailed: return .bool(e.hasResult && e.result < 0)
        case .evtCategory: return Self.text(e.category)
        case .evtHostname: return c.hostname
        case .evtIsOpenRead: return .bool(e.openFlags.map(ValueText.isOpenRead) ?? false)
        case .evtIsOpenWrite: return .bool(e.openFlags.map(ValueText.isOpenWrite) ?? false)
        case .evtIsOpenExec: return .bool(false)
        case .evtArg("flags") where e.openFlags != nil:
            // The same few flag sets come back all the time: their text is kept.
            let flags = e.openFlags ?? 0
            if let known = flagTexts[flags] { return known }
            let value = Self.text(ValueText.openFlags(flags))
            if flagTexts.count < 256 { flagTexts[flags] = value }
            return value
        case .evtArg(let name): return ArgumentText.value(name, e).map(Self.text)

        case .procPid: return p.map { Self.number($0.pid, type) }
        case .procPpid: return p.map { Self.number($0.ppid, type) }
        case .procName: return p?.nameValue
        case .procExe: return p?.exeValue
        case .procExePath: return p?.exePathValue
        case .procExeline: return p?.exelineValue
        case .procCmdline: return p?.cmdlineValue
        case .procArgs: return p?.argsValue
        case .procCwd: return p?.cwdValue
        case .procTty: return p.map { Self.number(Int64($0.tty), type) }
        case .procPName: return parent(p, c)?.nameValue
        case .procPExe: return parent(p, c)?.exeValue
        case .procPExePath: return parent(p, c)?.exePathValue
        case .procPCmdline: return parent(p, c)?.cmdlineValue
        case .procDuration: return p.map { Self.number(max(0, e.nanos &- $0.startNanos), type) }
        case .procPPidDuration: return parent(p, c).map { Self.number(max(0, e.nanos &- $0.startNanos), type) }
        case .procIsExeFromMemfd: return p.map { .bool($0.exeFromMemfd) }
        case .procIsExeUpperLayer: return p.map { .bool($0.exeUpperLayer) }
        case .procIsHealthcheck: return p.map { .bool($0.isHealthcheck) }
        case .procIsLivenessProbe, .procIsReadinessProbe: return p.map { _ in .bool(false) }   // Kubernetes probes: no Kubernetes here
        case .ancestorName(let level): return ancestors(p, level, c) { $0.nameValue }
        case .ancestorPid(let level): return ancestors(p, level, c) { Self.number($0.pid, type) }
        case .ancestorExe(let level): return ancestors(p, level, c) { $0.exeValue }
        case .ancestorExePath(let level): return ancestors(p, level, c) { $0.exePathValue }
        case .ancestorCmdline(let level): return ancestors(p, level, c) { $0.cmdlineValue }

        case .threadTid: return Self.number(e.tid, type)
        case .threadCapEffective: return Self.text(ValueText.capabilities(e.capEffective))
        case .userUID: return Self.number(Int64(e.euid), type)
        case .userName: return c.accounts.user(e.euid, now: c.now).map(Self.text) ?? (e.euid == 0 ? Self.text("root") : nil)
        case .userLoginUID: return Self.number(e.loginUID, type)
        case .userLoginName:
            guard e.loginUID >= 0 else { return nil }
            return c.accounts.user(UInt32(truncatingIfNeeded: e.loginUID), now: c.now).map(Self.text)
        case .groupGID: return Self.number(Int64(e.egid), type)
        case .groupName: return c.accounts.group(e.egid, now: c.now).map(Self.text) ?? (e.egid == 0 ? Self.text("root") : nil)

        case .fdNum:
            if e.socket != nil { return Self.number(e.header?.arg.0 ?? -1, type) }
            if e.syscall?.effect == .socket { return Self.number(e.result >= 0 ? e.result : -1, type) }
            if e.openFlags != nil { return Self.number(e.result >= 0 ? e.result : -1, type) }
            return nil
        case .fdName:
            if let socket = e.socket { return Self.text(socket.name) }
            return e.openFlags != nil ? e.pathValue : nil
        case .fdNameRaw: return e.openFlags != nil ? e.rawPath.map(Self.text) : nil
        case .fdType:
            if let socket = e.socket { return Self.text(socket.typeName) }
            return e.openFlags != nil ? Self.text(e.fileIsDirectory ? "directory" : "file") : nil
        case .fdTypeChar:
            if let socket = e.socket { return Self.text(socket.typeChar) }
            return e.openFlags != nil ? Self.text(e.fileIsDirectory ? "d" : "f") : nil
        case .fdDirectory, .fdFilename:
            guard e.openFlags != nil, case .bytes(let bytes)? = e.pathValue else { return nil }
            guard let slash = bytes.lastIndex(of: UInt8(ascii: "/")) else { return field == .fdFilename ? .bytes(bytes) : .bytes([]) }
            if field == .fdFilename { return .bytes(Array(bytes[(slash + 1)...])) }
            return .bytes(slash == 0 ? [UInt8(ascii: "/")] : Array(bytes[..<slash]))
        case .fdCIP: return e.socket.flatMap { $0.isIP ? Self.ip($0.clientIP) : nil }
        case .fdSIP: return e.socket.flatMap { $0.isIP ? Self.ip($0.serverIP) : nil }
        case .fdLIP: return e.socket.flatMap { $0.isIP ? Self.ip($0.localIP) : nil }
        case .fdRIP: return e.socket.flatMap { $0.isIP ? Self.ip($0.remoteIP) : nil }
        case .fdCPort: return e.socket.flatMap { $0.isIP ? Self.number(Int64($0.clientPort), type) : nil }
        case .fdSPort: return e.socket.flatMap { $0.isIP ? Self.number(Int64($0.serverPort), type) : nil }
        case .fdLPort: return e.socket.flatMap { $0.isIP ? Self.number(Int64($0.localPort), type) : nil }
        case .fdRPort: return e.socket.flatMap { $0.isIP ? Self.number(Int64($0.remotePort), type) : nil }
        case .fdL4Proto: return e.socket.map { Self.text($0.isIP ? $0.l4proto : "<NA>") }
        case .fdSockFamily: return e.socket.map { Self.text($0.isIP ? "ip" : "unix") }
        case .fdIsServer: return e.socket.map { .bool($0.isServer) }
        case .fdConnected: return e.socket.map { .bool($0.isServer || e.result >= 0 || e.result == -115) }
        // Only sendto/sendmsg to a new address change a descriptor's name; the sensor watches neither.
        case .fdNameChanged: return e.socket.map { _ in .bool(false) }
        case .fdSIPName: return e.socket.flatMap { $0.isIP ? c.serverNames.name(of: $0.serverIP) : nil }.map(Self.text)

        case .containerID: return p.map { Self.text($0.container.id) }
        case .containerType: return p.map { Self.text($0.container.type) }
        default: return nil
        }
    }

    private static func containerValue(_ field: SensorField, _ identity: ContainerIdentity?, _ details: ContainerDetails?,
                                       _ type: FieldType) -> FieldValue? {
        guard let identity else { return nil }
        if identity.isHost {
            switch field {
            case .containerName: return text("host")
            case .containerPrivileged: return .bool(false)
            default: return nil
            }
        }
        guard let details else { return nil }
        switch field {
        case .containerName: return text(details.name)
        case .containerImage: return text(details.image)
        case .containerImageRepository: return text(details.imageRepository)
        case .containerImageTag: return text(details.imageTag)
        case .containerImageID: return text(details.imageID)
        case .containerPrivileged: return .bool(details.privileged)
        case .containerStartTs: return details.startNanos.map { number($0, type) }
        default: return nil
        }
    }

    private func parent(_ p: TrackedProcess?, _ c: FillContext) -> TrackedProcess? {
        p.flatMap { c.table.ancestor(of: $0, level: 1) }
    }

    /// One ancestor (level N; 0 is the process itself) or, without a level, all of them nearest
    /// first (Falco's `proc.aname` list).
    private func ancestors(_ p: TrackedProcess?, _ level: Int?, _ c: FillContext, _ value: (TrackedProcess) -> FieldValue) -> FieldValue? {
        guard let p else { return nil }
        if let level { return c.table.ancestor(of: p, level: level).map(value) }
        var list: [FieldValue] = []
        var current = p
        for _ in 0..<64 {
            guard let next = c.table.ancestor(of: current, level: 1) else { break }
            list.append(value(next))
            current = next
        }
        return list.isEmpty ? nil : .list(list)
    }
}
