//! The registry anyone can look at (`spec/http.md`, "Pages"): the dashboard
//! at `/`, search, mine-site and actor pages, and the SVG the node draws for
//! them (the region's map, production and flow charts). Every figure comes
//! from the log through the code the CLI runs: flows and the registry from
//! `export::views::compute_reports` (`madini report --from-log`), findings
//! from `verify::Auditor` (`madini audit`), computed once per tree size and
//! cached. Pages are askama templates (escaped by default) with no script.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Instant;

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use ledger_core::bundle::Ref;
use ledger_core::event::{Body, CaseStatus};
use ledger_core::export::EntryReader;
use ledger_core::export::report::{Reports, SiteRow};
use ledger_core::hash::Hash;
use ledger_core::note::Checkpoint;
use ledger_core::state::{KeyStatus, LotStatus};
use ledger_core::text::{kg, percent_encode as seg};
use ledger_core::types::Mineral;
use ledger_core::verify::{Auditor, Policy, Severity, Verdict};

use crate::api::AppState;
use crate::ledger::{Ledger, decode_entry};
use crate::pages::html;

// ---------------------------------------------------------------------------
// Languages and texts.

/// The page language: the workspace's one `Lang` (`ledger_core::i18n`).
pub use ledger_core::i18n::Lang;

/// The page language: `?lang=`, else `Accept-Language`, else English.
pub use crate::lang::pick;

/// Message `id` of the catalogs (`ledger-core/locales/*/pages.ftl`) in
/// `lang`, with `args` in its placeholders; `ledger_core::i18n::message`
/// falls back to English, then to the id.
pub fn tr(lang: Lang, id: &str, args: &[(&str, &str)]) -> String {
    let args: Vec<(&str, ledger_core::i18n::Arg<'_>)> =
        args.iter().map(|(k, v)| (*k, (*v).into())).collect();
    ledger_core::i18n::message(lang, id, &args)
}

/// Texts for a template: `t.g("pages-...")`.
pub struct Tr(pub Lang);

impl Tr {
    /// The message `id`.
    pub fn g(&self, id: &str) -> String {
        tr(self.0, id, &[])
    }
}

fn mineral_name(m: Mineral, lang: Lang) -> String {
    tr(
        lang,
        match m {
            Mineral::Cassiterite => "pages-mineral-cassiterite",
            Mineral::Coltan => "pages-mineral-coltan",
            Mineral::Wolframite => "pages-mineral-wolframite",
            Mineral::Gold => "pages-mineral-gold",
        },
        &[],
    )
}

fn status_word(status: u8, lang: Lang) -> String {
    tr(
        lang,
        match status {
            0 => "pages-status-blue",
            1 => "pages-status-green",
            2 => "pages-status-yellow",
            _ => "pages-status-red",
        },
        &[],
    )
}

fn status_class(status: u8) -> &'static str {
    match status {
        0 => "blue",
        1 => "green",
        2 => "yellow",
        _ => "red",
    }
}

fn severity_word(s: Severity, lang: Lang) -> String {
    tr(
        lang,
        match s {
            Severity::Critical => "pages-severity-critical",
            Severity::Error => "pages-severity-error",
            Severity::Warning => "pages-severity-warning",
            _ => "pages-severity-info",
        },
        &[],
    )
}

fn severity_class(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "critical",
        Severity::Error => "error",
        Severity::Warning => "warning",
        _ => "info",
    }
}

fn case_word(s: CaseStatus, lang: Lang) -> String {
    tr(
        lang,
        match s {
            CaseStatus::Open => "pages-case-open",
            CaseStatus::Investigating => "pages-case-investigating",
            CaseStatus::Resolved => "pages-case-resolved",
            CaseStatus::Dismissed => "pages-case-dismissed",
        },
        &[],
    )
}

/// Escapes text for HTML and SVG.
pub fn esc(s: &str) -> String {
    crate::pages::esc(s)
}

// ---------------------------------------------------------------------------
// The summary of one tree size.

/// Findings of one rule in the whole log.
#[derive(Clone, Debug)]
pub struct RuleCount {
    /// The rule's id (`spec/verifier.md`).
    pub rule: &'static str,
    /// Its family (1 to 14, 0 for integrity).
    pub family: u8,
    /// The worst severity among them.
    pub worst: Severity,
    /// How many.
    pub count: usize,
}

/// An open incident case.
#[derive(Clone, Debug)]
pub struct OpenCase {
    /// The case id: the report's event hash, hex.
    pub case: String,
    /// Lots under review because of it.
    pub lots: usize,
}

/// Production and flows of one country and mineral, over all months.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Flow {
    /// Grams registered at mines.
    pub produced_g: u64,
    /// Lots registered.
    pub produced_lots: u64,
    /// Grams received in accepted transfers.
    pub transferred_g: u64,
    /// Grams exported.
    pub exported_g: u64,
    /// Lots exported.
    pub exported_lots: u64,
}

impl Flow {
    fn add(&mut self, r: &ledger_core::export::report::FlowRow) {
        self.produced_g = self.produced_g.saturating_add(r.produced_g);
        self.produced_lots = self.produced_lots.saturating_add(r.produced_lots);
        self.transferred_g = self.transferred_g.saturating_add(r.transferred_g);
        self.exported_g = self.exported_g.saturating_add(r.exported_g);
        self.exported_lots = self.exported_lots.saturating_add(r.exported_lots);
    }
}

/// Everything the public pages show about the whole log at one tree size.
pub struct Summary {
    /// Tree size.
    pub size: u64,
    /// How long computing it took, ms.
    pub took_ms: u64,
    /// The audit's verdict.
    pub verdict: Verdict,
    /// Findings per rule, in the `findings!` table's order.
    pub rules: Vec<RuleCount>,
    /// Lots under review (open incidents).
    pub under_review: Vec<String>,
    /// Open incident cases.
    pub open: Vec<OpenCase>,
    /// Every incident case id (hex), in log order.
    pub cases: Vec<String>,
    /// The reports of `madini report --from-log`.
    pub reports: Arc<Reports>,
    /// Flows per country of origin (`None`: several) and mineral.
    pub by_country: BTreeMap<(Option<String>, Mineral), Flow>,
    /// Flows per month and mineral.
    pub by_month: BTreeMap<(String, Mineral), Flow>,
    /// Open lots held per actor: grams and lots per mineral.
    pub stock: HashMap<String, BTreeMap<Mineral, (u64, u64)>>,
    /// Lots in the ledger.
    pub lots: u64,
}

/// The summary cache (`spec/http.md`, "Public pages"). The latest summary
/// is kept; when the tree has grown, a summary that took less than
/// [`INLINE_MS`] to compute is recomputed before answering, and a slower
/// one is served as it is while one recomputation runs in the background,
/// so no page waits for a whole-log audit except the very first.
pub struct Cache {
    /// See [`INLINE_MS`].
    inline_ms: u64,
    latest: Mutex<Option<Arc<Summary>>>,
    /// Held by whoever computes, so one computation runs at a time.
    computing: Mutex<()>,
    /// A background recomputation is queued or running.
    refreshing: std::sync::atomic::AtomicBool,
}

/// Below this computation time (ms), a summary is recomputed before the
/// page is answered; from it up, the previous one is served meanwhile.
pub const INLINE_MS: u64 = 1000;

impl Default for Cache {
    fn default() -> Cache {
        Cache::with_inline_ms(INLINE_MS)
    }
}

impl Cache {
    /// A cache that recomputes before answering only summaries that took
    /// under `ms` (0: always answer with the latest and refresh behind).
    #[must_use]
    pub fn with_inline_ms(ms: u64) -> Cache {
        Cache {
            inline_ms: ms,
            latest: Mutex::new(None),
            computing: Mutex::new(()),
            refreshing: std::sync::atomic::AtomicBool::new(false),
        }
    }

    fn latest(&self) -> Option<Arc<Summary>> {
        self.latest
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    fn keep(&self, sum: &Arc<Summary>) {
        let mut latest = self
            .latest
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        // Trees only grow: a computation that finished late never replaces
        // a newer summary.
        if latest.as_ref().is_none_or(|l| l.size <= sum.size) {
            *latest = Some(sum.clone());
        }
    }
}

fn checkpoint_of(ledger: &Ledger) -> Checkpoint {
    let cp = ledger.checkpoint();
    Checkpoint {
        origin: ledger.origin.to_string(),
        size: cp.size,
        root: cp.root,
    }
}

/// The summary to show: the current tree's, or while a slow one is being
/// recomputed in the background, the previous one (its `size` says which
/// tree it describes).
///
/// # Errors
/// A storage failure or a leaf that does not decode, as a sentence.
pub fn summary(s: &AppState) -> Result<Arc<Summary>, String> {
    let size = s.ledger.checkpoint().size;
    match s.public.latest() {
        Some(sum) if sum.size >= size => return Ok(sum),
        Some(sum) if sum.took_ms >= s.public.inline_ms => {
            refresh(s);
            return Ok(sum);
        }
        _ => {}
    }
    // A panic while computing (a bug) leaves the cache as it was.
    let _one = s
        .public
        .computing
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    // Another request may have computed it while this one waited.
    if let Some(sum) = s.public.latest()
        && sum.size >= size
    {
        return Ok(sum);
    }
    let sum = Arc::new(compute(s)?);
    s.public.keep(&sum);
    Ok(sum)
}

/// Starts computing the current tree's summary on a thread of its own,
/// unless that is already under way; the node also calls it at start, so
/// the first visitor of a large log does not wait either.
pub fn refresh(s: &AppState) {
    use std::sync::atomic::Ordering;
    if s.public.refreshing.swap(true, Ordering::AcqRel) {
        return;
    }
    let state = s.clone();
    let started = std::thread::Builder::new()
        .name("public-summary".into())
        .spawn(move || {
            let s = state;
            // Cleared however the computation ends, a panic included.
            struct Done<'a>(&'a std::sync::atomic::AtomicBool);
            impl Drop for Done<'_> {
                fn drop(&mut self) {
                    self.0.store(false, Ordering::Release);
                }
            }
            let _done = Done(&s.public.refreshing);
            let _one = s
                .public
                .computing
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let size = s.ledger.checkpoint().size;
            if s.public.latest().is_some_and(|l| l.size >= size) {
                return;
            }
            match compute(&s) {
                Ok(sum) => s.public.keep(&Arc::new(sum)),
                Err(e) => tracing::warn!(error = %e, "public summary not computed"),
            }
        });
    if let Err(e) = started {
        s.public.refreshing.store(false, Ordering::Release);
        tracing::warn!(error = %e, "no thread for the public summary");
    }
}

