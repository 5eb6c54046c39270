//! Commands that read or manage local state: keys, profile, outbox and sync,
//! and the views of lots, tags, actors, sites and the log.

use std::path::PathBuf;

use clap::Subcommand;
use ledger_core::merkle::verify_inclusion;
use ledger_core::wire;
use serde_json::{Value, json};

use crate::client::{entry_event, hashes, now_ms, unb64};
use crate::config::ConfigFile;
use crate::ctx::{Ctx, Signed, enc};
use crate::error::{CliError, Exit, Result};
use crate::out::{self, Table, short};
use crate::{keys, msg, outln, outp, parse};

/// `madini key new`.
///
/// # Errors
/// An existing file, I/O.
pub fn key_new(ctx: &Ctx, out_path: Option<PathBuf>, encrypt: bool) -> Result<Exit> {
    let path = out_path.unwrap_or_else(|| ctx.paths.default_key());
    let pass = if encrypt {
        let p = keys::passphrase(&format!("{} ", msg!("cli-read-new-passphrase")))?;
        if std::env::var(keys::PASSPHRASE_ENV).is_err() {
            let again = keys::passphrase(&format!("{} ", msg!("cli-read-again")))?;
            if again != p {
                return Err(CliError::input(msg!("cli-read-two-passphrases-differ")));
            }
        }
        if p.chars().count() < 8 {
            return Err(CliError::input(msg!(
                "cli-read-passphrase-shorter-than-characters"
            )));
        }
        Some(p)
    } else {
        None
    };
    let key = keys::generate()?;
    keys::write(&path, &key, pass.as_deref())?;
    let pk = key.public();
    let v = json!({"file": path.display().to_string(), "public_key": pk.to_string(), "key_id": pk.key_id().to_string(), "encrypted": encrypt});
    if ctx.json {
        out::json(&v);
    } else {
        let p = path.display();
        outln!("{}", msg!("cli-read-new-key-written-mode", path = p));
        print_key(&pk);
        outln!("{}", msg!("cli-read-give-public-key-registry"));
    }
    Ok(Exit::Ok)
}

/// Prints a public key and its id, labelled in the user's language.
fn print_key(pk: &ledger_core::crypto::PublicKey) {
    let (a, b) = (msg!("cli-read-public-key"), msg!("cli-read-key-id"));
    let w = a.chars().count().max(b.chars().count());
    outln!("{a:<w$} {pk}");
    outln!("{b:<w$} {}", pk.key_id());
}

/// `madini key show`.
///
/// # Errors
/// The key cannot be read.
pub fn key_show(ctx: &Ctx) -> Result<Exit> {
    let pk = ctx.key()?.public();
    if ctx.json {
        out::json(
            &json!({"file": ctx.key_path.display().to_string(), "public_key": pk.to_string(), "key_id": pk.key_id().to_string()}),
        );
    } else {
        outln!("{} {}", msg!("cli-read-file"), ctx.key_path.display());
        print_key(&pk);
    }
    Ok(Exit::Ok)
}

/// `madini profile show`.
///
/// # Errors
/// None in practice.
pub fn profile_show(ctx: &Ctx) -> Result<Exit> {
    let v = json!({
        "profile": ctx.profile_name.clone().unwrap_or_else(|| "default".into()),
        "config_file": ctx.paths.config.display().to_string(),
        "data_dir": ctx.paths.data.display().to_string(),
        "node": ctx.node_url,
        "key": ctx.key_path.display().to_string(),
        "actor": ctx.actor,
        "lang": crate::i18n::lang().code(),
        "vkey": ctx.profile.vkey,
        "tiles": ctx.profile.tiles,
    });
    if ctx.json {
        out::json(&v);
    } else {
        let mut t = Table::new([msg!("cli-read-setting"), msg!("cli-read-value")]);
        for (k, val) in v.as_object().into_iter().flatten() {
            t.row([
                k.clone(),
                val.as_str().map_or_else(|| val.to_string(), str::to_string),
            ]);
        }
        t.print();
    }
    Ok(Exit::Ok)
}

