//! Reports computed in one pass over the log (`spec/exports.md` section 5):
//! tax monitoring (EITI, tool 5), public flow aggregates (the regional
//! database on mineral flows, tool 3) and the registry as a map (actors and
//! sites). Every figure is an integer (grams, minor currency units, basis
//! points), every list is sorted, so the same log gives the same bytes in
//! JSON, CSV and GeoJSON wherever it is computed.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use serde_json::{Value, json};

use crate::event::{Body, LicenceType};
use crate::hash::Hash;
use crate::time;
use crate::types::*;

use super::Csv;
use super::Entry;
use super::book::{LotBook, Origin, RegistryBook};
use super::units::{currency_exponent, decimal_text, degrees};

/// What a report needs besides the log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    /// The calendar year of the registry's "production this year".
    pub year: i64,
}

/// Why a report could not be computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReportError {
    /// A sum of masses or amounts does not fit in 64 bits.
    #[error("entry {index}: a total exceeds 2^64-1")]
    Overflow {
        /// Log index of the entry whose figure overflowed a total.
        index: u64,
    },
    /// A total over all months does not fit in 64 bits.
    #[error("a total over all months exceeds 2^64-1")]
    TotalOverflow,
}

/// The key of the flow and tax-period tables: `month` is `YYYY * 100 + MM`,
/// `site` an index into `Sites`. Small and copied, because every counted
/// entry looks one up.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct FlowKey {
    month: u32,
    country: Option<[u8; 2]>,
    site: Option<u32>,
    mineral: Mineral,
}

/// Site ids, each stored once.
#[derive(Clone, Debug, Default)]
struct Sites {
    names: Vec<SiteId>,
    index: HashMap<SiteId, u32>,
}

impl Sites {
    fn intern(&mut self, s: &SiteId) -> u32 {
        if let Some(i) = self.index.get(s.as_str()) {
            return *i;
        }
        let i = u32::try_from(self.names.len()).unwrap_or(u32::MAX);
        self.names.push(s.clone());
        self.index.insert(s.clone(), i);
        i
    }

    fn name(&self, i: Option<u32>) -> Option<&SiteId> {
        i.and_then(|i| self.names.get(i as usize))
    }

    /// The report's order of keys: month, country, site id, mineral.
    fn order(&self, a: &FlowKey, b: &FlowKey) -> std::cmp::Ordering {
        (a.month, a.country, self.name(a.site), a.mineral).cmp(&(
            b.month,
            b.country,
            self.name(b.site),
            b.mineral,
        ))
    }
}

