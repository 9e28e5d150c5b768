import Config
import Testing

@Suite struct PlaceholderTests {
    @Test func builds() { #expect(KeySuggestion.closest(to: "sokcet", in: ["socket", "timeout"]) == "socket") }
}
