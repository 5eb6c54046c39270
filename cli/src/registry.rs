//! Registry commands (authorities and inspectors): actors, keys, licences,
//! mine sites, inspections, tag ranges, export certificates; and incident
//! reports, which anyone may file.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use ledger_core::crypto::PublicKey;
use ledger_core::types::{Mineral, Role};
use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::client::now_ms;
use crate::ctx::{Ctx, enc, parse_hash};
use crate::error::{CliError, Exit, Result};
use crate::outln;
use crate::{keys, out, parse, read, tr};

/// A JSON object under construction; `None` values are left out.
#[derive(Default)]
pub struct Obj(pub Map<String, Value>);

impl Obj {
    /// Sets a field.
    pub fn put(mut self, k: &str, v: impl Serialize) -> Obj {
        self.0
            .insert(k.into(), serde_json::to_value(v).unwrap_or(Value::Null));
        self
    }

    /// Sets a field when there is a value.
    pub fn opt(self, k: &str, v: Option<impl Serialize>) -> Obj {
        match v {
            Some(v) => self.put(k, v),
            None => self,
        }
    }

    /// The object as a value (`None` when empty).
    pub fn value_if_any(self) -> Option<Value> {
        (!self.0.is_empty()).then_some(Value::Object(self.0))
    }
}

/// The claimed time of an event (default: now).
#[derive(Args, Clone, Default)]
pub struct When {
    /// When it happened (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ; default now).
    #[arg(long, value_name = "TIME")]
    pub time: Option<String>,
}

impl When {
    /// The claimed time in ms, if given.
    ///
    /// # Errors
    /// A malformed time.
    pub fn ms(&self) -> Result<Option<u64>> {
        self.time
            .as_deref()
            .map(|t| arg("--time", parse::time(t, now_ms())))
            .transpose()
    }
}

/// Maps a parse error to a usage error naming the option.
///
/// # Errors
/// The parse error.
pub fn arg<T>(opt: &str, r: std::result::Result<T, String>) -> Result<T> {
    r.map_err(|e| CliError::input(format!("{opt}: {e}")))
}

fn mineral(s: &str) -> Result<Mineral> {
    s.parse::<Mineral>().map_err(|_| {
        CliError::input(tr!(
            "--mineral: {s:?} is not a mineral; use cassiterite, coltan, wolframite, gold or an HS code (2609.00.00, 2615.90.00, 2611.00.00, 7108.12.00)",
            "--mineral : {s:?} n'est pas un minerai ; utilisez cassiterite, coltan, wolframite, gold ou un code SH (2609.00.00, 2615.90.00, 2611.00.00, 7108.12.00)"
        ))
    })
}

/// Parses minerals given by name or HS code.
///
/// # Errors
/// An unknown mineral.
pub fn minerals(v: &[String]) -> Result<Vec<Mineral>> {
    v.iter().map(|s| mineral(s)).collect()
}

fn role(s: &str) -> Result<Role> {
    serde_json::from_value(json!(s.trim().to_ascii_lowercase())).map_err(|_| {
        CliError::input(tr!(
            "--role: {s:?} is not a role; use authority, inspector, cooperative, trader, shipper, processor, warehouse, importer or exporter",
            "--role : {s:?} n'est pas un rôle ; utilisez authority, inspector, cooperative, trader, shipper, processor, warehouse, importer ou exporter"
        ))
    })
}

/// Parses a public key `ed25519:BASE64`.
///
/// # Errors
/// Not a key string.
pub fn public_key(s: &str) -> Result<PublicKey> {
    s.trim().parse::<PublicKey>().map_err(|_| {
        CliError::input(tr!(
            "{s:?} is not a public key; keys are written ed25519:BASE64, as `madini key show` prints them",
            "{s:?} n'est pas une clé publique ; les clés s'écrivent ed25519:BASE64, comme les affiche `madini key show`"
        ))
    })
}

fn status_code(s: &str) -> Result<u8> {
    Ok(match s.to_ascii_lowercase().as_str() {
        "0" | "blue" | "bleu" => 0,
        "1" | "green" | "vert" => 1,
        "2" | "yellow" | "jaune" => 2,
        "3" | "red" | "rouge" => 3,
        _ => {
            return Err(CliError::input(tr!(
                "{s:?} is not a site status; use blue, green, yellow or red (MDC.01 0-3)",
                "{s:?} n'est pas un statut de site ; utilisez blue, green, yellow ou red (MDC.01 0-3)"
            )));
        }
    })
}

