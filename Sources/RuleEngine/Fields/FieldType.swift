/// Value types of the field catalogs (libsinsp `ppm_param_type` names as in the TSV files).
public enum FieldType: String, Sendable, CaseIterable {
    case charbuf = "CHARBUF", bytebuf = "BYTEBUF", bool = "BOOL"
    case int16 = "INT16", int32 = "INT32", int64 = "INT64"
    case uint32 = "UINT32", uint64 = "UINT64", double = "DOUBLE"
    case reltime = "RELTIME", abstime = "ABSTIME"
    case ipaddr = "IPADDR", ipnet = "IPNET", port = "PORT", dyn = "DYN"

    /// The operator family libsinsp uses to check operator compatibility and to name errors.
    var family: TypeFamily {
        switch self {
        case .charbuf, .dyn: return .string
        case .bytebuf: return .buffer
        case .bool: return .bool
        case .ipaddr, .ipnet: return .ip
        case .int16, .int32, .int64, .uint32, .uint64, .double, .reltime, .abstime, .port: return .numeric
        }
    }

    var isSigned: Bool { self == .int16 || self == .int32 || self == .int64 }
    var isUnsigned: Bool { self == .uint32 || self == .uint64 || self == .reltime || self == .abstime || self == .port }

    /// Bit width used to wrap numeric constants the way libsinsp stores them.
    var bitWidth: Int {
        switch self {
        case .int16: return 16
        case .int32, .uint32: return 32
        case .port: return 16
        default: return 64
        }
    }
}

enum TypeFamily: Sendable {
    case string, buffer, bool, ip, numeric

    /// Wording of libsinsp's "'<op>' operator not supported for ... filters" errors.
    var filterWord: String {
        switch self {
        case .string: return "string"
        case .buffer: return "buffer"
        case .bool: return "boolean"
        case .ip: return "ip address and network"
        case .numeric: return "numeric"
        }
    }
}

/// How a field accepts an argument (`proc.aname[2]`, `evt.arg.flags`, `proc.env[HOME]`).
public struct FieldArgSpec: Sendable, Equatable {
    public var required = false
    public var optional = false
    public var index = false
    public var key = false
    public var accepts: Bool { required || optional }

    init(column: String) {
        for part in column.split(separator: "+") {
            switch part {
            case "required": required = true
            case "optional": optional = true
            case "index": index = true
            case "key": key = true
            default: break
            }
        }
    }
}

/// One row of a field catalog.
public struct FieldInfo: Sendable {
    public let name: String
    public let type: FieldType
    public let isList: Bool
    public let arg: FieldArgSpec
    public let description: String
    public let flags: Set<String>

    public var filterOnly: Bool { flags.contains("filter_only") }
    public var printOnly: Bool { flags.contains("print_only") }
    public var noRHS: Bool { flags.contains("no_rhs") }
    public var noTransformer: Bool { flags.contains("no_transformer") }
    public var deprecated: Bool { flags.contains("deprecated") }
}