/// Leaves per audit chunk, as `madini audit` feeds them.
const CHUNK: usize = 8192;

/// Months the dashboard's monthly chart and table show (the latest).
pub const MONTHS_SHOWN: usize = 24;

/// The audit of the whole tree: the same `Auditor` as `madini audit`, fed
/// the same leaves, except that it does not check the signatures again
/// (the node checked each before appending it; `fsck` checks them all).
fn audit_log(s: &AppState, cp: &Checkpoint) -> Result<ledger_core::verify::Report, String> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| format!("no randomness for the audit: {e}"))?;
    let mut auditor = Auditor::new(Policy::default(), s.cores, seed).signatures_checked_at_ingest();
    each_chunk(s, cp.size, |start, chunk| {
        let bytes: Vec<Vec<u8>> = chunk.drain(..).map(|(_, b)| b).collect();
        auditor.push(start, &bytes).map_err(|e| e.to_string())
    })?;
    Ok(auditor.finish(cp))
}

/// Every incident case id (hex) in the tree of `size`, in log order.
fn case_ids(s: &AppState, size: u64) -> Result<Vec<String>, String> {
    let mut reader = EntryReader::new();
    let mut cases = Vec::new();
    each_chunk(s, size, |_, chunk| {
        let found = reader
            .read_batch(chunk, |t| t == "incident.report", s.cores)
            .map_err(|e| e.to_string())?;
        cases.extend(found.iter().map(|e| e.event_hash.to_hex()));
        Ok(())
    })?;
    Ok(cases)
}

/// The leaves of the tree of `size` in chunks of [`CHUNK`], in order, each
/// given with its first index.
fn each_chunk(
    s: &AppState,
    size: u64,
    mut f: impl FnMut(u64, &mut Vec<(u64, Vec<u8>)>) -> Result<(), String>,
) -> Result<(), String> {
    let mut chunk: Vec<(u64, Vec<u8>)> = Vec::with_capacity(CHUNK);
    let mut leaves = s.ledger.leaves(0, size);
    loop {
        chunk.clear();
        for item in leaves.by_ref().take(CHUNK) {
            chunk.push(item.map_err(|e| e.to_string())?);
        }
        let Some(&(start, _)) = chunk.first() else {
            return Ok(());
        };
        f(start, &mut chunk)?;
    }
}

fn compute(s: &AppState) -> Result<Summary, String> {
    let started = Instant::now();
    let ledger = &s.ledger;
    let cp = checkpoint_of(ledger);
    let size = cp.size;
    // The reports are the node's cached ones, which `madini report
    // --from-log` recomputes byte for byte.
    // The reports and the list of cases take less time than the audit
    // and run beside it.
    let (report, cases, reports, audited) = std::thread::scope(|scope| {
        let beside = scope.spawn(|| {
            let reports = crate::exports::reports(s, None).map_err(|p| p.detail)?;
            Ok::<_, String>((reports.0, case_ids(s, size)?))
        });
        let audit = audit_log(s, &cp);
        let audited = started.elapsed();
        let beside = beside
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        let (reports, cases) = beside?;
        Ok::<_, String>((audit?, cases, reports, audited))
    })?;
    let reported = started.elapsed();
    let mut counts: BTreeMap<ledger_core::verify::FindingRule, RuleCount> = BTreeMap::new();
    let mut open = Vec::new();
    for f in &report.findings {
        let c = counts.entry(f.rule).or_insert(RuleCount {
            rule: f.rule.as_str(),
            family: f.family,
            worst: f.severity,
            count: 0,
        });
        c.count += 1;
        c.worst = c.worst.max(f.severity);
        if f.rule == ledger_core::verify::FindingRule::IncidentOpen
            && let Some(e) = f.events.first()
            && let Some(bytes) = ledger.leaf(e.index).map_err(|e| e.to_string())?
        {
            let (leaf, _) = decode_entry(&bytes)?;
            open.push(OpenCase {
                case: ledger_core::event::event_hash(&leaf.event).to_hex(),
                lots: f.lots.len(),
            });
        }
    }
    let mut by_country: BTreeMap<(Option<String>, Mineral), Flow> = BTreeMap::new();
    for r in &reports.flows.totals {
        by_country
            .entry((r.country.as_ref().map(ToString::to_string), r.mineral))
            .or_default()
            .add(r);
    }
    let mut by_month: BTreeMap<(String, Mineral), Flow> = BTreeMap::new();
    for r in &reports.flows.monthly {
        if let Some(m) = &r.month {
            by_month.entry((m.clone(), r.mineral)).or_default().add(r);
        }
    }
    // Stock: the open lots each actor holds, from the node's state.
    let store = ledger.store();
    let mut stock: HashMap<String, BTreeMap<Mineral, (u64, u64)>> = HashMap::new();
    let mut lots = 0u64;
    let mut before = None;
    loop {
        let page = store.lots_page(before, 1000).map_err(|e| e.to_string())?;
        let Some(last) = page.last() else {
            break;
        };
        before = Some(last.0);
        for (index, id) in &page {
            if *index >= size {
                continue;
            }
            lots += 1;
            if let Some(l) = store.lot(id).map_err(|e| e.to_string())?
                && l.status == LotStatus::Open
            {
                let e = stock
                    .entry(l.custodian.to_string())
                    .or_default()
                    .entry(l.mineral)
                    .or_default();
                e.0 = e.0.saturating_add(l.mass.0);
                e.1 += 1;
            }
        }
        if page.len() < 1000 {
            break;
        }
    }
    tracing::info!(
        size,
        audit_ms = audited.as_millis(),
        reports_ms_after_audit = (reported - audited).as_millis(),
        stock_ms = (started.elapsed() - reported).as_millis(),
        "public summary computed"
    );
    Ok(Summary {
        size,
        took_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        verdict: report.verdict,
        rules: counts.into_values().collect(),
        under_review: report.under_review.clone(),
        open,
        cases,
        reports,
        by_country,
        by_month,
        stock,
        lots,
    })
}

// ---------------------------------------------------------------------------
// SVG: the map and the charts.

/// The country outlines (`node/map/README.md`: Natural Earth, public domain).
const OUTLINES: &str = include_str!("../map/great-lakes.geojson");

/// One country outline: its code and rings of (longitude, latitude).
struct Outline {
    code: String,
    name: String,
    rings: Vec<Vec<(f64, f64)>>,
}

fn outlines() -> &'static [Outline] {
    static ALL: OnceLock<Vec<Outline>> = OnceLock::new();
    ALL.get_or_init(|| {
        let v: serde_json::Value = serde_json::from_str(OUTLINES).unwrap_or_default();
        let mut out = Vec::new();
        for f in v["features"].as_array().into_iter().flatten() {
            let rings = f["geometry"]["coordinates"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|ring| {
                    ring.as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|p| Some((p[0].as_f64()?, p[1].as_f64()?)))
                        .collect()
                })
                .collect();
            out.push(Outline {
                code: f["id"].as_str().unwrap_or("").to_string(),
                name: f["properties"]["name"].as_str().unwrap_or("").to_string(),
                rings,
            });
        }
        out
    })
}

/// Where a country's code is written on the map (longitude, latitude).
const LABELS: &[(&str, f64, f64)] = &[
    ("CD", 27.4, -3.2),
    ("RW", 29.95, -1.95),
    ("BI", 29.9, -3.45),
    ("UG", 32.4, 1.6),
    ("TZ", 33.6, -5.8),
    ("KE", 35.0, 0.2),
    ("ZM", 29.5, -10.2),
];

/// An equirectangular frame: longitudes and latitudes to SVG units, with
/// longitudes shrunk by the cosine of the frame's middle latitude.
struct Frame {
    west: f64,
    north: f64,
    scale: f64,
    kx: f64,
    width: f64,
    height: f64,
}

impl Frame {
    fn new(west: f64, east: f64, south: f64, north: f64, width: f64) -> Frame {
        let kx = ((south + north) / 2.0).to_radians().cos();
        let scale = width / ((east - west) * kx);
        Frame {
            west,
            north,
            scale,
            kx,
            width,
            height: (north - south) * scale,
        }
    }

    /// The region: the Great Lakes, grown to hold every site given.
    fn region(points: impl Iterator<Item = (f64, f64)>, width: f64) -> Frame {
        let (mut w, mut e, mut s, mut n) = (26.5f64, 35.0f64, -5.0f64, 4.3f64);
        for (lon, lat) in points {
            w = w.min(lon - 0.5);
            e = e.max(lon + 0.5);
            s = s.min(lat - 0.5);
            n = n.max(lat + 0.5);
        }
        Frame::new(w, e, s.max(-89.0), n.min(89.0), width)
    }

    fn xy(&self, lon: f64, lat: f64) -> (f64, f64) {
        (
            (lon - self.west) * self.kx * self.scale,
            (self.north - lat) * self.scale,
        )
    }
}

