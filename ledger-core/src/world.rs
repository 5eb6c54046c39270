//! A deterministic driver for building logs in memory: named actors with keys
//! derived from their names, a clock the caller moves, and one method per
//! event type. Tests, the spec's vectors, benchmarks, the node's demo ledger
//! and the scenario generator all build their logs through it, so they sign
//! events exactly as any client does.

use crate::crypto::{PublicKey, SecretKey};
use crate::event::*;
use crate::hash::{Hash, sha256};
use crate::log::{MemLog, SignedEvent};
use crate::rules::{Applied, Refusal};
use crate::state::StateRead as _;
use crate::types::*;

/// The key of a named test or demo identity: the Ed25519 seed is
/// `SHA-256("madini test key" || 0x00 || name)`. Never use for real keys.
pub fn named_key(name: &str) -> SecretKey {
    let mut m = b"madini test key\0".to_vec();
    m.extend_from_slice(name.as_bytes());
    SecretKey::from_seed(&sha256(&m).0)
}

/// 2026-01-05T08:00:00Z in ms, the default start of simulated time.
pub const DEFAULT_START: u64 = 1_767_600_000_000;
/// One minute in ms.
pub const MINUTE: u64 = 60_000;
/// One day in ms.
pub const DAY: u64 = 86_400_000;

/// Shorthand for ids in builders; panics on an invalid literal, so use it
/// only with literals and generated ids known to be valid.
pub fn id(s: &str) -> Id {
    Id::new(s).unwrap_or_else(|e| panic!("invalid id {s:?}: {e}"))
}

/// Shorthand for short text, as `id`.
pub fn text(s: &str) -> Text {
    Text::new(s).unwrap_or_else(|e| panic!("invalid text {s:?}: {e}"))
}

/// Shorthand for long text, as `id`.
pub fn long(s: &str) -> LongText {
    LongText::new(s).unwrap_or_else(|e| panic!("invalid text {s:?}: {e}"))
}

/// Shorthand for a site id, as `id`.
pub fn site_id(s: &str) -> SiteId {
    SiteId::new(s).unwrap_or_else(|e| panic!("invalid site id {s:?}: {e}"))
}

/// Shorthand for a country, as `id`.
pub fn country(s: &str) -> Country {
    Country::new(s).unwrap_or_else(|e| panic!("invalid country {s:?}: {e}"))
}

/// Shorthand for grams.
pub fn grams(g: u64) -> Grams {
    Grams::new(g).unwrap_or_else(|e| panic!("invalid mass {g}: {e}"))
}

/// Shorthand for a grade.
pub fn grade(bp: u16) -> Grade {
    Grade::new(bp).unwrap_or_else(|e| panic!("invalid grade {bp}: {e}"))
}

/// A log being built.
#[derive(Clone)]
pub struct World {
    /// The log.
    pub log: MemLog,
    /// The log's origin.
    pub origin: Origin,
    /// The log key.
    pub log_key: SecretKey,
    /// Simulated time of the next event (claimed time), ms.
    pub now: u64,
    /// Added to `now` to get the record time (delay before the node saw it).
    pub record_lag: u64,
    /// Advanced after every event.
    pub step: u64,
    /// Every event submitted and accepted, in log order.
    pub accepted: Vec<SignedEvent>,
    /// Actors whose key was rotated: actor id -> name of the key now used.
    aliases: std::collections::BTreeMap<String, String>,
}

impl World {
    /// A new log with genesis: the log key named `log` and one authority `AUTH`
    /// (key named `AUTH`) in country `cc`.
    pub fn new(origin: &str, cc: &str) -> World {
        let origin = Origin::new(origin).unwrap_or_else(|e| panic!("invalid origin: {e}"));
        let log_key = named_key(&format!("log:{origin}"));
        let mut w = World {
            log: MemLog::new(),
            origin,
            log_key,
            now: DEFAULT_START,
            record_lag: 2_000,
            step: MINUTE,
            accepted: Vec::new(),
            aliases: std::collections::BTreeMap::new(),
        };
        let auth = w.actor_record("AUTH", "National Mining Registry", cc, &[Role::Authority]);
        let genesis = Event {
            log: w.origin.clone(),
            key: w.log_key.public().key_id(),
            time: Millis(w.now),
            body: Body::Genesis(Genesis {
                log_key: w.log_key.public(),
                authorities: vec![auth],
            }),
        };
        let ev = SignedEvent::sign(&genesis, &w.log_key).unwrap_or_else(|e| panic!("{e}"));
        w.submit_signed(&ev)
            .unwrap_or_else(|e| panic!("genesis refused: {e}"));
        w
    }

