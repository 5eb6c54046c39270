//! The demo ledger of `madini-node serve --demo`: the scenario generator's
//! regional supply chain (a few hundred lots, a handful of planted
//! anomalies), signed by its demo actors with the same ledger-core code the
//! CLI uses, and fed through the node's own sequencer, so every event is
//! checked as a submission would be. Record times are taken from the
//! simulation (the history spans months) instead of the clock; that is the
//! only difference from a live submission.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use ledger_core::leaf::Leaf;
use ledger_core::scenario::{self, Config};
use ledger_core::state::{KeyStatus, SiteState, StateRead};
use ledger_core::types::{CertStatus, Mineral};
use ledger_core::world::{World, named_key};

use crate::ledger::{self, Genesis, Item, Ledger, NodeError, Outcome};
use crate::store::Store;

/// The origin of the demo log.
pub const ORIGIN: &str = scenario::DEMO_ORIGIN;

/// The demo scenario for a ledger created at `now` (ms): see
/// `ledger_core::scenario::demo_config`.
pub fn config(now: u64) -> Config {
    scenario::demo_config(now)
}

/// What building the demo did.
#[derive(Debug)]
pub struct DemoReport {
    /// Entries written.
    pub entries: u64,
    /// Planted anomalies.
    pub planted: Vec<scenario::Planted>,
}

/// Creates the demo ledger in the empty directory `dir` and loads it.
///
/// # Errors
/// If the directory already holds a ledger, or the node refuses an event
/// (which would be a bug: the generator's events all passed the same rules).
pub fn create(
    dir: &Path,
    now: u64,
    store: Arc<dyn Store>,
) -> Result<(Arc<Ledger>, DemoReport), NodeError> {
    let mut s = scenario::generate(&config(now));
    allocate_newcomer_tags(&mut s.main)?;
    let ledger = load_world(dir, &s.main, store)?;
    let entries = ledger.checkpoint().size;
    Ok((
        ledger,
        DemoReport {
            entries,
            planted: s.planted,
        },
    ))
}

/// Creates a ledger in `dir` holding exactly the log `w` built (same
/// leaves, same root): genesis through `init`, every other event through the
/// sequencer with the record times `w` gave it.
///
/// # Errors
/// As `create`.
pub fn load_world(dir: &Path, w: &World, store: Arc<dyn Store>) -> Result<Arc<Ledger>, NodeError> {
    let leaves = w.log.leaves();
    let record_time = |i: usize| Leaf::decode(&leaves[i]).map(|l| l.record_time).unwrap_or(0);
    ledger::init(
        dir,
        &w.log_key,
        &Genesis {
            event: w.accepted[0].clone(),
            record_time: record_time(0),
        },
    )?;
    let (ledger, _) = Ledger::open(dir, store)?;
    for (chunk_no, chunk) in w.accepted[1..].chunks(500).enumerate() {
        let items = chunk
            .iter()
            .enumerate()
            .map(|(k, ev)| {
                let sub = ev
                    .submission()
                    .map_err(|r| NodeError::Inconsistent(format!("event refused: {r}")))?;
                Ok(Item {
                    sub,
                    sig: ledger_core::rules::SigMode::Verify,
                    record_time: Some(record_time(1 + chunk_no * 500 + k)),
                })
            })
            .collect::<Result<Vec<_>, NodeError>>()?;
        let (outcomes, _) = ledger.submit_blocking(items).map_err(NodeError::Io)?;
        for o in outcomes {
            match o {
                Outcome::Accepted { .. } | Outcome::Existing { .. } => {}
                Outcome::Refused(r) => {
                    return Err(NodeError::Inconsistent(format!("event refused: {r}")));
                }
                Outcome::Failed(f) => return Err(NodeError::Io(f)),
            }
        }
    }
    if ledger.checkpoint().root != w.log.root() {
        return Err(NodeError::Inconsistent(
            "the loaded ledger's root differs from the generator's".into(),
        ));
    }
    Ok(ledger)
}

/// The demo devices `serve --demo` writes into `<data>/devices/<name>/`: a
/// key file and a CLI profile for one actor of each kind, so a newcomer can
/// act in the demo (`MADINI_HOME=<data>/devices/coop madini ...`). Their keys
/// are the scenario's published demo keys: anyone holding this repository
/// can sign as these actors on the demo ledger, and on no other.
/// Each device is the first of its candidates whose demo key is still
/// active (the scenario rotates some cooperatives' keys).
pub const DEVICES: &[(&str, &[&str], &str)] = &[
    (
        "coop",
        &["COOP-CD-01", "COOP-CD-02", "COOP-CD-03", "COOP-CD-04"],
        "cooperative",
    ),
    ("trader", &["TRD-CD-01", "TRD-CD-02"], "trader (négociant)"),
    ("processor", &["PROC-CD-01"], "processor"),
    ("exporter", &["EXP-CD-01"], "exporter (comptoir)"),
    ("inspector", &["INSP-CD"], "inspector"),
    ("registry", &["REG-CD"], "registry officer (authority)"),
];

