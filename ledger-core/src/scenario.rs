//! A realistic supply chain, generated deterministically from a seed: the
//! node's demo ledger, the verifier's test scenarios and the benchmarks'
//! large logs all come from here.
//!
//! The region's actors (registries, inspectors, cooperatives, traders,
//! processors, warehouses, exporters) in DR Congo, Rwanda, Burundi and
//! Uganda; sites with different certification statuses; lots registered at
//! the mines, sold to traders, taxed, transported, stored, merged, processed,
//! split, certified and exported; plus refusals, corrections, incidents, key
//! rotations and inspections. Every event goes through `World`, so it is
//! signed and checked exactly as a client's would be.
//!
//! Each `Fraud` plants one anomaly that the verifier must find, and records
//! the lots involved in `Scenario::planted`. Without frauds the log is meant
//! to give no error or critical finding under the default policy.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};

use crate::event::*;
use crate::hash::sha256;
use crate::rules::{Applied, Refusal};
use crate::types::*;
use crate::world::*;

/// A deterministic pseudo-random generator (SplitMix64).
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// Seeded generator.
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9e37_79b9_7f4a_7c15)
    }
    /// Next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        if hi <= lo {
            return lo;
        }
        lo + self.next_u64() % (hi - lo + 1)
    }
    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.range(0, 99) < percent
    }
    /// A random element.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.range(0, items.len() as u64 - 1) as usize]
    }
}

/// The anomalies a scenario can plant (one verifier rule each).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Fraud {
    /// A site produces far above its assessed capacity (rule 6).
    OverCapacity,
    /// A lot registered at a site that is Red at the time (rule 7).
    RedSite,
    /// A tag of this log reused on a lot in a neighbouring log (rule 8).
    TagReuse,
    /// A merge outputs more mass than its inputs (rule 3).
    MergeGain,
    /// Processing creates contained metal (rule 4).
    MetalFromNothing,
    /// A trader sends on more than it received (rule 5).
    OverSelling,
    /// An event recorded long after the time it claims (rule 10).
    BackDated,
    /// An export certificate's origins omit an ancestor's country (rule 11).
    CertOriginOmitted,
    /// An export with no tax paid along its chain (rule 12).
    UntaxedExport,
    /// A transport faster than the distance allows (rule 10).
    Teleport,
    /// Cassiterite registered at a grade no tin ore can have (rule 14).
    ImpossibleGrade,
    /// A lot registered at a site whose only licence had expired (rule 14).
    LapsedLicence,
    /// A Rwandan cooperative registering lots at a Congolese site (rule 14).
    ForeignCooperative,
    /// One package of 180 kg (rule 14, a warning).
    HeavyPackage,
    /// A "Rwandan" site the registry places at Walikale, in Congo (rule 14).
    SiteAcrossBorder,
    /// A bag registered 40 km from its site (rule 14, a warning).
    FarFromSite,
    /// A lot claimed ten days before its site was registered (rule 14).
    BeforeSite,
    /// An inspection dated ten days after it was recorded (rule 14).
    InspectionAhead,
    /// A phone that signed after the registry revoked its key (rule 14).
    StolenKey,
}

impl Fraud {
    /// Every fraud.
    pub const ALL: [Fraud; 19] = [
        Fraud::OverCapacity,
        Fraud::RedSite,
        Fraud::TagReuse,
        Fraud::MergeGain,
        Fraud::MetalFromNothing,
        Fraud::OverSelling,
        Fraud::BackDated,
        Fraud::CertOriginOmitted,
        Fraud::UntaxedExport,
        Fraud::Teleport,
        Fraud::ImpossibleGrade,
        Fraud::LapsedLicence,
        Fraud::ForeignCooperative,
        Fraud::HeavyPackage,
        Fraud::SiteAcrossBorder,
        Fraud::FarFromSite,
        Fraud::BeforeSite,
        Fraud::InspectionAhead,
        Fraud::StolenKey,
    ];

    /// Short name.
    pub fn name(self) -> &'static str {
        match self {
            Fraud::OverCapacity => "over-capacity",
            Fraud::RedSite => "red-site",
            Fraud::TagReuse => "tag-reuse",
            Fraud::MergeGain => "merge-gain",
            Fraud::MetalFromNothing => "metal-from-nothing",
            Fraud::OverSelling => "over-selling",
            Fraud::BackDated => "back-dated",
            Fraud::CertOriginOmitted => "cert-origin-omitted",
            Fraud::UntaxedExport => "untaxed-export",
            Fraud::Teleport => "teleport",
            Fraud::ImpossibleGrade => "impossible-grade",
            Fraud::LapsedLicence => "lapsed-licence",
            Fraud::ForeignCooperative => "foreign-cooperative",
            Fraud::HeavyPackage => "heavy-package",
            Fraud::SiteAcrossBorder => "site-across-border",
            Fraud::FarFromSite => "far-from-site",
            Fraud::BeforeSite => "before-site",
            Fraud::InspectionAhead => "inspection-ahead",
            Fraud::StolenKey => "stolen-key",
        }
    }
}

/// What to generate.
#[derive(Clone, Debug)]
pub struct Config {
    /// Seed.
    pub seed: u64,
    /// Origin of the main log.
    pub origin: String,
    /// Lots registered at the mines (the log has roughly 12 events per lot).
    pub lots: usize,
    /// Anomalies to plant.
    pub frauds: Vec<Fraud>,
    /// Claimed time of the first event, ms.
    pub start: u64,
    /// Days over which lots are registered.
    pub days: u64,
}

impl Config {
    /// A clean scenario of `lots` lots.
    pub fn new(seed: u64, lots: usize) -> Config {
        Config {
            seed,
            origin: "icglr.madini.example/region".to_string(),
            lots,
            frauds: Vec::new(),
            start: DEFAULT_START,
            days: 150,
        }
    }
}

/// A planted anomaly and the lots it involves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Planted {
    /// Which.
    pub fraud: Fraud,
    /// Lots involved (ids in the main log, or the neighbour log for tag reuse).
    pub lots: Vec<String>,
}

/// A generated scenario.
pub struct Scenario {
    /// The region's log.
    pub main: World,
    /// A neighbouring registry's log (small; carries the tag-reuse fraud).
    pub neighbour: World,
    /// Planted anomalies.
    pub planted: Vec<Planted>,
}

