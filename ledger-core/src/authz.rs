//! Who may sign each event type: the one authorisation table of
//! `spec/events.md` section 3.1.
//!
//! Three things read this table and nothing else: the rules
//! (`crate::rules`), which check a row's signers before the type's own
//! rules and each of its conditions at the place the type's rule list
//! names; the table in the spec, which `markdown` writes and a test keeps
//! equal to the file; and the node's matrix test (`node/tests/authz.rs`),
//! which submits every signer class × event type over HTTP and expects
//! what the row says. A condition the table does not list for a type is
//! not checked for it, so the three cannot drift apart.

use crate::event::EVENT_TYPES;
use crate::rules::Rule;
use crate::types::Role;

/// Who may sign events of a type, before any condition.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Signers {
    /// The log key, as entry 0 only (`madini-node init` writes it; rule 4
    /// refuses it anywhere else, before any signer is looked at).
    LogKeyFirst,
    /// A registered actor holding at least one of these roles.
    Roles(&'static [Role]),
    /// Any registered actor.
    AnyActor,
    /// Any registered actor, the log key (an intake report) or a fresh
    /// anonymous key (`spec/events.md` section 6).
    Anyone,
}

/// A condition on top of the signer's role, checked where the type's rule
/// list names its rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Condition {
    /// The signer is the custodian of the lot (of every input, for a merge
    /// or process).
    Custodian,
    /// The lot's pending offer is addressed to the signer.
    Addressee,
    /// The signer is an operator of the site.
    SiteOperator,
    /// The certificate is issued to the signer.
    CertHolder,
    /// Signed by the key being rotated.
    OwnKey,
    /// Signed by a key of the actor whose key is revoked.
    OwnActor,
    /// Signed by the actor who signed the corrected figure event.
    FigureSigner,
    /// The receiver holds a role that may hold custody (`CUSTODY_ROLES`).
    ReceiverHoldsCustody,
    /// Every operator named is a `cooperative`.
    OperatorsCooperative,
    /// The exporter named holds role `exporter`.
    ExporterNamed,
}

impl Condition {
    /// Every condition.
    pub const ALL: [Condition; 10] = [
        Condition::Custodian,
        Condition::Addressee,
        Condition::SiteOperator,
        Condition::CertHolder,
        Condition::OwnKey,
        Condition::OwnActor,
        Condition::FigureSigner,
        Condition::ReceiverHoldsCustody,
        Condition::OperatorsCooperative,
        Condition::ExporterNamed,
    ];

    /// The rule an event breaking the condition is refused with.
    pub fn rule(self) -> Rule {
        match self {
            Condition::Custodian => Rule::NotCustodian,
            Condition::Addressee => Rule::OfferNotForYou,
            Condition::SiteOperator => Rule::NotSiteOperator,
            Condition::CertHolder => Rule::CertNotYours,
            Condition::OwnKey
            | Condition::OwnActor
            | Condition::FigureSigner
            | Condition::ReceiverHoldsCustody
            | Condition::OperatorsCooperative
            | Condition::ExporterNamed => Rule::RoleNotAllowed,
        }
    }

    /// Roles whose holders may sign without the condition holding.
    pub fn waived_for(self) -> &'static [Role] {
        match self {
            Condition::OwnKey | Condition::OwnActor | Condition::FigureSigner => &[Role::Authority],
            _ => &[],
        }
    }

    /// Whether the condition is about the signer (`false`: about an actor
    /// the event names).
    pub fn on_signer(self) -> bool {
        !matches!(
            self,
            Condition::ReceiverHoldsCustody
                | Condition::OperatorsCooperative
                | Condition::ExporterNamed
        )
    }

    /// The condition in the spec's words.
    pub fn text(self) -> &'static str {
        match self {
            Condition::Custodian => "the signer holds custody of the lot (of every input)",
            Condition::Addressee => "the lot's pending offer is addressed to the signer",
            Condition::SiteOperator => "the signer is an operator of the site",
            Condition::CertHolder => "the certificate is issued to the signer",
            Condition::OwnKey => "signed by the key `old` itself",
            Condition::OwnActor => "signed by a key of `actor`",
            Condition::FigureSigner => "the signer signed the corrected event",
            Condition::ReceiverHoldsCustody => "the receiver `to` has a custody role",
            Condition::OperatorsCooperative => "every operator is a `cooperative`",
            Condition::ExporterNamed => "the certificate's `exporter` has role `exporter`",
        }
    }
}

/// One event type's row.
#[derive(Clone, Copy, Debug)]
pub struct Row {
    /// The event type.
    pub ty: &'static str,
    /// Who may sign it.
    pub signers: Signers,
    /// The conditions on top, in the order the type's rules check them.
    pub conditions: &'static [Condition],
}

/// The roles that may hold custody of lots: every role but `authority`
/// and `inspector`, who oversee and never hold ore.
pub const CUSTODY_ROLES: &[Role] = &[
    Role::Cooperative,
    Role::Trader,
    Role::Shipper,
    Role::Processor,
    Role::Warehouse,
    Role::Importer,
    Role::Exporter,
];

use Condition as C;
use Role as R;

const AUTHORITY: Signers = Signers::Roles(&[R::Authority]);

