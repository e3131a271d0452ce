/// How the `timestamp` parameter is checked (docs/protocol.md, "Timestamps").
///
/// TOP documents `yyyy-MM-dd HH:mm:ss` in GMT+8 within 10 minutes of the server's clock; the
/// official Python SDK sends 13-digit epoch milliseconds, which the gateway accepts. Most SDKs
/// (.NET, PHP, Node, taobaopy, the new Python SDK) send the *local* wall clock instead of GMT+8, so
/// on a UTC CI machine a strict reading rejects them: hence the zone modes.
public struct TimestampPolicy: Sendable, Equatable {
    public enum Zone: String, Sendable, CaseIterable {
        /// Read `yyyy-MM-dd HH:mm:ss` as GMT+8 only, as the real gateway documents.
        case gmt8
        /// Read it in the server's own zone only.
        case local
        /// Accept it if it is inside the window read as GMT+8 or as the server's zone (default).
        case any
    }

    public var zone: Zone
    /// Largest allowed difference from the server clock, both directions, in seconds; read as
    /// clamped to 0 … ``maximumToleranceSeconds``.
    public var toleranceSeconds: Int64
    /// The server zone's offset from UTC in seconds (for `.local` and `.any`).
    public var localOffsetSeconds: Int64

    public init(zone: Zone = .any, toleranceSeconds: Int64 = 600, localOffsetSeconds: Int64 = 0) {
        self.zone = zone
        self.toleranceSeconds = toleranceSeconds
        self.localOffsetSeconds = localOffsetSeconds
    }

    public static let gmt8OffsetSeconds: Int64 = 8 * 3600

    /// A tolerance that takes any timestamp the format can write: the clock's whole span. In
    /// milliseconds it, and every difference `accepts` makes, stays far inside `Int64`.
    public static let maximumToleranceSeconds: Int64 = WallInstant.span / 1000 + 1

    /// Whether `text` is a well-formed timestamp inside the window around `nowMillis` (epoch ms).
    public func accepts(_ text: String, nowMillis: Int64) -> Bool {
        text.withUTF8Buffer { accepts($0, nowMillis: nowMillis) }
    }

    /// ``accepts(_:nowMillis:)`` over the value's bytes, read in place.
    public func accepts(_ text: UnsafeBufferPointer<UInt8>, nowMillis: Int64) -> Bool {
        let tolerance = Swift.min(Swift.max(toleranceSeconds, 0), Self.maximumToleranceSeconds) * 1000
        if let millis = Self.epochMillis(text) {
            return abs(millis - nowMillis) <= tolerance
        }
        guard let wallClock = Self.wallClockSeconds(text) else { return false }
        func within(offsetSeconds: Int64) -> Bool { abs((wallClock - offsetSeconds) * 1000 - nowMillis) <= tolerance }
        switch zone {
        case .gmt8: return within(offsetSeconds: Self.gmt8OffsetSeconds)
        case .local: return within(offsetSeconds: localOffsetSeconds)
        case .any: return within(offsetSeconds: Self.gmt8OffsetSeconds) || within(offsetSeconds: localOffsetSeconds)
        }
    }

    /// Why `text` was refused, in one line of ASCII (it goes into a header): the rule, and for a
    /// well-formed timestamp that is a whole number of hours off when read as GMT+8 (within the
    /// tolerance), the likely cause — the client's local time sent instead of GMT+8.
    public func rejection(of text: String, nowMillis: Int64) -> String {
        let rule =
            "timestamp '\(text)' is not yyyy-MM-dd HH:mm:ss or 13-digit epoch ms within +/-\(Swift.max(toleranceSeconds, 0)) s "
            + "of the server clock (zone mode \(zone.rawValue))"
        guard let wallClock = Self.wallClockSeconds(text) else { return rule }
        // Both terms are bounded (a 4-digit year, a clock inside WallInstant's range).
        let offsetSeconds = (wallClock - Self.gmt8OffsetSeconds) - nowMillis / 1000
        let hours = (offsetSeconds + (offsetSeconds < 0 ? -1800 : 1800)) / 3600
        guard hours != 0, abs(offsetSeconds - hours * 3600) <= Swift.max(toleranceSeconds, 60) else { return rule }
        let zoneHours = 8 + hours
        let zoneName = "UTC" + (zoneHours < 0 ? "-" : "+") + (abs(zoneHours) < 10 ? "0" : "") + String(abs(zoneHours)) + ":00"
        return rule + "; read as GMT+8 it is \(abs(hours)) h \(hours < 0 ? "behind" : "ahead of") the server clock: "
            + "likely cause: the client sent its local time (\(zoneName)) instead of GMT+8 (set its time zone to Asia/Shanghai, "
            + "or run topmock with --timestamp-zone any)"
    }