struct Country {
    cc: &'static str,
    town: (&'static str, i64, i64),
}

const COUNTRIES: [Country; 4] = [
    Country {
        cc: "CD",
        town: ("Goma", -1_679_000, 29_222_000),
    },
    Country {
        cc: "RW",
        town: ("Kigali", -1_944_000, 30_062_000),
    },
    Country {
        cc: "BI",
        // Gitega: sites within half a degree of Bujumbura would lie in
        // Lake Tanganyika or across the border.
        town: ("Gitega", -3_427_000, 29_925_000),
    },
    Country {
        cc: "UG",
        town: ("Kampala", 347_000, 32_582_000),
    },
];

#[derive(Clone, Debug)]
struct SiteInfo {
    id: String,
    coop: String,
    cc: &'static str,
    minerals: Vec<Mineral>,
    capacity_g_30d: u64,
    status: u8,
    /// Claimed time of the latest status change (ms).
    since: u64,
    lat: i64,
    lon: i64,
    prefix: String,
    next_tag: u64,
    last_tag: u64,
    /// Made for a planted fraud: the everyday flow registers nothing there.
    planted: bool,
    /// When its latest licence expires, and how many it has had.
    licence_until: u64,
    licences: u32,
}

#[derive(Clone, Debug)]
struct LotInfo {
    mineral: Mineral,
    mass: u64,
    grade: u16,
    holder: String,
    taxed: bool,
    countries: Vec<&'static str>,
    at: (String, i64, i64),
    /// Planted into a fraud; keep it out of pools that could add findings.
    quarantined: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Action {
    Register,
    Sell(String),
    Forward(String),
    Process(String),
    Inspect,
}

struct Gen {
    w: World,
    rng: Rng,
    cfg: Config,
    sites: Vec<SiteInfo>,
    traders: BTreeMap<&'static str, Vec<String>>,
    processors: Vec<(String, &'static str)>,
    exporters: BTreeMap<&'static str, Vec<String>>,
    lots: BTreeMap<String, LotInfo>,
    pools: BTreeMap<(String, Mineral), Vec<String>>,
    queue: BinaryHeap<Reverse<(u64, u64, Action)>>,
    seq: u64,
    next_lot: u64,
    next_cert: u64,
    last_merged: String,
    last_processed: String,
    planted: Vec<Planted>,
    pending_frauds: Vec<Fraud>,
    /// The grade of the next registration, for a planted case.
    next_grade: Option<u16>,
    /// Where the next registration is weighed, for a planted case.
    next_gps: Option<(i64, i64)>,
}

fn must(r: Result<Applied, Refusal>, what: &str) -> Applied {
    r.unwrap_or_else(|e| panic!("scenario step {what} refused: {e}"))
}

/// Great-circle distance in metres between two points given in degrees x
/// 10^6: the verifier's own measure, so planted journeys are judged by the
/// distance they were planned with.
fn distance_m(a: (i64, i64), b: (i64, i64)) -> f64 {
    let p = |(lat, lon): (i64, i64)| Point {
        lat_e6: Lat(lat),
        lon_e6: Lon(lon),
    };
    crate::verify::distance_m(p(a), p(b))
}

impl Gen {
    fn schedule(&mut self, at: u64, a: Action) {
        self.seq += 1;
        self.queue.push(Reverse((at, self.seq, a)));
    }

    fn lot_id(&mut self, cc: &str) -> String {
        self.next_lot += 1;
        format!("{cc}-L{:06}", self.next_lot)
    }

    fn setup(&mut self) {
        let rng = &mut self.rng;
        let scale = (self.cfg.lots / 300).max(1);
        // National registries and inspectors, registered by the ICGLR secretariat (AUTH).
        for c in &COUNTRIES {
            let reg = format!("REG-{}", c.cc);
            must(
                self.w.register_actor(
                    &reg,
                    &format!("Mining registry {}", c.cc),
                    c.cc,
                    &[Role::Authority],
                ),
                "registry",
            );
            let insp = format!("INSP-{}", c.cc);
            must(
                self.w.register_actor(
                    &insp,
                    &format!("Mines inspectorate {}", c.cc),
                    c.cc,
                    &[Role::Inspector],
                ),
                "inspector",
            );
        }
        // Cooperatives and their sites.
        let coops_per_country = [4 * scale, 2 * scale, scale, scale];
        let mut site_n = 0u64;
        for (ci, c) in COUNTRIES.iter().enumerate() {
            for k in 0..coops_per_country[ci] {
                let coop = format!("COOP-{}-{:02}", c.cc, k + 1);
                must(
                    self.w.register_actor(
                        &coop,
                        &format!("Coopérative minière {} {}", c.cc, k + 1),
                        c.cc,
                        &[Role::Cooperative],
                    ),
                    "coop",
                );
                for _ in 0..(1 + rng.range(0, 1)) {
                    site_n += 1;
                    let lat = c.town.1 + rng.range(0, 900_000) as i64 - 450_000;
                    let lon = c.town.2 + rng.range(0, 900_000) as i64 - 450_000;
                    let minerals = match (c.cc, site_n % 4) {
                        ("CD", 0) => vec![Mineral::Coltan, Mineral::Cassiterite],
                        ("CD", 1) => vec![Mineral::Cassiterite],
                        ("CD", 2) => vec![Mineral::Gold],
                        ("RW", _) => vec![Mineral::Cassiterite, Mineral::Wolframite],
                        ("UG", _) => vec![Mineral::Gold],
                        _ => vec![Mineral::Cassiterite, Mineral::Coltan],
                    };
                    let id = format!(
                        "{}-{}{}.{:04}{}{}.{:04}-{:05}",
                        c.cc,
                        if lat < 0 { "-" } else { "+" },
                        lat.unsigned_abs() / 1_000_000,
                        (lat.unsigned_abs() % 1_000_000) / 100,
                        if lon < 0 { "-" } else { "+" },
                        lon.unsigned_abs() / 1_000_000,
                        (lon.unsigned_abs() % 1_000_000) / 100,
                        site_n
                    );
                    // Headroom over the everyday flow: at 14 000 lots a
                    // few gold sites took 22 kg in 30 days against 20.
                    let capacity_kg = if minerals == [Mineral::Gold] {
                        30
                    } else {
                        6_000
                    };
                    let mut rec = self.w.site_record(
                        &id,
                        &format!("Site {site_n}"),
                        &minerals,
                        capacity_kg,
                        &[&coop],
                    );
                    rec.location.lat_e6 = Lat(lat);
                    rec.location.lon_e6 = Lon(lon);
                    must(
                        self.w.submit(
                            &format!("REG-{}", c.cc),
                            Body::SiteRegister(SiteRegister { site: rec }),
                        ),
                        "site",
                    );
                    let prefix = format!("{}{}", c.cc, site_n);
                    must(
                        self.w
                            .submit(&format!("REG-{}", c.cc), all_tags(&id, &prefix)),
                        "tags",
                    );
                    must(
                        self.w.submit(
                            &format!("REG-{}", c.cc),
                            permit(
                                &format!("LIC-{}-{site_n}", c.cc),
                                &coop,
                                &id,
                                &minerals,
                                self.w.now,
                                self.w.now + 3 * 365 * DAY,
                            ),
                        ),
                        "licence",
                    );
                    self.sites.push(SiteInfo {
                        id,
                        coop: coop.clone(),
                        cc: c.cc,
                        minerals,
                        capacity_g_30d: capacity_kg * 1000,
                        status: 0,
                        since: self.w.now,
                        lat,
                        lon,
                        prefix,
                        next_tag: 1,
                        last_tag: 999_999,
                        planted: false,
                        licence_until: self.w.now + 3 * 365 * DAY,
                        licences: 1,
                    });
                }
            }
            // Traders, processors, warehouses, exporters.
            for k in 0..(2 * scale) {
                let t = format!("TRD-{}-{:02}", c.cc, k + 1);
                must(
                    self.w.register_actor(
                        &t,
                        &format!("Négociant {} {}", c.cc, k + 1),
                        c.cc,
                        &[Role::Trader],
                    ),
                    "trader",
                );
                self.traders.entry(c.cc).or_default().push(t);
            }
            if c.cc == "CD" || c.cc == "RW" {
                for k in 0..scale {
                    let p = format!("PROC-{}-{:02}", c.cc, k + 1);
                    must(
                        self.w.register_actor(
                            &p,
                            &format!("Processing centre {} {}", c.cc, k + 1),
                            c.cc,
                            &[Role::Processor, Role::Trader],
                        ),
                        "processor",
                    );
                    self.processors.push((p, c.cc));
                }
            }
            let wh = format!("WH-{}", c.cc);
            must(
                self.w.register_actor(
                    &wh,
                    &format!("Entrepôt {}", c.town.0),
                    c.cc,
                    &[Role::Warehouse],
                ),
                "warehouse",
            );
            for k in 0..scale {
                let e = format!("EXP-{}-{:02}", c.cc, k + 1);
                must(
                    self.w.register_actor(
                        &e,
                        &format!("Comptoir {} {}", c.cc, k + 1),
                        c.cc,
                        &[Role::Exporter],
                    ),
                    "exporter",
                );
                self.exporters.entry(c.cc).or_default().push(e);
            }
        }
        // Inspections: most sites Green; one Yellow; one Red that never produces;
        // a few stay Blue (recently registered, may still produce).
        let n = self.sites.len();
        for i in 0..n {
            let result = match i % 9 {
                4 => 2,
                7 => 3,
                8 => 0,
                _ => 1,
            };
            let now = self.w.now;
            let s = &mut self.sites[i];
            s.status = result;
            s.since = now;
            if result > 0 {
                let (site, cc) = (s.id.clone(), s.cc);
                must(
                    self.w.inspect(
                        &format!("INSP-{cc}"),
                        &site,
                        &format!("INS-{}-0", i + 1),
                        result,
                    ),
                    "inspection",
                );
            }
        }
    }