/// The actor a demo device acts for: the first candidate whose demo key is
/// active and, for the cooperative, that runs a site that is not red-flagged.
fn device_actor<S: StateRead + ?Sized>(
    state: &S,
    sites: &[SiteState],
    candidates: &[&'static str],
    coop: bool,
) -> Option<&'static str> {
    candidates.iter().copied().find(|actor| {
        let active = state
            .key(&named_key(actor).public().key_id())
            .ok()
            .flatten()
            .is_some_and(|k| k.status == KeyStatus::Active);
        active && (!coop || newcomer_site(actor, sites.iter()).is_some())
    })
}

/// The demo cooperative's fresh tag range, for a newcomer's first lot:
/// `NEW-CD-0001` to `NEW-CD-0500`.
pub const NEWCOMER_PREFIX: &str = "NEW-CD";
const NEWCOMER_WIDTH: u8 = 4;
const NEWCOMER_LAST: u64 = 500;

/// The site a newcomer registers at: the demo cooperative's first site (by
/// id) that is not red-flagged.
fn newcomer_site<'a>(
    coop: &str,
    sites: impl Iterator<Item = &'a SiteState>,
) -> Option<&'a SiteState> {
    let mut own: Vec<&SiteState> = sites
        .filter(|s| s.record.operators.iter().any(|o| o.as_str() == coop))
        .filter(|s| s.status != CertStatus::RED)
        .collect();
    own.sort_by(|a, b| a.record.id.as_str().cmp(b.record.id.as_str()));
    own.into_iter().next()
}

/// Allocates the newcomer's tag range at the demo cooperative's site, as the
/// last event of the demo history.
fn allocate_newcomer_tags(w: &mut World) -> Result<(), NodeError> {
    let sites: Vec<SiteState> = w.log.state.sites().cloned().collect();
    let site = device_actor(&w.log.state, &sites, DEVICES[0].1, true)
        .and_then(|coop| newcomer_site(coop, sites.iter()))
        .map(|s| s.record.id.as_str().to_string())
        .ok_or_else(|| NodeError::Inconsistent("no demo cooperative with a site".into()))?;
    w.allocate_tags(&site, NEWCOMER_PREFIX, NEWCOMER_WIDTH, 1, NEWCOMER_LAST)
        .map(|_| ())
        .map_err(|r| NodeError::Inconsistent(format!("newcomer tags refused: {r}")))
}

/// What the tour needs to know about a demo ledger.
#[derive(Debug)]
pub struct Tour {
    /// Device directories written, with the actor and what it is.
    pub devices: Vec<(PathBuf, &'static str, &'static str)>,
    /// The newcomer's site and one of its minerals.
    pub site: Option<(String, Mineral)>,
    /// The first newcomer tag not yet attached to a lot.
    pub free_tag: Option<String>,
}

/// Writes the demo devices for a node serving at `url` (rewritten at every
/// start, since the address can change) and finds what the tour shows.
///
/// # Errors
/// Writing the files.
pub fn write_devices(data: &Path, url: &str, ledger: &Ledger) -> std::io::Result<Tour> {
    let store = ledger.store();
    let sites = store.sites().unwrap_or_default();
    let data = std::fs::canonicalize(data)?;
    let mut devices = Vec::new();
    let mut coop_actor = None;
    for (i, (name, candidates, what)) in DEVICES.iter().enumerate() {
        let Some(actor) = device_actor(store, &sites, candidates, i == 0) else {
            continue;
        };
        if i == 0 {
            coop_actor = Some(actor);
        }
        let key = named_key(actor);
        let dir = data.join("devices").join(name);
        std::fs::create_dir_all(&dir)?;
        let key_path = dir.join("demo-key.pem");
        crate::keyfile::write(&key_path, &key).map_err(std::io::Error::other)?;
        let abs = std::fs::canonicalize(&key_path)?;
        let config = format!(
            "# Madini demo device: {what} {actor}.\n\
             # DEMO KEY: published with Madini's source; it signs only on the demo ledger.\n\
             node = {url:?}\nkey = {key:?}\nactor = {actor:?}\nvkey = {vkey:?}\n",
            key = abs.display().to_string(),
            vkey = ledger.note_key.vkey(),
        );
        let tmp = dir.join("config.toml.tmp");
        std::fs::write(&tmp, config)?;
        std::fs::rename(&tmp, dir.join("config.toml"))?;
        devices.push((dir, actor, *what));
    }
    let site = coop_actor.and_then(|c| newcomer_site(c, sites.iter()));
    let free_tag = site.and_then(|_| {
        (1..=NEWCOMER_LAST)
            .map(|n| format!("{NEWCOMER_PREFIX}-{n:0w$}", w = usize::from(NEWCOMER_WIDTH)))
            .find(|t| matches!(store.tag_lot(t), Ok(None)))
    });
    Ok(Tour {
        devices,
        site: site.map(|s| {
            let mineral = s
                .record
                .minerals
                .first()
                .copied()
                .unwrap_or(Mineral::Cassiterite);
            (s.record.id.as_str().to_string(), mineral)
        }),
        free_tag,
    })
}

