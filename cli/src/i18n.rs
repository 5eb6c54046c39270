//! Message language: English, French or Kiswahili, from `--lang`, the profile, or the
//! system locale (`LC_ALL`, `LC_MESSAGES`, `LANG`), English by default.

use std::sync::OnceLock;

/// A language the CLI speaks: ledger-core's, so the words it shares with
/// the node's pages (`ledger_core::text`) come in the same language.
pub use ledger_core::text::Lang;

static LANG: OnceLock<Lang> = OnceLock::new();

/// The language of the system locale, following POSIX precedence.
pub fn from_env() -> Lang {
    for var in ["LC_ALL", "LC_MESSAGES", "LANG"] {
        if let Ok(v) = std::env::var(var)
            && !v.is_empty()
        {
            return Lang::parse(&v).unwrap_or(Lang::En);
        }
    }
    Lang::En
}

/// The languages' codes, for a message that lists them: `en, fr, sw`.
pub fn codes() -> String {
    Lang::ALL.map(Lang::code).join(", ")
}

/// Sets the language once, at start-up.
pub fn set(lang: Lang) {
    let _ = LANG.set(lang);
}

/// The language in force.
pub fn lang() -> Lang {
    *LANG.get_or_init(from_env)
}

/// A placeholder's value, formatted as `format!` would (`{}`): an id, a
/// path's `display()`, an error, a number. A value that is an integer
/// written canonically (`12`, not `012`) is passed as a number, so a
/// message can choose its plural form (`[one] 1 lot`); it reads the same.
pub fn arg(value: &dyn std::fmt::Display) -> ledger_core::i18n::Arg<'static> {
    let text = value.to_string();
    match text.parse::<i64>() {
        Ok(n) if n.to_string() == text => ledger_core::i18n::Arg::from(n),
        _ => ledger_core::i18n::Arg::from(text),
    }
}

/// Formats a CLI message (`cli.ftl`) in the language in force:
/// `msg!("cli-keys-key-file-does-not", path = p.display())`. Each
/// `name = value` fills the placeholder `{ $name }` with any `Display`
/// value, borrowed as `format!` borrows it; this is `ledger_core::t!` with
/// [`lang`] filled in and its values formatted first.
#[macro_export]
macro_rules! msg {
    ($id:literal $(, $name:ident = $value:expr)* $(,)?) => {
        ledger_core::i18n::message(
            $crate::i18n::lang(),
            $id,
            &[$((stringify!($name), $crate::i18n::arg(&$value))),*],
        )
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Integers choose the plural form; anything else reads as written.
    #[test]
    fn integers_choose_the_plural_and_ids_are_kept() {
        let say = |l: Lang, v: &dyn std::fmt::Display| {
            ledger_core::i18n::message(
                l,
                "cli-verify-under-review-open-incidents",
                &[("count", arg(v))],
            )
        };
        assert!(
            say(Lang::En, &1).ends_with(": 1 lot"),
            "{}",
            say(Lang::En, &1)
        );
        assert!(say(Lang::En, &3usize).ends_with(": 3 lots"));
        assert!(say(Lang::Fr, &1).ends_with(": 1 lot"));
        assert!(say(Lang::Sw, &1).ends_with(": mzigo 1"));
        assert!(
            say(Lang::En, &"007").ends_with(": 007 lots"),
            "{}",
            say(Lang::En, &"007")
        );
    }
}