    /// The public key of a named identity.
    pub fn public(&self, name: &str) -> PublicKey {
        named_key(name).public()
    }

    /// An actor record with the key named after the actor, contact details and an address.
    pub fn actor_record(&self, id_: &str, name: &str, cc: &str, roles: &[Role]) -> ActorRecord {
        let pk = self.public(id_);
        ActorRecord {
            id: id(id_),
            name: text(name),
            country: country(cc),
            roles: roles.to_vec(),
            keys: vec![pk],
            tin: Some(text(&format!("TIN-{id_}"))),
            address: Some(Address {
                locality: text("Goma"),
                region_code: None,
                region: None,
            }),
            contact: Some(Contact {
                representative: Some(text(&format!("Representative of {id_}"))),
                phone: Some(Phone::new("+243810000000").unwrap_or_else(|e| panic!("{e}"))),
                email: Some(text(&format!("{}@example.org", id_.to_ascii_lowercase()))),
            }),
        }
    }

    /// From now on, `sign(actor, ..)` uses the key named `key_name` (after a rotation).
    pub fn use_key(&mut self, actor: &str, key_name: &str) {
        self.aliases.insert(actor.to_string(), key_name.to_string());
    }

    /// Signs `body` as an event by the key named `signer` (or the key set by
    /// `use_key` for that name), claimed at `now`.
    pub fn sign(&self, signer: &str, body: Body) -> SignedEvent {
        let name = self.aliases.get(signer).map_or(signer, String::as_str);
        let key = named_key(name);
        let event = Event {
            log: self.origin.clone(),
            key: key.public().key_id(),
            time: Millis(self.now),
            body,
        };
        SignedEvent::sign(&event, &key).unwrap_or_else(|e| panic!("{e}"))
    }

    /// Signs and submits; on success the clock moves on by `step`.
    ///
    /// # Errors
    /// The refusal; nothing changes.
    pub fn submit(&mut self, signer: &str, body: Body) -> Result<Applied, Refusal> {
        let ev = self.sign(signer, body);
        self.submit_signed(&ev)
    }

    /// Submits an already signed event.
    ///
    /// # Errors
    /// The refusal; nothing changes.
    pub fn submit_signed(&mut self, ev: &SignedEvent) -> Result<Applied, Refusal> {
        let applied = self.log.submit(ev, self.now + self.record_lag)?;
        self.accepted.push(ev.clone());
        self.now += self.step;
        Ok(applied)
    }

    /// The head of a lot.
    ///
    /// # Panics
    /// If the lot does not exist (a bug in the caller's script).
    pub fn head(&self, lot: &str) -> Hash {
        match self.log.state.lot(lot) {
            Ok(Some(l)) => l.head,
            _ => panic!("no lot {lot}"),
        }
    }

    /// The hash of figure event `n` of a lot (`n = None`: the one its current
    /// figures come from).
    ///
    /// # Panics
    /// If the lot or the figure does not exist.
    pub fn figure(&self, lot: &str, n: Option<u32>) -> Hash {
        let l = match self.log.state.lot(lot) {
            Ok(Some(l)) => l,
            _ => panic!("no lot {lot}"),
        };
        let figures = self.log.state.figures(lot).unwrap_or_default();
        figures[n.unwrap_or(l.current_figure) as usize].event
    }

