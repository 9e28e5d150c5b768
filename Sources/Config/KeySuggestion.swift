/// The known name closest to a mistyped one (`sokcet` → `socket`, `intervall` → `interval`),
/// for "did you mean" in messages.
public enum KeySuggestion {
    /// The closest of `names` within a small edit distance (a swap of two neighbours counts
    /// once; case and `-`/`_` differences count nothing), or nil when none is close.
    public static func closest(to typed: String, in names: [String]) -> String? {
        let a = normalised(typed)
        guard !a.isEmpty, a.count <= 64 else { return nil }
        var best: (name: String, distance: Int)?
        for name in names {
            let d = distance(a, normalised(name))
            if d < (best?.distance ?? Int.max) { best = (name, d) }
        }
        guard let best else { return nil }
        let allowed = max(1, min(3, a.count / 3))
        return best.distance <= allowed ? best.name : nil
    }

    static func normalised(_ s: String) -> [Character] {
        Array(s.lowercased().map { $0 == "-" ? "_" : $0 })
    }

    /// Optimal string alignment distance (Levenshtein plus adjacent transpositions).
    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous2 = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], previous2[j - 2] + 1)
                }
            }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[b.count]
    }
}
