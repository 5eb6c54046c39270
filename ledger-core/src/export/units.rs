//! Exact decimals at the edges (`spec/exports.md` section 1.3): grams to
//! kilograms and tonnes, basis points to percent, minor currency units to
//! amounts, micro-degrees to degrees, and back, with integer arithmetic only.
//! A JSON number can only be written through `f64`; it is built from the exact
//! decimal text, so its shortest round-trip form prints that text back.

use serde::Serialize;
use serde_json::{Number, Value};

/// A decimal read from JSON: `mantissa x 10^-scale`, exactly.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Decimal {
    /// Sign.
    pub negative: bool,
    /// Digits, without the decimal point.
    pub mantissa: u128,
    /// Digits after the decimal point.
    pub scale: u32,
}

/// The most significant digits a decimal read from a JSON number may have:
/// beyond 15, the `f64` the number went through may not give the written
/// digits back.
pub const MAX_EXACT_DIGITS: usize = 15;

impl Decimal {
    /// Parses `[-]digits[.digits][(e|E)[+|-]digits]`.
    ///
    /// # Errors
    /// A message when `s` is not such a decimal or has too many digits.
    pub fn parse(s: &str) -> Result<Decimal, String> {
        let bad = || format!("{s:?} is not a decimal number");
        let (negative, rest) = match s.as_bytes().first() {
            Some(b'-') => (true, &s[1..]),
            Some(b'+') => (false, &s[1..]),
            _ => (false, s),
        };
        let (num, exp) = match rest.find(['e', 'E']) {
            Some(p) => (&rest[..p], Some(&rest[p + 1..])),
            None => (rest, None),
        };
        let (int, frac) = num.split_once('.').unwrap_or((num, ""));
        if int.is_empty() && frac.is_empty() {
            return Err(bad());
        }
        if !int.bytes().chain(frac.bytes()).all(|c| c.is_ascii_digit()) {
            return Err(bad());
        }
        let digits = format!("{int}{frac}");
        let significant = digits.trim_start_matches('0');
        if significant.len() > 30 {
            return Err(format!("{s:?} has too many digits"));
        }
        let mantissa: u128 = if significant.is_empty() {
            0
        } else {
            significant.parse().map_err(|_| bad())?
        };
        let mut scale = i64::try_from(frac.len()).map_err(|_| bad())?;
        if let Some(e) = exp {
            let e: i64 = e.parse().map_err(|_| bad())?;
            if e.abs() > 40 {
                return Err(format!("{s:?} is out of range"));
            }
            scale -= e;
        }
        let mut d = Decimal {
            negative: negative && mantissa != 0,
            mantissa,
            scale: 0,
        };
        if scale < 0 {
            let up = 10u128
                .checked_pow(u32::try_from(-scale).map_err(|_| bad())?)
                .and_then(|p| d.mantissa.checked_mul(p))
                .ok_or_else(|| format!("{s:?} is out of range"))?;
            d.mantissa = up;
        } else {
            d.scale = u32::try_from(scale).map_err(|_| bad())?;
        }
        Ok(d)
    }

    /// Reads a JSON number or a JSON string holding a decimal. Integers are
    /// exact; other numbers are read from their shortest round-trip text and
    /// refused above `MAX_EXACT_DIGITS` significant digits.
    ///
    /// # Errors
    /// A message when the value is neither, or cannot be read exactly.
    pub fn from_json(v: &Value) -> Result<Decimal, String> {
        match v {
            Value::Number(n) => {
                if let Some(u) = n.as_u64() {
                    return Ok(Decimal {
                        negative: false,
                        mantissa: u128::from(u),
                        scale: 0,
                    });
                }
                if let Some(i) = n.as_i64() {
                    return Ok(Decimal {
                        negative: i < 0,
                        mantissa: u128::from(i.unsigned_abs()),
                        scale: 0,
                    });
                }
                let text = n.to_string();
                let d = Decimal::parse(&text)?;
                if d.significant_digits() > MAX_EXACT_DIGITS {
                    return Err(format!(
                        "{text} has more than {MAX_EXACT_DIGITS} significant digits: write it as a string to keep it exact"
                    ));
                }
                Ok(d)
            }
            Value::String(s) => Decimal::parse(s.trim()),
            _ => Err("must be a number".to_string()),
        }
    }