/// `madini profile set`.
///
/// # Errors
/// A malformed config file, bad values, I/O.
pub fn profile_set(ctx: &Ctx, a: crate::ProfileSet) -> Result<Exit> {
    let crate::ProfileSet {
        node,
        key,
        actor,
        lang,
        vkey,
        tiles,
    } = a;
    let mut cfg = ConfigFile::load(&ctx.paths.config)?;
    let p = cfg.profile_mut(ctx.profile_name.as_deref());
    let http = |flag: &str, n: &str| {
        if n.starts_with("http://") || n.starts_with("https://") {
            Ok(())
        } else {
            Err(CliError::input(msg!(
                "cli-read-set-node-not-http",
                flag = flag,
                url = format!("{n:?}")
            )))
        }
    };
    if let Some(n) = node {
        http("--set-node", &n)?;
        p.node = Some(n);
    }
    if let Some(t) = tiles {
        http("--set-tiles", &t)?;
        p.tiles = Some(t);
    }
    if let Some(k) = key {
        let abs = std::path::absolute(&k).map_err(|e| CliError::file(&k, &e))?;
        p.key = Some(abs);
    }
    if let Some(a) = actor {
        p.actor = Some(a);
    }
    if let Some(l) = lang {
        if crate::i18n::Lang::parse(&l).is_none() {
            return Err(CliError::input(ledger_core::t!(
                crate::i18n::lang(),
                "cli-set-lang-unknown",
                lang = &l,
                langs = crate::i18n::codes()
            )));
        }
        p.lang = Some(l);
    }
    if let Some(v) = vkey {
        ledger_core::note::NoteKey::from_vkey(&v)
            .map_err(|e| CliError::input(format!("--set-vkey: {e}")))?;
        p.vkey = Some(v);
    }
    cfg.save(&ctx.paths.config)?;
    if !ctx.json {
        let f = ctx.paths.config.display();
        outln!("{}", msg!("cli-read-profile-saved", file = f));
    } else {
        out::json(&json!({"config_file": ctx.paths.config.display().to_string()}));
    }
    Ok(Exit::Ok)
}

/// `madini sync`.
///
/// # Errors
/// An untrusted node, I/O.
pub fn sync(ctx: &Ctx) -> Result<Exit> {
    let outbox = ctx.outbox()?;
    let lock = outbox.lock()?;
    let pending = outbox.pending()?.len();
    let bar = (!ctx.json && pending > crate::outbox::PUSH_BATCH).then(|| {
        let b = indicatif::ProgressBar::new(pending as u64);
        b.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} {msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        b
    });
    let report = outbox.sync(ctx.node(), &lock, |done, _| {
        if let Some(b) = &bar {
            b.set_position(done as u64);
        }
    })?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let refused = report.refused().count();
    if ctx.json {
        out::json(&json!(report));
    } else {
        if report.fates.is_empty() && report.waiting == 0 {
            outln!("{}", msg!("cli-read-outbox-empty"));
        }
        let mut t = Table::new([
            "#".into(),
            "type".into(),
            "lot".into(),
            msg!("cli-read-event"),
            msg!("cli-read-fate"),
        ]);
        for f in &report.fates {
            let fate = match f.status.as_str() {
                "accepted" => msg!("cli-recorded-at-index", index = f.index.unwrap_or(0)),
                "existing" => msg!("cli-already-at-index", index = f.index.unwrap_or(0)),
                _ => msg!(
                    "cli-refused",
                    rule = f.rule.as_deref().unwrap_or(""),
                    detail = f.detail.as_deref().unwrap_or("")
                ),
            };
            t.row([
                f.seq.to_string(),
                f.kind.clone(),
                f.lot.clone(),
                short(&f.event_hash),
                fate,
            ]);
        }
        if !t.is_empty() {
            t.print();
        }
        if report.waiting > 0 {
            let (n, why) = (report.waiting, report.stopped.clone().unwrap_or_default());
            eprintln!(
                "{}",
                msg!("cli-read-events-still-wait-outbox", count = n, why = why)
            );
        }
    }
    if refused > 0 {
        return Ok(Exit::Input);
    }
    if report.waiting > 0 {
        return Ok(Exit::Trust);
    }
    Ok(Exit::Ok)
}

