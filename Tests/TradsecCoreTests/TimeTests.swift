import Testing
@testable import TradsecCore

@Suite struct TimeTests {
    @Test func parsesFalcoTimesToTheNanosecond() throws {
        let t = try #require(Timestamp(rfc3339: "2016-08-04T16:17:57.881781397Z"))
        #expect(t.nanoseconds == 1_470_327_477_881_781_397)
        #expect(t.rfc3339() == "2016-08-04T16:17:57.881781397Z")
    }

    @Test(arguments: [
        ("2016-08-04T16:17:57Z", Int64(1_470_327_477_000_000_000)),
        ("2016-08-04T18:17:57+02:00", 1_470_327_477_000_000_000),
        ("2016-08-04T11:17:57.5-0500", 1_470_327_477_500_000_000),
        ("2016-08-04 16:17:57.123456789123Z", 1_470_327_477_123_456_789),
        ("2016-08-04", 1_470_268_800_000_000_000),
        ("1970-01-01T00:00:00Z", 0),
        ("1969-12-31T23:59:59.999999999Z", -1),
        ("2024-02-29T00:00:00Z", 1_709_164_800_000_000_000),
    ])
    func parsesTimestampForms(text: String, nanoseconds: Int64) {
        #expect(Timestamp(rfc3339: text)?.nanoseconds == nanoseconds)
    }

    @Test(arguments: ["", "2016-13-01T00:00:00Z", "2023-02-29", "2016-08-04T25:00:00Z", "2016-08-04T16:17:57.Z",
                      "yesterday", "2016-08-04T16:17:57Zjunk", "2016-8-4"])
    func rejectsInvalidTimestamps(text: String) {
        #expect(Timestamp(rfc3339: text) == nil)
    }

    @Test func formatsNegativeTimes() {
        #expect(Timestamp(nanoseconds: -1).rfc3339() == "1969-12-31T23:59:59.999999999Z")
    }

    @Test func parsesDurations() {
        #expect(Duration.parse("15m") == 900_000_000_000)
        #expect(Duration.parse("2h") == 7_200_000_000_000)
        #expect(Duration.parse("7d") == 604_800_000_000_000)
        #expect(Duration.parse("1h30m") == 5_400_000_000_000)
        #expect(Duration.parse("250ms") == 250_000_000)
        #expect(Duration.parse("1.5s") == 1_500_000_000)
        #expect(Duration.parse("15") == nil)
        #expect(Duration.parse("m") == nil)
        #expect(Duration.parse("3x") == nil)
        #expect(Duration.describe(nanoseconds: 5_400_000_000_000) == "1h30m")
    }

    @Test func timeSpecsAreDurationsOrTimes() {
        let now = Timestamp(nanoseconds: 1_000_000_000_000_000_000)
        #expect(TimeSpec.parse("15m", now: now)?.nanoseconds == now.nanoseconds - 900_000_000_000)
        #expect(TimeSpec.parse("2016-08-04T16:17:57Z", now: now)?.nanoseconds == 1_470_327_477_000_000_000)
        #expect(TimeSpec.parse("1470327477", now: now)?.nanoseconds == 1_470_327_477_000_000_000)
        #expect(TimeSpec.parse("soon", now: now) == nil)
    }

    // MARK: - Out of range (hostile times must be refused, never trap)

    @Test(arguments: ["9999-12-31T23:59:59Z", "2262-04-12", "1677-09-20T00:00:00Z", "0000-01-01", "9999-12-31T23:59:59.999999999-23:59"])
    func timesBeyondSixtyFourBitsOfNanosecondsAreOutOfRange(text: String) {
        #expect(Timestamp(rfc3339: text) == nil)
        #expect(Timestamp.parse(rfc3339: text) == .failure(.outOfRange))
    }

    @Test func theEndsOfTheRangeStillParse() {
        #expect(Timestamp(rfc3339: "2262-04-11T23:47:16.854775807Z") == Timestamp.latest)
        #expect(Timestamp.parse(rfc3339: "2262-04-11T23:47:16.854775808Z") == .failure(.outOfRange))
        #expect(Timestamp(rfc3339: "1677-09-21T00:12:43.145224192Z")?.nanoseconds == .min)
        #expect(Timestamp.parse(rfc3339: "not a time") == .failure(.syntax))
    }

    @Test func addingSaturatesInsteadOfWrapping() {
        #expect(Timestamp.latest.adding(nanoseconds: 1) == Timestamp.latest)
        #expect(Timestamp(nanoseconds: .min).adding(nanoseconds: -1).nanoseconds == .min)
        #expect(Timestamp(nanoseconds: 5).adding(nanoseconds: -7).nanoseconds == -2)
    }

    @Test(arguments: ["8000000000s8000000000s", "106751d106751d", "300000w", "99999999999999999999s", "1e400s"])
    func durationsThatDoNotFitAreRefused(text: String) {
        #expect(Duration.parse(text) == nil)
        #expect(TimeSpec.parse(text) == nil)
    }

    @Test func aLongDurationBackFromNowStaysARealBound() throws {
        let now = Timestamp(nanoseconds: 1_700_000_000_000_000_000)
        let since = try #require(TimeSpec.parse("100000d", now: now))
        #expect(since < now)
        #expect(TimeSpec.parse("9999-12-31", now: now) == nil)
        #expect(TimeSpec.parse("9999999999", now: now) == nil)
        #expect(TimeSpec.parse("9223372036", now: now)?.nanoseconds == 9_223_372_036_000_000_000)
    }
}

