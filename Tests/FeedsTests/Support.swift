#if canImport(Glibc)
import Glibc
#endif
import AlertStore
import TestSupport
import TradsecCore

/// A temporary directory with a history and helpers to write files into it.
final class Workspace {
    let directory: String
    let store: AlertStore

    init() throws {
        var template = Array("/tmp/tradsec-feeds-XXXXXX".utf8CString)
        directory = String(cString: mkdtemp(&template)!)
        store = try AlertStore(path: directory + "/history.sqlite")
    }

    deinit {
        // Best effort: remove what the test left behind.
        if let dir = opendir(directory) {
            while let e = readdir(dir) {
                let name = withUnsafeBytes(of: e.pointee.d_name) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
                if name != "." && name != ".." { unlink(directory + "/" + name) }
            }
            closedir(dir)
        }
        rmdir(directory)
    }

    func path(_ name: String) -> String { directory + "/" + name }

    func write(_ name: String, _ bytes: [UInt8], append: Bool = true) { writeFile(path(name), bytes, append: append) }

    func write(_ name: String, _ text: String, append: Bool = true) { write(name, Array(text.utf8), append: append) }

    func truncate(_ name: String) { Glibc.truncate(path(name), 0) }
    func rename(_ from: String, _ to: String) { Glibc.rename(path(from), path(to)) }
    func remove(_ name: String) { unlink(path(name)) }

    func storedSeconds() throws -> [Int64] {
        try store.alerts(AlertQuery(limit: 100_000)).map { ($0.alert.time.nanoseconds - base) / 1_000_000_000 }.sorted()
    }
}

let base: Int64 = 1_763_800_000_000_000_000

/// A valid Falco alert line whose time is `base + n` seconds (its identity in assertions).
func line(_ n: Int, priority: String = "Warning") -> String {
    let t = Timestamp(nanoseconds: base + Int64(n) * 1_000_000_000).rfc3339()
    return #"{"hostname":"h","output":"alert \#(n)","output_fields":{"container.id":"host","proc.name":"cat"},"priority":"\#(priority)","rule":"Test rule","source":"syscall","tags":[],"time":"\#(t)"}"# + "\n"
}

func lines(_ range: ClosedRange<Int>) -> String { range.map { line($0) }.joined() }
