/// Numbers shown as Falco shows them: open flags, errno names, ptrace requests, capabilities.
enum ValueText {
    /// Linux's x86_64 open flags in Falco's display order (`O_TRUNC|O_CREAT|O_WRONLY`).
    private static let openFlagBits: [(String, Int64)] = [
        ("O_LARGEFILE", 0o100000), ("O_DIRECTORY", 0o200000), ("O_DIRECT", 0o40000), ("O_TRUNC", 0o1000),
        ("O_SYNC", 0o4000000), ("O_NONBLOCK", 0o4000), ("O_EXCL", 0o200), ("O_DSYNC", 0o10000), ("O_APPEND", 0o2000),
        ("O_CREAT", 0o100),
    ]
    static let writeOnly: Int64 = 1, readWrite: Int64 = 2, closeOnExec: Int64 = 0o2000000
    static let tmpFile: Int64 = 0o20000000, directory: Int64 = 0o200000
    static let creatFlags: Int64 = 0o100 | 1 | 0o1000

    static func openFlags(_ flags: Int64) -> String {
        var names: [String] = []
        for (name, bit) in openFlagBits where flags & bit != 0 { names.append(name) }
        switch flags & 3 {
        case readWrite: names.append("O_RDWR")
        case writeOnly: names.append("O_WRONLY")
        default: names.append("O_RDONLY")
        }
        if flags & closeOnExec != 0 { names.append("O_CLOEXEC") }
        if flags & tmpFile != 0 { names.append("O_TMPFILE") }
        return names.joined(separator: "|")
    }

    static func isOpenRead(_ flags: Int64) -> Bool { flags & 3 == 0 || flags & 3 == readWrite }
    static func isOpenWrite(_ flags: Int64) -> Bool { flags & 3 == writeOnly || flags & 3 == readWrite }

    private static let errnoNames: [Int: String] = [
        1: "EPERM", 2: "ENOENT", 3: "ESRCH", 4: "EINTR", 5: "EIO", 6: "ENXIO", 7: "E2BIG", 8: "ENOEXEC", 9: "EBADF", 10: "ECHILD",
        11: "EAGAIN", 12: "ENOMEM", 13: "EACCES", 14: "EFAULT", 15: "ENOTBLK", 16: "EBUSY", 17: "EEXIST", 18: "EXDEV", 19: "ENODEV",
        20: "ENOTDIR", 21: "EISDIR", 22: "EINVAL", 23: "ENFILE", 24: "EMFILE", 25: "ENOTTY", 26: "ETXTBSY", 27: "EFBIG", 28: "ENOSPC",
        29: "ESPIPE", 30: "EROFS", 31: "EMLINK", 32: "EPIPE", 33: "EDOM", 34: "ERANGE", 35: "EDEADLK", 36: "ENAMETOOLONG", 37: "ENOLCK",
        38: "ENOSYS", 39: "ENOTEMPTY", 40: "ELOOP", 42: "ENOMSG", 43: "EIDRM", 61: "ENODATA", 62: "ETIME", 71: "EPROTO",
        74: "EBADMSG", 75: "EOVERFLOW", 84: "EILSEQ", 88: "ENOTSOCK", 89: "EDESTADDRREQ", 90: "EMSGSIZE", 91: "EPROTOTYPE",
        92: "ENOPROTOOPT", 93: "EPROTONOSUPPORT", 94: "ESOCKTNOSUPPORT", 95: "EOPNOTSUPP", 96: "EPFNOSUPPORT", 97: "EAFNOSUPPORT",
        98: "EADDRINUSE", 99: "EADDRNOTAVAIL", 100: "ENETDOWN", 101: "ENETUNREACH", 102: "ENETRESET", 103: "ECONNABORTED",
        104: "ECONNRESET", 105: "ENOBUFS", 106: "EISCONN", 107: "ENOTCONN", 108: "ESHUTDOWN", 109: "ETOOMANYREFS", 110: "ETIMEDOUT",
        111: "ECONNREFUSED", 112: "EHOSTDOWN", 113: "EHOSTUNREACH", 114: "EALREADY", 115: "EINPROGRESS", 116: "ESTALE",
        122: "EDQUOT", 125: "ECANCELED", 126: "ENOKEY", 127: "EKEYEXPIRED", 128: "EKEYREVOKED", 129: "EKEYREJECTED",
        130: "EOWNERDEAD", 131: "ENOTRECOVERABLE", 132: "ERFKILL", 133: "EHWPOISON",
        512: "ERESTARTSYS", 513: "ERESTARTNOINTR", 514: "ERESTARTNOHAND", 515: "ENOIOCTLCMD", 516: "ERESTART_RESTARTBLOCK",
    ]

    /// `evt.res`: SUCCESS, or the errno's name for a negative result.
    static func result(_ res: Int64) -> String {
        guard res < 0 else { return "SUCCESS" }
        let code = res == Int64.min ? 0 : Int(-res)
        return errnoNames[code] ?? String(res)
    }

