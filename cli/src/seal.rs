//! `madini incident open`: a case handler reads a report's sealed text
//! (`spec/events.md` section 6, "Sealed text") with its own key, from the
//! signed bytes of the report's leaf, not from the node's decoded copy.

use ledger_core::event::{Body, Event};
use ledger_core::hash::Hash;
use ledger_core::seal::{SealError, open};
use ledger_core::t;
use ledger_core::wire;
use serde_json::json;

use crate::client::leaf_event;
use crate::ctx::Ctx;
use crate::error::{CliError, Exit, Result};
use crate::i18n::lang;
use crate::out;

/// Prints the sealed text of `case`'s report, opened with the profile's key.
///
/// # Errors
/// A case whose report is not sealed, or not to this key (exit 2); bytes
/// that do not open (exit 3).
pub fn open_case(ctx: &Ctx, case: &Hash) -> Result<Exit> {
    let hex = case.to_hex();
    let v: wire::CaseView = ctx.node().read_as(&format!("/v1/cases/{hex}"))?;
    let first = v
        .history
        .first()
        .ok_or_else(|| CliError::trust(t!(lang(), "cli-seal-no-report", case = hex.as_str())))?;
    let event = Event::decode(&leaf_event(first)?)
        .map_err(|e| CliError::trust(format!("{}: {e}", first.index)))?;
    let Body::IncidentReport(report) = event.body else {
        return Err(CliError::trust(t!(
            lang(),
            "cli-seal-no-report",
            case = hex.as_str()
        )));
    };
    let Some(sealed) = report.sealed else {
        return Err(CliError::input(t!(
            lang(),
            "cli-seal-not-sealed",
            case = hex.as_str()
        )));
    };
    let key = ctx.key()?;
    let text = open(&sealed, key).map_err(|e| match e {
        SealError::NotARecipient(id) => CliError::input(t!(
            lang(),
            "cli-seal-not-yours",
            case = hex.as_str(),
            key = id.to_string().as_str()
        )),
        other => CliError::trust(t!(
            lang(),
            "cli-seal-does-not-open",
            case = hex.as_str(),
            reason = other.to_string().as_str()
        )),
    })?;
    if ctx.json {
        out::json(&json!({"case": hex, "text": text}));
    } else {
        crate::outln!("{text}");
    }
    Ok(Exit::Ok)
}
