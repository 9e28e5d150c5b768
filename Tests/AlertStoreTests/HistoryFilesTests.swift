#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import AlertStore
import TradsecCore

/// The history (alerts and the audit log), its -wal and -shm and its lock are owner-only from
/// their creation, whatever the umask gives; an older history open to others is tightened.
@Suite struct HistoryFilesTests {
    func mode(_ path: String) -> mode_t? {
        var st = stat()
        return lstat(path, &st) == 0 ? st.st_mode & 0o7777 : nil
    }

    func makeDirectory() -> String {
        var template = Array("/tmp/tradsec-files-XXXXXX".utf8CString)
        return String(cString: mkdtemp(&template)!)
    }

    func remove(_ dir: String, _ names: [String]) {
        for name in names { unlink(dir + "/" + name) }
        rmdir(dir)
    }

    static let files = ["history.sqlite", "history.sqlite-wal", "history.sqlite-shm", "history.sqlite.open-lock"]

    @Test func everyFileIsOwnerOnlyUnderUmask022() throws {
        let old = umask(0o022)
        defer { umask(old) }
        let dir = makeDirectory()
        defer { remove(dir, Self.files) }
        do {
            let store = try AlertStore(path: dir + "/history.sqlite")
            try store.insert([makeAlert(1), makeAlert(2)])
            // A reader's connection too: it maps the -shm.
            #expect(try store.alerts(AlertQuery()).count == 2)
            #expect(store.fileNotices.isEmpty)
            for name in Self.files {
                #expect(mode(dir + "/" + name) == 0o600, "\(name): \(mode(dir + "/" + name).map { String($0, radix: 8) } ?? "missing")")
            }
        }
    }

    @Test func anOlderHistoryOpenToOthersIsTightenedAndSaid() throws {
        let dir = makeDirectory()
        defer { remove(dir, Self.files) }
        do { try AlertStore(path: dir + "/history.sqlite").insert([makeAlert(1)]) }
        // As an older version left them: the main file is kept, -wal/-shm made beside it again.
        for name in Self.files { chmod(dir + "/" + name, 0o644) }
        writeFile(dir + "/history.sqlite-wal", [])
        chmod(dir + "/history.sqlite-wal", 0o666)
        let store = try AlertStore(path: dir + "/history.sqlite")
        #expect(store.fileNotices.contains { $0.contains("history.sqlite was accessible to others (mode 0644)") })
        #expect(store.fileNotices.contains { $0.contains("history.sqlite-wal was accessible to others (mode 0666)") })
        for name in Self.files { #expect(mode(dir + "/" + name) == 0o600, "\(name)") }
        #expect(try store.alerts(AlertQuery()).count == 1)
        // Said once: nothing left to tighten the next time.
        #expect(try AlertStore(path: dir + "/history.sqlite").fileNotices.isEmpty)
    }

    @Test func aLockOrWALThatIsALinkOrNotAFileIsRefused() throws {
        let dir = makeDirectory()
        defer { remove(dir, Self.files + ["victim"]) }
        writeFile(dir + "/victim", Array("precious".utf8))
        chmod(dir + "/victim", 0o644)
        symlink(dir + "/victim", dir + "/history.sqlite.open-lock")
        #expect { try AlertStore(path: dir + "/history.sqlite") } throws: {
            guard case .symbolicLink(let path, .lock)? = $0 as? StoreError else { return false }
            return path == dir + "/history.sqlite.open-lock" && "\($0)".contains("symbolic link; refusing to use it as the history's lock")
        }
        unlink(dir + "/history.sqlite.open-lock")
        mkfifo(dir + "/history.sqlite.open-lock", 0o600)
        #expect { try AlertStore(path: dir + "/history.sqlite") } throws: {
            guard case .notRegularFile(_, .lock)? = $0 as? StoreError else { return false }
            return "\($0)".contains("not a regular file")
        }
        unlink(dir + "/history.sqlite.open-lock")
        symlink(dir + "/victim", dir + "/history.sqlite-wal")
        #expect { try AlertStore(path: dir + "/history.sqlite") } throws: {
            guard case .symbolicLink(_, .history)? = $0 as? StoreError else { return false }
            return "\($0)".contains("history.sqlite-wal is a symbolic link; the history's files must be regular files")
        }
        // Neither followed nor changed.
        #expect(mode(dir + "/victim") == 0o644)
        var buffer = [UInt8](repeating: 0, count: 32)
        let fd = open(dir + "/victim", O_RDONLY)
        let n = read(fd, &buffer, 32)
        close(fd)
        #expect(String(decoding: buffer.prefix(max(0, n)), as: UTF8.self) == "precious")
    }
}

private func writeFile(_ path: String, _ bytes: [UInt8]) {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    close(fd)
}
