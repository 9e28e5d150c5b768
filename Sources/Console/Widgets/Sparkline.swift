/// Rates as a row of block characters, scaled to the largest value. Zero is a blank so a
/// quiet period reads as quiet; any non-zero value shows at least the lowest block.
public enum Sparkline {
    static let blocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// The last `width` values of `values` (oldest first) as `width` characters.
    public static func render(_ values: [Int], width: Int) -> String {
        guard width > 0 else { return "" }
        let shown = values.suffix(width)
        let peak = max(1, shown.max() ?? 1)
        var out = String(repeating: " ", count: max(0, width - shown.count))
        for v in shown {
            if v <= 0 { out.append(" "); continue }
            let level = min(blocks.count - 1, (v * blocks.count - 1) / peak)
            out.append(blocks[level])
        }
        return out
    }
}
