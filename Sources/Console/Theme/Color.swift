/// A colour as a theme file names it: the terminal's default, one of the 16 ANSI colours,
/// a 256-colour index, or 24-bit RGB. ``ColorDepth`` brings it down to what the terminal has.
public enum Color: Equatable, Sendable {
    case terminalDefault
    case indexed(Int)          // 0–7 ANSI, 8–15 bright, 16–255 the xterm cube and greys
    case rgb(UInt8, UInt8, UInt8)

    static let names = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]

    /// `default`, `red`, `bright-red`, `208`, `#ff8700`.
    public init?(_ text: String) {
        let t = text.lowercased()
        if t == "default" || t == "none" { self = .terminalDefault; return }
        if let i = Color.names.firstIndex(of: t) { self = .indexed(i); return }
        if t.hasPrefix("bright-"), let i = Color.names.firstIndex(of: String(t.dropFirst(7))) { self = .indexed(8 + i); return }
        if let n = Int(t), (0...255).contains(n) { self = .indexed(n); return }
        if t.hasPrefix("#"), t.count == 7, let v = UInt32(t.dropFirst(), radix: 16) {
            self = .rgb(UInt8(v >> 16), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF))
            return
        }
        return nil
    }

    /// The colour number for a terminal with `depth`, or -1 for the terminal default.
    public func number(for depth: ColorDepth) -> Int {
        switch (self, depth) {
        case (_, .none), (.terminalDefault, _): return -1
        case (.indexed(let i), .ansi8): return i < 16 ? i % 8 : Color.nearestANSI(Color.rgbOf(index: i), count: 8)
        case (.indexed(let i), .ansi16): return i < 16 ? i : Color.nearestANSI(Color.rgbOf(index: i), count: 16)
        case (.indexed(let i), _): return i
        case (.rgb(let r, let g, let b), .ansi8): return Color.nearestANSI((r, g, b), count: 8)
        case (.rgb(let r, let g, let b), .ansi16): return Color.nearestANSI((r, g, b), count: 16)
        case (.rgb(let r, let g, let b), _): return Color.nearestCube(r, g, b)
        }
    }

    // MARK: - Palette arithmetic

    static let ansiRGB: [(UInt8, UInt8, UInt8)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]
    static let cubeLevels: [Int] = [0, 95, 135, 175, 215, 255]

    static func rgbOf(index i: Int) -> (UInt8, UInt8, UInt8) {
        if i < 16 { return ansiRGB[i] }
        if i >= 232 { let v = UInt8(8 + (i - 232) * 10); return (v, v, v) }
        let c = i - 16
        return (UInt8(cubeLevels[c / 36]), UInt8(cubeLevels[c / 6 % 6]), UInt8(cubeLevels[c % 6]))
    }

    static func distance(_ a: (UInt8, UInt8, UInt8), _ b: (UInt8, UInt8, UInt8)) -> Int {
        let dr = Int(a.0) - Int(b.0), dg = Int(a.1) - Int(b.1), db = Int(a.2) - Int(b.2)
        return dr * dr * 2 + dg * dg * 4 + db * db * 3
    }

    static func nearestANSI(_ rgb: (UInt8, UInt8, UInt8), count: Int) -> Int {
        (0..<count).min { distance(ansiRGB[$0], rgb) < distance(ansiRGB[$1], rgb) } ?? 7
    }

    /// Nearest entry of the 6x6x6 cube or the grey ramp.
    static func nearestCube(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> Int {
        func level(_ v: UInt8) -> Int { cubeLevels.indices.min { abs(cubeLevels[$0] - Int(v)) < abs(cubeLevels[$1] - Int(v)) }! }
        let cube = 16 + 36 * level(r) + 6 * level(g) + level(b)
        let grey = 232 + min(23, max(0, (Int(r) + Int(g) + Int(b)) / 3 - 3) / 10)
        return distance(rgbOf(index: grey), (r, g, b)) < distance(rgbOf(index: cube), (r, g, b)) ? grey : cube
    }
}

/// How many colours the terminal shows. `none` covers NO_COLOR, `TERM=dumb` and the
/// monochrome theme: attributes only.
public enum ColorDepth: Int, Comparable, Sendable {
    case none = 0, ansi8 = 8, ansi16 = 16, indexed256 = 256, truecolor = 16_777_216

    public static func < (a: ColorDepth, b: ColorDepth) -> Bool { a.rawValue < b.rawValue }

    /// What the environment and the terminal's colour count allow.
    public static func detect(colors: Int, environment: [String: String]) -> ColorDepth {
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return .none }
        if environment["TERM"] == "dumb" || colors < 8 { return .none }
        // ncurses draws 24-bit themes through the 256-colour palette (nearest entry).
        if let ct = environment["COLORTERM"], ct == "truecolor" || ct == "24bit", colors >= 256 { return .truecolor }
        if colors >= 256 { return .indexed256 }
        if colors >= 16 { return .ansi16 }
        return .ansi8
    }
}