    private static let ptraceRequests: [Int64: String] = [
        0: "PTRACE_TRACEME", 1: "PTRACE_PEEKTEXT", 2: "PTRACE_PEEKDATA", 3: "PTRACE_PEEKUSR", 4: "PTRACE_POKETEXT",
        5: "PTRACE_POKEDATA", 6: "PTRACE_POKEUSR", 7: "PTRACE_CONT", 8: "PTRACE_KILL", 9: "PTRACE_SINGLESTEP",
        12: "PTRACE_GETREGS", 13: "PTRACE_SETREGS", 14: "PTRACE_GETFPREGS", 15: "PTRACE_SETFPREGS", 16: "PTRACE_ATTACH",
        17: "PTRACE_DETACH", 18: "PTRACE_GETFPXREGS", 19: "PTRACE_SETFPXREGS", 24: "PTRACE_SYSCALL", 25: "PTRACE_GET_THREAD_AREA",
        26: "PTRACE_SET_THREAD_AREA", 30: "PTRACE_ARCH_PRCTL", 31: "PTRACE_SYSEMU", 32: "PTRACE_SYSEMU_SINGLESTEP",
        33: "PTRACE_SINGLEBLOCK", 0x4200: "PTRACE_SETOPTIONS", 0x4201: "PTRACE_GETEVENTMSG", 0x4202: "PTRACE_GETSIGINFO",
        0x4203: "PTRACE_SETSIGINFO", 0x4204: "PTRACE_GETREGSET", 0x4205: "PTRACE_SETREGSET", 0x4206: "PTRACE_SEIZE",
        0x4207: "PTRACE_INTERRUPT", 0x4208: "PTRACE_LISTEN", 0x4209: "PTRACE_PEEKSIGINFO", 0x420a: "PTRACE_GETSIGMASK",
        0x420b: "PTRACE_SETSIGMASK",
    ]

    static func ptraceRequest(_ request: Int64) -> String { ptraceRequests[request] ?? "PTRACE_UNKNOWN" }

    private static let capabilityNames = [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_SETGID", "CAP_SETUID",
        "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW",
        "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT",
        "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD",
        "CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG",
        "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE",
    ]

    /// `thread.cap_effective`: the capability names, space separated.
    static func capabilities(_ mask: UInt64) -> String {
        var names: [String] = []
        for (bit, name) in capabilityNames.enumerated() where mask & (1 << UInt64(bit)) != 0 { names.append(name) }
        return names.joined(separator: " ")
    }

    private static let socketDomains: [Int64: String] = [
        0: "AF_UNSPEC", 1: "AF_LOCAL", 2: "AF_INET", 3: "AF_AX25", 4: "AF_IPX", 5: "AF_APPLETALK", 6: "AF_NETROM", 7: "AF_BRIDGE",
        8: "AF_ATMPVC", 9: "AF_X25", 10: "AF_INET6", 11: "AF_ROSE", 12: "AF_DECnet", 13: "AF_NETBEUI", 14: "AF_SECURITY",
        15: "AF_KEY", 16: "AF_NETLINK", 17: "AF_PACKET", 18: "AF_ASH", 19: "AF_ECONET", 20: "AF_ATMSVC", 21: "AF_RDS", 22: "AF_SNA",
        23: "AF_IRDA", 24: "AF_PPPOX", 25: "AF_WANPIPE", 26: "AF_LLC", 27: "AF_IB", 28: "AF_MPLS", 29: "AF_CAN", 30: "AF_TIPC",
        31: "AF_BLUETOOTH", 32: "AF_IUCV", 33: "AF_RXRPC", 34: "AF_ISDN", 35: "AF_PHONET", 36: "AF_IEEE802154", 37: "AF_CAIF",
        38: "AF_ALG", 39: "AF_NFC", 40: "AF_VSOCK", 41: "AF_KCM", 42: "AF_QIPCRTR", 43: "AF_SMC", 44: "AF_XDP", 45: "AF_MCTP",
    ]

    /// `evt.arg.domain` of socket(): `AF_INET`, `AF_PACKET` (Falco calls AF_UNIX `AF_LOCAL`).
    static func socketDomain(_ domain: Int64) -> String { socketDomains[domain] ?? String(domain) }

    static func octal(_ value: Int64) -> String { "0" + String(value, radix: 8) }

    /// `HH:MM:SS.nnnnnnnnn` in UTC, as `evt.time` shows.
    static func timeOfDay(_ nanos: Int64) -> String {
        var seconds = nanos / 1_000_000_000, fraction = nanos % 1_000_000_000
        if fraction < 0 { seconds -= 1; fraction += 1_000_000_000 }
        let day = ((seconds % 86_400) + 86_400) % 86_400
        func pad(_ v: Int64, _ n: Int) -> String { let s = String(v); return String(repeating: "0", count: max(0, n - s.count)) + s }
        return pad(day / 3600, 2) + ":" + pad(day / 60 % 60, 2) + ":" + pad(day % 60, 2) + "." + pad(fraction, 9)
    }
}