/// A point on the map: a site or a stop on a lot's path.
pub struct MapPoint {
    /// Degrees.
    pub lon: f64,
    /// Degrees.
    pub lat: f64,
    /// MDC.01 status (0..=3).
    pub status: u8,
    /// Where its link goes.
    pub href: String,
    /// What a reader hears or sees on hover.
    pub label: String,
}

/// A site's symbol: the shape says the status as well as the colour.
fn symbol(out: &mut String, status: u8, x: f64, y: f64, r: f64) {
    let class = status_class(status);
    let _ = match status {
        1 => write!(
            out,
            "<circle class=\"st-{class}\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{r:.1}\"/>"
        ),
        2 => write!(
            out,
            "<path class=\"st-{class}\" d=\"M{:.1} {:.1}L{:.1} {:.1}L{:.1} {:.1}Z\"/>",
            x,
            y - r * 1.2,
            x + r * 1.1,
            y + r * 0.8,
            x - r * 1.1,
            y + r * 0.8
        ),
        3 => write!(
            out,
            "<rect class=\"st-{class}\" x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\"/>",
            x - r * 0.9,
            y - r * 0.9,
            r * 1.8,
            r * 1.8
        ),
        _ => write!(
            out,
            "<path class=\"st-{class}\" d=\"M{:.1} {:.1}L{:.1} {:.1}L{:.1} {:.1}L{:.1} {:.1}Z\"/>",
            x,
            y - r * 1.2,
            x + r * 1.2,
            y,
            x,
            y + r * 1.2,
            x - r * 1.2,
            y
        ),
    };
}

/// Markers a map draws one by one; above this, sites that fall in one
/// cell of [`CLUSTER_CELL`] map units are drawn as one symbol, so the
/// dashboard stays small with thousands of sites (issue 14: every page
/// under 100 KB compressed).
const MAP_MARKERS: usize = 400;
/// The side of a cluster's cell, in map units (the map is 600 wide).
const CLUSTER_CELL: f64 = 12.0;

/// One site's linked symbol.
fn marker(o: &mut String, p: &MapPoint, x: f64, y: f64) {
    let _ = write!(
        o,
        "<a href=\"{}\" aria-label=\"{}\"><title>{}</title>",
        esc(&p.href),
        esc(&p.label),
        esc(&p.label)
    );
    symbol(o, p.status, x, y, 5.0);
    o.push_str("</a>");
}

/// A site and where it falls on the map.
type Placed<'a> = (&'a MapPoint, f64, f64);

/// The sites grouped by cell: a cell holding one site keeps its linked
/// symbol; a cell holding several gets one symbol per status present
/// (Red, Yellow, Blue, Green), larger with its count, and is named with the
/// count per status.
fn clusters(o: &mut String, points: &[MapPoint], frame: &Frame, lang: Lang) {
    let mut cells: BTreeMap<(i64, i64), Vec<Placed<'_>>> = BTreeMap::new();
    for p in points {
        let (x, y) = frame.xy(p.lon, p.lat);
        let key = (
            (x / CLUSTER_CELL).floor() as i64,
            (y / CLUSTER_CELL).floor() as i64,
        );
        cells.entry(key).or_default().push((p, x, y));
    }
    for sites in cells.values() {
        if let [(p, x, y)] = sites.as_slice() {
            marker(o, p, *x, *y);
            continue;
        }
        let n = sites.len() as f64;
        let cx = sites.iter().map(|s| s.1).sum::<f64>() / n;
        let cy = sites.iter().map(|s| s.2).sum::<f64>() / n;
        let mut per = [0usize; 4];
        for s in sites {
            per[usize::from(s.0.status.min(3))] += 1;
        }
        let statuses: Vec<String> = [3u8, 2, 0, 1]
            .iter()
            .filter(|st| per[usize::from(**st)] > 0)
            .map(|st| format!("{} {}", per[usize::from(*st)], status_word(*st, lang)))
            .collect();
        let label = tr(
            lang,
            "pages-map-cluster",
            &[
                ("count", &sites.len().to_string()),
                ("statuses", &statuses.join(", ")),
            ],
        );
        let _ = write!(
            o,
            "<g class=\"cluster\" role=\"img\" aria-label=\"{}\"><title>{}</title>",
            esc(&label),
            esc(&label)
        );
        // One symbol per status present, sized by its count, so a cell of
        // fifty Green sites and one Red shows both, in proportion.
        let present: Vec<u8> = [3u8, 2, 0, 1]
            .into_iter()
            .filter(|st| per[usize::from(*st)] > 0)
            .collect();
        let spread = if present.len() > 1 { 3.0 } else { 0.0 };
        for (k, st) in present.iter().enumerate() {
            let angle = std::f64::consts::TAU * k as f64 / present.len() as f64;
            let r = (2.0 + 1.2 * (per[usize::from(*st)] as f64).ln_1p()).min(5.5);
            symbol(
                o,
                *st,
                cx + spread * angle.cos(),
                cy + spread * angle.sin(),
                r,
            );
        }
        o.push_str("</g>");
    }
}

/// The map of `points` with the country outlines, as inline SVG. `path`
/// joins the points in order (a lot's journey) when true.
pub fn map_svg(points: &[MapPoint], path: bool, title: &str, lang: Lang) -> String {
    let frame = Frame::region(points.iter().map(|p| (p.lon, p.lat)), 600.0);
    let mut o = String::with_capacity(4096 + points.len() * 220);
    let _ = write!(
        o,
        "<svg class=\"map\" viewBox=\"0 0 {:.0} {:.0}\" role=\"group\" aria-labelledby=\"map-title\"><title id=\"map-title\">{}</title>",
        frame.width,
        frame.height,
        esc(title)
    );
    let _ = write!(
        o,
        "<rect class=\"sea\" width=\"{:.0}\" height=\"{:.0}\"/>",
        frame.width, frame.height
    );
    for c in outlines() {
        let mut d = String::new();
        for ring in &c.rings {
            for (k, (lon, lat)) in ring.iter().enumerate() {
                let (x, y) = frame.xy(*lon, *lat);
                let _ = write!(d, "{}{x:.1} {y:.1}", if k == 0 { "M" } else { "L" });
            }
            d.push('Z');
        }
        let focus = matches!(c.code.as_str(), "CD" | "RW" | "BI" | "UG");
        let _ = write!(
            o,
            "<path class=\"land{}\" d=\"{d}\"><title>{}</title></path>",
            if focus { " focus" } else { "" },
            esc(&c.name)
        );
    }
    for (code, lon, lat) in LABELS {
        let (x, y) = frame.xy(*lon, *lat);
        if x > 10.0 && x < frame.width - 10.0 && y > 10.0 && y < frame.height - 5.0 {
            let _ = write!(
                o,
                "<text class=\"country\" x=\"{x:.0}\" y=\"{y:.0}\" aria-hidden=\"true\">{code}</text>"
            );
        }
    }
    if path && points.len() > 1 {
        let mut d = String::new();
        for (k, p) in points.iter().enumerate() {
            let (x, y) = frame.xy(p.lon, p.lat);
            let _ = write!(d, "{}{x:.1} {y:.1}", if k == 0 { "M" } else { "L" });
        }
        let _ = write!(o, "<path class=\"route\" d=\"{d}\"/>");
    }
    if path || points.len() <= MAP_MARKERS {
        for p in points {
            let (x, y) = frame.xy(p.lon, p.lat);
            marker(&mut o, p, x, y);
        }
    } else {
        clusters(&mut o, points, &frame, lang);
    }
    o.push_str("</svg>");
    o.push_str(&legend(lang));
    o
}

/// The status legend: shape, colour and word for each status, so it reads
/// without colour.
fn legend(lang: Lang) -> String {
    let mut o = String::from("<ul class=\"legend\">");
    for status in [1u8, 2, 3, 0] {
        let mut s = String::new();
        symbol(&mut s, status, 8.0, 8.0, 5.0);
        let _ = write!(
            o,
            "<li><svg viewBox=\"0 0 16 16\" width=\"16\" height=\"16\" aria-hidden=\"true\">{s}</svg> {}</li>",
            esc(&status_word(status, lang))
        );
    }
    o.push_str("</ul>");
    o
}

/// A mass for a chart label: tonnes with one decimal from a tonne up,
/// else kilograms with one decimal (exact integer arithmetic, rounded down).
fn short_mass(g: u64) -> String {
    if g >= 1_000_000 {
        let tenths = g / 100_000;
        format!("{}.{} t", tenths / 10, tenths % 10)
    } else {
        let tenths = g / 100;
        format!("{}.{} kg", tenths / 10, tenths % 10)
    }
}

/// A horizontal bar chart: one bar per row under its name, with its figure
/// written beside it, so it needs no colour or legend to read. Narrow
/// (400 units) so its text stays legible on a 360-pixel phone.
pub fn bars_svg(id: &str, title: &str, rows: &[(String, u64)]) -> String {
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1);
    let row_h = 36.0;
    let height = row_h * rows.len().max(1) as f64 + 4.0;
    let mut o = String::new();
    let _ = write!(
        o,
        "<svg class=\"chart\" viewBox=\"0 0 400 {height:.0}\" role=\"img\" aria-labelledby=\"{id}\"><title id=\"{id}\">{}</title>",
        esc(title)
    );
    for (k, (label, v)) in rows.iter().enumerate() {
        let y = row_h * k as f64;
        let w = 300.0 * (*v as f64) / (max as f64);
        let _ = write!(
            o,
            "<text class=\"lbl\" x=\"0\" y=\"{:.0}\">{}</text><rect class=\"bar\" x=\"0\" y=\"{:.0}\" width=\"{:.1}\" height=\"14\"/><text class=\"val\" x=\"{:.0}\" y=\"{:.0}\">{}</text>",
            y + 13.0,
            esc(label),
            y + 18.0,
            w.max(1.0),
            6.0 + w,
            y + 30.0,
            esc(&short_mass(*v))
        );
    }
    o.push_str("</svg>");
    o
}