fn country_of(c: Option<[u8; 2]>) -> Option<Country> {
    c.and_then(|b| Country::new(String::from_utf8_lossy(&b).into_owned()).ok())
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Flow {
    produced_g: u64,
    produced_lots: u64,
    transferred_g: u64,
    transfers: u64,
    exported_g: u64,
    exported_lots: u64,
    taxes: BTreeMap<Currency, u64>,
    payments: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct TaxKey {
    month: u32,
    country: Option<Country>,
    site: Option<SiteId>,
    actor: Id,
    mineral: Mineral,
    authority: Text,
    kind: Text,
    currency: Currency,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FigKind {
    Produced,
    Transferred,
    Exported,
}

/// A figure event counted in a flow, kept so that a later correction can
/// move the total.
#[derive(Clone, Copy, Debug)]
struct FigRef {
    kind: FigKind,
    time: u64,
    mass: u64,
}

/// Folds entries, in log order, into all three reports.
#[derive(Clone, Debug)]
pub struct Builder {
    opts: Options,
    reg: RegistryBook,
    lots: LotBook,
    sites: Sites,
    flows: HashMap<FlowKey, Flow>,
    taxes: BTreeMap<TaxKey, (u64, u64)>,
    figures: HashMap<Hash, FigRef>,
    untaxed: Vec<UntaxedExport>,
}

fn add(a: &mut u64, b: u64, index: u64) -> Result<(), ReportError> {
    *a = a.checked_add(b).ok_or(ReportError::Overflow { index })?;
    Ok(())
}

fn sub(a: &mut u64, b: u64, index: u64) -> Result<(), ReportError> {
    *a = a.checked_sub(b).ok_or(ReportError::Overflow { index })?;
    Ok(())
}

impl Builder {
    /// A builder that has read nothing yet.
    pub fn new(opts: Options) -> Builder {
        Builder {
            opts,
            reg: RegistryBook::default(),
            lots: LotBook::default(),
            sites: Sites::default(),
            flows: HashMap::new(),
            taxes: BTreeMap::new(),
            figures: HashMap::new(),
            untaxed: Vec::new(),
        }
    }

    fn key(&mut self, lot: &Id, t: u64) -> Option<FlowKey> {
        let l = self.lots.get(lot)?;
        let country = match &l.origin {
            Origin::Site(s) => s.as_bytes()[..2].try_into().ok(),
            Origin::Country(c) => c.as_bytes().try_into().ok(),
            Origin::Mixed => None,
        };
        Some(FlowKey {
            month: month_number(t),
            country,
            site: l.origin.site().map(|s| self.sites.intern(s)),
            mineral: l.mineral,
        })
    }

    fn count(&mut self, lot: &Id, e: &Entry, kind: FigKind, mass: u64) -> Result<(), ReportError> {
        let t = e.event.time.0;
        let Some(key) = self.key(lot, t) else {
            return Ok(());
        };
        let f = self.flows.entry(key).or_default();
        let i = e.index;
        match kind {
            FigKind::Produced => {
                add(&mut f.produced_g, mass, i)?;
                add(&mut f.produced_lots, 1, i)?;
            }
            FigKind::Transferred => {
                add(&mut f.transferred_g, mass, i)?;
                add(&mut f.transfers, 1, i)?;
            }
            FigKind::Exported => {
                add(&mut f.exported_g, mass, i)?;
                add(&mut f.exported_lots, 1, i)?;
            }
        }
        self.figures.insert(
            e.event_hash,
            FigRef {
                kind,
                time: t,
                mass,
            },
        );
        Ok(())
    }

    /// Whether the reports read events of this type: the others (offers,
    /// refusals, transports, storage, incidents...) can be skipped with
    /// `EntryReader::read_if`, which saves most of their decoding.
    pub fn wants(event_type: &str) -> bool {
        !matches!(
            event_type,
            "lot.offer"
                | "lot.refuse"
                | "lot.transport"
                | "lot.store"
                | "incident.report"
                | "incident.status"
                | "cert.request"
                | "cert.issue"
                | "tags.allocate"
                | "key.revoke"
        )
    }

    /// Folds in the next entry.
    ///
    /// # Errors
    /// `ReportError::Overflow` if a total no longer fits; the builder should
    /// then be dropped.
    pub fn entry(&mut self, e: &Entry) -> Result<(), ReportError> {
        let i = e.index;
        // Effects that need the lot as it is after this entry (a new lot's
        // origin) are counted after applying; the others before.
        match &e.event.body {
            Body::LotTax(b) => {
                if let (Some(key), Some(actor)) = (self.key(&b.lot, b.tax.paid.0), e.actor()) {
                    let t = &b.tax;
                    let tk = TaxKey {
                        month: key.month,
                        country: country_of(key.country),
                        site: self.sites.name(key.site).cloned(),
                        actor: actor.clone(),
                        mineral: key.mineral,
                        authority: t.authority.clone(),
                        kind: t.kind.clone(),
                        currency: t.currency.clone(),
                    };
                    let line = self.taxes.entry(tk).or_default();
                    add(&mut line.0, t.amount.0, i)?;
                    add(&mut line.1, 1, i)?;
                    let f = self.flows.entry(key).or_default();
                    add(
                        f.taxes.entry(t.currency.clone()).or_default(),
                        t.amount.0,
                        i,
                    )?;
                    add(&mut f.payments, 1, i)?;
                }
            }
            Body::LotExport(b) => {
                if let Some(l) = self.lots.get(&b.lot)
                    && !l.chain_taxed
                {
                    self.untaxed.push(UntaxedExport {
                        lot: b.lot.clone(),
                        index: i,
                        date: time::date(e.event.time.0),
                        exporter: e.actor().cloned(),
                        cert: b.cert.clone(),
                        mineral: l.mineral,
                        mass_g: b.mass_g.0,
                        destination: b.destination.clone(),
                        country: l.origin.country(),
                        site: l.origin.site().cloned(),
                    });
                }
                self.count(&b.lot, e, FigKind::Exported, b.mass_g.0)?;
            }
            Body::LotAccept(b) => self.count(&b.lot, e, FigKind::Transferred, b.mass_g.0)?,
            Body::LotCorrect(b) => {
                if let (Some(m), Some(fig)) = (b.mass_g, self.figures.get(&b.corrects).copied())
                    && let Some(key) = self.key(&b.lot, fig.time)
                {
                    let f = self.flows.entry(key).or_default();
                    let total = match fig.kind {
                        FigKind::Produced => &mut f.produced_g,
                        FigKind::Transferred => &mut f.transferred_g,
                        FigKind::Exported => &mut f.exported_g,
                    };
                    sub(total, fig.mass, i)?;
                    add(total, m.0, i)?;
                    self.figures.insert(b.corrects, FigRef { mass: m.0, ..fig });
                }
            }
            _ => {}
        }
        self.reg.apply(e);
        self.lots.apply(e);
        if let Body::LotRegister(b) = &e.event.body {
            self.count(&b.lot, e, FigKind::Produced, b.mass_g.0)?;
        }
        Ok(())
    }

    /// The three reports.
    ///
    /// # Errors
    /// `ReportError::Overflow` if a yearly total does not fit.
    pub fn finish(mut self) -> Result<Reports, ReportError> {
        let registry = self.registry()?;
        // The tables are moved out of the builder as the rows are made, so
        // the builder's maps and the report are not both held whole.
        let lines = std::mem::take(&mut self.taxes)
            .into_iter()
            .map(|(k, (amount, n))| TaxLine {
                month: month_text(k.month),
                amount: money(amount, &k.currency),
                country: k.country,
                site: k.site,
                actor: k.actor,
                mineral: k.mineral,
                authority: k.authority,
                tax_type: k.kind,
                currency: k.currency,
                amount_minor: amount,
                payments: n,
            })
            .collect();
        let mut cells: Vec<(FlowKey, Flow)> = std::mem::take(&mut self.flows).into_iter().collect();
        cells.sort_unstable_by(|a, b| self.sites.order(&a.0, &b.0));
        let mut periods = Vec::with_capacity(cells.len());
        let mut monthly = Vec::with_capacity(cells.len());
        let mut totals: HashMap<FlowKey, Flow> = HashMap::new();
        for (k, f) in cells {
            let t = totals.entry(FlowKey { month: 0, ..k }).or_default();
            for (a, b) in [
                (&mut t.produced_g, f.produced_g),
                (&mut t.produced_lots, f.produced_lots),
                (&mut t.transferred_g, f.transferred_g),
                (&mut t.transfers, f.transfers),
                (&mut t.exported_g, f.exported_g),
                (&mut t.exported_lots, f.exported_lots),
            ] {
                *a = a.checked_add(b).ok_or(ReportError::TotalOverflow)?;
            }
            let month = month_text(k.month);
            monthly.push(self.flow_row(Some(month.clone()), &k, &f));
            periods.push(TaxPeriod {
                month,
                country: country_of(k.country),
                site: self.sites.name(k.site).cloned(),
                mineral: k.mineral,
                produced_g: f.produced_g,
                exported_g: f.exported_g,
                payments: f.payments,
                taxes: f
                    .taxes
                    .into_iter()
                    .map(|(c, a)| Amount {
                        amount: money(a, &c),
                        currency: c,
                        amount_minor: a,
                    })
                    .collect(),
            });
        }
        let mut totals: Vec<(FlowKey, Flow)> = totals.into_iter().collect();
        totals.sort_unstable_by(|a, b| self.sites.order(&a.0, &b.0));
        let totals = totals
            .iter()
            .map(|(k, f)| self.flow_row(None, k, f))
            .collect();
        let mut untaxed = std::mem::take(&mut self.untaxed);
        untaxed.sort_by_key(|u| u.index);
        Ok(Reports {
            tax: TaxReport {
                lines,
                periods,
                untaxed_exports: untaxed,
            },
            flows: FlowReport { monthly, totals },
            registry,
        })
    }

    fn registry(&self) -> Result<Registry, ReportError> {
        let year = self.opts.year;
        let mut produced: BTreeMap<&SiteId, u64> = BTreeMap::new();
        for (k, f) in &self.flows {
            if let Some(s) = self.sites.name(k.site)
                && i64::from(k.month / 100) == year
            {
                let p = produced.entry(s).or_default();
                *p = p
                    .checked_add(f.produced_g)
                    .ok_or(ReportError::TotalOverflow)?;
            }
        }
        let days_in_year: u128 =
            if time::days_from_civil(year + 1, 1, 1) - time::days_from_civil(year, 1, 1) == 366 {
                366
            } else {
                365
            };
        let actors = self
            .reg
            .actors
            .values()
            .map(|a| {
                let p = &a.profile;
                let mut coc: Vec<u8> = p.roles.iter().map(|r| r.mdc05()).collect();
                coc.sort_unstable();
                coc.dedup();
                ActorRow {
                    id: p.id.clone(),
                    name: p.name.clone(),
                    country: p.country.clone(),
                    roles: p.roles.clone(),
                    coc_roles: coc,
                    locality: p.address.as_ref().map(|x| x.locality.clone()),
                    licences: self
                        .reg
                        .licences
                        .values()
                        .filter(|l| l.holder == p.id)
                        .map(|l| LicenceRow {
                            id: l.id.clone(),
                            kind: l.kind,
                            site: l.site.clone(),
                            minerals: l.minerals.clone(),
                            granted: time::date(l.granted.0),
                            expires: time::date(l.expires.0),
                        })
                        .collect(),
                }
            })
            .collect();
        let sites = self
            .reg
            .sites
            .values()
            .map(|s| {
                let r = &s.record;
                let cap =
                    u128::from(r.capacity.mass_g.0) * days_in_year / u128::from(r.capacity.days.0);
                let cap = u64::try_from(cap).unwrap_or(u64::MAX);
                let made = produced.get(&r.id).copied().unwrap_or(0);
                SiteRow {
                    id: r.id.clone(),
                    name: r.name.clone(),
                    country: r.country.clone(),
                    status: s.status,
                    status_name: CertStatus(s.status).name(),
                    status_since: time::date(s.status_since),
                    activity: r.activity.0,
                    minerals: r.minerals.clone(),
                    last_inspection: s.last_inspection.map(time::date),
                    capacity_g: r.capacity.mass_g.0,
                    capacity_days: r.capacity.days.0,
                    capacity_year_g: cap,
                    produced_year_g: made,
                    capacity_use_bp: (cap > 0)
                        .then(|| u64::try_from(u128::from(made) * 10_000 / u128::from(cap)))
                        .and_then(Result::ok),
                    lat_e6: r.location.lat_e6.0,
                    lon_e6: r.location.lon_e6.0,
                    region: r.location.region.clone(),
                    locality: r.location.locality.clone(),
                    operators: r.operators.clone(),
                }
            })
            .collect();
        Ok(Registry {
            year,
            actors,
            sites,
        })
    }
}

impl Builder {
    fn flow_row(&self, month: Option<String>, k: &FlowKey, f: &Flow) -> FlowRow {
        FlowRow {
            month,
            country: country_of(k.country),
            site: self.sites.name(k.site).cloned(),
            mineral: k.mineral,
            produced_g: f.produced_g,
            produced_lots: f.produced_lots,
            transferred_g: f.transferred_g,
            transfers: f.transfers,
            exported_g: f.exported_g,
            exported_lots: f.exported_lots,
        }
    }
}

/// Computes all three reports from entries in log order.
///
/// # Errors
/// `ReportError::Overflow` if a total does not fit in 64 bits.
pub fn reports<'a>(
    opts: Options,
    entries: impl IntoIterator<Item = &'a Entry>,
) -> Result<Reports, ReportError> {
    let mut b = Builder::new(opts);
    for e in entries {
        b.entry(e)?;
    }
    b.finish()
}

/// `YYYY * 100 + MM` of ms since the epoch.
fn month_number(ms: u64) -> u32 {
    let (y, m, _) = time::civil_from_days((ms / 86_400_000) as i64);
    u32::try_from(y).unwrap_or(0) * 100 + m
}

fn month_text(n: u32) -> String {
    format!("{:04}-{:02}", n / 100, n % 100)
}

fn money(minor: u64, currency: &Currency) -> String {
    decimal_text(i128::from(minor), currency_exponent(currency.as_str()))
}

/// The three reports of one log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Reports {
    /// Tax monitoring.
    pub tax: TaxReport,
    /// Public flow aggregates.
    pub flows: FlowReport,
    /// The registry as a map.
    pub registry: Registry,
}

/// Tax monitoring (`spec/exports.md` 5.1).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TaxReport {
    /// Payments summed per month, origin, payer, mineral, authority, tax type and currency.
    pub lines: Vec<TaxLine>,
    /// Per month, origin and mineral: mass produced and exported set against taxes paid.
    pub periods: Vec<TaxPeriod>,
    /// Exports with no tax recorded on the lot or any ancestor, in log order.
    pub untaxed_exports: Vec<UntaxedExport>,
}