    /// Sites an honest cooperative may produce at now: Green inspected within
    /// the year, Yellow within its grace period, Blue for less than three
    /// years (with margins, because a day's registrations take time).
    fn producing_sites(&self) -> Vec<usize> {
        let now = self.w.now;
        let ok = |s: &SiteInfo| {
            if s.planted {
                return false;
            }
            let age = now.saturating_sub(s.since);
            match s.status {
                1 => age < 330 * DAY,
                2 => age < 150 * DAY,
                0 => age < 1000 * DAY,
                _ => false,
            }
        };
        let v: Vec<usize> = (0..self.sites.len())
            .filter(|&i| ok(&self.sites[i]))
            .collect();
        if v.is_empty() {
            // Every site lapsed: inspect again before producing.
            (0..self.sites.len())
                .filter(|&i| self.sites[i].status == 1)
                .collect()
        } else {
            v
        }
    }

    fn figures(&mut self, m: Mineral) -> (u64, u16) {
        match m {
            Mineral::Gold => (
                self.rng.range(200, 1_500),
                self.rng.range(7_800, 9_200) as u16,
            ),
            Mineral::Coltan => (
                self.rng.range(20_000, 45_000),
                self.rng.range(2_200, 3_400) as u16,
            ),
            Mineral::Wolframite => (
                self.rng.range(25_000, 50_000),
                self.rng.range(4_500, 6_200) as u16,
            ),
            Mineral::Cassiterite => (
                self.rng.range(25_000, 55_000),
                self.rng.range(5_500, 7_000) as u16,
            ),
        }
    }

    fn register_one(&mut self, si: usize, mass_override: Option<u64>) -> String {
        self.renew_licence(si);
        let site = self.sites[si].clone();
        let mineral = *self.rng.pick(&site.minerals);
        let (mut mass, mut grade_bp) = self.figures(mineral);
        if let Some(g) = self.next_grade.take() {
            grade_bp = g;
        }
        if let Some(m) = mass_override {
            mass = m;
        }
        let lot = self.lot_id(site.cc);
        let tag = format!("{}-{:06}", site.prefix, site.next_tag);
        self.sites[si].next_tag += 1;
        let body = Body::LotRegister(LotRegister {
            lot: id(&lot),
            site: site_id(&site.id),
            tag: TagId::new(&tag).unwrap_or_else(|e| panic!("{e}")),
            mineral,
            mass_g: grams(mass),
            grade_bp: grade(grade_bp),
            miner: Some(text(&format!("Équipe {}", self.rng.range(1, 40)))),
            gps: Some({
                let (lat, lon) = self.next_gps.take().unwrap_or((site.lat, site.lon));
                Point {
                    lat_e6: Lat(lat),
                    lon_e6: Lon(lon),
                }
            }),
            packages: Some(Packages(1)),
        });
        must(self.w.submit(&site.coop, body), "register");
        let _ = site.last_tag;
        self.lots.insert(
            lot.clone(),
            LotInfo {
                mineral,
                mass,
                grade: grade_bp,
                holder: site.coop.clone(),
                taxed: false,
                countries: vec![site.cc],
                at: (format!("Site {}", site.id), site.lat, site.lon),
                quarantined: false,
            },
        );
        lot
    }

    fn transfer(&mut self, lot: &str, to: &str) {
        let info = self.lots[lot].clone();
        must(
            self.w.offer(&info.holder, to, lot, info.mass, info.grade),
            "offer",
        );
        self.w.now += self.rng.range(1, 6) * 3_600_000;
        // The receiver weighs a little less, well within tolerance.
        let received = info.mass - info.mass * self.rng.range(0, 3) / 1000;
        must(self.w.accept(to, lot, received, info.grade), "accept");
        let l = self.lots.get_mut(lot).unwrap_or_else(|| panic!("lot"));
        l.holder = to.to_string();
        l.mass = received;
    }

    fn move_to(&mut self, lot: &str, to: (&str, i64, i64), teleport: bool) {
        let info = self.lots[lot].clone();
        let d_km = distance_m((info.at.1, info.at.2), (to.1, to.2)) / 1000.0;
        let hours = if teleport {
            1
        } else {
            ((d_km / 25.0).ceil() as u64).max(1) + self.rng.range(0, 6)
        };
        must(
            self.w.transport(
                &info.holder,
                lot,
                (&info.at.0, info.at.1, info.at.2),
                to,
                hours,
            ),
            "transport",
        );
        self.w.now = self.w.now.max(self.w.now + hours * 3_600_000);
        self.lots.get_mut(lot).unwrap_or_else(|| panic!("lot")).at = (to.0.to_string(), to.1, to.2);
    }

    fn tax(&mut self, lot: &str, kind: &str) {
        let info = self.lots[lot].clone();
        let amount = (info.mass / 1000).max(1) * 12;
        must(
            self.w.pay_tax(&info.holder, lot, kind, amount, "USD"),
            "tax",
        );
        self.lots
            .get_mut(lot)
            .unwrap_or_else(|| panic!("lot"))
            .taxed = true;
    }

