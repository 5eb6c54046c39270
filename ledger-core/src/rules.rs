//! The state machine: applies one signed event to the ledger state and
//! enforces every hard rule of `spec/events.md`, in the order listed there,
//! with one `Rule` per way to be refused. The node and every verifier run this
//! same function.

use std::fmt;

use crate::authz::{self, Condition, Signers};
use crate::crypto::{KeyId, PublicKey, Signature, verify_event};
use crate::event::*;
use crate::hash::Hash;
use crate::state::*;
use crate::types::{Grade, Grams, Id, Mineral, Role, TagId};

/// Declares every hard rule once: its variant, its id (`spec/events.md`
/// section 7), its title, the HTTP status a node answers it with
/// (`spec/http.md`) and the spec section that states it. A rule cannot be
/// added without all four, and every table derived from them is a `match`
/// with no fallback.
macro_rules! rules {
    ($($(#[$doc:meta])* $v:ident => ($id:literal, $title:literal, $status:literal, $section:literal),)*) => {
        /// Every hard rule, by its id in `spec/events.md` section 7.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Rule {
            $($(#[$doc])* #[doc = $title] $v,)*
        }

        impl Rule {
            /// Every rule, in the order declared.
            pub const ALL: &[Rule] = &[$(Rule::$v,)*];

            /// The rule id (`spec/events.md` section 7), also the suffix of
            /// the HTTP problem type.
            pub fn id(self) -> &'static str {
                match self { $(Rule::$v => $id,)* }
            }

            /// A short title, for a problem's `title`.
            pub fn title(self) -> &'static str {
                match self { $(Rule::$v => $title,)* }
            }

            /// The HTTP status a node answers a refusal by this rule with
            /// (`spec/http.md`): 400 for bytes that are not a valid event of
            /// this log, 403 for a signer who may not do it, 409 for a
            /// conflict with what the log holds, 422 for an event that names
            /// what does not exist or does not fit, 503 for a storage failure.
            pub fn http_status(self) -> u16 {
                match self { $(Rule::$v => $status,)* }
            }

            /// The spec section that states the rule.
            pub fn section(self) -> &'static str {
                match self { $(Rule::$v => $section,)* }
            }
        }
    };
}

rules! {
    InvalidEvent => ("invalid-event", "Invalid event", 400, "events.md §3.1"),
    UnsupportedVersion => ("unsupported-version", "Unsupported event version", 400, "events.md §3.1"),
    InvalidLeaf => ("invalid-leaf", "Invalid leaf", 400, "log.md §1"),
    WrongLog => ("wrong-log", "Event for another log", 400, "events.md §3.2"),
    DuplicateEvent => ("duplicate-event", "Duplicate event", 409, "events.md §3.3"),
    GenesisRequired => ("genesis-required", "Genesis required", 409, "events.md §3.4"),
    GenesisRepeated => ("genesis-repeated", "Genesis repeated", 409, "events.md §3.4"),
    UnknownKey => ("unknown-key", "Unknown key", 403, "events.md §3.5"),
    KeyRevoked => ("key-revoked", "Key revoked", 403, "events.md §3.5"),
    KeyRetired => ("key-retired", "Key retired", 403, "events.md §3.5"),
    BadSignature => ("bad-signature", "Bad signature", 403, "events.md §3.6"),
    RoleNotAllowed => ("role-not-allowed", "Role not allowed", 403, "events.md §3.5, §4-6"),
    WeakKey => ("weak-key", "Weak key", 422, "events.md §3.5, §4"),
    KeyExists => ("key-exists", "Key already registered", 409, "events.md §4"),
    KeyUnknown => ("key-unknown", "Key not of this actor", 422, "events.md §4 key.revoke"),
    ActorExists => ("actor-exists", "Actor already registered", 409, "events.md §4 actor.register"),
    ActorUnknown => ("actor-unknown", "Unknown actor", 422, "events.md §4"),
    LicenceExists => ("licence-exists", "Licence already registered", 409, "events.md §4 licence.grant"),
    SiteExists => ("site-exists", "Site already registered", 409, "events.md §4 site.register"),
    SiteUnknown => ("site-unknown", "Unknown site", 422, "events.md §4"),
    NotSiteOperator => ("not-site-operator", "Not an operator of the site", 403, "events.md §5 lot.register"),
    MineralNotAtSite => ("mineral-not-at-site", "Mineral not registered at the site", 422, "events.md §5 lot.register"),
    InspectionExists => ("inspection-exists", "Inspection already recorded", 409, "events.md §4 site.inspect"),
    TagsOverlap => ("tags-overlap", "Tag ranges overlap", 409, "events.md §4 tags.allocate"),
    TagNotAllocated => ("tag-not-allocated", "Tag not allocated", 422, "events.md §5 lot.register"),
    TagWrongSite => ("tag-wrong-site", "Tag allocated to another site", 422, "events.md §5 lot.register"),
    TagUsed => ("tag-used", "Tag already used", 409, "events.md §5 lot.register"),
    LotExists => ("lot-exists", "Lot already registered", 409, "events.md §5"),
    LotUnknown => ("lot-unknown", "Unknown lot", 422, "events.md §5"),
    LotClosed => ("lot-closed", "Lot closed", 409, "events.md §5"),
    StaleHead => ("stale-head", "Stale lot head", 409, "events.md §5"),
    NotCustodian => ("not-custodian", "Not the custodian", 403, "events.md §5"),
    NoPendingOffer => ("no-pending-offer", "No pending offer", 409, "events.md §5 lot.accept"),
    OfferNotForYou => ("offer-not-for-you", "Offer addressed to someone else", 403, "events.md §5 lot.accept"),
    MineralMismatch => ("mineral-mismatch", "Minerals differ", 422, "events.md §5 lot.merge"),
    CertExists => ("cert-exists", "Certificate already issued", 409, "events.md §4 cert.issue"),
    CertUnknown => ("cert-unknown", "Unknown certificate", 422, "events.md §5 lot.export"),
    CertNotYours => ("cert-not-yours", "Certificate of another exporter", 403, "events.md §5 lot.export"),
    LotNotOnCert => ("lot-not-on-cert", "Lot not on the certificate", 422, "events.md §5 lot.export"),
    RequestExists => ("request-exists", "Request already registered", 409, "events.md §4 cert.request"),
    RequestUnknown => ("request-unknown", "Unknown request", 422, "events.md §4 cert.issue"),
    NotCorrectable => ("not-correctable", "Not correctable", 422, "events.md §5 lot.correct"),
    CaseUnknown => ("case-unknown", "Unknown incident case", 422, "events.md §6 incident.status"),
    /// Not a protocol rule: the state store failed. Never reported for a
    /// valid log.
    Storage => ("storage", "Refused", 503, "storage.md"),
}

