import GRDBSQLite

/// What SQL from a user may do on the history: read, and nothing else.
///
/// ``HistorySQL`` asks it about every action SQLite's authorizer reports while compiling a
/// statement. The connection is read-only anyway (opened so, and `PRAGMA query_only`); this
/// turns SQLite's "attempt to write a readonly database" into an answer that says what was
/// refused and why, and refuses what a read-only connection still allows: ATTACH (another
/// file), pragmas that set something, load_extension(), transactions left open.
enum SQLReadPolicy {
    /// Pragmas that only describe: allowed with an argument (a table or index name).
    static let describingPragmas: Set<String> = [
        "table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo", "foreign_key_list",
        "foreign_key_check", "database_list", "collation_list", "function_list", "module_list", "pragma_list",
        "compile_options", "integrity_check", "quick_check",
    ]
    /// Pragmas that read a setting without an argument and set it with one.
    static let settingPragmas: Set<String> = [
        "user_version", "application_id", "schema_version", "data_version", "page_count", "page_size",
        "freelist_count", "encoding", "journal_mode", "auto_vacuum",
    ]
    /// Functions that load or register code.
    static let refusedFunctions: Set<String> = ["load_extension", "fts3_tokenizer"]

    static let onlyReads = "tradsec sql only reads the history"

    /// The schema table's names.
    static let schemaTables: Set<String> = ["sqlite_master", "sqlite_temp_master", "sqlite_schema", "sqlite_temp_schema"]

    /// nil when `action` (an SQLITE_* authorizer code, with its two arguments) is allowed;
    /// otherwise why not, for the user.
    static func refusal(action: Int32, _ first: String?, _ second: String?) -> String? {
        let name = first ?? "?"
        switch action {
        case SQLITE_SELECT, SQLITE_READ, SQLITE_RECURSIVE:
            return nil
        case SQLITE_FUNCTION:
            guard let function = second?.lowercased(), refusedFunctions.contains(function) else { return nil }
            return "\(function)() loads code into the process: \(onlyReads)"
        case SQLITE_PRAGMA:
            let pragma = name.lowercased()
            if describingPragmas.contains(pragma) || (settingPragmas.contains(pragma) && second == nil) { return nil }
            let shown = second.map { "PRAGMA \(pragma) = \($0)" } ?? "PRAGMA \(pragma)"
            return "\(shown) is not a pragma that only reads: \(onlyReads) (it allows "
                + describingPragmas.sorted().joined(separator: ", ") + ", and without a value "
                + settingPragmas.sorted().joined(separator: ", ") + ")"
        case SQLITE_INSERT where schemaTables.contains(name.lowercased()),
             SQLITE_UPDATE where schemaTables.contains(name.lowercased()),
             SQLITE_DELETE where schemaTables.contains(name.lowercased()):
            // SQLite reports an UPDATE of the schema table while it connects a virtual table
            // (`alerts`), and reports CREATE's and DROP's schema rows before the CREATE or DROP
            // itself, which is refused next with its own name. No statement can change the
            // schema table directly: that needs PRAGMA writable_schema, refused below, and the
            // connection is read-only.
            return nil
        case SQLITE_INSERT: return "INSERT into \(name) would change the history: \(onlyReads)"
        case SQLITE_UPDATE: return "UPDATE of \(name) would change the history: \(onlyReads)"
        case SQLITE_DELETE: return "DELETE from \(name) would change the history: \(onlyReads)"
        case SQLITE_ATTACH, SQLITE_DETACH:
            return "ATTACH and DETACH open or close other databases: \(onlyReads)"
        case SQLITE_TRANSACTION, SQLITE_SAVEPOINT:
            return "transactions are not needed: each statement reads in a transaction of its own (\(onlyReads))"
        case SQLITE_CREATE_INDEX, SQLITE_CREATE_TABLE, SQLITE_CREATE_TEMP_INDEX, SQLITE_CREATE_TEMP_TABLE,
             SQLITE_CREATE_TEMP_TRIGGER, SQLITE_CREATE_TEMP_VIEW, SQLITE_CREATE_TRIGGER, SQLITE_CREATE_VIEW,
             SQLITE_CREATE_VTABLE:
            return "CREATE \(name) would change the schema: \(onlyReads)"
        case SQLITE_DROP_INDEX, SQLITE_DROP_TABLE, SQLITE_DROP_TEMP_INDEX, SQLITE_DROP_TEMP_TABLE,
             SQLITE_DROP_TEMP_TRIGGER, SQLITE_DROP_TEMP_VIEW, SQLITE_DROP_TRIGGER, SQLITE_DROP_VIEW, SQLITE_DROP_VTABLE:
            return "DROP \(name) would change the schema: \(onlyReads)"
        case SQLITE_ALTER_TABLE: return "ALTER TABLE would change the schema: \(onlyReads)"
        case SQLITE_REINDEX, SQLITE_ANALYZE: return "REINDEX and ANALYZE write to the history: \(onlyReads)"
        default: return "the statement does more than read (SQLite authorizer action \(action)): \(onlyReads)"
        }
    }
}