/// Vertical bars per month, with an optional limit per month drawn as a
/// dashed line (a site's capacity); bars above it are hatched as well as
/// darker, so an over-capacity month shows without colour.
pub fn months_svg(id: &str, title: &str, rows: &[(String, u64)], limit: Option<u64>) -> String {
    let top = rows
        .iter()
        .map(|r| r.1)
        .chain(limit)
        .max()
        .unwrap_or(0)
        .max(1);
    let (w, h, left, bottom) = (600.0, 220.0, 52.0, 30.0);
    let n = rows.len().max(1) as f64;
    let slot = (w - left) / n;
    let plot = h - bottom - 10.0;
    let mut o = String::new();
    let _ = write!(
        o,
        "<svg class=\"chart\" viewBox=\"0 0 {w:.0} {h:.0}\" role=\"img\" aria-labelledby=\"{id}\"><title id=\"{id}\">{}</title><defs><pattern id=\"{id}-hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\"><path class=\"hatch\" d=\"M0 6L6 0\"/></pattern></defs>",
        esc(title)
    );
    let _ = write!(
        o,
        "<text class=\"val\" x=\"0\" y=\"16\">{}</text><line class=\"axis\" x1=\"{left}\" y1=\"{:.0}\" x2=\"{w}\" y2=\"{:.0}\"/>",
        esc(&short_mass(top)),
        h - bottom,
        h - bottom
    );
    let every = (rows.len() / 8).max(1);
    for (k, (label, v)) in rows.iter().enumerate() {
        let bh = plot * (*v as f64) / (top as f64);
        let x = left + slot * k as f64 + slot * 0.15;
        let over = limit.is_some_and(|l| *v > l);
        let _ = write!(
            o,
            "<rect class=\"bar{}\" x=\"{x:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{bh:.1}\"><title>{}: {}</title></rect>",
            if over { " over" } else { "" },
            h - bottom - bh,
            slot * 0.7,
            esc(label),
            esc(&kg(*v))
        );
        if over {
            let _ = write!(
                o,
                "<rect fill=\"url(#{id}-hatch)\" x=\"{x:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{bh:.1}\"/>",
                h - bottom - bh,
                slot * 0.7
            );
        }
        if k % every == 0 {
            let _ = write!(
                o,
                "<text class=\"lbl\" x=\"{x:.0}\" y=\"{:.0}\">{}</text>",
                h - 10.0,
                esc(label)
            );
        }
    }
    if let Some(l) = limit {
        let y = h - bottom - plot * (l as f64) / (top as f64);
        let _ = write!(
            o,
            "<line class=\"limit\" x1=\"{left}\" y1=\"{y:.1}\" x2=\"{w}\" y2=\"{y:.1}\"/>"
        );
    }
    o.push_str("</svg>");
    o
}

// ---------------------------------------------------------------------------
// Pages.

/// The query string as pairs, read leniently: a page answers odd input with
/// a page, so bad percent-encoding becomes U+FFFD rather than an error.
fn query_pairs(uri: &Uri) -> Vec<(String, String)> {
    fn decode(s: &str) -> String {
        let b = s.as_bytes();
        let mut out = Vec::with_capacity(b.len());
        let mut i = 0;
        while i < b.len() {
            match b[i] {
                b'+' => out.push(b' '),
                b'%' => {
                    let hex = s
                        .get(i + 1..i + 3)
                        .and_then(|h| u8::from_str_radix(h, 16).ok());
                    match hex {
                        Some(v) => {
                            out.push(v);
                            i += 2;
                        }
                        None => out.push(b'%'),
                    }
                }
                c => out.push(c),
            }
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    }
    uri.query()
        .unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn param<'a>(q: &'a [(String, String)], name: &str) -> Option<&'a str> {
    q.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// The language switch: the same page in each language.
struct Switch {
    href: String,
    tag: &'static str,
    name: &'static str,
    current: bool,
}

fn switch(path: &str, extra: &[(&str, &str)], lang: Lang) -> Vec<Switch> {
    Lang::ALL
        .iter()
        .map(|l| {
            let mut href = format!("{path}?");
            for (k, v) in extra {
                let _ = write!(href, "{k}={}&", seg(v));
            }
            let _ = write!(href, "lang={}", l.code());
            Switch {
                href,
                tag: l.code(),
                name: l.autonym(),
                current: *l == lang,
            }
        })
        .collect()
}

fn internal(what: &str, e: &str) -> Response {
    tracing::error!(page = what, error = %e, "public page");
    html(
        StatusCode::INTERNAL_SERVER_ERROR,
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Error</title></head><body><p>internal error</p></body></html>".into(),
    )
}

/// A page not found, in the reader's language.
#[derive(Template)]
#[template(path = "public_notfound.html")]
struct NotFound {
    lang: &'static str,
    t: Tr,
    nav: Vec<Switch>,
    text: String,
    q: String,
}

fn not_found(lang: Lang, path: &str, text: String) -> Response {
    let page = NotFound {
        lang: lang.code(),
        t: Tr(lang),
        nav: switch(path, &[], lang),
        text,
        q: String::new(),
    };
    match page.render() {
        Ok(b) => html(StatusCode::NOT_FOUND, b),
        Err(e) => internal("not found", &e.to_string()),
    }
}

async fn blocking<T: Send + 'static>(
    what: &'static str,
    f: impl FnOnce() -> Result<T, String> + Send + 'static,
) -> Result<T, Response> {
    match tokio::task::spawn_blocking(f).await {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(internal(what, &e)),
        Err(e) => Err(internal(what, &e.to_string())),
    }
}

// --- The dashboard.

struct RuleRow {
    rule: &'static str,
    family: u8,
    severity: &'static str,
    severity_text: String,
    count: usize,
}

struct FlowLine {
    country: String,
    country_code: String,
    mineral: String,
    mineral_code: &'static str,
    produced_g: u64,
    produced: String,
    produced_lots: u64,
    transferred_g: u64,
    transferred: String,
    exported_g: u64,
    exported: String,
    exported_lots: u64,
}

struct MonthLine {
    month: String,
    mineral: String,
    mineral_code: &'static str,
    produced_g: u64,
    produced: String,
    exported_g: u64,
    exported: String,
}

#[derive(Template)]
#[template(path = "public_dashboard.html")]
struct Dashboard {
    lang: &'static str,
    t: Tr,
    nav: Vec<Switch>,
    q: String,
    intro: String,
    origin: String,
    size: u64,
    root: String,
    vkey: String,
    verdict: &'static str,
    verdict_class: &'static str,
    verdict_text: String,
    rules: Vec<RuleRow>,
    findings_total: usize,
    review_text: String,
    review_count: usize,
    review: Vec<(String, String)>,
    review_more: usize,
    open: Vec<(String, String, String)>,
    counts_text: String,
    map: String,
    chart_country: String,
    chart_month: String,
    flows: Vec<FlowLine>,
    months: Vec<MonthLine>,
    /// Said when the table and chart hold only the latest months.
    months_window: Option<String>,
    latest: Vec<(String, String, String, String)>,
}

fn country_name(code: Option<&str>, lang: Lang) -> String {
    match code {
        None => tr(lang, "pages-country-several", &[]),
        Some(c) => {
            let id = format!("pages-country-{}", c.to_ascii_lowercase());
            let name = tr(lang, &id, &[]);
            if name == id { c.to_string() } else { name }
        }
    }
}

fn site_points(sites: &[SiteRow], lang: Lang) -> Vec<MapPoint> {
    sites
        .iter()
        .map(|s| MapPoint {
            lon: s.lon_e6 as f64 / 1e6,
            lat: s.lat_e6 as f64 / 1e6,
            status: s.status,
            href: format!("/sites/{}?lang={}", seg(s.id.as_str()), lang.code()),
            label: format!("{} ({}): {}", s.name, s.id, status_word(s.status, lang)),
        })
        .collect()
}

