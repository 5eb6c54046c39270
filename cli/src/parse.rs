//! Reading what people type: masses in kilograms or tonnes, grades in
//! percent, money in major units, dates, places and GPS points. Everything
//! becomes an exact integer (grams, basis points, minor units, microdegrees);
//! a value that would need rounding is refused, never rounded.

use crate::tr;

/// Parses a non-negative decimal with at most `scale` fractional digits into
/// an integer scaled by 10^scale.
///
/// # Errors
/// A sentence saying what is wrong.
pub fn decimal(s: &str, scale: u32) -> Result<u64, String> {
    let s = s.trim();
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    let digits = |t: &str| t.bytes().all(|c| c.is_ascii_digit());
    if int.is_empty() && frac.is_empty() || !digits(int) || !digits(frac) {
        return Err(tr!("{s:?} is not a number", "{s:?} n'est pas un nombre"));
    }
    let frac_trim = frac.trim_end_matches('0');
    if frac_trim.len() > scale as usize {
        return Err(tr!(
            "{s:?} has more than {scale} decimals",
            "{s:?} a plus de {scale} décimales"
        ));
    }
    let too_big = || tr!("{s:?} is too large", "{s:?} est trop grand");
    let mut v: u64 = if int.is_empty() {
        0
    } else {
        int.parse().map_err(|_| too_big())?
    };
    v = v.checked_mul(10u64.pow(scale)).ok_or_else(too_big)?;
    let mut f: u64 = 0;
    for (i, c) in frac_trim.bytes().enumerate() {
        let d = u64::from(c - b'0') * 10u64.pow(scale - 1 - i as u32);
        f += d;
    }
    v.checked_add(f).ok_or_else(too_big)
}

/// A mass: `25.3kg`, `25.3 kg`, `1.2t`, `25300g`; a bare number is kilograms.
/// Returns grams.
///
/// # Errors
/// A sentence naming the accepted forms.
pub fn mass(s: &str) -> Result<u64, String> {
    let t = s.trim().to_ascii_lowercase().replace(',', ".");
    let (num, scale) = if let Some(n) = t.strip_suffix("kg") {
        (n, 3)
    } else if let Some(n) = t.strip_suffix('t') {
        (n, 6)
    } else if let Some(n) = t.strip_suffix('g') {
        (n, 0)
    } else {
        (t.as_str(), 3)
    };
    decimal(num.trim(), scale).map_err(|e| {
        tr!(
            "mass {s:?}: {e}; write kilograms (25.3kg, up to 3 decimals), tonnes (1.2t) or grams (25300g)",
            "masse {s:?} : {e} ; écrivez des kilogrammes (25.3kg, 3 décimales au plus), des tonnes (1.2t) ou des grammes (25300g)"
        )
    })
}

/// A grade: `65%`, `65.25%`, `6525bp`; a bare number is percent. Returns
/// basis points (at most 10000).
///
/// # Errors
/// A sentence naming the accepted forms.
pub fn grade(s: &str) -> Result<u16, String> {
    let t = s.trim().to_ascii_lowercase().replace(',', ".");
    let r = if let Some(n) = t.strip_suffix("bp") {
        decimal(n.trim(), 0)
    } else {
        decimal(t.trim_end_matches('%').trim(), 2)
    };
    match r {
        Ok(v) if v <= 10_000 => Ok(v as u16),
        Ok(_) => Err(tr!(
            "grade {s:?} is above 100%",
            "teneur {s:?} supérieure à 100 %"
        )),
        Err(e) => Err(tr!(
            "grade {s:?}: {e}; write a percentage (65.5%, up to 2 decimals) or basis points (6550bp)",
            "teneur {s:?} : {e} ; écrivez un pourcentage (65.5%, 2 décimales au plus) ou des points de base (6550bp)"
        )),
    }
}

/// Decimal places of an ISO 4217 currency's minor unit, for the currencies
/// used in the region's mineral trade.
pub fn minor_digits(currency: &str) -> Option<u32> {
    Some(match currency {
        "RWF" | "BIF" | "UGX" | "XAF" | "XOF" | "JPY" => 0,
        "USD" | "EUR" | "CDF" | "TZS" | "KES" | "GBP" | "CNY" | "AED" | "ZAR" | "CHF" | "INR"
        | "SSP" | "ZMW" => 2,
        _ => return None,
    })
}

