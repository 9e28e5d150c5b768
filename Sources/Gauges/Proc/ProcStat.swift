/// The fields of /proc/[pid]/stat and /proc/[pid]/status a gauge needs.
public struct ProcStat: Equatable, Sendable {
    public var pid: Int32
    public var comm: String
    /// utime + stime, in clock ticks (`sysconf(_SC_CLK_TCK)`, 100 on Linux).
    public var cpuTicks: UInt64
    /// Start time after boot, in clock ticks: tells a reused pid from the process we sampled.
    public var startTicks: UInt64

    /// Parses one /proc/[pid]/stat line. The command name sits in parentheses and may itself
    /// contain spaces and ')' (a process can name itself anything), so fields are counted from
    /// the LAST ')'.
    public static func parse(_ text: String) -> ProcStat? {
        let bytes = Array(text.utf8)
        guard let open = bytes.firstIndex(of: UInt8(ascii: "(")),
              let close = bytes.lastIndex(of: UInt8(ascii: ")")), close > open,
              let pid = Int32(String(decoding: bytes[..<open], as: UTF8.self).trimmingCharacters(in: " "))
        else { return nil }
        let comm = String(decoding: bytes[(open + 1)..<close], as: UTF8.self)
        // After ')': field 3 (state) onwards; utime is field 14, stime 15, starttime 22.
        let rest = String(decoding: bytes[(close + 1)...], as: UTF8.self).split(separator: " ", omittingEmptySubsequences: true)
        guard rest.count >= 20, let utime = UInt64(rest[11]), let stime = UInt64(rest[12]),
              let start = UInt64(rest[19]) else { return nil }
        return ProcStat(pid: pid, comm: comm, cpuTicks: utime &+ stime, startTicks: start)
    }
}

/// /proc/[pid]/status: resident memory.
public enum ProcStatus {
    /// The effective user id (the second field of `Uid:`); nil when the line is missing.
    public static func effectiveUID(_ text: String) -> UInt32? {
        for line in text.split(separator: "\n") where line.hasPrefix("Uid:") {
            let parts = line.dropFirst(4).split(whereSeparator: { $0 == " " || $0 == "\t" })
            return parts.count > 1 ? UInt32(parts[1]) : nil
        }
        return nil
    }

    /// VmRSS in bytes (the file says kB); nil for kernel threads and zombies, which have none.
    public static func residentBytes(_ text: String) -> UInt64? {
        for line in text.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            let parts = line.dropFirst(6).split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard let value = parts.first.flatMap({ UInt64($0) }) else { return nil }
            let unit = parts.count > 1 ? parts[1].lowercased() : "kb"
            let scale: UInt64 = unit == "kb" ? 1024 : unit == "mb" ? 1024 * 1024 : 1
            let (bytes, overflow) = value.multipliedReportingOverflow(by: scale)
            return overflow ? .max : bytes
        }
        return nil
    }
}

extension String {
    func trimmingCharacters(in set: Character) -> String {
        var s = Substring(self)
        while s.first == set { s = s.dropFirst() }
        while s.last == set { s = s.dropLast() }
        return String(s)
    }

    /// Leading and trailing blanks and newlines removed.
    var trimmed: String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\n" || c == "\t" || c == "\r" { s = s.dropFirst() }
        while let c = s.last, c == " " || c == "\n" || c == "\t" || c == "\r" { s = s.dropLast() }
        return String(s)
    }
}