impl Rule {
    /// The rule with this id.
    pub fn from_id(id: &str) -> Option<Rule> {
        Rule::ALL.iter().copied().find(|r| r.id() == id)
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// An event refused by a rule, with a sentence that says what and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    /// Which rule.
    pub rule: Rule,
    /// What broke it, for people.
    pub message: String,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.rule, self.message)
    }
}

impl std::error::Error for Refusal {}

fn refuse<T>(rule: Rule, message: impl Into<String>) -> Result<T, Refusal> {
    Err(Refusal {
        rule,
        message: message.into(),
    })
}

impl From<StateError> for Refusal {
    fn from(e: StateError) -> Refusal {
        Refusal {
            rule: Rule::Storage,
            message: e.to_string(),
        }
    }
}

impl From<DecodeError> for Refusal {
    fn from(e: DecodeError) -> Refusal {
        let rule = match e {
            DecodeError::UnsupportedVersion(_) => Rule::UnsupportedVersion,
            _ => Rule::InvalidEvent,
        };
        Refusal {
            rule,
            message: e.to_string(),
        }
    }
}

/// Who signed an event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Signer {
    /// The log key (genesis).
    Log,
    /// A registered actor.
    Actor(Id),
    /// An anonymous incident reporter.
    Anonymous,
}

impl Signer {
    /// The actor id, if an actor signed.
    pub fn actor(&self) -> Option<&Id> {
        match self {
            Signer::Actor(a) => Some(a),
            _ => None,
        }
    }
}

/// How `apply` treats the signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SigMode {
    /// Check it now with `verify_strict`.
    Verify,
    /// The caller checked it already (`true` if it verified), or will check
    /// it later under `Applied::pk` (batch verification). Because a key id is
    /// a hash of the public key, a signature checked under the key whose id is
    /// the event's `key` is the same check whatever the state; the verdict is
    /// still applied at its place in the rule order.
    Known(bool),
}

/// A submitted event: its exact bytes, signature, decoded form and hash.
#[derive(Clone, Debug)]
pub struct Submission {
    /// Canonical event bytes.
    pub bytes: Vec<u8>,
    /// Signature.
    pub signature: Signature,
    /// Decoded event.
    pub event: Event,
    /// Event hash.
    pub hash: Hash,
}

impl Submission {
    /// Decodes event bytes (rule 1 of `spec/events.md` section 3).
    ///
    /// # Errors
    /// `invalid-event` or `unsupported-version`.
    pub fn decode(bytes: Vec<u8>, signature: Signature) -> Result<Submission, Refusal> {
        let event = Event::decode(&bytes)?;
        let hash = event_hash(&bytes);
        Ok(Submission {
            bytes,
            signature,
            event,
            hash,
        })
    }

    /// The public key that must verify this event when it is not a registered
    /// key (genesis and anonymous reports carry it).
    pub fn embedded_key(&self) -> Option<PublicKey> {
        match &self.event.body {
            Body::Genesis(g) => Some(g.log_key),
            Body::IncidentReport(r) => r.anonymous_key,
            _ => None,
        }
    }
}

/// The result of applying an accepted event.
#[derive(Clone, Debug)]
pub struct Applied {
    /// Its log index.
    pub index: u64,
    /// Who signed it.
    pub signer: Signer,
    /// The key that must verify its signature.
    pub pk: PublicKey,
    /// State writes, in order; the last is always `Change::Event`.
    pub changes: Vec<Change>,
}

/// Applies `sub` as entry `size` of the log whose state is `state`, checking
/// every hard rule. Nothing is written: the caller commits `Applied::changes`.
///
/// # Errors
/// The first broken rule, as a `Refusal`.
pub fn apply<S: StateRead + ?Sized>(
    state: &S,
    sub: &Submission,
    mode: SigMode,
) -> Result<Applied, Refusal> {
    let index = state.size()?;
    let ev = &sub.event;
    let origin = state.origin()?;
    // 2. wrong-log (genesis defines the origin).
    if let Some(o) = &origin
        && ev.log != *o
    {
        return refuse(
            Rule::WrongLog,
            format!(
                "event is for log {:?}, this log is {:?}",
                ev.log.as_str(),
                o.as_str()
            ),
        );
    }
    // 3. duplicate-event.
    if let Some(i) = state.event_index(&sub.hash)? {
        return refuse(
            Rule::DuplicateEvent,
            format!("event {} is already entry {i}", sub.hash),
        );
    }
    // 4. genesis is entry 0, and only entry 0.
    let is_genesis = matches!(ev.body, Body::Genesis(_));
    if origin.is_none() && !is_genesis {
        return refuse(
            Rule::GenesisRequired,
            "the log is empty: its first entry must be genesis",
        );
    }
    if origin.is_some() && is_genesis {
        return refuse(
            Rule::GenesisRepeated,
            "the log already has its genesis entry",
        );
    }
    // 5. the signing key.
    let (signer, pk) = resolve_signer(state, sub)?;
    // 6. the signature.
    let good = match mode {
        SigMode::Verify => verify_event(&pk, &sub.bytes, &sub.signature).is_ok(),
        SigMode::Known(v) => v,
    };
    if !good {
        return refuse(
            Rule::BadSignature,
            format!("the signature does not verify under key {}", ev.key),
        );
    }
    // 7. the type's rules.
    let mut cx = Cx {
        state,
        index,
        hash: sub.hash,
        ev,
        signer: &signer,
        changes: Vec::new(),
    };
    cx.apply_body()?;
    let mut changes = cx.changes;
    changes.push(Change::Event {
        hash: sub.hash,
        index,
    });
    Ok(Applied {
        index,
        signer,
        pk,
        changes,
    })
}

