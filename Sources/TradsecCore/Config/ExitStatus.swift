/// The exit statuses every command uses (sysexits.h), in one place.
public enum ExitStatus {
    public static let ok: Int32 = 0
    /// A flag or argument that cannot work.
    public static let usage: Int32 = 64
    /// Input that is not what it must be (a file of alerts nothing could be read from).
    public static let data: Int32 = 65
    /// A file the command must read is not there or not readable.
    public static let noInput: Int32 = 66
    /// Something the machine or a peer lacks: eBPF, a socket that cannot be bound, a receiver.
    public static let unavailable: Int32 = 69
    /// The history (or another file) cannot be read or written.
    public static let ioError: Int32 = 74
    /// Try again later: another process holds what this one needs (a dispatcher's lock).
    public static let tempFail: Int32 = 75
    /// The config (or rules) cannot work.
    public static let config: Int32 = 78
}
