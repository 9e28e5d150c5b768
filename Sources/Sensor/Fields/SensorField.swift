/// A field the sensor fills, named as the engine names its slot (`proc.aname[2]`,
/// `evt.arg.flags`). Anything not listed here the sensor cannot fill: rules whose conditions
/// read such a field are reported and skipped (Falco's skip-if-unknown-filter).
enum SensorField: Hashable, Sendable {
    case evtNum, evtTime, evtRawTime, evtType, evtDir, evtRes, evtRawRes, evtFailed, evtCategory, evtHostname
    case evtIsOpenRead, evtIsOpenWrite, evtIsOpenExec
    case evtArg(String)
    case procPid, procPpid, procName, procExe, procExePath, procExeline, procCmdline, procArgs, procCwd, procTty
    case procPName, procPExe, procPExePath, procPCmdline, procDuration, procPPidDuration
    case procIsExeFromMemfd, procIsExeUpperLayer, procIsHealthcheck, procIsLivenessProbe, procIsReadinessProbe
    /// `proc.aname` and friends: nil is the whole ancestor list, N the N-th ancestor.
    case ancestorName(Int?), ancestorPid(Int?), ancestorExe(Int?), ancestorExePath(Int?), ancestorCmdline(Int?)
    case threadTid, threadCapEffective
    case userUID, userName, userLoginUID, userLoginName, groupGID, groupName
    case fdNum, fdName, fdNameRaw, fdType, fdTypeChar, fdDirectory, fdFilename
    case fdCIP, fdSIP, fdLIP, fdRIP, fdCPort, fdSPort, fdLPort, fdRPort, fdL4Proto, fdSockFamily, fdIsServer, fdConnected
    case fdSIPName, fdNameChanged
    case containerID, containerName, containerImage, containerImageRepository, containerImageTag, containerImageID
    case containerType, containerPrivileged, containerStartTs

    private static let plain: [String: SensorField] = [
        "evt.num": .evtNum, "evt.time": .evtTime, "evt.rawtime": .evtRawTime, "evt.type": .evtType, "syscall.type": .evtType,
        "evt.dir": .evtDir, "evt.res": .evtRes, "evt.rawres": .evtRawRes, "evt.failed": .evtFailed, "evt.category": .evtCategory,
        "evt.hostname": .evtHostname, "evt.is_open_read": .evtIsOpenRead, "evt.is_open_write": .evtIsOpenWrite,
        "evt.is_open_exec": .evtIsOpenExec,
        "proc.pid": .procPid, "proc.ppid": .procPpid, "proc.name": .procName, "proc.exe": .procExe, "proc.exepath": .procExePath,
        "proc.exeline": .procExeline, "proc.cmdline": .procCmdline, "proc.args": .procArgs, "proc.cwd": .procCwd,
        "proc.tty": .procTty, "proc.pname": .procPName, "proc.pexe": .procPExe, "proc.pexepath": .procPExePath,
        "proc.pcmdline": .procPCmdline, "proc.duration": .procDuration, "proc.ppid.duration": .procPPidDuration,
        "proc.is_exe_from_memfd": .procIsExeFromMemfd, "proc.is_exe_upper_layer": .procIsExeUpperLayer,
        "proc.is_container_healthcheck": .procIsHealthcheck, "proc.is_container_liveness_probe": .procIsLivenessProbe,
        "proc.is_container_readiness_probe": .procIsReadinessProbe,
        "thread.tid": .threadTid, "thread.cap_effective": .threadCapEffective,
        "user.uid": .userUID, "user.name": .userName, "user.loginuid": .userLoginUID, "user.loginname": .userLoginName,
        "group.gid": .groupGID, "group.name": .groupName,
        "fd.num": .fdNum, "fd.name": .fdName, "fd.nameraw": .fdNameRaw, "fd.type": .fdType, "fd.typechar": .fdTypeChar,
        "fd.directory": .fdDirectory, "fd.filename": .fdFilename, "fd.cip": .fdCIP, "fd.sip": .fdSIP, "fd.lip": .fdLIP,
        "fd.rip": .fdRIP, "fd.cport": .fdCPort, "fd.sport": .fdSPort, "fd.lport": .fdLPort, "fd.rport": .fdRPort,
        "fd.l4proto": .fdL4Proto, "fd.sockfamily": .fdSockFamily, "fd.is_server": .fdIsServer, "fd.connected": .fdConnected,
        "fd.sip.name": .fdSIPName, "fd.name_changed": .fdNameChanged,
        "container.id": .containerID, "container.name": .containerName, "container.image": .containerImage,
        "container.image.repository": .containerImageRepository, "container.image.tag": .containerImageTag,
        "container.image.id": .containerImageID, "container.type": .containerType, "container.privileged": .containerPrivileged,
        "container.start_ts": .containerStartTs,
    ]

    private static let ancestors: [String: @Sendable (Int?) -> SensorField] = [
        "proc.aname": { .ancestorName($0) }, "proc.apid": { .ancestorPid($0) }, "proc.aexe": { .ancestorExe($0) },
        "proc.aexepath": { .ancestorExePath($0) }, "proc.acmdline": { .ancestorCmdline($0) },
    ]

    /// The field behind an engine slot key, or nil when the sensor cannot fill it.
    static func from(slotKey key: String) -> SensorField? {
        if let field = plain[key] { return field }
        if key.hasPrefix("evt.arg.") {
            let name = String(key.dropFirst("evt.arg.".count))
            return ArgumentCatalog.names.contains(name) ? .evtArg(name) : nil
        }
        if let open = key.firstIndex(of: "["), key.hasSuffix("]"), let make = ancestors[String(key[..<open])] {
            guard let level = Int(key[key.index(after: open)..<key.index(before: key.endIndex)]), level >= 0 else { return nil }
            return make(level)
        }
        if let make = ancestors[key] { return make(nil) }
        return nil
    }
}

/// The `evt.arg` names the sensor's events carry (the watched syscalls' arguments, and the
/// arguments of the process events).
enum ArgumentCatalog {
    static let processArguments: Set<String> = ["res", "exe", "args", "tid", "pid", "ptid", "cwd", "comm", "filename", "status", "tty", "loginuid", "uid", "gid"]
    static let socketArguments: Set<String> = ["tuple", "fd", "addr"]

    static let names: Set<String> = {
        var names = processArguments.union(socketArguments)
        for syscall in SyscallTable.all {
            names.insert(syscall.result)
            if let p = syscall.path1 { names.insert(p) }
            if let p = syscall.path2 { names.insert(p) }
            for n in syscall.numbers { if let n { names.insert(n.name) } }
        }
        return names
    }()
}
