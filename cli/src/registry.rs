//! Registry commands (authorities and inspectors): actors, keys, licences,
//! mine sites, inspections, tag ranges, export certificates; and incident
//! reports, which anyone may file.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use ledger_core::crypto::{KeyId, PublicKey};
use ledger_core::event::{
    ActorProfile, ActorRecord, ActorRegister, ActorUpdate, Address, Body, Capacity, CaseStatus,
    Category, Cert, CertIssue, CertRequest, Contact, IncidentReport, IncidentStatus, Inspection,
    KeyRevoke, KeyRotate, Licence, LicenceGrant, LicenceType, Location, Request, SiteInspect,
    SiteRecord, SiteRegister, SiteStatus, SiteUpdate, Subjects, TagsAllocate,
};
use ledger_core::hash::Hash;
use ledger_core::types::{
    Activity, CertStatus, Country, Days, Grams, Id, InspectionResult, Lat, Lon, LongText, Millis,
    Mineral, Phone, Role, SiteId, TagId, TagWidth, Text,
};
use ledger_core::wire;
use serde_json::json;

use crate::client::now_ms;
use crate::ctx::{Ctx, enc};
use crate::error::{CliError, Exit, Result};
use crate::parse::{self, When};
use crate::{keys, msg, out, outln, read, tags};

// ---------------------------------------------------------------------------
// Actors and keys.

/// Actor commands.
#[derive(Subcommand)]
pub enum ActorCmd {
    /// Register an actor with its roles and keys (authority).
    Register(ActorArgs),
    /// Replace an actor's profile (authority); omitted fields keep their value when the node is reachable.
    Update(ActorArgs),
    /// Show one actor.
    Show {
        /// Actor id.
        id: Id,
    },
    /// List actors.
    List,
}

/// An actor's profile.
#[derive(Args)]
pub struct ActorArgs {
    /// Actor id.
    #[arg(long)]
    pub id: Id,
    /// Legal name.
    #[arg(long)]
    pub name: Option<Text>,
    /// Country of registration (ISO 3166-1 alpha-2).
    #[arg(long, value_parser = parse::country)]
    pub country: Option<Country>,
    /// Roles (repeat or comma-separate): authority, inspector, cooperative, trader, shipper, processor, warehouse, importer, exporter.
    #[arg(long = "role", value_delimiter = ',', value_parser = parse::role)]
    pub roles: Vec<Role>,
    /// Public keys ed25519:BASE64 (register only; repeat for several).
    #[arg(long = "public-key", value_parser = parse::public_key)]
    pub keys: Vec<PublicKey>,
    /// Photos of public-key QR codes, as the field app shows them (register only; repeat for several).
    #[arg(long = "public-key-image", value_name = "FILE")]
    pub key_images: Vec<std::path::PathBuf>,
    /// Tax id.
    #[arg(long)]
    pub tin: Option<Text>,
    /// Locality of the address.
    #[arg(long)]
    pub locality: Option<Text>,
    /// ISO 3166-2 region code.
    #[arg(long)]
    pub region_code: Option<Text>,
    /// Region name.
    #[arg(long)]
    pub region: Option<Text>,
    /// Representative's name.
    #[arg(long)]
    pub representative: Option<Text>,
    /// Phone (E.164, e.g. +250788000000).
    #[arg(long)]
    pub phone: Option<Phone>,
    /// Email.
    #[arg(long)]
    pub email: Option<Text>,
    #[command(flatten)]
    pub when: When,
}

/// Builds an actor's profile from its fields (shared with the CSV import).
///
/// # Errors
/// No role, or a missing name or country.
pub fn actor_profile(a: &ActorArgs) -> Result<ActorProfile> {
    let need = |opt: &str| CliError::input(msg!("cli-registry-required", opt = opt));
    if a.roles.is_empty() {
        return Err(CliError::input(msg!(
            "cli-registry-role-required-least-one"
        )));
    }
    let address = a.locality.clone().map(|locality| Address {
        locality,
        region_code: a.region_code.clone(),
        region: a.region.clone(),
    });
    let contact = Contact {
        representative: a.representative.clone(),
        phone: a.phone.clone(),
        email: a.email.clone(),
    };
    let contact = (contact != Contact::default()).then_some(contact);
    Ok(ActorProfile {
        id: a.id.clone(),
        name: a.name.clone().ok_or_else(|| need("--name"))?,
        country: a.country.clone().ok_or_else(|| need("--country"))?,
        roles: a.roles.clone(),
        tin: a.tin.clone(),
        address,
        contact,
    })
}

