//! Reading what people type into ledger-core's types: masses in kilograms
//! or tonnes, grades in percent, money in major units, dates, places, GPS
//! points, minerals, roles and statuses. Every function here is a clap
//! value parser (or used by one, and by the CSV import), so a bad value is
//! refused while the arguments are parsed, before anything is signed.
//! Amounts become exact integers (grams, basis points, minor units,
//! microdegrees); a value that would need rounding is refused, never rounded.
//!
//! The readings themselves are ledger-core's `FromStr` impls; this module
//! only says their errors in the language in force.

use std::fmt::Display;

use clap::Args;
use ledger_core::crypto::{KeyId, PublicKey};
use ledger_core::event::{CaseStatus, Category, LicenceType, Place, Point};
use ledger_core::hash::Hash;
use ledger_core::types::{
    self, Activity, CertStatus, Country, Currency, Days, DecimalError, DecimalErrorKind, Grade,
    GradeErrorKind, Grams, InspectionResult, Lat, Lon, MassErrorKind, Millis, Mineral, Minor,
    Packages, Role, TagWidth, Text,
};
use serde::de::DeserializeOwned;

use crate::client::now_ms;
use crate::error::{CliError, Result};
use crate::i18n::{self, Lang};
use crate::msg;

/// `en` in English; `fr()` in French. For messages whose English wording is
/// ledger-core's `Display`, so that it has one source.
fn say(en: &impl Display, fr: impl FnOnce() -> String) -> String {
    match i18n::lang() {
        Lang::En | Lang::Sw => en.to_string(),
        Lang::Fr => fr(),
    }
}

fn decimal_fr(e: &DecimalError) -> String {
    let n = &e.number;
    match e.kind {
        DecimalErrorKind::NotANumber => format!("{n:?} n'est pas un nombre"),
        DecimalErrorKind::TooManyDecimals(s) => format!("{n:?} a plus de {s} décimales"),
        DecimalErrorKind::TooLarge => format!("{n:?} est trop grand"),
        _ => e.to_string(),
    }
}

/// Maps a parse error to a usage error naming the option.
///
/// # Errors
/// The parse error.
pub fn arg<T>(opt: &str, r: std::result::Result<T, String>) -> Result<T> {
    r.map_err(|e| CliError::input(format!("{opt}: {e}")))
}

/// Parses a non-negative decimal with at most `scale` fractional digits into
/// an integer scaled by 10^scale.
///
/// # Errors
/// A sentence saying what is wrong.
pub fn decimal(s: &str, scale: u32) -> std::result::Result<u64, String> {
    types::decimal(s, scale).map_err(|e| say(&e, || decimal_fr(&e)))
}

/// A mass: `25.3kg`, `25.3 kg`, `1.2t`, `25300g`; a bare number is kilograms.
///
/// # Errors
/// A sentence naming the accepted forms.
pub fn mass(s: &str) -> std::result::Result<Grams, String> {
    s.parse::<Grams>().map_err(|e| {
        say(&e, || {
            let why = match &e.kind {
                MassErrorKind::Number(d) => decimal_fr(d),
                _ => "doit être d'au moins 1 g et de moins de 2^53 g".into(),
            };
            format!(
                "masse {s:?} : {why} ; écrivez des kilogrammes (25.3kg, 3 décimales au plus), des tonnes (1.2t) ou des grammes (25300g)"
            )
        })
    })
}

/// A grade: `65%`, `65.25%`, `6525bp`; a bare number is percent.
///
/// # Errors
/// A sentence naming the accepted forms.
pub fn grade(s: &str) -> std::result::Result<Grade, String> {
    s.parse::<Grade>().map_err(|e| {
        say(&e, || match &e.kind {
            GradeErrorKind::Number(d) => {
                let why = decimal_fr(d);
                format!(
                    "teneur {s:?} : {why} ; écrivez un pourcentage (65.5%, 2 décimales au plus) ou des points de base (6550bp)"
                )
            }
            _ => format!("teneur {s:?} supérieure à 100 %"),
        })
    })
}

