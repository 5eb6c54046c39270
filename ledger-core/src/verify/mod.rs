//! The verifier (`spec/verifier.md`): replays a log, or one lot's bundle,
//! through the same rules the node applies, then computes findings for the
//! fourteen rule families (DOMAIN's thirteen and plausibility): every place where the numbers do not add up or
//! a red flag shows. It returns all findings, never just the first.
//!
//! Two layers. *Integrity* (signatures, the leaf chain, proofs, checkpoint
//! consistency): a failure means the data cannot be verified at all.
//! *Findings*: the data verifies, and this is what it says.

mod analyze;
mod audit;
mod lot;
pub mod policy;
mod precheck;

pub use analyze::{Analyzer, Seen, TagSeen, distance_m};
pub use audit::{ARCHIVE_FORMAT, AuditError, Auditor, Frontier, LogArchive};
pub use lot::{LotReport, verify_lot};
pub use policy::Policy;
pub use precheck::{LotFigures, Offered, Warning, precheck};

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::hash::Hash;
use crate::i18n::Lang;

/// How bad a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; not a problem.
    Info,
    /// Unusual; look at it.
    Warning,
    /// The numbers do not add up, or a rule of the scheme is broken.
    Error,
    /// Fraud-grade: tag laundering, double spending, a log that breaks its own rules.
    Critical,
}

/// Declares every finding rule once: its variant, its id (`spec/verifier.md`
/// section 3), its DOMAIN rule family (0 for integrity) and the severities it
/// can have. Every table derived from them is a `match` with no fallback.
macro_rules! findings {
    ($($v:ident => ($id:literal, $family:literal, [$($sev:expr),+]),)*) => {
        /// A finding's rule, by its id in `spec/verifier.md` section 3.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum FindingRule {
            $(#[doc = concat!("`", $id, "`")] $v,)*
        }

        impl FindingRule {
            /// Every finding rule, in the order of `spec/verifier.md`.
            pub const ALL: &[FindingRule] = &[$(FindingRule::$v,)*];

            /// The rule id, e.g. `merge-mass`.
            pub fn as_str(self) -> &'static str {
                match self { $(FindingRule::$v => $id,)* }
            }

            /// The rule family: DOMAIN's 1 to 13, 14 for plausibility, 0 for integrity.
            pub fn family(self) -> u8 {
                match self { $(FindingRule::$v => $family,)* }
            }

            /// The severities a finding of this rule can have, most severe
            /// first.
            pub fn severities(self) -> &'static [Severity] {
                match self { $(FindingRule::$v => &[$($sev),+],)* }
            }
        }
    };
}

findings! {
    Integrity => ("integrity", 0, [Severity::Critical]),
    TransferMass => ("transfer-mass", 1, [Severity::Error, Severity::Warning]),
    TransferGrade => ("transfer-grade", 1, [Severity::Error]),
    SplitMass => ("split-mass", 2, [Severity::Error]),
    SplitGrade => ("split-grade", 2, [Severity::Error]),
    MergeMass => ("merge-mass", 3, [Severity::Error, Severity::Warning]),
    MergeGrade => ("merge-grade", 3, [Severity::Error]),
    ProcessingMetal => ("processing-metal", 4, [Severity::Error]),
    ProcessingRecovery => ("processing-recovery", 4, [Severity::Warning]),
    StockBalance => ("stock-balance", 5, [Severity::Error]),
    SiteCapacity => ("site-capacity", 6, [Severity::Error]),
    SiteStatus => ("site-status", 7, [Severity::Error, Severity::Warning]),
    SiteInactive => ("site-inactive", 7, [Severity::Warning]),
    TagReuse => ("tag-reuse", 8, [Severity::Critical]),
    DoubleSpend => ("double-spend", 9, [Severity::Critical]),
    LogBreaksRule => ("log-breaks-rule", 9, [Severity::Critical]),
    BackDating => ("back-dating", 10, [Severity::Error, Severity::Warning]),
    FutureDated => ("future-dated", 10, [Severity::Warning]),
    TimeOrder => ("time-order", 10, [Severity::Warning]),
    Teleport => ("teleport", 10, [Severity::Error]),
    Correction => ("correction", 10, [Severity::Info]),
    CertMass => ("cert-mass", 11, [Severity::Error]),
    CertValidity => ("cert-validity", 11, [Severity::Warning]),
    ExportOrigin => ("export-origin", 11, [Severity::Error]),
    ExportExpired => ("export-expired", 11, [Severity::Error]),
    ExportMass => ("export-mass", 11, [Severity::Error]),
    ExportEligibility => ("export-eligibility", 11, [Severity::Error]),
    UntaxedExport => ("untaxed-export", 12, [Severity::Error]),
    IncidentOpen => ("incident-open", 13, [Severity::Warning]),
    GradeImpossible => ("grade-impossible", 14, [Severity::Error]),
    PackageMass => ("package-mass", 14, [Severity::Warning]),
    SiteOutsideCountry => ("site-outside-country", 14, [Severity::Error]),
    OperatorCountry => ("operator-country", 14, [Severity::Error]),
    GpsFar => ("gps-far", 14, [Severity::Warning]),
    BeforeSiteRegistered => ("before-site-registered", 14, [Severity::Error]),
    LicenceLapsed => ("licence-lapsed", 14, [Severity::Error]),
    InspectionAfterRecord => ("inspection-after-record", 14, [Severity::Error]),
    ClaimedAfterRevocation => ("claimed-after-revocation", 14, [Severity::Error]),
}

