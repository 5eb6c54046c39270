//! `madini tags print` and `madini scan`: the QR labels of `spec/tags.md`.
//!
//! Printing signs each bag's registration claim with the cooperative's key
//! on this device and lays labels out with the tag printer. Scanning checks
//! a claim offline against the actor keys this device cached from the node
//! (`GET /v1/keys`), then, when the node is reachable, against the log: is
//! the tag on exactly this lot, with these figures, and what is its state
//! now (who holds it, exported, flagged by the verifier, under review).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use ledger_core::bundle::Bundle;
use ledger_core::crypto::PublicKey;
use ledger_core::event::{Body, Event, LotRegister};
use ledger_core::types::{Role, Text};
use ledger_core::verify::{Policy, Severity, Verdict, verify_lot};
use ledger_core::wire;
use serde_json::{Value, json};
use tag_printer::{
    BaseUrl, Claim, Label, Layout, decode_payload, render_pdf, render_png, render_svg,
};

use crate::client::unb64;
use crate::config::write_atomic;
use crate::ctx::{Ctx, enc};
use crate::error::{CliError, Exit, Result};
use crate::verify::{TileLog, VerifyOpts};
use crate::{msg, out, outln, parse};

/// Label file formats.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Format {
    /// One label as SVG.
    Svg,
    /// One label as PNG (300 dpi).
    Png,
    /// Sheets of labels as an A4 PDF.
    Pdf,
}

/// `madini tags print`.
#[derive(Args)]
pub struct Print {
    /// Lots to print (registered with this device's key).
    pub lots: Vec<ledger_core::types::Id>,
    /// Also every lot this device registered since this date.
    #[arg(long, value_name = "DATE", value_parser = parse::millis)]
    pub since: Option<ledger_core::types::Millis>,
    /// svg, png (one label) or pdf (sheets).
    #[arg(long, value_enum, default_value = "pdf")]
    pub format: Format,
    /// Labels per A4 page: 8 or 24.
    #[arg(long, default_value_t = 24)]
    pub per_page: u8,
    /// File to write.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Base URL of the node's public pages (default: the node URL in force).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
}

/// `madini scan`.
#[derive(Args)]
pub struct Scan {
    /// The QR payload (the text a QR reader gives).
    #[arg(required_unless_present = "image")]
    pub payload: Option<String>,
    /// Or a photo or scan of the label (PNG or JPEG).
    #[arg(long, value_name = "FILE", conflicts_with = "payload")]
    pub image: Option<PathBuf>,
    /// Check the lot in the log read from its C2SP tiles at this URL (a
    /// node, or any static copy of its tiles) instead of the node's API.
    #[arg(long, value_name = "URL")]
    pub tiles: Option<String>,
}

/// A lot's registration as the log (or this device's outbox) holds it,
/// decoded from the signed event bytes.
struct Registration {
    reg: LotRegister,
    key_id: String,
    /// The event's claimed time, ms.
    time: u64,
}

impl Registration {
    /// The registration in signed event bytes, if they are one.
    fn from_event(bytes: &[u8]) -> Option<Registration> {
        let ev = Event::decode(bytes).ok()?;
        match ev.body {
            Body::LotRegister(reg) => Some(Registration {
                reg,
                key_id: ev.key.to_string(),
                time: ev.time.0,
            }),
            _ => None,
        }
    }
}

/// The registration of `lot` among a lot's entries, read from each entry's
/// exact leaf (not from the node's decoded copy of it).
///
/// # Errors
/// A registration entry whose leaf is not a leaf (exit 3).
fn registered_in(entries: &[wire::EntryView], lot: &str) -> Result<Option<Registration>> {
    for e in entries.iter().filter(|e| e.type_ == "lot.register") {
        if let Some(r) = Registration::from_event(&crate::client::leaf_event(e)?)
            && r.reg.lot.as_str() == lot
        {
            return Ok(Some(r));
        }
    }
    Ok(None)
}

