/// One terminal cell. A wide character occupies its cell and the next one, which holds a
/// continuation marker so columns line up exactly as the terminal will show them.
public struct Cell: Equatable, Sendable {
    /// One grapheme (a base character and its combining marks); empty for a continuation.
    public var text: String
    public var role: StyleRole
    /// 1, or 2 for a wide character; 0 for the right half of a wide character.
    public var width: UInt8

    public static let blank = Cell(text: " ", role: .normal, width: 1)

    public init(text: String, role: StyleRole, width: UInt8) {
        self.text = text
        self.role = role
        self.width = width
    }

    public var isContinuation: Bool { width == 0 }
}
