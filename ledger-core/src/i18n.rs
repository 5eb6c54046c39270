//! Message catalogs: every text a person reads, in every language Madini
//! speaks, formatted by Project Fluent (`fluent-bundle`) from the `.ftl`
//! files under `ledger-core/locales/<lang>/`, embedded at compile time.
//!
//! One set of files per language, one file per owner ([`FILES`]); a message
//! id is unique across the files of a language and starts with its file's
//! prefix (`core-`, `finding-`, `cli-`, `pages-`, `app-`, `report-`,
//! `tag-`). `app.ftl` and `report.ftl` are also read by the browser (the
//! field app and the report form, through the node's `/locales/{lang}/{file}`
//! route), so their messages hold only text and `{ $variable }`
//! placeholders. `ledger-core/tests/catalogs.rs` checks all of that, and
//! that every language has every message with the same placeholders.
//!
//! No I/O: the catalogs are `include_str!`'d, parsed once on first use.

use std::borrow::Cow;
use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use fluent_syntax::ast;

/// The one language enum of the workspace (`ledger_core::text::Lang`).
pub use crate::text::Lang;

/// The catalog files of every language, by owner, without `.ftl`.
pub const FILES: [&str; 7] = ["core", "findings", "cli", "pages", "app", "report", "tags"];

/// The files the browser reads too: plain text and `{ $variable }` only.
pub const BROWSER_FILES: [&str; 2] = ["app", "report"];

/// The id prefix of a catalog file's messages: `findings` gives `finding-`.
pub fn prefix(file: &str) -> Option<&'static str> {
    Some(match file {
        "core" => "core-",
        "findings" => "finding-",
        "cli" => "cli-",
        "pages" => "pages-",
        "app" => "app-",
        "report" => "report-",
        "tags" => "tag-",
        _ => return None,
    })
}

macro_rules! catalogs {
    ($($lang:ident $code:literal),+) => {
        /// The text of one catalog file, as embedded: `source(Lang::Sw, "cli")`.
        /// `None` for a file not in [`FILES`].
        pub fn source(lang: Lang, file: &str) -> Option<&'static str> {
            match lang {
                $(Lang::$lang => Some(match file {
                    "core" => include_str!(concat!("../locales/", $code, "/core.ftl")),
                    "findings" => include_str!(concat!("../locales/", $code, "/findings.ftl")),
                    "cli" => include_str!(concat!("../locales/", $code, "/cli.ftl")),
                    "pages" => include_str!(concat!("../locales/", $code, "/pages.ftl")),
                    "app" => include_str!(concat!("../locales/", $code, "/app.ftl")),
                    "report" => include_str!(concat!("../locales/", $code, "/report.ftl")),
                    "tags" => include_str!(concat!("../locales/", $code, "/tags.ftl")),
                    _ => return None,
                }),)+
            }
        }
    };
}
catalogs!(En "en", Fr "fr", Sw "sw");

/// A value for a message's placeholder: text or an integer. No floats: a
/// mass or a grade is formatted first (`text::kg`, `text::percent`) and
/// passed as text, so no language rounds it differently.
#[derive(Clone, Debug, PartialEq)]
pub struct Arg<'a>(FluentValue<'a>);

impl<'a> From<&'a str> for Arg<'a> {
    fn from(s: &'a str) -> Self {
        Arg(FluentValue::from(s))
    }
}
impl<'a> From<&'a String> for Arg<'a> {
    fn from(s: &'a String) -> Self {
        Arg(FluentValue::from(s.as_str()))
    }
}
impl From<String> for Arg<'_> {
    fn from(s: String) -> Self {
        Arg(FluentValue::from(s))
    }
}
impl<'a> From<Cow<'a, str>> for Arg<'a> {
    fn from(s: Cow<'a, str>) -> Self {
        Arg(FluentValue::from(s))
    }
}
macro_rules! int_args {
    ($($t:ty),+) => {$(
        impl From<$t> for Arg<'_> {
            fn from(n: $t) -> Self {
                Arg(FluentValue::from(n))
            }
        }
    )+};
}
int_args!(u64, i64, usize, u32, i32, u16, u8);

