/// What a cell means, not how it looks: the theme turns roles into colours and attributes,
/// so screens never name a colour and monochrome terminals still get bold/reverse.
public enum StyleRole: UInt8, CaseIterable, Sendable {
    case normal, dim, header, footer, title, border, focusedBorder, selection
    case critical, error, warning, notice, info, debug
    /// A critical alert the operator has not looked at yet.
    case unseen
    case acknowledged, silenced, prompt, key, sparkline, good, bad, label, escaped

    /// The name used in theme files (`focused-border`).
    public var themeKey: String {
        switch self {
        case .focusedBorder: return "focused-border"
        default: return String(describing: self)
        }
    }
}