/// `madini outbox`.
///
/// # Errors
/// I/O.
/// How long after the time it claims an event was signed, rounded down:
/// minutes under two hours, hours under two days, then days; a claim after
/// the signing (a clock ahead) is negative.
fn delay(signed: u64, claimed: u64) -> String {
    let (sign, ms) = if signed >= claimed {
        ("", signed - claimed)
    } else {
        ("-", claimed - signed)
    };
    let m = ms / 60_000;
    let text = if m < 120 {
        msg!("cli-read-delay-min", n = m)
    } else if m < 48 * 60 {
        msg!("cli-read-delay-h", n = m / 60)
    } else {
        msg!("cli-read-delay-d", n = m / (24 * 60))
    };
    format!("{sign}{text}")
}

pub fn outbox(ctx: &Ctx) -> Result<Exit> {
    let ob = ctx.outbox()?;
    let pending = ob.pending()?;
    let refused = ob.refused()?;
    if ctx.json {
        let items = |v: &[crate::outbox::Item]| -> Vec<Value> {
            v.iter()
                .map(|i| {
                    let claimed = i.claimed();
                    let delay = claimed.map(|c| i128::from(i.created) - i128::from(c));
                    json!({"seq": i.seq, "type": i.kind, "lots": i.lots, "event_hash": i.event_hash, "signed_at": i.created, "claimed_time": claimed, "delay_ms": delay, "origin": i.origin, "result": i.result})
                })
                .collect()
        };
        out::json(&json!({"waiting": items(&pending), "refused": items(&refused)}));
        return Ok(Exit::Ok);
    }
    if pending.is_empty() {
        outln!("{}", msg!("cli-read-nothing-waiting-outbox"));
    } else {
        let mut t = Table::new([
            "#".into(),
            msg!("cli-read-signed"),
            msg!("cli-read-claims"),
            msg!("cli-read-delay"),
            "type".into(),
            "lot".into(),
            msg!("cli-read-event"),
        ]);
        for i in &pending {
            let claimed = i.claimed();
            t.row([
                i.seq.to_string(),
                ledger_core::time::rfc3339(i.created),
                claimed.map_or_else(|| "?".into(), ledger_core::time::rfc3339),
                claimed.map_or_else(|| "?".into(), |c| delay(i.created, c)),
                i.kind.clone(),
                i.lots.join(","),
                short(&i.event_hash),
            ]);
        }
        t.print();
    }
    if !refused.is_empty() {
        outln!();
        outln!("{}", msg!("cli-read-refused-node"));
        let mut t = Table::new([
            "#".into(),
            "type".into(),
            "lot".into(),
            msg!("cli-read-rule"),
            msg!("cli-read-reason"),
        ]);
        for i in &refused {
            // A refused item keeps the node's batch result as it came.
            let p = match i.result.clone().map(serde_json::from_value) {
                Some(Ok(wire::BatchItem::Refused(n))) => Some(n.problem),
                _ => None,
            };
            let (rule, detail) = p.map(|p| (p.rule, p.detail)).unwrap_or_default();
            t.row([
                i.seq.to_string(),
                i.kind.clone(),
                i.lots.join(","),
                rule,
                detail,
            ]);
        }
        t.print();
    }
    Ok(Exit::Ok)
}

