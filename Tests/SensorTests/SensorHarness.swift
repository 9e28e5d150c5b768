#if canImport(Glibc)
import Glibc
#endif
import Foundation
import RuleEngine
import Synchronization
import Testing
import TestSupport
import TradsecCore
@testable import Sensor

/// The tests that load a live sensor, one at a time: every sensor sees the whole host, so a
/// storm test beside another would flood the other's ring buffer.
@Suite(.serialized) enum LiveSensorTests {}

/// Alerts a live sensor raised, parsed, with waits that poll until a deadline.
final class AlertCollector: @unchecked Sendable {
    private let alerts = Mutex<[JSONValue]>([])

    func add(_ alert: SensorAlert) {
        guard let value = try? JSONParser.parse(Array(alert.line.utf8)) else {
            Issue.record("the sensor produced an alert that is not JSON: \(alert.line)")
            return
        }
        alerts.withLock { $0.append(value) }
    }

    var all: [JSONValue] { alerts.withLock { $0 } }

    /// The first alert `match` accepts, waiting up to `timeout` seconds for it.
    func wait(timeout: Double = 15, _ match: (JSONValue) -> Bool) -> JSONValue? {
        let deadline = Monotonic.seconds() + timeout
        repeat {
            if let found = all.first(where: match) { return found }
            usleep(50_000)
        } while Monotonic.seconds() < deadline
        return nil
    }
}

extension JSONValue {
    /// An `output_fields` value as text (numbers as their digits).
    func field(_ name: String) -> String? {
        guard let value = self["output_fields"]?[name] else { return nil }
        if let text = value.stringValue { return text }
        return value.displayText
    }
    var rule: String { self["rule"]?.stringValue ?? "" }
}

enum SensorHarness {
    static let officialRules = "../shared/conformance/falco-rules/falco_rules.yaml"
    static let tradingRules = "rules/trading_rules.yaml"

    /// The sensor tests load eBPF programs: root, and the object `make bpf` builds.
    static func requirements() throws {
        try #require(geteuid() == 0, "the sensor tests load eBPF programs: run them as root (as CI does)")
        let object = Preflight.objectCandidates().first { access($0, R_OK) == 0 }
        try #require(object != nil, "the sensor's BPF object is missing: run `make bpf` (needs \(SensorError.packages))")
    }

    /// A temporary rules file.
    static func rulesFile(_ text: String, in directory: String) -> String {
        let path = directory + "/rules-\(UInt32.random(in: 0...UInt32.max)).yaml"
        writeFile(path, text)
        return path
    }

    /// A started sensor on `rulePaths` (loaded in order), and what it raises.
    static func start(rules rulePaths: [String], options: HostSensor.Options = HostSensor.Options()) throws -> (HostSensor, AlertCollector) {
        let (engine, results) = RulesReport.load(rulePaths)
        try #require(engine.isValid, "rules do not load: \(RulesReport.validationText(results: results))")
        let sensor = try HostSensor(engine: engine, options: options)
        let collector = AlertCollector()
        try sensor.start { collector.add($0) }
        return (sensor, collector)
    }

    /// Runs argv to completion (no shell); its exit status.
    @discardableResult
    static func run(_ argv: [String], directory: String) -> (pid: pid_t, status: Int32) {
        guard let child = ChildProcess.start(argv, stdoutPath: directory + "/child-\(UInt32.random(in: 0...UInt32.max)).out") else {
            Issue.record("cannot start \(argv[0])")
            return (0, -1)
        }
        return (child.pid, child.wait())
    }

    /// The sensor's counters once `settled` holds (the consumer publishes after each drain), or
    /// as they are after 5 s.
    static func statistics(_ sensor: HostSensor, until settled: (SensorStatistics) -> Bool) -> SensorStatistics {
        var stats = sensor.statistics()
        let deadline = Monotonic.seconds() + 5
        while !settled(stats) && Monotonic.seconds() < deadline { usleep(20_000); stats = sensor.statistics() }
        return stats
    }

    static func marker() -> String { "tsmark" + String(UInt64.random(in: 0...UInt64.max), radix: 36) }
}