    /// A 13-digit epoch-milliseconds timestamp.
    static func epochMillis(_ text: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard text.count == 13, text.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        return Int64(String(decoding: text, as: UTF8.self))  // 13 bytes: a small string, no allocation
    }

    /// `yyyy-MM-dd HH:mm:ss` as seconds since 1970-01-01 00:00:00 in the same wall clock
    /// (i.e. as if it were UTC); nil when malformed or not a real date.
    public static func wallClockSeconds(_ text: String) -> Int64? {
        text.withUTF8Buffer(wallClockSeconds)  // read in place, no copy
    }

    private static func wallClockSeconds(_ b: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard b.count == 19, b[4] == 45, b[7] == 45, b[10] == 32, b[13] == 58, b[16] == 58 else { return nil }
        func number(_ range: Range<Int>) -> Int64? {
            var value: Int64 = 0
            for i in range {
                guard b[i] >= 48 && b[i] <= 57 else { return nil }
                value = value * 10 + Int64(b[i] - 48)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
            (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month),
            hour < 24, minute < 60, second < 60
        else { return nil }
        return daysFromCivil(year: year, month: month, day: day) * 86400 + hour * 3600 + minute * 60 + second
    }

    static func daysInMonth(year: Int64, month: Int64) -> Int64 {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146097 + dayOfEra - 719468
    }

    /// Formats epoch milliseconds as `yyyy-MM-dd HH:mm:ss` at `offsetSeconds` from UTC (for
    /// clients and tests that need a valid timestamp).
    public static func format(epochMillis: Int64, offsetSeconds: Int64 = gmt8OffsetSeconds) -> String {
        let seconds = epochMillis / 1000 + offsetSeconds
        var days = seconds / 86400
        var rest = seconds % 86400
        if rest < 0 {
            rest += 86400
            days -= 1
        }
        // civil_from_days (Hinnant)
        let z = days + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let dayOfEra = z - era * 146097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        // `yyyy-MM-dd HH:mm:ss` is nineteen bytes, each written once, no string built per part.
        // Years outside 0…9999 (a clock the admin API moved that far) keep all their digits.
        guard (0...9999).contains(year) else {
            func pad(_ value: Int64) -> String { value < 10 ? "0\(value)" : String(value) }
            return "\(year)-\(pad(month))-\(pad(day)) \(pad(rest / 3600)):\(pad(rest % 3600 / 60)):\(pad(rest % 60))"
        }
        return String(unsafeUninitializedCapacity: 19) { bytes in
            func put(_ value: Int64, _ width: Int, at offset: Int) {
                var value = value
                for index in stride(from: offset + width - 1, through: offset, by: -1) {
                    bytes[index] = UInt8(48 + value % 10)
                    value /= 10
                }
            }
            put(year, 4, at: 0)
            put(month, 2, at: 5)
            put(day, 2, at: 8)
            put(rest / 3600, 2, at: 11)
            put(rest % 3600 / 60, 2, at: 14)
            put(rest % 60, 2, at: 17)
            (bytes[4], bytes[7], bytes[10]) = (UInt8(ascii: "-"), UInt8(ascii: "-"), UInt8(ascii: " "))
            (bytes[13], bytes[16]) = (UInt8(ascii: ":"), UInt8(ascii: ":"))
            return 19
        }
    }
}