/// Log commands.
#[derive(Subcommand)]
pub enum LogCmd {
    /// Size, root and checkpoint age, verified against the pinned log key.
    Status,
    /// Download the whole log into an archive file (`spec/verifier.md` section 6).
    Fetch {
        /// Archive file to write.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Read the log from its C2SP tiles at this URL (a node, or any
        /// static copy of its tiles) instead of the node's API.
        #[arg(long, value_name = "URL")]
        tiles: Option<String>,
    },
}

/// `madini log status`.
///
/// # Errors
/// Unreachable or untrusted node.
pub fn log(ctx: &Ctx, c: LogCmd) -> Result<Exit> {
    if let LogCmd::Fetch { out, tiles } = c {
        return crate::verify::fetch(ctx, &out, ctx.tiles(tiles.as_ref()).as_deref());
    }
    let l = ctx.node().log()?;
    let signed_at = Some(l.raw.checkpoint_signed_at);
    let age = signed_at.map(|t| now_ms().saturating_sub(t) / 1000);
    let waiting = ctx.outbox()?.pending()?.len();
    let v = json!({
        "node": ctx.node_url,
        "origin": l.origin.as_str(),
        "vkey": l.key.vkey(),
        "tree_size": l.checkpoint.size,
        "root_hash": l.checkpoint.root.to_base64(),
        "checkpoint_signed_at": signed_at,
        "checkpoint_age_s": age,
        "writes": l.raw.writes,
        "first_contact": l.first_contact,
        "outbox_waiting": waiting,
    });
    if ctx.json {
        out::json(&v);
        return Ok(Exit::Ok);
    }
    let mut t = Table::new(["", ""]);
    t.row([msg!("cli-read-node"), ctx.node_url.clone()]);
    t.row([msg!("cli-read-log"), l.origin.to_string()]);
    t.row([msg!("cli-read-log-key"), l.key.vkey()]);
    t.row([msg!("cli-read-entries"), l.checkpoint.size.to_string()]);
    t.row([msg!("cli-read-root"), l.checkpoint.root.to_base64()]);
    if let (Some(s), Some(a)) = (signed_at, age) {
        t.row([
            msg!("cli-read-checkpoint"),
            msg!(
                "cli-read-signed-s-ago-verified",
                time = ledger_core::time::rfc3339(s),
                age = a
            ),
        ]);
    }
    t.row([
        msg!("cli-read-outbox"),
        msg!("cli-read-waiting", waiting = waiting),
    ]);
    outp!(
        "{}",
        t.render()
            .lines()
            .skip(1)
            .map(|l| format!("{l}\n"))
            .collect::<String>()
    );
    Ok(Exit::Ok)
}

fn signer_of(e: &wire::EntryView) -> String {
    match &e.signer {
        wire::Signer::Actor { actor, .. } => actor.clone(),
        wire::Signer::Log { .. } => "(log)".into(),
        wire::Signer::Anonymous { .. } => msg!("cli-read-anonymous"),
    }
}

fn figures_of(ev: &Value) -> (String, String) {
    let m = ev["mass_g"].as_u64().map(parse::kg).unwrap_or_default();
    let g = ev["grade_bp"].as_u64().map(parse::pct).unwrap_or_default();
    (m, g)
}