impl FindingRule {
    /// The rule with this id.
    pub fn from_id(id: &str) -> Option<FindingRule> {
        FindingRule::ALL.iter().copied().find(|r| r.as_str() == id)
    }

    /// The key of the rule's message in the message catalogs:
    /// `finding-<id>`.
    pub fn message_key(self) -> String {
        format!("finding-{}", self.as_str())
    }
}

impl std::fmt::Display for FindingRule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<str> for FindingRule {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for FindingRule {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl Serialize for FindingRule {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for FindingRule {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<FindingRule, D::Error> {
        let id = std::borrow::Cow::<'de, str>::deserialize(d)?;
        FindingRule::from_id(&id)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown finding rule {id:?}")))
    }
}

/// An entry a finding points at.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventRef {
    /// Log index.
    pub index: u64,
    /// Leaf hash (base64), to fetch its inclusion proof.
    pub leaf_hash: String,
    /// Event type.
    #[serde(rename = "type")]
    pub kind: String,
}

/// One sentence in every language the message catalogs have
/// (`spec/verifier.md` section 3), formatted from `findings.ftl`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Texts {
    /// English.
    pub en: String,
    /// French.
    pub fr: String,
    /// Kiswahili.
    pub sw: String,
}

impl Texts {
    /// The sentence in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Fr => &self.fr,
            Lang::Sw => &self.sw,
        }
    }

    /// Message `id` of the catalogs in every language, with `args` formatted
    /// per language (`Arg::Mineral` and `Arg::SiteStatus` become words).
    pub fn from_catalog(id: &str, args: &[(&str, Arg)]) -> Texts {
        let one = |lang: Lang| {
            let a: Vec<(&str, crate::i18n::Arg<'_>)> = args
                .iter()
                .map(|(k, v)| (*k, crate::i18n::Arg::from(v.text(lang))))
                .collect();
            crate::i18n::message(lang, id, &a)
        };
        Texts {
            en: one(Lang::En),
            fr: one(Lang::Fr),
            sw: one(Lang::Sw),
        }
    }
}

/// A value in a finding's message: text that reads the same in every
/// language (ids, masses, numbers), or a word each language says its way.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Arg {
    /// Ids, masses, figures: the same in every language.
    Text(String),
    /// A mineral's name.
    Mineral(crate::types::Mineral),
    /// An ICGLR site status (MDC.01 code 0 to 3) as a word.
    SiteStatus(u8),
}

impl Arg {
    fn text(&self, lang: Lang) -> String {
        match self {
            Arg::Text(s) => s.clone(),
            Arg::Mineral(m) => crate::text::mineral(*m, lang),
            Arg::SiteStatus(c) => crate::text::site_status(*c, lang),
        }
    }
}

/// A finding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// Rule id (`spec/verifier.md` section 3), e.g. `merge-mass`.
    pub rule: FindingRule,
    /// The rule family: DOMAIN's 1 to 13, 14 for plausibility, 0 for integrity.
    pub family: u8,
    /// Severity.
    pub severity: Severity,
    /// Lots involved.
    pub lots: Vec<String>,
    /// Entries involved.
    pub events: Vec<EventRef>,
    /// Actors involved.
    pub actors: Vec<String>,
    /// The numbers that broke the rule, by name (grams, basis points, ms, km/h...).
    pub figures: BTreeMap<String, i64>,
    /// The tolerance applied, in words (e.g. `1.00 % of mass`).
    pub tolerance: Option<String>,
    /// What it means, for a non-specialist.
    pub message: Texts,
}

