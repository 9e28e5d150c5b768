/// How one role looks.
public struct Style: Equatable, Sendable {
    public var foreground: Color
    public var background: Color
    public var bold = false
    public var dim = false
    public var reverse = false
    public var underline = false

    public init(foreground: Color = .terminalDefault, background: Color = .terminalDefault,
                bold: Bool = false, dim: Bool = false, reverse: Bool = false, underline: Bool = false) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.dim = dim
        self.reverse = reverse
        self.underline = underline
    }
}

/// Roles to styles. Every role has a style: what a theme file leaves out comes from the
/// built-in default, and ``monochrome`` says how each role stands out without colour.
public struct Theme: Equatable, Sendable {
    public var name: String
    public var styles: [StyleRole: Style]
    /// True for themes meant to use attributes only (`monochrome`).
    public var attributesOnly = false

    public func style(_ role: StyleRole) -> Style { styles[role] ?? Style() }

    /// The look of `role` on a terminal without colour: attributes carry the meaning.
    public static func monochromeStyle(_ role: StyleRole) -> Style {
        switch role {
        case .critical, .unseen: return Style(bold: true, reverse: true)
        case .error, .header, .title, .key, .bad: return Style(bold: true)
        case .warning, .prompt, .escaped: return Style(underline: true)
        case .selection, .footer: return Style(reverse: true)
        case .dim, .debug, .border, .acknowledged, .silenced, .info: return Style(dim: true)
        case .focusedBorder: return Style(bold: true)
        default: return Style()
        }
    }

    /// The built-in theme, also what `themes/default.yaml` describes.
    public static let builtIn: Theme = {
        func c(_ s: String) -> Color { Color(s)! }
        let styles: [StyleRole: Style] = [
            .normal: Style(),
            .dim: Style(foreground: c("bright-black")),
            .header: Style(foreground: c("bright-white"), background: c("24"), bold: true),
            .footer: Style(foreground: c("white"), background: c("236")),
            .title: Style(foreground: c("bright-white"), bold: true),
            .border: Style(foreground: c("bright-black")),
            .focusedBorder: Style(foreground: c("bright-cyan"), bold: true),
            .selection: Style(foreground: c("bright-white"), background: c("25")),
            .critical: Style(foreground: c("bright-red"), bold: true),
            .error: Style(foreground: c("red")),
            .warning: Style(foreground: c("yellow")),
            .notice: Style(foreground: c("cyan")),
            .info: Style(foreground: c("white")),
            .debug: Style(foreground: c("bright-black")),
            .unseen: Style(foreground: c("bright-white"), background: c("red"), bold: true),
            .acknowledged: Style(foreground: c("green")),
            .silenced: Style(foreground: c("bright-black")),
            .prompt: Style(foreground: c("bright-yellow"), bold: true),
            .key: Style(foreground: c("bright-yellow"), background: c("236"), bold: true),
            .sparkline: Style(foreground: c("bright-cyan")),
            .good: Style(foreground: c("green")),
            .bad: Style(foreground: c("bright-red"), bold: true),
            .label: Style(foreground: c("bright-blue")),
            .escaped: Style(foreground: c("magenta"), underline: true),
        ]
        return Theme(name: "default", styles: styles)
    }()
}
