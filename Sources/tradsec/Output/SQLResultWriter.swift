import AlertStore
import TradsecCore

/// Prints what `tradsec sql` reads: a table for people, RFC 4180 CSV, or JSON Lines.
///
/// Any value may be alert text an attacker wrote. Tables are always escaped (``TextTable``);
/// CSV cells that a spreadsheet would take for a formula are neutralised
/// (``AlertRenderer/csvField(_:)``) and, on a terminal, escaped too; JSON is escaped only on a
/// terminal (``TerminalJSON``), so a file or a pipe gets the stored text exactly. Blobs are
/// lowercase hex in CSV and JSON, and a hex prefix with their size in a table.
struct SQLResultWriter {
    enum Format: String, CaseIterable { case table, csv, json }

    var format: Format
    /// Standard output is a terminal: CSV and JSON are escaped for it.
    var toTerminal: Bool
    /// Table rows are cut to this many cells when known.
    var width: Int?
    var write: (String) -> Void

    private var columns: [String] = []
    private var keys: [String] = []
    private var rows: [[String]] = []
    /// Result sets printed so far (the next one is set apart by an empty line).
    private var printed = 0

    init(format: Format, toTerminal: Bool, width: Int?, write: @escaping (String) -> Void) {
        self.format = format
        self.toTerminal = toTerminal
        self.width = width
        self.write = write
    }

    mutating func handle(_ event: SQLEvent) {
        switch event {
        case .columns(let names):
            columns = names
            keys = Self.uniqueKeys(names)
            rows = []
            guard !names.isEmpty else { return }
            if printed > 0 && format != .json { write(format == .csv ? "\r\n" : "\n") }
            printed += 1
            if format == .csv { write(names.map(csvText).joined(separator: ",") + "\r\n") }
        case .row(let values):
            switch format {
            case .table: rows.append(values.map(Self.tableCell))
            case .csv: write(values.map(csvCell).joined(separator: ",") + "\r\n")
            case .json: write(jsonLine(values) + "\n")
            }
        case .end:
            if format == .table && !columns.isEmpty {
                let widest = (0..<columns.count).max { a, b in
                    (rows.map { CellWidth.of($0[a]) }.max() ?? 0) < (rows.map { CellWidth.of($0[b]) }.max() ?? 0)
                } ?? 0
                write(TextTable(header: columns, rows: rows, maxWidth: width, flexibleColumn: widest).render())
            }
            rows = []
        }
    }

    /// JSON object keys: a column name repeated (`SELECT count(*), count(*)`) gets `_2`, `_3`…
    static func uniqueKeys(_ names: [String]) -> [String] {
        var seen = Set<String>()
        return names.map { name in
            var key = name
            var n = 1
            while seen.contains(key) {
                n += 1
                key = "\(name)_\(n)"
            }
            seen.insert(key)
            return key
        }
    }

    static func hex(_ bytes: some Collection<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for b in bytes { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 0xF)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Blobs in a table: at most this many bytes shown.
    static let tableBlobBytes = 16

    static func tableCell(_ value: SQLValue) -> String {
        switch value {
        case .null: return ""
        case .integer(let v): return String(v)
        case .real(let d): return String(d)
        case .text(let s): return s
        case .blob(let b):
            if b.count <= tableBlobBytes { return "x'\(hex(b))'" }
            return "x'\(hex(b.prefix(tableBlobBytes)))…' (\(b.count) bytes)"
        }
    }

    private func csvText(_ s: String) -> String {
        AlertRenderer.csvField(toTerminal ? TerminalSafe.escape(s) : s)
    }

    private func csvCell(_ value: SQLValue) -> String {
        switch value {
        case .null: return ""
        // Numbers are not neutralised: -5 is a number, not a formula.
        case .integer(let v): return String(v)
        case .real(let d): return String(d)
        case .text(let s): return csvText(s)
        case .blob(let b): return Self.hex(b)
        }
    }

    private func jsonLine(_ values: [SQLValue]) -> String {
        var object = JSONObject()
        for (key, value) in zip(keys, values) {
            switch value {
            case .null: object.append(key, .null)
            case .integer(let v): object.append(key, .int(v))
            case .real(let d): object.append(key, .double(d))
            case .text(let s): object.append(key, .string(s))
            case .blob(let b): object.append(key, .string(Self.hex(b)))
            }
        }
        let line = JSONWriter.string(.object(object))
        return toTerminal ? TerminalSafe.escapeJSON(line) : line
    }
}
