//! The bodies of the node's HTTP API (`spec/http.md`), one named type per
//! request and response, shared by the node (which serialises them) and any
//! Rust client such as the CLI (which deserialises them).
//!
//! **Architecture Invariant**: this module knows nothing about HTTP (no
//! status codes, headers or routes: those are the node's) and nothing about
//! storage: the ledger state's structs (`state::ActorState`, `LotState`,
//! ...) are what the rules read, and may change with the store, so they
//! never go on the wire; the node copies them into the views below.
//! Event-format types (`event::ActorProfile`, `SiteRecord`, `Subjects`) and
//! the offline bundle (`log.md` section 4) are formats already, fixed by
//! their own specs, so views carry them as they are.
//!
//! Scalars keep their wire form: hashes of leaves and proofs are standard
//! base64 strings, event hashes and key ids lowercase hex, times
//! milliseconds since the Unix epoch. Objects are sent with their keys in
//! sorted order (`export::to_json`), whatever the field order here.
//!
//! With the `openapi` feature each type also derives `utoipa::ToSchema`, from
//! which the node generates its OpenAPI document; the default build has no
//! utoipa.

use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use crate::bundle::{Bundle, BundleEntry};
use crate::event::{ActorProfile, CaseStatus, SiteRecord, Subjects};
pub use crate::log::Envelope;
use crate::types::{CertStatus, Role};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// An error body: an RFC 9457 problem (`application/problem+json`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ProblemBody {
    /// `/problems/<rule>`, served by the node with a description.
    #[serde(rename = "type")]
    pub type_: String,
    /// Short title.
    pub title: String,
    /// The HTTP status it was sent with.
    pub status: u16,
    /// What happened, for people.
    pub detail: String,
    /// The rule or problem id (`events.md` section 7, or `http.md`).
    pub rule: String,
}

/// `GET /problems/{rule}`: what a problem type means.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ProblemType {
    /// `/problems/<rule>`.
    #[serde(rename = "type")]
    pub type_: String,
    /// What it means.
    pub description: String,
}

/// `GET /healthz` while the node accepts writes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Health {
    /// Always `ok`.
    pub status: String,
}

/// Whether the node accepts events.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub enum Writes {
    /// It does: the string `"accepting"`.
    #[serde(rename = "accepting")]
    Accepting,
    /// It stopped after a failed journal write: `{"stopped": why}`.
    #[serde(rename = "stopped")]
    Stopped(String),
}

/// `GET /v1/log`: what a client needs to check everything else.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct LogInfo {
    /// The log's origin line.
    pub origin: String,
    /// C2SP verifier key of the checkpoint signer.
    pub vkey: String,
    /// The log key (the genesis event's signer).
    pub log_key: String,
    /// Size of the latest checkpoint.
    pub tree_size: u64,
    /// Its root hash (base64).
    pub root_hash: String,
    /// The latest checkpoint, a C2SP signed note.
    pub checkpoint: String,
    /// When the node signed it (not signed itself).
    pub checkpoint_signed_at: u64,
    /// The same, RFC 3339.
    pub checkpoint_signed_at_iso: String,
    /// Whether the node accepts events.
    pub writes: Writes,
    /// The vkey of the node's witness key (`spec/log.md` section 7), which
    /// cosigns other logs' checkpoints; absent for a node run without one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub witness_vkey: Option<String>,
}

/// `POST /v1/events`: one signed event, or a batch.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(untagged)]
pub enum SubmitRequest {
    /// `{"events": [...]}`.
    Batch(BatchRequest),
    /// `{"event", "sig"}`.
    One(Envelope),
}

/// A batch of 1 to 1000 signed events, applied in order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct BatchRequest {
    /// The events, each an `Envelope`. The schema allows any value here
    /// because the node does: an element that is not an envelope is
    /// refused alone (`invalid-event` in its result), not the whole batch.
    #[cfg_attr(
        feature = "openapi",
        schema(value_type = Vec<Value>, min_items = 1, max_items = 1000)
    )]
    pub events: Vec<Envelope>,
}

/// Whether a submitted event was appended now or found in the log.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Recorded {
    /// Appended by this request (201).
    Accepted,
    /// An identical event was already in the log (200).
    Existing,
}