/// Builds an actor's record, its profile and keys (shared with the CSV import).
///
/// # Errors
/// As `actor_profile`, or no key.
pub fn actor_record(a: &ActorArgs) -> Result<ActorRecord> {
    let p = actor_profile(a)?;
    let mut keys = a.keys.clone();
    for image in &a.key_images {
        keys.push(crate::tags::public_key_in_image(image)?);
    }
    if keys.is_empty() {
        return Err(CliError::input(msg!(
            "cli-registry-public-key-required-actor"
        )));
    }
    Ok(ActorRecord {
        id: p.id,
        name: p.name,
        country: p.country,
        roles: p.roles,
        keys,
        tin: p.tin,
        address: p.address,
        contact: p.contact,
    })
}

/// Runs an actor command.
///
/// # Errors
/// As the command.
pub fn actor(ctx: &Ctx, c: ActorCmd) -> Result<Exit> {
    match c {
        ActorCmd::Register(a) => {
            let actor = actor_record(&a)?;
            warn_contact(&a.id, actor.contact.as_ref());
            let body = Body::ActorRegister(ActorRegister { actor });
            let s = ctx.sign_and_send(body, a.when.time, None)?;
            ctx.report(&s, json!({}));
        }
        ActorCmd::Update(mut a) => {
            // An update replaces the whole profile: every field left out is
            // taken from the node's current record, not only the required
            // ones (contact, address and tax id were lost before).
            let online = ctx.online();
            if !online {
                eprintln!("{}", msg!("cli-registry-warning-node-cannot-reached"));
            }
            if online {
                let cur: wire::ActorView =
                    ctx.node().read_as(&format!("/v1/actors/{}", enc(&a.id)))?;
                let p = cur.profile;
                a.name = a.name.or(Some(p.name));
                a.country = a.country.or(Some(p.country));
                if a.roles.is_empty() {
                    a.roles = p.roles;
                }
                a.tin = a.tin.or(p.tin);
                if let Some(ad) = p.address {
                    a.locality = a.locality.or(Some(ad.locality));
                    a.region_code = a.region_code.or(ad.region_code);
                    a.region = a.region.or(ad.region);
                }
                if let Some(co) = p.contact {
                    a.representative = a.representative.or(co.representative);
                    a.phone = a.phone.or(co.phone);
                    a.email = a.email.or(co.email);
                }
            }
            let actor = actor_profile(&a)?;
            warn_contact(&a.id, actor.contact.as_ref());
            let body = Body::ActorUpdate(ActorUpdate { actor });
            let s = ctx.sign_and_send(body, a.when.time, None)?;
            ctx.report(&s, json!({}));
        }
        ActorCmd::Show { id } => return read::show_actor(ctx, &id),
        ActorCmd::List => return read::list_actors(ctx),
    }
    Ok(Exit::Ok)
}

/// Warns, before signing, when an actor's contact details will not make a
/// valid ICGLR MD.09 (`spec/exports.md` 3.1): the ledger accepts them, but
/// every ICGLR document naming the actor will fail the schema.
fn warn_contact(id: &str, contact: Option<&Contact>) {
    let gaps = ledger_core::export::icglr::contact_gaps(contact);
    if !gaps.is_empty() {
        let f = gaps.join(", ");
        eprintln!(
            "{}",
            msg!(
                "cli-registry-warning-s-icglr-documents",
                id = id,
                fields = f
            )
        );
    }
}

