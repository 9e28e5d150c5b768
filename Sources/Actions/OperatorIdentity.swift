#if canImport(Glibc)
import Glibc
#endif
import AlertStore
import TradsecCore

/// Who is at the keyboard: the effective user, the sudo user behind it, the SSH client.
/// Read from the process (not from flags) so an audit row cannot be told a different story.
public enum OperatorIdentity {
    public static func current(environment: [String: String] = ProcessEnvironment.all) -> AuditIdentity {
        var who = identity(user: userName(geteuid()), environment: environment, realUID: getuid(), loginUser: loginUser())
        // sudo's env_reset drops SSH_CLIENT; the terminal's login record still names the remote host.
        if who.sshClient == nil, let host = loginHost() { who.sshClient = host }
        return who
    }

    static func userName(_ uid: uid_t) -> String {
        if let pw = getpwuid(uid), let name = pw.pointee.pw_name { return String(cString: name) }
        return "uid \(uid)"
    }

    /// The user the kernel's audit subsystem says logged in (/proc/self/loginuid: set at login
    /// by pam_loginuid, kept across sudo and su, not settable by the user); nil when unset.
    static func loginUser() -> String? {
        guard let text = try? TextFile.read("/proc/self/loginuid", limit: 64),
              let uid = UInt32(text.trimmedLines), uid != UInt32.max else { return nil }
        return userName(uid_t(uid))
    }

    /// The remote host utmp records for the terminal on stdin (what `who am i` shows), if any.
    static func loginHost() -> String? {
        guard isatty(STDIN_FILENO) == 1, let tty = ttyname(STDIN_FILENO) else { return nil }
        var line = String(cString: tty)
        if line.hasPrefix("/dev/") { line.removeFirst(5) }
        setutxent()
        defer { endutxent() }
        while let entry = getutxent() {
            guard entry.pointee.ut_type == USER_PROCESS else { continue }
            let entryLine = withUnsafeBytes(of: entry.pointee.ut_line) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
            guard entryLine == line else { continue }
            let host = withUnsafeBytes(of: entry.pointee.ut_host) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
            return host.isEmpty ? nil : host
        }
        return nil
    }

    /// The identity for `user` given the environment's SUDO_USER and SSH_CLIENT / SSH_CONNECTION.
    /// SUDO_USER is believed only when the real uid is root (sudo sets it for the root it runs);
    /// anyone else can set it to any name. The kernel's login user, when it is someone other
    /// than `user` and the sudo user, is kept beside the user name: `root [login alice]`.
    public static func identity(user: String, environment: [String: String], realUID: uid_t = getuid(),
                                loginUser: String? = nil) -> AuditIdentity {
        let sudo = realUID == 0 ? environment["SUDO_USER"].flatMap { $0.isEmpty ? nil : $0 } : nil
        // SSH_CLIENT is "addr port localport"; SSH_CONNECTION is "addr port localaddr localport".
        let ssh = (environment["SSH_CLIENT"] ?? environment["SSH_CONNECTION"]).flatMap { value -> String? in
            let parts = value.split(separator: " ")
            guard parts.count >= 2 else { return parts.first.map(String.init) }
            return "\(parts[0]) \(parts[1])"
        }
        var name = user
        if let loginUser, loginUser != user, loginUser != sudo { name += " [login \(loginUser)]" }
        return AuditIdentity(user: name, sudoUser: sudo, sshClient: ssh)
    }
}

/// The process environment as a dictionary.
public enum ProcessEnvironment {
    public static var all: [String: String] {
        var result: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let eq = text.firstIndex(of: "=") {
                result[String(text[..<eq])] = String(text[text.index(after: eq)...])
            }
            pointer += 1
        }
        return result
    }
}
