//! Calendar arithmetic without a date crate: ISO 8601 in, UTC text out. Pure and tested.

/// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Parses `2026-11-23T11:25:38.352Z` (also `+hh:mm` offsets, a space instead of `T`, and no fraction)
/// to milliseconds since the epoch. A string of digits is taken as milliseconds already.
pub fn parse_iso8601_ms(s: &str) -> Option<u64> {
    let s = s.trim();
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse().ok();
    }
    let b = s.as_bytes();
    if b.len() < 19 {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> { s.get(r)?.parse().ok() };
    let (y, mo, d) = (num(0..4)?, num(5..7)? as u32, num(8..10)? as u32);
    let (h, mi, sec) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if b[4] != b'-'
        || b[7] != b'-'
        || !(b[10] == b'T' || b[10] == b' ')
        || !(1..=12).contains(&mo)
        || d == 0
        || d > 31
    {
        return None;
    }
    let mut i = 19;
    let mut frac_ms = 0i64;
    if i < b.len() && b[i] == b'.' {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        let digits = &s[start..i];
        let padded: String = digits.chars().chain("000".chars()).take(3).collect();
        frac_ms = padded.parse().ok()?;
    }
    let mut offset_min = 0i64;
    match s.get(i..) {
        Some("") | Some("Z") | Some("z") => {}
        Some(rest) if rest.len() == 6 && (rest.starts_with('+') || rest.starts_with('-')) => {
            let sign = if rest.starts_with('-') { -1 } else { 1 };
            let oh: i64 = rest.get(1..3)?.parse().ok()?;
            let om: i64 = rest.get(4..6)?.parse().ok()?;
            offset_min = sign * (oh * 60 + om);
        }
        _ => return None,
    }
    let days = days_from_civil(y, mo, d);
    let ms = ((days * 86_400 + h * 3600 + mi * 60 + sec - offset_min * 60) * 1000) + frac_ms;
    u64::try_from(ms).ok()
}

/// `2026-11-23` and `11:25:38.352` for milliseconds since the epoch (UTC).
fn date_and_time(ms: u64) -> (String, String) {
    let secs = (ms / 1000) as i64;
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let rem = secs.rem_euclid(86_400);
    (
        format!("{y:04}-{m:02}-{d:02}"),
        format!(
            "{:02}:{:02}:{:02}.{:03}",
            rem / 3600,
            (rem % 3600) / 60,
            rem % 60,
            ms % 1000
        ),
    )
}

/// `2026-11-23T11:25:38.352Z` (RFC 3339, as MLflow writes `request_time`).
pub fn format_iso_ms(ms: u64) -> String {
    let (date, time) = date_and_time(ms);
    format!("{date}T{time}Z")
}

/// `2026-11-23 11:25:38.352 UTC` for milliseconds since the epoch.
pub fn format_utc_ms(ms: u64) -> String {
    let (date, time) = date_and_time(ms);
    format!("{date} {time} UTC")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_round_trip() {
        let ms = parse_iso8601_ms("2026-11-23T11:25:38.352Z").unwrap();
        assert_eq!(ms, 1_795_433_138_352);
        assert_eq!(format_utc_ms(ms), "2026-11-23 11:25:38.352 UTC");
        assert_eq!(format_iso_ms(ms), "2026-11-23T11:25:38.352Z");
        assert_eq!(parse_iso8601_ms("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_iso8601_ms("2026-11-23T12:25:38.352+01:00"), Some(ms));
        assert_eq!(parse_iso8601_ms("1795433138352"), Some(ms));
        assert_eq!(
            parse_iso8601_ms("2024-02-29 00:00:00"),
            Some(1_709_164_800_000)
        );
    }

    #[test]
    fn rejects_garbage() {
        for s in [
            "",
            "yesterday",
            "2026-13-01T00:00:00Z",
            "2026-11-23T11:25:38.352Q",
            "1969-12-31T23:59:59Z",
        ] {
            assert_eq!(parse_iso8601_ms(s), None, "{s}");
        }
    }
}
