/// The sensor's counters in Prometheus text exposition, for the `/metrics` of a process that
/// embeds a sensor (`tradsec serve --sensor`). Every family has HELP and TYPE and counters end
/// in `_total` (promtool's lint); label values are fixed names, never input.
public enum SensorMetrics {
    /// `statistics` nil: the sensor is not running (it could not start): only `up 0` is exposed.
    public static func text(_ statistics: SensorStatistics?) -> String {
        var out = ""
        func family(_ name: String, _ type: String, _ help: String, _ samples: [(labels: String, value: UInt64)]) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
            for s in samples { out += "\(name)\(s.labels) \(s.value)\n" }
        }
        func seconds(_ name: String, _ help: String, _ samples: [(labels: String, value: Double)]) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) counter\n"
            for s in samples where s.value.isFinite { out += "\(name)\(s.labels) \(s.value)\n" }
        }
        family("tradsec_sensor_up", "gauge", "1 while the host sensor runs, 0 when it could not start.", [("", statistics == nil ? 0 : 1)])
        guard let s = statistics else { return out }
        family("tradsec_sensor_events_total", "counter", "Kernel records the sensor's consumer read (process events and watched syscalls).",
               [("", s.received)])
        family("tradsec_sensor_events_evaluated_total", "counter", "Events that went through the rules.", [("", s.eventsEvaluated)])
        family("tradsec_sensor_alerts_total", "counter", "Alerts the sensor's rules raised.", [("", s.alerts)])
        family("tradsec_sensor_drops_total", "counter", "Records lost before the rules saw them, by reason (ring_buffer_full: the consumer fell behind).",
               DropReason.allCases.map { ("{reason=\"\($0.rawValue)\"}", s.drops[$0] ?? 0) })
        family("tradsec_sensor_ring_buffer_full_drops_total", "counter", "Records lost to a full ring buffer, by record kind.",
               s.ringBufferDropsByKind.sorted { $0.key < $1.key }.map { ("{kind=\"\($0.key)\"}", $0.value) })
        family("tradsec_sensor_read_faults_total", "counter", "Records sent with a field the kernel could not read.", [("", s.readFaults)])
        family("tradsec_sensor_truncated_total", "counter", "Records sent with a string cut at 4,096 bytes.", [("", s.truncated)])
        var cpu: [(labels: String, value: Double)] = [("{part=\"consumer\"}", s.consumerCPUSeconds)]
        if s.kernelRunTimeKnown { cpu.append(("{part=\"kernel\"}", Double(s.kernelRunNanoseconds) / 1e9)) }
        seconds("tradsec_sensor_cpu_seconds_total",
                "CPU time of the sensor: its consumer thread, and its kernel programs while the kernel's BPF statistics are on.", cpu)
        family("tradsec_sensor_ring_buffer_bytes", "gauge", "Kernel memory the sensor's ring buffer holds.", [("", s.ringBufferBytes)])
        family("tradsec_sensor_rules_skipped", "gauge", "Loaded rules the sensor cannot feed (unknown fields or unwatched events).",
               [("", UInt64(max(0, s.skippedRules)))])
        family("tradsec_sensor_processes", "gauge", "Processes in the sensor's process table.", [("", UInt64(max(0, s.processes)))])
        return out
    }
}
