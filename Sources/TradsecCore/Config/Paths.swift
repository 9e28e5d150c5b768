#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where tradsec keeps its files, following the XDG base-directory spec.
///
/// Precedence is flag > environment > default, as users of Falco's tooling expect.
public enum Paths {
    public static func environment(_ name: String) -> String? {
        guard let v = getenv(name) else { return nil }
        let s = String(cString: v)
        return s.isEmpty ? nil : s
    }

    static var home: String {
        if let h = environment("HOME") { return h }
        if let pw = getpwuid(getuid()), let dir = pw.pointee.pw_dir { return String(cString: dir) }
        return "/tmp"
    }

    /// `$XDG_DATA_HOME/tradsec` (default `~/.local/share/tradsec`): the alert history.
    public static var dataDirectory: String {
        (environment("XDG_DATA_HOME") ?? home + "/.local/share") + "/tradsec"
    }

    /// `$XDG_CONFIG_HOME/tradsec` (default `~/.config/tradsec`).
    public static var configDirectory: String {
        (environment("XDG_CONFIG_HOME") ?? home + "/.config") + "/tradsec"
    }

    /// `$XDG_STATE_HOME/tradsec` (default `~/.local/state/tradsec`): logs.
    public static var stateDirectory: String {
        (environment("XDG_STATE_HOME") ?? home + "/.local/state") + "/tradsec"
    }

    /// The history database: `--db` if given, else `$TRADSEC_DB`, else `<data>/history.sqlite`.
    public static func database(flag: String?) -> String {
        if let flag, !flag.isEmpty { return flag }
        if let env = environment("TRADSEC_DB") { return env }
        return dataDirectory + "/history.sqlite"
    }

    /// Creates `path` and its parents (mode 0700: alert history is sensitive).
    public static func makeDirectory(_ path: String) throws(PathError) {
        var current = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            current += "/" + part
            var st = stat()
            if stat(current, &st) == 0 {
                if (st.st_mode & S_IFMT) != S_IFDIR { throw .notADirectory(current) }
                continue
            }
            if mkdir(current, 0o700) != 0 && errno != EEXIST {
                throw .cannotCreate(current, reason: String(cString: strerror(errno)))
            }
        }
    }
}

public enum PathError: Error, CustomStringConvertible {
    /// Something other than a directory is in the way.
    case notADirectory(String)
    /// `mkdir` failed (permissions, a read-only file system…).
    case cannotCreate(String, reason: String)

    public var description: String {
        switch self {
        case .notADirectory(let path): return "\(path) exists and is not a directory"
        case .cannotCreate(let path, let reason): return "cannot create directory \(path): \(reason)"
        }
    }
}
