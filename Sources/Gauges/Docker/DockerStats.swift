import TradsecCore

/// One reply of `GET /containers/{id}/stats?stream=false`, reduced to what a gauge shows.
public struct DockerStats: Equatable, Sendable {
    public var name: String
    public var id: String
    /// cpu_stats.cpu_usage.total_usage: CPU time of the container so far, nanoseconds.
    public var cpuTotal: UInt64
    /// cpu_stats.system_cpu_usage: the host's CPU time, nanoseconds (0 when not reported).
    public var systemTotal: UInt64
    public var onlineCPUs: Int
    /// The same two counters about a second earlier; zero when the engine did not pre-read
    /// (podman with stream=false, Docker with one-shot=true).
    public var preCPUTotal: UInt64
    public var preSystemTotal: UInt64
    /// Memory usage minus the inactive file cache (what `docker stats` shows).
    public var memoryBytes: UInt64?
    public var memoryLimit: UInt64?

    /// Why an engine's stats reply was not read.
    public enum ParseError: Error, CustomStringConvertible, Sendable {
        case notJSON(String)
        case notAnObject
        case missingCPUStats

        public var description: String {
            switch self {
            case .notJSON(let reason): "stats reply is not JSON: \(reason)"
            case .notAnObject: "stats reply is not a JSON object"
            case .missingCPUStats: "stats reply has no cpu_stats"
            }
        }
    }

    /// The largest `online_cpus` believed (Linux's NR_CPUS is at most 8192).
    static let maxCPUs: UInt64 = 65_536

    public static func parse(_ body: [UInt8]) throws(ParseError) -> DockerStats {
        let json: JSONValue
        do { json = try JSONParser.parse(body) } catch { throw ParseError.notJSON("\(error)") }
        guard json.objectValue != nil else { throw ParseError.notAnObject }
        guard let cpu = json["cpu_stats"], cpu.objectValue != nil else {
            throw ParseError.missingCPUStats
        }
        func u(_ v: JSONValue?) -> UInt64? {
            switch v {
            case .int(let i)?: return i >= 0 ? UInt64(i) : nil
            case .uint(let x)?: return x
            // The engine's reply is not trusted: a fraction, a negative or an absurd size is
            // not a counter.
            case .double(let d)? where d >= 0 && d < 18_446_744_073_709_551_616.0: return UInt64(d)
            default: return nil
            }
        }
        let pre = json["precpu_stats"]
        let memory = json["memory_stats"]
        var memoryBytes: UInt64?
        if let usage = u(memory?["usage"]) {
            // cgroup v1: total_inactive_file; v2: inactive_file (the docker CLI's rule). Older
            // engines only report `cache`.
            let stats = memory?["stats"]
            let cache = u(stats?["total_inactive_file"]) ?? u(stats?["inactive_file"]) ?? u(stats?["cache"]) ?? 0
            memoryBytes = usage >= cache ? usage - cache : usage
        }
        let limit = u(memory?["limit"]).flatMap { $0 == 0 || $0 >= (1 << 60) ? nil : $0 }
        // Linux counts at most a few thousand CPUs; anything else is not a CPU count.
        let online = u(cpu["online_cpus"]).flatMap { 1...maxCPUs ~= $0 ? Int($0) : nil }
            ?? cpu["cpu_usage"]?["percpu_usage"]?.arrayValue.map { Swift.min($0.count, Int(maxCPUs)) } ?? 1
        let name = json["name"]?.stringValue ?? json["Name"]?.stringValue ?? ""
        return DockerStats(
            name: name.hasPrefix("/") ? String(name.dropFirst()) : name,
            id: json["id"]?.stringValue ?? json["Id"]?.stringValue ?? "",
            cpuTotal: u(cpu["cpu_usage"]?["total_usage"]) ?? 0,
            systemTotal: u(cpu["system_cpu_usage"]) ?? 0,
            onlineCPUs: max(1, online),
            preCPUTotal: u(pre?["cpu_usage"]?["total_usage"]) ?? 0,
            preSystemTotal: u(pre?["system_cpu_usage"]) ?? 0,
            memoryBytes: memoryBytes, memoryLimit: limit)
    }

    /// CPU % (of one CPU, like top) from the engine's own pre-read, when it made one.
    public var cpuPercentFromPreRead: Double? {
        guard preCPUTotal > 0, preSystemTotal > 0, systemTotal > preSystemTotal, cpuTotal >= preCPUTotal else { return nil }
        return Double(cpuTotal - preCPUTotal) / Double(systemTotal - preSystemTotal) * Double(onlineCPUs) * 100
    }
}