fn activity_code(s: &str) -> Result<u8> {
    Ok(match s.to_ascii_lowercase().as_str() {
        "0" | "abandoned" => 0,
        "1" | "active" => 1,
        "2" | "non-active" | "inactive" => 2,
        _ => {
            return Err(CliError::input(tr!(
                "{s:?} is not an activity status; use active, non-active or abandoned (MDC.02)",
                "{s:?} n'est pas un statut d'activité ; utilisez active, non-active ou abandoned (MDC.02)"
            )));
        }
    })
}

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
        id: String,
    },
    /// List actors.
    List,
}

/// An actor's profile.
#[derive(Args)]
pub struct ActorArgs {
    /// Actor id.
    #[arg(long)]
    pub id: String,
    /// Legal name.
    #[arg(long)]
    pub name: Option<String>,
    /// Country of registration (ISO 3166-1 alpha-2).
    #[arg(long)]
    pub country: Option<String>,
    /// Roles (repeat or comma-separate): authority, inspector, cooperative, trader, shipper, processor, warehouse, importer, exporter.
    #[arg(long = "role", value_delimiter = ',')]
    pub roles: Vec<String>,
    /// Public keys ed25519:BASE64 (register only; repeat for several).
    #[arg(long = "public-key")]
    pub keys: Vec<String>,
    /// Tax id.
    #[arg(long)]
    pub tin: Option<String>,
    /// Locality of the address.
    #[arg(long)]
    pub locality: Option<String>,
    /// ISO 3166-2 region code.
    #[arg(long)]
    pub region_code: Option<String>,
    /// Region name.
    #[arg(long)]
    pub region: Option<String>,
    /// Representative's name.
    #[arg(long)]
    pub representative: Option<String>,
    /// Phone (E.164, e.g. +250788000000).
    #[arg(long)]
    pub phone: Option<String>,
    /// Email.
    #[arg(long)]
    pub email: Option<String>,
    #[command(flatten)]
    pub when: When,
}

/// Builds an actor object from its fields (shared with the CSV import).
///
/// # Errors
/// Bad roles or keys; missing name or country.
pub fn actor_object(a: &ActorArgs, with_keys: bool) -> Result<Value> {
    let need = |v: &Option<String>, opt: &str| -> Result<String> {
        v.clone()
            .ok_or_else(|| CliError::input(tr!("{opt} is required", "{opt} est obligatoire")))
    };
    let roles: Vec<Role> = a.roles.iter().map(|r| role(r)).collect::<Result<_>>()?;
    if roles.is_empty() {
        return Err(CliError::input(tr!(
            "--role is required (at least one role)",
            "--role est obligatoire (au moins un rôle)"
        )));
    }
    let address = a.locality.as_ref().map(|l| {
        Obj::default()
            .put("locality", l)
            .opt("region_code", a.region_code.as_ref())
            .opt("region", a.region.as_ref())
            .0
    });
    let contact = Obj::default()
        .opt("representative", a.representative.as_ref())
        .opt("phone", a.phone.as_ref())
        .opt("email", a.email.as_ref())
        .value_if_any();
    let mut o = Obj::default()
        .put("id", &a.id)
        .put("name", need(&a.name, "--name")?)
        .put(
            "country",
            need(&a.country, "--country")?.to_ascii_uppercase(),
        )
        .put("roles", roles)
        .opt("tin", a.tin.as_ref())
        .opt("address", address)
        .opt("contact", contact);
    if with_keys {
        if a.keys.is_empty() {
            return Err(CliError::input(tr!(
                "--public-key is required: the actor signs with it (from `madini key show` on the actor's device)",
                "--public-key est obligatoire : l'acteur signe avec (donnée par `madini key show` sur son appareil)"
            )));
        }
        let keys: Vec<PublicKey> = a
            .keys
            .iter()
            .map(|k| public_key(k))
            .collect::<Result<_>>()?;
        o = o.put("keys", keys);
    }
    Ok(Value::Object(o.0))
}