    /// The signed checkpoint of the current tree.
    pub fn checkpoint(&self) -> String {
        self.log
            .checkpoint(&self.log_key)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    // -- registry shortcuts -------------------------------------------------

    /// `actor.register` by `AUTH`.
    ///
    /// # Errors
    /// The refusal.
    pub fn register_actor(
        &mut self,
        id_: &str,
        name: &str,
        cc: &str,
        roles: &[Role],
    ) -> Result<Applied, Refusal> {
        let actor = self.actor_record(id_, name, cc, roles);
        self.submit("AUTH", Body::ActorRegister(ActorRegister { actor }))
    }

    /// A site record.
    pub fn site_record(
        &self,
        id_: &str,
        name: &str,
        minerals: &[Mineral],
        capacity_kg_month: u64,
        operators: &[&str],
    ) -> SiteRecord {
        let sid = site_id(id_);
        let (lat, lon) = coords_from_site_id(id_);
        SiteRecord {
            country: country(sid.country()),
            id: sid,
            national_id: None,
            name: text(name),
            location: Location {
                lat_e6: Lat(lat),
                lon_e6: Lon(lon),
                region_code: None,
                region: None,
                locality: None,
            },
            minerals: minerals.to_vec(),
            activity: Activity(1),
            capacity: Capacity {
                mass_g: grams(capacity_kg_month * 1000),
                days: Days(30),
            },
            operators: operators.iter().map(|o| id(o)).collect(),
        }
    }

    /// `site.register` by `AUTH`.
    ///
    /// # Errors
    /// The refusal.
    pub fn register_site(&mut self, site: SiteRecord) -> Result<Applied, Refusal> {
        self.submit("AUTH", Body::SiteRegister(SiteRegister { site }))
    }

    /// `site.inspect` by `inspector` with result 1 (Green), 2 (Yellow) or 3 (Red), dated now.
    ///
    /// # Errors
    /// The refusal.
    pub fn inspect(
        &mut self,
        inspector: &str,
        site: &str,
        inspection: &str,
        result: u8,
    ) -> Result<Applied, Refusal> {
        let date = self.now - self.now % DAY;
        self.submit(
            inspector,
            Body::SiteInspect(SiteInspect {
                site: site_id(site),
                inspection: Inspection {
                    id: id(inspection),
                    date: Millis(date),
                    result: InspectionResult(result),
                    report_sha256: Some(sha256(inspection.as_bytes())),
                    report_uri: None,
                    purpose: Some(text("certification inspection")),
                    summary: None,
                },
            }),
        )
    }

    /// `tags.allocate` by `AUTH`.
    ///
    /// # Errors
    /// The refusal.
    pub fn allocate_tags(
        &mut self,
        site: &str,
        prefix: &str,
        width: u8,
        first: u64,
        last: u64,
    ) -> Result<Applied, Refusal> {
        self.submit(
            "AUTH",
            Body::TagsAllocate(TagsAllocate {
                site: site_id(site),
                prefix: id(prefix),
                width: TagWidth(width),
                first,
                last,
            }),
        )
    }

    // -- lot shortcuts ------------------------------------------------------

    /// `lot.register` by cooperative `coop`.
    ///
    /// # Errors
    /// The refusal.
    #[allow(clippy::too_many_arguments)]
    pub fn register_lot(
        &mut self,
        coop: &str,
        lot: &str,
        site: &str,
        tag: &str,
        mineral: Mineral,
        mass_g: u64,
        grade_bp: u16,
    ) -> Result<Applied, Refusal> {
        let body = Body::LotRegister(LotRegister {
            lot: id(lot),
            site: site_id(site),
            tag: TagId::new(tag).unwrap_or_else(|e| panic!("{e}")),
            mineral,
            mass_g: grams(mass_g),
            grade_bp: grade(grade_bp),
            miner: None,
            gps: None,
            packages: None,
        });
        self.submit(coop, body)
    }

    /// `lot.offer` then `lot.accept`, with the same figures on both sides.
    ///
    /// # Errors
    /// The first refusal.
    pub fn transfer(
        &mut self,
        from: &str,
        to: &str,
        lot: &str,
        mass_g: u64,
        grade_bp: u16,
    ) -> Result<Applied, Refusal> {
        self.offer(from, to, lot, mass_g, grade_bp)?;
        self.accept(to, lot, mass_g, grade_bp)
    }

    /// `lot.offer`.
    ///
    /// # Errors
    /// The refusal.
    pub fn offer(
        &mut self,
        from: &str,
        to: &str,
        lot: &str,
        mass_g: u64,
        grade_bp: u16,
    ) -> Result<Applied, Refusal> {
        let prev = self.head(lot);
        self.submit(
            from,
            Body::LotOffer(LotOffer {
                lot: id(lot),
                prev,
                to: id(to),
                mass_g: grams(mass_g),
                grade_bp: grade(grade_bp),
                price: None,
            }),
        )
    }

    /// `lot.accept`.
    ///
    /// # Errors
    /// The refusal.
    pub fn accept(
        &mut self,
        by: &str,
        lot: &str,
        mass_g: u64,
        grade_bp: u16,
    ) -> Result<Applied, Refusal> {
        let prev = self.head(lot);
        self.submit(
            by,
            Body::LotAccept(LotAccept {
                lot: id(lot),
                prev,
                mass_g: grams(mass_g),
                grade_bp: grade(grade_bp),
            }),
        )
    }

    /// `lot.split` into children `(id, mass_g, grade_bp)`.
    ///
    /// # Errors
    /// The refusal.
    pub fn split(
        &mut self,
        by: &str,
        lot: &str,
        children: &[(&str, u64, u16)],
    ) -> Result<Applied, Refusal> {
        let prev = self.head(lot);
        self.submit(
            by,
            Body::LotSplit(LotSplit {
                lot: id(lot),
                prev,
                children: children
                    .iter()
                    .map(|(c, m, g)| SplitChild {
                        lot: id(c),
                        mass_g: grams(*m),
                        grade_bp: grade(*g),
                    })
                    .collect(),
            }),
        )
    }

    fn inputs(&self, lots: &[&str]) -> Vec<Input> {
        lots.iter()
            .map(|l| Input {
                lot: id(l),
                prev: self.head(l),
            })
            .collect()
    }

    /// `lot.merge`.
    ///
    /// # Errors
    /// The refusal.
    pub fn merge(
        &mut self,
        by: &str,
        inputs: &[&str],
        out: &str,
        mass_g: u64,
        grade_bp: u16,
    ) -> Result<Applied, Refusal> {
        let inputs = self.inputs(inputs);
        self.submit(
            by,
            Body::LotMerge(LotMerge {
                inputs,
                lot: id(out),
                mass_g: grams(mass_g),
                grade_bp: grade(grade_bp),
            }),
        )
    }

    /// `lot.process`.
    ///
    /// # Errors
    /// The refusal.
    pub fn process(
        &mut self,
        by: &str,
        inputs: &[&str],
        out: &str,
        mass_g: u64,
        grade_bp: u16,
    ) -> Result<Applied, Refusal> {
        let inputs = self.inputs(inputs);
        self.submit(
            by,
            Body::LotProcess(LotProcess {
                inputs,
                lot: id(out),
                mass_g: grams(mass_g),
                grade_bp: grade(grade_bp),
                method: text("washing and magnetic separation"),
            }),
        )
    }

    /// `lot.transport` between two named points over `hours`.
    ///
    /// # Errors
    /// The refusal.
    pub fn transport(
        &mut self,
        by: &str,
        lot: &str,
        from: (&str, i64, i64),
        to: (&str, i64, i64),
        hours: u64,
    ) -> Result<Applied, Refusal> {
        let prev = self.head(lot);
        let place = |p: (&str, i64, i64)| Place {
            name: text(p.0),
            lat_e6: Some(Lat(p.1)),
            lon_e6: Some(Lon(p.2)),
        };
        let departed = self.now;
        self.submit(
            by,
            Body::LotTransport(LotTransport {
                lot: id(lot),
                prev,
                from: place(from),
                to: place(to),
                departed: Millis(departed),
                arrived: Millis(departed + hours * 3_600_000),
                carrier: Some(text("Great Lakes Transport")),
                method: Some(text("truck")),
            }),
        )
    }

    /// `lot.tax`.
    ///
    /// # Errors
    /// The refusal.
    pub fn pay_tax(
        &mut self,
        by: &str,
        lot: &str,
        kind: &str,
        amount_minor: u64,
        currency: &str,
    ) -> Result<Applied, Refusal> {
        let prev = self.head(lot);
        let paid = self.now;
        self.submit(
            by,
            Body::LotTax(LotTax {
                lot: id(lot),
                prev,
                tax: Tax {
                    kind: text(kind),
                    amount: Minor(amount_minor),
                    currency: Currency::new(currency).unwrap_or_else(|e| panic!("{e}")),
                    authority: text("Provincial Mining Division"),
                    receipt: text(&format!("R-{}", &prev.to_hex()[..10])),
                    paid: Millis(paid),
                },
            }),
        )
    }

    /// `cert.issue` by `AUTH`, valid 60 days from now.
    ///
    /// # Errors
    /// The refusal.
    #[allow(clippy::too_many_arguments)]
    pub fn issue_cert(
        &mut self,
        cert_id: &str,
        exporter: &str,
        lots: &[&str],
        mineral: Mineral,
        mass_g: u64,
        origins: &[&str],
        destination: &str,
    ) -> Result<Applied, Refusal> {
        let issued = self.now;
        self.submit(
            "AUTH",
            Body::CertIssue(CertIssue {
                cert: Cert {
                    id: id(cert_id),
                    exporter: id(exporter),
                    lots: lots.iter().map(|l| id(l)).collect(),
                    mineral,
                    mass_g: grams(mass_g),
                    origins: origins.iter().map(|c| country(c)).collect(),
                    destination: country(destination),
                    issued: Millis(issued),
                    expires: Millis(issued + 60 * DAY),
                    request: None,
                },
            }),
        )
    }

    /// `lot.export`.
    ///
    /// # Errors
    /// The refusal.
    pub fn export(
        &mut self,
        by: &str,
        lot: &str,
        cert: &str,
        mass_g: u64,
        destination: &str,
    ) -> Result<Applied, Refusal> {
        let prev = self.head(lot);
        self.submit(
            by,
            Body::LotExport(LotExport {
                lot: id(lot),
                prev,
                cert: id(cert),
                mass_g: grams(mass_g),
                destination: country(destination),
            }),
        )
    }
}

/// Reads approximate coordinates (x 10^6) out of an ICGLR site id such as
/// `CD-1.9403+29.8739-00001`. A latitude with no sign of its own after the
/// country code's `-` is south: in ICGLR's own example that id is the site
/// at latitude −1.9403 (`reference/icglr`, mine-site example). `CD--1.9`
/// and `UG-+0.3` state their sign.
pub fn coords_from_site_id(site: &str) -> (i64, i64) {
    let rest = &site[3.min(site.len())..];
    let (neg_lat, rest) = match rest.as_bytes().first() {
        Some(b'-') => (true, &rest[1..]),
        Some(b'+') => (false, &rest[1..]),
        _ => (true, rest),
    };
    let sign_pos = rest.find(['+', '-']).unwrap_or(rest.len());
    let lat = parse_e6(&rest[..sign_pos]);
    let rest2 = &rest[sign_pos..];
    let neg_lon = rest2.starts_with('-');
    let rest2 = rest2.get(1..).unwrap_or("");
    let end = rest2.find('-').unwrap_or(rest2.len());
    let lon = parse_e6(&rest2[..end]);
    (
        if neg_lat { -lat } else { lat },
        if neg_lon { -lon } else { lon },
    )
}

fn parse_e6(s: &str) -> i64 {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    let mut v: i64 = int.parse().unwrap_or(0) * 1_000_000;
    let mut scale = 100_000;
    for d in frac.bytes().take(6) {
        v += i64::from(d - b'0') * scale;
        scale /= 10;
    }
    v
}