fn detail_of(ev: &Value) -> String {
    match ev["type"].as_str().unwrap_or("") {
        "lot.offer" => format!("→ {}", ev["to"].as_str().unwrap_or("")),
        "lot.split" => format!(
            "→ {}",
            ev["children"]
                .as_array()
                .map(|c| c
                    .iter()
                    .filter_map(|x| x["lot"].as_str())
                    .collect::<Vec<_>>()
                    .join(", "))
                .unwrap_or_default()
        ),
        "lot.merge" | "lot.process" => format!(
            "{} → {}",
            ev["inputs"]
                .as_array()
                .map(|c| c
                    .iter()
                    .filter_map(|x| x["lot"].as_str())
                    .collect::<Vec<_>>()
                    .join(" + "))
                .unwrap_or_default(),
            ev["lot"].as_str().unwrap_or("")
        ),
        "lot.register" => format!(
            "{} {}",
            ev["site"].as_str().unwrap_or(""),
            ev["tag"].as_str().unwrap_or("")
        ),
        "lot.transport" => format!(
            "{} → {}",
            ev["from"]["name"].as_str().unwrap_or(""),
            ev["to"]["name"].as_str().unwrap_or("")
        ),
        "lot.store" => ev["place"]["name"].as_str().unwrap_or("").to_string(),
        "lot.tax" => format!(
            "{} {} {}",
            ev["tax"]["type"].as_str().unwrap_or(""),
            ev["tax"]["amount"],
            ev["tax"]["currency"].as_str().unwrap_or("")
        ),
        "lot.export" => format!(
            "{} → {}",
            ev["cert"].as_str().unwrap_or(""),
            ev["destination"].as_str().unwrap_or("")
        ),
        "lot.refuse" | "lot.correct" => ev["reason"].as_str().unwrap_or("").to_string(),
        "incident.report" => ev["summary"].as_str().unwrap_or("").to_string(),
        "incident.status" => format!(
            "{}: {}",
            ev["status"].as_str().unwrap_or(""),
            ev["note"].as_str().unwrap_or("")
        ),
        _ => String::new(),
    }
}

/// Prints a list of entry views as a history table.
///
/// # Errors
/// An entry whose leaf cannot be read (exit 3).
pub fn print_history(h: &[wire::EntryView]) -> Result<()> {
    let mut t = Table::new([
        msg!("cli-read-index"),
        msg!("cli-read-lot"),
        msg!("cli-read-claimed"),
        msg!("cli-read-recorded"),
        msg!("cli-read-event"),
        msg!("cli-read-signer"),
        msg!("cli-read-mass"),
        msg!("cli-read-grade"),
        msg!("cli-read-detail"),
    ]);
    for e in h {
        // The event is a document of `spec/events.md` whose display fields
        // differ by type: it is read as JSON, from the signed bytes.
        let ev = &entry_event(e)?;
        let (m, g) = figures_of(ev);
        t.row([
            e.index.to_string(),
            ev["lot"].as_str().unwrap_or("").to_string(),
            e.claimed_time_iso.clone(),
            e.record_time_iso.clone(),
            e.type_.clone(),
            signer_of(e),
            m,
            g,
            detail_of(ev),
        ]);
    }
    t.print();
    Ok(())
}

/// `madini lot show` and `madini lot history`.
///
/// # Errors
/// Unknown lot, unreachable node.
pub fn show_lot(ctx: &Ctx, lot: &str, history_only: bool) -> Result<Exit> {
    let v = ctx.fetch_lot(lot)?;
    if history_only {
        let p: wire::Provenance = ctx
            .node()
            .read_as(&format!("/v1/lots/{}/provenance", enc(lot)))?;
        if ctx.json {
            out::json(&json!(p));
        } else {
            print_history(&p.entries)?;
        }
        return Ok(Exit::Ok);
    }
    if ctx.json {
        out::json(&json!(v));
        return Ok(Exit::Ok);
    }
    let l = &v.lot;
    {
        let mut t = Table::new(["", ""]);
        t.row([msg!("cli-read-lot"), lot.to_string()]);
        t.row([msg!("cli-exports-mineral"), l.mineral_name.clone()]);
        t.row([msg!("cli-read-mass"), parse::kg(l.mass_g)]);
        t.row([msg!("cli-read-grade"), parse::pct(u64::from(l.grade_bp))]);
        t.row([msg!("cli-read-custodian"), l.custodian.clone()]);
        t.row([msg!("cli-exports-status"), l.status.clone()]);
        if let Some(to) = &l.pending_offer_to {
            t.row([msg!("cli-read-offered"), to.clone()]);
        }
        if let Some(tag) = &l.tag {
            t.row([msg!("cli-read-tag"), tag.clone()]);
        }
        t.row([msg!("cli-read-latest-event"), l.head.clone()]);
        outp!(
            "{}",
            t.render()
                .lines()
                .skip(1)
                .map(|l| format!("{l}\n"))
                .collect::<String>()
        );
        outln!();
    }
    print_history(&v.history)?;
    Ok(Exit::Ok)
}

