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
}
