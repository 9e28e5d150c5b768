#if canImport(Glibc)
import Glibc
#endif
import CNcurses
import TradsecCore

/// The only code that talks to ncurses: it copies a ``ScreenGrid`` to the screen and turns
/// ncurses key codes into ``Key``s. Deciding what changed on the wire is ncurses' job
/// (`wnoutrefresh` + `doupdate`); here only cells that differ from the last copied grid
/// are handed over, so a quiet frame costs almost nothing.
public final class CursesTerminal {
    private let screen: OpaquePointer
    private let output: UnsafeMutablePointer<FILE>
    private let input: UnsafeMutablePointer<FILE>
    private var last: ScreenGrid?
    private var attributes: [attr_t] = []
    private var pairs: [Int16] = []
    public private(set) var depth: ColorDepth = .none
    private var ended = false
    /// Written from any thread to end a wait for a key (see ``wakeUp``).
    private let wakePipe = WakePipe()

    /// Starts ncurses on the process's terminal.
    public static func onTerminal(theme: Theme, environment: [String: String]) throws -> CursesTerminal {
        guard let out = fdopen(dup(STDOUT_FILENO), "w"), let inp = fdopen(dup(STDIN_FILENO), "r") else {
            throw TerminalError.cannotOpen
        }
        return try CursesTerminal(terminalType: nil, output: out, input: inp, theme: theme, environment: environment)
    }

    /// Starts ncurses writing to `output` (a terminal, or a file for tests and benchmarks;
    /// then the size comes from `$LINES`/`$COLUMNS`).
    public init(terminalType: String?, output: UnsafeMutablePointer<FILE>, input: UnsafeMutablePointer<FILE>,
                theme: Theme, environment: [String: String]) throws {
        Self.useUTF8Locale()
        self.output = output
        self.input = input
        guard let scr = newterm(terminalType, output, input) else {
            fclose(output)
            fclose(input)
            throw TerminalError.cannotStart(term: environment["TERM"])
        }
        screen = scr
        guard cn_can_address_cursor() != 0 else {
            endwin()
            delscreen(scr)
            fclose(output)
            fclose(input)
            ended = true
            throw TerminalError.notFullScreen(term: environment["TERM"])
        }
        cbreak()
        noecho()
        nonl()
        keypad(cn_stdscr(), true)
        curs_set(0)
        set_escdelay(25)          // Esc is a key here, not the start of a sequence: don't wait 1 s
        if has_colors() {
            start_color()
            use_default_colors()
        }
        apply(theme: theme, environment: environment)
    }

    deinit { shutdown() }

    /// Ends a `readKey` that is waiting (new data to draw); safe to call from any thread
    /// while the terminal lives.
    public var wakeUp: WakePipe { wakePipe }

    /// Restores the terminal (idempotent).
    public func shutdown() {
        guard !ended else { return }
        ended = true
        endwin()
        delscreen(screen)
        fclose(output)
        fclose(input)
    }

    /// The terminal's size in cells.
    public var size: (width: Int, height: Int) {
        (Int(getmaxx(cn_stdscr())), Int(getmaxy(cn_stdscr())))
    }

    // MARK: - Styles

    /// Maps every role to ncurses attributes and a colour pair for this terminal's depth.
    public func apply(theme: Theme, environment: [String: String]) {
        depth = has_colors() ? ColorDepth.detect(colors: Int(cn_colors()), environment: environment) : .none
        if theme.attributesOnly { depth = .none }
        attributes = []
        pairs = []
        for role in StyleRole.allCases {
            let style = depth == .none ? (theme.attributesOnly ? theme.style(role) : Theme.monochromeStyle(role)) : theme.style(role)
            var a = cn_a_normal()
            if style.bold { a |= cn_a_bold() }
            if style.dim { a |= cn_a_dim() }
            if style.reverse { a |= cn_a_reverse() }
            if style.underline { a |= cn_a_underline() }
            attributes.append(a)
            if depth == .none {
                pairs.append(0)
            } else {
                let pair = Int16(role.rawValue) + 1
                init_pair(pair, Int16(style.foreground.number(for: depth)), Int16(style.background.number(for: depth)))
                pairs.append(pair)
            }
        }
        last = nil           // every cell's look may have changed
    }

    // MARK: - Drawing