/// Who signed `sub` and the key that must verify it, as `apply` resolves
/// them (rule 5 of `spec/events.md`): genesis by its log key, an anonymous
/// report by its own key, anything else by a registered key in force.
///
/// # Errors
/// The refusal `apply` would give at that step.
pub fn resolve_signer<S: StateRead + ?Sized>(
    state: &S,
    sub: &Submission,
) -> Result<(Signer, PublicKey), Refusal> {
    let ev = &sub.event;
    match &ev.body {
        Body::Genesis(g) => {
            if g.log_key.key_id() != ev.key {
                return refuse(
                    Rule::UnknownKey,
                    format!(
                        "genesis must be signed by its log_key, whose id is {}",
                        g.log_key.key_id()
                    ),
                );
            }
            Ok((Signer::Log, g.log_key))
        }
        Body::IncidentReport(IncidentReport {
            anonymous_key: Some(ak),
            ..
        }) => {
            if ak.key_id() != ev.key {
                return refuse(
                    Rule::InvalidEvent,
                    format!(
                        "field `key`: an anonymous report is signed by its anonymous_key, whose id is {}",
                        ak.key_id()
                    ),
                );
            }
            if state.key(&ev.key)?.is_some() {
                return refuse(
                    Rule::KeyExists,
                    "anonymous_key is a registered key: an anonymous report needs a fresh key",
                );
            }
            if ak.check_strong().is_err() {
                return refuse(Rule::WeakKey, "anonymous_key is not a usable Ed25519 key");
            }
            Ok((Signer::Anonymous, *ak))
        }
        _ => {
            let Some(entry) = state.key(&ev.key)? else {
                return refuse(
                    Rule::UnknownKey,
                    format!("key {} is not registered", ev.key),
                );
            };
            match entry.status {
                KeyStatus::Active => {}
                KeyStatus::Revoked { at } => {
                    return refuse(
                        Rule::KeyRevoked,
                        format!("key {} was revoked at entry {at}", ev.key),
                    );
                }
                KeyStatus::Retired { at } => {
                    return refuse(
                        Rule::KeyRetired,
                        format!("key {} was replaced by a newer key at entry {at}", ev.key),
                    );
                }
            }
            match entry.owner {
                // An intake report: the node relays a report from its
                // plain form (spec/events.md section 6); anonymous reports
                // took the branch above.
                KeyOwner::Log if matches!(ev.body, Body::IncidentReport(_)) => {
                    Ok((Signer::Log, entry.pk))
                }
                KeyOwner::Log => refuse(
                    Rule::RoleNotAllowed,
                    "the log key signs only the genesis entry and intake incident reports",
                ),
                KeyOwner::Actor(a) => Ok((Signer::Actor(a), entry.pk)),
            }
        }
    }
}

struct Cx<'a, S: StateRead + ?Sized> {
    state: &'a S,
    index: u64,
    hash: Hash,
    ev: &'a Event,
    signer: &'a Signer,
    changes: Vec<Change>,
}

