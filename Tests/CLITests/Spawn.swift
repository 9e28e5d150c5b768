#if canImport(Glibc)
import Glibc
#endif

/// Runs the built `tradsec` binary as a child process with an argument array (never a
/// shell), with a clean signal mask (Foundation.Process leaves signals blocked in children
/// started off the main thread here).
struct Child {
    let pid: pid_t
    let stdoutPath: String
    let stderrPath: String

    static var binary: String {
        // The test bundle sits next to the executable in the build folder.
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        let exe = String(decoding: buffer[0..<max(0, n)].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var dir = String(exe[..<exe.lastIndex(of: "/")!])
        while !dir.isEmpty, access(dir + "/tradsec", X_OK) != 0 { dir = String(dir[..<(dir.lastIndex(of: "/") ?? dir.startIndex)]) }
        return dir + "/tradsec"
    }

    static func start(_ arguments: [String], stdin: String = "/dev/null", environment: [String: String] = [:],
                      in directory: String) -> Child {
        let out = directory + "/stdout-\(UInt32.random(in: 0...UInt32.max))"
        let err = directory + "/stderr-\(UInt32.random(in: 0...UInt32.max))"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawn_file_actions_addopen(&actions, 0, stdin, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, err, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        var empty = sigset_t(); sigemptyset(&empty)
        var all = sigset_t(); sigfillset(&all)
        posix_spawnattr_setsigmask(&attr, &empty)
        posix_spawnattr_setsigdefault(&attr, &all)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var env = ["PATH=/usr/bin:/bin", "HOME=" + directory, "LANG=C.UTF-8"]
        for (k, v) in environment { env.append("\(k)=\(v)") }
        let argv = ([binary] + arguments).map { strdup($0) } + [nil]
        let envp = env.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) }; envp.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, binary, &actions, &attr, argv, envp)
        precondition(rc == 0, "cannot start \(binary): \(rc)")
        posix_spawn_file_actions_destroy(&actions)
        posix_spawnattr_destroy(&attr)
        return Child(pid: pid, stdoutPath: out, stderrPath: err)
    }

    /// Waits for the child; returns its exit status (128+signal when killed).
    func wait() -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let signal = status & 0x7F
        return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
    }

    var stdout: String { Child.read(stdoutPath) }
    var stderr: String { Child.read(stderrPath) }

    static func read(_ path: String) -> String {
        guard let f = fopen(path, "r") else { return "" }
        defer { fclose(f) }
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&buffer, 1, buffer.count, f)
            if n <= 0 { break }
            out += buffer[0..<n]
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Runs to completion: (exit status, stdout, stderr).
    static func run(_ arguments: [String], stdin: String = "/dev/null", environment: [String: String] = [:],
                    in directory: String) -> (Int32, String, String) {
        let child = start(arguments, stdin: stdin, environment: environment, in: directory)
        let status = child.wait()
        return (status, child.stdout, child.stderr)
    }
}

func makeTemporaryDirectory() -> String {
    var template = Array("/tmp/tradsec-cli-XXXXXX".utf8CString)
    return String(cString: mkdtemp(&template)!)
}

func removeTree(_ path: String) {
    // Test folders are flat; remove files then the folder.
    if let dir = opendir(path) {
        while let e = readdir(dir) {
            let name = withUnsafeBytes(of: e.pointee.d_name) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
            if name != "." && name != ".." { unlink(path + "/" + name) }
        }
        closedir(dir)
    }
    rmdir(path)
}

func writeFile(_ path: String, _ text: String, append: Bool = false) {
    let fd = open(path, O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC), 0o600)
    precondition(fd >= 0)
    var text = text
    text.withUTF8 { buffer in
        var off = 0
        while off < buffer.count { off += Glibc.write(fd, buffer.baseAddress! + off, buffer.count - off) }
    }
    close(fd)
}

func alertLine(_ n: Int, priority: String = "Warning", container: String = "host", rule: String = "Test rule",
               output: String? = nil) -> String {
    let secs = 1_763_800_000 + n
    let t = "2025-11-22T\(String(format2(secs / 3600 % 24))):\(format2(secs / 60 % 60)):\(format2(secs % 60)).000000001Z"
    let out = output ?? "alert number \(n)"
    return #"{"hostname":"trade-host","output":"\#(out)","output_fields":{"container.id":"\#(container)","container.name":"\#(container == "host" ? "host" : "bot")","proc.name":"cat"},"priority":"\#(priority)","rule":"\#(rule)","source":"syscall","tags":["t"],"time":"\#(t)"}"#
}

private func format2(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