/// `madini key rotate`.
#[derive(Args)]
pub struct KeyRotateArgs {
    /// Whose key (default: the actor in force).
    #[arg(long = "owner", value_name = "ID")]
    pub owner: Option<Id>,
    /// Key id being replaced (default: the key in force).
    #[arg(long, value_name = "KEYID", value_parser = parse::key_id)]
    pub old: Option<KeyId>,
    /// The new public key, ed25519:BASE64.
    #[arg(long, value_name = "KEY", conflicts_with = "new_key_file", value_parser = parse::public_key)]
    pub new: Option<PublicKey>,
    /// Or the new key's file (its public key is used; the file stays on this device).
    #[arg(long, value_name = "FILE")]
    pub new_key_file: Option<PathBuf>,
    #[command(flatten)]
    pub when: When,
}

/// `madini key revoke`.
#[derive(Args)]
pub struct KeyRevokeArgs {
    /// Whose key (default: the actor in force).
    #[arg(long = "owner", value_name = "ID")]
    pub owner: Option<Id>,
    /// Key id to revoke.
    #[arg(long = "key-id", value_name = "KEYID", value_parser = parse::key_id)]
    pub key_id: KeyId,
    /// Why (lost device, compromise...).
    #[arg(long)]
    pub reason: Text,
    #[command(flatten)]
    pub when: When,
}

/// The actor in force as an id, for `--owner`'s default.
fn actor_id(ctx: &Ctx) -> Result<Id> {
    let a = ctx.actor()?;
    Id::new(a).map_err(|e| CliError::input(format!("--actor: {e}")))
}

/// Runs `key rotate`.
///
/// # Errors
/// As the command.
pub fn key_rotate(ctx: &Ctx, a: KeyRotateArgs) -> Result<Exit> {
    let actor = match a.owner {
        Some(o) => o,
        None => actor_id(ctx)?,
    };
    let old = match a.old {
        Some(o) => o,
        None => ctx.key()?.public().key_id(),
    };
    let new = match (a.new, a.new_key_file) {
        (Some(k), _) => k,
        (None, Some(f)) => keys::read(&f)?.public(),
        (None, None) => {
            return Err(CliError::input(msg!("cli-registry-give-new-key-new"))
                .hint("madini key new --out new.pem"));
        }
    };
    let body = Body::KeyRotate(KeyRotate { actor, old, new });
    let s = ctx.sign_and_send(body, a.when.time, None)?;
    ctx.report(&s, json!({}));
    Ok(Exit::Ok)
}

/// Runs `key revoke`.
///
/// # Errors
/// As the command.
pub fn key_revoke(ctx: &Ctx, a: KeyRevokeArgs) -> Result<Exit> {
    let defaulted = a.owner.is_none();
    let actor = match a.owner {
        Some(o) => o,
        None => actor_id(ctx)?,
    };
    let key = a.key_id.to_string();
    let body = Body::KeyRevoke(KeyRevoke {
        actor: actor.clone(),
        revoked: a.key_id,
        reason: a.reason,
    });
    let s = match ctx.sign_and_send(body, a.when.time, None) {
        // The key is someone else's: a registry officer revoking it must
        // say whose.
        Err(e) if defaulted && e.rule.as_deref() == Some("key-unknown") => {
            return Err(e.hint(msg!(
                "cli-registry-revoke-name-owner",
                key = key,
                actor = actor
            )));
        }
        r => r?,
    };
    ctx.report(&s, json!({}));
    Ok(Exit::Ok)
}

// ---------------------------------------------------------------------------
// Licences.

/// Licence commands.
#[derive(Subcommand)]
pub enum LicenceCmd {
    /// Grant a licence (authority).
    Grant {
        /// Licence id (MD.02 licenseId).
        #[arg(long)]
        id: Id,
        /// MDC.04 type: claim, exploration_permit, mining_license, artisanal_permit, unlicensed, other.
        #[arg(long = "type", value_parser = parse::licence_type)]
        kind: LicenceType,
        /// Actor holding it.
        #[arg(long)]
        holder: Id,
        /// Site it covers.
        #[arg(long)]
        site: Option<SiteId>,
        /// Minerals covered (repeat or comma-separate).
        #[arg(long = "mineral", value_delimiter = ',', required = true, value_parser = parse::mineral)]
        minerals: Vec<Mineral>,
        /// Date granted.
        #[arg(long, value_parser = parse::millis)]
        granted: Millis,
        /// Expiry date.
        #[arg(long, value_parser = parse::millis)]
        expires: Millis,
        #[command(flatten)]
        when: When,
    },
}

