#if canImport(Glibc)
import Glibc
#endif
import TradsecCore

/// A tar.gz of the configured paths with its SHA-256, written under a temporary name,
/// fsynced and renamed only when complete; the digest goes beside it in `sha256sum` format.
///
/// The archive is made by GNU tar (started with an argument array, never a shell): it has
/// handled long names, sparse files, hard links and special files for decades, which a
/// home-made writer would have to re-learn.
public struct BackupArchive: Sendable {
    public let config: ActionsConfig.Backup
    public var tarPath = "/bin/tar"

    public init(config: ActionsConfig.Backup) { self.config = config }

    public struct Outcome: Sendable {
        public var archivePath: String
        public var sha256: String
        public var bytes: Int
        public var message: String
        public var detail: String
    }

    public func plan() throws(ActionError) -> String {
        try check()
        return "would archive \(config.paths.joined(separator: ", ")) into \(config.directory)/tradsec-backup-<time>.tar.gz"
    }

    private func check() throws(ActionError) {
        guard !config.paths.isEmpty else {
            throw ActionError.config("no backup paths configured (actions.backup.paths in the config file)")
        }
        for path in config.paths where !FileOps.exists(path) {
            throw ActionError.config("backup path \(path) does not exist")
        }
    }

    public func create(now: Timestamp = .now()) throws(ActionError) -> Outcome {
        try check()
        try FileOps.makeDirectory(config.directory)
        let name = "tradsec-backup-\(FileOps.timestampName(now))-\(getpid()).tar.gz"
        let final = config.directory + "/" + name
        // tar's archive and its stderr are written inside a new private directory (mkdtemp):
        // no predictable name in the backup directory where a link could be planted.
        let work = try FileOps.makeTemporaryDirectory(prefix: config.directory + "/.tradsec-backup-")
        defer { FileOps.removeTree(work) }
        let temporary = work + "/" + name
        // tar writes the archive to its standard output, a file made here 0600: tar would
        // create it with the umask's mode (0644 under the usual 022), readable by anyone.
        close(try FileOps.create(temporary))
        var argv = [tarPath, "--create", "--gzip", "--file", "-"]
        for path in config.paths {
            // -C parent ./name: members keep the path's last component; "./" keeps a name that
            // starts with "-" from being read as an option.
            let trimmed = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
            let base = trimmed.split(separator: "/").last.map(String.init) ?? "."
            argv += ["-C", FileOps.parent(of: trimmed), "./" + base]
        }
        let outcome = try Subprocess.run(argv, stdoutPath: temporary, stderrPath: work + "/tar.stderr")
        // GNU tar: 1 = a file changed while it was read (a live log); the archive is complete
        // and the warning goes into the message. 2 = fatal.
        guard outcome.status == 0 || outcome.status == 1 else {
            throw ActionError.failed("tar failed (exit \(outcome.status)): \(outcome.stderr.trimmedLines)")
        }
        try FileOps.fsyncPath(temporary)
        let digest = try SHA256Digest.ofFile(temporary)
        try FileOps.commit(temporary, to: final)
        // sha256sum -c reads this file as it is.
        let sumPath = final + ".sha256"
        try FileOps.write(Array("\(digest)  \(name)\n".utf8), to: work + "/sha256.partial")
        try FileOps.commit(work + "/sha256.partial", to: sumPath)
        var st = stat()
        stat(final, &st)
        let detail = JSONWriter.string(.object(JSONObject([
            ("archive", .string(final)), ("sha256", .string(digest)), ("bytes", .int(Int64(st.st_size))),
            ("paths", .array(config.paths.map(JSONValue.string))),
        ])))
        let warning = outcome.status == 1 ? " (tar warned: \(outcome.stderr.trimmedLines))" : ""
        return Outcome(archivePath: final, sha256: digest, bytes: Int(st.st_size),
                       message: "backup \(final) (\(st.st_size) bytes, sha256 \(digest))\(warning)", detail: detail)
    }
}