    fn run(&mut self) {
        let start = self.w.now;
        for d in 0..self.cfg.days {
            self.schedule(start + d * DAY + 7 * 3_600_000, Action::Register);
        }
        for q in 1..=(self.cfg.days / 90) {
            self.schedule(start + q * 90 * DAY, Action::Inspect);
        }
        for (p, _) in self.processors.clone() {
            let mut t = start + 10 * DAY;
            while t < start + (self.cfg.days + 40) * DAY {
                self.schedule(t, Action::Process(p.clone()));
                t += 7 * DAY;
            }
        }
        let per_day = (self.cfg.lots as u64).div_ceil(self.cfg.days.max(1)).max(1);
        let mut registered = 0usize;
        while let Some(Reverse((at, _, action))) = self.queue.pop() {
            self.w.now = self.w.now.max(at);
            match action {
                Action::Register => {
                    let sites = self.producing_sites();
                    for _ in 0..per_day {
                        if registered >= self.cfg.lots {
                            break;
                        }
                        let si = *self.rng.pick(&sites);
                        let lot = self.register_one(si, None);
                        registered += 1;
                        let due = self.w.now + self.rng.range(1, 3) * DAY;
                        self.schedule(due, Action::Sell(lot));
                    }
                    if registered >= self.cfg.lots / 3 && !self.pending_frauds.is_empty() {
                        self.plant_frauds();
                    }
                }
                Action::Sell(lot) => self.sell(&lot),
                Action::Forward(lot) => self.forward(&lot),
                Action::Process(p) => self.process(&p),
                Action::Inspect => self.reinspect(),
            }
        }
    }

    fn sell(&mut self, lot: &str) {
        let info = self.lots[lot].clone();
        let cc = info.countries[0];
        let traders = self.traders[cc].clone();
        let t = self.rng.pick(&traders).clone();
        // Now and then the trader refuses and the cooperative sells to another.
        if self.rng.chance(4) && traders.len() > 1 {
            must(
                self.w.offer(&info.holder, &t, lot, info.mass, info.grade),
                "offer",
            );
            let prev = self.w.head(lot);
            must(
                self.w.submit(
                    &t,
                    Body::LotRefuse(LotRefuse {
                        lot: id(lot),
                        prev,
                        reason: long("grade lower than agreed"),
                    }),
                ),
                "refuse",
            );
        }
        // Now and then the cooperative corrects a weighing error first.
        if self.rng.chance(3) {
            let prev = self.w.head(lot);
            let reg = self.w.figure(lot, None);
            let corrected = info.mass - info.mass / 50;
            must(
                self.w.submit(
                    &info.holder,
                    Body::LotCorrect(LotCorrect {
                        lot: id(lot),
                        prev,
                        corrects: reg,
                        mass_g: Some(grams(corrected)),
                        grade_bp: None,
                        reason: long("the scale at the site was not zeroed"),
                    }),
                ),
                "correct",
            );
            self.lots.get_mut(lot).unwrap_or_else(|| panic!("lot")).mass = corrected;
        }
        let to = if self.rng.chance(4) && traders.len() > 1 {
            traders.iter().find(|x| **x != t).cloned().unwrap_or(t)
        } else {
            t
        };
        self.transfer(lot, &to);
        let due = self.w.now + self.rng.range(2, 6) * DAY;
        self.schedule(due, Action::Forward(lot.to_string()));
    }