type Bundle = FluentBundle<FluentResource>;

fn bundles() -> &'static [Bundle; 3] {
    static B: OnceLock<[Bundle; 3]> = OnceLock::new();
    B.get_or_init(|| Lang::ALL.map(bundle))
}

fn bundle(lang: Lang) -> Bundle {
    let id: unic_langid::LanguageIdentifier = lang.code().parse().unwrap_or_default();
    let mut b = FluentBundle::new_concurrent(vec![id]);
    // Unicode isolation marks (U+2068/U+2069 around each placeable) are for
    // mixing scripts of both directions; all three languages are written
    // left to right, and the marks would reach terminals, files and tests
    // as invisible bytes.
    b.set_use_isolating(false);
    for file in FILES {
        let text = source(lang, file).unwrap_or_default().to_string();
        // A file with a syntax error still gives the messages that parse;
        // the catalog test fails on the error itself.
        let res = FluentResource::try_new(text).unwrap_or_else(|(res, _)| res);
        // A duplicate id keeps the first one; the catalog test fails on it.
        let _ = b.add_resource(res);
    }
    b
}

fn index(lang: Lang) -> usize {
    match lang {
        Lang::En => 0,
        Lang::Fr => 1,
        Lang::Sw => 2,
    }
}

/// Formats message `id` in `lang` with named arguments:
/// `message(Lang::Fr, "core-lot-status-open", &[])`.
///
/// A message missing in `lang` is formatted in English (the catalog test
/// keeps every language complete, so this is a safety net, not a feature);
/// an id no catalog knows comes back as the id itself, so a missing text is
/// visible but never an error.
pub fn message(lang: Lang, id: &str, args: &[(&str, Arg<'_>)]) -> String {
    let all = bundles();
    let mut fa = FluentArgs::with_capacity(args.len());
    for (k, v) in args {
        fa.set(*k, v.0.clone());
    }
    for b in [&all[index(lang)], &all[index(Lang::En)]] {
        if let Some(p) = b.get_message(id).and_then(|m| m.value()) {
            let mut errors = vec![];
            return b.format_pattern(p, Some(&fa), &mut errors).into_owned();
        }
    }
    id.to_string()
}

/// Whether `lang`'s catalogs hold message `id` (with a value).
pub fn has(lang: Lang, id: &str) -> bool {
    bundles()[index(lang)]
        .get_message(id)
        .is_some_and(|m| m.value().is_some())
}

/// Formats a message: `t!(lang, "pages-lot-title", lot = id)`. Each
/// `name = value` is a placeholder `{ $name }`; a value is anything an
/// [`Arg`] is made from (text or an integer).
#[macro_export]
macro_rules! t {
    ($lang:expr, $id:expr $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::i18n::message(
            $lang,
            $id,
            &[$((stringify!($name), $crate::i18n::Arg::from($value))),*],
        )
    };
}

/// The messages of a browser file ([`BROWSER_FILES`]) in `lang`, as
/// `(id, pattern)` pairs in file order, each pattern its text with
/// placeholders written `{ $name }`, for the browser's formatter. `None`
/// for another file. A message that holds more than text and variables
/// (which the catalog test forbids here) is left out rather than sent
/// half-rendered.
pub fn browser_messages(lang: Lang, file: &str) -> Option<Vec<(String, String)>> {
    if !BROWSER_FILES.contains(&file) {
        return None;
    }
    let text = source(lang, file)?;
    let res = match fluent_syntax::parser::parse(text) {
        Ok(r) => r,
        Err((r, _)) => r,
    };
    let mut out = vec![];
    for entry in res.body {
        if let ast::Entry::Message(m) = entry
            && m.attributes.is_empty()
            && let Some(p) = m.value
            && let Some(s) = plain_pattern(&p)
        {
            out.push((m.id.name.to_string(), s));
        }
    }
    Some(out)
}

/// A pattern of only text and `{ $variable }` placeables as one string, or
/// `None` if it holds anything else (a selector, a term, a literal, a
/// function, a message reference).
pub fn plain_pattern(p: &ast::Pattern<&str>) -> Option<String> {
    let mut s = String::new();
    for el in &p.elements {
        match el {
            ast::PatternElement::TextElement { value } => s.push_str(value),
            ast::PatternElement::Placeable {
                expression: ast::Expression::Inline(ast::InlineExpression::VariableReference { id }),
            } => {
                s.push_str("{ $");
                s.push_str(id.name);
                s.push_str(" }");
            }
            ast::PatternElement::Placeable { .. } => return None,
        }
    }
    Some(s)
}

/// The best language for an HTTP `Accept-Language` value (RFC 9110 section
/// 12.5.4): the listed languages Madini speaks, highest `q` first (ties in
/// the order given), `q=0` meaning "not this one". `None` when none is
/// spoken (the caller picks its default). `*` matches nothing here.
pub fn negotiate(accept_language: &str) -> Option<Lang> {
    let mut best: Option<(u16, Lang)> = None;
    for part in accept_language.split(',') {
        let mut it = part.split(';');
        let tag = it.next().unwrap_or("").trim();
        let mut q = 1000u16;
        for param in it {
            let param = param.trim();
            if let Some(v) = param
                .strip_prefix("q=")
                .or_else(|| param.strip_prefix("Q="))
            {
                match qvalue(v.trim()) {
                    Some(v) => q = v,
                    None => q = 0,
                }
            }
        }
        if q == 0 || tag == "*" {
            continue;
        }
        if let Some(l) = Lang::parse(tag)
            && best.is_none_or(|(bq, _)| q > bq)
        {
            best = Some((q, l));
        }
    }
    best.map(|(_, l)| l)
}

/// An RFC 9110 `qvalue` (`0`, `0.5`, `1.000`) in thousandths; `None` if
/// malformed.
fn qvalue(s: &str) -> Option<u16> {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    if frac.len() > 3 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let whole = match int {
        "0" => 0u16,
        "1" => 1000,
        _ => return None,
    };
    let mut f = 0u16;
    for (i, b) in frac.bytes().enumerate() {
        f += u16::from(b - b'0') * [100, 10, 1][i];
    }
    if whole == 1000 && f > 0 {
        return None;
    }
    Some(whole + f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_honours_q_values() {
        assert_eq!(negotiate("fr-CD,fr;q=0.9,en;q=0.8"), Some(Lang::Fr));
        assert_eq!(negotiate("en;q=0.5, sw;q=0.9"), Some(Lang::Sw));
        assert_eq!(negotiate("de, sw-TZ;q=0.1, fr;q=0.2"), Some(Lang::Fr));
        assert_eq!(negotiate("fr;q=0, en"), Some(Lang::En));
        assert_eq!(negotiate("rw, sw;q=0.7, fr;q=0.7"), Some(Lang::Sw));
        assert_eq!(negotiate("de, *"), None);
        assert_eq!(negotiate(""), None);
        assert_eq!(negotiate("fr;q=2"), None);
        assert_eq!(negotiate("fr;q=abc, en;q=0.1"), Some(Lang::En));
    }

    #[test]
    fn q_values_are_exact() {
        assert_eq!(qvalue("1"), Some(1000));
        assert_eq!(qvalue("1.000"), Some(1000));
        assert_eq!(qvalue("0.05"), Some(50));
        assert_eq!(qvalue("0.123"), Some(123));
        assert_eq!(qvalue("0.1234"), None);
        assert_eq!(qvalue("1.5"), None);
        assert_eq!(qvalue(""), None);
    }

    #[test]
    fn unknown_ids_come_back_as_themselves() {
        assert_eq!(message(Lang::Sw, "no-such-message", &[]), "no-such-message");
        assert!(!has(Lang::En, "no-such-message"));
    }

    #[test]
    fn every_file_is_embedded_for_every_language() {
        for l in Lang::ALL {
            for f in FILES {
                assert!(source(l, f).is_some(), "{} {f}", l.code());
                assert!(prefix(f).is_some());
            }
            assert!(source(l, "nope").is_none());
        }
    }
}