impl<S: StateRead + ?Sized> Cx<'_, S> {
    fn apply_body(&mut self) -> Result<(), Refusal> {
        self.authorise()?;
        match &self.ev.body {
            Body::Genesis(b) => self.genesis(b),
            Body::ActorRegister(b) => self.actor_register(b),
            Body::ActorUpdate(b) => self.actor_update(b),
            Body::KeyRotate(b) => self.key_rotate(b),
            Body::KeyRevoke(b) => self.key_revoke(b),
            Body::LicenceGrant(b) => self.licence_grant(b),
            Body::SiteRegister(b) => self.site_register(b),
            Body::SiteUpdate(b) => self.site_update(b),
            Body::SiteInspect(b) => self.site_inspect(b),
            Body::SiteStatus(b) => self.site_status(b),
            Body::TagsAllocate(b) => self.tags_allocate(b),
            Body::CertRequest(b) => self.cert_request(b),
            Body::CertIssue(b) => self.cert_issue(b),
            Body::LotRegister(b) => self.lot_register(b),
            Body::LotOffer(b) => self.lot_offer(b),
            Body::LotAccept(b) => self.lot_accept(b),
            Body::LotRefuse(b) => self.lot_refuse(b),
            Body::LotSplit(b) => self.lot_split(b),
            Body::LotMerge(b) => self.lot_merge(b),
            Body::LotProcess(b) => self.lot_process(b),
            Body::LotTransport(b) => self.lot_simple(&b.lot, &b.prev),
            Body::LotStore(b) => self.lot_store(b),
            Body::LotTax(b) => self.lot_simple(&b.lot, &b.prev),
            Body::LotExport(b) => self.lot_export(b),
            Body::LotCorrect(b) => self.lot_correct(b),
            Body::IncidentReport(b) => self.incident_report(b),
            Body::IncidentStatus(b) => self.incident_status(b),
        }
    }

    // -- signer helpers --------------------------------------------------

    /// The signing actor's state (anonymous and log signers have none).
    fn signer_actor(&self) -> Result<ActorState, Refusal> {
        match self.signer {
            Signer::Actor(id) => match self.state.actor(id)? {
                Some(a) => Ok(a),
                None => refuse(
                    Rule::ActorUnknown,
                    format!("signing actor {id} is not registered"),
                ),
            },
            Signer::Log => refuse(
                Rule::RoleNotAllowed,
                "the log key signs only the genesis entry",
            ),
            Signer::Anonymous => refuse(
                Rule::RoleNotAllowed,
                "an anonymous key may only report incidents",
            ),
        }
    }

    /// The type's row of the authorisation table (`crate::authz`).
    fn row(&self) -> &'static authz::Row {
        authz::row_at(self.ev.body.type_index())
    }

    /// Whether the type's row lists condition `c`: a condition is checked
    /// only where the table says so.
    fn requires(&self, c: Condition) -> bool {
        self.row().requires(c)
    }

    /// Whether the signer holds a role that waives `c`.
    fn waived(&self, c: Condition) -> Result<bool, Refusal> {
        let w = c.waived_for();
        if w.is_empty() {
            return Ok(false);
        }
        let me = self.signer_actor()?;
        Ok(w.iter().any(|r| me.has(*r)))
    }

    /// The row's signer check, before the type's own rules.
    fn authorise(&self) -> Result<(), Refusal> {
        match self.row().signers {
            // Rules 4 and 5 already admitted only the log key (genesis), and
            // the log key, an anonymous key or a registered key (a report).
            Signers::LogKeyFirst | Signers::Anyone => Ok(()),
            // A registered key's owner is a registered actor: nothing to read.
            Signers::AnyActor if matches!(self.signer, Signer::Actor(_)) => Ok(()),
            Signers::AnyActor => self.signer_actor().map(drop),
            Signers::Roles(rs) => self.require_role(rs),
        }
    }

    fn require_role(&self, any_of: &[Role]) -> Result<(), Refusal> {
        let a = self.signer_actor()?;
        if any_of.iter().any(|r| a.has(*r)) {
            Ok(())
        } else {
            let names: Vec<&str> = any_of.iter().map(|r| r.as_str()).collect();
            refuse(
                Rule::RoleNotAllowed,
                format!(
                    "{} needs role {}; actor {} has {}",
                    self.ev.type_name(),
                    names.join(" or "),
                    a.profile.id,
                    roles_text(&a.profile.roles)
                ),
            )
        }
    }

    fn actor_exists(&self, id: &Id, what: &str) -> Result<ActorState, Refusal> {
        match self.state.actor(id)? {
            Some(a) => Ok(a),
            None => refuse(
                Rule::ActorUnknown,
                format!("{what} {id} is not a registered actor"),
            ),
        }
    }

    fn site_exists(&self, id: &str) -> Result<SiteState, Refusal> {
        match self.state.site(id)? {
            Some(s) => Ok(s),
            None => refuse(Rule::SiteUnknown, format!("site {id} is not registered")),
        }
    }

    fn lot_exists(&self, id: &Id) -> Result<LotState, Refusal> {
        match self.state.lot(id)? {
            Some(l) => Ok(l),
            None => refuse(Rule::LotUnknown, format!("lot {id} is not registered")),
        }
    }

    fn lot_free(&self, id: &Id) -> Result<(), Refusal> {
        if self.state.lot(id)?.is_some() {
            return refuse(Rule::LotExists, format!("lot id {id} is already taken"));
        }
        Ok(())
    }

    /// The common rules for an event on an existing lot, then custody.
    fn held_lot(&self, id: &Id, prev: &Hash) -> Result<LotState, Refusal> {
        let lot = self.open_lot(id, prev)?;
        let me = self.signer_actor()?;
        if self.requires(Condition::Custodian) && lot.custodian != me.profile.id {
            return refuse(
                Condition::Custodian.rule(),
                format!(
                    "lot {id} is held by {}, not by {}",
                    lot.custodian, me.profile.id
                ),
            );
        }
        Ok(lot)
    }

    fn open_lot(&self, id: &Id, prev: &Hash) -> Result<LotState, Refusal> {
        let lot = self.lot_exists(id)?;
        if lot.status != LotStatus::Open {
            return refuse(
                Rule::LotClosed,
                format!("lot {id} is closed ({})", status_text(lot.status)),
            );
        }
        self.check_head(&lot, prev)?;
        Ok(lot)
    }

    fn check_head(&self, lot: &LotState, prev: &Hash) -> Result<(), Refusal> {
        if lot.head != *prev {
            return refuse(
                Rule::StaleHead,
                format!(
                    "lot {}: prev is {}, but the lot's latest event is {} (another event on this lot was recorded first)",
                    lot.id, prev, lot.head
                ),
            );
        }
        Ok(())
    }

    fn figure(&self, signer: &Id, kind: FigureKind) -> FigureEvent {
        FigureEvent {
            event: self.hash,
            signer: signer.clone(),
            kind,
        }
    }

    /// Appends a figure event (this event, by `signer`) to `lot`; returns its position.
    fn add_figure(&mut self, lot: &mut LotState, signer: &Id, kind: FigureKind) -> u32 {
        let n = lot.figure_count;
        lot.figure_count += 1;
        self.changes.push(Change::Figure {
            lot: lot.id.clone(),
            n,
            figure: self.figure(signer, kind),
        });
        n
    }

    fn new_lot(
        &mut self,
        id: &Id,
        figures: (Mineral, Grams, Grade),
        custodian: &Id,
        kind: FigureKind,
        tag: Option<TagId>,
    ) -> LotState {
        let (mineral, mass, grade) = figures;
        let mut lot = LotState {
            id: id.clone(),
            mineral,
            mass,
            grade,
            custodian: custodian.clone(),
            head: self.hash,
            pending_offer: None,
            status: LotStatus::Open,
            figure_count: 0,
            current_figure: 0,
            tag,
            created: self.index,
        };
        self.add_figure(&mut lot, custodian, kind);
        lot
    }

    fn check_new_key(&self, pk: &PublicKey, taken: &mut Vec<KeyId>) -> Result<KeyId, Refusal> {
        if pk.check_strong().is_err() {
            return refuse(
                Rule::WeakKey,
                format!("key {pk} is not a usable Ed25519 key (weak or not a prime-order point)"),
            );
        }
        let id = pk.key_id();
        if taken.contains(&id) || self.state.key(&id)?.is_some() {
            return refuse(Rule::KeyExists, format!("key {id} is already registered"));
        }
        taken.push(id);
        Ok(id)
    }

    fn register_actor(
        &mut self,
        rec: &ActorRecord,
        taken_keys: &mut Vec<KeyId>,
    ) -> Result<(), Refusal> {
        let mut ids = Vec::new();
        for pk in &rec.keys {
            ids.push(self.check_new_key(pk, taken_keys)?);
        }
        for (pk, id) in rec.keys.iter().zip(&ids) {
            self.changes.push(Change::Key {
                id: *id,
                entry: KeyEntry {
                    pk: *pk,
                    owner: KeyOwner::Actor(rec.id.clone()),
                    status: KeyStatus::Active,
                    added: self.index,
                },
            });
        }
        self.changes.push(Change::Actor {
            actor: ActorState {
                profile: rec.profile(),
                keys: ids,
                registered: self.index,
            },
        });
        Ok(())
    }

    // -- registry --------------------------------------------------------

    fn genesis(&mut self, g: &Genesis) -> Result<(), Refusal> {
        let mut taken = Vec::new();
        self.check_new_key(&g.log_key, &mut taken)?;
        self.changes.push(Change::Origin {
            origin: self.ev.log.clone(),
        });
        self.changes.push(Change::Key {
            id: g.log_key.key_id(),
            entry: KeyEntry {
                pk: g.log_key,
                owner: KeyOwner::Log,
                status: KeyStatus::Active,
                added: self.index,
            },
        });
        let mut seen: Vec<&Id> = Vec::new();
        for a in &g.authorities {
            if seen.contains(&&a.id) {
                return refuse(Rule::ActorExists, format!("actor {} is listed twice", a.id));
            }
            seen.push(&a.id);
            self.register_actor(a, &mut taken)?;
        }
        Ok(())
    }

    fn actor_register(&mut self, b: &ActorRegister) -> Result<(), Refusal> {
        if self.state.actor(&b.actor.id)?.is_some() {
            return refuse(
                Rule::ActorExists,
                format!("actor {} is already registered", b.actor.id),
            );
        }
        self.register_actor(&b.actor, &mut Vec::new())
    }

    fn actor_update(&mut self, b: &ActorUpdate) -> Result<(), Refusal> {
        let mut a = self.actor_exists(&b.actor.id, "actor")?;
        a.profile = b.actor.clone();
        self.changes.push(Change::Actor { actor: a });
        Ok(())
    }

    fn key_rotate(&mut self, b: &KeyRotate) -> Result<(), Refusal> {
        let mut actor = self.actor_exists(&b.actor, "actor")?;
        if !actor.keys.contains(&b.old) {
            return refuse(
                Rule::KeyUnknown,
                format!("key {} is not a key of actor {}", b.old, b.actor),
            );
        }
        if self.requires(Condition::OwnKey)
            && self.ev.key != b.old
            && !self.waived(Condition::OwnKey)?
        {
            return refuse(
                Condition::OwnKey.rule(),
                format!(
                    "key {} may be rotated only by itself or by an authority",
                    b.old
                ),
            );
        }
        let new_id = self.check_new_key(&b.new, &mut Vec::new())?;
        if let Some(mut old) = self.state.key(&b.old)?
            && old.status == KeyStatus::Active
        {
            old.status = KeyStatus::Retired { at: self.index };
            self.changes.push(Change::Key {
                id: b.old,
                entry: old,
            });
        }
        self.changes.push(Change::Key {
            id: new_id,
            entry: KeyEntry {
                pk: b.new,
                owner: KeyOwner::Actor(b.actor.clone()),
                status: KeyStatus::Active,
                added: self.index,
            },
        });
        actor.keys.push(new_id);
        self.changes.push(Change::Actor { actor });
        Ok(())
    }

    fn key_revoke(&mut self, b: &KeyRevoke) -> Result<(), Refusal> {
        let actor = self.actor_exists(&b.actor, "actor")?;
        if !actor.keys.contains(&b.revoked) {
            return refuse(
                Rule::KeyUnknown,
                format!("key {} is not a key of actor {}", b.revoked, b.actor),
            );
        }
        let me = self.signer_actor()?;
        if self.requires(Condition::OwnActor)
            && me.profile.id != b.actor
            && !self.waived(Condition::OwnActor)?
        {
            return refuse(
                Condition::OwnActor.rule(),
                format!(
                    "a key of {} may be revoked only by {} itself or by an authority",
                    b.actor, b.actor
                ),
            );
        }
        if let Some(mut entry) = self.state.key(&b.revoked)? {
            entry.status = KeyStatus::Revoked { at: self.index };
            self.changes.push(Change::Key {
                id: b.revoked,
                entry,
            });
        }
        Ok(())
    }

    fn licence_grant(&mut self, b: &LicenceGrant) -> Result<(), Refusal> {
        let l = &b.licence;
        if self.state.licence(&l.id)?.is_some() {
            return refuse(
                Rule::LicenceExists,
                format!("licence {} is already registered", l.id),
            );
        }
        self.actor_exists(&l.holder, "licence holder")?;
        if let Some(s) = &l.site {
            self.site_exists(s)?;
        }
        self.changes.push(Change::Licence { licence: l.clone() });
        Ok(())
    }

    fn check_operators(&self, site: &SiteRecord) -> Result<(), Refusal> {
        for op in &site.operators {
            let a = self.actor_exists(op, "operator")?;
            if self.requires(Condition::OperatorsCooperative) && !a.has(Role::Cooperative) {
                return refuse(
                    Condition::OperatorsCooperative.rule(),
                    format!(
                        "operator {op} is not a cooperative (roles: {})",
                        roles_text(&a.profile.roles)
                    ),
                );
            }
        }
        Ok(())
    }

    fn site_register(&mut self, b: &SiteRegister) -> Result<(), Refusal> {
        if self.state.site(&b.site.id)?.is_some() {
            return refuse(
                Rule::SiteExists,
                format!("site {} is already registered", b.site.id),
            );
        }
        self.check_operators(&b.site)?;
        self.changes.push(Change::Site {
            site: SiteState {
                record: b.site.clone(),
                status: crate::types::CertStatus::BLUE,
                status_since: self.ev.time,
                last_inspection: None,
                inspections: Vec::new(),
                registered: self.index,
                status_recorded: false,
            },
        });
        Ok(())
    }

    fn site_update(&mut self, b: &SiteUpdate) -> Result<(), Refusal> {
        let mut site = self.site_exists(&b.site.id)?;
        self.check_operators(&b.site)?;
        site.record = b.site.clone();
        self.changes.push(Change::Site { site });
        Ok(())
    }

    fn site_inspect(&mut self, b: &SiteInspect) -> Result<(), Refusal> {
        let mut site = self.site_exists(&b.site)?;
        if site.inspections.contains(&b.inspection.id) {
            return refuse(
                Rule::InspectionExists,
                format!(
                    "inspection {} is already recorded for site {}",
                    b.inspection.id, b.site
                ),
            );
        }
        let date = b.inspection.date;
        if site.takes_record(date) {
            site.status = crate::types::CertStatus(b.inspection.result.0);
            site.status_since = date;
        }
        site.status_recorded = true;
        site.inspections.push(b.inspection.id.clone());
        site.last_inspection = Some(site.last_inspection.map_or(date, |l| l.max(date)));
        self.changes.push(Change::Site { site });
        Ok(())
    }

    fn site_status(&mut self, b: &SiteStatus) -> Result<(), Refusal> {
        let mut site = self.site_exists(&b.site)?;
        if site.takes_record(self.ev.time) {
            site.status = b.status;
            site.status_since = self.ev.time;
        }
        site.status_recorded = true;
        self.changes.push(Change::Site { site });
        Ok(())
    }

    fn tags_allocate(&mut self, b: &TagsAllocate) -> Result<(), Refusal> {
        self.site_exists(&b.site)?;
        if let Some(a) = self
            .state
            .allocation_floor(b.prefix.as_str(), b.width.0, b.last)?
            && a.last >= b.first
        {
            return refuse(
                Rule::TagsOverlap,
                format!(
                    "tags {}-{:0w$}..{:0w$} overlap the range {:0w$}..{:0w$} allocated to site {} at entry {}",
                    b.prefix,
                    b.first,
                    b.last,
                    a.first,
                    a.last,
                    a.site,
                    a.index,
                    w = usize::from(b.width.0)
                ),
            );
        }
        self.changes.push(Change::Allocation {
            allocation: Allocation {
                site: b.site.clone(),
                prefix: b.prefix.clone(),
                width: b.width.0,
                first: b.first,
                last: b.last,
                index: self.index,
            },
        });
        Ok(())
    }

    fn lots_exist(&self, lots: &[Id]) -> Result<(), Refusal> {
        for l in lots {
            self.lot_exists(l)?;
        }
        Ok(())
    }

    fn cert_request(&mut self, b: &CertRequest) -> Result<(), Refusal> {
        if self.state.request(&b.request.id)?.is_some() {
            return refuse(
                Rule::RequestExists,
                format!("request {} is already registered", b.request.id),
            );
        }
        self.lots_exist(&b.request.lots)?;
        self.changes.push(Change::Request {
            request: b.request.clone(),
        });
        Ok(())
    }

    fn cert_issue(&mut self, b: &CertIssue) -> Result<(), Refusal> {
        let c = &b.cert;
        if self.state.cert(&c.id)?.is_some() {
            return refuse(
                Rule::CertExists,
                format!("certificate {} is already issued", c.id),
            );
        }
        let exporter = self.actor_exists(&c.exporter, "exporter")?;
        if self.requires(Condition::ExporterNamed) && !exporter.has(Role::Exporter) {
            return refuse(
                Condition::ExporterNamed.rule(),
                format!("{} is not an exporter", c.exporter),
            );
        }
        self.lots_exist(&c.lots)?;
        if let Some(r) = &c.request
            && self.state.request(r)?.is_none()
        {
            return refuse(
                Rule::RequestUnknown,
                format!("request {r} is not registered"),
            );
        }
        self.changes.push(Change::Cert { cert: c.clone() });
        Ok(())
    }

    // -- lots ------------------------------------------------------------

    fn lot_register(&mut self, b: &LotRegister) -> Result<(), Refusal> {
        let me = self.signer_actor()?;
        self.lot_free(&b.lot)?;
        let site = self.site_exists(&b.site)?;
        if self.requires(Condition::SiteOperator) && !site.record.operators.contains(&me.profile.id)
        {
            return refuse(
                Condition::SiteOperator.rule(),
                format!("{} is not an operator of site {}", me.profile.id, b.site),
            );
        }
        if !site.record.minerals.contains(&b.mineral) {
            return refuse(
                Rule::MineralNotAtSite,
                format!(
                    "site {} is not registered for mineral {}",
                    b.site, b.mineral
                ),
            );
        }
        let (prefix, width, n) = b.tag.parts();
        let alloc = self
            .state
            .allocation_floor(prefix, width, n)?
            .filter(|a| a.holds(prefix, width, n));
        let Some(alloc) = alloc else {
            return refuse(
                Rule::TagNotAllocated,
                format!("tag {} was never allocated to any site", b.tag),
            );
        };
        if alloc.site != b.site {
            return refuse(
                Rule::TagWrongSite,
                format!(
                    "tag {} is allocated to site {}, not {}",
                    b.tag, alloc.site, b.site
                ),
            );
        }
        if let Some(other) = self.state.tag_lot(b.tag.as_str())? {
            return refuse(
                Rule::TagUsed,
                format!("tag {} is already attached to lot {other}", b.tag),
            );
        }
        self.changes.push(Change::Tag {
            tag: b.tag.clone(),
            lot: b.lot.clone(),
        });
        let lot = self.new_lot(
            &b.lot,
            (b.mineral, b.mass_g, b.grade_bp),
            &me.profile.id,
            FigureKind::Register,
            Some(b.tag.clone()),
        );
        self.changes.push(Change::Lot { lot });
        Ok(())
    }

    fn lot_offer(&mut self, b: &LotOffer) -> Result<(), Refusal> {
        let mut lot = self.held_lot(&b.lot, &b.prev)?;
        let to = self.actor_exists(&b.to, "receiver")?;
        if b.to == lot.custodian {
            return refuse(
                Rule::InvalidEvent,
                format!("field `to`: lot {} is already held by {}", b.lot, b.to),
            );
        }
        if self.requires(Condition::ReceiverHoldsCustody)
            && !to.profile.roles.iter().any(|r| r.holds_custody())
        {
            return refuse(
                Condition::ReceiverHoldsCustody.rule(),
                format!("{} has no role that may hold custody of lots", b.to),
            );
        }
        lot.head = self.hash;
        lot.pending_offer = Some(b.to.clone());
        let giver = lot.custodian.clone();
        self.add_figure(&mut lot, &giver, FigureKind::Offer);
        self.changes.push(Change::Lot { lot });
        Ok(())
    }

    fn addressed_lot(&self, id: &Id, prev: &Hash) -> Result<LotState, Refusal> {
        let lot = self.open_lot(id, prev)?;
        let Some(to) = &lot.pending_offer else {
            return refuse(
                Rule::NoPendingOffer,
                format!("lot {id} has no pending offer"),
            );
        };
        let me = self.signer_actor()?;
        if self.requires(Condition::Addressee) && *to != me.profile.id {
            return refuse(
                Condition::Addressee.rule(),
                format!(
                    "the offer of lot {id} is addressed to {to}, not to {}",
                    me.profile.id
                ),
            );
        }
        Ok(lot)
    }

    fn lot_accept(&mut self, b: &LotAccept) -> Result<(), Refusal> {
        let mut lot = self.addressed_lot(&b.lot, &b.prev)?;
        let receiver = lot
            .pending_offer
            .take()
            .unwrap_or_else(|| lot.custodian.clone());
        lot.current_figure = self.add_figure(&mut lot, &receiver, FigureKind::Accept);
        lot.custodian = receiver;
        lot.head = self.hash;
        lot.mass = b.mass_g;
        lot.grade = b.grade_bp;
        self.changes.push(Change::Lot { lot });
        Ok(())
    }

    fn lot_refuse(&mut self, b: &LotRefuse) -> Result<(), Refusal> {
        let mut lot = self.addressed_lot(&b.lot, &b.prev)?;
        lot.head = self.hash;
        lot.pending_offer = None;
        self.changes.push(Change::Lot { lot });
        Ok(())
    }

    fn lot_split(&mut self, b: &LotSplit) -> Result<(), Refusal> {
        let mut parent = self.held_lot(&b.lot, &b.prev)?;
        for c in &b.children {
            self.lot_free(&c.lot)?;
        }
        parent.head = self.hash;
        parent.pending_offer = None;
        parent.status = LotStatus::Split;
        let mineral = parent.mineral;
        let holder = parent.custodian.clone();
        self.changes.push(Change::Lot { lot: parent });
        for c in &b.children {
            let child = self.new_lot(
                &c.lot,
                (mineral, c.mass_g, c.grade_bp),
                &holder,
                FigureKind::Split,
                None,
            );
            self.changes.push(Change::Lot { lot: child });
        }
        Ok(())
    }

    fn combine(
        &mut self,
        inputs: &[Input],
        output: &Id,
        mass: Grams,
        grade: Grade,
        kind: FigureKind,
        closed: LotStatus,
    ) -> Result<(), Refusal> {
        let mut lots = Vec::with_capacity(inputs.len());
        for i in inputs {
            lots.push(self.held_lot(&i.lot, &i.prev)?);
        }
        let mineral = lots[0].mineral;
        if let Some(other) = lots.iter().find(|l| l.mineral != mineral) {
            return refuse(
                Rule::MineralMismatch,
                format!(
                    "lot {} is {} but lot {} is {}",
                    lots[0].id, mineral, other.id, other.mineral
                ),
            );
        }
        self.lot_free(output)?;
        let holder = lots[0].custodian.clone();
        for mut l in lots {
            l.head = self.hash;
            l.pending_offer = None;
            l.status = closed;
            self.changes.push(Change::Lot { lot: l });
        }
        let out = self.new_lot(output, (mineral, mass, grade), &holder, kind, None);
        self.changes.push(Change::Lot { lot: out });
        Ok(())
    }

    fn lot_merge(&mut self, b: &LotMerge) -> Result<(), Refusal> {
        self.combine(
            &b.inputs,
            &b.lot,
            b.mass_g,
            b.grade_bp,
            FigureKind::Merge,
            LotStatus::Merged,
        )
    }

    fn lot_process(&mut self, b: &LotProcess) -> Result<(), Refusal> {
        self.combine(
            &b.inputs,
            &b.lot,
            b.mass_g,
            b.grade_bp,
            FigureKind::Process,
            LotStatus::Processed,
        )
    }

    /// Transport and tax: custody rules, then the head moves.
    fn lot_simple(&mut self, lot: &Id, prev: &Hash) -> Result<(), Refusal> {
        let mut l = self.held_lot(lot, prev)?;
        l.head = self.hash;
        l.pending_offer = None;
        self.changes.push(Change::Lot { lot: l });
        Ok(())
    }

    fn lot_store(&mut self, b: &LotStore) -> Result<(), Refusal> {
        let mut l = self.held_lot(&b.lot, &b.prev)?;
        if let Some(w) = &b.warehouse {
            self.actor_exists(w, "warehouse")?;
        }
        l.head = self.hash;
        l.pending_offer = None;
        self.changes.push(Change::Lot { lot: l });
        Ok(())
    }

    fn lot_export(&mut self, b: &LotExport) -> Result<(), Refusal> {
        let mut lot = self.held_lot(&b.lot, &b.prev)?;
        let me = self.signer_actor()?;
        let Some(cert) = self.state.cert(&b.cert)? else {
            return refuse(
                Rule::CertUnknown,
                format!("certificate {} is not issued", b.cert),
            );
        };
        if self.requires(Condition::CertHolder) && cert.exporter != me.profile.id {
            return refuse(
                Condition::CertHolder.rule(),
                format!(
                    "certificate {} is issued to {}, not to {}",
                    b.cert, cert.exporter, me.profile.id
                ),
            );
        }
        if !cert.lots.contains(&b.lot) {
            return refuse(
                Rule::LotNotOnCert,
                format!("certificate {} does not cover lot {}", b.cert, b.lot),
            );
        }
        lot.head = self.hash;
        lot.pending_offer = None;
        lot.status = LotStatus::Exported;
        let exporter = me.profile.id.clone();
        self.add_figure(&mut lot, &exporter, FigureKind::Export);
        self.changes.push(Change::Lot { lot });
        Ok(())
    }

    fn lot_correct(&mut self, b: &LotCorrect) -> Result<(), Refusal> {
        let mut lot = self.lot_exists(&b.lot)?;
        self.check_head(&lot, &b.prev)?;
        let figures = self.state.figures(&b.lot)?;
        let Some(pos) = figures.iter().position(|f| f.event == b.corrects) else {
            return refuse(
                Rule::NotCorrectable,
                format!(
                    "event {} did not state figures of lot {}",
                    b.corrects, b.lot
                ),
            );
        };
        let fig = &figures[pos];
        if fig.kind == FigureKind::Export && b.grade_bp.is_some() {
            return refuse(Rule::NotCorrectable, "an export states no grade to correct");
        }
        let me = self.signer_actor()?;
        if self.requires(Condition::FigureSigner)
            && me.profile.id != fig.signer
            && !self.waived(Condition::FigureSigner)?
        {
            return refuse(
                Condition::FigureSigner.rule(),
                format!(
                    "only {} (who signed the corrected event) or an authority may correct it",
                    fig.signer
                ),
            );
        }
        if pos as u32 == lot.current_figure {
            if let Some(m) = b.mass_g {
                lot.mass = m;
            }
            if let Some(g) = b.grade_bp {
                lot.grade = g;
            }
        }
        lot.head = self.hash;
        lot.pending_offer = None;
        self.changes.push(Change::Lot { lot });
        Ok(())
    }

    // -- incidents -------------------------------------------------------

    fn incident_report(&mut self, b: &IncidentReport) -> Result<(), Refusal> {
        if let Signer::Actor(_) = self.signer {
            self.signer_actor()?;
        }
        for l in b.subjects.lots() {
            self.lot_exists(l)?;
        }
        for s in b.subjects.sites() {
            self.site_exists(s)?;
        }
        for a in b.subjects.actors() {
            self.actor_exists(a, "actor")?;
        }
        self.changes.push(Change::Case {
            case: CaseState {
                id: self.hash,
                subjects: b.subjects.clone(),
                status: CaseStatus::Open,
                opened: self.index,
            },
        });
        Ok(())
    }

    fn incident_status(&mut self, b: &IncidentStatus) -> Result<(), Refusal> {
        let Some(mut case) = self.state.case(&b.case)? else {
            return refuse(Rule::CaseUnknown, format!("no incident case {}", b.case));
        };
        case.status = b.status;
        self.changes.push(Change::Case { case });
        Ok(())
    }
}

fn roles_text(roles: &[Role]) -> String {
    let v: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
    v.join(", ")
}

fn status_text(s: LotStatus) -> String {
    crate::text::lot_status(s, crate::text::Lang::En)
}