/// Runs an actor command.
///
/// # Errors
/// As the command.
pub fn actor(ctx: &Ctx, c: ActorCmd) -> Result<Exit> {
    match c {
        ActorCmd::Register(a) => {
            let actor = actor_object(&a, true)?;
            warn_contact(&a.id, &actor);
            let s = ctx.sign_and_send(
                "actor.register",
                Obj::default().put("actor", actor).0,
                a.when.ms()?,
                None,
            )?;
            ctx.report(&s, json!({}));
        }
        ActorCmd::Update(mut a) => {
            // An update replaces the whole profile: every field left out is
            // taken from the node's current record, not only the required
            // ones (contact, address and tax id were lost before).
            let online = ctx.online();
            if !online {
                eprintln!(
                    "{}",
                    tr!(
                        "warning: the node cannot be reached, so the profile is replaced exactly as given: fields left out are cleared",
                        "attention : le nœud est injoignable, le profil est donc remplacé tel quel : les champs omis sont effacés"
                    )
                );
            }
            if online {
                let cur = ctx.node().read(&format!("/v1/actors/{}", enc(&a.id)))?;
                let p = &cur["profile"];
                let s = |k: &str| p[k].as_str().map(str::to_string);
                a.name = a.name.or_else(|| s("name"));
                a.country = a.country.or_else(|| s("country"));
                if a.roles.is_empty() {
                    a.roles = p["roles"]
                        .as_array()
                        .map(|r| {
                            r.iter()
                                .filter_map(|x| x.as_str().map(str::to_string))
                                .collect()
                        })
                        .unwrap_or_default();
                }
                a.tin = a.tin.or_else(|| s("tin"));
                let ad = |k: &str| p["address"][k].as_str().map(str::to_string);
                a.locality = a.locality.or_else(|| ad("locality"));
                a.region_code = a.region_code.or_else(|| ad("region_code"));
                a.region = a.region.or_else(|| ad("region"));
                let co = |k: &str| p["contact"][k].as_str().map(str::to_string);
                a.representative = a.representative.or_else(|| co("representative"));
                a.phone = a.phone.or_else(|| co("phone"));
                a.email = a.email.or_else(|| co("email"));
            }
            let actor = actor_object(&a, false)?;
            warn_contact(&a.id, &actor);
            let s = ctx.sign_and_send(
                "actor.update",
                Obj::default().put("actor", actor).0,
                a.when.ms()?,
                None,
            )?;
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
fn warn_contact(id: &str, actor: &Value) {
    let contact = serde_json::from_value(actor["contact"].clone()).ok();
    let gaps = ledger_core::export::icglr::contact_gaps(contact.as_ref());
    if !gaps.is_empty() {
        let f = gaps.join(", ");
        eprintln!(
            "{}",
            tr!(
                "warning: {id}'s ICGLR documents will not validate without a legal representative, an E.164 phone and an e-mail whose last label has 2 to 4 letters (missing or refused: {f}); add --representative, --phone, --email",
                "attention : les documents ICGLR de {id} ne seront pas valides sans représentant légal, téléphone E.164 et courriel dont le dernier label a 2 à 4 lettres (manquant ou refusé : {f}) ; ajoutez --representative, --phone, --email"
            )
        );
    }
}

/// `madini key rotate`.
#[derive(Args)]
pub struct KeyRotate {
    /// Whose key (default: the actor in force).
    #[arg(long = "owner", value_name = "ID")]
    pub owner: Option<String>,
    /// Key id being replaced (default: the key in force).
    #[arg(long, value_name = "KEYID")]
    pub old: Option<String>,
    /// The new public key, ed25519:BASE64.
    #[arg(long, value_name = "KEY", conflicts_with = "new_key_file")]
    pub new: Option<String>,
    /// Or the new key's file (its public key is used; the file stays on this device).
    #[arg(long, value_name = "FILE")]
    pub new_key_file: Option<PathBuf>,
    #[command(flatten)]
    pub when: When,
}

/// `madini key revoke`.
#[derive(Args)]
pub struct KeyRevoke {
    /// Whose key (default: the actor in force).
    #[arg(long = "owner", value_name = "ID")]
    pub owner: Option<String>,
    /// Key id to revoke.
    #[arg(long = "key-id", value_name = "KEYID")]
    pub key_id: String,
    /// Why (lost device, compromise...).
    #[arg(long)]
    pub reason: String,
    #[command(flatten)]
    pub when: When,
}

/// Runs `key rotate`.
///
/// # Errors
/// As the command.
pub fn key_rotate(ctx: &Ctx, a: KeyRotate) -> Result<Exit> {
    let owner = match a.owner {
        Some(o) => o,
        None => ctx.actor()?.to_string(),
    };
    let old = match a.old {
        Some(o) => o,
        None => ctx.key()?.public().key_id().to_string(),
    };
    let new = match (a.new, a.new_key_file) {
        (Some(k), _) => public_key(&k)?,
        (None, Some(f)) => keys::read(&f)?.public(),
        (None, None) => {
            return Err(CliError::input(tr!(
                "give the new key with --new ed25519:... or --new-key-file FILE",
                "donnez la nouvelle clé avec --new ed25519:... ou --new-key-file FICHIER"
            ))
            .hint("madini key new --out new.pem"));
        }
    };
    let body = Obj::default()
        .put("actor", owner)
        .put("old", old)
        .put("new", new);
    let s = ctx.sign_and_send("key.rotate", body.0, a.when.ms()?, None)?;
    ctx.report(&s, json!({}));
    Ok(Exit::Ok)
}

/// Runs `key revoke`.
///
/// # Errors
/// As the command.
pub fn key_revoke(ctx: &Ctx, a: KeyRevoke) -> Result<Exit> {
    let owner = match a.owner {
        Some(o) => o,
        None => ctx.actor()?.to_string(),
    };
    let body = Obj::default()
        .put("actor", owner)
        .put("revoked", a.key_id)
        .put("reason", a.reason);
    let s = ctx.sign_and_send("key.revoke", body.0, a.when.ms()?, None)?;
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
        id: String,
        /// MDC.04 type: claim, exploration_permit, mining_license, artisanal_permit, unlicensed, other.
        #[arg(long = "type")]
        kind: String,
        /// Actor holding it.
        #[arg(long)]
        holder: String,
        /// Site it covers.
        #[arg(long)]
        site: Option<String>,
        /// Minerals covered (repeat or comma-separate).
        #[arg(long = "mineral", value_delimiter = ',', required = true)]
        minerals: Vec<String>,
        /// Date granted.
        #[arg(long)]
        granted: String,
        /// Expiry date.
        #[arg(long)]
        expires: String,
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
        minerals: m,
        granted,
        expires,
        when,
    } = c;
    let now = now_ms();
    let lic = Obj::default()
        .put("id", id)
        .put("type", kind)
        .put("holder", holder)
        .opt("site", site)
        .put("minerals", minerals(&m)?)
        .put("granted", arg("--granted", parse::time(&granted, now))?)
        .put("expires", arg("--expires", parse::time(&expires, now))?);
    let s = ctx.sign_and_send(
        "licence.grant",
        Obj::default().put("licence", lic.0).0,
        when.ms()?,
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
        site: String,
        /// blue, green, yellow or red.
        #[arg(long)]
        status: String,
        /// Why.
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        when: When,
    },
    /// Show one site.
    Show {
        /// Site id.
        site: String,
    },
    /// List sites.
    List,
}

/// A site's profile.
#[derive(Args, Default)]
pub struct SiteArgs {
    /// ICGLR site id, `CC-<lat><lon>-NNNNN` (e.g. RW-1.9641+30.0619-12345).
    #[arg(long)]
    pub id: String,
    /// National id.
    #[arg(long)]
    pub national_id: Option<String>,
    /// Name.
    #[arg(long)]
    pub name: String,
    /// Latitude, decimal degrees.
    #[arg(long, allow_hyphen_values = true)]
    pub lat: String,
    /// Longitude, decimal degrees.
    #[arg(long, allow_hyphen_values = true)]
    pub lon: String,
    /// ISO 3166-2 region code.
    #[arg(long)]
    pub region_code: Option<String>,
    /// Region name.
    #[arg(long)]
    pub region: Option<String>,
    /// Locality.
    #[arg(long)]
    pub locality: Option<String>,
    /// Minerals mined (repeat or comma-separate).
    #[arg(long = "mineral", value_delimiter = ',', required = true)]
    pub minerals: Vec<String>,
    /// Activity: active, non-active or abandoned.
    #[arg(long, default_value = "active")]
    pub activity: String,
    /// Assessed capacity: at most this mass (e.g. 3t) per --capacity-days days.
    #[arg(long)]
    pub capacity: String,
    /// The capacity window, days.
    #[arg(long, default_value_t = 30)]
    pub capacity_days: u64,
    /// Cooperatives that may register lots here (repeat or comma-separate).
    #[arg(long = "operator", value_delimiter = ',', required = true)]
    pub operators: Vec<String>,
    #[command(flatten)]
    pub when: When,
}

/// Builds a site object (shared with the CSV import).
///
/// # Errors
/// Bad coordinates, minerals, activity or capacity.
pub fn site_object(a: &SiteArgs) -> Result<Value> {
    let location = Obj::default()
        .put("lat_e6", arg("--lat", parse::degrees(&a.lat, 90))?)
        .put("lon_e6", arg("--lon", parse::degrees(&a.lon, 180))?)
        .opt("region_code", a.region_code.as_ref())
        .opt("region", a.region.as_ref())
        .opt("locality", a.locality.as_ref());
    let country: String = a.id.chars().take(2).collect();
    Ok(Value::Object(
        Obj::default()
            .put("id", &a.id)
            .opt("national_id", a.national_id.as_ref())
            .put("name", &a.name)
            .put("country", country)
            .put("location", location.0)
            .put("minerals", minerals(&a.minerals)?)
            .put("activity", activity_code(&a.activity)?)
            .put(
                "capacity",
                json!({"mass_g": arg("--capacity", parse::mass(&a.capacity))?, "days": a.capacity_days}),
            )
            .put("operators", &a.operators)
            .0,
    ))
}

/// An inspection.
#[derive(Args)]
pub struct InspectArgs {
    /// Site id.
    pub site: String,
    /// Inspection id (MD.07 inspectionId).
    #[arg(long)]
    pub id: String,
    /// Day of the inspection.
    #[arg(long)]
    pub date: String,
    /// green, yellow or red.
    #[arg(long)]
    pub result: String,
    /// The full report file: its SHA-256 is recorded.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// Where the report can be read.
    #[arg(long)]
    pub report_uri: Option<String>,
    /// Purpose.
    #[arg(long)]
    pub purpose: Option<String>,
    /// Summary of findings.
    #[arg(long)]
    pub summary: Option<String>,
    #[command(flatten)]
    pub when: When,
}

/// SHA-256 of a file, hex.
///
/// # Errors
/// Unreadable file.
pub fn file_sha256(p: &std::path::Path) -> Result<String> {
    let bytes = std::fs::read(p).map_err(|e| CliError::file(p, &e))?;
    Ok(ledger_core::hash::sha256(&bytes).to_hex())
}

/// Runs a site command.
///
/// # Errors
/// As the command.
pub fn site(ctx: &Ctx, c: SiteCmd) -> Result<Exit> {
    let s = match c {
        SiteCmd::Register(a) => {
            let site = site_object(&a)?;
            ctx.sign_and_send(
                "site.register",
                Obj::default().put("site", site).0,
                a.when.ms()?,
                None,
            )?
        }
        SiteCmd::Update(a) => {
            let site = site_object(&a)?;
            ctx.sign_and_send(
                "site.update",
                Obj::default().put("site", site).0,
                a.when.ms()?,
                None,
            )?
        }
        SiteCmd::Inspect(a) => {
            let result = match status_code(&a.result)? {
                0 => {
                    return Err(CliError::input(tr!(
                        "--result: an inspection is green, yellow or red (blue means not inspected)",
                        "--result : une inspection est green, yellow ou red (blue signifie non inspecté)"
                    )));
                }
                r => r,
            };
            let report = a.report.as_deref().map(file_sha256).transpose()?;
            let insp = Obj::default()
                .put("id", a.id)
                .put("date", arg("--date", parse::time(&a.date, now_ms()))?)
                .put("result", result)
                .opt("report_sha256", report)
                .opt("report_uri", a.report_uri)
                .opt("purpose", a.purpose)
                .opt("summary", a.summary);
            let body = Obj::default().put("site", a.site).put("inspection", insp.0);
            ctx.sign_and_send("site.inspect", body.0, a.when.ms()?, None)?
        }
        SiteCmd::Status {
            site,
            status,
            reason,
            when,
        } => {
            let body = Obj::default()
                .put("site", site)
                .put("status", status_code(&status)?)
                .put("reason", reason);
            ctx.sign_and_send("site.status", body.0, when.ms()?, None)?
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
        site: String,
        /// Prefix, e.g. RW-T.
        #[arg(long)]
        prefix: String,
        /// Digits of the number, zero-padded.
        #[arg(long, default_value_t = 6)]
        width: u8,
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
        tag: String,
    },
    /// Print QR labels for lots (svg, png or an A4 pdf of 8 or 24 labels per page).
    Print(crate::tags::Print),
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
            let body = Obj::default()
                .put("site", site)
                .put("prefix", prefix)
                .put("width", width)
                .put("first", first)
                .put("last", last);
            let s = ctx.sign_and_send("tags.allocate", body.0, when.ms()?, None)?;
            ctx.report(&s, json!({}));
            Ok(Exit::Ok)
        }
        TagsCmd::Show { tag } => read::show_tag(ctx, &tag),
        TagsCmd::Print(a) => crate::tags::print(ctx, a),
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
        id: String,
        /// Lots to export (repeat or comma-separate).
        #[arg(long = "lot", value_delimiter = ',', required = true)]
        lots: Vec<String>,
        /// Mineral.
        #[arg(long)]
        mineral: String,
        /// Total mass (e.g. 1.2t).
        #[arg(long)]
        mass: String,
        /// Destination country.
        #[arg(long)]
        destination: String,
        #[command(flatten)]
        when: When,
    },
    /// Issue an export certificate (authority; ICGLR MD.03).
    Issue {
        /// Certificate number.
        #[arg(long)]
        id: String,
        /// Exporter allowed to use it.
        #[arg(long)]
        exporter: String,
        /// Lots covered (repeat or comma-separate).
        #[arg(long = "lot", value_delimiter = ',', required = true)]
        lots: Vec<String>,
        /// Mineral.
        #[arg(long)]
        mineral: String,
        /// Certified mass.
        #[arg(long)]
        mass: String,
        /// Declared countries of origin (repeat or comma-separate).
        #[arg(long = "origin", value_delimiter = ',', required = true)]
        origins: Vec<String>,
        /// Destination country.
        #[arg(long)]
        destination: String,
        /// Issue date (default today).
        #[arg(long)]
        issued: Option<String>,
        /// Expiry (default: 90 days after issue, the ICGLR maximum).
        #[arg(long)]
        expires: Option<String>,
        /// The request it answers.
        #[arg(long)]
        request: Option<String>,
        #[command(flatten)]
        when: When,
    },
}

/// Runs a certificate command.
///
/// # Errors
/// As the command.
pub fn cert(ctx: &Ctx, c: CertCmd) -> Result<Exit> {
    let now = now_ms();
    let s = match c {
        CertCmd::Request {
            id,
            lots,
            mineral: m,
            mass,
            destination,
            when,
        } => {
            let req = Obj::default()
                .put("id", id)
                .put("lots", lots)
                .put("mineral", mineral(&m)?)
                .put("mass_g", arg("--mass", parse::mass(&mass))?)
                .put("destination", destination.to_ascii_uppercase());
            ctx.sign_and_send(
                "cert.request",
                Obj::default().put("request", req.0).0,
                when.ms()?,
                None,
            )?
        }
        CertCmd::Issue {
            id,
            exporter,
            lots,
            mineral: m,
            mass,
            origins,
            destination,
            issued,
            expires,
            request,
            when,
        } => {
            let issued = match issued {
                Some(t) => arg("--issued", parse::time(&t, now))?,
                None => now,
            };
            let expires = match expires {
                Some(t) => arg("--expires", parse::time(&t, now))?,
                None => issued + 90 * 86_400_000,
            };
            let cert = Obj::default()
                .put("id", id)
                .put("exporter", exporter)
                .put("lots", lots)
                .put("mineral", mineral(&m)?)
                .put("mass_g", arg("--mass", parse::mass(&mass))?)
                .put(
                    "origins",
                    origins
                        .iter()
                        .map(|o| o.to_ascii_uppercase())
                        .collect::<Vec<_>>(),
                )
                .put("destination", destination.to_ascii_uppercase())
                .put("issued", issued)
                .put("expires", expires)
                .opt("request", request);
            ctx.sign_and_send(
                "cert.issue",
                Obj::default().put("cert", cert.0).0,
                when.ms()?,
                None,
            )?
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
        lots: Vec<String>,
        /// Sites concerned.
        #[arg(long = "site", value_delimiter = ',')]
        sites: Vec<String>,
        /// Actors concerned.
        #[arg(long = "about-actor", value_delimiter = ',')]
        actors: Vec<String>,
        /// armed-group, child-labour, smuggling, tag-fraud, illegal-taxation, fraud, safety, other.
        #[arg(long)]
        category: String,
        /// What happened.
        #[arg(long)]
        summary: String,
        /// Evidence file kept off the log: only its SHA-256 is recorded.
        #[arg(long, value_name = "FILE")]
        evidence: Option<PathBuf>,
        /// Report without revealing who you are (a fresh key, never stored).
        #[arg(long)]
        anonymous: bool,
        #[command(flatten)]
        when: When,
    },
    /// Change a case's status (authority or inspector): open, investigating, resolved, dismissed.
    Status {
        /// Case id (the report's event hash).
        case: String,
        /// New status.
        #[arg(long)]
        status: String,
        /// Note.
        #[arg(long)]
        note: String,
        #[command(flatten)]
        when: When,
    },
    /// Show a case and its history.
    Show {
        /// Case id.
        case: String,
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
            let list = |v: Vec<String>| (!v.is_empty()).then_some(v);
            let subjects = Obj::default()
                .opt("lots", list(lots))
                .opt("sites", list(sites))
                .opt("actors", list(actors))
                .value_if_any()
                .ok_or_else(|| {
                    CliError::input(tr!(
                        "name at least one subject with --lot, --site or --about-actor",
                        "nommez au moins un sujet avec --lot, --site ou --about-actor"
                    ))
                })?;
            let ev = evidence.as_deref().map(file_sha256).transpose()?;
            let throwaway = if anonymous {
                Some(keys::generate()?)
            } else {
                None
            };
            let body = Obj::default()
                .put("subjects", subjects)
                .put("category", category)
                .put("summary", summary)
                .opt("evidence_sha256", ev)
                .opt("anonymous_key", throwaway.as_ref().map(|k| k.public()));
            let s = ctx.sign_and_send("incident.report", body.0, when.ms()?, throwaway.as_ref())?;
            let receipt = read::case_receipt(ctx, &s);
            ctx.report(&s, json!({"case": s.item.event_hash, "receipt": receipt}));
            if !ctx.json {
                let case = &s.item.event_hash;
                outln!(
                    "{}",
                    tr!(
                        "case id (keep it as your receipt): {case}",
                        "numéro de dossier (gardez-le comme reçu) : {case}"
                    )
                );
                if let Some(r) = receipt {
                    let i = r["index"].as_u64().unwrap_or(0);
                    let n = r["tree_size"].as_u64().unwrap_or(0);
                    outln!(
                        "{}",
                        tr!(
                            "inclusion proof checked: entry {i} is in the signed log of {n} entries",
                            "preuve d'inclusion vérifiée : l'entrée {i} est dans le journal signé de {n} entrées"
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
            let h = parse_hash("case", &case)?;
            let body = Obj::default()
                .put("case", h.to_hex())
                .put("status", status)
                .put("note", note);
            let s = ctx.sign_and_send("incident.status", body.0, when.ms()?, None)?;
            ctx.report(&s, json!({}));
            Ok(Exit::Ok)
        }
        IncidentCmd::Show { case } => {
            let h = parse_hash("case", &case)?;
            let v = ctx.node().read(&format!("/v1/cases/{}", h.to_hex()))?;
            if ctx.json {
                out::json(&v);
            } else {
                read::print_history(&v["history"]);
            }
            Ok(Exit::Ok)
        }
    }
}
