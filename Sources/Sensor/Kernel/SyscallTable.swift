import CSensor

/// What a watched syscall means for the fields the sensor fills.
enum SyscallEffect: Sendable {
    case open          // a file opened: fd.* from the result and the path
    case path          // one path acted on (unlink, mkdir, chmod...)
    case pathPair      // two paths (rename, link, symlink)
    case descriptorPath // a descriptor's file (fchmod, fchdir)
    case chdir         // the working directory changes (chdir, fchdir)
    case socket        // a socket created (its domain, type, protocol)
    case connect
    case accept
    case ids           // set*id
    case ptrace
    case module        // a kernel module loaded (init_module, finit_module)
    case execFailed    // execve/execveat that failed (successes are process records)
}

/// How a numeric argument is shown as `evt.arg.NAME` (Falco's rendering).
enum ArgFormat: Sendable {
    case decimal, descriptor, openFlags, octalMode, ptraceRequest, socketDomain
}

/// One syscall the sensor can watch: its number on x86_64, Falco's event name, the kernel
/// handler and argument layout, and the names of what the record carries.
struct WatchedSyscall: Sendable {
    let number: Int
    /// `evt.type`.
    let name: String
    let effect: SyscallEffect
    let handler: UInt32
    let layout: tsr_syscall_layout
    /// `record.arg[i]`: its `evt.arg` name and format (nil: unused).
    let numbers: [(name: String, format: ArgFormat)?]
    /// `evt.arg` names of the record's first and second path.
    let path1: String?
    let path2: String?
    /// `evt.arg` name of the return value ("res", or "fd" for calls returning one).
    let result: String
}

/// The x86_64 syscalls the sensor knows how to read (numbers from the kernel's
/// arch/x86/entry/syscalls/syscall_64.tbl).
enum SyscallTable {
    typealias Number = (name: String, format: ArgFormat)?

    static func layout(path1: Int8 = -1, dirfd1: Int8 = -1, path2: Int8 = -1, dirfd2: Int8 = -1, fd: Int8 = -1,
                       addr: Int8 = -1, addrlen: Int8 = -1, flags: Int8 = -1, num: [Int8] = [], options: Int32 = 0) -> tsr_syscall_layout {
        var n: [Int8] = num + Array(repeating: -1, count: 4 - num.count)
        n = Array(n.prefix(4))
        return tsr_syscall_layout(path1: path1, dirfd1: dirfd1, path2: path2, dirfd2: dirfd2, fd: fd, addr: addr, addrlen: addrlen,
                                  flags: flags, num: (n[0], n[1], n[2], n[3]), options: UInt32(options))
    }

    private static func entry(_ number: Int, _ name: String, _ effect: SyscallEffect, _ handler: Int32, _ layout: tsr_syscall_layout,
                              numbers: [Number] = [], path1: String? = nil, path2: String? = nil, result: String = "res") -> WatchedSyscall {
        WatchedSyscall(number: number, name: name, effect: effect, handler: UInt32(handler), layout: layout,
                       numbers: numbers + Array(repeating: nil, count: max(0, 4 - numbers.count)), path1: path1, path2: path2, result: result)
    }

    // The open family keeps arg[0] = dirfd, arg[1] = flags, arg[2] = mode.
    private static let openNumbers: [Number] = [("dirfd", .descriptor), ("flags", .openFlags), ("mode", .decimal)]
    private static let path = Int32(TSR_H_PATH.rawValue), socket = Int32(TSR_H_SOCKET.rawValue), args = Int32(TSR_H_ARGS.rawValue)