/// Runs a licence command.
///
/// # Errors
/// As the command.
pub fn licence(ctx: &Ctx, c: LicenceCmd) -> Result<Exit> {
    let LicenceCmd::Grant {
        id,
        kind,
        holder,
        site,
        minerals,
        granted,
        expires,
        when,
    } = c;
    let licence = Licence {
        id,
        kind,
        holder,
        site,
        minerals,
        granted,
        expires,
    };
    let s = ctx.sign_and_send(
        Body::LicenceGrant(LicenceGrant { licence }),
        when.time,
        None,
    )?;
    ctx.report(&s, json!({}));
    Ok(Exit::Ok)
}

// ---------------------------------------------------------------------------
// Sites.

/// Site commands.
#[derive(Subcommand)]
pub enum SiteCmd {
    /// Register a mine site (authority).
    Register(SiteArgs),
    /// Replace a site's profile (authority).
    Update(SiteArgs),
    /// Record an inspection (inspector).
    Inspect(InspectArgs),
    /// Change a site's certification status without an inspection (inspector or authority).
    Status {
        /// Site id.
        site: SiteId,
        /// blue, green, yellow or red.
        #[arg(long, value_parser = parse::site_status)]
        status: CertStatus,
        /// Why.
        #[arg(long)]
        reason: LongText,
        #[command(flatten)]
        when: When,
    },
    /// Show one site.
    Show {
        /// Site id.
        site: SiteId,
    },
    /// List sites.
    List,
}

/// A site's profile.
#[derive(Args)]
pub struct SiteArgs {
    /// ICGLR site id, `CC-<lat><lon>-NNNNN` (e.g. RW-1.9641+30.0619-12345).
    #[arg(long)]
    pub id: SiteId,
    /// National id.
    #[arg(long)]
    pub national_id: Option<Id>,
    /// Name.
    #[arg(long)]
    pub name: Text,
    /// Latitude, decimal degrees.
    #[arg(long, allow_hyphen_values = true, value_parser = parse::lat)]
    pub lat: Lat,
    /// Longitude, decimal degrees.
    #[arg(long, allow_hyphen_values = true, value_parser = parse::lon)]
    pub lon: Lon,
    /// ISO 3166-2 region code.
    #[arg(long)]
    pub region_code: Option<Text>,
    /// Region name.
    #[arg(long)]
    pub region: Option<Text>,
    /// Locality.
    #[arg(long)]
    pub locality: Option<Text>,
    /// Minerals mined (repeat or comma-separate).
    #[arg(long = "mineral", value_delimiter = ',', required = true, value_parser = parse::mineral)]
    pub minerals: Vec<Mineral>,
    /// Activity: active, non-active or abandoned.
    #[arg(long, default_value = "active", value_parser = parse::activity)]
    pub activity: Activity,
    /// Assessed capacity: at most this mass (e.g. 3t) per --capacity-days days.
    #[arg(long, value_parser = parse::mass)]
    pub capacity: Grams,
    /// The capacity window, days.
    #[arg(long, default_value = "30", value_parser = parse::days)]
    pub capacity_days: Days,
    /// Cooperatives that may register lots here (repeat or comma-separate).
    #[arg(long = "operator", value_delimiter = ',', required = true)]
    pub operators: Vec<Id>,
    #[command(flatten)]
    pub when: When,
}

/// Builds a site's record (shared with the CSV import).
///
/// # Errors
/// A site id whose country is not a country code.
pub fn site_record(a: &SiteArgs) -> Result<SiteRecord> {
    let country =
        Country::new(a.id.country()).map_err(|e| CliError::input(format!("--id: {e}")))?;
    Ok(SiteRecord {
        id: a.id.clone(),
        national_id: a.national_id.clone(),
        name: a.name.clone(),
        country,
        location: Location {
            lat_e6: a.lat,
            lon_e6: a.lon,
            region_code: a.region_code.clone(),
            region: a.region.clone(),
            locality: a.locality.clone(),
        },
        minerals: a.minerals.clone(),
        activity: a.activity,
        capacity: Capacity {
            mass_g: a.capacity,
            days: a.capacity_days,
        },
        operators: a.operators.clone(),
    })
}