/// One line of the tax table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TaxLine {
    /// `YYYY-MM` of the payment date.
    pub month: String,
    /// Country of origin of the taxed lot (none for a lot from several countries).
    pub country: Option<Country>,
    /// Site of origin (none for a lot from several sites).
    pub site: Option<SiteId>,
    /// The payer: the custodian who recorded the payment.
    pub actor: Id,
    /// Mineral.
    pub mineral: Mineral,
    /// The collecting authority, as written in the payment.
    pub authority: Text,
    /// Tax, fee or royalty, as written in the payment.
    pub tax_type: Text,
    /// Currency.
    pub currency: Currency,
    /// Sum in minor units.
    pub amount_minor: u64,
    /// Sum as an exact decimal in the currency's unit.
    pub amount: String,
    /// Number of payments.
    pub payments: u64,
}

/// An amount in one currency.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Amount {
    /// Currency.
    pub currency: Currency,
    /// Minor units.
    pub amount_minor: u64,
    /// Exact decimal in the currency's unit.
    pub amount: String,
}

/// Mass against taxes for one month, origin and mineral.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TaxPeriod {
    /// `YYYY-MM`.
    pub month: String,
    /// Country of origin.
    pub country: Option<Country>,
    /// Site of origin.
    pub site: Option<SiteId>,
    /// Mineral.
    pub mineral: Mineral,
    /// Grams registered at the mines this month (as corrected).
    pub produced_g: u64,
    /// Grams exported this month (as corrected).
    pub exported_g: u64,
    /// Tax payments recorded with a payment date in this month.
    pub payments: u64,
    /// Their sum per currency.
    pub taxes: Vec<Amount>,
}

