#if canImport(Glibc)
import Glibc
#endif
import CSensor
import RuleEngine
import TradsecCore

/// An alert the sensor raised: Falco's JSON line, and what a caller filters on without parsing it.
public struct SensorAlert: Sendable {
    public var rule: String
    public var priority: Priority
    /// Falco's JSON alert (`json_output`), one line without its newline.
    public var line: String
}

/// Turns kernel records into process-table updates and engine events, and events into alerts.
/// Runs on the sensor's one consumer thread, in the order the kernel wrote the records.
final class SensorPipeline {
    let matcher: RuleMatcher
    let filler: FieldFiller
    let formatter: AlertFormatter
    let table: ProcessTable
    let accounts: AccountNames
    let containers: ContainerDirectory
    let serverNames: ServerNames
    private let event: Event
    private let hostname: FieldValue
    private let selfPID: Int64
    /// Event names with at least one active rule: other events only update the process table.
    private let evaluated: Set<String>
    private var matches: [Int] = []
    private(set) var clock = SensorClock()
    private var lastMaintenance = Monotonic.seconds()
    private var now = Monotonic.seconds()
    /// Where alerts go; set before the consumer thread starts.
    var emit: (SensorAlert) -> Void = { _ in }

    // Counters (read by the owner after each drain).
    private(set) var received: UInt64 = 0
    private(set) var malformed: UInt64 = 0
    private(set) var evaluatedEvents: UInt64 = 0
    private(set) var alerts: UInt64 = 0
    private var eventNumber: UInt64 = 0

    init(engine: RulesEngine, conditionSlotKeys: Set<String>?, table: ProcessTable, containers: ContainerDirectory,
         serverNames: ServerNames, hostname: String?) {
        let matcher = engine.makeMatcher()
        self.matcher = matcher
        filler = FieldFiller(slots: engine.slots, conditionKeys: conditionSlotKeys)
        formatter = AlertFormatter(hostname: hostname)
        self.table = table
        accounts = AccountNames()
        self.containers = containers
        self.serverNames = serverNames
        event = Event(slotCount: engine.slots.count)
        self.hostname = .bytes(Array(formatter.hostname.utf8))
        selfPID = Int64(getpid())
        let names = CoverageAnalysis.producedEvents
        evaluated = Set(names.filter { name in (0..<matcher.ruleCount).contains { matcher.rule(at: $0).canMatch(eventType: name) } })
    }

    /// Called every few thousand records, so counters read during a long drain stay fresh.
    var progress: () -> Void = {}

    /// One record from the ring buffer.
    func handle(_ data: UnsafeRawPointer, size: Int) {
        received &+= 1
        if received & 2047 == 0 { progress() }
        guard let record = KernelRecord(data, size: size) else { malformed &+= 1; return }
        switch Int32(record.kind) {
        case Int32(TSR_KIND_EXEC.rawValue): exec(record)
        case Int32(TSR_KIND_FORK.rawValue): fork(record)
        case Int32(TSR_KIND_EXIT.rawValue): exit(record)
        case Int32(TSR_KIND_SYSCALL.rawValue): syscall(record)
        default: malformed &+= 1
        }
    }

    /// Once per drain: the clock offset, dead processes whose exit was lost.
    func maintain() {
        now = Monotonic.seconds()
        guard now - lastMaintenance >= 30 else { return }
        lastMaintenance = now
        clock.refresh()
        table.sweep()
    }

    func seedTable() { table.seed(clock: clock) }

    // MARK: - Records

    private func base(_ record: KernelRecord, _ name: String) -> SensorEvent {
        let h = record.header
        var e = SensorEvent(typeName: name, typeID: matcher.eventTypeIDs[name] ?? -1)
        e.nanos = clock.epoch(bootNanos: h.ts)
        e.tid = Int64(h.tid)
        e.euid = h.euid
        e.egid = h.egid
        e.loginUID = h.loginuid == UInt32.max ? -1 : Int64(h.loginuid)
        e.capEffective = h.cap_effective
        e.header = h
        e.result = h.res
        return e
    }

    private func containerOf(_ record: KernelRecord, inherited: ContainerIdentity?) -> ContainerIdentity {
        let slot = Int(TSR_EXEC_CGROUP.rawValue)
        guard record.has(slot) else { return inherited ?? .host }
        let components = record.text(slot).split(separator: "\u{0}", omittingEmptySubsequences: true)
        return ContainerIdentity.from(cgroupComponents: components)
    }

    private func exec(_ record: KernelRecord) {
        let h = record.header
        let pid = Int64(h.tgid)
        let previous = table.processes[pid]
        let argv = record.arguments(Int(TSR_EXEC_ARGS.rawValue))
        let comm = record.text(Int(TSR_EXEC_COMM.rawValue))
        let filename = record.text(Int(TSR_EXEC_FILENAME.rawValue))
        let container = containerOf(record, inherited: previous?.container)
        var e = base(record, Int(h.nr) == 322 ? "execveat" : "execve")
        let exePath = record.kernelPath(Int(TSR_EXEC_EXEPATH.rawValue))
            ?? PathText.resolve(filename, against: previous?.cwd)
        let cwd = record.kernelPath(Int(TSR_EXEC_CWD.rawValue)) ?? previous?.cwd ?? ""
        let parent = table.processes[Int64(h.ppid)]
        var healthcheck = parent?.isHealthcheck ?? false
        if !container.isHost, !healthcheck, let details = containers.details(container, now: now), !details.healthcheck.isEmpty {
            healthcheck = argv == details.healthcheck || (argv.count == details.healthcheck.count && argv.dropFirst() == details.healthcheck.dropFirst())
        }
        let process = TrackedProcess(
            pid: pid, ppid: Int64(h.ppid), name: comm.isEmpty ? PathText.split(filename).file : comm,
            exe: argv.first ?? filename, args: Array(argv.dropFirst()), exePath: exePath, cwd: cwd, tty: h.tty,
            loginUID: e.loginUID, startNanos: previous?.startNanos ?? e.nanos,
            exeFromMemfd: h.flags & UInt32(TSR_F_EXE_MEMFD) != 0, exeUpperLayer: h.flags & UInt32(TSR_F_EXE_UPPER) != 0,
            container: container, isHealthcheck: healthcheck)
        table.replace(process)
        e.process = process
        e.category = "process"
        e.execFilename = filename
        evaluate(&e)
    }

