import TradsecCore

/// A list of network destinations: IPv4/IPv6 addresses, CIDR blocks and domains
/// (`example.com` matches itself and every subdomain; `*.example.com` only subdomains).
/// Used for the exchange allowlist and for threat-intelligence lists.
public struct AddressList: Sendable {
    struct Network: Sendable {
        var bytes: [UInt8]
        var prefix: Int
        var label: String?
    }

    private(set) var networks: [Network] = []
    private(set) var exactDomains: [String: String?] = [:]
    private(set) var suffixDomains: [(suffix: String, label: String?)] = []
    public private(set) var count = 0

    public init() {}

    /// Why an entry was refused (the entry as written).
    public enum Problem: CustomStringConvertible, Sendable, Equatable {
        /// Has a `/` but is not ADDRESS/PREFIX with a prefix the address can hold.
        case notACIDRBlock(String)
        /// `*.` followed by something that is not a domain.
        case notADomain(String)
        /// Neither an address, a CIDR block nor a domain.
        case unrecognised(String)

        public var description: String {
            switch self {
            case .notACIDRBlock(let entry): "'\(TerminalSafe.escape(entry))' is not a CIDR block"
            case .notADomain(let entry): "'\(TerminalSafe.escape(entry))' is not a domain"
            case .unrecognised(let entry): "'\(TerminalSafe.escape(entry))' is not an address, CIDR block or domain"
            }
        }
    }

    /// A refused line of a list file.
    public struct ParseError: Error, CustomStringConvertible, Sendable {
        public var line: Int
        public var problem: Problem
        public var description: String { "line \(line): \(problem)" }
    }

    /// One entry per line: `ADDRESS|CIDR|DOMAIN [LABEL]`; `#` starts a comment. Bad lines are
    /// returned as errors and skipped, so one typo does not blind the whole list.
    public static func parse(_ text: String, defaultLabel: String? = nil) -> (AddressList, [ParseError]) {
        var list = AddressList()
        var errors: [ParseError] = []
        for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = Substring(rawLine)
            if let hash = line.firstIndex(of: "#") { line = line[..<hash] }
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "," })
            guard let first = words.first else { continue }
            let label = words.count > 1 ? String(words[1]) : defaultLabel
            if let error = list.add(String(first), label: label) {
                errors.append(ParseError(line: number + 1, problem: error))
            }
        }
        return (list, errors)
    }

    /// Adds one entry; returns why it was refused, if it was.
    @discardableResult
    public mutating func add(_ entry: String, label: String? = nil) -> Problem? {
        let text = entry.lowercased()
        if let slash = text.firstIndex(of: "/") {
            guard let bytes = IPAddress.parse(String(text[..<slash])),
                  let prefix = Int(text[text.index(after: slash)...]), prefix >= 0, prefix <= bytes.count * 8 else {
                return .notACIDRBlock(entry)
            }
            networks.append(Network(bytes: bytes, prefix: prefix, label: label))
        } else if let bytes = IPAddress.parse(text) {
            networks.append(Network(bytes: bytes, prefix: bytes.count * 8, label: label))
        } else if text.hasPrefix("*.") {
            let suffix = String(text.dropFirst(1))   // ".example.com"
            guard Self.isDomain(String(suffix.dropFirst())) else { return .notADomain(entry) }
            suffixDomains.append((suffix, label))
        } else {
            guard Self.isDomain(text) else { return .unrecognised(entry) }
            exactDomains[text] = label
            suffixDomains.append(("." + text, label))
        }
        count += 1
        return nil
    }

    /// The matching entry's label (or the empty string for an unlabelled match); nil when nothing matches.
    public func match(ip: String) -> String?? {
        guard let bytes = IPAddress.parse(ip) else { return nil }
        for network in networks where network.bytes.count == bytes.count && Self.prefixMatches(network, bytes) {
            return .some(network.label)
        }
        return nil
    }

    public func match(domain: String) -> String?? {
        var name = domain.lowercased()
        if name.hasSuffix(".") { name.removeLast() }
        if let label = exactDomains[name] { return .some(label) }
        for (suffix, label) in suffixDomains where name.hasSuffix(suffix) { return .some(label) }
        return nil
    }

    static func prefixMatches(_ network: Network, _ bytes: [UInt8]) -> Bool {
        var bits = network.prefix
        var i = 0
        while bits >= 8 {
            if network.bytes[i] != bytes[i] { return false }
            bits -= 8; i += 1
        }
        if bits == 0 { return true }
        let mask = UInt8(0xFF) << (8 - bits)
        return network.bytes[i] & mask == bytes[i] & mask
    }

    static func isDomain(_ text: String) -> Bool {
        guard !text.isEmpty, text.count <= 253, text.contains(".") else { return false }
        return text.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            !label.isEmpty && label.count <= 63 && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
        }
    }
}

/// IPv4 and IPv6 text to bytes (4 or 16), without the resolver.
public enum IPAddress {
    public static func parse(_ text: String) -> [UInt8]? {
        if text.contains(":") { return parseV6(text) }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var out: [UInt8] = []
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy(\.isASCII), let v = UInt8(part) else { return nil }
            out.append(v)
        }
        return out
    }

    static func parseV6(_ text: String) -> [UInt8]? {
        var body = Substring(text)
        if body.hasPrefix("["), body.hasSuffix("]") { body = body.dropFirst().dropLast() }
        let halves = body.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func groups(_ s: String) -> [UInt16]? {
            if s.isEmpty { return [] }
            var out: [UInt16] = []
            for g in s.split(separator: ":", omittingEmptySubsequences: false) {
                guard !g.isEmpty, g.count <= 4, let v = UInt16(g, radix: 16) else { return nil }
                out.append(v)
            }
            return out
        }
        guard let head = groups(halves[0]) else { return nil }
        let tail = halves.count == 2 ? groups(halves[1]) : []
        guard let tail else { return nil }
        let missing = 8 - head.count - tail.count
        guard halves.count == 2 ? missing >= 1 : missing == 0 else { return nil }
        let all = head + Array(repeating: 0, count: max(0, missing)) + tail
        return all.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
    }
}
