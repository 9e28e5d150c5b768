import Assembly
import Foundation
@testable import Processor
import TestSupport
import Testing
import TradsecCore

@Suite struct ServeConfigTests {
    @Test func tokensFromTheEnvironmentAndFromFilesPassTheSameCheck() throws {
        let directory = makeTemporaryDirectory()
        defer { removeTree(directory) }
        setenv("TRADSEC_TEST_SHORT_TOKEN", "short", 1)
        setenv("TRADSEC_TEST_GOOD_TOKEN", "  0123456789abcdef\n", 1)
        writeFile(directory + "/short", "short\n")
        writeFile(directory + "/good", "0123456789abcdef\n")

        #expect(throws: (any Error).self) { _ = try TradsecConfig.section(ServeSettings.self, yaml: "serve: {auth_token_env: TRADSEC_TEST_SHORT_TOKEN}", file: "t") }
        #expect(throws: (any Error).self) { _ = try TradsecConfig.section(ServeSettings.self, yaml: "serve: {auth_token_file: \(directory)/short}", file: "t") }
        #expect(throws: (any Error).self) { _ = try TradsecConfig.section(ServeSettings.self, yaml: "serve: {auth_token_env: TRADSEC_TEST_UNSET_TOKEN}", file: "t") }
        let fromEnv = try TradsecConfig.section(ServeSettings.self, yaml: "serve: {auth_token_env: TRADSEC_TEST_GOOD_TOKEN}", file: "t")
        #expect(fromEnv.authToken == "0123456789abcdef")
        let fromFile = try TradsecConfig.section(ServeSettings.self, yaml: "serve: {auth_token_file: \(directory)/good}", file: "t")
        #expect(fromFile.authToken == "0123456789abcdef")
        do {
            _ = try TradsecConfig.section(ServeSettings.self, yaml: "serve: {auth_token_env: TRADSEC_TEST_SHORT_TOKEN}", file: "t")
        } catch {
            #expect("\(error)".contains("at least 16 characters"), "\(error)")
        }
    }

    /// Sizes read as the gauges read them (one ``ByteSize``): `MB` is MiB, and a size no
    /// integer holds is a config error, not a crash.
    @Test func bodyLimitSizesUseTheSharedUnits() throws {
        #expect(try TradsecConfig.section(ServeSettings.self, yaml: "serve: {max_body: 8MB}", file: "t").maxBody == 8 << 20)
        #expect(try TradsecConfig.section(ServeSettings.self, yaml: "serve: {max_body: 512KiB}", file: "t").maxBody == 512 << 10)
        #expect(try TradsecConfig.section(ServeSettings.self, yaml: "serve: {max_body: 65536}", file: "t").maxBody == 65536)
        for bad in ["99999999999999999999GiB", "0", "-4MB", "lots", "inf", "1e3"] {
            #expect(throws: (any Error).self, "\(bad)") { _ = try TradsecConfig.section(ServeSettings.self, yaml: "serve: {max_body: '\(bad)'}", file: "t") }
        }
    }
}