/// An export with no tax recorded along its chain (verifier rule 12).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct UntaxedExport {
    /// The exported lot.
    pub lot: Id,
    /// Log index of the `lot.export`.
    pub index: u64,
    /// Claimed date of the export.
    pub date: String,
    /// The exporter.
    pub exporter: Option<Id>,
    /// The certificate.
    pub cert: Id,
    /// Mineral.
    pub mineral: Mineral,
    /// Grams exported.
    pub mass_g: u64,
    /// Destination country.
    pub destination: Country,
    /// Country of origin.
    pub country: Option<Country>,
    /// Site of origin.
    pub site: Option<SiteId>,
}

/// Public flow aggregates (`spec/exports.md` 5.2).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FlowReport {
    /// Per month, country, site and mineral of origin.
    pub monthly: Vec<FlowRow>,
    /// The same summed over all months (`month` is none).
    pub totals: Vec<FlowRow>,
}

/// Flows of one origin and mineral, in one month or in total.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FlowRow {
    /// `YYYY-MM`, or none for a total.
    pub month: Option<String>,
    /// Country of origin (none: several countries).
    pub country: Option<Country>,
    /// Site of origin (none: several sites).
    pub site: Option<SiteId>,
    /// Mineral.
    pub mineral: Mineral,
    /// Grams registered at the mines.
    pub produced_g: u64,
    /// Lots registered.
    pub produced_lots: u64,
    /// Grams received in accepted custody transfers.
    pub transferred_g: u64,
    /// Accepted custody transfers.
    pub transfers: u64,
    /// Grams exported.
    pub exported_g: u64,
    /// Lots exported.
    pub exported_lots: u64,
}

