/// A set of priorities as users write it: `critical`, `>=warning`, `<notice`,
/// `error,critical`. `>=warning` means "Warning or more severe".
public struct PriorityFilter: Sendable, Equatable, CustomStringConvertible {
    public var allowed: Set<Priority>

    public init(allowed: Set<Priority>) { self.allowed = allowed }

    public static let all = PriorityFilter(allowed: Set(Priority.allCases))

    public func contains(_ p: Priority) -> Bool { allowed.contains(p) }

    public init?(_ text: String) {
        var result = Set<Priority>()
        for part in text.split(separator: ",") {
            let term = part.trimmingCharacters(in: " ")
            var op = ""
            var name = Substring(term)
            for candidate in [">=", "<=", ">", "<", "="] where name.hasPrefix(candidate) {
                op = candidate
                name = name.dropFirst(candidate.count)
                break
            }
            guard let p = Priority(name: name.trimmingCharacters(in: " ")) else { return nil }
            switch op {
            case ">=": result.formUnion(Priority.allCases.filter { $0 >= p })
            case ">": result.formUnion(Priority.allCases.filter { $0 > p })
            case "<=": result.formUnion(Priority.allCases.filter { $0 <= p })
            case "<": result.formUnion(Priority.allCases.filter { $0 < p })
            default: result.insert(p)
            }
        }
        guard !result.isEmpty else { return nil }
        allowed = result
    }

    public var description: String {
        if allowed.count == Priority.allCases.count { return "any" }
        let sorted = allowed.sorted(by: >)
        if let least = sorted.last, sorted.first == .emergency, sorted.count == Priority.allCases.filter({ $0 >= least }).count {
            return ">=\(least.name.lowercased())"
        }
        return sorted.map { $0.name.lowercased() }.joined(separator: ",")
    }

    public static let help = "a priority (critical), a bound (>=warning, <notice) or a list (error,critical)"
}

extension StringProtocol {
    func trimmingCharacters(in set: Character) -> String {
        var s = Substring(self)
        while s.first == set { s.removeFirst() }
        while s.last == set { s.removeLast() }
        return String(s)
    }
}