    private func fork(_ record: KernelRecord) {
        let h = record.header
        let child = Int64(h.tgid)
        let parentPID = Int64(record.argument(0))
        guard let parent = table.lookup(parentPID, clock: clock) else {
            // The parent is gone already: the child is read from /proc if it still runs.
            _ = table.lookup(child, clock: clock)
            return
        }
        let comm = record.text(Int(TSR_FORK_COMM.rawValue))
        let container = containerOf(record, inherited: parent.container)
        var e = base(record, SyscallTable.forkNames[Int(h.nr)] ?? "clone")
        table.replace(parent.forked(pid: child, ppid: Int64(h.ppid), startNanos: e.nanos, name: comm.isEmpty ? nil : comm, container: container))
        // Falco's clone event is the parent's: its result is the child's pid.
        e.process = parent
        e.tid = parentPID
        e.result = child
        e.childPID = child
        e.category = "process"
        guard parentPID != selfPID else { return }
        evaluate(&e)
    }

    private func exit(_ record: KernelRecord) {
        let pid = Int64(record.header.tgid)
        var e = base(record, "procexit")
        e.process = table.processes[pid]
        e.isEnter = true
        e.hasResult = false
        e.category = "process"
        if e.process != nil { evaluate(&e) }
        table.remove(pid)
    }

    private func syscall(_ record: KernelRecord) {
        let h = record.header
        guard let syscall = SyscallTable.byNumber[Int(h.nr)] else { malformed &+= 1; return }
        var e = base(record, syscall.name)
        e.syscall = syscall
        e.process = table.lookup(Int64(h.tgid), clock: clock)
        let path1 = record.text(Int(TSR_PATH_1.rawValue))
        let base1 = record.kernelPath(Int(TSR_PATH_1_BASE.rawValue))
        switch syscall.effect {
        case .open:
            e.category = "file"
            e.rawPath = path1
            e.path = PathText.resolve(path1, against: base1)
            var flags = record.argument(1)
            if syscall.name == "creat" { flags = ValueText.creatFlags }
            e.openFlags = flags
            e.fileIsDirectory = flags & ValueText.directory != 0 && flags & ValueText.tmpFile != ValueText.tmpFile
        case .path, .execFailed:
            e.category = syscall.effect == .execFailed ? "process" : "file"
            e.rawPath = path1
            e.path = PathText.resolve(path1, against: base1)
            if syscall.effect == .execFailed { e.execFilename = path1 }
        case .pathPair:
            e.category = "file"
            e.rawPath = path1
            e.path = syscall.name.hasPrefix("symlink") ? path1 : PathText.resolve(path1, against: base1)
            let path2 = record.text(Int(TSR_PATH_2.rawValue))
            e.path2 = PathText.resolve(path2, against: record.kernelPath(Int(TSR_PATH_2_BASE.rawValue)))
        case .descriptorPath:
            e.category = "file"
            e.path = base1
        case .chdir:
            e.category = "file"
            let target = syscall.name == "fchdir" ? base1 : PathText.resolve(path1, against: base1)
            e.path = target
            if h.res == 0, let target, let process = e.process { process.changeDirectory(target) }
        case .connect, .accept:
            e.category = "net"
            let unixPath = record.has(Int(TSR_SOCK_UNIX_PATH.rawValue)) ? record.text(Int(TSR_SOCK_UNIX_PATH.rawValue)) : nil
            if h.sock.family != 0 { e.socket = SocketView(h.sock, flags: h.flags, unixPath: unixPath, isServer: syscall.effect == .accept) }
        case .ids, .ptrace, .module:
            e.category = "process"
        case .socket:
            e.category = "net"
        }
        evaluate(&e)
    }

    // MARK: - Rules

    private func evaluate(_ e: inout SensorEvent) {
        guard evaluated.contains(e.typeName) else { return }
        eventNumber &+= 1
        e.number = eventNumber
        evaluatedEvents &+= 1
        event.reset(source: "syscall")
        event.eventTypeID = e.typeID
        event.number = e.number
        event.rawTime = e.nanos
        event.isEnter = e.isEnter
        let context = FillContext(table: table, accounts: accounts, containers: containers, serverNames: serverNames,
                                  hostname: hostname, now: now)
        filler.fill(event, from: e, context: context, phase: .condition)
        if matcher.isDroppedEnterEvent(event) { return }
        matcher.match(event, matching: .first, into: &matches)
        guard !matches.isEmpty else { return }
        filler.fill(event, from: e, context: context, phase: .output)
        for index in matches {
            let rule = matcher.rule(at: index)
            alerts &+= 1
            emit(SensorAlert(rule: rule.name, priority: rule.priority, line: formatter.line(for: rule, event: event)))
        }
    }
}