fn registrations_here(ctx: &Ctx) -> Result<Vec<Registration>> {
    let ob = ctx.outbox()?;
    let mut out = Vec::new();
    for item in ob.pending()?.into_iter().chain(ob.sent_items()?) {
        if item.kind != "lot.register" {
            continue;
        }
        let Ok(bytes) = unb64(&item.event) else {
            continue;
        };
        if let Some(r) = Registration::from_event(&bytes) {
            out.push(r);
        }
    }
    Ok(out)
}

fn registration(ctx: &Ctx, local: &[Registration], lot: &str) -> Result<Registration> {
    if let Some(r) = local.iter().find(|r| r.reg.lot.as_str() == lot) {
        return Ok(Registration {
            reg: r.reg.clone(),
            key_id: r.key_id.clone(),
            time: r.time,
        });
    }
    let v: wire::Provenance = ctx
        .node()
        .read_as(&format!("/v1/lots/{}/provenance", enc(lot)))?;
    registered_in(&v.entries, lot)?
        .ok_or_else(|| CliError::input(msg!("cli-tags-lot-not-registered-mine", lot = lot)))
}

fn name(
    ctx: &Ctx,
    cache: &mut HashMap<String, String>,
    path: String,
    field: &str,
    id: &str,
) -> String {
    if ctx.offline {
        return id.to_string();
    }
    cache
        .entry(path.clone())
        .or_insert_with(|| {
            let node = ctx.node();
            if field == "site" {
                node.get_as::<wire::SiteView>(&path)
                    .ok()
                    .map(|v| v.record.name.to_string())
            } else {
                node.get_as::<wire::ActorView>(&path)
                    .ok()
                    .map(|v| v.profile.name.to_string())
            }
            .unwrap_or_else(|| id.to_string())
        })
        .clone()
}

fn label_for(
    ctx: &Ctx,
    base: &BaseUrl,
    r: &Registration,
    cache: &mut HashMap<String, String>,
) -> Result<Label> {
    let key = ctx.key()?;
    let my_id = key.public().key_id().to_string();
    let e = &r.reg;
    let lot = e.lot.as_str();
    if r.key_id != my_id {
        let k = &r.key_id;
        return Err(CliError::input(msg!(
            "cli-tags-lot-registered-key-not",
            lot = lot,
            key = k,
            my_id = my_id
        )));
    }
    let bad = |w: &str| CliError::input(format!("lot {lot}: registration field {w} is unreadable"));
    let claim = Claim {
        tag: e.tag.clone(),
        lot: e.lot.clone(),
        site: e.site.clone(),
        mineral: e.mineral,
        mass: e.mass_g,
        grade: e.grade_bp,
        day: Claim::day_of(r.time).ok_or_else(|| bad("time"))?,
        key_id: key.public().key_id(),
    };
    let signed = claim
        .sign(key)
        .map_err(|err| CliError::input(format!("lot {lot}: {err}")))?;
    let site = e.site.as_str();
    let site_name = name(ctx, cache, format!("/v1/sites/{}", enc(site)), "site", site);
    let coop = ctx.actor.clone().unwrap_or_default();
    let coop_name = if coop.is_empty() {
        String::new()
    } else {
        name(
            ctx,
            cache,
            format!("/v1/actors/{}", enc(&coop)),
            "actor",
            &coop,
        )
    };
    let text = |s: String| {
        Text::new(s).unwrap_or_else(|_| Text::new("-").unwrap_or_else(|_| unreachable_text()))
    };
    // The label names its fields in the language of `--lang` first.
    Ok(
        Label::new(base, &signed, text(site_name), text(coop_name))
            .in_language(crate::i18n::lang()),
    )
}

fn unreachable_text() -> Text {
    // "-" is always a valid Text; this keeps the closure total.
    serde_json::from_value(json!("-")).unwrap_or_else(|_| panic!("text"))
}

