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

    /// Sums adjacent values into `width` groups, so a whole timeline fits a narrow space
    /// (``render`` keeps only the most recent values instead).
    public static func resampled(_ values: [Int], width: Int) -> [Int] {
        guard width > 0, values.count > width else { return values }
        var out = [Int](repeating: 0, count: width)
        for (i, v) in values.enumerated() { out[i * width / values.count] += v }
        return out
    }
}
