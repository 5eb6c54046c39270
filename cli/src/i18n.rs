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

/// Formats a message in the language in force: `tr!("en {x}", "fr {x}")`.
/// Both strings take the same arguments, captured from scope.
#[macro_export]
macro_rules! tr {
    ($en:literal, $fr:literal $(, $arg:expr)* $(,)?) => {
        match $crate::i18n::lang() {
            $crate::i18n::Lang::En => format!($en $(, $arg)*),
            $crate::i18n::Lang::Fr => format!($fr $(, $arg)*),
            // The CLI's own messages are moving to `cli.ftl`
            // (`ledger_core::t!`); those still here are English in Kiswahili.
            $crate::i18n::Lang::Sw => format!($en $(, $arg)*),
        }
    };
}