fn render_dashboard(s: &AppState, lang: Lang) -> Result<String, String> {
    let sum = summary(s)?;
    let l = &s.ledger;
    let cp = l.checkpoint();
    let (verdict, verdict_class, verdict_text) = match sum.verdict {
        Verdict::Verified => (
            "verified",
            "ok",
            tr(lang, "pages-log-verdict-verified", &[]),
        ),
        Verdict::Findings => (
            "findings",
            "review",
            tr(lang, "pages-log-verdict-findings", &[]),
        ),
        Verdict::Unverifiable => (
            "unverifiable",
            "bad",
            tr(lang, "pages-log-verdict-unverifiable", &[]),
        ),
    };
    let rules: Vec<RuleRow> = sum
        .rules
        .iter()
        .map(|r| RuleRow {
            rule: r.rule,
            family: r.family,
            severity: severity_class(r.worst),
            severity_text: severity_word(r.worst, lang),
            count: r.count,
        })
        .collect();
    let findings_total = sum.rules.iter().map(|r| r.count).sum();
    let shown = 30;
    let review = sum
        .under_review
        .iter()
        .take(shown)
        .map(|lot| {
            (
                format!("/lots/{}?lang={}", seg(lot), lang.code()),
                lot.clone(),
            )
        })
        .collect();
    let n_review = sum.under_review.len().to_string();
    let open = sum
        .open
        .iter()
        .map(|c| {
            (
                format!("/cases/{}", c.case),
                c.case.chars().take(16).collect::<String>(),
                ledger_core::i18n::message(
                    lang,
                    "pages-case-lots",
                    &[("n", (c.lots as u64).into())],
                ),
            )
        })
        .collect();
    let reg = &sum.reports.registry;
    let counts_text = tr(
        lang,
        "pages-counts",
        &[
            ("sites", &reg.sites.len().to_string()),
            ("actors", &reg.actors.len().to_string()),
            ("lots", &sum.lots.to_string()),
        ],
    );
    let map = map_svg(
        &site_points(&reg.sites, lang),
        false,
        &tr(lang, "pages-map-title", &[]),
        lang,
    );
    let flows: Vec<FlowLine> = sum
        .by_country
        .iter()
        .map(|((c, m), f)| FlowLine {
            country: country_name(c.as_deref(), lang),
            country_code: c.clone().unwrap_or_default(),
            mineral: mineral_name(*m, lang),
            mineral_code: m.code(),
            produced_g: f.produced_g,
            produced: kg(f.produced_g),
            produced_lots: f.produced_lots,
            transferred_g: f.transferred_g,
            transferred: kg(f.transferred_g),
            exported_g: f.exported_g,
            exported: kg(f.exported_g),
            exported_lots: f.exported_lots,
        })
        .collect();
    let country_rows: Vec<(String, u64)> = flows
        .iter()
        .filter(|f| f.produced_g > 0)
        .map(|f| (format!("{} · {}", f.country, f.mineral), f.produced_g))
        .collect();
    let chart_country = bars_svg(
        "chart-country-title",
        &tr(lang, "pages-chart-country", &[]),
        &country_rows,
    );
    let mut per_month: BTreeMap<&str, u64> = BTreeMap::new();
    for ((m, _), f) in &sum.by_month {
        let e = per_month.entry(m.as_str()).or_default();
        *e = e.saturating_add(f.produced_g);
    }
    // The latest MONTHS_SHOWN months; the CSV under the table has them all.
    let first_shown = per_month
        .keys()
        .rev()
        .nth(MONTHS_SHOWN - 1)
        .map(|m| (*m).to_string());
    let in_window = |m: &str| first_shown.as_deref().is_none_or(|f| m >= f);
    let months_window = first_shown.as_ref().map(|_| {
        tr(
            lang,
            "pages-months-window",
            &[
                ("shown", &MONTHS_SHOWN.to_string()),
                ("total", &per_month.len().to_string()),
            ],
        )
    });
    let month_rows: Vec<(String, u64)> = per_month
        .iter()
        .filter(|(m, _)| in_window(m))
        .map(|(m, g)| ((*m).to_string(), *g))
        .collect();
    let chart_month = months_svg(
        "chart-month-title",
        &tr(lang, "pages-chart-month", &[]),
        &month_rows,
        None,
    );
    let months = sum
        .by_month
        .iter()
        .filter(|((month, _), _)| in_window(month))
        .map(|((month, m), f)| MonthLine {
            month: month.clone(),
            mineral: mineral_name(*m, lang),
            mineral_code: m.code(),
            produced_g: f.produced_g,
            produced: kg(f.produced_g),
            exported_g: f.exported_g,
            exported: kg(f.exported_g),
        })
        .collect();
    // The latest lots, as the home page showed them.
    let mut latest = Vec::new();
    for (i, id) in l.store().lots_page(None, 10).map_err(|e| e.to_string())? {
        if i >= cp.size {
            continue;
        }
        if let Some(lot) = l.store().lot(&id).map_err(|e| e.to_string())? {
            latest.push((
                format!("/lots/{}?lang={}", seg(&id), lang.code()),
                id.to_string(),
                mineral_name(lot.mineral, lang),
                kg(lot.mass.0),
            ));
        }
    }
    let page = Dashboard {
        lang: lang.code(),
        t: Tr(lang),
        nav: switch("/", &[], lang),
        q: String::new(),
        intro: tr(lang, "pages-dash-intro", &[("size", &sum.size.to_string())]),
        origin: l.origin.to_string(),
        size: sum.size,
        root: cp.root.to_base64(),
        vkey: l.note_key.vkey(),
        verdict,
        verdict_class,
        verdict_text,
        rules,
        findings_total,
        review_text: tr(lang, "pages-under-review-count", &[("n", &n_review)]),
        review_count: sum.under_review.len(),
        review,
        review_more: sum.under_review.len().saturating_sub(shown),
        open,
        counts_text,
        map,
        chart_country,
        chart_month,
        flows,
        months,
        months_window,
        latest,
    };
    page.render().map_err(|e| e.to_string())
}

/// `GET /`: the dashboard.
pub async fn dashboard(State(s): State<AppState>, uri: Uri, headers: HeaderMap) -> Response {
    let q = query_pairs(&uri);
    let lang = pick(param(&q, "lang"), &headers);
    match blocking("dashboard", move || render_dashboard(&s, lang)).await {
        Ok(b) => html(StatusCode::OK, b),
        Err(r) => r,
    }
}

// --- Search.

/// Longest query searched; longer ones are cut (and the page says so).
pub const MAX_QUERY: usize = 200;
/// Most results of one kind.
const MAX_RESULTS: usize = 20;

struct Hit {
    kind: String,
    href: String,
    id: String,
    text: String,
}

#[derive(Template)]
#[template(path = "public_search.html")]
struct SearchPage {
    lang: &'static str,
    t: Tr,
    nav: Vec<Switch>,
    q: String,
    heading: String,
    notes: Vec<String>,
    hits: Vec<Hit>,
}

fn search_hits(s: &AppState, q: &str, lang: Lang) -> Result<Vec<Hit>, String> {
    let store = s.ledger.store();
    let size = s.ledger.checkpoint().size;
    let mut hits = Vec::new();
    let kind = |k: &str| tr(lang, k, &[]);
    let l = lang.code();
    // Exact ids first: they are index lookups. Record keys are at most 120
    // bytes (`spec/storage.md`), so longer text cannot be an id.
    if q.len() <= 120 && !q.contains(['/', '\0']) {
        if let Some(lot) = store.lot(q).map_err(|e| e.to_string())?
            && lot.created < size
        {
            hits.push(Hit {
                kind: kind("pages-kind-lot"),
                href: format!("/lots/{}?lang={l}", seg(q)),
                id: q.to_string(),
                text: format!("{} · {}", mineral_name(lot.mineral, lang), kg(lot.mass.0)),
            });
        }
        if let Some(lot) = store.tag_lot(q).map_err(|e| e.to_string())? {
            hits.push(Hit {
                kind: kind("pages-kind-tag"),
                href: format!("/t/{}?lang={l}", seg(q)),
                id: q.to_string(),
                text: tr(lang, "pages-tag-on", &[("lot", lot.as_str())]),
            });
        }
    }
    let sum = summary(s)?;
    let needle = q.to_lowercase();
    let reg = &sum.reports.registry;
    for site in reg
        .sites
        .iter()
        .filter(|r| {
            r.id.as_str().to_lowercase().contains(&needle)
                || r.name.as_str().to_lowercase().contains(&needle)
        })
        .take(MAX_RESULTS)
    {
        hits.push(Hit {
            kind: kind("pages-kind-site"),
            href: format!("/sites/{}?lang={l}", seg(site.id.as_str())),
            id: site.id.to_string(),
            text: format!("{} · {}", site.name, status_word(site.status, lang)),
        });
    }
    for a in reg
        .actors
        .iter()
        .filter(|r| {
            r.id.as_str().to_lowercase().contains(&needle)
                || r.name.as_str().to_lowercase().contains(&needle)
        })
        .take(MAX_RESULTS)
    {
        hits.push(Hit {
            kind: kind("pages-kind-actor"),
            href: format!("/actors/{}?lang={l}", seg(a.id.as_str())),
            id: a.id.to_string(),
            text: format!("{} · {}", a.name, a.country),
        });
    }
    // Cases by id or by a prefix of it (at least 4 hex digits).
    if needle.len() >= 4 && needle.len() <= 64 && needle.bytes().all(|b| b.is_ascii_hexdigit()) {
        for c in sum
            .cases
            .iter()
            .filter(|c| c.starts_with(&needle))
            .take(MAX_RESULTS)
        {
            let status = c
                .parse::<Hash>()
                .ok()
                .and_then(|h| store.case(&h).ok().flatten())
                .map(|cs| case_word(cs.status, lang))
                .unwrap_or_default();
            hits.push(Hit {
                kind: kind("pages-kind-case"),
                href: format!("/cases/{c}"),
                id: c.clone(),
                text: status,
            });
        }
    }
    Ok(hits)
}

fn render_search(s: &AppState, raw: &str, lang: Lang) -> Result<String, String> {
    let trimmed = raw.trim();
    let mut notes = Vec::new();
    let q: String = if trimmed.chars().count() > MAX_QUERY {
        notes.push(tr(
            lang,
            "pages-search-too-long",
            &[("n", &MAX_QUERY.to_string())],
        ));
        trimmed.chars().take(MAX_QUERY).collect()
    } else {
        trimmed.to_string()
    };
    let hits = if q.is_empty() {
        notes.push(tr(lang, "pages-search-empty", &[]));
        Vec::new()
    } else {
        let hits = search_hits(s, &q, lang)?;
        if hits.is_empty() {
            notes.push(tr(lang, "pages-search-none", &[("q", &q)]));
        }
        hits
    };
    let page = SearchPage {
        lang: lang.code(),
        t: Tr(lang),
        nav: switch("/search", &[("q", &q)], lang),
        heading: if q.is_empty() {
            tr(lang, "pages-search-title", &[])
        } else {
            tr(lang, "pages-search-results", &[("q", &q)])
        },
        q,
        notes,
        hits,
    };
    page.render().map_err(|e| e.to_string())
}

/// `GET /search?q=`: lots, tags, sites, actors and cases matching `q`.
pub async fn search(State(s): State<AppState>, uri: Uri, headers: HeaderMap) -> Response {
    let q = query_pairs(&uri);
    let lang = pick(param(&q, "lang"), &headers);
    let text = param(&q, "q").unwrap_or("").to_string();
    match blocking("search", move || render_search(&s, &text, lang)).await {
        Ok(b) => html(StatusCode::OK, b),
        Err(r) => r,
    }
}

// --- A mine site.