/// `POST /v1/events` with one event: where it is in the log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Submitted {
    /// Accepted now or existing.
    pub status: Recorded,
    /// Log index.
    pub index: u64,
    /// Leaf hash (base64).
    pub leaf_hash: String,
    /// Event hash (hex).
    pub event_hash: String,
    /// A signed checkpoint covering the entry.
    pub checkpoint: String,
}

/// Where an event of a batch is in the log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Placed {
    /// Log index.
    pub index: u64,
    /// Leaf hash (base64).
    pub leaf_hash: String,
    /// Event hash (hex).
    pub event_hash: String,
}

/// Why an event of a batch was not recorded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct NotRecorded {
    /// The problem a single submission would have been answered with.
    pub problem: ProblemBody,
}

/// One result of a batch, tagged by `status`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(tag = "status", rename_all = "lowercase")]
pub enum BatchItem {
    /// Appended by this request.
    Accepted(Placed),
    /// Already in the log.
    Existing(Placed),
    /// Refused by a rule.
    Refused(NotRecorded),
    /// The node could not make it durable (`writes-stopped`).
    Failed(NotRecorded),
}

/// `POST /v1/events` with a batch: a result per event, in order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct BatchResponse {
    /// One per submitted event; a client must read every one.
    pub results: Vec<BatchItem>,
    /// How many were appended.
    pub accepted: u64,
    /// How many were already in the log.
    pub existing: u64,
    /// How many were refused.
    pub refused: u64,
    /// How many failed.
    pub failed: u64,
    /// A signed checkpoint covering every recorded event.
    pub checkpoint: String,
}

/// The answer to `POST /v1/events`: one of two shapes, by request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(untagged)]
pub enum SubmitResponse {
    /// A batch's results.
    Batch(BatchResponse),
    /// A single event's place.
    One(Submitted),
}

/// Who signed an entry's event, tagged by `kind`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Signer {
    /// A registered actor's key.
    Actor {
        /// The actor.
        actor: String,
        /// Key id (hex).
        key: String,
    },
    /// The log key.
    Log {
        /// Key id (hex).
        key: String,
    },
    /// A key the log does not know (anonymous reports).
    Anonymous {
        /// Key id (hex).
        key: String,
    },
}

/// `GET /v1/entries/{index}`: one entry, its exact leaf and the decoded event.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct EntryView {
    /// Log index.
    pub index: u64,
    /// The exact leaf bytes (base64).
    pub leaf: String,
    /// Leaf hash (base64).
    pub leaf_hash: String,
    /// Record time, ms.
    pub record_time: u64,
    /// Record time, RFC 3339.
    pub record_time_iso: String,
    /// The event's claimed time, RFC 3339.
    pub claimed_time_iso: String,
    /// Hash of the previous leaf (base64).
    pub prev_leaf_hash: String,
    /// Event hash (hex).
    pub event_hash: String,
    /// Event type, such as `lot.transport`.
    #[serde(rename = "type")]
    pub type_: String,
    /// Who signed it.
    pub signer: Signer,
    /// The event signature (base64).
    pub sig: String,
    /// The decoded event (`events.md`).
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub event: Value,
}

/// A leaf of `GET /v1/entries`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Leaf {
    /// Log index.
    pub index: u64,
    /// The exact leaf bytes (base64).
    pub leaf: String,
}

/// `GET /v1/entries`: leaves for auditors, in index order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct EntriesPage {
    /// Size of the latest checkpoint.
    pub tree_size: u64,
    /// First index asked for.
    pub start: u64,
    /// The leaves.
    pub entries: Vec<Leaf>,
    /// Start of the next page, or null at the end.
    pub next: Option<u64>,
}

/// `GET /v1/proof/inclusion`: an RFC 6962 inclusion proof.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct InclusionProof {
    /// Leaf index.
    pub index: u64,
    /// The tree it is proved in.
    pub tree_size: u64,
    /// The leaf's hash (base64).
    pub leaf_hash: String,
    /// The proof (base64 hashes).
    pub hashes: Vec<String>,
}

/// `GET /v1/proof/consistency`: an RFC 6962 consistency proof.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ConsistencyProof {
    /// Old size.
    pub from: u64,
    /// New size.
    pub to: u64,
    /// The proof (base64 hashes).
    pub hashes: Vec<String>,
}