/// The table, one row per event type in the order of `EVENT_TYPES`.
pub const TABLE: &[Row] = &[
    row("genesis", Signers::LogKeyFirst, &[]),
    row("actor.register", AUTHORITY, &[]),
    row("actor.update", AUTHORITY, &[]),
    row("key.rotate", Signers::AnyActor, &[C::OwnKey]),
    row("key.revoke", Signers::AnyActor, &[C::OwnActor]),
    row("licence.grant", AUTHORITY, &[]),
    row("site.register", AUTHORITY, &[C::OperatorsCooperative]),
    row("site.update", AUTHORITY, &[C::OperatorsCooperative]),
    row("site.inspect", Signers::Roles(&[R::Inspector]), &[]),
    row(
        "site.status",
        Signers::Roles(&[R::Inspector, R::Authority]),
        &[],
    ),
    row("tags.allocate", AUTHORITY, &[]),
    row("cert.request", Signers::Roles(&[R::Exporter]), &[]),
    row("cert.issue", AUTHORITY, &[C::ExporterNamed]),
    row(
        "lot.register",
        Signers::Roles(&[R::Cooperative]),
        &[C::SiteOperator],
    ),
    row(
        "lot.offer",
        Signers::AnyActor,
        &[C::Custodian, C::ReceiverHoldsCustody],
    ),
    row("lot.accept", Signers::AnyActor, &[C::Addressee]),
    row("lot.refuse", Signers::AnyActor, &[C::Addressee]),
    row("lot.split", Signers::AnyActor, &[C::Custodian]),
    row("lot.merge", Signers::AnyActor, &[C::Custodian]),
    row(
        "lot.process",
        Signers::Roles(&[R::Processor]),
        &[C::Custodian],
    ),
    row("lot.transport", Signers::AnyActor, &[C::Custodian]),
    row("lot.store", Signers::AnyActor, &[C::Custodian]),
    row("lot.tax", Signers::AnyActor, &[C::Custodian]),
    row(
        "lot.export",
        Signers::Roles(&[R::Exporter]),
        &[C::Custodian, C::CertHolder],
    ),
    row("lot.correct", Signers::AnyActor, &[C::FigureSigner]),
    row("incident.report", Signers::Anyone, &[]),
    row(
        "incident.status",
        Signers::Roles(&[R::Authority, R::Inspector]),
        &[],
    ),
];

const fn row(ty: &'static str, signers: Signers, conditions: &'static [Condition]) -> Row {
    Row {
        ty,
        signers,
        conditions,
    }
}

/// The row of event type `ty`.
pub fn row_of(ty: &str) -> Option<&'static Row> {
    TABLE.iter().find(|r| r.ty == ty)
}

/// The row at `EVENT_TYPES` position `i` (`Body::type_index`).
///
/// # Panics
/// Beyond the table: the table test keeps one row per type.
pub fn row_at(i: usize) -> &'static Row {
    &TABLE[i]
}

impl Row {
    /// Whether an actor with `roles` passes the row's signer check.
    pub fn admits(&self, roles: &[Role]) -> bool {
        match self.signers {
            Signers::LogKeyFirst => false,
            Signers::Roles(rs) => rs.iter().any(|r| roles.contains(r)),
            Signers::AnyActor | Signers::Anyone => true,
        }
    }

    /// Whether the row lists condition `c`.
    pub fn requires(&self, c: Condition) -> bool {
        self.conditions.contains(&c)
    }
}

fn roles_md(roles: &[Role]) -> String {
    let v: Vec<String> = roles.iter().map(|r| format!("`{}`", r.as_str())).collect();
    v.join(" or ")
}

/// The table as `spec/events.md` section 3.1 shows it (the text between
/// its `authz:begin` and `authz:end` markers).
pub fn markdown() -> String {
    let mut out =
        String::from("| event type | signed by | on top (refused with) |\n| --- | --- | --- |\n");
    for r in TABLE {
        let who = match r.signers {
            Signers::LogKeyFirst => "the log key, as entry 0 only".to_string(),
            Signers::Roles(rs) => format!("an actor with role {}", roles_md(rs)),
            Signers::AnyActor => "any actor".to_string(),
            Signers::Anyone => {
                "any actor, the log key (intake) or a fresh anonymous key".to_string()
            }
        };
        let on_top: Vec<String> = r
            .conditions
            .iter()
            .map(|c| {
                let waiver = if c.waived_for().is_empty() {
                    String::new()
                } else {
                    format!(", unless the signer has role {}", roles_md(c.waived_for()))
                };
                format!("{}{waiver} (`{}`)", c.text(), c.rule().id())
            })
            .collect();
        let on_top = if on_top.is_empty() {
            "—".to_string()
        } else {
            on_top.join("; ")
        };
        out.push_str(&format!("| `{}` | {who} | {on_top} |\n", r.ty));
    }
    out.push_str(&format!(
        "\nCustody roles (who may hold a lot): {}.\n",
        roles_md(CUSTODY_ROLES).replace(" or ", ", ")
    ));
    out
}

/// Checks that the table has one row per event type, in order.
///
/// # Errors
/// The first type out of place.
pub fn check_table() -> Result<(), String> {
    if TABLE.len() != EVENT_TYPES.len() {
        return Err(format!(
            "{} rows for {} event types",
            TABLE.len(),
            EVENT_TYPES.len()
        ));
    }
    for (r, t) in TABLE.iter().zip(EVENT_TYPES) {
        if r.ty != *t {
            return Err(format!("row {} is in the place of {}", r.ty, t));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_row_per_type_in_order() {
        check_table().unwrap();
    }

    #[test]
    fn every_condition_is_used_and_waivers_only_name_signers() {
        for c in Condition::ALL {
            assert!(TABLE.iter().any(|r| r.requires(c)), "{c:?} is in no row");
            assert!(c.on_signer() || c.waived_for().is_empty(), "{c:?}");
        }
    }
}
