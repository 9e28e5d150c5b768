#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AlertStore
import Assembly
import ArgumentParser
import Feeds
import TradsecCore

struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Store Falco JSON alert lines in the history.",
        discussion: """
            Reads Falco's json_output lines from FILE (or standard input with '-' or no FILE).
            Malformed lines are counted, reported with their line numbers, and kept in the
            rejects table (see 'tradsec rejects'); they never stop the ingest. Lines already in
            the history are recognised and not stored twice, so re-running an ingest is safe.

            With --follow, keeps reading the file as it grows (like 'tail -F'), across rotation by
            rename or copytruncate, and resumes exactly where it stopped after a restart.
            With --socket, listens on a Unix socket (mode 0600) for writers, e.g. Falco's
            program_output: "socat - UNIX-CONNECT:/run/tradsec/alerts.sock". At most 64 writers
            at once (one more is refused, or replaces a writer idle for 60 s), lines up to 1 MiB
            (longer ones are rejected), a writer idle for 60 s in the middle of a line is closed;
            the report counts refused and closed writers besides rejected lines.
            Stop it with Ctrl-C or SIGTERM: everything read so far is committed first.

            Exit status: 0 when the input could be read (even with rejected lines), 66 when it
            cannot be opened, 74 when the history cannot be written.
            """
    )

    @OptionGroup var store: StoreOptions

    @Argument(help: ArgumentHelp("Falco JSON alert file, or '-' for standard input.", valueName: "file"))
    var file: String?

    @Option(name: .long, help: ArgumentHelp("Follow this file as it grows (survives rotation; resumes after restart).",
                                            valueName: "file"))
    var follow: String?

    @Option(name: .long, help: ArgumentHelp("Listen on this Unix socket for alert lines.", valueName: "path"))
    var socket: String?

    @Flag(name: .long, help: "With --follow and no saved position: skip what the file already holds.")
    var fromEnd = false

    @Option(name: .long, help: ArgumentHelp("Alerts committed per transaction.", valueName: "n"))
    var batchSize = 2000

    @Option(name: .long, help: ArgumentHelp("After ingesting, delete alerts older than this (e.g. 30d).", valueName: "duration"))
    var maxAge: String?

    @Option(name: .long, help: ArgumentHelp("After ingesting, keep only the newest N alerts.", valueName: "n"))
    var maxRows: Int?

    @Flag(name: .long, help: "Print the report as JSON.")
    var json = false

    @Option(name: .long, help: ArgumentHelp("Configuration file for the processing step: enrichment, correlation, notifications (default $XDG_CONFIG_HOME/tradsec/config.yaml).",
                                            valueName: "file"))
    var config: String?

    func validate() throws {
        if [follow != nil, file != nil, socket != nil].filter({ $0 }).count > 1 {
            throw ValidationError("give one input: FILE, --follow FILE or --socket PATH")
        }
        if batchSize < 1 { throw ValidationError("--batch-size must be at least 1") }
        if let maxAge, Duration.parse(maxAge) == nil { throw ValidationError("--max-age: '\(maxAge)' is not a duration (30d, 12h)") }
        if let maxRows, maxRows < 1 { throw ValidationError("--max-rows must be at least 1") }
    }

    func run() throws {
        try reportingErrors {
            let history = try store.open()
            // Every stored alert goes through the processing step (enrichment, incidents,
            // notifications); a follower or a socket listener also delivers notifications.
            let processing = try ProcessingStep(history: history, config: TradsecConfig.load(flag: config),
                                                deliver: follow != nil || socket != nil, command: "ingest", printingWarnings: true)
            processing.start()
            let retention = RetentionPolicy(maxAge: maxAge.flatMap(Duration.parse), maxRows: maxRows)
            if let follow {
                try runFollow(path: follow, history: history, retention: retention, processing: processing)
                return
            }
            if let socket {
                try runSocket(path: socket, history: history, processing: processing)
                return
            }
            let source = file ?? "-"
            let fd: Int32 = source == "-" ? STDIN_FILENO : open(source, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw CLIError.noInput("cannot open \(source): \(String(cString: strerror(errno)))") }
            defer { if fd != STDIN_FILENO { close(fd) } }
            let ingestor = processing.ingestor(store: history, origin: source == "-" ? "stdin" : "file:" + source, batchSize: batchSize)
            defer { processing.finish(through: ingestor.newestStored, command: "ingest") }
            do {
                try StreamIngest.run(fd: fd, ingestor: ingestor)
            } catch let error as FeedError {
                printReport(ingestor.report, source: source)
                throw CLIError.ioError(error.message)
            } catch {
                printReport(ingestor.report, source: source)
                throw CLIError.ioError("cannot store alerts: \(error)")
            }
            // Retention first: no point indexing what it deletes. A backlog left by a failed
            // run is picked up by the next ingestor (and searched meanwhile).
            if !retention.isUnlimited { try history.applyRetention(retention) }
            try ingestor.finishFullText()
            printReport(ingestor.report, source: source)
        }
    }

    private func runFollow(path: String, history: AlertStore, retention: RetentionPolicy, processing: ProcessingStep) throws {
        let ingestor = processing.ingestor(store: history, origin: "follow:" + path, batchSize: batchSize)
        defer { processing.finish(through: ingestor.newestStored, command: "ingest") }
        var options = FileFollower.Options()
        options.startAtEnd = fromEnd
        let follower = FileFollower(path: path, ingestor: ingestor, options: options) { event in
            Terminal.printError("tradsec: \(event)")
        }
        let stop = StopSignal.install()
        var lastRetention = Timestamp.now()
        do {
            try follower.run(shouldStop: {
                if !retention.isUnlimited, Timestamp.now().nanoseconds - lastRetention.nanoseconds > 60_000_000_000 {
                    lastRetention = .now()
                    _ = try? history.applyRetention(retention)
                }
                return stop.isSet
            })
        } catch {
            printReport(ingestor.report, source: path)
            throw CLIError.ioError("\(error)")
        }
        printReport(ingestor.report, source: path)
    }

    private func runSocket(path: String, history: AlertStore, processing: ProcessingStep) throws {
        let ingestor = processing.ingestor(store: history, origin: "socket:" + path, batchSize: batchSize)
        defer { processing.finish(through: ingestor.newestStored, command: "ingest") }
        let listener = SocketListener(path: path, ingestor: ingestor) { Terminal.printError("tradsec: \($0)") }
        do {
            try listener.open()
        } catch {
            throw CLIError.unavailable("\(error)")
        }
        Terminal.printError("tradsec: listening on \(path)")
        let stop = StopSignal.install()
        defer { listener.close() }
        let writers = { SocketWriters(accepted: listener.connectionsAccepted, refused: listener.connectionsRefused,
                                      closedIdle: listener.idleConnectionsClosed, limit: listener.limits.maxConnections) }
        do {
            try listener.run(shouldStop: { stop.isSet })
        } catch {
            printReport(ingestor.report, source: path, writers: writers())
            throw CLIError.ioError("\(error)")
        }
        printReport(ingestor.report, source: path, writers: writers())
    }

    /// What a socket listener refused besides lines: writers over the limit, idle writers closed.
    struct SocketWriters {
        var accepted, refused, closedIdle, limit: Int
    }

    private func printReport(_ report: IngestReport, source: String, writers: SocketWriters? = nil) {
        if json {
            var rejected = JSONObject()
            for (code, n) in report.rejectedByCode.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                rejected.append(code.rawValue, .int(Int64(n)))
            }
            var object = JSONObject([
                ("source", .string(source)), ("lines", .int(Int64(report.linesRead))),
                ("accepted", .int(Int64(report.accepted))), ("stored", .int(Int64(report.stored))),
                ("duplicates", .int(Int64(report.duplicates))), ("rejected", .int(Int64(report.rejected))),
                ("blank", .int(Int64(report.blankLines))), ("rejected_by_reason", .object(rejected)),
                ("first_rejects", .array(report.firstRejects.map {
                    .object(JSONObject([("line", .int(Int64($0.lineNumber))), ("reason", .string($0.code.rawValue)),
                                        ("message", .string($0.message))]))
                })),
            ])
            if let writers {
                object.append("writers", .object(JSONObject([
                    ("accepted", .int(Int64(writers.accepted))), ("refused", .int(Int64(writers.refused))),
                    ("closed_idle", .int(Int64(writers.closedIdle))), ("limit", .int(Int64(writers.limit))),
                ])))
            }
            let text = JSONWriter.string(.object(object))
            Terminal.write(TerminalJSON.forStdout(text) + "\n")
        } else {
            // The summary goes to stderr so stdout stays clean for pipelines.
            var summary = report.summary(source: source)
            if let writers {
                summary += "\n  writers: \(writers.accepted) connected, \(writers.refused) refused (limit \(writers.limit) at once), \(writers.closedIdle) closed when idle"
            }
            Terminal.printError(summary.split(separator: "\n").map { TerminalSafe.escape(String($0)) }.joined(separator: "\n"))
        }
    }
}