/// A lot's current state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct LotSummary {
    /// Lot id.
    pub id: String,
    /// Mineral code.
    pub mineral: String,
    /// Mineral name in English.
    pub mineral_name: String,
    /// Current mass, grams.
    pub mass_g: u64,
    /// Current grade, basis points.
    pub grade_bp: u32,
    /// Actor holding custody.
    pub custodian: String,
    /// `open`, `split`, `merged`, `processed` or `exported`.
    pub status: String,
    /// Addressee of the pending offer.
    pub pending_offer_to: Option<String>,
    /// Hash of its latest event (hex): the `prev` of the next one.
    pub head: String,
    /// Tag attached at registration.
    pub tag: Option<String>,
    /// Log index of the event that created it.
    pub created_index: u64,
}

/// `GET /v1/lots`: lots, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct LotsPage {
    /// This page.
    pub lots: Vec<LotSummary>,
    /// The `after` cursor of the next page, or null at the end.
    pub next: Option<u64>,
}

/// `GET /v1/lots/{lot}`: the lot's state and every entry of its history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct LotView {
    /// Its state.
    #[serde(flatten)]
    pub lot: LotSummary,
    /// Every entry on the lot, in log order.
    pub history: Vec<EntryView>,
}

/// `GET /v1/lots/{lot}/provenance`: the lot's chain and those of its sources.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Provenance {
    /// The lot.
    pub lot: String,
    /// Entries of its chain and its sources' chains, in log order.
    pub entries: Vec<EntryView>,
}

/// `GET /v1/tags/{tag}`: the lot a tag is attached to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct TagView {
    /// The tag.
    pub tag: String,
    /// Its lot.
    pub lot: String,
    /// The lot's state.
    pub state: Option<LotSummary>,
}

/// Whether a key may still sign.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum KeyStatus {
    /// May sign: `"active"`.
    Active,
    /// Replaced by `key.rotate`: `{"retired": {"at": index}}`.
    Retired {
        /// Log index of the rotation.
        at: u64,
    },
    /// Revoked by `key.revoke`: `{"revoked": {"at": index}}`.
    Revoked {
        /// Log index of the revocation.
        at: u64,
    },
}

impl From<crate::state::KeyStatus> for KeyStatus {
    fn from(s: crate::state::KeyStatus) -> KeyStatus {
        match s {
            crate::state::KeyStatus::Active => KeyStatus::Active,
            crate::state::KeyStatus::Retired { at } => KeyStatus::Retired { at },
            crate::state::KeyStatus::Revoked { at } => KeyStatus::Revoked { at },
        }
    }
}

/// An actor key, for devices that check tag claims offline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct KeyView {
    /// Key id (hex).
    pub key_id: String,
    /// The public key.
    pub public_key: String,
    /// Its actor.
    pub actor: String,
    /// The actor's roles.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<String>))]
    pub roles: Vec<Role>,
    /// Whether it may sign.
    pub status: KeyStatus,
}

/// `GET /v1/keys`: every actor key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct KeysPage {
    /// The keys, by actor.
    pub keys: Vec<KeyView>,
}

/// `GET /v1/actors/{actor}`: a registered actor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ActorView {
    /// Current profile (`events.md`, `actor.register`).
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub profile: ActorProfile,
    /// Every key ever registered for it (hex key ids), oldest first.
    pub keys: Vec<String>,
    /// Log index of its registration.
    pub registered: u64,
}

impl From<&crate::state::LotState> for LotSummary {
    fn from(l: &crate::state::LotState) -> LotSummary {
        use crate::state::LotStatus as S;
        LotSummary {
            id: l.id.as_str().to_string(),
            mineral: l.mineral.code().to_string(),
            mineral_name: l.mineral.name_en().to_string(),
            mass_g: l.mass.0,
            grade_bp: l.grade.0.into(),
            custodian: l.custodian.as_str().to_string(),
            status: match l.status {
                S::Open => "open",
                S::Split => "split",
                S::Merged => "merged",
                S::Processed => "processed",
                S::Exported => "exported",
            }
            .to_string(),
            pending_offer_to: l.pending_offer.as_ref().map(|a| a.as_str().to_string()),
            head: l.head.to_hex(),
            tag: l.tag.as_ref().map(|t| t.as_str().to_string()),
            created_index: l.created,
        }
    }
}