/// Renders labels to `path` in `format`.
///
/// # Errors
/// A bad base URL, a claim too long for its QR code, I/O.
pub fn write_labels(labels: &[Label], format: Format, per_page: u8, path: &Path) -> Result<()> {
    let layout = if per_page == 8 {
        Layout::A4x8
    } else {
        Layout::A4x24
    };
    let render_err = |e: tag_printer::RenderError| CliError::input(e.to_string());
    let bytes = match format {
        Format::Pdf => render_pdf(labels, layout).map_err(render_err)?,
        Format::Svg | Format::Png if labels.len() != 1 => {
            return Err(CliError::input(msg!(
                "cli-tags-svg-png-files-hold",
                count = labels.len()
            )));
        }
        Format::Svg => render_svg(&labels[0], layout)
            .map_err(render_err)?
            .into_bytes(),
        Format::Png => render_png(&labels[0], layout, 300).map_err(render_err)?,
    };
    write_atomic(path, &bytes, 0o644)
}

fn base_url(ctx: &Ctx, given: Option<&str>) -> Result<BaseUrl> {
    let b = given.unwrap_or(&ctx.node_url);
    BaseUrl::new(b.to_string()).map_err(|e| CliError::input(format!("--base-url {b:?}: {e}")))
}

/// `madini tags print`.
///
/// # Errors
/// Unknown lots, a lot registered with another key, I/O.
pub fn print(ctx: &Ctx, a: Print) -> Result<Exit> {
    if a.per_page != 8 && a.per_page != 24 {
        return Err(CliError::input(msg!("cli-tags-per-page")));
    }
    let base = base_url(ctx, a.base_url.as_deref())?;
    let local = registrations_here(ctx)?;
    let mut lots: Vec<String> = a.lots.iter().map(ToString::to_string).collect();
    if let Some(since) = a.since {
        let t = since.0;
        let mine = ctx.key()?.public().key_id().to_string();
        for r in &local {
            if r.key_id == mine && r.time >= t {
                let l = r.reg.lot.to_string();
                if !lots.contains(&l) {
                    lots.push(l);
                }
            }
        }
    }
    if lots.is_empty() {
        return Err(CliError::input(msg!("cli-tags-no-lot-print-name")));
    }
    let mut cache = HashMap::new();
    let labels = lots
        .iter()
        .map(|l| registration(ctx, &local, l).and_then(|r| label_for(ctx, &base, &r, &mut cache)))
        .collect::<Result<Vec<_>>>()?;
    write_labels(&labels, a.format, a.per_page, &a.out)?;
    if ctx.json {
        out::json(
            &json!({"file": a.out.display().to_string(), "labels": labels.len(), "lots": lots}),
        );
    } else {
        let (n, f) = (labels.len(), a.out.display());
        outln!("{}", msg!("cli-tags-labels-written", count = n, file = f));
    }
    Ok(Exit::Ok)
}

/// The label of a lot registered just now on this device (`lot register --label`).
///
/// # Errors
/// As `print`.
pub fn label_after_register(ctx: &Ctx, lot: &str, path: &Path) -> Result<()> {
    let format = match path.extension().and_then(|e| e.to_str()) {
        Some("svg") => Format::Svg,
        Some("png") => Format::Png,
        _ => Format::Pdf,
    };
    let base = base_url(ctx, None)?;
    let local = registrations_here(ctx)?;
    let r = registration(ctx, &local, lot)?;
    let label = label_for(ctx, &base, &r, &mut HashMap::new())?;
    write_labels(&[label], format, 8, path)
}