    fn significant_digits(&self) -> usize {
        let s = self.mantissa.to_string();
        s.trim_end_matches('0').len().max(1)
    }

    /// The value times `10^scale`, if that is an integer.
    pub fn scaled_exact(&self, scale: u32) -> Option<i128> {
        let v = if scale >= self.scale {
            self.mantissa
                .checked_mul(10u128.checked_pow(scale - self.scale)?)?
        } else {
            let p = 10u128.checked_pow(self.scale - scale)?;
            if !self.mantissa.is_multiple_of(p) {
                return None;
            }
            self.mantissa / p
        };
        let v = i128::try_from(v).ok()?;
        Some(if self.negative { -v } else { v })
    }

    /// The value times `10^scale`, rounded half away from zero.
    pub fn scaled_rounded(&self, scale: u32) -> Option<i128> {
        let v = if scale >= self.scale {
            self.mantissa
                .checked_mul(10u128.checked_pow(scale - self.scale)?)?
        } else {
            let p = 10u128.checked_pow(self.scale - scale)?;
            let q = self.mantissa / p;
            if (self.mantissa % p) * 2 >= p {
                q + 1
            } else {
                q
            }
        };
        let v = i128::try_from(v).ok()?;
        Some(if self.negative { -v } else { v })
    }
}

/// `value x 10^-scale` as exact decimal text, without trailing zeros:
/// `(12345, 3)` is `12.345`, `(12000, 3)` is `12`.
pub fn decimal_text(value: i128, scale: u32) -> String {
    let neg = value < 0;
    let mag = value.unsigned_abs();
    let p = 10u128.pow(scale);
    let int = mag / p;
    let frac = mag % p;
    let mut s = if neg {
        format!("-{int}")
    } else {
        int.to_string()
    };
    if frac != 0 {
        let f = format!("{frac:0w$}", w = scale as usize);
        s.push('.');
        s.push_str(f.trim_end_matches('0'));
    }
    s
}

/// A JSON number for `value x 10^-scale`: an integer when it is one, else the
/// `f64` nearest the exact decimal (which prints back as that decimal when it
/// has at most 15 significant digits, always the case for masses below
/// 10^12 kg, grades and coordinates).
pub fn json_decimal(value: i128, scale: u32) -> Value {
    Value::Number(number(value, scale))
}

fn number(value: i128, scale: u32) -> Number {
    let p = 10i128.pow(scale);
    if value % p == 0 {
        let v = value / p;
        if let Ok(u) = u64::try_from(v) {
            return Number::from(u);
        }
        if let Ok(i) = i64::try_from(v) {
            return Number::from(i);
        }
    }
    let f: f64 = decimal_text(value, scale).parse().unwrap_or(f64::NAN);
    Number::from_f64(f).unwrap_or_else(|| Number::from(0))
}

/// A decimal number for typed serialisation (EPCIS quantities).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Dec(pub i128, pub u32);

impl Serialize for Dec {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        number(self.0, self.1).serialize(s)
    }
}

/// Kilograms for a mass in grams.
pub fn kg(grams: u64) -> Dec {
    Dec(i128::from(grams), 3)
}

/// Percent for a grade in basis points.
pub fn percent(bp: u16) -> Dec {
    Dec(i128::from(bp), 2)
}

/// Degrees for micro-degrees.
pub fn degrees(e6: i64) -> Dec {
    Dec(i128::from(e6), 6)
}

/// The ISO 4217 minor-unit exponent of a currency: 0 for the currencies
/// without minor units (among them the Burundian, Rwandan and Ugandan
/// francs and shillings), 3 for the few with thousandths, else 2.
pub fn currency_exponent(code: &str) -> u32 {
    const ZERO: &[&str] = &[
        "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND",
        "VUV", "XAF", "XOF", "XPF",
    ];
    const THREE: &[&str] = &["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"];
    if ZERO.contains(&code) {
        0
    } else if THREE.contains(&code) {
        3
    } else {
        2
    }
}

/// Why a mass could not be read exactly.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MassError {
    /// The unit is not MDC.07 `KGM` or `TNE`.
    Unit(String),
    /// The number is not a readable decimal.
    Number(String),
    /// Not a whole number of grams.
    NotGrams(String),
    /// Zero, negative or above 2^53-1 grams.
    Range(String),
}

