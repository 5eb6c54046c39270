//! Text forms every edge shows the same way: masses and grades as people
//! read them, the words for a lot's status and a mineral, the languages
//! Madini speaks, and RFC 3986 percent-encoding. One definition each, so a
//! lot page, a CLI table, a label and a verifier message never say the same
//! thing differently. The words themselves are in the message catalogs
//! (`crate::i18n`, `locales/*/core.ftl`).

use crate::state::LotStatus;
use crate::types::Mineral;

/// A language Madini speaks: its catalogs are complete in each
/// (`ledger-core/tests/catalogs.rs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lang {
    /// English.
    En,
    /// French.
    Fr,
    /// Kiswahili (the Congolese and the East African coast's standard
    /// forms read the same catalog).
    Sw,
}

impl Lang {
    /// Every language, in the order a language switch shows them.
    pub const ALL: [Lang; 3] = [Lang::En, Lang::Fr, Lang::Sw];

    /// The BCP 47 primary tag: `en`, `fr`, `sw`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
            Lang::Sw => "sw",
        }
    }

    /// The language's name in itself, for a language switch: `Kiswahili`.
    pub fn autonym(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Fr => "Français",
            Lang::Sw => "Kiswahili",
        }
    }

    /// Reads a language tag or a POSIX locale by its primary language:
    /// `fr`, `fr-CD` and `fr_CD.UTF-8` are French; `sw`, `sw-CD`,
    /// `sw_TZ.UTF-8` and the ISO 639-3 `swc` (Congo Swahili) and `swh` are
    /// Kiswahili; `en...`, `C` and `POSIX` are English; anything else is
    /// `None`.
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.trim();
        let primary = s
            .split(['-', '_', '.', '@'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        match primary.as_str() {
            "en" | "eng" | "c" | "posix" => Some(Lang::En),
            "fr" | "fra" | "fre" => Some(Lang::Fr),
            "sw" | "swa" | "swc" | "swh" => Some(Lang::Sw),
            _ => None,
        }
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
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
pub fn lot_status(s: LotStatus, lang: Lang) -> String {
    let id = match s {
        LotStatus::Open => "core-lot-status-open",
        LotStatus::Split => "core-lot-status-split",
        LotStatus::Merged => "core-lot-status-merged",
        LotStatus::Processed => "core-lot-status-processed",
        LotStatus::Exported => "core-lot-status-exported",
    };
    crate::i18n::message(lang, id, &[])
}

/// A mineral's name as people say it: `cassiterite (tin)`, `madini ya bati`.
pub fn mineral(m: Mineral, lang: Lang) -> String {
    let id = match m {
        Mineral::Cassiterite => "core-mineral-cassiterite",
        Mineral::Coltan => "core-mineral-coltan",
        Mineral::Wolframite => "core-mineral-wolframite",
        Mineral::Gold => "core-mineral-gold",
    };
    crate::i18n::message(lang, id, &[])
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
        assert_eq!(Lang::parse("C.UTF-8"), Some(Lang::En));
        assert_eq!(Lang::parse("sw"), Some(Lang::Sw));
        assert_eq!(Lang::parse("sw-CD"), Some(Lang::Sw));
        assert_eq!(Lang::parse("sw_TZ.UTF-8"), Some(Lang::Sw));
        assert_eq!(Lang::parse("swc"), Some(Lang::Sw));
        assert_eq!(Lang::parse("rw"), None);
        assert_eq!(Lang::parse("frisian"), None);
        assert_eq!(Lang::parse(""), None);
        for l in Lang::ALL {
            assert_eq!(Lang::parse(l.code()), Some(l));
        }
    }

    #[test]
    fn every_status_has_words_in_every_language() {
        use LotStatus::*;
        for s in [Open, Split, Merged, Processed, Exported] {
            for l in Lang::ALL {
                assert!(!lot_status(s, l).starts_with("core-"), "{s:?} {l}");
            }
            assert_ne!(lot_status(s, Lang::En), lot_status(s, Lang::Fr));
            assert_ne!(lot_status(s, Lang::En), lot_status(s, Lang::Sw));
        }
        assert_eq!(lot_status(Split, Lang::En), "split into smaller lots");
    }
}