/// Decodes the QR codes in an image file.
fn codes_in(path: &Path) -> Result<Vec<String>> {
    let img = image::open(path)
        .map_err(|e| {
            let p = path.display();
            CliError::input(msg!("cli-tags-cannot-read-image", path = p, error = e))
        })?
        .into_luma8();
    let (w, h) = img.dimensions();
    let mut prepared =
        rqrr::PreparedImage::prepare_from_greyscale(w as usize, h as usize, |x, y| {
            img.get_pixel(x as u32, y as u32).0[0]
        });
    let codes: Vec<String> = prepared
        .detect_grids()
        .iter()
        .filter_map(|g| g.decode().ok().map(|(_, s)| s))
        .collect();
    if codes.is_empty() {
        let p = path.display();
        return Err(
            CliError::trust(msg!("cli-tags-no-readable-qr-code", path = p))
                .hint(msg!("cli-tags-take-photo-again-closer")),
        );
    }
    Ok(codes)
}

/// The public key in a photo of its QR code (the field app's key screen):
/// the one code in the image that reads as `ed25519:...`.
///
/// # Errors
/// An unreadable image, no QR code, or no code holding a public key.
pub fn public_key_in_image(path: &Path) -> Result<ledger_core::crypto::PublicKey> {
    let codes = codes_in(path)?;
    codes
        .iter()
        .find_map(|c| crate::parse::public_key(c.trim()).ok())
        .ok_or_else(|| {
            let p = path.display();
            CliError::input(msg!("cli-tags-qr-code-does-not", path = p))
                .hint(msg!("cli-tags-photograph-key-screen-field"))
        })
}

/// Keys known to this device: refreshed from the node when reachable.
fn known_keys(ctx: &Ctx) -> Result<(HashMap<String, wire::KeyView>, bool)> {
    let path = ctx.paths.data.join("keys.json");
    if !ctx.offline
        && let Ok(Some(_)) = ctx.node().log_if_reachable()
    {
        // A node that cannot answer now leaves the cached keys in use; one
        // that answers with something else is not believed.
        match ctx.node().get_as::<wire::KeysPage>("/v1/keys") {
            Ok(v) => {
                // Kept as the node sent it (keys sorted).
                write_atomic(&path, json!(v).to_string().as_bytes(), 0o644)?;
            }
            Err(e @ crate::client::ClientError::Malformed { .. }) => {
                return Err(e.into_cli(&ctx.node_url));
            }
            Err(_) => {}
        }
    }
    let v: Option<wire::KeysPage> = std::fs::read_to_string(&path)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok());
    let fresh = ctx.online();
    Ok((
        v.map(|p| p.keys)
            .unwrap_or_default()
            .into_iter()
            .map(|k| (k.key_id.clone(), k))
            .collect(),
        fresh,
    ))
}

