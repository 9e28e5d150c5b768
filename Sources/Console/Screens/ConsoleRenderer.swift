import TradsecCore

/// What one render produced: the grid, where the text cursor goes (prompts), and how many
/// rows a page holds on the current screen (PgUp/PgDn).
public struct Frame: Sendable {
    public var grid: ScreenGrid
    public var cursor: (x: Int, y: Int)?
    public var pageSize: Int
}

/// Composes the whole screen from the state: header, the current screen, footer.
public enum ConsoleRenderer {
    public static func render(_ state: ConsoleState, width: Int, height: Int, now: Timestamp,
                              sources: [SourceStatus]) -> Frame {
        var grid = ScreenGrid(width: width, height: height)
        guard width >= 10, height >= 3 else {
            grid.put("too small", x: 0, y: 0, role: .bad)
            return Frame(grid: grid, cursor: nil, pageSize: 1)
        }
        let (headerRect, rest) = grid.bounds.splitTop(1)
        let (body, footerRect) = rest.splitBottom(1)
        Header.draw(state, sources: sources, now: now, in: headerRect, grid: &grid)
        let pageSize: Int
        switch state.screen {
        case .overview: pageSize = OverviewScreen.draw(state, now: now, in: body, grid: &grid)
        case .containers: pageSize = ContainersScreen.draw(state, now: now, in: body, grid: &grid)
        case .container(let id): pageSize = ContainerDetailScreen.draw(state, id: id, now: now, in: body, grid: &grid)
        case .alert(let stored): pageSize = AlertDetailScreen.draw(state, stored: stored, now: now, in: body, grid: &grid)
        case .help: pageSize = HelpScreen.draw(state, in: body, grid: &grid)
        case .audit: pageSize = AuditScreen.draw(state, now: now, in: body, grid: &grid)
        case .gauges: pageSize = GaugesScreen.draw(state, now: now, in: body, grid: &grid)
        case .incidents: pageSize = IncidentsScreen.draw(state, now: now, in: body, grid: &grid)
        case .incident(let id): pageSize = IncidentDetailScreen.draw(state, id: id, now: now, in: body, grid: &grid)
        }
        if case .confirmIncident(let confirmation) = state.mode {
            IncidentPrompt.drawTarget(confirmation, in: body, grid: &grid)
        }
        let cursor = Footer.draw(state, in: footerRect, grid: &grid)
        return Frame(grid: grid, cursor: cursor, pageSize: pageSize)
    }
}