/// The tour `serve --demo` prints: the pages, the field app, and how to act
/// as each demo device, with commands that work as printed.
pub fn tour_text(url: &str, data: &Path, tour: &Tour, phone_hint: Option<&str>) -> String {
    let mut t = String::new();
    let _ = writeln!(t, "\nOpen in a browser:");
    let _ = writeln!(t, "  {url}/            the public dashboard");
    let _ = writeln!(t, "  {url}/app/        the field app");
    let _ = writeln!(t, "  {url}/report      report an incident (no account)");
    if let Some(h) = phone_hint {
        let _ = writeln!(t, "{h}");
    }
    let _ = writeln!(
        t,
        "\nDemo devices (DEMO KEYS, valid on this demo ledger only), in {}:",
        data.join("devices").display()
    );
    for (dir, actor, what) in &tour.devices {
        let _ = writeln!(t, "  {actor:<11} {what:<30} MADINI_HOME={}", dir.display());
    }
    let home = |name: &str| {
        tour.devices
            .iter()
            .find(|(d, _, _)| d.ends_with(name))
            .map(|(d, _, _)| d.display().to_string())
    };
    let trader_id = tour
        .devices
        .iter()
        .find(|(d, _, _)| d.ends_with("trader"))
        .map_or("", |(_, a, _)| *a);
    if let (Some(coop), Some(trader), Some((site, mineral)), Some(tag)) =
        (home("coop"), home("trader"), &tour.site, &tour.free_tag)
    {
        let lot = format!("LOT-{tag}");
        // A bag as it comes out of such a site: tens of kilograms of
        // concentrate, or a few grams of gold.
        let (name, mass, grade, measured) = match mineral {
            Mineral::Cassiterite => ("cassiterite", "25.3kg", "65%", "25.2kg"),
            Mineral::Coltan => ("coltan", "18.5kg", "30%", "18.4kg"),
            Mineral::Wolframite => ("wolframite", "22kg", "60%", "21.9kg"),
            Mineral::Gold => ("gold", "0.150kg", "85%", "0.149kg"),
        };
        let _ = writeln!(
            t,
            "\nAct in the demo, with the CLI (cargo build --release -p cli):"
        );
        let _ = writeln!(
            t,
            "  MADINI_HOME={coop} madini lot register --lot {lot} --site {site} --tag {tag} --mineral {name} --mass {mass} --grade {grade} --label {lot}.pdf"
        );
        let _ = writeln!(
            t,
            "  MADINI_HOME={coop} madini lot offer {lot} --to {trader_id}"
        );
        let _ = writeln!(
            t,
            "  MADINI_HOME={trader} madini lot accept {lot} --mass {measured} --grade {grade}"
        );
        let _ = writeln!(t, "  madini audit --node {url}");
    }
    t
}

/// Writes the devices and prints the tour on standard output.
pub fn print_tour(url: &str, data: &Path, ledger: &Ledger, phone_hint: Option<&str>) {
    match write_devices(data, url, ledger) {
        Ok(tour) => {
            let data = std::fs::canonicalize(data).unwrap_or_else(|_| data.to_path_buf());
            // Ignores a closed stdout, as the banner does (main.rs).
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            let _ = out
                .write_all(tour_text(url, &data, &tour, phone_hint).as_bytes())
                .and_then(|()| out.flush());
        }
        Err(e) => eprintln!(
            "madini-node: could not write the demo devices in {}: {e}",
            data.join("devices").display()
        ),
    }
}
