//! Text forms every edge shows the same way: masses and grades as people
//! read them, the words for a lot's status, and RFC 3986 percent-encoding.
//! One definition each, so a lot page, a CLI table, a label and a verifier
//! message never say the same thing differently. The message catalogs of the
//! public-face work will take over the words; until then they live here.

use crate::state::LotStatus;

/// A language the words here exist in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    /// English.
    En,
    /// French.
    Fr,
}

impl Lang {
    /// Reads a language tag or a POSIX locale: `fr`, `fr-CD` and
    /// `fr_CD.UTF-8` are French; `en...`, `C` and `POSIX` are English;
    /// anything else is `None`.
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.trim().to_ascii_lowercase();
        if s.starts_with("fr") {
            Some(Lang::Fr)
        } else if s.starts_with("en") || s == "c" || s == "posix" {
            Some(Lang::En)
        } else {
            None
        }
    }
}

/// A mass in kilograms with three decimals, from integer grams:
/// `25300` gives `25.300 kg`. Exact: no floating point.
pub fn kg(grams: u64) -> String {
    format!("{}.{:03} kg", grams / 1000, grams % 1000)
}

/// A grade as a percentage with two decimals, from basis points: `6500`
/// gives `65.00 %`. Exact: no floating point.
pub fn percent(bp: u64) -> String {
    format!("{}.{:02} %", bp / 100, bp % 100)
}

/// What happened to a lot, in words: `split into smaller lots`.
pub fn lot_status(s: LotStatus, lang: Lang) -> &'static str {
    match (s, lang) {
        (LotStatus::Open, Lang::En) => "open",
        (LotStatus::Open, Lang::Fr) => "ouvert",
        (LotStatus::Split, Lang::En) => "split into smaller lots",
        (LotStatus::Split, Lang::Fr) => "divisé en lots plus petits",
        (LotStatus::Merged, Lang::En) => "merged into another lot",
        (LotStatus::Merged, Lang::Fr) => "fusionné dans un autre lot",
        (LotStatus::Processed, Lang::En) => "processed into another lot",
        (LotStatus::Processed, Lang::Fr) => "traité en un autre lot",
        (LotStatus::Exported, Lang::En) => "exported",
        (LotStatus::Exported, Lang::Fr) => "exporté",
    }
}

/// Percent-encodes every byte but RFC 3986's unreserved characters
/// (section 2.3: `A-Z a-z 0-9 - . _ ~`), so the result is safe as a URL path
/// segment, a query value or a URN's free text.
pub fn percent_encode(s: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 15)]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masses_and_grades_are_exact() {
        assert_eq!(kg(0), "0.000 kg");
        assert_eq!(kg(25_300), "25.300 kg");
        assert_eq!(kg(1_000_001), "1000.001 kg");
        assert_eq!(percent(6500), "65.00 %");
        assert_eq!(percent(5), "0.05 %");
        assert_eq!(percent(10_000), "100.00 %");
    }

    #[test]
    fn percent_encoding_keeps_only_unreserved_bytes() {
        assert_eq!(percent_encode("RUB-0001_a.b~c"), "RUB-0001_a.b~c");
        assert_eq!(percent_encode("a b/c?d"), "a%20b%2Fc%3Fd");
        assert_eq!(percent_encode("Coopérative"), "Coop%C3%A9rative");
        assert_eq!(percent_encode("+%"), "%2B%25");
    }

    #[test]
    fn languages_are_read_from_tags_and_locales() {
        assert_eq!(Lang::parse("fr_CD.UTF-8"), Some(Lang::Fr));
        assert_eq!(Lang::parse(" FR-rw"), Some(Lang::Fr));
        assert_eq!(Lang::parse("en-GB"), Some(Lang::En));
        assert_eq!(Lang::parse("C"), Some(Lang::En));
        assert_eq!(Lang::parse("sw"), None);
    }

    #[test]
    fn every_status_has_words_in_every_language() {
        use LotStatus::*;
        for s in [Open, Split, Merged, Processed, Exported] {
            for l in [Lang::En, Lang::Fr] {
                assert!(!lot_status(s, l).is_empty());
            }
            assert_ne!(lot_status(s, Lang::En), lot_status(s, Lang::Fr));
        }
    }
}
