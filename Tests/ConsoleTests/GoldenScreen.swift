#if canImport(Glibc)
import Glibc
#endif
@testable import Console
import Testing
import TestSupport
import TradsecCore

/// A screen as a golden file: the characters of each row, then one letter per cell for its
/// style role, so a moved column, a cut label or a changed colour all show in a diff.
/// docs/maintainers/golden-screens.md describes the format and how to re-record.
struct GoldenScreen: Equatable {
    /// Where the golden files live; `<name>.actual` beside a golden is the last mismatching render.
    static let directory = #filePath.components(separatedBy: "/Tests/")[0] + "/Tests/Fixtures/golden-screens"
    /// `make golden` sets it: write the files instead of comparing.
    static let recordVariable = "TRADSEC_RECORD_GOLDEN"
    static var recording: Bool { Paths.environment(recordVariable).map { !$0.isEmpty && $0 != "0" } ?? false }

    var title: String
    var width: Int
    var height: Int
    /// Each row's characters (a wide character once, where its first cell is).
    var text: [String]
    /// Each row's roles, one letter per cell (both cells of a wide character).
    var style: [String]

    init(title: String, grid: ScreenGrid) {
        self.title = title
        width = grid.width
        height = grid.height
        text = (0..<grid.height).map { grid.row($0) }
        style = (0..<grid.height).map { y in String((0..<grid.width).map { Self.letter(grid[$0, y].role) }) }
    }

    /// One letter per role; the switch makes a new role a compile error here until it has one.
    static func letter(_ role: StyleRole) -> Character {
        switch role {
        case .normal: "."
        case .dim: "d"
        case .header: "h"
        case .footer: "f"
        case .title: "t"
        case .border: "b"
        case .focusedBorder: "B"
        case .selection: "S"
        case .critical: "C"
        case .error: "E"
        case .warning: "W"
        case .notice: "N"
        case .info: "I"
        case .debug: "D"
        case .unseen: "U"
        case .acknowledged: "A"
        case .silenced: "Z"
        case .prompt: "P"
        case .key: "K"
        case .sparkline: "s"
        case .good: "G"
        case .bad: "X"
        case .label: "L"
        case .escaped: "e"
        }
    }

    static var legend: String {
        StyleRole.allCases.map { "\(letter($0)) \($0.themeKey)" }.joined(separator: "  ")
    }

    // MARK: - The file

    /// Rows are framed by `|` so trailing spaces survive editors and show in a diff.
    var file: String {
        var lines = [
            "# tradsec golden screen: \(title) at \(width)x\(height) (Tests/ConsoleTests/GoldenScreenTests.swift)",
            "# re-record after an intended change: make golden (docs/maintainers/golden-screens.md)",
            "# style, one letter per cell: " + Self.legend,
            "text",
        ]
        lines += text.map { "|" + $0 + "|" }
        lines.append("style")
        lines += style.map { "|" + $0 + "|" }
        return lines.joined(separator: "\n") + "\n"
    }

    struct FormatError: Error, CustomStringConvertible { var description: String }

    /// Reads a golden file back (the comment lines are not compared: they carry no cells).
    init(file: String, title: String) throws {
        self.title = title
        let lines = file.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.hasPrefix("#") }
        guard let textStart = lines.firstIndex(of: "text"), let styleStart = lines.firstIndex(of: "style"), textStart < styleStart else {
            throw FormatError(description: "no 'text' and 'style' sections")
        }
        func rows(_ slice: ArraySlice<String>) throws -> [String] {
            try slice.filter { !$0.isEmpty }.map { line in
                guard line.count >= 2, line.first == "|", line.last == "|" else { throw FormatError(description: "row not framed by '|': \(line)") }
                return String(line.dropFirst().dropLast())
            }
        }
        text = try rows(lines[(textStart + 1)..<styleStart])
        style = try rows(lines[(styleStart + 1)...])
        height = text.count
        width = style.first?.count ?? 0
        guard style.count == height else { throw FormatError(description: "\(height) text rows but \(style.count) style rows") }
    }

    // MARK: - Comparing

    /// The rows that differ, as `row N text|style, column C` with expected and actual, at most `limit`.
    static func differences(expected: GoldenScreen, actual: GoldenScreen, limit: Int = 6) -> [String] {
        var out: [String] = []
        if expected.width != actual.width || expected.height != actual.height {
            out.append("size: expected \(expected.width)x\(expected.height), actual \(actual.width)x\(actual.height)")
        }
        for (layer, e, a) in [("text", expected.text, actual.text), ("style", expected.style, actual.style)] {
            for y in 0..<max(e.count, a.count) where out.count < limit {
                let want = e[safe: y] ?? "(no row)", got = a[safe: y] ?? "(no row)"
                guard want != got else { continue }
                let column = firstDifferentCell(want, got)
                out.append("""
                    row \(y) \(layer), column \(column):
                      expected |\(want)|
                      actual   |\(got)|
                                \(String(repeating: " ", count: column))^
                    """)
            }
        }
        return out
    }

    /// The cell column where two rows part (wide characters count two cells).
    static func firstDifferentCell(_ a: String, _ b: String) -> Int {
        var column = 0
        for (x, y) in zip(a, b) {
            if x != y { return column }
            column += CellWidth.of(String(x))
        }
        return column
    }

    /// Compares `grid` with the golden `name` (or records it under `make golden`). On a
    /// mismatch the test fails with the first differing rows and `<name>.actual` is written.
    static func check(_ grid: ScreenGrid, name: String, title: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let actual = GoldenScreen(title: title, grid: grid)
        let path = directory + "/" + name + ".golden"
        let actualPath = directory + "/" + name + ".actual"
        if recording {
            mkdir(directory, 0o755)
            writeFile(path, actual.file)
            unlink(actualPath)
            return
        }
        let expected: GoldenScreen
        do {
            expected = try GoldenScreen(file: try TextFile.read(path), title: title)
        } catch {
            mkdir(directory, 0o755)
            writeFile(actualPath, actual.file)
            Issue.record("golden \(name): \(error); the screen as drawn is in \(actualPath) (make golden records it)",
                         sourceLocation: sourceLocation)
            return
        }
        let diffs = differences(expected: expected, actual: actual)
        if diffs.isEmpty {
            unlink(actualPath)
            return
        }
        writeFile(actualPath, actual.file)
        let rows = Set(0..<max(expected.height, actual.height)).filter {
            expected.text[safe: $0] != actual.text[safe: $0] || expected.style[safe: $0] != actual.style[safe: $0]
        }.count
        Issue.record(Comment(rawValue: """
            golden \(name) (\(title) at \(actual.width)x\(actual.height)): \(rows) row(s) differ; \
            actual written to \(actualPath) (diff it with the golden; make golden re-records after an intended change)
            \(diffs.joined(separator: "\n"))
            """), sourceLocation: sourceLocation)
    }
}
