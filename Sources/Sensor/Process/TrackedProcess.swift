import RuleEngine

/// What the sensor knows of one process (a thread group), with the field values the rules read
/// most built once per exec instead of once per event.
final class TrackedProcess {
    let pid: Int64
    var ppid: Int64
    /// `proc.name`: the kernel's command name (comm, at most 15 bytes).
    let name: String
    /// `argv[0]`, then the other arguments.
    let exe: String
    let args: [String]
    /// The executable's full path, as the process's own root sees it.
    let exePath: String
    var cwd: String
    let tty: UInt32
    let loginUID: Int64
    /// When the process started (or exec'd), nanoseconds since the epoch.
    let startNanos: Int64
    let exeFromMemfd: Bool
    let exeUpperLayer: Bool
    let container: ContainerIdentity
    /// Started by the container engine's health check (or a child of one).
    let isHealthcheck: Bool

    init(pid: Int64, ppid: Int64, name: String, exe: String, args: [String], exePath: String, cwd: String, tty: UInt32,
         loginUID: Int64, startNanos: Int64, exeFromMemfd: Bool = false, exeUpperLayer: Bool = false, container: ContainerIdentity,
         isHealthcheck: Bool = false) {
        self.pid = pid
        self.ppid = ppid
        self.name = name
        self.exe = exe
        self.args = args
        self.exePath = exePath
        self.cwd = cwd
        self.tty = tty
        self.loginUID = loginUID
        self.startNanos = startNanos
        self.exeFromMemfd = exeFromMemfd
        self.exeUpperLayer = exeUpperLayer
        self.container = container
        self.isHealthcheck = isHealthcheck
    }

    /// The same process after fork: a new pid, everything else inherited.
    func forked(pid: Int64, ppid: Int64, startNanos: Int64, name: String?, container: ContainerIdentity?) -> TrackedProcess {
        TrackedProcess(pid: pid, ppid: ppid, name: name ?? self.name, exe: exe, args: args, exePath: exePath, cwd: cwd, tty: tty,
                       loginUID: loginUID, startNanos: startNanos, exeFromMemfd: exeFromMemfd, exeUpperLayer: exeUpperLayer,
                       container: container ?? self.container, isHealthcheck: isHealthcheck)
    }

    // Field values, built on first use.
    lazy var nameValue: FieldValue = .bytes(Array(name.utf8))
    lazy var exeValue: FieldValue = .bytes(Array(exe.utf8))
    lazy var exePathValue: FieldValue = .bytes(Array(exePath.utf8))
    /// `proc.args`: the arguments after argv[0], joined by spaces.
    lazy var argsValue: FieldValue = .bytes(Array(args.joined(separator: " ").utf8))
    /// `proc.cmdline`: the name, then the arguments (Falco: comm, not argv[0]).
    lazy var cmdlineValue: FieldValue = .bytes(Array((args.isEmpty ? name : name + " " + args.joined(separator: " ")).utf8))
    /// `proc.exeline`: argv[0], then the arguments.
    lazy var exelineValue: FieldValue = .bytes(Array((args.isEmpty ? exe : exe + " " + args.joined(separator: " ")).utf8))
    private var cachedCwd: FieldValue?
    var cwdValue: FieldValue {
        if let cachedCwd { return cachedCwd }
        let value = FieldValue.bytes(Array(cwd.utf8))
        cachedCwd = value
        return value
    }

    func changeDirectory(_ path: String) {
        cwd = path
        cachedCwd = nil
    }
}