/// `madini scan`.
///
/// # Errors
/// An unreadable image; bad claims are reported with exit 3, problems found
/// in the log with exit 1.
pub fn scan(ctx: &Ctx, a: Scan) -> Result<Exit> {
    let payload = match (&a.payload, &a.image) {
        (Some(p), _) => p.trim().to_string(),
        (None, Some(img)) => codes_in(img)?.remove(0),
        (None, None) => return Err(CliError::input("give a payload or --image FILE")),
    };
    let refused = |why: String| CliError::trust(msg!("cli-tags-tag-cannot-trusted", why = why));
    let p = decode_payload(&payload).map_err(|e| refused(e.to_string()))?;
    let c = p.claim.claim().clone();
    // From tiles, the whole log is replayed here (`spec/log.md` section 6):
    // the keys, the tag and the lot are read from that replay alone.
    let tiles = match ctx.tiles(a.tiles.as_ref()) {
        Some(url) => {
            let log = TileLog::open(ctx, &VerifyOpts::default(), &url)?;
            let mem = log.replay()?;
            Some((log, mem))
        }
        None => None,
    };
    let (keys, online) = match &tiles {
        Some((_, mem)) => (keys_replayed(mem)?, true),
        None => known_keys(ctx)?,
    };
    let kid = c.key_id.to_string();
    let Some(k) = keys.get(&kid) else {
        return Err(refused(msg!("cli-tags-signed-key-which-not", kid = kid))
            .hint(msg!("cli-tags-if-registry-registered-cooperative")));
    };
    let pk: PublicKey = k
        .public_key
        .parse()
        .map_err(|_| refused("the cached key is unreadable".into()))?;
    p.claim
        .verify(&pk)
        .map_err(|_| refused(msg!("cli-tags-signature-does-not-verify")))?;
    let signer = k.actor.clone();
    let mut result = json!({
        "payload": payload,
        "claim": {
            "tag": c.tag.as_str(), "lot": c.lot.as_str(), "site": c.site.as_str(),
            "mineral": c.mineral.code(), "mass_g": c.mass.0, "grade_bp": c.grade.0,
            "date": ledger_core::time::date(u64::from(c.day) * 86_400_000),
            "key_id": kid, "signer": signer,
        },
        "signature": "valid",
        "key_status": k.status,
    });
    let mut problems: Vec<String> = Vec::new();
    if !signer.is_empty() && !k.roles.contains(&Role::Cooperative) {
        problems.push(msg!("cli-tags-signer-not-cooperative", signer = signer));
    }
    if online {
        let seen = match &tiles {
            Some((log, mem)) => seen_in_tiles(log, mem, &c)?,
            None => seen_by_node(ctx, &c)?,
        };
        problems.append(&mut judge(&c, seen, &mut result));
    } else {
        result["online"] = Value::Null;
    }
    result["problems"] = json!(problems);
    if ctx.json {
        out::json(&result);
    } else {
        let (lot, tag, site) = (c.lot.as_str(), c.tag.as_str(), c.site.as_str());
        let (m, g) = (parse::kg(c.mass.0), parse::pct(u64::from(c.grade.0)));
        outln!(
            "{}",
            msg!(
                "cli-tags-claim-valid-tag-lot",
                tag = tag,
                lot = lot,
                site = site,
                mass = m,
                grade = g,
                signer = signer
            )
        );
        if online {
            let o = &result["online"];
            outln!(
                "{}",
                msg!(
                    "cli-tags-log-held-status-verifier",
                    custodian = o["custodian"].as_str().unwrap_or("?"),
                    status = o["status"].as_str().unwrap_or("?"),
                    verdict = o["verdict"].as_str().unwrap_or("?")
                )
            );
        } else {
            outln!("{}", msg!("cli-tags-offline-claim-authentic-current"));
        }
        for p in &problems {
            outln!("{} {p}", msg!("cli-tags-problem"));
        }
    }
    Ok(if problems.is_empty() {
        Exit::Ok
    } else {
        Exit::Problems
    })
}

/// What the log holds for a claimed tag: `None` when no lot carries it.
struct Seen {
    /// The lot the log attaches the tag to.
    lot: String,
    /// The lot's registration, read from its signed bytes.
    registration: Option<Registration>,
    /// The lot's custodian and status.
    state: Option<wire::LotSummary>,
    /// The lot's bundle, to be verified here.
    bundle: Bundle,
    /// The log key the bundle must verify under.
    key: ledger_core::note::NoteKey,
}

/// The keys of a log replayed from its tiles, as `GET /v1/keys` lists them.
fn keys_replayed(mem: &ledger_core::log::MemLog) -> Result<HashMap<String, wire::KeyView>> {
    let page = wire::KeysPage::from_state(mem.state.actors(), &mem.state)
        .map_err(|e| CliError::trust(e.to_string()))?;
    Ok(page
        .keys
        .into_iter()
        .map(|k| (k.key_id.clone(), k))
        .collect())
}

