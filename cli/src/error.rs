//! The CLI's one error type: a sentence, an optional fix, and the exit code.
//!
//! Exit codes are stable and documented in `madini --help` and README.md:
//!
//! | code | meaning |
//! |------|---------|
//! | 0 | success (also `--help` and `--version`) |
//! | 1 | a check ran and found problems: verifier findings that are errors or critical (`audit`, `verify lot`, `scan`) |
//! | 2 | usage or input error: clap's usage errors and the values its parsers refuse (`--mass abc`), bad input found before signing, an event the node refused, a `sync` with refused events, an import with refused or invalid rows |
//! | 3 | the node could not be reached or trusted (an answer that is not the body `spec/http.md` gives it is not trusted), or data does not verify; a `sync` or an import that left events waiting in the outbox |
//!
//! A closed standard output does not change the code: `out::write_fmt`
//! drops the rest of the output and the command ends as it would have.

use std::fmt;

use serde_json::{Value, json};

use crate::msg;

/// The process exit code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// Success.
    Ok = 0,
    /// A check ran and found problems (verifier findings).
    Problems = 1,
    /// Bad usage or input, or the node refused what we sent.
    Input = 2,
    /// The node could not be reached or trusted, or data does not verify.
    Trust = 3,
}

/// An error for the user: what went wrong and, when there is one, the fix.
#[derive(Debug)]
pub struct CliError {
    /// Exit code.
    pub exit: Exit,
    /// One sentence: what went wrong, and where.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
    /// The node's rule id, for refusals.
    pub rule: Option<String>,
    /// More for `--json` (the pre-signing warnings that stopped a
    /// `--strict` command), merged into the `error` object.
    pub details: Option<Value>,
}

impl CliError {
    /// Bad input or usage (exit 2).
    pub fn input(message: impl Into<String>) -> CliError {
        CliError {
            exit: Exit::Input,
            message: message.into(),
            hint: None,
            rule: None,
            details: None,
        }
    }

    /// The node cannot be reached or trusted (exit 3).
    pub fn trust(message: impl Into<String>) -> CliError {
        CliError {
            exit: Exit::Trust,
            ..CliError::input(message)
        }
    }

    /// Adds the fix.
    pub fn hint(mut self, hint: impl Into<String>) -> CliError {
        self.hint = Some(hint.into());
        self
    }

    /// Adds the node's rule id.
    pub fn rule(mut self, rule: impl Into<String>) -> CliError {
        self.rule = Some(rule.into());
        self
    }

    /// A local file could not be read or written.
    pub fn file(path: &std::path::Path, e: &std::io::Error) -> CliError {
        let p = path.display();
        CliError::input(msg!("cli-error-cannot-use", path = p, error = e))
    }

    /// The JSON form printed with `--json`.
    pub fn to_json(&self) -> Value {
        let mut e = json!({
            "message": self.message,
            "hint": self.hint,
            "rule": self.rule,
            "exit": self.exit as i32,
        });
        if let (Some(o), Some(Value::Object(more))) = (e.as_object_mut(), &self.details) {
            o.extend(more.clone());
        }
        json!({"error": e})
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = msg!("cli-error-error");
        write!(f, "{label}: {}", self.message)?;
        if let Some(h) = &self.hint {
            let fix = msg!("cli-error-fix");
            write!(f, "\n  {fix}: {h}")?;
        }
        Ok(())
    }
}

/// Shorthand.
pub type Result<T, E = CliError> = std::result::Result<T, E>;
