//! The help in the language in force: `madini --help`, `madini <command>
//! --help` and `madini help <command>` say every command's and argument's
//! words from `cli.ftl` (`cli-help-*`), not from the doc comments clap
//! derives them from (English, kept as the code's documentation).
//!
//! [`localize`] builds the clap command tree (so clap has added its own
//! `--help`, `--version` and `help` command, and copied the global
//! arguments into every subcommand), then replaces each about and help text
//! by the message named after its place in the tree ([`command_id`],
//! [`arg_id`]; the scheme is written at the top of `cli.ftl`). The section
//! headings ("Usage", "Commands", "Arguments", "Options") come from
//! `cli-help-heading-*`, and clap's usage errors are said again from
//! `cli-usage-*` ([`usage_error`]).

use clap::{Arg, Command};

use crate::i18n::Lang;
use crate::msg;

/// The name clap gives its own help command, flag and version flag.
const CLAP_HELP: &str = "help";
const CLAP_VERSION: &str = "version";

/// The message id of the about text of the command at `path` (subcommand
/// names below `madini`): `[]` gives `cli-help`, `["lot", "register"]`
/// gives `cli-help-lot-register`. clap's `help` command, at any level, is
/// `cli-help-help`; the copies of the tree below it (`madini help lot`)
/// share the ids of the commands they copy.
pub fn command_id(path: &[&str]) -> String {
    if path.last() == Some(&CLAP_HELP) {
        return "cli-help-help".to_string();
    }
    let mut id = String::from("cli-help");
    for name in path.iter().filter(|n| **n != CLAP_HELP) {
        id.push('-');
        id.push_str(name);
    }
    id
}

/// The message id of the help text of argument `arg` of the command at
/// `path`: the command's id, two hyphens and the argument's long name (or
/// its name, for a positional one): `cli-help-lot-register--mass`. A global
/// argument is the root's (`cli-help--node`) wherever it shows; clap's
/// `--help` and `--version` are `cli-help--help` and `cli-help--version`.
pub fn arg_id(path: &[&str], arg: &Arg) -> String {
    let name = arg
        .get_long()
        .map(str::to_string)
        .unwrap_or_else(|| arg.get_id().as_str().replace('_', "-"));
    let own = arg.get_id() == CLAP_HELP || arg.get_id() == CLAP_VERSION;
    let at = if arg.is_global_set() || own {
        String::from("cli-help")
    } else {
        command_id(path)
    };
    format!("{at}--{name}")
}

/// `cmd` built, with every about, help and after-help text from `lang`'s
/// catalog. A text with no message is left as clap has it (the test
/// `every_command_and_argument_has_help` keeps that from shipping).
pub fn localize(mut cmd: Command, lang: Lang) -> Command {
    cmd.build();
    let after = ledger_core::t!(lang, "cli-help-after");
    walk(cmd, &mut vec![], lang).after_help(after)
}

/// The section headings of a help page in `lang`: clap's own words
/// ("Usage:", "Commands:", "Arguments:", "Options:") replaced through a
/// help template and per-argument headings.
struct Headings {
    template: String,
    commands: String,
    arguments: String,
    options: String,
}

impl Headings {
    fn new(lang: Lang) -> Headings {
        let usage = ledger_core::t!(lang, "cli-help-heading-usage");
        Headings {
            template: format!(
                "{{before-help}}{{about-with-newline}}\n{usage} {{usage}}\n\n{{all-args}}{{after-help}}"
            ),
            commands: ledger_core::t!(lang, "cli-help-heading-commands"),
            arguments: ledger_core::t!(lang, "cli-help-heading-arguments"),
            options: ledger_core::t!(lang, "cli-help-heading-options"),
        }
    }
}

fn walk(cmd: Command, path: &mut Vec<String>, lang: Lang) -> Command {
    let here: Vec<&str> = path.iter().map(String::as_str).collect();
    let about = text(lang, &command_id(&here));
    let h = Headings::new(lang);
    let mut cmd = cmd
        .help_template(h.template.clone())
        .subcommand_help_heading(h.commands.clone())
        .mut_args(|a| {
            let a = match text(lang, &arg_id(&here, &a)) {
                Some(t) => a.help(t),
                None => a,
            };
            if a.get_help_heading().is_some() {
                a
            } else if a.is_positional() {
                a.help_heading(h.arguments.clone())
            } else {
                a.help_heading(h.options.clone())
            }
        });
    if let Some(t) = about {
        cmd = cmd.about(t);
    }
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in names {
        cmd = cmd.mut_subcommand(&name, |sub| {
            path.push(name.clone());
            let sub = walk(sub, path, lang);
            path.pop();
            sub
        });
    }
    cmd
}