    fn processor_for(&mut self, cc: &str) -> (String, &'static str) {
        let local: Vec<(String, &'static str)> = self
            .processors
            .iter()
            .filter(|p| p.1 == cc)
            .cloned()
            .collect();
        if local.is_empty() || (cc == "CD" && self.rng.chance(30)) {
            let rw: Vec<(String, &'static str)> = self
                .processors
                .iter()
                .filter(|p| p.1 == "RW")
                .cloned()
                .collect();
            self.rng.pick(&rw).clone()
        } else {
            self.rng.pick(&local).clone()
        }
    }

    fn forward(&mut self, lot: &str) {
        let info = self.lots[lot].clone();
        if info.quarantined {
            return;
        }
        self.tax(lot, "royalty");
        let (proc_id, pcc) = self.processor_for(info.countries[0]);
        let town = town_of(pcc);
        self.move_to(lot, town, false);
        if self.rng.chance(20) {
            self.store(lot, pcc);
        }
        self.transfer(lot, &proc_id);
        self.pools
            .entry((proc_id, info.mineral))
            .or_default()
            .push(lot.to_string());
    }

    fn store(&mut self, lot: &str, cc: &str) {
        let holder = self.lots[lot].holder.clone();
        let town = town_of(cc);
        let prev = self.w.head(lot);
        must(
            self.w.submit(
                &holder,
                Body::LotStore(LotStore {
                    lot: id(lot),
                    prev,
                    place: Place {
                        name: text(&format!("Entrepôt de {}", town.0)),
                        lat_e6: Some(Lat(town.1)),
                        lon_e6: Some(Lon(town.2)),
                    },
                    warehouse: Some(id(&format!("WH-{cc}"))),
                }),
            ),
            "store",
        );
    }

    fn process(&mut self, p: &str) {
        for mineral in Mineral::ALL {
            let key = (p.to_string(), mineral);
            let pool = self.pools.get(&key).cloned().unwrap_or_default();
            if pool.len() < 3 {
                continue;
            }
            self.pools.remove(&key);
            let children = self.merge_process_split(p, &pool, 100, 100);
            let pcc = self.processor_cc(p);
            for child in children {
                self.export(&child, pcc, true, false);
            }
        }
    }

    fn processor_cc(&self, p: &str) -> &'static str {
        self.processors
            .iter()
            .find(|x| x.0 == p)
            .map(|x| x.1)
            .unwrap_or("RW")
    }

    /// Merges `pool` (output mass `merge_pct` % of the inputs), processes the
    /// result (contained metal `metal_pct` % of the normal recovery) and
    /// splits it in two; returns the two children.
    fn merge_process_split(
        &mut self,
        p: &str,
        pool: &[String],
        merge_pct: u64,
        metal_pct: u128,
    ) -> Vec<String> {
        let pcc = self.processor_cc(p);
        let mineral = self.lots[&pool[0]].mineral;
        let inputs: Vec<&str> = pool.iter().map(String::as_str).collect();
        let in_mass: u64 = pool.iter().map(|l| self.lots[l].mass).sum();
        let in_metal: u128 = pool
            .iter()
            .map(|l| u128::from(self.lots[l].mass) * u128::from(self.lots[l].grade))
            .sum();
        let in_grade = (in_metal / u128::from(in_mass)) as u16;
        let mut countries: Vec<&'static str> = pool
            .iter()
            .flat_map(|l| self.lots[l].countries.clone())
            .collect();
        countries.sort();
        countries.dedup();
        let taxed = pool.iter().any(|l| self.lots[l].taxed);
        let merged = self.lot_id(pcc);
        let m_mass = in_mass * merge_pct / 100;
        must(self.w.merge(p, &inputs, &merged, m_mass, in_grade), "merge");
        // Processing concentrates the ore, recovering 70-90 % of the metal
        // (gold 90-98 %, tantalum 40-60 %).
        let (lo, hi) = match mineral {
            Mineral::Gold => (90, 98),
            Mineral::Coltan => (40, 60),
            _ => (70, 90),
        };
        let metal_in = u128::from(m_mass) * u128::from(in_grade);
        let recovery = u128::from(self.rng.range(lo, hi)) * metal_pct / 100;
        let metal_out = metal_in * recovery / 100;
        let out_grade = match mineral {
            Mineral::Gold => 9_500u16.max(in_grade),
            Mineral::Coltan => (in_grade + 1_200).min(8_500),
            _ => (in_grade + 700).min(7_600),
        };
        let out_mass = ((metal_out / u128::from(out_grade)) as u64).max(2);
        let processed = self.lot_id(pcc);
        must(
            self.w
                .process(p, &[&merged], &processed, out_mass, out_grade),
            "process",
        );
        let a = self.lot_id(pcc);
        let b = self.lot_id(pcc);
        let half = out_mass / 2;
        must(
            self.w.split(
                p,
                &processed,
                &[(&a, half, out_grade), (&b, out_mass - half, out_grade)],
            ),
            "split",
        );
        let town = town_of(pcc);
        for (child, mass) in [(&a, half), (&b, out_mass - half)] {
            self.lots.insert(
                child.clone(),
                LotInfo {
                    mineral,
                    mass,
                    grade: out_grade,
                    holder: p.to_string(),
                    taxed,
                    countries: countries.clone(),
                    at: (town.0.to_string(), town.1, town.2),
                    quarantined: false,
                },
            );
        }
        self.last_merged = merged;
        self.last_processed = processed;
        vec![a, b]
    }

    /// Hands `lot` to an exporter of `cc`, who pays export tax (if `tax`),
    /// gets a certificate (omitting other origin countries if `omit_origins`)
    /// and exports.
    fn export(&mut self, lot: &str, cc: &'static str, tax: bool, omit_origins: bool) {
        let exporters = self.exporters[cc].clone();
        let e = self.rng.pick(&exporters).clone();
        self.transfer(lot, &e);
        let info = self.lots[lot].clone();
        if tax {
            self.tax(lot, "export tax");
        }
        self.next_cert += 1;
        let cert = format!("{cc}-EXP-{:05}", self.next_cert);
        let req = format!("REQ-{cc}-{:05}", self.next_cert);
        let dest = *self.rng.pick(&["BE", "MY", "CN", "AE", "TH"]);
        must(
            self.w.submit(
                &e,
                Body::CertRequest(CertRequest {
                    request: Request {
                        id: id(&req),
                        lots: vec![id(lot)],
                        mineral: info.mineral,
                        mass_g: grams(info.mass),
                        destination: country(dest),
                    },
                }),
            ),
            "request",
        );
        let mut origins = info.countries.clone();
        if omit_origins {
            origins.retain(|c| *c == cc);
            if origins.is_empty() {
                origins.push(cc);
            }
        }
        let issued = self.w.now;
        must(
            self.w.submit(
                &format!("REG-{cc}"),
                Body::CertIssue(CertIssue {
                    cert: Cert {
                        id: id(&cert),
                        exporter: id(&e),
                        lots: vec![id(lot)],
                        mineral: info.mineral,
                        mass_g: grams(info.mass),
                        origins: origins.iter().map(|c| country(c)).collect(),
                        destination: country(dest),
                        issued: Millis(issued),
                        expires: Millis(issued + 60 * DAY),
                        request: Some(id(&req)),
                    },
                }),
            ),
            "cert",
        );
        self.w.now += self.rng.range(1, 4) * DAY;
        must(self.w.export(&e, lot, &cert, info.mass, dest), "export");
    }

    fn reinspect(&mut self) {
        for i in 0..self.sites.len() {
            let s = self.sites[i].clone();
            if s.status == 1 || s.status == 2 {
                let result = 1;
                must(
                    self.w.inspect(
                        &format!("INSP-{}", s.cc),
                        &s.id,
                        &format!("INS-{}-{}", i + 1, self.w.now / DAY),
                        result,
                    ),
                    "reinspect",
                );
                self.sites[i].status = result;
                self.sites[i].since = self.w.now;
            }
        }
        // An incident report, investigated and resolved.
        if let Some(site) = self.sites.first().map(|s| s.id.clone()) {
            let reporter = format!("ANON-{}", self.w.now / DAY);
            let pk = self.w.public(&reporter);
            let rep = must(
                self.w.submit(
                    &reporter,
                    Body::IncidentReport(IncidentReport {
                        subjects: Subjects {
                            sites: Some(vec![site_id(&site)]),
                            ..Subjects::default()
                        },
                        category: Category::Safety,
                        summary: long("A shaft collapsed; miners were not given helmets."),
                        evidence_sha256: Some(sha256(reporter.as_bytes())),
                        anonymous_key: Some(pk),
                        sealed: None,
                    }),
                ),
                "incident",
            );
            let case = rep
                .changes
                .iter()
                .find_map(|c| match c {
                    crate::state::Change::Event { hash, .. } => Some(*hash),
                    _ => None,
                })
                .unwrap_or_default();
            must(
                self.w.submit(
                    "INSP-CD",
                    Body::IncidentStatus(IncidentStatus {
                        case,
                        status: CaseStatus::Investigating,
                        note: long("inspection team sent"),
                    }),
                ),
                "case",
            );
            must(
                self.w.submit(
                    "INSP-CD",
                    Body::IncidentStatus(IncidentStatus {
                        case,
                        status: CaseStatus::Resolved,
                        note: long("helmets distributed; shaft closed"),
                    }),
                ),
                "case",
            );
        }
    }

    /// The registry renews a site's licence for three more years a month
    /// before it expires, as long as the site produces (not for planted
    /// sites, whose licences are the point).
    fn renew_licence(&mut self, si: usize) {
        let s = &self.sites[si];
        if s.planted || self.w.now + 30 * DAY < s.licence_until {
            return;
        }
        let granted = s.licence_until.min(self.w.now);
        let expires = granted + 3 * 365 * DAY;
        let n = s.licences + 1;
        let (cc, coop, sid, minerals) = (s.cc, s.coop.clone(), s.id.clone(), s.minerals.clone());
        let body = permit(
            &format!("LIC-{sid}-{n}"),
            &coop,
            &sid,
            &minerals,
            granted,
            expires,
        );
        must(self.w.submit(&format!("REG-{cc}"), body), "licence renewal");
        let s = &mut self.sites[si];
        s.licence_until = expires;
        s.licences = n;
    }

    /// Registers a lot at site `si` for a planted case, kept out of the
    /// everyday flow's pools.
    fn register_quarantined(&mut self, si: usize, mass_override: Option<u64>) -> String {
        let lot = self.register_one(si, mass_override);
        if let Some(l) = self.lots.get_mut(&lot) {
            l.quarantined = true;
        }
        lot
    }

    fn plant(&mut self, fraud: Fraud, lots: Vec<String>) {
        self.planted.push(Planted { fraud, lots });
    }

    fn green_site(&self, mineral_not_gold: bool, cc: &str) -> usize {
        (0..self.sites.len())
            .find(|&i| {
                let s = &self.sites[i];
                s.status == 1 && s.cc == cc && (!mineral_not_gold || s.minerals[0] != Mineral::Gold)
            })
            .unwrap_or(0)
    }

    /// A fresh chain of lots of one mineral from a Green site of `cc`, sold
    /// to a trader of `cc` and taxed; `n` lots.
    fn fresh_chain(&mut self, cc: &'static str, n: usize, mineral: Mineral) -> Vec<String> {
        let si = (0..self.sites.len())
            .find(|&i| {
                self.sites[i].status == 1
                    && self.sites[i].cc == cc
                    && self.sites[i].minerals.contains(&mineral)
            })
            .unwrap_or_else(|| panic!("no Green {cc} site for {mineral}"));
        let mut lots = Vec::new();
        for _ in 0..n {
            let lot = loop {
                let l = self.register_one(si, None);
                if self.lots[&l].mineral == mineral {
                    break l;
                }
                // Keep other minerals in the normal flow.
                let due = self.w.now + DAY;
                self.schedule(due, Action::Sell(l));
            };
            self.lots
                .get_mut(&lot)
                .unwrap_or_else(|| panic!("lot"))
                .quarantined = true;
            let t = self.traders[cc][0].clone();
            self.transfer(&lot, &t);
            self.tax(&lot, "royalty");
            lots.push(lot);
        }
        lots
    }

    /// Plants every requested fraud, each on its own chain of lots so that
    /// it breaks exactly one rule.
    fn plant_frauds(&mut self) {
        let frauds = std::mem::take(&mut self.pending_frauds);
        for f in frauds {
            match f {
                Fraud::OverCapacity => {
                    // A site registers three times its 30-day capacity within days.
                    let si = self.green_site(true, "CD");
                    let cap = self.sites[si].capacity_g_30d;
                    let mut lots = Vec::new();
                    let mut total = 0;
                    while total < cap * 3 {
                        let lot = self.register_quarantined(si, Some(55_000));
                        total += 55_000;
                        lots.push(lot);
                        self.w.now += 3 * 3_600_000;
                    }
                    self.plant(f, lots);
                }
                Fraud::RedSite => {
                    let si = (0..self.sites.len())
                        .find(|&i| self.sites[i].status == 3)
                        .unwrap_or(0);
                    let lot = self.register_quarantined(si, None);
                    let to = self.traders[self.sites[si].cc][0].clone();
                    self.transfer(&lot, &to);
                    self.plant(f, vec![lot]);
                }
                Fraud::BackDated => {
                    // Registered today but claiming a date 45 days ago.
                    let si = self.green_site(true, "CD");
                    let now = self.w.now;
                    self.w.now = now - 45 * DAY;
                    self.w.record_lag = 45 * DAY;
                    let lot = self.register_one(si, Some(30_000));
                    self.w.record_lag = 2_000;
                    self.w.now = now;
                    self.lots
                        .get_mut(&lot)
                        .unwrap_or_else(|| panic!("lot"))
                        .quarantined = true;
                    self.plant(f, vec![lot]);
                }
                Fraud::Teleport => {
                    let lots = self.fresh_chain("CD", 1, Mineral::Cassiterite);
                    self.move_to(&lots[0], town_of("UG"), true);
                    self.plant(f, lots);
                }
                Fraud::OverSelling => {
                    // The trader hands over 40 % more than it received.
                    let lots = self.fresh_chain("CD", 1, Mineral::Cassiterite);
                    let l = self.lots.get_mut(&lots[0]).unwrap_or_else(|| panic!("lot"));
                    let trader = l.holder.clone();
                    l.mass = l.mass * 14 / 10;
                    let p = self
                        .processors
                        .iter()
                        .find(|x| x.1 == "CD")
                        .map(|x| x.0.clone())
                        .unwrap_or_default();
                    self.transfer(&lots[0], &p);
                    self.plant(f, vec![lots[0].clone()]);
                    let _ = trader;
                }
                Fraud::MergeGain | Fraud::MetalFromNothing => {
                    let lots = self.fresh_chain("CD", 3, Mineral::Cassiterite);
                    let p = self
                        .processors
                        .iter()
                        .find(|x| x.1 == "CD")
                        .map(|x| x.0.clone())
                        .unwrap_or_default();
                    for l in &lots {
                        self.transfer(l, &p);
                    }
                    let (merge_pct, metal_pct) = if f == Fraud::MergeGain {
                        (130, 100)
                    } else {
                        (100, 160)
                    };
                    let children = self.merge_process_split(&p, &lots, merge_pct, metal_pct);
                    for c in &children {
                        self.lots
                            .get_mut(c)
                            .unwrap_or_else(|| panic!("lot"))
                            .quarantined = true;
                    }
                    let named = if f == Fraud::MergeGain {
                        self.last_merged.clone()
                    } else {
                        self.last_processed.clone()
                    };
                    self.plant(f, vec![named]);
                }
                Fraud::CertOriginOmitted => {
                    // Congolese and Rwandan ore processed in Rwanda, certified as Rwandan only.
                    let mut lots = self.fresh_chain("CD", 2, Mineral::Cassiterite);
                    lots.extend(self.fresh_chain("RW", 2, Mineral::Cassiterite));
                    let p = self
                        .processors
                        .iter()
                        .find(|x| x.1 == "RW")
                        .map(|x| x.0.clone())
                        .unwrap_or_default();
                    for l in &lots {
                        self.transfer(l, &p);
                    }
                    let children = self.merge_process_split(&p, &lots, 100, 100);
                    self.export(&children[0], "RW", true, true);
                    self.export(&children[1], "RW", true, false);
                    self.plant(f, vec![children[0].clone()]);
                }
                Fraud::UntaxedExport => {
                    // Straight from the mine to the exporter, no tax anywhere.
                    let si = self.green_site(true, "CD");
                    let lot = self.register_quarantined(si, None);
                    let t = self.traders["CD"][0].clone();
                    self.transfer(&lot, &t);
                    self.export(&lot, "CD", false, false);
                    self.plant(f, vec![lot]);
                }
                Fraud::ImpossibleGrade => {
                    // 90 %: more than pure cassiterite (78.77 % tin), tantalite
                    // (86.17 % Ta2O5) or scheelite (80.53 % WO3) hold.
                    let si = self.green_site(true, "CD");
                    self.next_grade = Some(9_000);
                    let lot = self.register_quarantined(si, None);
                    self.plant(f, vec![lot]);
                }
                Fraud::LapsedLicence => {
                    // A new site whose one licence expired 30 days ago.
                    let coop = self.sites[self.green_site(true, "CD")].coop.clone();
                    let now = self.w.now;
                    let si =
                        self.planted_site("CD", &coop, Some((now - 400 * DAY, now - 30 * DAY)));
                    let lot = self.register_quarantined(si, None);
                    self.plant(f, vec![lot]);
                }
                Fraud::ForeignCooperative => {
                    // A Congolese site whose operator is a Rwandan cooperative.
                    let coop = self.sites[self.green_site(true, "RW")].coop.clone();
                    let si = self.planted_site("CD", &coop, None);
                    let lot = self.register_quarantined(si, None);
                    self.plant(f, vec![lot]);
                }
                Fraud::HeavyPackage => {
                    let si = self.green_site(true, "CD");
                    let lot = self.register_quarantined(si, Some(180_000));
                    self.plant(f, vec![lot]);
                }
                Fraud::SiteAcrossBorder => {
                    // Walikale's tin fields, 90 km west of Rwanda's box.
                    let coop = self.sites[self.green_site(true, "RW")].coop.clone();
                    let si = self.planted_site_at("RW", &coop, None, (-1_420_000, 28_050_000));
                    let lot = self.register_quarantined(si, None);
                    self.plant(f, vec![lot]);
                }
                Fraud::FarFromSite => {
                    // 0.36 degrees of latitude: 40 km.
                    let si = self.green_site(true, "CD");
                    self.next_gps = Some((self.sites[si].lat - 360_000, self.sites[si].lon));
                    let lot = self.register_quarantined(si, None);
                    self.plant(f, vec![lot]);
                }
                Fraud::BeforeSite => {
                    let coop = self.sites[self.green_site(true, "CD")].coop.clone();
                    let si = self.planted_site("CD", &coop, None);
                    let now = self.w.now;
                    self.w.now = now - 10 * DAY;
                    self.w.record_lag = 10 * DAY;
                    let lot = self.register_quarantined(si, None);
                    self.w.record_lag = 2_000;
                    self.w.now = now;
                    self.plant(f, vec![lot]);
                }
                Fraud::InspectionAhead => {
                    // A Green result entered ten days before the visit, on
                    // a new site with one lot already registered.
                    let coop = self.sites[self.green_site(true, "CD")].coop.clone();
                    let si = self.planted_site("CD", &coop, None);
                    let lot = self.register_quarantined(si, None);
                    let site = self.sites[si].id.clone();
                    let date = self.w.now - self.w.now % DAY + 10 * DAY;
                    must(
                        self.w.submit(
                            "INSP-CD",
                            Body::SiteInspect(SiteInspect {
                                site: site_id(&site),
                                inspection: Inspection {
                                    id: crate::world::id("INSP-AHEAD"),
                                    date: Millis(date),
                                    result: InspectionResult(1),
                                    report_sha256: None,
                                    report_uri: None,
                                    purpose: Some(text("certification inspection")),
                                    summary: None,
                                },
                            }),
                        ),
                        "inspection ahead",
                    );
                    self.plant(f, vec![lot]);
                }
                Fraud::StolenKey => {
                    // A trader's phone signs a storage claiming a time two
                    // hours ahead; the registry then revokes that key as of
                    // now: the phone signed after its key ended.
                    let t = "TRD-CD-LOST".to_string();
                    must(
                        self.w.register_actor(
                            &t,
                            "Négociant au téléphone perdu",
                            "CD",
                            &[Role::Trader],
                        ),
                        "trader",
                    );
                    let lots = self.fresh_chain("CD", 1, Mineral::Cassiterite);
                    self.transfer(&lots[0], &t);
                    let body = Body::LotStore(LotStore {
                        lot: id(&lots[0]),
                        prev: self.w.head(&lots[0]),
                        place: Place {
                            name: text("Dépôt de Goma"),
                            lat_e6: None,
                            lon_e6: None,
                        },
                        warehouse: None,
                    });
                    // Signed with the clock two hours ahead, recorded now.
                    let now = self.w.now;
                    self.w.now = now + 2 * 3_600_000;
                    let ev = self.w.sign(&t, body);
                    self.w.now = now;
                    must(self.w.submit_signed(&ev), "store");
                    let key = self.w.public(&t).key_id();
                    must(
                        self.w.submit(
                            "REG-CD",
                            Body::KeyRevoke(KeyRevoke {
                                actor: id(&t),
                                revoked: key,
                                reason: text("phone reported lost"),
                            }),
                        ),
                        "revoke",
                    );
                    self.plant(f, lots);
                }
                Fraud::TagReuse => {}
            }
        }
    }

    /// Registers a new cassiterite site of `cc` near its town (Blue), run by
    /// `coop`, with its tags and, if given, a licence granted and expiring
    /// at those times.
    fn planted_site(&mut self, cc: &'static str, coop: &str, licence: Option<(u64, u64)>) -> usize {
        let town = town_of(cc);
        self.planted_site_at(cc, coop, licence, (town.1 - 100_000, town.2 - 100_000))
    }

    /// [`Gen::planted_site`] at a given place (microdegrees; south, east).
    fn planted_site_at(
        &mut self,
        cc: &'static str,
        coop: &str,
        licence: Option<(u64, u64)>,
        (lat, lon): (i64, i64),
    ) -> usize {
        let n = 90_000 + self.sites.len() as u64;
        let id = format!(
            "{cc}--{}.{:04}+{}.{:04}-{n:05}",
            lat.unsigned_abs() / 1_000_000,
            (lat.unsigned_abs() % 1_000_000) / 100,
            lon / 1_000_000,
            (lon % 1_000_000) / 100
        );
        let minerals = vec![Mineral::Cassiterite];
        let mut rec = self
            .w
            .site_record(&id, &format!("Site {n}"), &minerals, 6_000, &[coop]);
        rec.location.lat_e6 = Lat(lat);
        rec.location.lon_e6 = Lon(lon);
        let reg = format!("REG-{cc}");
        must(
            self.w
                .submit(&reg, Body::SiteRegister(SiteRegister { site: rec })),
            "site",
        );
        let prefix = format!("{cc}{n}");
        must(self.w.submit(&reg, all_tags(&id, &prefix)), "tags");
        if let Some((granted, expires)) = licence {
            must(
                self.w.submit(
                    &reg,
                    permit(
                        &format!("LIC-{cc}-{n}"),
                        coop,
                        &id,
                        &minerals,
                        granted,
                        expires,
                    ),
                ),
                "licence",
            );
        }
        self.sites.push(SiteInfo {
            id,
            coop: coop.to_owned(),
            cc,
            minerals,
            capacity_g_30d: 6_000_000,
            status: 0,
            since: self.w.now,
            lat,
            lon,
            prefix,
            next_tag: 1,
            last_tag: 999_999,
            planted: true,
            licence_until: licence.map_or(0, |l| l.1),
            licences: u32::from(licence.is_some()),
        });
        self.sites.len() - 1
    }
}

impl Gen {
    /// Everyday registry work: a key rotation and the old key's revocation,
    /// a profile update, a capacity reassessment, a suspension.
    fn registry_changes(&mut self) {
        if let Some(s) = self.sites.first().cloned() {
            let old = self.w.public(&s.coop).key_id();
            let phone2 = format!("{}-phone2", s.coop);
            let new = self.w.public(&phone2);
            must(
                self.w.submit(
                    &s.coop,
                    Body::KeyRotate(KeyRotate {
                        actor: id(&s.coop),
                        old,
                        new,
                    }),
                ),
                "rotate",
            );
            self.w.use_key(&s.coop, &phone2);
            must(
                self.w.submit(
                    &format!("REG-{}", s.cc),
                    Body::KeyRevoke(KeyRevoke {
                        actor: id(&s.coop),
                        revoked: old,
                        reason: text("phone lost; replaced"),
                    }),
                ),
                "revoke",
            );
        }
        let t = self.traders["RW"][0].clone();
        let mut rec = self
            .w
            .actor_record(&t, "Négociant RW 1 SARL", "RW", &[Role::Trader]);
        rec.keys.clear();
        must(
            self.w.submit(
                "REG-RW",
                Body::ActorUpdate(ActorUpdate {
                    actor: ActorProfile {
                        id: rec.id,
                        name: rec.name,
                        country: rec.country,
                        roles: rec.roles,
                        tin: rec.tin,
                        address: rec.address,
                        contact: rec.contact,
                    },
                }),
            ),
            "actor update",
        );
        if let Some(i) = (0..self.sites.len()).find(|&i| self.sites[i].status == 1) {
            let s = self.sites[i].clone();
            let mut rec = self.w.site_record(
                &s.id,
                &format!("Site {} (reassessed)", i + 1),
                &s.minerals,
                s.capacity_g_30d / 1000 + 500,
                &[&s.coop],
            );
            rec.location.lat_e6 = Lat(s.lat);
            rec.location.lon_e6 = Lon(s.lon);
            must(
                self.w.submit(
                    &format!("REG-{}", s.cc),
                    Body::SiteUpdate(SiteUpdate { site: rec }),
                ),
                "site update",
            );
            self.sites[i].capacity_g_30d += 500_000;
        }
        if let Some(i) = (0..self.sites.len()).find(|&i| self.sites[i].status == 3) {
            let s = self.sites[i].clone();
            must(
                self.w.submit(
                    &format!("INSP-{}", s.cc),
                    Body::SiteStatus(SiteStatus {
                        site: site_id(&s.id),
                        status: CertStatus::RED,
                        reason: long("armed group controls access; production suspended"),
                    }),
                ),
                "site status",
            );
        }
    }
}

/// Every tag `prefix-000001` to `prefix-999999` for `site`.
fn all_tags(site: &str, prefix: &str) -> Body {
    Body::TagsAllocate(TagsAllocate {
        site: site_id(site),
        prefix: crate::world::id(prefix),
        width: TagWidth(6),
        first: 1,
        last: 999_999,
    })
}

/// An artisanal permit for `site`, held by `coop`.
fn permit(
    id: &str,
    coop: &str,
    site: &str,
    minerals: &[Mineral],
    granted: u64,
    expires: u64,
) -> Body {
    Body::LicenceGrant(LicenceGrant {
        licence: Licence {
            id: crate::world::id(id),
            kind: LicenceType::ArtisanalPermit,
            holder: crate::world::id(coop),
            site: Some(site_id(site)),
            minerals: minerals.to_vec(),
            granted: Millis(granted),
            expires: Millis(expires),
        },
    })
}

fn town_of(cc: &str) -> (&'static str, i64, i64) {
    COUNTRIES
        .iter()
        .find(|c| c.cc == cc)
        .map(|c| c.town)
        .unwrap_or(COUNTRIES[0].town)
}

/// The origin of the demo log of `madini-node serve --demo`.
pub const DEMO_ORIGIN: &str = "demo.madini.example/log";

/// The demo scenario for a ledger created at `now` (ms): a few hundred lots
/// with six planted anomalies; its history ends about two months before
/// `now`, so recent-looking data fills the pages.
pub fn demo_config(now: u64) -> Config {
    let mut cfg = Config::new(2026, 300);
    cfg.origin = DEMO_ORIGIN.to_string();
    cfg.days = 120;
    cfg.start = (now - now % DAY) - (cfg.days + 60) * DAY;
    cfg.frauds = vec![
        Fraud::OverCapacity,
        Fraud::RedSite,
        Fraud::MetalFromNothing,
        Fraud::UntaxedExport,
        Fraud::BackDated,
        Fraud::CertOriginOmitted,
    ];
    // The generator's clock runs on past `days` (every event and every
    // transport adds time), so a history started `days` ago would end in
    // the future, and every event a newcomer signs after it would be
    // recorded later than it claims. Find where this history ends and move
    // its start back by whole days until it ends 60 days before `now`.
    let end = generate(&cfg).main.now;
    let target = (now - now % DAY) - 60 * DAY;
    if end > target {
        cfg.start -= (end - target).div_ceil(DAY) * DAY;
    }
    cfg
}

/// Generates a scenario.
///
/// # Panics
/// If the generator breaks a hard rule (a bug in this module).
pub fn generate(cfg: &Config) -> Scenario {
    let mut w = World::new(&cfg.origin, "CD");
    w.now = cfg.start;
    let mut g = Gen {
        w,
        rng: Rng::new(cfg.seed),
        cfg: cfg.clone(),
        sites: Vec::new(),
        traders: BTreeMap::new(),
        processors: Vec::new(),
        exporters: BTreeMap::new(),
        lots: BTreeMap::new(),
        pools: BTreeMap::new(),
        queue: BinaryHeap::new(),
        seq: 0,
        next_lot: 0,
        next_cert: 0,
        last_merged: String::new(),
        last_processed: String::new(),
        planted: Vec::new(),
        next_grade: None,
        next_gps: None,
        pending_frauds: cfg.frauds.clone(),
    };
    g.setup();
    if cfg.frauds.contains(&Fraud::TagReuse) {
        // The first tag of the first site is the one the neighbour reuses.
        let lot = g.register_one(0, None);
        let due = g.w.now + DAY;
        g.schedule(due, Action::Sell(lot));
    }
    g.registry_changes();
    g.run();
    let neighbour = neighbour_log(cfg, &g);
    if cfg.frauds.contains(&Fraud::TagReuse) {
        let lot = "UG9-L000001".to_string();
        g.planted.push(Planted {
            fraud: Fraud::TagReuse,
            lots: vec![lot],
        });
    }
    Scenario {
        main: g.w,
        neighbour,
        planted: g.planted,
    }
}

/// The neighbouring registry: a few lots of its own. With the tag-reuse
/// fraud, its first lot carries a tag already used in the main log.
fn neighbour_log(cfg: &Config, g: &Gen) -> World {
    let mut w = World::new("registry.madini.example/ug-north", "UG");
    w.now = cfg.start + 30 * DAY;
    let ok = |r: Result<Applied, Refusal>| must(r, "neighbour");
    ok(w.register_actor("COOP-UGN", "Coopérative Nord", "UG", &[Role::Cooperative]));
    ok(w.register_actor("INSP-UGN", "Inspectorate North", "UG", &[Role::Inspector]));
    let site = "UG-+2.7700+32.3000-00009";
    let rec = w.site_record(
        site,
        "Gulu gold",
        &[Mineral::Gold, Mineral::Cassiterite],
        10_000,
        &["COOP-UGN"],
    );
    ok(w.register_site(rec));
    ok(w.inspect("INSP-UGN", site, "INS-UGN-1", 1));
    let reused = if cfg.frauds.contains(&Fraud::TagReuse) {
        let s = &g.sites[0];
        Some((s.prefix.clone(), 1u64))
    } else {
        None
    };
    // Only the first lot reuses a tag; the others carry the neighbour's own.
    if let Some((prefix, first)) = &reused {
        ok(w.allocate_tags(site, prefix, 6, *first, *first));
    }
    ok(w.allocate_tags(site, "UGN", 6, 1, 1000));
    for k in 0..5u64 {
        let tag = match &reused {
            Some((prefix, first)) if k == 0 => format!("{prefix}-{first:06}"),
            _ => format!("UGN-{:06}", k + 1),
        };
        ok(w.register_lot(
            "COOP-UGN",
            &format!("UG9-L{:06}", k + 1),
            site,
            &tag,
            Mineral::Cassiterite,
            40_000,
            6_000,
        ));
    }
    w
}
