import CSensor
import RuleEngine

/// The addresses of a socket event, in Falco's client/server terms (connect: we are the client;
/// accept: we are the server).
struct SocketView {
    var family: Int
    var type: Int
    var `protocol`: Int
    var localIP: String?
    var remoteIP: String?
    var localPort: UInt64
    var remotePort: UInt64
    var unixPath: String?
    var isServer: Bool

    var isIP: Bool { family == 2 || family == 10 }
    /// IPv4 addresses, and IPv4-mapped IPv6 ones, are `ipv4`.
    var isV4: Bool

    var clientIP: String? { isServer ? remoteIP : localIP }
    var serverIP: String? { isServer ? localIP : remoteIP }
    var clientPort: UInt64 { isServer ? remotePort : localPort }
    var serverPort: UInt64 { isServer ? localPort : remotePort }

    /// `fd.l4proto`.
    var l4proto: String {
        switch `protocol` {
        case 6: return "tcp"
        case 17: return "udp"
        case 1, 58: return "icmp"
        default:
            if type == 1 { return "tcp" }
            if type == 2 { return "udp" }
            return type == 3 ? "raw" : "<NA>"
        }
    }

    /// `fd.name`: `cip:cport->sip:sport`, or the Unix socket's path.
    var name: String {
        if isIP { return (clientIP ?? "") + ":" + String(clientPort) + "->" + (serverIP ?? "") + ":" + String(serverPort) }
        return unixPath ?? ""
    }

    var typeName: String { family == 1 ? "unix" : (isV4 ? "ipv4" : "ipv6") }
    var typeChar: String { family == 1 ? "u" : (isV4 ? "4" : "6") }

    init(_ socket: tsr_sock, flags: UInt32, unixPath: String?, isServer: Bool) {
        family = Int(socket.family)
        type = Int(socket.type)
        `protocol` = Int(socket.protocol)
        localPort = UInt64(socket.local_port)
        remotePort = UInt64(socket.remote_port)
        self.unixPath = unixPath
        self.isServer = isServer
        let local = withUnsafeBytes(of: socket.local) { Array($0) }
        let remote = withUnsafeBytes(of: socket.remote) { Array($0) }
        isV4 = family == 2 || (family == 10 && Self.isMappedV4(local) && Self.isMappedV4(remote))
        guard flags & UInt32(TSR_F_SOCK_VALID) != 0 || family == 2 || family == 10 else { return }
        if family == 2 {
            localIP = Self.v4(local[0..<4])
            remoteIP = Self.v4(remote[0..<4])
        } else if family == 10 {
            localIP = isV4 ? Self.v4(local[12..<16]) : Self.v6(local)
            remoteIP = isV4 ? Self.v4(remote[12..<16]) : Self.v6(remote)
        }
    }

    static func isMappedV4(_ b: [UInt8]) -> Bool {
        b[0..<10].allSatisfy { $0 == 0 } && b[10] == 0xff && b[11] == 0xff
    }

    static func v4(_ b: ArraySlice<UInt8>) -> String { b.map { String($0) }.joined(separator: ".") }

    /// RFC 5952 text: the longest run of zero groups (two or more) becomes `::`.
    static func v6(_ b: [UInt8]) -> String {
        var groups: [UInt16] = []
        for i in stride(from: 0, to: 16, by: 2) { groups.append(UInt16(b[i]) << 8 | UInt16(b[i + 1])) }
        var bestStart = -1, bestLength = 0, runStart = -1
        for i in 0...8 {
            if i < 8 && groups[i] == 0 { if runStart < 0 { runStart = i } ; continue }
            if runStart >= 0 {
                if i - runStart > bestLength && i - runStart >= 2 { bestStart = runStart; bestLength = i - runStart }
                runStart = -1
            }
        }
        func hex(_ range: Range<Int>) -> String { groups[range].map { String($0, radix: 16) }.joined(separator: ":") }
        guard bestStart >= 0 else { return hex(0..<8) }
        return hex(0..<bestStart) + "::" + hex((bestStart + bestLength)..<8)
    }
}

/// One record made ready for the rules: its event name, the process, and what the record says
/// about files, sockets and arguments. Built by `SensorPipeline`, read by `FieldFiller`.
struct SensorEvent {
    var typeName: String
    var typeID: Int
    var isEnter = false
    var number: UInt64 = 0
    var nanos: Int64 = 0
    var tid: Int64 = 0
    var result: Int64 = 0
    var hasResult = true
    var euid: UInt32 = 0
    var egid: UInt32 = 0
    var loginUID: Int64 = -1
    var capEffective: UInt64 = 0
    var category = "other"
    var process: TrackedProcess?
    var syscall: WatchedSyscall?
    var header: tsr_record?
    /// The file an open acted on (fd.name), as given and resolved.
    var path: String? { didSet { pathValue = path.map { .bytes(Array($0.utf8)) } } }
    /// `fd.name`'s value, built once for the fields that read it.
    private(set) var pathValue: FieldValue?
    var rawPath: String?
    /// The second path of a rename, link or symlink.
    var path2: String?
    var openFlags: Int64?
    var fileIsDirectory = false
    var socket: SocketView?
    /// The fork record's new process (clone events are the parent's: `evt.res` is the child).
    var childPID: Int64?
    var execFilename: String?
}
