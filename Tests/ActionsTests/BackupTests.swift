#if canImport(Glibc)
import Glibc
#endif
import Actions
import AlertStore
import Testing
import TestSupport

@Suite("Backup: tar.gz with SHA-256, written atomically")
struct BackupTests {
    @Test("the archive reads back with tar, its digest matches sha256sum, no temporary file is left")
    func archive() throws {
        let ws = try Workspace()
        defer { ws.cleanup() }
        let data = ws.directory + "/data", logs = ws.directory + "/logs"
        mkdir(data, 0o700); mkdir(logs, 0o700)
        // A path over ustar's 100-byte name field: tar must use its long-name extension.
        let deep = data + "/" + String(repeating: "d", count: 60)
        mkdir(deep, 0o700)
        let longName = String(repeating: "n", count: 80) + ".json"
        writeFile(deep + "/" + longName, #"{"position": 42}"#)
        writeFile(data + "/-starts-with-dash.csv", "a,b\n")
        writeFile(logs + "/bot.log", "trade filled\n")
        var config = ActionsConfig()
        config.backup.paths = [data, logs]
        config.backup.directory = ws.directory + "/backups"
        let report = ws.runner(config).run(ActionRequest(kind: .backup))
        #expect(report.result == .ok, "\(report.message)")
        let names = try #require(listDirectory(config.backup.directory))
        let archive = try #require(names.first { $0.hasSuffix(".tar.gz") })
        #expect(!names.contains { $0.contains("partial") })
        let path = config.backup.directory + "/" + archive
        let (status, listing, err) = runProgram(["/bin/tar", "-tzf", path], in: ws.directory)
        #expect(status == 0, "\(err)")
        #expect(listing.contains("./data/\(String(repeating: "d", count: 60))/\(longName)"))
        #expect(listing.contains("./data/-starts-with-dash.csv"))
        #expect(listing.contains("./logs/bot.log"))
        let (_, sum, _) = runProgram(["/usr/bin/sha256sum", path], in: ws.directory)
        let digest = String(sum.prefix(64))
        #expect(report.message.contains(digest))
        #expect(readFile(path + ".sha256") == "\(digest)  \(archive)\n")
        let entry = try #require(try ws.store.auditEntries().first)
        #expect(entry.result == .ok && entry.detail?.contains(digest) == true)
        // What is in it is what was there.
        let extract = ws.directory + "/extract"
        mkdir(extract, 0o700)
        #expect(runProgram(["/bin/tar", "-xzf", path, "-C", extract], in: ws.directory).0 == 0)
        #expect(readFile(extract + "/data/\(String(repeating: "d", count: 60))/\(longName)") == #"{"position": 42}"#)
    }

    @Test("under umask 022 the archive and its digest are 0600, a backup directory made for them 0700")
    func privateModes() throws {
        let ws = try Workspace()
        defer { ws.cleanup() }
        let umaskBefore = umask(0o022)
        defer { umask(umaskBefore) }
        mkdir(ws.directory + "/data", 0o755)
        writeFile(ws.directory + "/data/positions.json", #"{"position": 42}"#)
        var config = ActionsConfig()
        config.backup.paths = [ws.directory + "/data"]
        config.backup.directory = ws.directory + "/new/backups"
        let report = ws.runner(config).run(ActionRequest(kind: .backup))
        #expect(report.result == .ok, "\(report.message)")
        let names = try #require(listDirectory(config.backup.directory))
        #expect(names.count == 2)
        for name in names { #expect(mode(config.backup.directory + "/" + name) == 0o600, "\(name)") }
        #expect(mode(config.backup.directory) == 0o700 && mode(ws.directory + "/new") == 0o700)
        // The archive is whole: tar reads it back.
        let archive = try #require(names.first { $0.hasSuffix(".tar.gz") })
        let (status, listing, err) = runProgram(["/bin/tar", "-tzf", config.backup.directory + "/" + archive], in: ws.directory)
        #expect(status == 0 && listing.contains("./data/positions.json"), "\(err)")
    }

    @Test("a missing path fails with a clear message and leaves no file; dry run writes nothing")
    func missingPathAndDryRun() throws {
        let ws = try Workspace()
        defer { ws.cleanup() }
        var config = ActionsConfig()
        config.backup.paths = [ws.directory + "/no-such-dir"]
        config.backup.directory = ws.directory + "/backups"
        let failed = ws.runner(config).run(ActionRequest(kind: .backup))
        #expect(failed.result == .failed)
        #expect(failed.message.contains("no-such-dir") && failed.message.contains("does not exist"))
        #expect((listDirectory(config.backup.directory) ?? []).isEmpty)
        config.backup.paths = [ws.directory]
        let dry = ws.runner(config).run(ActionRequest(kind: .backup, dryRun: true))
        #expect(dry.result == .dryRun && dry.message.contains("would archive"))
        #expect((listDirectory(config.backup.directory) ?? []).isEmpty)
        config.backup.paths = []
        #expect(ws.runner(config).run(ActionRequest(kind: .backup)).message.contains("no backup paths configured"))
    }
}

func listDirectory(_ path: String) -> [String]? {
    guard let dir = opendir(path) else { return nil }
    defer { closedir(dir) }
    var names: [String] = []
    while let e = readdir(dir) {
        let name = withUnsafeBytes(of: e.pointee.d_name) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
        if name != "." && name != ".." { names.append(name) }
    }
    return names.sorted()
}