struct HistoryRow {
    index: u64,
    date: String,
    what: String,
    status: Option<(&'static str, String)>,
}

struct Inspection {
    id: String,
    date: String,
    result: (&'static str, String),
    summary: String,
}

struct CaseRow {
    href: String,
    case: String,
    date: String,
    category: String,
    status: String,
}

#[derive(Template)]
#[template(path = "public_site.html")]
struct SitePage {
    lang: &'static str,
    t: Tr,
    nav: Vec<Switch>,
    q: String,
    id: String,
    id_seg: String,
    name: String,
    country: String,
    status: u8,
    status_class: &'static str,
    status_text: String,
    status_since: String,
    activity: String,
    minerals: String,
    capacity: String,
    operators: Vec<(String, String)>,
    location: String,
    last_inspection: String,
    produced_year: String,
    capacity_year: String,
    use_text: String,
    history: Vec<HistoryRow>,
    inspections: Vec<Inspection>,
    chart: String,
    months: Vec<(String, String, String)>,
    cases: Vec<CaseRow>,
    map: String,
}

fn activity_word(a: u8, lang: Lang) -> String {
    tr(
        lang,
        match a {
            0 => "pages-activity-abandoned",
            1 => "pages-activity-active",
            _ => "pages-activity-inactive",
        },
        &[],
    )
}

fn category_word(c: &ledger_core::event::Category, lang: Lang) -> String {
    let v = serde_json::to_value(c).ok();
    let name = v.as_ref().and_then(|v| v.as_str()).unwrap_or("other");
    let id = format!("pages-category-{name}");
    let word = tr(lang, &id, &[]);
    // A category added to `spec/events.md` after these catalogs is shown
    // by its id rather than as a message id.
    if word == id { name.to_string() } else { word }
}

fn incident_rows(ledger: &Ledger, r: &Ref, lang: Lang) -> Result<Vec<CaseRow>, String> {
    let store = ledger.store();
    let mut out = Vec::new();
    for index in ledger.history(r).map_err(|e| e.to_string())? {
        let Some(bytes) = ledger.leaf(index).map_err(|e| e.to_string())? else {
            continue;
        };
        let (leaf, ev) = decode_entry(&bytes)?;
        if let Body::IncidentReport(b) = &ev.body {
            let h = ledger_core::event::event_hash(&leaf.event);
            let status = store
                .case(&h)
                .map_err(|e| e.to_string())?
                .map(|c| case_word(c.status, lang))
                .unwrap_or_default();
            let hex = h.to_hex();
            out.push(CaseRow {
                href: format!("/cases/{hex}"),
                case: hex.chars().take(16).collect(),
                date: ledger_core::time::date(ev.time.0),
                category: category_word(&b.category, lang),
                status,
            });
        }
    }
    Ok(out)
}

fn render_site(s: &AppState, id: &str, lang: Lang) -> Result<Option<String>, String> {
    let ledger = &s.ledger;
    let store = ledger.store();
    if id.len() > 120 {
        return Ok(None);
    }
    let Some(state) = store.site(id).map_err(|e| e.to_string())? else {
        return Ok(None);
    };
    if state.registered >= ledger.checkpoint().size {
        return Ok(None);
    }
    let sum = summary(s)?;
    let row = sum
        .reports
        .registry
        .sites
        .iter()
        .find(|r| r.id.as_str() == id);
    let rec = &state.record;
    let mut history = Vec::new();
    let mut inspections = Vec::new();
    for index in ledger
        .history(&Ref::Site(id.to_string()))
        .map_err(|e| e.to_string())?
    {
        let Some(bytes) = ledger.leaf(index).map_err(|e| e.to_string())? else {
            continue;
        };
        let (_, ev) = decode_entry(&bytes)?;
        let date = ledger_core::time::date(ev.time.0);
        let (what, status) = match &ev.body {
            Body::SiteRegister(_) => (
                tr(lang, "pages-ev-site-register", &[]),
                Some(CertStatusOf::Blue),
            ),
            Body::SiteUpdate(_) => (tr(lang, "pages-ev-site-update", &[]), None),
            Body::SiteInspect(b) => {
                let r = b.inspection.result.0;
                inspections.push(Inspection {
                    id: b.inspection.id.to_string(),
                    date: ledger_core::time::date(b.inspection.date.0),
                    result: (status_class(r), status_word(r, lang)),
                    summary: b
                        .inspection
                        .summary
                        .as_ref()
                        .map(ToString::to_string)
                        .unwrap_or_default(),
                });
                (
                    tr(
                        lang,
                        "pages-ev-site-inspect",
                        &[("id", b.inspection.id.as_str())],
                    ),
                    Some(CertStatusOf::Code(r)),
                )
            }
            Body::SiteStatus(b) => (
                tr(
                    lang,
                    "pages-ev-site-status",
                    &[("reason", b.reason.as_ref())],
                ),
                Some(CertStatusOf::Code(b.status.0)),
            ),
            Body::TagsAllocate(b) => (
                tr(
                    lang,
                    "pages-ev-tags",
                    &[
                        ("prefix", b.prefix.as_str()),
                        ("first", &b.first.to_string()),
                        ("last", &b.last.to_string()),
                    ],
                ),
                None,
            ),
            Body::LicenceGrant(b) => (
                tr(lang, "pages-ev-licence", &[("id", b.licence.id.as_str())]),
                None,
            ),
            _ => (ev.type_name().to_string(), None),
        };
        history.push(HistoryRow {
            index,
            date,
            what,
            status: status.map(|c| {
                let code = match c {
                    CertStatusOf::Blue => 0,
                    CertStatusOf::Code(c) => c,
                };
                (status_class(code), status_word(code, lang))
            }),
        });
    }
    // Production per month against the capacity for a 30-day month.
    let cap_month = rec
        .capacity
        .mass_g
        .0
        .saturating_mul(30)
        .checked_div(u64::from(rec.capacity.days.0));
    let mut per_month: BTreeMap<String, u64> = BTreeMap::new();
    for r in &sum.reports.flows.monthly {
        if r.site.as_ref().is_some_and(|s| s.as_str() == id)
            && let Some(m) = &r.month
        {
            let e = per_month.entry(m.clone()).or_default();
            *e = e.saturating_add(r.produced_g);
        }
    }
    let month_rows: Vec<(String, u64)> = per_month.into_iter().collect();
    let chart = months_svg(
        "chart-site-title",
        &tr(lang, "pages-production-chart", &[]),
        &month_rows,
        cap_month,
    );
    let months = month_rows
        .iter()
        .map(|(m, g)| {
            let over = cap_month.is_some_and(|c| *g > c);
            (
                m.clone(),
                kg(*g),
                if over {
                    tr(lang, "pages-over-capacity", &[])
                } else {
                    String::new()
                },
            )
        })
        .collect();
    let cases = incident_rows(ledger, &Ref::IncidentSite(id.to_string()), lang)?;
    let operators = rec
        .operators
        .iter()
        .map(|o| {
            let name = store
                .actor(o)
                .ok()
                .flatten()
                .map_or_else(|| o.to_string(), |a| format!("{} ({o})", a.profile.name));
            (
                format!("/actors/{}?lang={}", seg(o.as_str()), lang.code()),
                name,
            )
        })
        .collect();
    let lat = rec.location.lat_e6.0;
    let lon = rec.location.lon_e6.0;
    let status = state.status.0;
    let map = map_svg(
        &[MapPoint {
            lon: lon as f64 / 1e6,
            lat: lat as f64 / 1e6,
            status,
            href: format!("/sites/{}?lang={}", seg(id), lang.code()),
            label: format!("{} ({id}): {}", rec.name, status_word(status, lang)),
        }],
        false,
        &tr(lang, "pages-site-map", &[("name", rec.name.as_str())]),
        lang,
    );
    let page = SitePage {
        lang: lang.code(),
        t: Tr(lang),
        nav: switch(&format!("/sites/{}", seg(id)), &[], lang),
        q: String::new(),
        id: id.to_string(),
        id_seg: seg(id),
        name: rec.name.to_string(),
        country: country_name(Some(rec.country.as_str()), lang),
        status,
        status_class: status_class(status),
        status_text: status_word(status, lang),
        status_since: ledger_core::time::date(state.status_since.0),
        activity: activity_word(rec.activity.0, lang),
        minerals: rec
            .minerals
            .iter()
            .map(|m| mineral_name(*m, lang))
            .collect::<Vec<_>>()
            .join(", "),
        capacity: tr(
            lang,
            "pages-capacity-value",
            &[
                ("mass", &kg(rec.capacity.mass_g.0)),
                ("days", &rec.capacity.days.0.to_string()),
            ],
        ),
        operators,
        location: format!("{}, {}", micro_degrees(lat), micro_degrees(lon)),
        last_inspection: state
            .last_inspection
            .map(|m| ledger_core::time::date(m.0))
            .unwrap_or_else(|| tr(lang, "pages-never", &[])),
        produced_year: row.map(|r| kg(r.produced_year_g)).unwrap_or_default(),
        capacity_year: row.map(|r| kg(r.capacity_year_g)).unwrap_or_default(),
        use_text: row
            .and_then(|r| r.capacity_use_bp)
            .map(ledger_core::text::percent)
            .unwrap_or_default(),
        history,
        inspections,
        chart,
        months,
        cases,
        map,
    };
    page.render().map(Some).map_err(|e| e.to_string())
}

/// Degrees from millionths, exactly: `-1679000` gives `-1.679000`.
fn micro_degrees(v: i64) -> String {
    let sign = if v < 0 { "-" } else { "" };
    let a = v.unsigned_abs();
    format!("{sign}{}.{:06}", a / 1_000_000, a % 1_000_000)
}

enum CertStatusOf {
    Blue,
    Code(u8),
}

/// `GET /sites/{site}`: a mine site's page.
pub async fn site_page(
    State(s): State<AppState>,
    axum::extract::Path(id): axum::extract::Path<String>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let q = query_pairs(&uri);
    let lang = pick(param(&q, "lang"), &headers);
    let site = id.clone();
    match blocking("site", move || render_site(&s, &site, lang)).await {
        Ok(Some(b)) => html(StatusCode::OK, b),
        Ok(None) => not_found(
            lang,
            &format!("/sites/{}", seg(&id)),
            tr(lang, "pages-not-found-site", &[("id", &id)]),
        ),
        Err(r) => r,
    }
}

// --- An actor.

struct KeyRow {
    id: String,
    status: &'static str,
    status_text: String,
    added: u64,
}

struct LicenceLine {
    id: String,
    kind: String,
    site: Option<(String, String)>,
    minerals: String,
    granted: String,
    expires: String,
}

#[derive(Template)]
#[template(path = "public_actor.html")]
struct ActorPage {
    lang: &'static str,
    t: Tr,
    nav: Vec<Switch>,
    q: String,
    id: String,
    id_seg: String,
    name: String,
    country: String,
    roles: String,
    locality: String,
    licences: Vec<LicenceLine>,
    keys: Vec<KeyRow>,
    stock: Vec<(String, &'static str, String, u64)>,
    sites: Vec<(String, String, &'static str, String)>,
    cases: Vec<CaseRow>,
}

fn role_word(r: ledger_core::types::Role, lang: Lang) -> String {
    tr(lang, &format!("pages-role-{}", r.as_str()), &[])
}

fn render_actor(s: &AppState, id: &str, lang: Lang) -> Result<Option<String>, String> {
    let ledger = &s.ledger;
    let store = ledger.store();
    if id.len() > 120 {
        return Ok(None);
    }
    let Some(a) = store.actor(id).map_err(|e| e.to_string())? else {
        return Ok(None);
    };
    if a.registered >= ledger.checkpoint().size {
        return Ok(None);
    }
    let sum = summary(s)?;
    let row = sum
        .reports
        .registry
        .actors
        .iter()
        .find(|r| r.id.as_str() == id);
    let l = lang.code();
    let licences = row
        .map(|r| {
            r.licences
                .iter()
                .map(|li| LicenceLine {
                    id: li.id.to_string(),
                    kind: {
                        let v = serde_json::to_value(li.kind).ok();
                        let k = v.as_ref().and_then(|v| v.as_str()).unwrap_or("other");
                        tr(lang, &format!("pages-licence-{}", k.replace('_', "-")), &[])
                    },
                    site: li.site.as_ref().map(|s| {
                        (
                            format!("/sites/{}?lang={l}", seg(s.as_str())),
                            s.to_string(),
                        )
                    }),
                    minerals: li
                        .minerals
                        .iter()
                        .map(|m| mineral_name(*m, lang))
                        .collect::<Vec<_>>()
                        .join(", "),
                    granted: li.granted.clone(),
                    expires: li.expires.clone(),
                })
                .collect()
        })
        .unwrap_or_default();
    let mut keys = Vec::new();
    for k in &a.keys {
        if let Some(e) = store.key(k).map_err(|e| e.to_string())? {
            let (status, word) = match e.status {
                KeyStatus::Active => ("active", "pages-key-active"),
                KeyStatus::Retired { .. } => ("retired", "pages-key-retired"),
                KeyStatus::Revoked { .. } => ("revoked", "pages-key-revoked"),
            };
            keys.push(KeyRow {
                id: k.to_string(),
                status,
                status_text: tr(lang, word, &[]),
                added: e.added,
            });
        }
    }
    let stock = sum
        .stock
        .get(id)
        .map(|m| {
            m.iter()
                .map(|(min, (g, n))| (mineral_name(*min, lang), min.code(), kg(*g), *n))
                .collect()
        })
        .unwrap_or_default();
    let sites = sum
        .reports
        .registry
        .sites
        .iter()
        .filter(|r| r.operators.iter().any(|o| o.as_str() == id))
        .map(|r| {
            (
                format!("/sites/{}?lang={l}", seg(r.id.as_str())),
                format!("{} ({})", r.name, r.id),
                status_class(r.status),
                status_word(r.status, lang),
            )
        })
        .collect();
    let p = &a.profile;
    let page = ActorPage {
        lang: l,
        t: Tr(lang),
        nav: switch(&format!("/actors/{}", seg(id)), &[], lang),
        q: String::new(),
        id: id.to_string(),
        id_seg: seg(id),
        name: p.name.to_string(),
        country: country_name(Some(p.country.as_str()), lang),
        roles: p
            .roles
            .iter()
            .map(|r| role_word(*r, lang))
            .collect::<Vec<_>>()
            .join(", "),
        locality: row
            .and_then(|r| r.locality.as_ref())
            .map(ToString::to_string)
            .unwrap_or_default(),
        licences,
        keys,
        stock,
        sites,
        cases: incident_rows(ledger, &Ref::IncidentActor(id.to_string()), lang)?,
    };
    page.render().map(Some).map_err(|e| e.to_string())
}

/// `GET /actors/{actor}`: an actor's page.
pub async fn actor_page(
    State(s): State<AppState>,
    axum::extract::Path(id): axum::extract::Path<String>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let q = query_pairs(&uri);
    let lang = pick(param(&q, "lang"), &headers);
    let actor = id.clone();
    match blocking("actor", move || render_actor(&s, &actor, lang)).await {
        Ok(Some(b)) => html(StatusCode::OK, b),
        Ok(None) => not_found(
            lang,
            &format!("/actors/{}", seg(&id)),
            tr(lang, "pages-not-found-actor", &[("id", &id)]),
        ),
        Err(r) => r,
    }
}

// ---------------------------------------------------------------------------
// The OpenAPI operations of these pages (merged by `openapi::document`).

/// The public pages' part of the OpenAPI document.
#[derive(utoipa::OpenApi)]
#[openapi(paths(search_op, site_op, actor_op))]
pub struct PublicDoc;

/// Search the registry: lots and tags by id, mine sites and actors by id or
/// name, incident cases by id or prefix.
#[utoipa::path(get, path = "/search", tag = "pages",
    params(
        ("q" = Option<String>, Query, description = "what to look for; empty, odd or over-long text is answered with a page saying so"),
        ("lang" = Option<String>, Query, description = "`en`, `fr` or `sw`; anything else, or none, falls back to Accept-Language"),
    ),
    responses((status = 200, description = "HTML page", body = String, content_type = "text/html")))]
#[allow(dead_code)]
fn search_op() {}

/// A mine site's page: status history, inspections, production against
/// capacity, incidents.
#[utoipa::path(get, path = "/sites/{site}", tag = "pages",
    params(
        ("site" = String, Path, description = "ICGLR site id"),
        ("lang" = Option<String>, Query, description = "`en`, `fr` or `sw`; anything else, or none, falls back to Accept-Language"),
    ),
    responses(
        (status = 200, description = "HTML page", body = String, content_type = "text/html"),
        (status = 404, description = "HTML page: the site is not in this ledger", body = String, content_type = "text/html"),
    ))]