/// `madini lot list`.
///
/// # Errors
/// Unreachable node.
pub fn list_lots(ctx: &Ctx, limit: u64) -> Result<Exit> {
    let v: wire::LotsPage = ctx
        .node()
        .read_as(&format!("/v1/lots?limit={}", limit.clamp(1, 500)))?;
    if ctx.json {
        out::json(&json!(v));
        return Ok(Exit::Ok);
    }
    let mut t = Table::new([
        msg!("cli-read-lot"),
        msg!("cli-exports-mineral"),
        msg!("cli-read-mass"),
        msg!("cli-read-grade"),
        msg!("cli-read-custodian"),
        msg!("cli-exports-status"),
        msg!("cli-read-tag"),
    ]);
    for l in &v.lots {
        t.row([
            l.id.clone(),
            l.mineral_name.clone(),
            parse::kg(l.mass_g),
            parse::pct(u64::from(l.grade_bp)),
            l.custodian.clone(),
            l.status.clone(),
            l.tag.clone().unwrap_or_default(),
        ]);
    }
    t.print();
    Ok(Exit::Ok)
}

/// `madini tags show`.
///
/// # Errors
/// Unknown tag, unreachable node.
pub fn show_tag(ctx: &Ctx, tag: &str) -> Result<Exit> {
    let v: wire::TagView = ctx.node().read_as(&format!("/v1/tags/{}", enc(tag)))?;
    if ctx.json {
        out::json(&json!(v));
        return Ok(Exit::Ok);
    }
    let s = v.state.as_ref();
    let field = |f: fn(&wire::LotSummary) -> String| s.map(f).unwrap_or_default();
    let mut t = Table::new(["", ""]);
    t.row([msg!("cli-read-tag"), tag.to_string()]);
    t.row([msg!("cli-read-lot"), v.lot.clone()]);
    t.row([
        msg!("cli-exports-mineral"),
        field(|s| s.mineral_name.clone()),
    ]);
    t.row([msg!("cli-read-mass"), field(|s| parse::kg(s.mass_g))]);
    t.row([msg!("cli-read-custodian"), field(|s| s.custodian.clone())]);
    t.row([msg!("cli-exports-status"), field(|s| s.status.clone())]);
    outp!(
        "{}",
        t.render()
            .lines()
            .skip(1)
            .map(|l| format!("{l}\n"))
            .collect::<String>()
    );
    Ok(Exit::Ok)
}

/// Reads a registry view of wire type `T` and prints it: `rows` gives the
/// records of one answer (one, or a page's list).
fn registry_view<T, R>(ctx: &Ctx, path: &str, rows: fn(&T) -> &[R], print: fn(&[R])) -> Result<Exit>
where
    T: serde::de::DeserializeOwned + serde::Serialize,
{
    let v: T = ctx.node().read_as(path)?;
    if ctx.json {
        out::json(&json!(v));
    } else {
        print(rows(&v));
    }
    Ok(Exit::Ok)
}

/// `madini actor show`.
///
/// # Errors
/// Unknown actor, unreachable node.
pub fn show_actor(ctx: &Ctx, id: &str) -> Result<Exit> {
    registry_view::<wire::ActorView, _>(
        ctx,
        &format!("/v1/actors/{}", enc(id)),
        std::slice::from_ref,
        print_actors,
    )
}

/// `madini actor list`.
///
/// # Errors
/// Unreachable node.
pub fn list_actors(ctx: &Ctx) -> Result<Exit> {
    registry_view(
        ctx,
        "/v1/actors",
        |p: &wire::ActorsPage| &p.actors,
        print_actors,
    )
}