/// The verdict of a verification.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Everything verifies and no finding is an error or critical.
    Verified,
    /// Everything verifies, but some findings are errors or critical.
    Findings,
    /// The data cannot be verified (bad signature, broken proof, ...).
    Unverifiable,
}

/// Findings plus what they were computed under.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Report {
    /// `lot` or `log`.
    pub scope: String,
    /// The log's origin.
    pub origin: String,
    /// Tree size verified.
    pub tree_size: u64,
    /// Root hash verified (base64).
    pub root_hash: String,
    /// Policy name.
    pub policy: String,
    /// Policy digest (hex SHA-256 of its canonical JSON).
    pub policy_digest: String,
    /// Verdict.
    pub verdict: Verdict,
    /// Counts per severity.
    pub counts: BTreeMap<Severity, usize>,
    /// Lots marked "under review" by open incidents.
    pub under_review: Vec<String>,
    /// Rules that this scope cannot decide.
    pub not_checked: Vec<String>,
    /// Every finding, most severe first.
    pub findings: Vec<Finding>,
}

impl Report {
    /// Builds a report: sorts findings (most severe first, then by first
    /// event) and sets the verdict.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        scope: &str,
        origin: &str,
        tree_size: u64,
        root: &Hash,
        policy: &Policy,
        mut findings: Vec<Finding>,
        under_review: Vec<String>,
        not_checked: Vec<String>,
    ) -> Report {
        findings.sort_by(|a, b| {
            b.severity.cmp(&a.severity).then_with(|| {
                let ia = a.events.first().map_or(u64::MAX, |e| e.index);
                let ib = b.events.first().map_or(u64::MAX, |e| e.index);
                ia.cmp(&ib)
            })
        });
        let mut counts = BTreeMap::new();
        for f in &findings {
            *counts.entry(f.severity).or_insert(0) += 1;
        }
        let verdict = if findings.iter().any(|f| f.family == 0) {
            Verdict::Unverifiable
        } else if findings.iter().any(|f| f.severity >= Severity::Error) {
            Verdict::Findings
        } else {
            Verdict::Verified
        };
        Report {
            scope: scope.into(),
            origin: origin.into(),
            tree_size,
            root_hash: root.to_base64(),
            policy: policy.name.clone(),
            policy_digest: policy.digest().to_hex(),
            verdict,
            counts,
            under_review,
            not_checked,
            findings,
        }
    }

    /// Findings with a given rule id.
    pub fn with_rule<'a>(&'a self, rule: &'a str) -> impl Iterator<Item = &'a Finding> + 'a {
        self.findings
            .iter()
            .filter(move |f| f.rule.as_str() == rule)
    }
}

/// A finding's message from the catalogs: `msg!("finding-x", n, lot = id)`.
/// A bare name passes the variable of that name; each value is shown with
/// `Display`, the same in every language (use `Arg` for words that
/// differ).
macro_rules! msg {
    ($id:literal $(, $name:ident $(= $val:expr)?)* $(,)?) => {
        $crate::verify::Texts::from_catalog(
            $id,
            &[$((stringify!($name), msg!(@arg $name $($val)?))),*],
        )
    };
    (@arg $name:ident) => { $crate::verify::Arg::Text($name.to_string()) };
    (@arg $name:ident $val:expr) => { $crate::verify::Arg::from($val) };
}
pub(crate) use msg;

impl<T: std::fmt::Display + ?Sized> From<&T> for Arg {
    fn from(v: &T) -> Arg {
        Arg::Text(v.to_string())
    }
}

impl From<String> for Arg {
    fn from(v: String) -> Arg {
        Arg::Text(v)
    }
}

/// An integrity failure as a finding (family 0, critical): the data cannot
/// be verified, and this says where.
pub fn integrity(index: Option<u64>, message: Texts) -> Finding {
    Finding {
        rule: FindingRule::Integrity,
        family: FindingRule::Integrity.family(),
        severity: Severity::Critical,
        lots: Vec::new(),
        events: index
            .map(|i| EventRef {
                index: i,
                leaf_hash: String::new(),
                kind: String::new(),
            })
            .into_iter()
            .collect(),
        actors: Vec::new(),
        figures: BTreeMap::new(),
        tolerance: None,
        message,
    }
}