/// A mineral by name (`cassiterite`, `tin`, `coltan`...) or HS code.
///
/// # Errors
/// A sentence naming the minerals.
pub fn mineral(s: &str) -> std::result::Result<Mineral, String> {
    s.trim().parse::<Mineral>().map_err(|_| {
        msg!(
            "cli-parse-not-mineral-use-cassiterite",
            value = format!("{s:?}")
        )
    })
}

/// An actor's role, in any case.
///
/// # Errors
/// A sentence naming the roles.
pub fn role(s: &str) -> std::result::Result<Role, String> {
    s.trim()
        .to_ascii_lowercase()
        .parse::<Role>()
        .map_err(|_| msg!("cli-parse-not-role-use-authority", value = format!("{s:?}")))
}

/// A public key `ed25519:BASE64`.
///
/// # Errors
/// Not a key string.
pub fn public_key(s: &str) -> std::result::Result<PublicKey, String> {
    s.trim()
        .parse::<PublicKey>()
        .map_err(|_| msg!("cli-parse-not-public-key-keys", value = format!("{s:?}")))
}

/// A key id (`madini key show` prints it).
///
/// # Errors
/// Not a key id.
pub fn key_id(s: &str) -> std::result::Result<KeyId, String> {
    s.trim().parse::<KeyId>().map_err(|e| {
        say(&format_args!("{s:?}: {e}"), || {
            format!("{s:?} n'est pas un identifiant de clé ({e})")
        })
    })
}

/// A hex event hash.
///
/// # Errors
/// Not 64 hex digits.
pub fn event_hash(s: &str) -> std::result::Result<Hash, String> {
    s.trim()
        .parse()
        .map_err(|_| msg!("cli-parse-not-event-hash-hex", value = format!("{s:?}")))
}

/// A site's MDC.01 status: blue, green, yellow, red (or 0 to 3).
///
/// # Errors
/// A sentence naming the statuses.
pub fn site_status(s: &str) -> std::result::Result<CertStatus, String> {
    s.parse::<CertStatus>()
        .map_err(|_| msg!("cli-parse-not-site-status-use", value = format!("{s:?}")))
}

/// An inspection's result: green, yellow or red (or 1 to 3).
///
/// # Errors
/// Blue (not an inspection result) or another word.
pub fn inspection_result(s: &str) -> std::result::Result<InspectionResult, String> {
    s.parse::<InspectionResult>()
        .map_err(|_| match s.parse::<CertStatus>() {
            Ok(_) => msg!("cli-parse-inspection-green-yellow-red"),
            Err(_) => msg!(
                "cli-parse-not-inspection-result-use",
                value = format!("{s:?}")
            ),
        })
}

/// A site's MDC.02 activity: active, non-active or abandoned.
///
/// # Errors
/// A sentence naming the statuses.
pub fn activity(s: &str) -> std::result::Result<Activity, String> {
    s.parse::<Activity>().map_err(|_| {
        msg!(
            "cli-parse-not-activity-status-use",
            value = format!("{s:?}")
        )
    })
}

/// A value of one of the event enums by its name in events.
fn named<T: DeserializeOwned>(s: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::from(s.trim().to_ascii_lowercase())).ok()
}

/// An incident category.
///
/// # Errors
/// A sentence naming the categories.
pub fn category(s: &str) -> std::result::Result<Category, String> {
    named(s).ok_or_else(|| {
        msg!(
            "cli-parse-not-incident-category-use",
            value = format!("{s:?}")
        )
    })
}

/// An incident case's status.
///
/// # Errors
/// A sentence naming the statuses.
pub fn case_status(s: &str) -> std::result::Result<CaseStatus, String> {
    named(s).ok_or_else(|| msg!("cli-parse-not-case-status-use", value = format!("{s:?}")))
}

/// An MDC.04 licence type.
///
/// # Errors
/// A sentence naming the types.
pub fn licence_type(s: &str) -> std::result::Result<LicenceType, String> {
    named(s).ok_or_else(|| msg!("cli-parse-not-licence-type-use", value = format!("{s:?}")))
}

/// An ISO 3166-1 alpha-2 country code, in any case.
///
/// # Errors
/// Not two letters.
pub fn country(s: &str) -> std::result::Result<Country, String> {
    Country::new(s.trim().to_ascii_uppercase()).map_err(|e| e.to_string())
}