/// An inspection.
#[derive(Args)]
pub struct InspectArgs {
    /// Site id.
    pub site: SiteId,
    /// Inspection id (MD.07 inspectionId).
    #[arg(long)]
    pub id: Id,
    /// Day of the inspection.
    #[arg(long, value_parser = parse::millis)]
    pub date: Millis,
    /// green, yellow or red.
    #[arg(long, value_parser = parse::inspection_result)]
    pub result: InspectionResult,
    /// The full report file: its SHA-256 is recorded.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// Where the report can be read.
    #[arg(long)]
    pub report_uri: Option<Text>,
    /// Purpose.
    #[arg(long)]
    pub purpose: Option<Text>,
    /// Summary of findings.
    #[arg(long)]
    pub summary: Option<LongText>,
    #[command(flatten)]
    pub when: When,
}

/// SHA-256 of a file.
///
/// # Errors
/// Unreadable file.
pub fn file_sha256(p: &std::path::Path) -> Result<Hash> {
    let bytes = std::fs::read(p).map_err(|e| CliError::file(p, &e))?;
    Ok(ledger_core::hash::sha256(&bytes))
}

/// Runs a site command.
///
/// # Errors
/// As the command.
pub fn site(ctx: &Ctx, c: SiteCmd) -> Result<Exit> {
    let s = match c {
        SiteCmd::Register(a) => {
            let site = site_record(&a)?;
            ctx.sign_and_send(Body::SiteRegister(SiteRegister { site }), a.when.time, None)?
        }
        SiteCmd::Update(a) => {
            let site = site_record(&a)?;
            ctx.sign_and_send(Body::SiteUpdate(SiteUpdate { site }), a.when.time, None)?
        }
        SiteCmd::Inspect(a) => {
            let inspection = Inspection {
                id: a.id,
                date: a.date,
                result: a.result,
                report_sha256: a.report.as_deref().map(file_sha256).transpose()?,
                report_uri: a.report_uri,
                purpose: a.purpose,
                summary: a.summary,
            };
            let body = Body::SiteInspect(SiteInspect {
                site: a.site,
                inspection,
            });
            ctx.sign_and_send(body, a.when.time, None)?
        }
        SiteCmd::Status {
            site,
            status,
            reason,
            when,
        } => {
            let body = Body::SiteStatus(SiteStatus {
                site,
                status,
                reason,
            });
            ctx.sign_and_send(body, when.time, None)?
        }
        SiteCmd::Show { site } => return read::show_site(ctx, &site),
        SiteCmd::List => return read::list_sites(ctx),
    };
    ctx.report(&s, json!({}));
    Ok(Exit::Ok)
}

// ---------------------------------------------------------------------------
// Tags.

/// Tag commands.
#[derive(Subcommand)]
pub enum TagsCmd {
    /// Allocate a range of tag ids to a site (authority): PREFIX-NNNN from --first to --last.
    Allocate {
        /// Site id.
        #[arg(long)]
        site: SiteId,
        /// Prefix, e.g. RW-T.
        #[arg(long)]
        prefix: Id,
        /// Digits of the number, zero-padded.
        #[arg(long, default_value = "6", value_parser = parse::tag_width)]
        width: TagWidth,
        /// First number.
        #[arg(long)]
        first: u64,
        /// Last number.
        #[arg(long)]
        last: u64,
        #[command(flatten)]
        when: When,
    },
    /// Which lot a tag is attached to, and its state.
    Show {
        /// Tag id.
        tag: TagId,
    },
    /// Print QR labels for lots (svg, png or an A4 pdf of 8 or 24 labels per page).
    Print(tags::Print),
}

/// Runs a tags command.
///
/// # Errors
/// As the command.
pub fn tags(ctx: &Ctx, c: TagsCmd) -> Result<Exit> {
    match c {
        TagsCmd::Allocate {
            site,
            prefix,
            width,
            first,
            last,
            when,
        } => {
            let body = Body::TagsAllocate(TagsAllocate {
                site,
                prefix,
                width,
                first,
                last,
            });
            let s = ctx.sign_and_send(body, when.time, None)?;
            ctx.report(&s, json!({}));
            Ok(Exit::Ok)
        }
        TagsCmd::Show { tag } => read::show_tag(ctx, &tag),
        TagsCmd::Print(a) => tags::print(ctx, a),
    }
}