/// `madini site show`.
///
/// # Errors
/// Unknown site, unreachable node.
pub fn show_site(ctx: &Ctx, id: &str) -> Result<Exit> {
    registry_view::<wire::SiteView, _>(
        ctx,
        &format!("/v1/sites/{}", enc(id)),
        std::slice::from_ref,
        print_sites,
    )
}

/// `madini site list`.
///
/// # Errors
/// Unreachable node.
pub fn list_sites(ctx: &Ctx) -> Result<Exit> {
    registry_view(
        ctx,
        "/v1/sites",
        |p: &wire::SitesPage| &p.sites,
        print_sites,
    )
}

fn print_actors(list: &[wire::ActorView]) {
    let mut t = Table::new([
        msg!("cli-exports-actor"),
        msg!("cli-exports-name"),
        msg!("cli-exports-country"),
        msg!("cli-exports-roles"),
        msg!("cli-read-keys"),
    ]);
    for a in list {
        let p = &a.profile;
        t.row([
            p.id.to_string(),
            p.name.to_string(),
            p.country.to_string(),
            p.roles
                .iter()
                .map(|r| r.as_str())
                .collect::<Vec<_>>()
                .join(","),
            a.keys.len().to_string(),
        ]);
    }
    t.print();
}

const STATUS: [&str; 4] = ["Blue", "Green", "Yellow", "Red"];

fn print_sites(list: &[wire::SiteView]) {
    let mut t = Table::new([
        msg!("cli-exports-site"),
        msg!("cli-exports-name"),
        msg!("cli-exports-status"),
        msg!("cli-exports-last-inspection"),
        msg!("cli-read-capacity"),
        msg!("cli-read-operators"),
    ]);
    for s in list {
        let r = &s.record;
        t.row([
            r.id.to_string(),
            r.name.to_string(),
            STATUS
                .get(usize::from(s.status.0))
                .copied()
                .unwrap_or("?")
                .to_string(),
            s.last_inspection
                .map(ledger_core::time::date)
                .unwrap_or_else(|| "-".into()),
            format!("{} / {} d", parse::kg(r.capacity.mass_g.0), r.capacity.days),
            r.operators
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(","),
        ]);
    }
    t.print();
}

/// The receipt of an incident report: its entry and the inclusion proof
/// this device checked against a verified checkpoint.
#[derive(serde::Serialize)]
pub struct Receipt {
    /// Case id (the report's event hash).
    pub case: String,
    /// Log index.
    pub index: u64,
    /// Size of the tree the proof is for.
    pub tree_size: u64,
    /// Leaf hash (base64).
    pub leaf_hash: String,
    /// The proof (base64 hashes).
    pub inclusion_proof: Vec<String>,
    /// The signed checkpoint of `tree_size`.
    pub checkpoint: String,
}

/// For an incident report just recorded: fetches and checks its inclusion
/// proof against the verified checkpoint, so the receipt is a proof.
pub fn case_receipt(ctx: &Ctx, s: &Signed) -> Option<Receipt> {
    let index = s.result.as_ref()?.index?;
    let log = ctx.node().fresh_log().ok()?;
    let size = log.checkpoint.size;
    if index >= size {
        return None;
    }
    let p: wire::InclusionProof = ctx
        .node()
        .get_as(&format!(
            "/v1/proof/inclusion?index={index}&tree_size={size}"
        ))
        .ok()?;
    let entry: wire::EntryView = ctx.node().get_as(&format!("/v1/entries/{index}")).ok()?;
    let leaf = unb64(&entry.leaf).ok()?;
    let proof = hashes(&p.hashes).ok()?;
    verify_inclusion(
        &ledger_core::hash::leaf_hash(&leaf).0,
        index,
        size,
        &proof,
        &log.checkpoint.root.0,
    )
    .ok()?;
    Some(Receipt {
        case: s.item.event_hash.clone(),
        index,
        tree_size: size,
        leaf_hash: p.leaf_hash,
        inclusion_proof: p.hashes,
        checkpoint: log.note,
    })
}
