#if canImport(Glibc)
import Glibc
#endif

/// A new directory under /tmp (`prefix` names the suite that made it).
public func makeTemporaryDirectory(prefix: String = "tradsec-test") -> String {
    var template = Array("/tmp/\(prefix)-XXXXXX".utf8CString)
    return String(cString: mkdtemp(&template)!)
}

/// Removes a flat test directory: its files, then itself.
public func removeTree(_ path: String) {
    if let dir = opendir(path) {
        while let e = readdir(dir) {
            let name = withUnsafeBytes(of: e.pointee.d_name) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
            if name != "." && name != ".." { unlink(path + "/" + name) }
        }
        closedir(dir)
    }
    rmdir(path)
}

/// The whole file as text ("" when it cannot be read).
public func readFile(_ path: String) -> String {
    guard let f = fopen(path, "r") else { return "" }
    defer { fclose(f) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = fread(&buffer, 1, buffer.count, f)
        if n <= 0 { break }
        bytes += buffer[0..<n]
    }
    return String(decoding: bytes, as: UTF8.self)
}

/// Writes (or appends) bytes in full.
public func writeFile(_ path: String, _ bytes: [UInt8], append: Bool = false) {
    // O_CLOEXEC: a child another test thread spawns meanwhile must not inherit the descriptor
    // (a program written here and then run would fail with "text file busy").
    let fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC), 0o600)
    precondition(fd >= 0, "cannot write \(path)")
    bytes.withUnsafeBytes { buffer in
        var off = 0
        while off < buffer.count {
            let n = write(fd, buffer.baseAddress! + off, buffer.count - off)
            if n <= 0 { break }
            off += n
        }
    }
    close(fd)
}

public func writeFile(_ path: String, _ text: String, append: Bool = false) { writeFile(path, Array(text.utf8), append: append) }

public func appendFile(_ path: String, _ text: String) { writeFile(path, text, append: true) }
