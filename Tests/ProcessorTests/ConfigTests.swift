import Foundation
@testable import Processor
import Testing
import TestSupport
import TradsecCore

@Suite struct ServeConfigTests {
    @Test func tokensFromTheEnvironmentAndFromFilesPassTheSameCheck() throws {
        let directory = makeTemporaryDirectory()
        defer { removeTree(directory) }
        setenv("TRADSEC_TEST_SHORT_TOKEN", "short", 1)
        setenv("TRADSEC_TEST_GOOD_TOKEN", "  0123456789abcdef\n", 1)
        writeFile(directory + "/short", "short\n")
        writeFile(directory + "/good", "0123456789abcdef\n")

        #expect(throws: (any Error).self) { _ = try ProcessorConfig.parse("serve: {auth_token_env: TRADSEC_TEST_SHORT_TOKEN}", source: "t") }
        #expect(throws: (any Error).self) { _ = try ProcessorConfig.parse("serve: {auth_token_file: \(directory)/short}", source: "t") }
        #expect(throws: (any Error).self) { _ = try ProcessorConfig.parse("serve: {auth_token_env: TRADSEC_TEST_UNSET_TOKEN}", source: "t") }
        let fromEnv = try ProcessorConfig.parse("serve: {auth_token_env: TRADSEC_TEST_GOOD_TOKEN}", source: "t").0
        #expect(fromEnv.serve.authToken == "0123456789abcdef")
        let fromFile = try ProcessorConfig.parse("serve: {auth_token_file: \(directory)/good}", source: "t").0
        #expect(fromFile.serve.authToken == "0123456789abcdef")
        do {
            _ = try ProcessorConfig.parse("serve: {auth_token_env: TRADSEC_TEST_SHORT_TOKEN}", source: "t")
        } catch {
            #expect("\(error)".contains("at least 16 characters"), "\(error)")
        }
    }

    /// Sizes read as the gauges read them (one ``ByteSize``): `MB` is MiB, and a size no
    /// integer holds is a config error, not a crash.
    @Test func bodyLimitSizesUseTheSharedUnits() throws {
        #expect(try ProcessorConfig.parse("serve: {max_body: 8MB}", source: "t").0.serve.maxBody == 8 << 20)
        #expect(try ProcessorConfig.parse("serve: {max_body: 512KiB}", source: "t").0.serve.maxBody == 512 << 10)
        #expect(try ProcessorConfig.parse("serve: {max_body: 65536}", source: "t").0.serve.maxBody == 65536)
        for bad in ["99999999999999999999GiB", "0", "-4MB", "lots", "inf", "1e3"] {
            #expect(throws: (any Error).self, "\(bad)") { _ = try ProcessorConfig.parse("serve: {max_body: '\(bad)'}", source: "t") }
        }
    }
}