/// Converts a mass in MDC.07 units (`KGM` or `TNE`) to grams, exactly.
///
/// # Errors
/// `MassError` for another unit, a value that is not a whole number of
/// grams, or one out of the range of `Grams`.
pub fn grams_from(value: &Value, unit: &str) -> Result<u64, MassError> {
    let scale = match unit {
        "KGM" => 3,
        "TNE" => 6,
        other => {
            return Err(MassError::Unit(format!(
                "unit {other:?} is not an MDC.07 mass unit (KGM or TNE)"
            )));
        }
    };
    let d = Decimal::from_json(value).map_err(MassError::Number)?;
    let g = d.scaled_exact(scale).ok_or_else(|| {
        MassError::NotGrams(format!(
            "{} {unit} is not a whole number of grams",
            decimal_text(
                if d.negative {
                    -(d.mantissa as i128)
                } else {
                    d.mantissa as i128
                },
                d.scale
            )
        ))
    })?;
    if g <= 0 || g > i128::from(crate::jcs::MAX_SAFE_INTEGER) {
        return Err(MassError::Range(format!(
            "{g} g is out of range: a mass is 1 to 2^53-1 grams"
        )));
    }
    Ok(g as u64)
}

/// `YYYY-MM-DDTHH:MM:SS.mmmZ` for ms since the epoch.
pub fn rfc3339_ms(ms: u64) -> String {
    let secs = crate::time::rfc3339(ms);
    format!("{}.{:03}Z", &secs[..secs.len() - 1], ms % 1000)
}

/// `YYYY-MM` for ms since the epoch.
pub fn month(ms: u64) -> String {
    crate::time::date(ms)[..7].to_string()
}

/// The calendar year of ms since the epoch.
pub fn year(ms: u64) -> i64 {
    crate::time::civil_from_days((ms / 86_400_000) as i64).0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_round_trip_through_json_numbers() {
        for (v, s) in [
            (12_345i128, 3u32),
            (-1_964_100, 6),
            (30_061_900, 6),
            (1, 3),
            (4550, 2),
            (999_999_999_999_999, 3),
        ] {
            let j = json_decimal(v, s);
            let back = Decimal::from_json(&j).unwrap();
            assert_eq!(back.scaled_exact(s), Some(v), "{v} {s} {j}");
            assert_eq!(j.to_string(), decimal_text(v, s));
        }
        assert_eq!(decimal_text(12_000, 3), "12");
        assert_eq!(decimal_text(-5, 3), "-0.005");
    }

    #[test]
    fn masses_convert_exactly_or_not_at_all() {
        let v = |s: &str| serde_json::from_str::<Value>(s).unwrap();
        assert_eq!(grams_from(&v("1000.0"), "KGM"), Ok(1_000_000));
        assert_eq!(grams_from(&v("12.5"), "TNE"), Ok(12_500_000));
        assert_eq!(grams_from(&v("\"0.001\""), "KGM"), Ok(1));
        assert_eq!(grams_from(&v("1.5e3"), "KGM"), Ok(1_500_000));
        assert!(matches!(
            grams_from(&v("0.0005"), "KGM"),
            Err(MassError::NotGrams(_))
        ));
        assert!(matches!(
            grams_from(&v("12"), "LBR"),
            Err(MassError::Unit(_))
        ));
        assert!(matches!(
            grams_from(&v("0"), "KGM"),
            Err(MassError::Range(_))
        ));
        assert!(matches!(
            grams_from(&v("-3"), "KGM"),
            Err(MassError::Range(_))
        ));
        assert!(matches!(
            grams_from(&v("1.2345678901234567"), "TNE"),
            Err(MassError::Number(_))
        ));
    }

    #[test]
    fn coordinates_round_to_micro_degrees() {
        let d = Decimal::parse("-1.96410049").unwrap();
        assert_eq!(d.scaled_rounded(6), Some(-1_964_100));
        let d = Decimal::parse("29.8739995").unwrap();
        assert_eq!(d.scaled_rounded(6), Some(29_874_000));
        assert_eq!(rfc3339_ms(1_767_600_000_123), "2026-01-05T08:00:00.123Z");
        assert_eq!(month(1_767_600_000_123), "2026-01");
    }
}