// ---------------------------------------------------------------------------
// Certificates.

/// Certificate commands.
#[derive(Subcommand)]
pub enum CertCmd {
    /// Request an export certificate (exporter).
    Request {
        /// Request id.
        #[arg(long)]
        id: Id,
        /// Lots to export (repeat or comma-separate).
        #[arg(long = "lot", value_delimiter = ',', required = true)]
        lots: Vec<Id>,
        /// Mineral.
        #[arg(long, value_parser = parse::mineral)]
        mineral: Mineral,
        /// Total mass (e.g. 1.2t).
        #[arg(long, value_parser = parse::mass)]
        mass: Grams,
        /// Destination country.
        #[arg(long, value_parser = parse::country)]
        destination: Country,
        #[command(flatten)]
        when: When,
    },
    /// Issue an export certificate (authority; ICGLR MD.03).
    Issue {
        /// Certificate number.
        #[arg(long)]
        id: Id,
        /// Exporter allowed to use it.
        #[arg(long)]
        exporter: Id,
        /// Lots covered (repeat or comma-separate).
        #[arg(long = "lot", value_delimiter = ',', required = true)]
        lots: Vec<Id>,
        /// Mineral.
        #[arg(long, value_parser = parse::mineral)]
        mineral: Mineral,
        /// Certified mass.
        #[arg(long, value_parser = parse::mass)]
        mass: Grams,
        /// Declared countries of origin (repeat or comma-separate).
        #[arg(long = "origin", value_delimiter = ',', required = true, value_parser = parse::country)]
        origins: Vec<Country>,
        /// Destination country.
        #[arg(long, value_parser = parse::country)]
        destination: Country,
        /// Issue date (default today).
        #[arg(long, value_parser = parse::millis)]
        issued: Option<Millis>,
        /// Expiry (default: 90 days after issue, the ICGLR maximum).
        #[arg(long, value_parser = parse::millis)]
        expires: Option<Millis>,
        /// The request it answers.
        #[arg(long)]
        request: Option<Id>,
        #[command(flatten)]
        when: When,
    },
}

/// Runs a certificate command.
///
/// # Errors
/// As the command.
pub fn cert(ctx: &Ctx, c: CertCmd) -> Result<Exit> {
    let s = match c {
        CertCmd::Request {
            id,
            lots,
            mineral,
            mass,
            destination,
            when,
        } => {
            let request = Request {
                id,
                lots,
                mineral,
                mass_g: mass,
                destination,
            };
            ctx.sign_and_send(Body::CertRequest(CertRequest { request }), when.time, None)?
        }
        CertCmd::Issue {
            id,
            exporter,
            lots,
            mineral,
            mass,
            origins,
            destination,
            issued,
            expires,
            request,
            when,
        } => {
            let issued = issued.unwrap_or(Millis(now_ms()));
            let expires = expires.unwrap_or(Millis(issued.0 + 90 * 86_400_000));
            let cert = Cert {
                id,
                exporter,
                lots,
                mineral,
                mass_g: mass,
                origins,
                destination,
                issued,
                expires,
                request,
            };
            ctx.sign_and_send(Body::CertIssue(CertIssue { cert }), when.time, None)?
        }
    };
    ctx.report(&s, json!({}));
    Ok(Exit::Ok)
}

// ---------------------------------------------------------------------------
// Incidents.