#[allow(dead_code)]
fn site_op() {}

/// An actor's page: roles, licences, keys and their status, stock by
/// mineral, sites operated, incidents.
#[utoipa::path(get, path = "/actors/{actor}", tag = "pages",
    params(
        ("actor" = String, Path, description = "actor id"),
        ("lang" = Option<String>, Query, description = "`en`, `fr` or `sw`; anything else, or none, falls back to Accept-Language"),
    ),
    responses(
        (status = 200, description = "HTML page", body = String, content_type = "text/html"),
        (status = 404, description = "HTML page: the actor is not in this ledger", body = String, content_type = "text/html"),
    ))]
#[allow(dead_code)]
fn actor_op() {}

// ---------------------------------------------------------------------------
// The lot page's pieces (`lotpage.rs` includes them): provenance as a DAG
// and the lot's path on the map.

/// The SVG pieces of a lot's page.
pub struct LotPieces {
    /// Provenance as a graph: every lot the lot came from, splits and
    /// merges as edges, drawn in columns from the mines to the lot.
    pub dag: String,
    /// The lot's path on the map: its sites, transports and storage places.
    pub map: String,
}

/// Draws the provenance graph and path of `lot` from the entries of its
/// provenance (`Ledger::provenance`).
///
/// # Errors
/// A storage failure or an entry that does not decode, as a sentence.
pub fn lot_pieces(ledger: &Ledger, lot: &str, lang: Lang) -> Result<LotPieces, String> {
    let store = ledger.store();
    // Edges parent -> child, in log order, and the places in order.
    let mut edges: Vec<(String, String)> = Vec::new();
    let mut lots: Vec<String> = vec![lot.to_string()];
    let mut points = Vec::new();
    let add = |l: &str, lots: &mut Vec<String>| {
        if !lots.iter().any(|x| x == l) {
            lots.push(l.to_string());
        }
    };
    for index in ledger.provenance(lot).map_err(|e| e.to_string())? {
        let Some(bytes) = ledger.leaf(index).map_err(|e| e.to_string())? else {
            continue;
        };
        let (_, ev) = decode_entry(&bytes)?;
        let mut place = |p: &ledger_core::event::Place| {
            if let (Some(la), Some(lo)) = (p.lat_e6, p.lon_e6) {
                points.push(MapPoint {
                    lon: lo.0 as f64 / 1e6,
                    lat: la.0 as f64 / 1e6,
                    status: 0,
                    href: format!("/v1/entries/{index}"),
                    label: p.name.to_string(),
                });
            }
        };
        match &ev.body {
            Body::LotRegister(b) => {
                add(b.lot.as_str(), &mut lots);
                if let Some(site) = store.site(&b.site).map_err(|e| e.to_string())? {
                    let st = site.status.0;
                    points.push(MapPoint {
                        lon: site.record.location.lon_e6.0 as f64 / 1e6,
                        lat: site.record.location.lat_e6.0 as f64 / 1e6,
                        status: st,
                        href: format!("/sites/{}?lang={}", seg(b.site.as_str()), lang.code()),
                        label: format!(
                            "{} ({}): {}",
                            site.record.name,
                            b.site,
                            status_word(st, lang)
                        ),
                    });
                }
            }
            Body::LotSplit(b) => {
                for c in &b.children {
                    add(c.lot.as_str(), &mut lots);
                    edges.push((b.lot.to_string(), c.lot.to_string()));
                }
            }
            Body::LotMerge(b) => {
                for i in &b.inputs {
                    add(i.lot.as_str(), &mut lots);
                    edges.push((i.lot.to_string(), b.lot.to_string()));
                }
            }
            Body::LotProcess(b) => {
                for i in &b.inputs {
                    add(i.lot.as_str(), &mut lots);
                    edges.push((i.lot.to_string(), b.lot.to_string()));
                }
            }
            Body::LotTransport(b) => {
                place(&b.from);
                place(&b.to);
            }
            Body::LotStore(b) => place(&b.place),
            _ => {}
        }
    }
    for (a, b) in &edges {
        add(a, &mut lots);
        add(b, &mut lots);
    }
    // Columns: a lot sits one column right of its furthest parent.
    let mut depth: HashMap<&str, usize> = lots.iter().map(|l| (l.as_str(), 0)).collect();
    for _ in 0..lots.len() {
        let mut changed = false;
        for (a, b) in &edges {
            let d = depth.get(a.as_str()).copied().unwrap_or(0) + 1;
            if depth.get(b.as_str()).is_some_and(|x| *x < d) {
                depth.insert(b.as_str(), d);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let cols = depth.values().max().copied().unwrap_or(0) + 1;
    let mut rows_in: Vec<usize> = vec![0; cols];
    let mut at: HashMap<&str, (usize, usize)> = HashMap::new();
    for l in &lots {
        let c = depth.get(l.as_str()).copied().unwrap_or(0);
        at.insert(l.as_str(), (c, rows_in[c]));
        rows_in[c] += 1;
    }
    let rows = rows_in.iter().max().copied().unwrap_or(1).max(1);
    let (bw, bh, gx, gy) = (150.0, 30.0, 40.0, 14.0);
    let width = cols as f64 * (bw + gx) - gx + 4.0;
    let height = rows as f64 * (bh + gy) - gy + 4.0;
    let xy = |l: &str| {
        let (c, r) = at.get(l).copied().unwrap_or((0, 0));
        (2.0 + c as f64 * (bw + gx), 2.0 + r as f64 * (bh + gy))
    };
    let title = tr(lang, "pages-lot-dag", &[("lot", lot)]);
    let mut o = String::new();
    let _ = write!(
        o,
        "<svg class=\"dag\" viewBox=\"0 0 {width:.0} {height:.0}\" role=\"group\" aria-labelledby=\"dag-title\"><title id=\"dag-title\">{}</title>",
        esc(&title)
    );
    for (a, b) in &edges {
        let (x1, y1) = xy(a);
        let (x2, y2) = xy(b);
        let _ = write!(
            o,
            "<path class=\"edge\" d=\"M{:.0} {:.0}C{:.0} {:.0} {:.0} {:.0} {:.0} {:.0}\"/>",
            x1 + bw,
            y1 + bh / 2.0,
            x1 + bw + gx / 2.0,
            y1 + bh / 2.0,
            x2 - gx / 2.0,
            y2 + bh / 2.0,
            x2,
            y2 + bh / 2.0
        );
    }
    for l in &lots {
        let (x, y) = xy(l);
        let shown: String = if l.chars().count() > 20 {
            l.chars().take(19).chain(std::iter::once('…')).collect()
        } else {
            l.clone()
        };
        let _ = write!(
            o,
            "<a href=\"/lots/{}?lang={}\" aria-label=\"{}\"><rect class=\"lot{}\" x=\"{x:.0}\" y=\"{y:.0}\" width=\"{bw:.0}\" height=\"{bh:.0}\" rx=\"4\"/><text class=\"lbl\" x=\"{:.0}\" y=\"{:.0}\">{}</text></a>",
            esc(&seg(l)),
            lang.code(),
            esc(l),
            if l == lot { " this" } else { "" },
            x + 6.0,
            y + 19.0,
            esc(&shown)
        );
    }
    o.push_str("</svg>");
    let map = if points.is_empty() {
        String::new()
    } else {
        map_svg(
            &points,
            true,
            &tr(lang, "pages-lot-path", &[("lot", lot)]),
            lang,
        )
    };
    Ok(LotPieces { dag: o, map })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_of_sites_are_drawn_as_clusters_and_lone_sites_keep_their_link() {
        // A grid of 4,000 sites over eastern DR Congo, and one far away.
        let mut points: Vec<MapPoint> = (0..4000)
            .map(|k| MapPoint {
                lon: 27.0 + f64::from(k % 80) * 0.05,
                lat: -4.0 + f64::from(k / 80) * 0.1,
                status: if k % 97 == 0 { 3 } else { 1 },
                href: format!("/sites/S{k}"),
                label: format!("Site {k}"),
            })
            .collect();
        points.push(MapPoint {
            lon: 33.9,
            lat: 3.5,
            status: 2,
            href: "/sites/FAR".into(),
            label: "Far away".into(),
        });
        let svg = map_svg(&points, false, "Sites", Lang::En);
        assert!(svg.contains("class=\"cluster\""), "clustered");
        assert!(
            svg.contains("href=\"/sites/FAR\""),
            "a lone site keeps its link"
        );
        assert!(
            !svg.contains("href=\"/sites/S1\""),
            "a clustered site has no marker of its own"
        );
        // A cluster holding a Red site among Green ones shows both and says so.
        assert!(svg.contains("<rect class=\"st-red\""));
        assert!(svg.contains("<circle class=\"st-green\""));
        assert!(svg.contains("Red"), "{}", &svg[..2000]);
        // Drawn one by one, the same sites would take several times the
        // room; clustered, each cell is one symbol at most.
        let drawn = svg.matches("class=\"cluster\"").count() + svg.matches("<a href=").count();
        assert!(drawn < 1000, "{drawn} symbols for 4,001 sites");
        let mut one_by_one = String::new();
        for p in &points {
            marker(&mut one_by_one, p, 1.0, 1.0);
        }
        assert!(
            svg.len() * 3 < one_by_one.len(),
            "{} vs {}",
            svg.len(),
            one_by_one.len()
        );
        // Below the threshold, every site is its own linked marker.
        let few = map_svg(&points[..300], false, "Sites", Lang::En);
        assert!(!few.contains("class=\"cluster\""));
        assert_eq!(few.matches("<a href=").count(), 300);
    }

    #[test]
    fn the_language_comes_from_the_switch_then_the_browser() {
        let mut h = HeaderMap::new();
        assert_eq!(pick(None, &h), Lang::En);
        h.insert(
            axum::http::header::ACCEPT_LANGUAGE,
            "de;q=1, sw-KE;q=0.5, fr;q=0.8".parse().unwrap(),
        );
        assert_eq!(pick(None, &h), Lang::Fr);
        assert_eq!(pick(Some("sw"), &h), Lang::Sw);
        assert_eq!(pick(Some("xx"), &h), Lang::Fr);
    }

    #[test]
    fn odd_query_strings_are_read_not_refused() {
        let uri: Uri = "/search?q=%3Cb%3E+x%ZZ%FF&lang=fr".parse().unwrap();
        let q = query_pairs(&uri);
        assert_eq!(param(&q, "q"), Some("<b> x%ZZ\u{fffd}"));
        assert_eq!(param(&q, "lang"), Some("fr"));
        let uri: Uri = "/search?q=%".parse().unwrap();
        assert_eq!(param(&query_pairs(&uri), "q"), Some("%"));
    }

    #[test]
    fn the_map_draws_each_status_with_its_own_shape_and_escapes_labels() {
        let p = |status, label: &str| MapPoint {
            lon: 29.0,
            lat: -1.5,
            status,
            href: "/sites/x".into(),
            label: label.into(),
        };
        let svg = map_svg(
            &[p(1, "<a>"), p(2, "b"), p(3, "c"), p(0, "d")],
            false,
            "T",
            Lang::En,
        );
        assert!(svg.contains("<circle class=\"st-green\""));
        assert!(svg.contains("<path class=\"st-yellow\""));
        assert!(svg.contains("<rect class=\"st-red\""));
        assert!(svg.contains("<path class=\"st-blue\""));
        assert!(svg.contains("aria-label=\"&lt;a&gt;\""));
        assert!(!svg.contains("<a>"));
        // Every country of the region is drawn.
        for name in [
            "Rwanda",
            "Burundi",
            "Uganda",
            "Democratic Republic of the Congo",
        ] {
            assert!(svg.contains(name), "{name}");
        }
    }

    #[test]
    fn charts_scale_bars_to_the_largest_and_mark_months_over_the_limit() {
        let svg = bars_svg(
            "x",
            "T",
            &[("a".into(), 2_000_000), ("b".into(), 1_000_000)],
        );
        assert!(svg.contains("width=\"300.0\""), "{svg}");
        assert!(svg.contains("width=\"150.0\""), "{svg}");
        assert!(svg.contains("2.0 t") && svg.contains("1.0 t"));
        assert_eq!(short_mass(150_000), "150.0 kg");
        let m = months_svg(
            "m",
            "T",
            &[("2026-01".into(), 10), ("2026-02".into(), 30)],
            Some(20),
        );
        assert_eq!(m.matches("class=\"bar over\"").count(), 1, "{m}");
        assert!(m.contains("class=\"limit\""));
    }
}