impl KeysPage {
    /// Every key of `actors`, read from `state`, as `GET /v1/keys` lists
    /// them.
    ///
    /// # Errors
    /// A state read failure.
    pub fn from_state<'a>(
        actors: impl IntoIterator<Item = &'a crate::state::ActorState>,
        state: &(impl crate::state::StateRead + ?Sized),
    ) -> Result<KeysPage, crate::state::StateError> {
        let mut keys = Vec::new();
        for a in actors {
            for k in &a.keys {
                if let Some(e) = state.key(k)? {
                    keys.push(KeyView {
                        key_id: k.to_string(),
                        public_key: e.pk.to_string(),
                        actor: a.profile.id.as_str().to_string(),
                        roles: a.profile.roles.clone(),
                        status: e.status.into(),
                    });
                }
            }
        }
        Ok(KeysPage { keys })
    }
}

impl From<crate::state::ActorState> for ActorView {
    fn from(a: crate::state::ActorState) -> ActorView {
        ActorView {
            profile: a.profile,
            keys: a.keys.iter().map(ToString::to_string).collect(),
            registered: a.registered,
        }
    }
}

/// `GET /v1/actors`: the actor registry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ActorsPage {
    /// Every actor.
    pub actors: Vec<ActorView>,
}

/// `GET /v1/sites/{site}`: a mine site and its certification status.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SiteView {
    /// Current profile (ICGLR MD.01, `events.md`, `site.register`).
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub record: SiteRecord,
    /// MDC.01 status: 0 Blue, 1 Green, 2 Yellow, 3 Red.
    #[cfg_attr(feature = "openapi", schema(value_type = u8, minimum = 0, maximum = 3))]
    pub status: CertStatus,
    /// Since when, ms.
    pub status_since: u64,
    /// Date of the latest inspection, ms.
    pub last_inspection: Option<u64>,
    /// Inspection ids.
    pub inspections: Vec<String>,
    /// Log index of its registration.
    pub registered: u64,
}

impl From<crate::state::SiteState> for SiteView {
    fn from(s: crate::state::SiteState) -> SiteView {
        SiteView {
            record: s.record,
            status: s.status,
            status_since: s.status_since.0,
            last_inspection: s.last_inspection.map(|m| m.0),
            inspections: s
                .inspections
                .iter()
                .map(|i| i.as_str().to_string())
                .collect(),
            registered: s.registered,
        }
    }
}

/// `GET /v1/sites`: every mine site.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SitesPage {
    /// Every site.
    pub sites: Vec<SiteView>,
}

/// An incident case's state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Case {
    /// Case id: the report's event hash (hex).
    pub id: String,
    /// What it is about.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub subjects: Subjects,
    /// Latest status.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub status: CaseStatus,
    /// Log index of the report.
    pub opened: u64,
}

impl From<crate::state::CaseState> for Case {
    fn from(c: crate::state::CaseState) -> Case {
        Case {
            id: c.id.to_hex(),
            subjects: c.subjects,
            status: c.status,
            opened: c.opened,
        }
    }
}

/// `GET /v1/cases/{case}`: an incident case and its history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CaseView {
    /// The case.
    pub case: Case,
    /// Its entries, in log order.
    pub history: Vec<EntryView>,
}

/// `POST /report/signed`: the receipt of an anonymous report
/// (`spec/http.md`, "Whistle-blowing").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ReportReceipt {
    /// `accepted`, or `existing` for an identical resubmission.
    pub status: Recorded,
    /// The report's entry index.
    pub index: u64,
    /// The report's event hash (hex).
    pub event_hash: String,
    /// The case id: the same hash.
    pub case: String,
    /// The short receipt (`spec/http.md`, "Receipts").
    pub receipt: String,
    /// Where the case is followed: `/r/<receipt>`.
    pub receipt_url: String,
    /// The signed checkpoint covering the entry.
    pub checkpoint: String,
}

/// `GET /v1/icglr/{what}`: ICGLR documents of one kind, a page at a time.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct IcglrPage {
    /// How many documents of the kind there are.
    pub total: u64,
    /// Position of this page's first document.
    pub offset: u64,
    /// The offset of the next page, or null at the end.
    pub next: Option<u64>,
    /// The documents, in id order (`exports.md` section 3).
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub documents: Vec<Value>,
}

/// Schemas of the format types this module re-exports, which are defined
/// with their own specs: each shadow derives the schema and matches the
/// serde form of its original field for field (a serde derive only so that
/// `deny_unknown_fields` gives the schema `additionalProperties: false`).
#[cfg(feature = "openapi")]
mod schemas {
    use std::borrow::Cow;

