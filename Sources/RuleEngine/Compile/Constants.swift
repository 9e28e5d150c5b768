/// A right-hand constant parsed once, at compile time, into the left field's type.
enum Constant: Sendable, Hashable {
    case bytes([UInt8])
    case int(Int64)
    case uint(UInt64)
    case double(Double)
    case bool(Bool)
    case ip(IPAddress)
    case net(IPNetwork)
}

/// Turns right-hand text into a `Constant` for a field type, with libsinsp's messages.
enum ConstantParser {
    /// libsinsp (sysdig 0.29 era) rejects longer constants; kept so huge literals fail early.
    static let maxLength = 255

    static func parse(_ text: String, type: FieldType, op: CompareOp) throws(CompileError) -> Constant {
        if text.utf8.count > maxLength {
            throw CompileError("filter parameter too long:" + String(text.prefix(maxLength)))
        }
        switch type {
        case .charbuf, .dyn:
            return .bytes(Array(text.utf8))
        case .bytebuf:
            if op == .bcontains || op == .bstartswith {
                guard let decoded = decodeHex(text) else {
                    throw CompileError("invalid hex string '\(text)': expected an even number of hex digits")
                }
                return .bytes(decoded)
            }
            return .bytes(Array(text.utf8))
        case .bool:
            switch text {
            case "true": return .bool(true)
            case "false": return .bool(false)
            default: throw CompileError("unrecognized boolean value \(text)")
            }
        case .int16, .int32, .int64:
            guard let v = parseInteger(text) else { throw CompileError("\(text) is not a valid number") }
            return .int(wrapSigned(v, bits: type.bitWidth))
        case .uint32, .uint64, .reltime, .abstime:
            guard let v = parseInteger(text) else { throw CompileError("\(text) is not a valid number") }
            return .uint(wrapUnsigned(v, bits: type.bitWidth))
        case .double:
            guard let v = parseInteger(text) else { throw CompileError("\(text) is not a valid number") }
            return .double(Double(v.magnitudeValue) * (v.negative ? -1 : 1))
        case .port:
            if let v = parseInteger(text), !text.trimmingBlanks().hasPrefix("-"), !text.trimmingBlanks().hasPrefix("+") {
                return .uint(wrapUnsigned(v, bits: 16))
            }
            if let port = wellKnownPorts[text] { return .uint(port) }
            throw CompileError("unrecognized protocol \(text)")
        case .ipaddr:
            guard let ip = IPAddress.parse(text) else {
                throw CompileError(text.contains(".") && !text.contains(":") ? "unrecognized IPv4 address \(text)"
                                                                              : "unrecognized IPv6 address \(text)")
            }
            return .ip(ip)
        case .ipnet:
            return .net(try parseNetwork(text))
        }
    }

    /// `a.b.c.d/n`; host bits are ignored. IPv6 networks are refused as in the reference filter engine.
    static func parseNetwork(_ text: String) throws(CompileError) -> IPNetwork {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard !text.contains(":") else { throw CompileError("unrecognized IPv6 address \(text)") }
        guard parts.count == 2, let v4 = IPAddress.parseV4(parts[0]) else {
            throw CompileError("unrecognized IPv4 network \(text)")
        }
        guard let length = Int(parts[1]), length >= 0, length <= 32 else {
            throw CompileError("invalid netmask \(parts[1])")
        }
        return IPNetwork(address: IPAddress(high: 0, low: UInt64(v4), isV4: true), prefixLength: length)
    }

    struct ParsedInteger {
        var negative: Bool
        var magnitudeValue: UInt64
    }

    /// Decimal only: optional leading blanks, optional sign, digits. Saturates on overflow.
    static func parseInteger(_ text: String) -> ParsedInteger? {
        var bytes = Substring(text).utf8.drop(while: { $0 == 0x20 || $0 == 0x09 })
        var negative = false
        if let f = bytes.first, f == UInt8(ascii: "-") || f == UInt8(ascii: "+") {
            negative = f == UInt8(ascii: "-"); bytes = bytes.dropFirst()
        }
        guard !bytes.isEmpty else { return nil }
        var value: UInt64 = 0
        var overflow = false
        for c in bytes {
            guard c >= 0x30 && c <= 0x39 else { return nil }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(UInt64(c - 0x30))
            if o1 || o2 { overflow = true }
            value = a
        }
        if overflow { value = .max }
        return ParsedInteger(negative: negative, magnitudeValue: value)
    }

    /// Out of Int64's range the value saturates, as libsinsp's `sscanf("%" PRId64)` does
    /// (`fd.num = 99999999999999999999` is Int64.max, not a wrapped negative number).
    static func wrapSigned(_ v: ParsedInteger, bits: Int) -> Int64 {
        let raw: Int64
        if v.negative {
            raw = v.magnitudeValue > UInt64(Int64.max) ? .min : -Int64(v.magnitudeValue)
        } else {
            raw = v.magnitudeValue > UInt64(Int64.max) ? .max : Int64(v.magnitudeValue)
        }
        switch bits {
        case 16: return Int64(Int16(truncatingIfNeeded: raw))
        case 32: return Int64(Int32(truncatingIfNeeded: raw))
        default: return raw
        }
    }

    static func wrapUnsigned(_ v: ParsedInteger, bits: Int) -> UInt64 {
        let raw: UInt64 = v.negative ? 0 &- v.magnitudeValue : v.magnitudeValue
        switch bits {
        case 16: return UInt64(UInt16(truncatingIfNeeded: raw))
        case 32: return UInt64(UInt32(truncatingIfNeeded: raw))
        default: return raw
        }
    }

    static func decodeHex(_ text: String) -> [UInt8]? {
        let bytes = Array(text.utf8)
        guard bytes.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            guard let hi = StringUnescaping.hexValue(bytes[i]), let lo = StringUnescaping.hexValue(bytes[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }

    /// The services `getservbyname` resolves on a stock system, for PORT values given by name.
    static let wellKnownPorts: [String: UInt64] = [
        "ftp-data": 20, "ftp": 21, "ssh": 22, "telnet": 23, "smtp": 25, "domain": 53, "dns": 53, "tftp": 69,
        "gopher": 70, "finger": 79, "http": 80, "www": 80, "kerberos": 88, "pop3": 110, "sunrpc": 111,
        "ident": 113, "auth": 113, "nntp": 119, "ntp": 123, "netbios-ns": 137, "netbios-dgm": 138,
        "netbios-ssn": 139, "imap": 143, "imap2": 143, "snmp": 161, "snmp-trap": 162, "ldap": 389,
        "https": 443, "microsoft-ds": 445, "syslog": 514, "submission": 587, "ldaps": 636, "rsync": 873,
        "imaps": 993, "pop3s": 995, "socks": 1080, "openvpn": 1194, "mysql": 3306, "postgresql": 5432,
        "redis": 6379, "x11": 6000, "http-alt": 8080,
    ]
}

extension StringProtocol {
    var asBytes: [UInt8] { Array(utf8) }
}