fn text(lang: Lang, id: &str) -> Option<String> {
    ledger_core::i18n::has(lang, id).then(|| ledger_core::i18n::message(lang, id, &[]))
}

/// Every help text id of the built tree `cmd`, with the English text clap
/// derived (from the doc comments, or its own), once each, in tree order.
#[cfg(test)]
pub fn ids(cmd: &Command) -> Vec<(String, String)> {
    fn go(cmd: &Command, path: &mut Vec<String>, out: &mut Vec<(String, String)>) {
        let here: Vec<&str> = path.iter().map(String::as_str).collect();
        let mut push = |id: String, t: Option<String>| {
            if !out.iter().any(|(i, _)| *i == id) {
                out.push((id, t.unwrap_or_default()));
            }
        };
        push(command_id(&here), cmd.get_about().map(ToString::to_string));
        for a in cmd.get_arguments().filter(|a| !a.is_hide_set()) {
            push(arg_id(&here, a), a.get_help().map(ToString::to_string));
        }
        for sub in cmd.get_subcommands() {
            path.push(sub.get_name().to_string());
            go(sub, path, out);
            path.pop();
        }
    }
    let mut out = vec![];
    go(cmd, &mut vec![], &mut out);
    out
}

/// A usage error of clap (an unknown argument or command, a value not in
/// the list, a missing argument, ...) as the CLI's error in the language in
/// force: one sentence saying what and where, and the fix (clap's
/// suggestion, if it has one, then the command's `--help`). `None` for what
/// is not an error (help and version pages, which clap prints itself) and
/// for values a value parser refused (`main::refused_value` says those).
pub fn usage_error(e: &clap::Error, cmd: &str) -> Option<crate::error::CliError> {
    use clap::error::{ContextKind as K, ContextValue as V, ErrorKind as E};
    let text = |k: K| -> Option<String> {
        match e.get(k)? {
            V::String(s) => Some(s.clone()),
            V::Strings(v) => Some(v.join(", ")),
            V::StyledStr(s) => Some(s.to_string()),
            V::Number(n) => Some(n.to_string()),
            V::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    };
    // "--format <FORMAT>" is said "--format".
    let flag = |s: String| s.split_whitespace().next().unwrap_or_default().to_string();
    let arg = || text(K::InvalidArg).map(flag).unwrap_or_default();
    let message = match e.kind() {
        E::DisplayHelp
        | E::DisplayVersion
        | E::DisplayHelpOnMissingArgumentOrSubcommand
        | E::ValueValidation => return None,
        E::UnknownArgument => msg!("cli-usage-unknown-argument", cmd = cmd, arg = arg()),
        E::InvalidSubcommand => {
            let name = text(K::InvalidSubcommand).unwrap_or_default();
            msg!("cli-usage-unknown-command", cmd = cmd, name = name)
        }
        E::InvalidValue => {
            let value = text(K::InvalidValue).unwrap_or_default();
            let valid = text(K::ValidValue).unwrap_or_default();
            if value.is_empty() && valid.is_empty() {
                return Some(usage(msg!("cli-usage-needs-value", arg = arg()), cmd, None));
            }
            msg!(
                "cli-usage-invalid-value",
                arg = arg(),
                value = value,
                valid = valid
            )
        }
        E::MissingRequiredArgument => {
            let args = match e.get(K::InvalidArg) {
                Some(V::Strings(v)) => v.iter().cloned().map(flag).collect::<Vec<_>>().join(", "),
                _ => arg(),
            };
            msg!("cli-usage-missing", cmd = cmd, args = args)
        }
        E::MissingSubcommand => msg!("cli-usage-missing-command", cmd = cmd),
        E::ArgumentConflict => {
            let other = text(K::PriorArg).map(flag).unwrap_or_default();
            msg!("cli-usage-conflict", arg = arg(), other = other)
        }
        E::NoEquals => msg!("cli-usage-no-equals", arg = arg()),
        E::TooManyValues | E::TooFewValues | E::WrongNumberOfValues => {
            msg!("cli-usage-values", arg = arg())
        }
        E::InvalidUtf8 => msg!("cli-usage-not-utf8", cmd = cmd),
        _ => msg!("cli-usage-other", cmd = cmd),
    };
    let suggestion = text(K::SuggestedArg).or_else(|| text(K::SuggestedSubcommand));
    Some(usage(message, cmd, suggestion))
}

/// A usage error: the sentence, then the suggestion and the command's help.
fn usage(message: String, cmd: &str, suggestion: Option<String>) -> crate::error::CliError {
    let fix = msg!("cli-usage-fix", cmd = cmd);
    let hint = match suggestion {
        Some(suggestion) => format!(
            "{} {fix}",
            msg!("cli-usage-did-you-mean", suggestion = suggestion)
        ),
        None => fix,
    };
    crate::error::CliError::input(message).hint(hint)
}

/// The command the line names, as far as it names one: the subcommands
/// found in order among `args` (`madini --lang fr lot register --mas 5`
/// gives `madini lot register`).
pub fn typed_command(cmd: &Command, args: &[std::ffi::OsString]) -> String {
    let mut at = cmd;
    let mut words = vec![cmd.get_name().to_string()];
    for a in args.iter().skip(1) {
        let Some(a) = a.to_str() else { continue };
        if a == "--" {
            break;
        }
        if let Some(sub) = at.find_subcommand(a) {
            words.push(sub.get_name().to_string());
            at = sub;
        }
    }
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    fn built() -> Command {
        let mut c = crate::Cli::command();
        c.build();
        c
    }

    #[test]
    fn ids_follow_the_tree() {
        assert_eq!(command_id(&[]), "cli-help");
        assert_eq!(command_id(&["lot", "register"]), "cli-help-lot-register");
        assert_eq!(command_id(&["lot", "help"]), "cli-help-help");
        assert_eq!(
            command_id(&["help", "lot", "register"]),
            "cli-help-lot-register"
        );
        let c = built();
        let reg = c
            .find_subcommand("lot")
            .and_then(|l| l.find_subcommand("register"))
            .expect("lot register");
        let mass = reg
            .get_arguments()
            .find(|a| a.get_long() == Some("mass"))
            .expect("--mass");
        assert_eq!(
            arg_id(&["lot", "register"], mass),
            "cli-help-lot-register--mass"
        );
        let node = reg
            .get_arguments()
            .find(|a| a.get_long() == Some("node"))
            .expect("--node");
        assert_eq!(arg_id(&["lot", "register"], node), "cli-help--node");
    }

    /// A new command or flag cannot ship with English help only.
    #[test]
    fn every_command_and_argument_has_help() {
        let ids = ids(&built());
        assert!(ids.len() > 100, "{} ids", ids.len());
        let mut missing = vec![];
        for lang in Lang::ALL {
            for (id, english) in &ids {
                if !ledger_core::i18n::has(lang, id) {
                    missing.push(format!("{} {id} = {english}", lang.code()));
                }
            }
        }
        assert!(
            missing.is_empty(),
            "no catalog entry:\n{}",
            missing.join("\n")
        );
    }

    /// And the catalog holds no help for a command or flag that is gone.
    #[test]
    fn every_help_message_has_its_command_or_argument() {
        let ids: Vec<String> = ids(&built()).into_iter().map(|(i, _)| i).collect();
        let src = ledger_core::i18n::source(Lang::En, "cli").unwrap_or_default();
        let stale: Vec<&str> = src
            .lines()
            .filter_map(|l| l.split_once(" = ").map(|(id, _)| id.trim()))
            .filter(|id| {
                id.starts_with("cli-help")
                    && *id != "cli-help-after"
                    && !id.starts_with("cli-help-heading-")
            })
            .filter(|id| !ids.iter().any(|i| i == id))
            .collect();
        assert!(stale.is_empty(), "help for nothing: {stale:?}");
    }

    #[test]
    fn the_headings_speak_the_language() {
        let mut c = localize(crate::Cli::command(), Lang::Sw);
        let help = c.render_help().to_string();
        for want in ["Matumizi: madini", "Amri:", "Chaguo:"] {
            assert!(help.contains(want), "{want}: {help}");
        }
        assert!(
            !help.contains("Usage:") && !help.contains("Options:"),
            "{help}"
        );
    }

    #[test]
    fn the_help_speaks_the_language() {
        let c = localize(crate::Cli::command(), Lang::Fr);
        let reg = c
            .find_subcommand("lot")
            .and_then(|l| l.find_subcommand("register"))
            .expect("lot register");
        let about = reg.get_about().map(ToString::to_string).unwrap_or_default();
        assert_eq!(about, ledger_core::t!(Lang::Fr, "cli-help-lot-register"));
        assert_ne!(about, ledger_core::t!(Lang::En, "cli-help-lot-register"));
    }
}
