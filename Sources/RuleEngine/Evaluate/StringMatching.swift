/// Byte-level string operators of libsinsp (`contains`, `glob`, `pmatch`, ...).
enum StringMatching {
    @inline(__always)
    static func lowerASCII(_ c: UInt8) -> UInt8 { c >= 0x41 && c <= 0x5A ? c | 0x20 : c }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        let n = needle.count, h = haystack.count
        if n == 0 { return true }
        if n > h { return false }
        return haystack.withUnsafeBufferPointer { hb in
            needle.withUnsafeBufferPointer { nb in
                let first = nb[0]
                var i = 0
                let last = h - n
                while i <= last {
                    if hb[i] == first {
                        var k = 1
                        while k < n && hb[i + k] == nb[k] { k += 1 }
                        if k == n { return true }
                    }
                    i += 1
                }
                return false
            }
        }
    }

    /// `needle` must already be lower-cased.
    static func containsIgnoringCase(_ haystack: [UInt8], loweredNeedle needle: [UInt8]) -> Bool {
        let n = needle.count, h = haystack.count
        if n == 0 { return true }
        if n > h { return false }
        var i = 0
        while i <= h - n {
            var k = 0
            while k < n && lowerASCII(haystack[i + k]) == needle[k] { k += 1 }
            if k == n { return true }
            i += 1
        }
        return false
    }

    static func hasPrefix(_ value: [UInt8], _ prefix: [UInt8]) -> Bool {
        guard prefix.count <= value.count else { return false }
        for i in 0..<prefix.count where value[i] != prefix[i] { return false }
        return true
    }

    static func hasSuffix(_ value: [UInt8], _ suffix: [UInt8]) -> Bool {
        guard suffix.count <= value.count else { return false }
        let offset = value.count - suffix.count
        for i in 0..<suffix.count where value[offset + i] != suffix[i] { return false }
        return true
    }

    static func lessThan(_ a: [UInt8], _ b: [UInt8]) -> Bool { a.lexicographicallyPrecedes(b) }

    /// fnmatch(3) without flags: `*` (also across `/`), `?`, `[...]`, `[!...]`, backslash escapes.
    static func glob(_ pattern: [UInt8], _ text: [UInt8], ignoreCase: Bool = false) -> Bool {
        var p = 0, t = 0
        var starP = -1, starT = 0
        @inline(__always) func fold(_ c: UInt8) -> UInt8 { ignoreCase ? lowerASCII(c) : c }
        while t < text.count {
            if p < pattern.count {
                let pc = pattern[p]
                if pc == UInt8(ascii: "*") {
                    starP = p; starT = t; p += 1; continue
                }
                if pc == UInt8(ascii: "?") { p += 1; t += 1; continue }
                if pc == UInt8(ascii: "["), let (matched, next) = matchBracket(pattern, p, fold(text[t]), fold) {
                    if matched { p = next; t += 1; continue }
                } else {
                    var lit = pc
                    var adv = 1
                    if pc == UInt8(ascii: "\\"), p + 1 < pattern.count { lit = pattern[p + 1]; adv = 2 }
                    if fold(lit) == fold(text[t]) { p += adv; t += 1; continue }
                }
            }
            if starP >= 0 {
                p = starP + 1; starT += 1; t = starT; continue
            }
            return false
        }
        while p < pattern.count && pattern[p] == UInt8(ascii: "*") { p += 1 }
        return p == pattern.count
    }

    /// Returns (matched, index after `]`) or nil when the bracket is not closed (then `[` is literal).
    private static func matchBracket(_ pattern: [UInt8], _ start: Int, _ c: UInt8, _ fold: (UInt8) -> UInt8) -> (Bool, Int)? {
        var i = start + 1
        var negate = false
        if i < pattern.count && (pattern[i] == UInt8(ascii: "!") || pattern[i] == UInt8(ascii: "^")) { negate = true; i += 1 }
        var matched = false
        var first = true
        while i < pattern.count {
            let pc = pattern[i]
            if pc == UInt8(ascii: "]") && !first { return (matched != negate, i + 1) }
            first = false
            if i + 2 < pattern.count && pattern[i + 1] == UInt8(ascii: "-") && pattern[i + 2] != UInt8(ascii: "]") {
                let lo = fold(pc), hi = fold(pattern[i + 2])
                if c >= lo && c <= hi { matched = true }
                i += 3
            } else {
                if fold(pc) == c { matched = true }
                i += 1
            }
        }
        return nil
    }
}

/// libsinsp `path_prefix_search`: some entry is a prefix of the path on whole components;
/// entries may use glob wildcards per component.
struct PathPrefixMatcher: Sendable {
    private let entries: [[[UInt8]]]

    init(_ paths: [[UInt8]]) {
        entries = paths.map(Self.components)
    }

    static func components(_ path: [UInt8]) -> [[UInt8]] {
        path.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true).map(Array.init)
    }

    func matches(_ path: [UInt8]) -> Bool {
        let parts = Self.components(path)
        outer: for entry in entries {
            guard entry.count <= parts.count else { continue }
            for (i, component) in entry.enumerated() {
                let hasWildcard = component.contains { $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "[") }
                if hasWildcard ? !StringMatching.glob(component, parts[i]) : component != parts[i] { continue outer }
            }
            return true
        }
        return false
    }
}
