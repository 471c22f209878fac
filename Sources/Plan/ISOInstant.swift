/// An ISO 8601 date-time read as whole seconds since 1970 in UTC and nanoseconds, so `10:00+02:00` and `08:00Z`
/// are one instant. Exact integers, not a Double: at 1.7e9 seconds a Double cannot tell 0.4995 ms from 0.5 ms.
/// Written by hand (no formatter) to stay pure, fast and locale-free; nil for anything else.
enum ISOInstant {
    /// Nanoseconds since 1970 (digits past the ninth are dropped); nil for anything but an ISO 8601 date-time.
    static func nanoseconds(_ text: String) -> (seconds: Int, nanos: Int)? {
        let s = Array(text.utf8)
        func number(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= s.count else { return nil }
            var value = 0
            for byte in s[from..<from + count] {
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard s.count >= 16, s[4] == 45, s[7] == 45, s[10] == 84 || s[10] == 116 || s[10] == 32, s[13] == 58,
              let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
              let hour = number(11, 2), let minute = number(14, 2),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60 else { return nil }
        var index = 16
        var seconds = 0
        var nanos = 0
        if index < s.count, s[index] == 58 {
            guard let whole = number(index + 1, 2), whole < 61 else { return nil }
            seconds = whole
            index += 3
            if index < s.count, s[index] == 46 || s[index] == 44 {
                index += 1
                var scale = 100_000_000
                let start = index
                while index < s.count, s[index] >= 48, s[index] <= 57 {
                    nanos += Int(s[index] - 48) * scale
                    scale /= 10
                    index += 1
                }
                guard index > start else { return nil }
            }
        }
        var offset = 0
        if index == s.count - 1, s[index] == 90 || s[index] == 122 {
            index += 1
        } else if index < s.count, s[index] == 43 || s[index] == 45 {
            let sign = s[index] == 45 ? -1 : 1
            guard let hours = number(index + 1, 2) else { return nil }
            var minutes = 0
            var end = index + 3
            if end < s.count, s[end] == 58 { end += 1 }
            if end < s.count { guard let m = number(end, 2) else { return nil }; minutes = m; end += 2 }
            guard hours < 24, minutes < 60 else { return nil }
            offset = sign * (hours * 3600 + minutes * 60)
            index = end
        }
        guard index == s.count else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        return (days * 86_400 + hour * 3600 + minute * 60 - offset + seconds, nanos)
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
    private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
