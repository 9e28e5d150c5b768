/// The exit statuses every command uses (sysexits.h, and the shell's for 1, 2 and 130), in one place.
public enum ExitStatus {
    public static let ok: Int32 = 0
    /// What was asked failed (an action, a rules file that does not validate, a benchmark's check).
    public static let failure: Int32 = 1
    /// Nothing was done because a condition for doing it was not met: a destructive action not
    /// confirmed, no terminal for the console, a filter expression that does not compile.
    public static let notRun: Int32 = 2
    /// A flag or argument that cannot work.
    public static let usage: Int32 = 64
    /// Input that is not what it must be (a file of alerts nothing could be read from).
    public static let data: Int32 = 65
    /// A file the command must read is not there or not readable.
    public static let noInput: Int32 = 66
    /// Something the machine or a peer lacks: eBPF, a socket that cannot be bound, a receiver.
    public static let unavailable: Int32 = 69
    /// A program tradsec runs (or tradsec itself) misbehaved: a benchmark's helper, a fuzz input
    /// that ran too long.
    public static let software: Int32 = 70
    /// The history (or another file) cannot be read or written.
    public static let ioError: Int32 = 74
    /// Try again later: another process holds what this one needs (a dispatcher's lock), or a
    /// statement ran past its time limit.
    public static let tempFail: Int32 = 75
    /// The config (or rules) cannot work.
    public static let config: Int32 = 78
    /// Stopped by the operator (Ctrl-C: 128 + SIGINT).
    public static let interrupted: Int32 = 130
}