/// The registry as a map (`spec/exports.md` 5.3).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Registry {
    /// The year of `produced_year_g`.
    pub year: i64,
    /// Every actor, by id.
    pub actors: Vec<ActorRow>,
    /// Every site, by id.
    pub sites: Vec<SiteRow>,
}

/// One actor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ActorRow {
    /// Id.
    pub id: Id,
    /// Legal name.
    pub name: Text,
    /// Country of registration.
    pub country: Country,
    /// Madini roles.
    pub roles: Vec<Role>,
    /// Their MDC.05 codes, sorted, once each.
    pub coc_roles: Vec<u8>,
    /// Town of the address.
    pub locality: Option<Text>,
    /// Licences held.
    pub licences: Vec<LicenceRow>,
}

/// One licence.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LicenceRow {
    /// Licence number.
    pub id: Id,
    /// MDC.04 type.
    pub kind: LicenceType,
    /// The site it covers.
    pub site: Option<SiteId>,
    /// Covered minerals.
    pub minerals: Vec<Mineral>,
    /// Grant date.
    pub granted: String,
    /// Expiry date.
    pub expires: String,
}

/// One site.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SiteRow {
    /// ICGLR id.
    pub id: SiteId,
    /// Name.
    pub name: Text,
    /// Country.
    pub country: Country,
    /// MDC.01 status as recorded (lapses are the verifier's business).
    pub status: u8,
    /// Its colour.
    pub status_name: &'static str,
    /// Date of the status.
    pub status_since: String,
    /// MDC.02 activity.
    pub activity: u8,
    /// Minerals.
    pub minerals: Vec<Mineral>,
    /// Date of the latest inspection.
    pub last_inspection: Option<String>,
    /// Assessed capacity: grams per `capacity_days` days.
    pub capacity_g: u64,
    /// The capacity window.
    pub capacity_days: u16,
    /// Capacity over the report's year, rounded down.
    pub capacity_year_g: u64,
    /// Grams registered at the site in the report's year (as corrected).
    pub produced_year_g: u64,
    /// `produced_year_g` over `capacity_year_g`, in basis points, rounded down.
    pub capacity_use_bp: Option<u64>,
    /// Latitude, micro-degrees.
    pub lat_e6: i64,
    /// Longitude, micro-degrees.
    pub lon_e6: i64,
    /// Region.
    pub region: Option<Text>,
    /// Locality.
    pub locality: Option<Text>,
    /// Cooperatives that operate it.
    pub operators: Vec<Id>,
}

