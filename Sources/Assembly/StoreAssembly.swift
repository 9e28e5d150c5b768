import AlertStore
import TradsecCore

/// The history, as every command opens it.
public enum StoreAssembly {
    /// Opens (or creates) the history at `path`; `notice` hears what the store noticed about
    /// its files (a stale lock, a repaired WAL).
    public static func open(path: String, readOnly: Bool = false, notice: (String) -> Void = { _ in }) throws(AssemblyError) -> AlertStore {
        do {
            let store = try AlertStore(path: path, readOnly: readOnly)
            for text in store.fileNotices { notice(TerminalSafe.escape(text)) }
            return store
        } catch {
            throw .history("\(error)")
        }
    }
}
