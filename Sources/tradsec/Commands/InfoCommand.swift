import ArgumentParser
import TradsecCore

struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Show where tradsec keeps its files."
    )

    @OptionGroup var store: StoreOptions

    func run() {
        Terminal.write("""
            version   \(Tradsec.version)
            history   \(store.path)
            config    \(Paths.configDirectory)/config.yaml
            state     \(Paths.stateDirectory)

            """)
    }
}
