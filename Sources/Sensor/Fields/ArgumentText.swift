/// `evt.arg.NAME` of the sensor's events, as Falco renders each argument.
enum ArgumentText {
    static func value(_ name: String, _ e: SensorEvent) -> String? {
        if let syscall = e.syscall { return syscallArgument(name, syscall, e) }
        return processArgument(name, e)
    }

    private static func syscallArgument(_ name: String, _ syscall: WatchedSyscall, _ e: SensorEvent) -> String? {
        if name == syscall.result {
            if name == "fd" { return descriptor(result: e) }
            return e.result < 0 ? ValueText.result(e.result) : String(e.result)
        }
        if name == syscall.path1 { return syscall.effect == .pathPair && name == "target" ? e.rawPath : e.path }
        if name == syscall.path2 { return e.path2 }
        if name == "tuple" || name == "addr", let socket = e.socket {
            if name == "addr" { return socket.isIP ? (socket.serverIP ?? "") + ":" + String(socket.serverPort) : socket.unixPath }
            return socket.name
        }
        for (index, number) in syscall.numbers.enumerated() {
            guard let number, number.name == name, let header = e.header else { continue }
            let raw = index == 0 ? header.arg.0 : index == 1 ? header.arg.1 : index == 2 ? header.arg.2 : header.arg.3
            switch number.format {
            case .decimal: return String(raw)
            case .descriptor:
                if name == "fd", let socket = e.socket { return socketDescriptor(socket) }
                return Int32(truncatingIfNeeded: raw) == -100 ? "AT_FDCWD" : String(Int32(truncatingIfNeeded: raw))
            case .openFlags: return ValueText.openFlags(syscall.name == "creat" ? ValueText.creatFlags : raw)
            case .octalMode: return ValueText.octal(raw)
            case .ptraceRequest: return ValueText.ptraceRequest(raw)
            case .socketDomain: return ValueText.socketDomain(raw)
            }
        }
        if name == "flags" && syscall.name == "creat" { return ValueText.openFlags(ValueText.creatFlags) }
        return nil
    }

    /// `<f>/etc/shadow` for a file, `<4t>1.2.3.4:5->6.7.8.9:80` for a socket, or the errno.
    private static func descriptor(result e: SensorEvent) -> String? {
        if e.result < 0 { return ValueText.result(e.result) }
        if e.syscall?.effect == .socket { return String(e.result) }
        if let socket = e.socket { return socketDescriptor(socket) }
        guard let path = e.path else { return String(e.result) }
        return (e.fileIsDirectory ? "<d>" : "<f>") + path
    }

    private static func socketDescriptor(_ socket: SocketView) -> String {
        guard socket.isIP else { return "<u>" + socket.name }
        let proto = socket.l4proto == "tcp" ? "t" : socket.l4proto == "udp" ? "u" : ""
        return "<" + socket.typeChar + proto + ">" + socket.name
    }

    private static func processArgument(_ name: String, _ e: SensorEvent) -> String? {
        guard let p = e.process else { return nil }
        switch (e.typeName, name) {
        case ("procexit", "status"): return String(e.result)
        case (_, "res"): return e.childPID.map(String.init) ?? (e.result < 0 ? ValueText.result(e.result) : String(e.result))
        case (_, "exe"): return p.exe
        case (_, "args"): return p.args.joined(separator: " ")
        case (_, "comm"): return p.name
        case (_, "cwd"): return p.cwd
        case (_, "tid"): return String(e.tid)
        case (_, "pid"): return String(p.pid)
        case (_, "ptid"): return String(p.ppid)
        case (_, "filename"): return e.execFilename
        case (_, "tty"): return String(p.tty)
        case (_, "loginuid"): return String(e.loginUID)
        case (_, "uid"): return String(e.euid)
        case (_, "gid"): return String(e.egid)
        default: return nil
        }
    }
}