    static let all: [WatchedSyscall] = [
        entry(2, "open", .open, path, layout(path1: 0, num: [-1, 1, 2]), numbers: [nil, ("flags", .openFlags), ("mode", .decimal)], path1: "name", result: "fd"),
        entry(85, "creat", .open, path, layout(path1: 0, num: [-1, -1, 1]), numbers: [nil, nil, ("mode", .decimal)], path1: "name", result: "fd"),
        entry(257, "openat", .open, path, layout(path1: 1, dirfd1: 0, num: [0, 2, 3]), numbers: openNumbers, path1: "name", result: "fd"),
        entry(437, "openat2", .open, path, layout(path1: 1, dirfd1: 0, flags: 2, num: [0], options: Int32(TSR_L_OPEN_HOW)),
              numbers: openNumbers, path1: "name", result: "fd"),
        entry(87, "unlink", .path, path, layout(path1: 0), path1: "path"),
        entry(263, "unlinkat", .path, path, layout(path1: 1, dirfd1: 0, num: [0, 2]), numbers: [("dirfd", .descriptor), ("flags", .decimal)], path1: "name"),
        entry(84, "rmdir", .path, path, layout(path1: 0), path1: "path"),
        entry(83, "mkdir", .path, path, layout(path1: 0, num: [-1, -1, 1]), numbers: [nil, nil, ("mode", .octalMode)], path1: "path"),
        entry(258, "mkdirat", .path, path, layout(path1: 1, dirfd1: 0, num: [0, -1, 2]), numbers: [("dirfd", .descriptor), nil, ("mode", .octalMode)], path1: "path"),
        entry(90, "chmod", .path, path, layout(path1: 0, num: [-1, -1, 1]), numbers: [nil, nil, ("mode", .octalMode)], path1: "filename"),
        entry(268, "fchmodat", .path, path, layout(path1: 1, dirfd1: 0, num: [0, -1, 2]), numbers: [("dirfd", .descriptor), nil, ("mode", .octalMode)], path1: "filename"),
        entry(452, "fchmodat2", .path, path, layout(path1: 1, dirfd1: 0, num: [0, 3, 2]), numbers: [("dirfd", .descriptor), ("flags", .decimal), ("mode", .octalMode)], path1: "filename"),
        entry(91, "fchmod", .descriptorPath, path, layout(fd: 0, num: [-1, -1, 1, 0]), numbers: [nil, nil, ("mode", .octalMode), ("fd", .descriptor)]),
        entry(80, "chdir", .chdir, path, layout(path1: 0), path1: "path"),
        entry(81, "fchdir", .chdir, path, layout(fd: 0, num: [-1, -1, -1, 0]), numbers: [nil, nil, nil, ("fd", .descriptor)]),
        entry(82, "rename", .pathPair, path, layout(path1: 0, path2: 1), path1: "oldpath", path2: "newpath"),
        entry(264, "renameat", .pathPair, path, layout(path1: 1, dirfd1: 0, path2: 3, dirfd2: 2, num: [0, -1, -1, 2]),
              numbers: [("olddirfd", .descriptor), nil, nil, ("newdirfd", .descriptor)], path1: "oldpath", path2: "newpath"),
        entry(316, "renameat2", .pathPair, path, layout(path1: 1, dirfd1: 0, path2: 3, dirfd2: 2, num: [0, 4, -1, 2]),
              numbers: [("olddirfd", .descriptor), ("flags", .decimal), nil, ("newdirfd", .descriptor)], path1: "oldpath", path2: "newpath"),
        entry(86, "link", .pathPair, path, layout(path1: 0, path2: 1), path1: "oldpath", path2: "newpath"),
        entry(265, "linkat", .pathPair, path, layout(path1: 1, dirfd1: 0, path2: 3, dirfd2: 2, num: [0, 4, -1, 2]),
              numbers: [("olddir", .descriptor), ("flags", .decimal), nil, ("newdir", .descriptor)], path1: "oldpath", path2: "newpath"),
        entry(88, "symlink", .pathPair, path, layout(path1: 0, path2: 1, options: Int32(TSR_L_PATH1_RAW)), path1: "target", path2: "linkpath"),
        entry(266, "symlinkat", .pathPair, path, layout(path1: 0, path2: 2, dirfd2: 1, num: [-1, -1, -1, 1], options: Int32(TSR_L_PATH1_RAW)),
              numbers: [nil, nil, nil, ("linkdirfd", .descriptor)], path1: "target", path2: "linkpath"),
        entry(59, "execve", .execFailed, path, layout(path1: 0, options: Int32(TSR_L_SKIP_SUCCESS)), path1: "filename"),
        entry(322, "execveat", .execFailed, path, layout(path1: 1, dirfd1: 0, num: [0], options: Int32(TSR_L_SKIP_SUCCESS)),
              numbers: [("dirfd", .descriptor)], path1: "filename"),
        entry(41, "socket", .socket, args, layout(num: [0, 1, 2]), numbers: [("domain", .socketDomain), ("type", .decimal), ("proto", .decimal)],
              result: "fd"),
        entry(42, "connect", .connect, socket, layout(fd: 0, addr: 1, addrlen: 2), numbers: [("fd", .descriptor)]),
        entry(43, "accept", .accept, socket, layout(options: Int32(TSR_L_FD_IS_RESULT)), result: "fd"),
        entry(288, "accept4", .accept, socket, layout(num: [-1, 3], options: Int32(TSR_L_FD_IS_RESULT)), numbers: [nil, ("flags", .decimal)], result: "fd"),
        entry(105, "setuid", .ids, args, layout(num: [0]), numbers: [("uid", .decimal)]),
        entry(106, "setgid", .ids, args, layout(num: [0]), numbers: [("gid", .decimal)]),
        entry(113, "setreuid", .ids, args, layout(num: [0, 1]), numbers: [("ruid", .decimal), ("euid", .decimal)]),
        entry(114, "setregid", .ids, args, layout(num: [0, 1]), numbers: [("rgid", .decimal), ("egid", .decimal)]),
        entry(117, "setresuid", .ids, args, layout(num: [0, 1, 2]), numbers: [("ruid", .decimal), ("euid", .decimal), ("suid", .decimal)]),
        entry(119, "setresgid", .ids, args, layout(num: [0, 1, 2]), numbers: [("rgid", .decimal), ("egid", .decimal), ("sgid", .decimal)]),
        entry(175, "init_module", .module, args, layout(num: [1]), numbers: [("length", .decimal)]),
        entry(313, "finit_module", .module, args, layout(num: [0, 2]), numbers: [("fd", .descriptor), ("flags", .decimal)]),
        entry(101, "ptrace", .ptrace, args, layout(num: [0, 1, 2, 3]),
              numbers: [("request", .ptraceRequest), ("pid", .decimal), ("addr", .decimal), ("data", .decimal)]),
    ]

    static let byNumber: [Int: WatchedSyscall] = Dictionary(uniqueKeysWithValues: all.map { ($0.number, $0) })
    static let byName: [String: WatchedSyscall] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })

    /// Names of the process-creating syscalls, for fork records (the child's parent was in one).
    static let forkNames: [Int: String] = [56: "clone", 57: "fork", 58: "vfork", 435: "clone3"]

    /// Event names the sensor produces from the scheduler's tracepoints, whatever the rules.
    static let processEventNames = ["execve", "execveat", "clone", "fork", "vfork", "clone3", "procexit"]
}