/// Incident commands.
#[derive(Subcommand)]
pub enum IncidentCmd {
    /// Report an incident about lots, sites or actors; --anonymous signs with a throw-away key.
    Report {
        /// Lots concerned (repeat or comma-separate).
        #[arg(long = "lot", value_delimiter = ',')]
        lots: Vec<Id>,
        /// Sites concerned.
        #[arg(long = "site", value_delimiter = ',')]
        sites: Vec<SiteId>,
        /// Actors concerned.
        #[arg(long = "about-actor", value_delimiter = ',')]
        actors: Vec<Id>,
        /// armed-group, child-labour, smuggling, tag-fraud, illegal-taxation, fraud, violence, safety, other.
        #[arg(long, value_parser = parse::category)]
        category: Category,
        /// What happened.
        #[arg(long)]
        summary: LongText,
        /// Evidence file kept off the log: only its SHA-256 is recorded.
        #[arg(long, value_name = "FILE")]
        evidence: Option<PathBuf>,
        /// Report without revealing who you are (a fresh key, never stored).
        #[arg(long)]
        anonymous: bool,
        #[command(flatten)]
        when: When,
    },
    /// Read a case's sealed text with your key (a case handler it was sealed to).
    Open {
        /// Case id (the report's event hash).
        #[arg(value_parser = parse::event_hash)]
        case: Hash,
    },
    /// Change a case's status (authority or inspector): open, investigating, resolved, dismissed.
    Status {
        /// Case id (the report's event hash).
        #[arg(value_parser = parse::event_hash)]
        case: Hash,
        /// New status.
        #[arg(long, value_parser = parse::case_status)]
        status: CaseStatus,
        /// Note.
        #[arg(long)]
        note: LongText,
        #[command(flatten)]
        when: When,
    },
    /// Show a case and its history.
    Show {
        /// Case id.
        #[arg(value_parser = parse::event_hash)]
        case: Hash,
    },
}

/// Runs an incident command.
///
/// # Errors
/// As the command.
pub fn incident(ctx: &Ctx, c: IncidentCmd) -> Result<Exit> {
    match c {
        IncidentCmd::Report {
            lots,
            sites,
            actors,
            category,
            summary,
            evidence,
            anonymous,
            when,
        } => {
            fn list<T>(v: Vec<T>) -> Option<Vec<T>> {
                (!v.is_empty()).then_some(v)
            }
            // The lots reported on: an incident extends no lot's chain, so
            // the outbox's `lots` (the chains an event extends) is empty.
            let about: Vec<String> = lots.iter().map(ToString::to_string).collect();
            let subjects = Subjects {
                lots: list(lots),
                sites: list(sites),
                actors: list(actors),
            };
            if subjects == Subjects::default() {
                return Err(CliError::input(msg!("cli-registry-name-least-one-subject")));
            }
            let evidence_sha256 = evidence.as_deref().map(file_sha256).transpose()?;
            let throwaway = if anonymous {
                Some(keys::generate()?)
            } else {
                None
            };
            let body = Body::IncidentReport(IncidentReport {
                subjects,
                category,
                summary,
                evidence_sha256,
                anonymous_key: throwaway.as_ref().map(|k| k.public()),
                sealed: None,
            });
            let s = ctx.sign_and_send(body, when.time, throwaway.as_ref())?;
            let receipt = read::case_receipt(ctx, &s);
            ctx.report(
                &s,
                json!({"case": s.item.event_hash, "receipt": receipt, "lots": about}),
            );
            if !ctx.json {
                let case = &s.item.event_hash;
                outln!("{}", msg!("cli-registry-case-id-keep-receipt", case = case));
                if let Some(r) = receipt {
                    let (i, n) = (r.index, r.tree_size);
                    outln!(
                        "{}",
                        msg!(
                            "cli-registry-inclusion-proof-checked-entry",
                            index = i,
                            size = n
                        )
                    );
                }
            }
            Ok(Exit::Ok)
        }
        IncidentCmd::Status {
            case,
            status,
            note,
            when,
        } => {
            let body = Body::IncidentStatus(IncidentStatus { case, status, note });
            let s = ctx.sign_and_send(body, when.time, None)?;
            ctx.report(&s, json!({}));
            Ok(Exit::Ok)
        }
        IncidentCmd::Open { case } => crate::seal::open_case(ctx, &case),
        IncidentCmd::Show { case } => {
            let v: wire::CaseView = ctx
                .node()
                .read_as(&format!("/v1/cases/{}", case.to_hex()))?;
            if ctx.json {
                out::json(&json!(v));
            } else {
                read::print_history(&v.history)?;
            }
            Ok(Exit::Ok)
        }
    }
}