/// The tag as the node's API shows it; every answer is checked later from
/// the signed bytes of the lot's bundle.
fn seen_by_node(ctx: &Ctx, c: &Claim) -> Result<Option<Seen>> {
    let v: wire::TagView = match ctx
        .node()
        .get_as(&format!("/v1/tags/{}", enc(c.tag.as_str())))
    {
        Ok(v) => v,
        Err(crate::client::ClientError::Problem(p)) if p.status == 404 => return Ok(None),
        Err(e) => return Err(e.into_cli(&ctx.node_url)),
    };
    let lot = v.lot.as_str().to_string();
    let prov: wire::Provenance = ctx
        .node()
        .read_as(&format!("/v1/lots/{}/provenance", enc(&lot)))?;
    let bundle: Bundle = ctx
        .node()
        .read_as(&format!("/v1/lots/{}/bundle", enc(&lot)))?;
    Ok(Some(Seen {
        registration: registered_in(&prov.entries, &lot)?,
        state: v.state,
        bundle,
        key: ctx.node().log()?.key.clone(),
        lot,
    }))
}

/// The tag as a replay of the log's tiles shows it.
fn seen_in_tiles(log: &TileLog, mem: &ledger_core::log::MemLog, c: &Claim) -> Result<Option<Seen>> {
    use ledger_core::state::StateRead;
    let state_err = |e: ledger_core::state::StateError| CliError::trust(e.to_string());
    let Some(lot) = mem.state.tag_lot(c.tag.as_str()).map_err(state_err)? else {
        return Ok(None);
    };
    let st = mem.state.lot(lot.as_str()).map_err(state_err)?;
    let registration = st
        .as_ref()
        .and_then(|s| mem.leaves().get(usize::try_from(s.created).ok()?))
        .and_then(|leaf| ledger_core::leaf::Leaf::decode(leaf).ok())
        .and_then(|l| Registration::from_event(&l.event));
    Ok(Some(Seen {
        lot: lot.as_str().to_string(),
        registration,
        state: st.as_ref().map(wire::LotSummary::from),
        bundle: log.bundle(mem, &lot)?,
        key: log.key.clone(),
    }))
}

/// The problems of a claim against what the log holds, the verifier's
/// verdict on the lot among them; `result["online"]` says what was seen.
fn judge(c: &Claim, seen: Option<Seen>, result: &mut Value) -> Vec<String> {
    let mut problems = Vec::new();
    let tag = c.tag.as_str();
    let lot = c.lot.as_str();
    let Some(seen) = seen else {
        problems.push(msg!("cli-tags-log-no-lot-tag", tag = tag));
        result["online"] = json!({"tag_found": false});
        return problems;
    };
    let on_log = seen.lot.as_str();
    if on_log != lot {
        problems.push(msg!(
            "cli-tags-log-tag-attached-lot",
            tag = tag,
            on_log = on_log,
            lot = lot
        ));
    }
    // The registration in the log must state what the label states.
    if let Some(r) = &seen.registration {
        let e = &r.reg;
        if e.mass_g != c.mass || e.grade_bp != c.grade || e.site != c.site {
            problems.push(msg!("cli-tags-registration-log-states-other"));
        }
    }
    // The verifier's verdict on the lot, from its bundle, checked here.
    let report = verify_lot(&seen.bundle, &seen.key, &Policy::default());
    let verdict = match report.verdict {
        Verdict::Verified if report.under_review.iter().any(|l| l == on_log) => "under-review",
        Verdict::Verified => "verified",
        Verdict::Findings => "findings",
        Verdict::Unverifiable => "unverifiable",
    };
    for f in report
        .findings
        .iter()
        .filter(|f| f.severity >= Severity::Error)
    {
        problems.push(f.message.get(crate::i18n::lang()).to_string());
    }
    if verdict == "under-review" {
        problems.push(msg!("cli-tags-open-incident-puts-lot"));
    }
    let st = seen.state.as_ref();
    result["online"] = json!({
        "tag_found": true,
        "lot": on_log,
        "custodian": st.map(|s| s.custodian.as_str()),
        "status": st.map(|s| s.status.as_str()),
        "verdict": verdict,
    });
    problems
}
