//! Calendar arithmetic for the integer times of `spec/encoding.md` section 3:
//! RFC 3339 and ISO dates to and from milliseconds since the Unix epoch, UTC,
//! without reading any clock.

/// Days since 1970-01-01 of a proleptic Gregorian date.
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date (year, month, day) of a day number since 1970-01-01.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// `YYYY-MM-DDTHH:MM:SSZ` (seconds precision; milliseconds are dropped).
pub fn rfc3339(ms: u64) -> String {
    let secs = (ms / 1000) as i64;
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let s = secs.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        s / 3600,
        s % 3600 / 60,
        s % 60
    )
}

/// `YYYY-MM-DD`.
pub fn date(ms: u64) -> String {
    let (y, m, d) = civil_from_days((ms / 86_400_000) as i64);
    format!("{y:04}-{m:02}-{d:02}")
}

/// `HHMMSS`, the ICGLR time format.
pub fn hhmmss(ms: u64) -> String {
    let s = (ms / 1000) % 86_400;
    format!("{:02}{:02}{:02}", s / 3600, s % 3600 / 60, s % 60)
}

/// Parses `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM[:SS]Z` (UTC) into ms.
///
/// # Errors
/// A message naming the expected form.
pub fn parse(s: &str) -> Result<u64, String> {
    let err = || format!("{s:?} is not a date (YYYY-MM-DD) or UTC time (YYYY-MM-DDTHH:MM:SSZ)");
    let num = |t: &str| -> Result<u32, String> {
        if t.is_empty() || !t.bytes().all(|c| c.is_ascii_digit()) {
            return Err(err());
        }
        t.parse().map_err(|_| err())
    };
    let (d, t) = match s.split_once('T') {
        Some((d, t)) => (d, Some(t.strip_suffix('Z').ok_or_else(err)?)),
        None => (s, None),
    };
    let mut parts = d.split('-');
    let (Some(y), Some(m), Some(dd), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(err());
    };
    let (y, m, dd) = (num(y)?, num(m)?, num(dd)?);
    if !(1..=12).contains(&m) || dd == 0 || dd > 31 || y < 1970 {
        return Err(err());
    }
    let days = days_from_civil(i64::from(y), m, dd);
    if civil_from_days(days) != (i64::from(y), m, dd) {
        return Err(err());
    }
    let mut secs = days * 86_400;
    if let Some(t) = t {
        let f: Vec<&str> = t.split(':').collect();
        if f.len() < 2 || f.len() > 3 {
            return Err(err());
        }
        let h = num(f[0])?;
        let mi = num(f[1])?;
        let se = if f.len() == 3 { num(f[2])? } else { 0 };
        if h > 23 || mi > 59 || se > 59 {
            return Err(err());
        }
        secs += i64::from(h * 3600 + mi * 60 + se);
    }
    Ok(secs as u64 * 1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_767_600_000_000), "2026-01-05T08:00:00Z");
        assert_eq!(parse("2026-01-05T08:00:00Z").unwrap(), 1_767_600_000_000);
        assert_eq!(
            parse("2024-02-29").unwrap() / 86_400_000,
            days_from_civil(2024, 2, 29) as u64
        );
        assert!(parse("2023-02-29").is_err());
        assert!(parse("2026-13-01").is_err());
        assert!(parse("26-01-01").is_err());
        for d in [-1000i64, 0, 59, 60, 365, 10_957, 20_000, 100_000] {
            let (y, m, dd) = civil_from_days(d);
            assert_eq!(days_from_civil(y, m, dd), d);
        }
        assert_eq!(date(1_767_600_000_000), "2026-01-05");
        assert_eq!(hhmmss(1_767_600_000_000 + 3_723_000), "090203");
    }
}