    use utoipa::openapi::RefOr;
    use utoipa::openapi::schema::Schema;
    use utoipa::{PartialSchema, ToSchema};

    /// A signed event envelope (`http.md`, `log.md`): the exact signed bytes.
    #[derive(ToSchema, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct EnvelopeShadow {
        /// Standard base64 of the canonical event bytes (`events.md`).
        #[schema(content_encoding = "base64")]
        event: String,
        /// Standard base64 of the 64-byte Ed25519 signature.
        #[schema(content_encoding = "base64")]
        sig: String,
    }

    /// One entry of an offline bundle.
    #[derive(ToSchema, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct BundleEntryShadow {
        /// Log index.
        index: u64,
        /// Standard base64 of the leaf.
        leaf: String,
        /// Inclusion proof to the bundle's checkpoint (base64 hashes).
        proof: Vec<String>,
    }

    /// An offline lot bundle (`log.md` section 4).
    #[derive(ToSchema, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct BundleShadow {
        /// Always `madini-bundle/v1`.
        format: String,
        /// Log origin.
        origin: String,
        /// The lot.
        lot: String,
        /// The signed checkpoint every proof leads to.
        checkpoint: String,
        /// Entries in increasing index order.
        #[schema(value_type = Vec<super::BundleEntry>)]
        entries: Vec<()>,
    }

    macro_rules! shadowed {
        ($ty:ty, $shadow:ty, $name:literal) => {
            impl PartialSchema for $ty {
                fn schema() -> RefOr<Schema> {
                    <$shadow as PartialSchema>::schema()
                }
            }
            impl ToSchema for $ty {
                fn name() -> Cow<'static, str> {
                    Cow::Borrowed($name)
                }
                fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
                    <$shadow as ToSchema>::schemas(schemas)
                }
            }
        };
    }

    shadowed!(super::Envelope, EnvelopeShadow, "Envelope");
    shadowed!(super::BundleEntry, BundleEntryShadow, "BundleEntry");
    shadowed!(super::Bundle, BundleShadow, "Bundle");
}

/// `GET /v1/devices/{key}`: what a device signing with this key needs to
/// work offline until it is next online (the field app caches it):
/// who the key belongs to and whether it may sign, the sites its actor
/// operates with their tag ranges, the lots in its custody and the offers
/// waiting for it. Everything here is public in the log already.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct DeviceView {
    /// The log's origin (the `log` field of every event).
    pub log: String,
    /// The tree size this view was read at.
    pub tree_size: u64,
    /// The node's clock when it answered, ms (the device compares its own).
    pub now: u64,
    /// The key id asked about.
    pub key_id: String,
    /// The key's status; absent when the key is not registered (yet).
    pub status: Option<KeyStatus>,
    /// The actor owning the key, when it is registered.
    pub actor: Option<ActorView>,
    /// Sites the actor operates, with their tag ranges.
    pub sites: Vec<DeviceSite>,
    /// Open lots in the actor's custody, newest first.
    pub lots: Vec<LotSummary>,
    /// Open lots with an offer pending to the actor.
    pub offers: Vec<DeviceOffer>,
}

/// A site in a [`DeviceView`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct DeviceSite {
    /// ICGLR site id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Minerals mined there (HS codes).
    pub minerals: Vec<String>,
    /// MDC.01 status: 0 Blue, 1 Green, 2 Yellow, 3 Red.
    pub status: u8,
    /// Tag ranges allocated to it.
    pub ranges: Vec<DeviceTagRange>,
}

/// A tag range of a [`DeviceSite`] (`events.md`, `tags.allocate`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct DeviceTagRange {
    /// Tag id prefix.
    pub prefix: String,
    /// Digits of the number.
    pub width: u8,
    /// First number.
    pub first: u64,
    /// Last number (inclusive).
    pub last: u64,
}

/// An offer in a [`DeviceView`]: the lot and what the giver declared.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct DeviceOffer {
    /// The lot (its head is the offer).
    pub lot: LotSummary,
    /// The giver.
    pub from: String,
    /// Mass offered, grams.
    pub mass_g: u64,
    /// Grade offered, basis points.
    pub grade_bp: u32,
    /// The offer's claimed time, ms.
    pub time: u64,
}
