import Testing
import TopMockProtocol

@Suite struct TimestampTests {
    let now: Int64 = 1_451_620_800_000  // 2016-01-01 04:00:00 UTC

    @Test func zoneModes() {
        let utcWallClock = "2016-01-01 04:00:00"
        #expect(!TimestampPolicy(zone: .gmt8).accepts(utcWallClock, nowMillis: now))
        #expect(TimestampPolicy(zone: .local, localOffsetSeconds: 0).accepts(utcWallClock, nowMillis: now))
        #expect(TimestampPolicy(zone: .any, localOffsetSeconds: 0).accepts(utcWallClock, nowMillis: now))
        #expect(TimestampPolicy(zone: .any, localOffsetSeconds: 0).accepts("2016-01-01 12:00:00", nowMillis: now))
        #expect(!TimestampPolicy(zone: .local, localOffsetSeconds: 0).accepts("2016-01-01 12:00:00", nowMillis: now))
    }

    @Test func rejectsMalformedAndImpossibleDates() {
        let policy = TimestampPolicy(zone: .gmt8, toleranceSeconds: Int64.max / 2000)
        for text in [
            "", "2016-1-01 12:00:00", "2016-01-01T12:00:00", "2016-13-01 12:00:00", "2015-02-29 00:00:00", "2016-01-01 24:00:00", "-451620800000",
            "14516208000000",
        ] {
            #expect(!policy.accepts(text, nowMillis: now), "\(text)")
        }
        #expect(policy.accepts("2016-02-29 00:00:00", nowMillis: now))
        #expect(policy.accepts("9999-12-31 23:59:59", nowMillis: now))
    }

    @Test func formatsGMT8() {
        #expect(TimestampPolicy.format(epochMillis: now) == "2016-01-01 12:00:00")
        #expect(TimestampPolicy.format(epochMillis: 0, offsetSeconds: 0) == "1970-01-01 00:00:00")
        #expect(TimestampPolicy.format(epochMillis: 951_782_400_000, offsetSeconds: 0) == "2000-02-29 00:00:00")
    }

    /// Every part zero-padded to its width; years past four digits keep all of them.
    @Test func formatsEveryPartAtItsWidth() {
        #expect(TimestampPolicy.format(epochMillis: 981_173_106_000, offsetSeconds: 0) == "2001-02-03 04:05:06")
        #expect(TimestampPolicy.format(epochMillis: -62_135_596_800_000, offsetSeconds: 0) == "0001-01-01 00:00:00")
        #expect(TimestampPolicy.format(epochMillis: 253_402_300_799_000, offsetSeconds: 0) == "9999-12-31 23:59:59")
        #expect(TimestampPolicy.format(epochMillis: 253_402_300_800_000, offsetSeconds: 0) == "10000-01-01 00:00:00")
    }
}
