/// One macro, expanded once and shared by every rule and macro that names it.
///
/// A macro may name other macros several times (`m2: m1 and m1`); copying the expansion into
/// each user doubles the tree at every level, so 40 such macros made a tree of 2^40 nodes.
/// Every pass over conditions (event types, compilation, warnings, printing) visits a shared
/// expansion once and keeps what it found here.
public final class MacroExpansion: @unchecked Sendable, Equatable {
    public let name: String
    /// The expanded condition; macro references in it are `.macro` nodes of their own.
    public let body: ConditionExpr
    /// Nesting levels of the expanded tree below `body` (what the depth limit bounds).
    let level: Int
    /// Nodes of the tree with each use of a shared macro counted again (saturating): what
    /// evaluating it without sharing would cost.
    let treeSize: Int

    /// Caches filled while the engine compiles (one thread; read-only afterwards, which is
    /// why the class can be shared across evaluation threads).
    var eventCodes: [EventCodeSet?] = [nil, nil]
    var compiled: [CompileKey: Result<CompiledMacro, CompileError>] = [:]

    struct CompileKey: Hashable {
        let catalog: ObjectIdentifier
        let slots: ObjectIdentifier
    }

    struct CompiledMacro {
        let predicate: Predicate
        /// Warnings of the body and of every macro it names, each once.
        let warnings: [CompileWarning]
    }

    init(name: String, body: ConditionExpr, level: Int, treeSize: Int) {
        self.name = name
        self.body = body
        self.level = level
        self.treeSize = treeSize
    }

    public static func == (a: MacroExpansion, b: MacroExpansion) -> Bool { a === b }
}