/// An amount of money in major units (`1250.50`) into minor units.
///
/// # Errors
/// Unknown currency or bad amount.
pub fn money(s: &str, currency: &str) -> Result<u64, String> {
    let digits = minor_digits(currency).ok_or_else(|| {
        tr!(
            "the minor unit of currency {currency:?} is not known to this CLI; use one of USD, EUR, CDF, RWF, BIF, UGX, TZS, KES",
            "l'unité divisionnaire de la devise {currency:?} est inconnue ; utilisez USD, EUR, CDF, RWF, BIF, UGX, TZS ou KES"
        )
    })?;
    decimal(&s.replace(',', "."), digits).map_err(|e| {
        tr!(
            "amount {s:?}: {e} ({currency} has {digits} decimals)",
            "montant {s:?} : {e} ({currency} a {digits} décimales)"
        )
    })
}

/// A date or UTC time (`2026-11-20`, `2026-11-20T08:30:00Z`), or `now`.
///
/// # Errors
/// A sentence naming the accepted forms.
pub fn time(s: &str, now: u64) -> Result<u64, String> {
    if s.eq_ignore_ascii_case("now") {
        return Ok(now);
    }
    ledger_core::time::parse(s.trim())
}

/// A coordinate in decimal degrees into microdegrees.
///
/// # Errors
/// Not a number, or out of range.
pub fn degrees(s: &str, max: i64) -> Result<i64, String> {
    let t = s.trim();
    let (neg, body) = match t.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let v = decimal(body, 6)? as i64;
    let v = if neg { -v } else { v };
    if v.abs() > max * 1_000_000 {
        return Err(tr!(
            "{s:?} is outside -{max}..{max} degrees",
            "{s:?} est hors de -{max}..{max} degrés"
        ));
    }
    Ok(v)
}

/// A GPS point `lat,lon` in decimal degrees into microdegrees.
///
/// # Errors
/// A sentence naming the form.
pub fn point(s: &str) -> Result<(i64, i64), String> {
    let (a, b) = s.split_once(',').ok_or_else(|| {
        tr!(
            "point {s:?} is not `latitude,longitude` in decimal degrees (e.g. -1.6790,29.2220)",
            "le point {s:?} n'est pas `latitude,longitude` en degrés décimaux (ex. -1.6790,29.2220)"
        )
    })?;
    Ok((degrees(a, 90)?, degrees(b, 180)?))
}

/// A place: `Goma` or `Goma@-1.679,29.222`.
///
/// # Errors
/// A bad point.
pub fn place(s: &str) -> Result<(String, Option<(i64, i64)>), String> {
    match s.rsplit_once('@') {
        Some((name, pt)) => Ok((name.trim().to_string(), Some(point(pt)?))),
        None => Ok((s.trim().to_string(), None)),
    }
}

/// Formats grams as kilograms with 3 decimals.
pub fn kg(g: u64) -> String {
    format!("{}.{:03} kg", g / 1000, g % 1000)
}

/// Formats basis points as a percentage with 2 decimals.
pub fn pct(bp: u64) -> String {
    format!("{}.{:02} %", bp / 100, bp % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masses_are_exact() {
        assert_eq!(mass("25.3kg"), Ok(25_300));
        assert_eq!(mass("25,3 kg"), Ok(25_300));
        assert_eq!(mass("1.2t"), Ok(1_200_000));
        assert_eq!(mass("250g"), Ok(250));
        assert_eq!(mass("12"), Ok(12_000));
        assert_eq!(mass("0.0015kg").map_err(|_| ()), Err(()));
        assert!(mass("abc").is_err());
        assert!(mass("-1kg").is_err());
        assert!(mass("99999999999999999999kg").is_err());
    }

    #[test]
    fn grades_are_basis_points() {
        assert_eq!(grade("65%"), Ok(6500));
        assert_eq!(grade("65.25"), Ok(6525));
        assert_eq!(grade("6525bp"), Ok(6525));
        assert!(grade("100.01%").is_err());
        assert!(grade("65.125%").is_err());
    }

    #[test]
    fn money_uses_minor_units() {
        assert_eq!(money("1250.50", "USD"), Ok(125_050));
        assert_eq!(money("5000", "RWF"), Ok(5000));
        assert!(money("1.5", "RWF").is_err());
        assert!(money("1", "XYZ").is_err());
    }

    #[test]
    fn points_and_places() {
        assert_eq!(point("-1.679,29.222"), Ok((-1_679_000, 29_222_000)));
        assert!(point("91,0").is_err());
        assert_eq!(
            place("Goma@-1.679,29.222"),
            Ok(("Goma".into(), Some((-1_679_000, 29_222_000))))
        );
        assert_eq!(place("Goma"), Ok(("Goma".into(), None)));
    }
}
