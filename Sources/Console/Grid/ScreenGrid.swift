import TradsecCore

/// The in-memory screen every view renders into. The terminal driver only copies it out,
/// and tests read it back as a person would see it.
///
/// Text is made terminal-safe here, at the one place everything passes through: control
/// characters, escape sequences and bidi overrides in any string become visible escapes
/// (`\x1b`, `\u{202e}`), so no caller can forget it.
public struct ScreenGrid: Equatable, Sendable {
    public private(set) var width: Int
    public private(set) var height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    /// One-character strings for ASCII, made once: the hot path of every frame.
    static let asciiText: [String] = (0..<128).map { String(UnicodeScalar(UInt8($0))) }

    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
    }

    // MARK: - Drawing

    /// Writes `text` from (x, y), clipped to `maxWidth` cells and to the grid; returns the cells used.
    /// A wide character that would straddle the limit is replaced by a space.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, role: StyleRole = .normal, maxWidth: Int? = nil) -> Int {
        guard y >= 0, y < height, x < width else { return 0 }
        let limit = min(width, x + (maxWidth ?? width))
        var col = x
        let safe = TerminalSafe.escape(text)
        if safe.utf8.allSatisfy({ $0 < 0x80 }) {
            // Printable ASCII (escape() leaves no controls): one byte, one cell.
            for byte in safe.utf8 {
                if col >= limit { break }
                if col >= 0 { set(col, y, Cell(text: Self.asciiText[Int(byte)], role: role, width: 1)) }
                col += 1
            }
            return max(0, col - x)
        }
        for character in safe {
            let w = min(2, CellWidth.of(String(character)))
            if w == 0 {
                // A lone combining mark or zero-width character: no cell of its own.
                continue
            }
            if col + w > limit {
                if col < limit, col >= 0 { set(col, y, Cell(text: " ", role: role, width: 1)) }
                col = limit
                break
            }
            if col >= 0 {
                set(col, y, Cell(text: String(character), role: role, width: UInt8(w)))
                if w == 2 { set(col + 1, y, Cell(text: "", role: role, width: 0)) }
            }
            col += w
        }
        return max(0, col - x)
    }

    /// Writes `text` and pads with spaces of the same role to exactly `width` cells.
    public mutating func putPadded(_ text: String, x: Int, y: Int, width w: Int, role: StyleRole = .normal) {
        let used = put(text, x: x, y: y, role: role, maxWidth: w)
        if used < w { fill(Rect(x: x + used, y: y, width: w - used, height: 1), role: role) }
    }

    /// Writes `text` so that it ends at column `right` (exclusive).
    public mutating func putRight(_ text: String, right: Int, y: Int, role: StyleRole = .normal) {
        let w = CellWidth.of(TerminalSafe.escape(text))
        put(text, x: max(0, right - w), y: y, role: role, maxWidth: right - max(0, right - w))
    }

    /// Fills `rect` with spaces of `role`.
    public mutating func fill(_ rect: Rect, role: StyleRole = .normal, character: String = " ") {
        let cell = Cell(text: character, role: role, width: 1)
        for y in max(0, rect.y)..<min(height, rect.maxY) {
            for x in max(0, rect.x)..<max(max(0, rect.x), min(width, rect.maxX)) { set(x, y, cell) }
        }
    }

    /// Changes the role of every cell in `rect` (selection bars), keeping the text.
    public mutating func restyle(_ rect: Rect, role: StyleRole) {
        for y in max(0, rect.y)..<min(height, rect.maxY) {
            for x in max(0, rect.x)..<max(max(0, rect.x), min(width, rect.maxX)) { cells[y * width + x].role = role }
        }
    }

    /// A box-drawing border around `rect` with an optional title in its top edge.
    public mutating func box(_ rect: Rect, role: StyleRole = .border, title: String? = nil, titleRole: StyleRole = .title) {
        guard rect.width >= 2, rect.height >= 2 else { return }
        let right = rect.maxX - 1, bottom = rect.maxY - 1
        for x in rect.x + 1..<right {
            put("─", x: x, y: rect.y, role: role)
            put("─", x: x, y: bottom, role: role)
        }
        for y in rect.y + 1..<bottom {
            put("│", x: rect.x, y: y, role: role)
            put("│", x: right, y: y, role: role)
        }
        put("┌", x: rect.x, y: rect.y, role: role)
        put("┐", x: right, y: rect.y, role: role)
        put("└", x: rect.x, y: bottom, role: role)
        put("┘", x: right, y: bottom, role: role)
        if let title, rect.width > 4 {
            put(" " + title + " ", x: rect.x + 1, y: rect.y, role: titleRole, maxWidth: rect.width - 2)
        }
    }

    // MARK: - Reading back (tests, benchmarks)

    /// Row `y` as a person sees it (wide characters once, trailing spaces kept).
    public func row(_ y: Int) -> String {
        var out = ""
        for x in 0..<width where !self[x, y].isContinuation { out += self[x, y].text }
        return out
    }

    /// The whole screen, one line per row, trailing spaces trimmed.
    public var text: String {
        (0..<height).map { row($0).trimmingTrailingSpaces }.joined(separator: "\n")
    }

    /// The role of the first cell of the first occurrence of `needle`, if it is on screen.
    public func role(of needle: String) -> StyleRole? {
        for y in 0..<height {
            let line = row(y)
            guard let range = line.firstRange(of: needle) else { continue }
            // Map the character offset back to a column (wide characters count twice).
            let prefix = line[line.startIndex..<range.lowerBound]
            return self[CellWidth.of(prefix), y].role
        }
        return nil
    }

    // MARK: - Cells

    private mutating func set(_ x: Int, _ y: Int, _ cell: Cell) {
        guard x >= 0, x < width, y >= 0, y < height else { return }
        let i = y * width + x
        // Overwriting half of a wide character leaves the other half as a blank.
        if cells[i].isContinuation, x > 0, cell.width != 0 { cells[i - 1] = Cell(text: " ", role: cells[i - 1].role, width: 1) }
        if cells[i].width == 2, x + 1 < width, cell.width != 2 { cells[i + 1] = Cell(text: " ", role: cells[i + 1].role, width: 1) }
        cells[i] = cell
    }
}

extension String {
    var trimmingTrailingSpaces: String {
        var s = Substring(self)
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
