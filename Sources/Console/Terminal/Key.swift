/// A key press as the console's state machine sees it, independent of ncurses.
public enum Key: Equatable, Hashable, Sendable {
    case character(Character)
    case up, down, left, right, pageUp, pageDown, home, end
    case enter, escape, tab, backTab, backspace, delete
    case resize
    case function(Int)
    case control(Character)      // Ctrl-letter, lowercase letter

    /// Parses a key name as the config file writes it: `q`, `ctrl-c`, `enter`, `pgdn`, `f1`, `space`.
    public init?(name: String) {
        let n = name.lowercased()
        switch n {
        case "up": self = .up
        case "down": self = .down
        case "left": self = .left
        case "right": self = .right
        case "pgup", "pageup": self = .pageUp
        case "pgdn", "pagedown": self = .pageDown
        case "home": self = .home
        case "end": self = .end
        case "enter", "return": self = .enter
        case "esc", "escape": self = .escape
        case "tab": self = .tab
        case "backtab", "shift-tab": self = .backTab
        case "backspace": self = .backspace
        case "delete", "del": self = .delete
        case "space": self = .character(" ")
        default:
            if n.hasPrefix("ctrl-"), n.count == 6, let c = n.last, c.isLetter { self = .control(c); return }
            if n.hasPrefix("f"), let k = Int(n.dropFirst()), (1...12).contains(k) { self = .function(k); return }
            guard name.count == 1, let c = name.first else { return nil }
            self = .character(c)
        }
    }

    /// How help and the footer show the key.
    public var label: String {
        switch self {
        case .character(" "): return "Space"
        case .character(let c): return String(c)
        case .up: return "↑"
        case .down: return "↓"
        case .left: return "←"
        case .right: return "→"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .home: return "Home"
        case .end: return "End"
        case .enter: return "Enter"
        case .escape: return "Esc"
        case .tab: return "Tab"
        case .backTab: return "S-Tab"
        case .backspace: return "Bksp"
        case .delete: return "Del"
        case .resize: return "resize"
        case .function(let n): return "F\(n)"
        case .control(let c): return "^" + String(c).uppercased()
        }
    }
}
