#if canImport(Glibc)
import Glibc
#endif
@testable import Actions
import AlertStore
import Testing
import TestSupport
import TradsecCore

/// Links planted where an action builds its temporaries must never be followed.
@Suite("Temporaries: no link is followed")
struct SymlinkTests {
    /// A directory outside the workspace's action directories with a file in it.
    func victim(in ws: Workspace) -> (dir: String, file: String) {
        let dir = ws.directory + "/victim"
        mkdir(dir, 0o700)
        writeFile(dir + "/keep.txt", "precious")
        return (dir, dir + "/keep.txt")
    }

    @Test("removeTree removes a link itself, never what it points to")
    func removeTreeDoesNotFollowLinks() throws {
        let ws = try Workspace()
        defer { ws.cleanup() }
        let (dir, file) = victim(in: ws)
        let tree = ws.directory + "/tree"
        mkdir(tree, 0o700)
        mkdir(tree + "/sub", 0o700)
        writeFile(tree + "/sub/a.txt", "a")
        symlink(dir, tree + "/sub/link-to-dir")
        symlink(file, tree + "/link-to-file")
        FileOps.removeTree(tree)
        #expect(!FileOps.exists(tree))
        #expect(readFile(file) == "precious")
        // A link passed as the tree itself.
        symlink(dir, ws.directory + "/top-link")
        FileOps.removeTree(ws.directory + "/top-link")
        var st = stat()
        #expect(lstat(ws.directory + "/top-link", &st) != 0, "the link is gone")
        #expect(readFile(file) == "precious")
    }

    @Test("forensics: a link planted under the old temporary bundle name is left alone")
    func forensicsPlantedLink() throws {
        let ws = try Workspace()
        defer { ws.cleanup() }
        let (dir, file) = victim(in: ws)
        var config = ActionsConfig.Forensics()
        config.directory = ws.directory + "/forensics"
        mkdir(config.directory, 0o700)
        symlink(dir, config.directory + "/.INC-1-bot.partial")
        // No engine answers, so the bundle fails after its temporary directory was made.
        let bundle = ForensicsBundle(config: config, engine: DockerEngineClient(socketPath: ws.directory + "/no-engine.sock"), store: ws.store)
        let container = EngineContainer(id: String(repeating: "a", count: 64), names: ["bot"], image: "x", state: "running")
        #expect(throws: ActionError.self) { try bundle.create(container, incident: "INC-1", who: AuditIdentity(user: "t", sudoUser: nil, sshClient: nil)) }
        #expect(readFile(file) == "precious")
        #expect(listDirectory(config.directory) == [".INC-1-bot.partial"], "the failed temporary is removed, the planted link untouched")
    }

    @Test("backup: links planted under the old temporary archive and stderr names are not written through")
    func backupPlantedLinks() throws {
        let ws = try Workspace()
        defer { ws.cleanup() }
        let (_, file) = victim(in: ws)
        mkdir(ws.directory + "/data", 0o700)
        writeFile(ws.directory + "/data/positions.json", "{}")
        var config = ActionsConfig.Backup()
        config.paths = [ws.directory + "/data"]
        config.directory = ws.directory + "/backups"
        mkdir(config.directory, 0o700)
        let now = Timestamp.now()
        let name = "tradsec-backup-\(FileOps.timestampName(now))-\(getpid()).tar.gz"
        for planted in ["." + name + ".partial", "." + name + ".partial.stderr", name + ".sha256.partial"] {
            symlink(file, config.directory + "/" + planted)
        }
        let outcome = try BackupArchive(config: config).create(now: now)
        #expect(readFile(file) == "precious")
        #expect(readFile(outcome.archivePath + ".sha256").hasPrefix(outcome.sha256))
    }
}