/// An ISO 4217 currency code, in any case.
///
/// # Errors
/// Not three letters.
pub fn currency(s: &str) -> std::result::Result<Currency, String> {
    Currency::new(s.trim().to_ascii_uppercase()).map_err(|e| e.to_string())
}

/// A number of bags, 1 to 1000.
///
/// # Errors
/// Not a whole number in range.
pub fn packages(s: &str) -> std::result::Result<Packages, String> {
    let n = decimal(s, 0)?;
    u16::try_from(n)
        .ok()
        .and_then(|n| Packages::new(n).ok())
        .ok_or_else(|| msg!("cli-parse-packages"))
}

/// A capacity window, 1 to 366 days.
///
/// # Errors
/// Not a whole number in range.
pub fn days(s: &str) -> std::result::Result<Days, String> {
    let n = decimal(s, 0)?;
    u16::try_from(n)
        .ok()
        .and_then(|n| Days::new(n).ok())
        .ok_or_else(|| msg!("cli-parse-capacity-window-days"))
}

/// The digits of a tag number, 1 to 12.
///
/// # Errors
/// Not a whole number in range.
pub fn tag_width(s: &str) -> std::result::Result<TagWidth, String> {
    let n = decimal(s, 0)?;
    u8::try_from(n)
        .ok()
        .and_then(|n| TagWidth::new(n).ok())
        .ok_or_else(|| msg!("cli-parse-tag-width-digits"))
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
pub fn money(s: &str, currency: &Currency) -> std::result::Result<Minor, String> {
    let digits = minor_digits(currency).ok_or_else(|| {
        msg!(
            "cli-parse-minor-unit-currency-not",
            currency = format!("{currency:?}")
        )
    })?;
    let v = decimal(&s.replace(',', "."), digits).map_err(|e| {
        msg!(
            "cli-parse-amount-decimals",
            value = format!("{s:?}"),
            error = e,
            currency = currency,
            digits = digits
        )
    })?;
    Minor::new(v).map_err(|e| e.to_string())
}

/// A date or UTC time (`2026-11-20`, `2026-11-20T08:30:00Z`), or `now`.
///
/// # Errors
/// A sentence naming the accepted forms.
pub fn time(s: &str, now: u64) -> std::result::Result<u64, String> {
    if s.eq_ignore_ascii_case("now") {
        return Ok(now);
    }
    ledger_core::time::parse(s.trim())
}

/// A date or UTC time, or `now` (the time it is read).
///
/// # Errors
/// A sentence naming the accepted forms.
pub fn millis(s: &str) -> std::result::Result<Millis, String> {
    Millis::new(time(s, now_ms())?).map_err(|e| e.to_string())
}

/// A coordinate in decimal degrees into microdegrees.
///
/// # Errors
/// Not a number, or out of range.
pub fn degrees(s: &str, max: i64) -> std::result::Result<i64, String> {
    let t = s.trim();
    let (neg, body) = match t.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let v = decimal(body, 6)? as i64;
    let v = if neg { -v } else { v };
    if v.abs() > max * 1_000_000 {
        return Err(msg!(
            "cli-parse-outside-degrees",
            value = format!("{s:?}"),
            max = max
        ));
    }
    Ok(v)
}

/// A latitude in decimal degrees.
///
/// # Errors
/// Not a number, or outside ±90.
pub fn lat(s: &str) -> std::result::Result<Lat, String> {
    Ok(Lat(degrees(s, 90)?))
}

/// A longitude in decimal degrees.
///
/// # Errors
/// Not a number, or outside ±180.
pub fn lon(s: &str) -> std::result::Result<Lon, String> {
    Ok(Lon(degrees(s, 180)?))
}

/// A GPS point `lat,lon` in decimal degrees.
///
/// # Errors
/// A sentence naming the form.
pub fn point(s: &str) -> std::result::Result<Point, String> {
    let (a, b) = s.split_once(',').ok_or_else(|| {
        msg!(
            "cli-parse-point-not-latitude-longitude",
            value = format!("{s:?}")
        )
    })?;
    Ok(Point {
        lat_e6: lat(a)?,
        lon_e6: lon(b)?,
    })
}

/// A place: `Goma` or `Goma@-1.679,29.222`.
///
/// # Errors
/// A bad name or point.
pub fn place(s: &str) -> std::result::Result<Place, String> {
    let (name, pt) = match s.rsplit_once('@') {
        Some((name, pt)) => (name, Some(point(pt)?)),
        None => (s, None),
    };
    Ok(Place {
        name: Text::new(name.trim()).map_err(|e| e.to_string())?,
        lat_e6: pt.map(|p| p.lat_e6),
        lon_e6: pt.map(|p| p.lon_e6),
    })
}

/// The claimed time of an event (default: now).
#[derive(Args, Clone, Default)]
pub struct When {
    /// When it happened (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ; default now).
    #[arg(long, value_name = "TIME", value_parser = millis)]
    pub time: Option<Millis>,
}

/// Masses and grades are shown as every Madini edge shows them.
pub use ledger_core::text::{kg, percent as pct};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masses_are_exact() {
        assert_eq!(mass("25.3kg"), Ok(Grams(25_300)));
        assert_eq!(mass("25,3 kg"), Ok(Grams(25_300)));
        assert_eq!(mass("1.2t"), Ok(Grams(1_200_000)));
        assert_eq!(mass("250g"), Ok(Grams(250)));
        assert_eq!(mass("12"), Ok(Grams(12_000)));
        assert_eq!(
            mass("0.0015kg"),
            Err("mass \"0.0015kg\": \"0.0015\" has more than 3 decimals; write kilograms (25.3kg, up to 3 decimals), tonnes (1.2t) or grams (25300g)".into())
        );
        assert!(mass("abc").is_err());
        assert!(mass("-1kg").is_err());
        assert!(mass("99999999999999999999kg").is_err());
    }

    #[test]
    fn grades_are_basis_points() {
        assert_eq!(grade("65%"), Ok(Grade(6500)));
        assert_eq!(grade("65.25"), Ok(Grade(6525)));
        assert_eq!(grade("6525bp"), Ok(Grade(6525)));
        assert_eq!(
            grade("100.01%"),
            Err("grade \"100.01%\" is above 100%".into())
        );
        assert!(grade("65.125%").is_err());
    }

    #[test]
    fn money_uses_minor_units() {
        let c = |s: &str| Currency::new(s).unwrap();
        assert_eq!(money("1250.50", &c("USD")), Ok(Minor(125_050)));
        assert_eq!(money("5000", &c("RWF")), Ok(Minor(5000)));
        assert!(money("1.5", &c("RWF")).is_err());
        assert!(money("1", &c("XYZ")).is_err());
    }

    #[test]
    fn points_and_places() {
        assert_eq!(
            point("-1.679,29.222"),
            Ok(Point {
                lat_e6: Lat(-1_679_000),
                lon_e6: Lon(29_222_000)
            })
        );
        assert!(point("91,0").is_err());
        let p = place("Goma@-1.679,29.222").unwrap();
        assert_eq!(
            (p.name.as_str(), p.lat_e6, p.lon_e6),
            ("Goma", Some(Lat(-1_679_000)), Some(Lon(29_222_000)))
        );
        let p = place("Goma").unwrap();
        assert_eq!((p.name.as_str(), p.lat_e6), ("Goma", None));
    }

    #[test]
    fn statuses_and_names() {
        assert_eq!(site_status("Vert"), Ok(CertStatus::GREEN));
        assert_eq!(inspection_result("red"), Ok(InspectionResult(3)));
        assert_eq!(
            inspection_result("blue"),
            Err("an inspection is green, yellow or red (blue means not inspected)".into())
        );
        assert_eq!(role(" Trader"), Ok(Role::Trader));
        assert_eq!(category("tag-fraud"), Ok(Category::TagFraud));
        assert_eq!(case_status("Resolved"), Ok(CaseStatus::Resolved));
        assert_eq!(
            licence_type("mining_license"),
            Ok(LicenceType::MiningLicense)
        );
        assert!(category("theft").is_err());
        assert_eq!(country("rw").map(|c| c.to_string()), Ok("RW".into()));
    }
}