// ---------------------------------------------------------------------------
// Renderings.

fn opt<T: AsRef<str>>(v: &Option<T>) -> &str {
    v.as_ref().map_or("", AsRef::as_ref)
}

fn join<T: AsRef<str>>(items: impl IntoIterator<Item = T>) -> String {
    items
        .into_iter()
        .map(|s| s.as_ref().to_string())
        .collect::<Vec<_>>()
        .join(";")
}

/// A report (or any part of it) as compact JSON. The reports are structs
/// with a fixed field order and sorted rows, so the bytes do not depend on
/// `serde_json`'s map features: the node's and the CLI's output match.
pub fn to_json_string<T: Serialize>(report: &T) -> String {
    serde_json::to_string(report).unwrap_or_default()
}

/// CSV of `TaxReport::lines`.
pub fn tax_lines_csv(r: &TaxReport) -> String {
    let mut c = Csv::new(&[
        "month",
        "country",
        "site",
        "actor",
        "mineral",
        "authority",
        "tax_type",
        "currency",
        "amount",
        "amount_minor",
        "payments",
    ]);
    for l in &r.lines {
        c.row([
            l.month.as_str(),
            opt(&l.country),
            opt(&l.site),
            &l.actor,
            l.mineral.code(),
            &l.authority,
            &l.tax_type,
            &l.currency,
            &l.amount,
            &l.amount_minor.to_string(),
            &l.payments.to_string(),
        ]);
    }
    c.finish()
}

/// CSV of `TaxReport::periods`; `taxes` is `CUR amount` pairs joined by `;`.
pub fn tax_periods_csv(r: &TaxReport) -> String {
    let mut c = Csv::new(&[
        "month",
        "country",
        "site",
        "mineral",
        "produced_g",
        "exported_g",
        "payments",
        "taxes",
    ]);
    for p in &r.periods {
        let taxes = join(
            p.taxes
                .iter()
                .map(|a| format!("{} {}", a.currency, a.amount)),
        );
        c.row([
            p.month.as_str(),
            opt(&p.country),
            opt(&p.site),
            p.mineral.code(),
            &p.produced_g.to_string(),
            &p.exported_g.to_string(),
            &p.payments.to_string(),
            &taxes,
        ]);
    }
    c.finish()
}

