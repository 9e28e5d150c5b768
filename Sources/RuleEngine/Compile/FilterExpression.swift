/// A standalone filter (the `tradsec filter` command and the filter conformance cases):
/// parse, reject macros, compile against a catalog.
public struct FilterExpression: Sendable {
    public let predicate: Predicate
    public let slots: FieldSlotTable
    public let warnings: [CompileWarning]

    /// An empty (or blank) expression selects every event, as sysdig does.
    public static func compile(_ text: String, catalog: FieldCatalog = FieldCatalogs.syscall,
                               slots: FieldSlotTable = FieldSlotTable()) throws(CompileError) -> FilterExpression {
        if text.trimmingBlanks().isEmpty {
            return FilterExpression(predicate: { _ in true }, slots: slots, warnings: [])
        }
        let ast: ConditionExpr
        do { ast = try ConditionParser.parse(text, maxDepth: ConditionParser.loaderMaxDepth) } catch {
            var e = CompileError(error.message, at: error.position)
            e.isSyntax = true
            throw e
        }
        var compiler = FilterCompiler(catalog: catalog, slots: slots)
        let predicate = try compiler.compile(ast)
        return FilterExpression(predicate: predicate, slots: slots, warnings: compiler.warnings)
    }
}
