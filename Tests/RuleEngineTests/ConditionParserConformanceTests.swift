import Foundation
import Testing
@testable import RuleEngine

@Suite struct ConditionParserConformanceTests {
    /// Every case of condition-syntax/parser-cases.json, with its whitespace variants.
    @Test func parserCasesAcceptOrReject() throws {
        guard let url = Corpus.require("condition-syntax/parser-cases.json") else { return }
        let doc = try #require(try Corpus.readJSON(url) as? [String: Any])
        let cases = try #require(doc["cases"] as? [[String: Any]])
        #expect(cases.count > 500)
        var failures: [String] = []
        for (n, c) in cases.enumerated() {
            let condition = c["condition"] as! String
            let accept = c["accept"] as! Bool
            let label = "#\(n) [\(c["group"] as? String ?? "")] \(condition.prefix(80).debugDescription)"
            var variants = [condition]
            if accept, (c["whitespace_variants"] as? Bool) != false {
                let padded = " " + condition + " "
                variants += [padded, padded.replacingOccurrences(of: " ", with: "\n"),
                             padded.replacingOccurrences(of: " ", with: "\t")]
            }
            for text in variants {
                do {
                    _ = try ConditionParser.parse(text)
                    if !accept { failures.append("\(label): accepted, expected rejection") }
                } catch {
                    if accept {
                        failures.append("\(label) variant \(text.prefix(60).debugDescription): rejected (\(error.message))")
                    } else if let message = c["message"] as? String, error.message != message {
                        failures.append("\(label): message \(error.message.debugDescription), expected \(message.debugDescription)")
                    }
                }
            }
        }
        #expect(failures.isEmpty, Comment(rawValue: "\(failures.count) parser cases failed:\n" + failures.joined(separator: "\n")))
    }
}