    /// Copies `grid` to the screen and sends the difference to the terminal.
    public func draw(_ grid: ScreenGrid, cursor: (x: Int, y: Int)? = nil) {
        let window = cn_stdscr()
        let full = last == nil || last!.width != grid.width || last!.height != grid.height
        if full { werase(window) }
        var buffer = [wchar_t](repeating: 0, count: 16)
        let maxY = min(grid.height, Int(getmaxy(window)))
        let maxX = min(grid.width, Int(getmaxx(window)))
        for y in 0..<maxY {
            for x in 0..<maxX {
                let cell = grid[x, y]
                if !full, last![x, y] == cell { continue }
                if cell.isContinuation { continue }      // ncurses fills the right half itself
                var n = 0
                for scalar in cell.text.unicodeScalars where n < 15 {
                    buffer[n] = wchar_t(bitPattern: scalar.value)
                    n += 1
                }
                buffer[n] = 0
                let role = Int(cell.role.rawValue)
                _ = cn_put_cell(window, Int32(y), Int32(x), buffer, attributes[role], pairs[role])
            }
        }
        last = grid
        if let cursor {
            curs_set(1)
            wmove(window, Int32(cursor.y), Int32(cursor.x))
        } else {
            curs_set(0)
        }
        wnoutrefresh(window)
        doupdate()
    }

    /// Forgets what is on screen so the next draw repaints everything (after SIGCONT or Ctrl-L).
    public func invalidate() {
        last = nil
        clearok(cn_curscr(), true)
    }

    // MARK: - Input

    /// The next key, waiting at most `timeoutMilliseconds` (0: don't wait) or until `wake()`;
    /// nil when none came.
    public func readKey(timeoutMilliseconds: Int32) -> Key? {
        if timeoutMilliseconds > 0 {
            // Keys ncurses already buffered first; then sleep on the keyboard and the wake-up
            // together (a signal such as SIGWINCH ends the wait too: ncurses turns it into a key).
            if let key = readKey(timeoutMilliseconds: 0) { return key }
            var fds = [pollfd(fd: fileno(input), events: Int16(POLLIN), revents: 0),
                       pollfd(fd: wakePipe.readFD, events: Int16(POLLIN), revents: 0)]
            _ = poll(&fds, nfds_t(fds.count), timeoutMilliseconds)
            if fds[1].revents != 0 { wakePipe.drain() }
            return readKey(timeoutMilliseconds: 0)
        }
        wtimeout(cn_stdscr(), timeoutMilliseconds)
        var ch = wint_t(0)
        let r = wget_wch(cn_stdscr(), &ch)
        if r == ERR { return nil }
        if r == KEY_CODE_YES { return Self.key(code: Int32(ch)) }
        return Self.key(character: UInt32(ch))
    }

    static func key(code: Int32) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_ENTER: return .enter
        case KEY_BTAB: return .backTab
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case KEY_RESIZE: return .resize
        default:
            for n in 1...12 where code == cn_key_f(Int32(n)) { return .function(n) }
            return nil
        }
    }

    static func key(character value: UInt32) -> Key? {
        switch value {
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 1...26: return .control(Character(UnicodeScalar(value + 96)!))
        default:
            guard let scalar = UnicodeScalar(value), value >= 0x20 else { return nil }
            return .character(Character(scalar))
        }
    }

    // MARK: - Locale

    /// ncursesw needs a UTF-8 locale to draw anything but ASCII; hosts often only have C.UTF-8.
    static func useUTF8Locale() {
        setlocale(LC_ALL, "")
        if let codeset = nl_langinfo(nl_item(CODESET)), String(cString: codeset) == "UTF-8" { return }
        if setlocale(LC_ALL, "C.UTF-8") == nil { _ = setlocale(LC_ALL, "en_US.UTF-8") }
    }
}

/// Why the full-screen console could not start.
public enum TerminalError: Error, CustomStringConvertible {
    /// The controlling terminal cannot be opened (no tty, e.g. under cron).
    case cannotOpen
    /// ncurses refused the terminal type (`term` is $TERM, nil when unset).
    case cannotStart(term: String?)
    /// The terminal type cannot address the cursor, so a full-screen console is impossible.
    case notFullScreen(term: String?)

    public var description: String {
        switch self {
        case .cannotOpen: "cannot open the terminal"
        case .cannotStart(let term): "cannot start the terminal interface for TERM=\(term ?? "?")"
        case .notFullScreen(let term):
            "this terminal (TERM=\(term ?? "unset")) cannot show a full-screen console; use 'tradsec query' or set TERM (e.g. xterm-256color)"
        }
    }
}