/// CSV of `TaxReport::untaxed_exports`.
pub fn untaxed_exports_csv(r: &TaxReport) -> String {
    let mut c = Csv::new(&[
        "lot",
        "index",
        "date",
        "exporter",
        "cert",
        "mineral",
        "mass_g",
        "destination",
        "country",
        "site",
    ]);
    for u in &r.untaxed_exports {
        c.row([
            u.lot.as_str(),
            &u.index.to_string(),
            &u.date,
            opt(&u.exporter),
            &u.cert,
            u.mineral.code(),
            &u.mass_g.to_string(),
            &u.destination,
            opt(&u.country),
            opt(&u.site),
        ]);
    }
    c.finish()
}

/// CSV of flow rows (`FlowReport::monthly` or `FlowReport::totals`).
pub fn flows_csv(rows: &[FlowRow]) -> String {
    let mut c = Csv::new(&[
        "month",
        "country",
        "site",
        "mineral",
        "produced_g",
        "produced_lots",
        "transferred_g",
        "transfers",
        "exported_g",
        "exported_lots",
    ]);
    for r in rows {
        c.row([
            opt(&r.month),
            opt(&r.country),
            opt(&r.site),
            r.mineral.code(),
            &r.produced_g.to_string(),
            &r.produced_lots.to_string(),
            &r.transferred_g.to_string(),
            &r.transfers.to_string(),
            &r.exported_g.to_string(),
            &r.exported_lots.to_string(),
        ]);
    }
    c.finish()
}

/// CSV of the actors; roles and licences are joined by `;`.
pub fn actors_csv(r: &Registry) -> String {
    let mut c = Csv::new(&[
        "id",
        "name",
        "country",
        "roles",
        "coc_roles",
        "locality",
        "licences",
    ]);
    for a in &r.actors {
        c.row([
            a.id.as_str(),
            &a.name,
            &a.country,
            &join(a.roles.iter().map(|r| r.as_str())),
            &join(a.coc_roles.iter().map(u8::to_string)),
            opt(&a.locality),
            &join(a.licences.iter().map(|l| l.id.as_str())),
        ]);
    }
    c.finish()
}

/// CSV of the sites; coordinates are exact decimal degrees.
pub fn sites_csv(r: &Registry) -> String {
    let mut c = Csv::new(&[
        "id",
        "name",
        "country",
        "status",
        "status_name",
        "status_since",
        "activity",
        "minerals",
        "last_inspection",
        "capacity_g",
        "capacity_days",
        "capacity_year_g",
        "produced_year_g",
        "capacity_use_bp",
        "latitude",
        "longitude",
        "operators",
    ]);
    for s in &r.sites {
        c.row([
            s.id.as_str(),
            &s.name,
            &s.country,
            &s.status.to_string(),
            s.status_name,
            &s.status_since,
            &s.activity.to_string(),
            &join(s.minerals.iter().map(|m| m.code())),
            opt(&s.last_inspection),
            &s.capacity_g.to_string(),
            &s.capacity_days.to_string(),
            &s.capacity_year_g.to_string(),
            &s.produced_year_g.to_string(),
            &s.capacity_use_bp.map(|b| b.to_string()).unwrap_or_default(),
            &decimal_text(i128::from(s.lat_e6), 6),
            &decimal_text(i128::from(s.lon_e6), 6),
            &join(s.operators.iter()),
        ]);
    }
    c.finish()
}

/// RFC 7946 GeoJSON: a `FeatureCollection` of one `Point` per site
/// (`[longitude, latitude]`), its row as properties. Render it with
/// `export::to_json` for the same bytes everywhere.
pub fn sites_geojson(r: &Registry) -> Value {
    let features: Vec<Value> = r
        .sites
        .iter()
        .map(|s| {
            let mut props = serde_json::to_value(s).unwrap_or(Value::Null);
            if let Value::Object(m) = &mut props {
                m.remove("lat_e6");
                m.remove("lon_e6");
            }
            json!({
                "type": "Feature",
                "id": s.id,
                "geometry": {
                    "type": "Point",
                    "coordinates": [degrees(s.lon_e6), degrees(s.lat_e6)],
                },
                "properties": props,
            })
        })
        .collect();
    json!({"type": "FeatureCollection", "features": features})
}
