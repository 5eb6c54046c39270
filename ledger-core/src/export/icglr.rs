//! ICGLR Mining Sector Data Sharing Protocol documents (`spec/exports.md`
//! section 3): a `Catalog` folded from the log's entries produces MD.01 mine
//! sites (with MD.02, MD.07 and MD.10), MD.12 lots (with MD.11 and MD.13),
//! MD.03 export certificates and MD.04 business entities as JSON values; and
//! `import_mine_sites` / `import_business_entities` turn MD.01 and MD.04
//! records into `site.register` and `actor.register` bodies, refusing a
//! record whole, with the JSON path of every bad field, rather than importing
//! part of it.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;

use serde_json::{Map, Value, json};

use crate::crypto::PublicKey;
use crate::event::*;
use crate::hash::Hash;
use crate::state::{LotStatus, StateRead};
use crate::time;
use crate::types::*;

use super::Entry;
use super::book::{ActorRec, Creation, LotBook, RegistryBook};
use super::epcis::event_id;
use super::units::{
    self, Decimal, MassError, currency_exponent, degrees, json_decimal, kg, percent,
};

/// ICGLR member states (`core/common.json`, `ICGLRMemberState`).
pub const MEMBER_STATES: [&str; 12] = [
    "AO", "BI", "CD", "CF", "CG", "KE", "RW", "SS", "SD", "TZ", "UG", "ZM",
];

/// What the catalog keeps per lot beyond the shared lot record.
#[derive(Clone, Debug, Default)]
struct LotExtra {
    site: Option<SiteId>,
    tag: Option<TagId>,
    packages: Option<u16>,
    taxes: Vec<Tax>,
    purchased: bool,
    transport: Option<LotTransport>,
    stored: bool,
    received: Option<u64>,
    export: Option<Id>,
}

/// Everything the ICGLR documents need, folded from the log's entries in
/// order (`spec/exports.md` section 3). Memory grows with actors, sites, lots
/// and their taxes, never with other events.
#[derive(Clone, Debug, Default)]
pub struct Catalog {
    origin: Option<Origin>,
    reg: RegistryBook,
    lots: LotBook,
    extra: HashMap<Id, LotExtra>,
}

impl Catalog {
    /// An empty catalog.
    pub fn new() -> Catalog {
        Catalog::default()
    }

    /// Whether the catalog reads events of this type (for
    /// `EntryReader::read_if`).
    pub fn wants(event_type: &str) -> bool {
        !matches!(
            event_type,
            "incident.report" | "incident.status" | "cert.request" | "key.revoke"
        )
    }

    /// Folds in the next entry. Entries must come in log order, each once.
    pub fn entry(&mut self, e: &Entry) {
        if self.origin.is_none() {
            self.origin = Some(e.event.log.clone());
        }
        let date = e.event.time.0;
        match &e.event.body {
            Body::LotRegister(b) => {
                self.extra.insert(
                    b.lot.clone(),
                    LotExtra {
                        site: Some(b.site.clone()),
                        tag: Some(b.tag.clone()),
                        packages: b.packages.map(|p| p.0),
                        ..LotExtra::default()
                    },
                );
            }
            Body::LotSplit(b) => {
                for c in &b.children {
                    self.extra.insert(c.lot.clone(), LotExtra::default());
                }
            }
            Body::LotMerge(LotMerge { lot, .. }) | Body::LotProcess(LotProcess { lot, .. }) => {
                self.extra.insert(lot.clone(), LotExtra::default());
            }
            Body::LotAccept(b) => {
                let sale = self
                    .lots
                    .get(&b.lot)
                    .and_then(|l| l.pending.as_ref())
                    .is_some_and(|p| p.price.is_some());
                if let Some(x) = self.extra.get_mut(&b.lot) {
                    x.purchased |= sale;
                    x.received = Some(date);
                }
            }
            Body::LotTransport(b) => {
                if let Some(x) = self.extra.get_mut(&b.lot) {
                    x.transport = Some(b.clone());
                }
            }
            Body::LotStore(b) => {
                if let Some(x) = self.extra.get_mut(&b.lot) {
                    x.stored = true;
                }
            }
            Body::LotTax(b) => {
                if let Some(x) = self.extra.get_mut(&b.lot) {
                    x.taxes.push(b.tax.clone());
                }
            }
            Body::LotExport(b) => {
                if let Some(x) = self.extra.get_mut(&b.lot) {
                    x.export = Some(b.cert.clone());
                }
            }
            _ => {}
        }
        self.reg.apply(e);
        self.lots.apply(e);
    }

    /// Every registered actor id, sorted.
    pub fn actor_ids(&self) -> impl Iterator<Item = &Id> {
        self.reg.actors.keys()
    }

    /// Every registered site id, sorted.
    pub fn site_ids(&self) -> impl Iterator<Item = &SiteId> {
        self.reg.sites.keys()
    }

    /// Every lot id, sorted.
    pub fn lot_ids(&self) -> impl Iterator<Item = &Id> {
        let mut ids: Vec<&Id> = self.lots.lots.keys().collect();
        ids.sort_unstable();
        ids.into_iter()
    }

    /// Every certificate id, sorted.
    pub fn cert_ids(&self) -> impl Iterator<Item = &Id> {
        self.reg.certs.keys()
    }

    /// MD.04 Business Entity for a registered actor (`spec/exports.md` 3.1).
    pub fn business_entity(&self, id: &str) -> Option<Value> {
        self.reg.actors.get(id).map(entity)
    }

    /// Every actor whose MD.09 contact details are missing or do not fit
    /// the ICGLR schema, with the MD.09 fields at fault: the documents that
    /// name such an actor (its MD.04, and the MD.01, MD.12 and MD.03 that
    /// embed it) do not validate until the registry records them
    /// (`spec/exports.md` 3.1).
    pub fn contact_gaps(&self) -> Vec<(&Id, Vec<&'static str>)> {
        self.reg
            .actors
            .iter()
            .filter_map(|(id, a)| {
                let g = contact_gaps(a.profile.contact.as_ref());
                (!g.is_empty()).then_some((id, g))
            })
            .collect()
    }

    /// MD.01 Mine Site with its MD.02 licences, MD.07 inspections and MD.10
    /// status history (`spec/exports.md` 3.2).
    pub fn mine_site(&self, id: &str) -> Option<Value> {
        let s = self.reg.sites.get(id)?;
        let r = &s.record;
        let mut m = Map::new();
        m.insert("icglrId".into(), json!(r.id));
        m.insert("addressCountry".into(), json!(r.country));
        m.insert(
            "nationalId".into(),
            json!(r.national_id.as_ref().map_or(r.id.as_str(), |n| n.as_str())),
        );
        m.insert("certificationStatus".into(), json!(s.status));
        m.insert("activityStatus".into(), json!(r.activity.0));
        let mut loc = Map::new();
        loc.insert(
            "geolocalization".into(),
            json!({
                "latitude": degrees(r.location.lat_e6.0),
                "longitude": degrees(r.location.lon_e6.0),
            }),
        );
        if let Some(locality) = &r.location.locality {
            let mut a = Map::new();
            a.insert("country".into(), json!(r.country));
            a.insert("addressLocalityText".into(), json!(locality));
            if let Some(c) = &r.location.region_code {
                a.insert("subnationalDivisionL1".into(), json!(c));
            }
            if let Some(t) = &r.location.region {
                a.insert("subnationalDivisionL1Text".into(), json!(t));
            }
            loc.insert("localGeographicDesignation".into(), Value::Object(a));
        }
        m.insert("mineSiteLocation".into(), Value::Object(loc));
        m.insert(
            "mineral".into(),
            json!(r.minerals.iter().map(|x| x.code()).collect::<Vec<_>>()),
        );
        let licences: Vec<&Licence> = self
            .reg
            .licences
            .values()
            .filter(|l| l.site.as_ref() == Some(&r.id))
            .collect();
        let licence_docs: Vec<Value> = if licences.is_empty() {
            vec![json!({
                "licenseType": "unlicensed",
                "coveredCommodities": r.minerals.iter().map(|x| x.code()).collect::<Vec<_>>(),
            })]
        } else {
            licences.iter().map(|l| self.licence(l)).collect()
        };
        m.insert("license".into(), Value::Array(licence_docs));
        let owner = licences
            .first()
            .map(|l| &l.holder)
            .or_else(|| r.operators.first());
        if let Some(o) = owner {
            m.insert("owner".into(), self.entity_of(o));
        }
        m.insert(
            "operator".into(),
            Value::Array(r.operators.iter().map(|o| self.entity_of(o)).collect()),
        );
        m.insert(
            "inspection".into(),
            Value::Array(
                s.inspections
                    .iter()
                    .map(|i| self.inspection(&i.inspection, i.inspector.as_ref()))
                    .collect(),
            ),
        );
        m.insert(
            "statusChange".into(),
            Value::Array(
                s.history
                    .iter()
                    .map(|(d, st)| json!({"dateOfChange": time::date(*d), "newStatus": st}))
                    .collect(),
            ),
        );
        m.insert("madini:name".into(), json!(r.name));
        m.insert(
            "madini:capacity".into(),
            json!({
                "mass": kg(r.capacity.mass_g.0),
                "unitOfMeasurement": "KGM",
                "days": r.capacity.days.0,
            }),
        );
        m.insert(
            "madini:statusSince".into(),
            json!(time::date(s.status_since)),
        );
        if let Some(d) = s.last_inspection {
            m.insert("madini:lastInspection".into(), json!(time::date(d)));
        }
        m.insert("madini:registered".into(), json!(time::date(s.registered)));
        Some(Value::Object(m))
    }

    /// MD.12 Lot with its MD.11 tag and MD.13 taxes (`spec/exports.md` 3.3).
    pub fn lot(&self, id: &str) -> Option<Value> {
        let l = self.lots.get(id)?;
        let x = self.extra.get(id).cloned().unwrap_or_default();
        let mut m = Map::new();
        m.insert("lotNumber".into(), json!(id));
        m.insert("dateRegistration".into(), json!(time::date(l.created_time)));
        m.insert(
            "timeRegistration".into(),
            json!(time::hhmmss(l.created_time)),
        );
        m.insert("creator".into(), self.entity_of(&l.creator));
        m.insert("mineral".into(), json!(l.mineral.code()));
        m.insert("concentration".into(), json!(percent(l.grade)));
        m.insert("mass".into(), json!(kg(l.mass)));
        m.insert("unitOfMeasurement".into(), json!("KGM"));
        if let Some(p) = x.packages {
            m.insert("nrOfPackages".into(), json!(p));
        }
        if let Some(s) = &x.site {
            m.insert("mineSiteId".into(), json!(s));
        }
        m.insert("creatorRole".into(), json!(self.coc_roles(&l.creator)));
        if l.custodian != l.creator {
            m.insert("recipient".into(), self.entity_of(&l.custodian));
        }
        let mut ops = BTreeSet::new();
        ops.insert(match l.creation {
            Creation::Register => 1u8,
            Creation::Split | Creation::Merge => 3,
            Creation::Process => 4,
        });
        if x.purchased {
            ops.insert(2);
        }
        if x.transport.is_some() {
            ops.insert(5);
        }
        if x.stored {
            ops.insert(6);
        }
        if l.status == LotStatus::Exported {
            ops.insert(8);
        }
        m.insert("originatingOperation".into(), json!(ops));
        if !l.parents.is_empty() {
            m.insert(
                "inputLot".into(),
                Value::Array(l.parents.iter().map(|p| json!({"lotNumber": p})).collect()),
            );
        }
        if let Some(tag) = &x.tag {
            let mut t = Map::new();
            t.insert("identifier".into(), json!(tag));
            if let Some(a) = self.reg.allocation_of(tag) {
                if let Some(issuer) = &a.issuer {
                    t.insert("issuer".into(), self.entity_of(issuer));
                }
                t.insert("issueDate".into(), json!(time::date(a.time)));
                t.insert("issueTime".into(), json!(time::hhmmss(a.time)));
                t.insert("madini:site".into(), json!(a.site));
            }
            m.insert("tag".into(), Value::Object(t));
        }
        if !x.taxes.is_empty() {
            m.insert(
                "taxPaid".into(),
                Value::Array(x.taxes.iter().map(tax).collect()),
            );
        }
        if x.site.is_some() {
            m.insert("dateSealed".into(), json!(time::date(l.created_time)));
        }
        if let Some(d) = x.received {
            m.insert("dateIn".into(), json!(time::date(d)));
        }
        if let Some(t) = &x.transport {
            if let Some(method) = &t.method {
                m.insert("transportationMethod".into(), json!(method));
            }
            m.insert(
                "transportationRoute".into(),
                json!(format!("{} to {}", t.from.name, t.to.name)),
            );
            if let Some(c) = &t.carrier {
                m.insert("transportCompany".into(), json!(c));
            }
        }
        if let Some(c) = &x.export {
            m.insert("exportCertificateId".into(), json!(c));
        }
        m.insert("madini:massG".into(), json!(l.mass));
        m.insert("madini:gradeBp".into(), json!(l.grade));
        m.insert("madini:status".into(), json!(status_name(l.status)));
        m.insert("madini:custodian".into(), json!(l.custodian));
        let origins: BTreeSet<&SiteId> = self
            .lots
            .lineage(&Id::new(id).ok()?)
            .iter()
            .filter_map(|a| self.extra.get(a).and_then(|x| x.site.as_ref()))
            .collect();
        m.insert("madini:originSites".into(), json!(origins));
        Some(Value::Object(m))
    }

    /// MD.03 Export Certificate (`spec/exports.md` 3.4).
    pub fn export_certificate(&self, id: &str) -> Option<Value> {
        let c = self.reg.certs.get(id)?;
        let cert = &c.cert;
        let issuer = c.issuer.as_ref().and_then(|i| self.reg.actors.get(i));
        let exporter = self.reg.actors.get(&cert.exporter);
        let mut m = Map::new();
        m.insert(
            "issuingCountry".into(),
            json!(issuer.map_or("", |a| a.profile.country.as_str())),
        );
        m.insert("identifier".into(), json!(cert.id));
        m.insert("exporter".into(), self.entity_of(&cert.exporter));
        m.insert(
            "importer".into(),
            unrecorded_importer(&cert.destination, exporter),
        );
        let lot_number = match (&cert.request, cert.lots.as_slice()) {
            (Some(r), _) => r.to_string(),
            (None, [one]) => one.to_string(),
            (None, many) => many
                .iter()
                .map(|l| l.as_str())
                .collect::<Vec<_>>()
                .join(";"),
        };
        m.insert("lotNumber".into(), json!(lot_number));
        m.insert(
            "designatedMineralDescription".into(),
            json!(format!(
                "{}, {} kg, lots {}",
                cert.mineral.name_en(),
                units::decimal_text(i128::from(cert.mass_g.0), 3),
                cert.lots
                    .iter()
                    .map(|l| l.as_str())
                    .collect::<Vec<_>>()
                    .join(";")
            )),
        );
        m.insert("typeOfOre".into(), json!(cert.mineral.code()));
        m.insert("lotWeight".into(), json!(kg(cert.mass_g.0)));
        m.insert("lotWeightUOM".into(), json!("KGM"));
        m.insert("lotGrade".into(), json!(self.cert_grade(cert)));
        m.insert(
            "mineralOrigin".into(),
            json!(
                cert.origins
                    .iter()
                    .map(|c| c.as_str())
                    .collect::<Vec<_>>()
                    .join(";")
            ),
        );
        m.insert("customsValue".into(), json!("N/A"));
        let shipped = c.exports.iter().map(|x| x.time).min();
        m.insert(
            "dateOfShipment".into(),
            json!(time::date(shipped.unwrap_or(cert.issued.0))),
        );
        let authority_name = issuer.map_or("N/A", |a| a.profile.name.as_str());
        m.insert("memberStateIssuingAuthority".into(), json!(authority_name));
        m.insert("nameOfVerifier".into(), json!(authority_name));
        m.insert(
            "positionOfVerifier".into(),
            json!("issuing authority (signer of cert.issue)"),
        );
        if let Some(i) = &c.issuer {
            m.insert("idOfVerifier".into(), json!(i));
        }
        m.insert(
            "dateOfVerification".into(),
            json!(time::date(cert.issued.0)),
        );
        m.insert("nameOfValidator".into(), json!(authority_name));
        m.insert("dateOfIssuance".into(), json!(time::date(cert.issued.0)));
        m.insert("dateOfExpiration".into(), json!(time::date(cert.expires.0)));
        m.insert("certificateFile".into(), json!(event_id(&c.leaf_hash, 0)));
        m.insert("madini:lots".into(), json!(cert.lots));
        m.insert("madini:massG".into(), json!(cert.mass_g.0));
        m.insert("madini:destination".into(), json!(cert.destination));
        if let Some(r) = &cert.request {
            m.insert("madini:request".into(), json!(r));
        }
        m.insert(
            "madini:entry".into(),
            json!({"index": c.index, "leafHash": c.leaf_hash}),
        );
        m.insert(
            "madini:exports".into(),
            Value::Array(
                c.exports
                    .iter()
                    .map(|x| json!({"lot": x.lot, "massG": x.mass, "date": time::date(x.time)}))
                    .collect(),
            ),
        );
        Some(Value::Object(m))
    }

    fn entity_of(&self, id: &Id) -> Value {
        match self.reg.actors.get(id) {
            Some(a) => entity(a),
            None => json!({"identifier": id, "name": id, "tin": "N/A"}),
        }
    }

    fn coc_roles(&self, id: &Id) -> Vec<u8> {
        let set: BTreeSet<u8> = self
            .reg
            .actors
            .get(id)
            .map(|a| a.profile.roles.iter().map(|r| r.mdc05()).collect())
            .unwrap_or_default();
        set.into_iter().collect()
    }

    fn licence(&self, l: &Licence) -> Value {
        json!({
            "licenseType": licence_type(l.kind),
            "licenseId": l.id,
            "owner": self.entity_of(&l.holder),
            "grantedDate": time::date(l.granted.0),
            "expiringDate": time::date(l.expires.0),
            "coveredCommodities": l.minerals.iter().map(|x| x.code()).collect::<Vec<_>>(),
        })
    }

    fn inspection(&self, i: &Inspection, inspector: Option<&Id>) -> Value {
        let agency = inspector.and_then(|a| self.reg.actors.get(a));
        let agency_name = agency.map_or("N/A", |a| a.profile.name.as_str());
        let person = agency
            .and_then(|a| a.profile.contact.as_ref())
            .and_then(|c| c.representative.as_ref())
            .map_or(agency_name, |r| r.as_str());
        let mut m = Map::new();
        m.insert("inspectionId".into(), json!(i.id));
        m.insert("inspectionDate".into(), json!(time::date(i.date.0)));
        m.insert("inspectionResult".into(), json!(i.result.0));
        if let Some(u) = &i.report_uri {
            m.insert("inspectionReport".into(), json!(u));
        }
        if let Some(p) = &i.purpose {
            m.insert("inspectionPurpose".into(), json!(p));
        }
        if let Some(s) = &i.summary {
            m.insert("inspectionResults".into(), json!(s));
        }
        m.insert("inspectorName".into(), json!(person));
        m.insert("inspectorPosition".into(), json!("inspector"));
        m.insert("governmentAgency".into(), json!(agency_name));
        if let Some(a) = inspector {
            m.insert("governmentId".into(), json!(a));
        }
        if let Some(h) = &i.report_sha256 {
            m.insert("madini:reportSha256".into(), json!(h));
        }
        Value::Object(m)
    }

    /// The mass-weighted grade of a certificate's lots, as current now,
    /// in percent with two decimals (rounded down).
    fn cert_grade(&self, cert: &Cert) -> String {
        let mut mass: u128 = 0;
        let mut metal: u128 = 0;
        for l in cert.lots.iter().filter_map(|l| self.lots.get(l)) {
            mass += u128::from(l.mass);
            metal += u128::from(l.mass) * u128::from(l.grade);
        }
        let bp = metal.checked_div(mass).unwrap_or(0);
        format!("{}%", units::decimal_text(bp as i128, 2))
    }
}

fn status_name(s: LotStatus) -> &'static str {
    s.as_str()
}

fn licence_type(k: LicenceType) -> &'static str {
    match k {
        LicenceType::Claim => "claim",
        LicenceType::ExplorationPermit => "exploration_permit",
        LicenceType::MiningLicense => "mining_license",
        LicenceType::ArtisanalPermit => "artisanal_permit",
        LicenceType::Unlicensed => "unlicensed",
        LicenceType::Other => "other",
    }
}

/// MD.13 for one recorded payment; the amount goes from minor units to the
/// currency's unit with its ISO 4217 exponent.
fn tax(t: &Tax) -> Value {
    json!({
        "taxType": t.kind,
        "taxAmount": json_decimal(i128::from(t.amount.0), currency_exponent(t.currency.as_str())),
        "currency": t.currency,
        "taxAuthority": t.authority,
        "taxPaidDate": time::date(t.paid.0),
        "receiptReference": t.receipt,
    })
}

/// MD.04 for an actor.
fn entity(a: &ActorRec) -> Value {
    let p = &a.profile;
    let mut m = Map::new();
    m.insert("identifier".into(), json!(p.id));
    m.insert("name".into(), json!(p.name));
    if let Some(addr) = &p.address {
        let mut x = Map::new();
        x.insert("country".into(), json!(p.country));
        x.insert("addressLocalityText".into(), json!(addr.locality));
        if let Some(c) = &addr.region_code {
            x.insert("subnationalDivisionL1".into(), json!(c));
        }
        if let Some(r) = &addr.region {
            x.insert("subnationalDivisionL1Text".into(), json!(r));
        }
        m.insert("legalAddress".into(), Value::Object(x));
    }
    m.insert(
        "tin".into(),
        json!(p.tin.as_ref().map_or("N/A", |t| t.as_str())),
    );
    if let Some(c) = contact_details(p.contact.as_ref()) {
        m.insert("contactDetails".into(), c);
    }
    m.insert("madini:country".into(), json!(p.country));
    m.insert(
        "madini:roles".into(),
        json!(p.roles.iter().map(|r| r.as_str()).collect::<Vec<_>>()),
    );
    let codes: BTreeSet<u8> = p.roles.iter().map(|r| r.mdc05()).collect();
    m.insert("madini:cocRoles".into(), json!(codes));
    m.insert("madini:registered".into(), json!(time::date(a.registered)));
    Value::Object(m)
}

/// The MD.09 fields a contact lacks, or holds in a form the ICGLR schema
/// refuses: `legalRepresentative`, `contactPhoneNumber` (the ledger already
/// holds phones in E.164), `contactEmail` (the schema's pattern, which also
/// caps the last domain label at 4 characters).
pub fn contact_gaps(c: Option<&Contact>) -> Vec<&'static str> {
    let mut gaps = Vec::new();
    if c.and_then(|c| c.representative.as_ref()).is_none() {
        gaps.push("legalRepresentative");
    }
    if c.and_then(|c| c.phone.as_ref()).is_none() {
        gaps.push("contactPhoneNumber");
    }
    if !c
        .and_then(|c| c.email.as_ref())
        .is_some_and(|e| email_ok(e.as_str()))
    {
        gaps.push("contactEmail");
    }
    gaps
}

/// MD.09 needs all three fields; a profile missing one has no MD.09.
fn contact_details(c: Option<&Contact>) -> Option<Value> {
    let c = c?;
    Some(json!({
        "legalRepresentative": c.representative.as_ref()?,
        "contactPhoneNumber": c.phone.as_ref()?,
        "contactEmail": c.email.as_ref()?,
    }))
}

/// The ledger records no importer: MD.03 still requires one, so the block
/// says so, gives the destination country, and carries the exporter's
/// contact details, the party that knows the importer (`spec/exports.md` 3.4).
fn unrecorded_importer(destination: &Country, exporter: Option<&ActorRec>) -> Value {
    let mut m = Map::new();
    m.insert("identifier".into(), json!("N/A"));
    m.insert(
        "name".into(),
        json!("N/A (importer not recorded on the ledger)"),
    );
    m.insert(
        "legalAddress".into(),
        json!({"country": destination, "addressLocalityText": "N/A"}),
    );
    m.insert("tin".into(), json!("N/A"));
    if let Some(c) = contact_details(exporter.and_then(|a| a.profile.contact.as_ref())) {
        m.insert("contactDetails".into(), c);
    }
    m.insert("madini:recorded".into(), json!(false));
    Value::Object(m)
}

// ---------------------------------------------------------------------------
// Import.

/// What kind of problem a field has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProblemKind {
    /// Not the expected record type: a required field missing, or of the wrong JSON type.
    Schema,
    /// A value outside its code list (mineral, status, country, role, unit).
    Code,
    /// A value that breaks a Madini rule (id format, text length, range, duplicates).
    Value,
    /// A mass that is not a whole number of grams, or out of range.
    Mass,
    /// An actor the ledger does not know, or one without the needed role.
    UnknownActor,
    /// Already registered on the ledger.
    Exists,
    /// Data Madini needs that neither the record nor the caller supplied.
    Missing,
}

impl fmt::Display for ProblemKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ProblemKind::Schema => "wrong schema",
            ProblemKind::Code => "bad code",
            ProblemKind::Value => "bad value",
            ProblemKind::Mass => "bad mass",
            ProblemKind::UnknownActor => "unknown actor",
            ProblemKind::Exists => "already registered",
            ProblemKind::Missing => "missing data",
        })
    }
}

/// One bad field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// JSON path of the field, e.g. `$[1].mineral[0]` (`$` is the whole input).
    pub path: String,
    /// What kind of problem.
    pub kind: ProblemKind,
    /// What is wrong, for people.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.path, self.kind, self.message)
    }
}

/// Why one record was not imported: every bad field found in it. A record
/// with any problem is refused whole.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct RecordError {
    /// Position of the record in the input (0 for a single record).
    pub record: usize,
    /// Every problem, in the order of the record's fields.
    pub problems: Vec<Problem>,
}

impl fmt::Display for RecordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "record {}: ", self.record)?;
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{p}")?;
        }
        Ok(())
    }
}

/// Options for `import_mine_sites`.
#[derive(Clone, Copy, Default)]
pub struct SiteImport<'a> {
    /// The capacity of a record without `madini:capacity` (MD.01 has no
    /// capacity field; Madini needs one for verifier rule 6).
    pub default_capacity: Option<Capacity>,
    /// The ledger the bodies are meant for: with it, every operator must be a
    /// registered cooperative and the site must not be registered yet.
    pub state: Option<&'a dyn StateRead>,
}

/// An imported MD.01 record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportedSite {
    /// The `site.register` body, for an authority to sign.
    pub register: SiteRegister,
    /// Its MD.07 inspections as `site.inspect` bodies, for an inspector to
    /// sign after the registration, oldest first.
    pub inspections: Vec<SiteInspect>,
    /// The record's `certificationStatus` (a registered site starts Blue; the
    /// inspections, or a `site.status`, bring it to this).
    pub declared_status: CertStatus,
}

/// Public keys and roles for an imported business entity (MD.04 has
/// neither).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Credentials {
    /// 1 to 8 public keys the actor will sign with.
    pub keys: Vec<PublicKey>,
    /// Roles, used when the record has no `madini:roles`.
    pub roles: Vec<Role>,
}

/// Options for `import_business_entities`.
#[derive(Clone, Copy)]
pub struct EntityImport<'a> {
    /// Keys (and roles) per MD.04 `identifier`, supplied by the registering
    /// authority: a record without keys here is refused.
    pub credentials: &'a BTreeMap<String, Credentials>,
    /// The ledger the bodies are meant for: with it, the actor and its keys
    /// must not be registered yet.
    pub state: Option<&'a dyn StateRead>,
}

/// Imports MD.01 Mine Site records (one record or an array) as
/// `site.register` bodies (`spec/exports.md` section 3.6). The result has one
/// item per record, in input order.
pub fn import_mine_sites(
    json: &str,
    opts: &SiteImport<'_>,
) -> Vec<Result<ImportedSite, RecordError>> {
    match serde_json::from_str::<Value>(json) {
        Ok(v) => import_mine_sites_value(&v, opts),
        Err(e) => vec![Err(not_json(e))],
    }
}

/// As `import_mine_sites`, from parsed JSON.
pub fn import_mine_sites_value(
    v: &Value,
    opts: &SiteImport<'_>,
) -> Vec<Result<ImportedSite, RecordError>> {
    records(v, "MD.01 Mine Site")
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            let (path, rec) = r.map_err(|p| RecordError {
                record: i,
                problems: vec![p],
            })?;
            let mut cx = Cx::default();
            let out = site_record(&mut cx, &path, rec, opts);
            cx.finish(i, out)
        })
        .collect()
}

/// Imports MD.04 Business Entity records (one record or an array) as
/// `actor.register` bodies, with the keys and roles the caller supplies
/// (`spec/exports.md` section 3.6).
pub fn import_business_entities(
    json: &str,
    opts: &EntityImport<'_>,
) -> Vec<Result<ActorRegister, RecordError>> {
    match serde_json::from_str::<Value>(json) {
        Ok(v) => import_business_entities_value(&v, opts),
        Err(e) => vec![Err(not_json(e))],
    }
}

/// As `import_business_entities`, from parsed JSON.
pub fn import_business_entities_value(
    v: &Value,
    opts: &EntityImport<'_>,
) -> Vec<Result<ActorRegister, RecordError>> {
    records(v, "MD.04 Business Entity")
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            let (path, rec) = r.map_err(|p| RecordError {
                record: i,
                problems: vec![p],
            })?;
            let mut cx = Cx::default();
            let out = entity_record(&mut cx, &path, rec, opts);
            cx.finish(i, out)
        })
        .collect()
}

fn not_json(e: serde_json::Error) -> RecordError {
    RecordError {
        record: 0,
        problems: vec![Problem {
            path: "$".into(),
            kind: ProblemKind::Schema,
            message: format!("not JSON: {e}"),
        }],
    }
}

type RecordRef<'v> = Result<(String, &'v Map<String, Value>), Problem>;

/// The records of an input: one object, or an array of objects.
fn records<'v>(v: &'v Value, what: &str) -> Vec<RecordRef<'v>> {
    let one = |path: String, v: &'v Value| match v {
        Value::Object(m) => Ok((path, m)),
        _ => Err(Problem {
            path,
            kind: ProblemKind::Schema,
            message: format!("an {what} record is a JSON object"),
        }),
    };
    match v {
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, x)| one(format!("$[{i}]"), x))
            .collect(),
        other => vec![one("$".into(), other)],
    }
}

/// Collects the problems of one record.
#[derive(Default)]
struct Cx {
    problems: Vec<Problem>,
}

impl Cx {
    fn fail(&mut self, path: &str, kind: ProblemKind, message: impl Into<String>) {
        self.problems.push(Problem {
            path: path.to_string(),
            kind,
            message: message.into(),
        });
    }

    fn finish<T>(self, record: usize, out: Option<T>) -> Result<T, RecordError> {
        match out {
            Some(v) if self.problems.is_empty() => Ok(v),
            _ => Err(RecordError {
                record,
                problems: self.problems,
            }),
        }
    }

    /// A required field.
    fn req<'v>(&mut self, m: &'v Map<String, Value>, base: &str, key: &str) -> Option<&'v Value> {
        let v = m.get(key);
        if v.is_none() {
            self.fail(
                &format!("{base}.{key}"),
                ProblemKind::Schema,
                "missing required field",
            );
        }
        v
    }

    fn string<'v>(&mut self, v: &'v Value, path: &str) -> Option<&'v str> {
        match v {
            Value::String(s) => Some(s),
            _ => {
                self.fail(path, ProblemKind::Schema, "must be a string");
                None
            }
        }
    }

    fn object<'v>(&mut self, v: &'v Value, path: &str) -> Option<&'v Map<String, Value>> {
        match v {
            Value::Object(m) => Some(m),
            _ => {
                self.fail(path, ProblemKind::Schema, "must be an object");
                None
            }
        }
    }

    fn array<'v>(&mut self, v: &'v Value, path: &str) -> Option<&'v [Value]> {
        match v {
            Value::Array(a) => Some(a),
            _ => {
                self.fail(path, ProblemKind::Schema, "must be an array");
                None
            }
        }
    }

    /// A string that must pass a Madini value rule.
    fn typed<T>(
        &mut self,
        v: &Value,
        path: &str,
        make: impl FnOnce(String) -> Result<T, ValueError>,
    ) -> Option<T> {
        let s = self.string(v, path)?;
        match make(s.to_string()) {
            Ok(t) => Some(t),
            Err(e) => {
                self.fail(path, ProblemKind::Value, e.0);
                None
            }
        }
    }

    fn opt_typed<T>(
        &mut self,
        m: &Map<String, Value>,
        base: &str,
        key: &str,
        make: impl FnOnce(String) -> Result<T, ValueError>,
    ) -> Option<T> {
        let v = m.get(key)?;
        self.typed(v, &format!("{base}.{key}"), make)
    }

    fn int(
        &mut self,
        v: &Value,
        path: &str,
        codes: std::ops::RangeInclusive<u64>,
        what: &str,
    ) -> Option<u64> {
        match v.as_u64() {
            Some(n) if codes.contains(&n) => Some(n),
            Some(n) => {
                self.fail(path, ProblemKind::Code, format!("{n} is not {what}"));
                None
            }
            None => {
                self.fail(path, ProblemKind::Schema, "must be an integer");
                None
            }
        }
    }

    fn date(&mut self, v: &Value, path: &str) -> Option<Millis> {
        let s = self.string(v, path)?;
        let ok = s.len() == 10 && s.as_bytes()[4] == b'-' && s.as_bytes()[7] == b'-';
        match time::parse(s) {
            Ok(ms) if ok => Some(Millis(ms)),
            _ => {
                self.fail(
                    path,
                    ProblemKind::Value,
                    format!("{s:?} is not a date YYYY-MM-DD"),
                );
                None
            }
        }
    }

    fn mineral(&mut self, v: &Value, path: &str) -> Option<Mineral> {
        let s = self.string(v, path)?;
        let m = match s {
            "IMA1960-001" => Some(Mineral::Cassiterite),
            "IMA1979-A" => Some(Mineral::Coltan),
            "IMA2000-014" => Some(Mineral::Wolframite),
            "IMA1960-A" => Some(Mineral::Gold),
            code => Mineral::ALL.into_iter().find(|m| m.code() == code),
        };
        if m.is_none() {
            self.fail(
                path,
                ProblemKind::Code,
                format!(
                    "{s:?} is not a designated mineral (HS 2609.00.00, 2615.90.00, 2611.00.00, 7108.12.00 or their IMA codes)"
                ),
            );
        }
        m
    }

    fn coordinate(&mut self, v: &Value, path: &str, max_deg: i128) -> Option<i64> {
        let d = match Decimal::from_json(v) {
            Ok(d) => d,
            Err(e) => {
                self.fail(path, ProblemKind::Value, e);
                return None;
            }
        };
        match d.scaled_rounded(6) {
            Some(e6) if e6.abs() <= max_deg * 1_000_000 => Some(e6 as i64),
            _ => {
                self.fail(
                    path,
                    ProblemKind::Value,
                    format!("must be within ±{max_deg} degrees"),
                );
                None
            }
        }
    }
}

fn site_record(
    cx: &mut Cx,
    base: &str,
    m: &Map<String, Value>,
    opts: &SiteImport<'_>,
) -> Option<ImportedSite> {
    let p = |k: &str| format!("{base}.{k}");
    // Required fields of MD.01, checked first so a record of another type
    // says so at once.
    let id_v = cx.req(m, base, "icglrId");
    let country_v = cx.req(m, base, "addressCountry");
    let national_v = cx.req(m, base, "nationalId");
    let status_v = cx.req(m, base, "certificationStatus");
    let activity_v = cx.req(m, base, "activityStatus");
    let loc_v = cx.req(m, base, "mineSiteLocation");
    let minerals_v = cx.req(m, base, "mineral");
    let license_v = cx.req(m, base, "license");
    let owner_v = cx.req(m, base, "owner");

    let id = id_v.and_then(|v| cx.typed(v, &p("icglrId"), SiteId::new));
    let country = country_v.and_then(|v| {
        let c = cx.typed(v, &p("addressCountry"), Country::new)?;
        if !MEMBER_STATES.contains(&c.as_str()) {
            cx.fail(
                &p("addressCountry"),
                ProblemKind::Code,
                format!("{c} is not an ICGLR member state"),
            );
            return None;
        }
        Some(c)
    });
    if let (Some(id), Some(c)) = (&id, &country)
        && id.country() != c.as_str()
    {
        cx.fail(
            &p("addressCountry"),
            ProblemKind::Value,
            format!("must be {}, the country of site id {id}", id.country()),
        );
    }
    let national = national_v.and_then(|v| cx.typed(v, &p("nationalId"), Id::new));
    let status = status_v.and_then(|v| {
        cx.int(
            v,
            &p("certificationStatus"),
            0..=3,
            "an MDC.01 status (0 to 3)",
        )
    });
    let activity = activity_v
        .and_then(|v| cx.int(v, &p("activityStatus"), 0..=2, "an MDC.02 status (0 to 2)"));

    let mut location = None;
    let mut locality_name = None;
    if let Some(loc) = loc_v.and_then(|v| cx.object(v, &p("mineSiteLocation"))) {
        let lp = p("mineSiteLocation");
        let geo = cx
            .req(loc, &lp, "geolocalization")
            .and_then(|g| cx.object(g, &format!("{lp}.geolocalization")));
        let gp = format!("{lp}.geolocalization");
        let (lat, lon) = match geo {
            Some(g) => {
                let lat = cx
                    .req(g, &gp, "latitude")
                    .and_then(|v| cx.coordinate(v, &format!("{gp}.latitude"), 90));
                let lon = cx
                    .req(g, &gp, "longitude")
                    .and_then(|v| cx.coordinate(v, &format!("{gp}.longitude"), 180));
                (lat, lon)
            }
            None => (None, None),
        };
        let mut region_code = None;
        let mut region = None;
        let mut locality = None;
        if let Some(a) = loc.get("localGeographicDesignation") {
            let ap = format!("{lp}.localGeographicDesignation");
            if let Some(a) = cx.object(a, &ap) {
                region_code = cx.opt_typed(a, &ap, "subnationalDivisionL1", Text::new);
                region = cx.opt_typed(a, &ap, "subnationalDivisionL1Text", Text::new);
                locality = cx.opt_typed(a, &ap, "addressLocalityText", Text::new);
            }
        }
        locality_name = locality.clone();
        if let (Some(lat), Some(lon)) = (lat, lon) {
            location = Some(Location {
                lat_e6: Lat(lat),
                lon_e6: Lon(lon),
                region_code,
                region,
                locality,
            });
        }
    }

    let mut minerals = Vec::new();
    if let Some(list) = minerals_v.and_then(|v| cx.array(v, &p("mineral"))) {
        if list.is_empty() {
            cx.fail(
                &p("mineral"),
                ProblemKind::Schema,
                "must hold at least one mineral",
            );
        }
        for (i, v) in list.iter().enumerate() {
            let path = format!("{}[{i}]", p("mineral"));
            if let Some(x) = cx.mineral(v, &path) {
                if minerals.contains(&x) {
                    cx.fail(&path, ProblemKind::Value, "duplicate mineral");
                } else {
                    minerals.push(x);
                }
            }
        }
    }
    if let Some(list) = license_v.and_then(|v| cx.array(v, &p("license")))
        && list.is_empty()
    {
        cx.fail(
            &p("license"),
            ProblemKind::Schema,
            "must hold at least one licence",
        );
    }

    // Operators: the MD.01 operators, or the owner when there are none.
    let mut operators: Vec<(String, Id)> = Vec::new();
    let listed = m
        .get("operator")
        .and_then(|v| cx.array(v, &p("operator")))
        .unwrap_or(&[]);
    if listed.is_empty() {
        if let Some(o) = owner_v.and_then(|v| cx.object(v, &p("owner"))) {
            let path = format!("{}.identifier", p("owner"));
            if let Some(id) = cx
                .req(o, &p("owner"), "identifier")
                .and_then(|v| cx.typed(v, &path, Id::new))
            {
                operators.push((path, id));
            }
        }
    } else {
        for (i, v) in listed.iter().enumerate() {
            let op = format!("{}[{i}]", p("operator"));
            if let Some(o) = cx.object(v, &op) {
                let path = format!("{op}.identifier");
                if let Some(id) = cx
                    .req(o, &op, "identifier")
                    .and_then(|v| cx.typed(v, &path, Id::new))
                {
                    if operators.iter().any(|(_, x)| *x == id) {
                        cx.fail(&path, ProblemKind::Value, "operator listed twice");
                    } else {
                        operators.push((path, id));
                    }
                }
            }
        }
        if operators.len() > 32 {
            cx.fail(
                &p("operator"),
                ProblemKind::Value,
                "a site has at most 32 operators",
            );
        }
    }
    if let Some(state) = opts.state {
        for (path, id) in &operators {
            match state.actor(id) {
                Ok(Some(a)) if a.has(Role::Cooperative) => {}
                Ok(Some(_)) => cx.fail(
                    path,
                    ProblemKind::UnknownActor,
                    format!("{id} is registered but is not a cooperative"),
                ),
                Ok(None) => cx.fail(
                    path,
                    ProblemKind::UnknownActor,
                    format!("{id} is not a registered actor"),
                ),
                Err(e) => cx.fail(path, ProblemKind::UnknownActor, e.to_string()),
            }
        }
        if let Some(id) = &id
            && matches!(state.site(id), Ok(Some(_)))
        {
            cx.fail(
                &p("icglrId"),
                ProblemKind::Exists,
                format!("site {id} is already registered"),
            );
        }
    }

    // The name: Madini's extension, else the locality, else the national id.
    let name = match m.get("madini:name") {
        Some(v) => cx.typed(v, &p("madini:name"), Text::new),
        None => locality_name
            .or_else(|| national.as_ref().and_then(|n| Text::new(n.as_str()).ok()))
            .or_else(|| id.as_ref().and_then(|n| Text::new(n.as_str()).ok())),
    };

    let capacity = match m.get("madini:capacity") {
        Some(v) => capacity(cx, v, &p("madini:capacity")),
        None => {
            if opts.default_capacity.is_none() {
                cx.fail(
                    &p("madini:capacity"),
                    ProblemKind::Missing,
                    "MD.01 has no production capacity: give madini:capacity or a default capacity",
                );
            }
            opts.default_capacity
        }
    };

    let mut inspections = Vec::new();
    if let Some(list) = m
        .get("inspection")
        .and_then(|v| cx.array(v, &p("inspection")))
    {
        for (i, v) in list.iter().enumerate() {
            let ip = format!("{}[{i}]", p("inspection"));
            if let (Some(ins), Some(site)) = (inspection(cx, v, &ip), &id) {
                inspections.push(SiteInspect {
                    site: site.clone(),
                    inspection: ins,
                });
            }
        }
    }
    inspections.sort_by_key(|s| s.inspection.date);

    let site = SiteRecord {
        id: id?,
        national_id: national,
        name: name?,
        country: country?,
        location: location?,
        minerals,
        activity: Activity(u8::try_from(activity?).ok()?),
        capacity: capacity?,
        operators: operators.into_iter().map(|(_, id)| id).collect(),
    };
    Some(ImportedSite {
        register: SiteRegister { site },
        inspections,
        declared_status: CertStatus(u8::try_from(status?).ok()?),
    })
}

fn capacity(cx: &mut Cx, v: &Value, path: &str) -> Option<Capacity> {
    let c = cx.object(v, path)?;
    let mass = cx.req(c, path, "mass");
    let unit = cx
        .req(c, path, "unitOfMeasurement")
        .and_then(|u| cx.string(u, &format!("{path}.unitOfMeasurement")));
    let days = cx.req(c, path, "days").and_then(|d| {
        cx.int(
            d,
            &format!("{path}.days"),
            1..=366,
            "a number of days from 1 to 366",
        )
    });
    let grams = match (mass, unit) {
        (Some(m), Some(u)) => match units::grams_from(m, u) {
            Ok(g) => Some(g),
            Err(MassError::Unit(msg)) => {
                cx.fail(&format!("{path}.unitOfMeasurement"), ProblemKind::Code, msg);
                None
            }
            Err(MassError::Number(msg) | MassError::NotGrams(msg) | MassError::Range(msg)) => {
                cx.fail(&format!("{path}.mass"), ProblemKind::Mass, msg);
                None
            }
        },
        _ => None,
    };
    Some(Capacity {
        mass_g: Grams(grams?),
        days: Days(u16::try_from(days?).ok()?),
    })
}

fn inspection(cx: &mut Cx, v: &Value, base: &str) -> Option<Inspection> {
    let m = cx.object(v, base)?;
    let p = |k: &str| format!("{base}.{k}");
    let id = cx
        .req(m, base, "inspectionId")
        .and_then(|v| cx.typed(v, &p("inspectionId"), Id::new));
    let date = cx
        .req(m, base, "inspectionDate")
        .and_then(|v| cx.date(v, &p("inspectionDate")));
    let result = cx.req(m, base, "inspectionResult").and_then(|v| {
        cx.int(
            v,
            &p("inspectionResult"),
            1..=3,
            "an inspection result (1 Green, 2 Yellow or 3 Red)",
        )
    });
    for k in ["inspectorName", "inspectorPosition", "governmentAgency"] {
        if let Some(v) = cx.req(m, base, k) {
            cx.string(v, &p(k));
        }
    }
    let report_uri = cx.opt_typed(m, base, "inspectionReport", Text::new);
    let purpose = cx.opt_typed(m, base, "inspectionPurpose", Text::new);
    let summary = cx.opt_typed(m, base, "inspectionResults", LongText::new);
    let report_sha256 = match m.get("madini:reportSha256") {
        Some(v) => cx.typed(v, &p("madini:reportSha256"), |s| {
            s.parse::<Hash>()
                .map_err(|_| ValueError("a hash is 64 lowercase hexadecimal characters"))
        }),
        None => None,
    };
    Some(Inspection {
        id: id?,
        date: date?,
        result: InspectionResult(u8::try_from(result?).ok()?),
        report_sha256,
        report_uri,
        purpose,
        summary,
    })
}

fn entity_record(
    cx: &mut Cx,
    base: &str,
    m: &Map<String, Value>,
    opts: &EntityImport<'_>,
) -> Option<ActorRegister> {
    let p = |k: &str| format!("{base}.{k}");
    let id_v = cx.req(m, base, "identifier");
    let name_v = cx.req(m, base, "name");
    let tin_v = cx.req(m, base, "tin");
    let contact_v = cx.req(m, base, "contactDetails");

    let id = id_v.and_then(|v| cx.typed(v, &p("identifier"), Id::new));
    let name = name_v.and_then(|v| cx.typed(v, &p("name"), Text::new));
    let tin = match tin_v.and_then(|v| cx.string(v, &p("tin"))) {
        Some("N/A") | None => None,
        Some(s) => match Text::new(s) {
            Ok(t) => Some(t),
            Err(e) => {
                cx.fail(&p("tin"), ProblemKind::Value, e.0);
                None
            }
        },
    };
    let mut contact = None;
    if let Some(c) = contact_v.and_then(|v| cx.object(v, &p("contactDetails"))) {
        let cp = p("contactDetails");
        let rep = cx
            .req(c, &cp, "legalRepresentative")
            .and_then(|v| cx.typed(v, &format!("{cp}.legalRepresentative"), Text::new));
        let phone = cx
            .req(c, &cp, "contactPhoneNumber")
            .and_then(|v| cx.typed(v, &format!("{cp}.contactPhoneNumber"), Phone::new));
        let email = cx.req(c, &cp, "contactEmail").and_then(|v| {
            cx.typed(v, &format!("{cp}.contactEmail"), |s| {
                if email_ok(&s) {
                    Text::new(s)
                } else {
                    Err(ValueError("not an e-mail address"))
                }
            })
        });
        contact = Some(Contact {
            representative: rep,
            phone,
            email,
        });
    }

    // Address and country: the legal address, else the physical one.
    let mut country = None;
    let mut address = None;
    for key in ["legalAddress", "physicalAddress"] {
        let Some(a) = m.get(key) else { continue };
        let ap = p(key);
        let Some(a) = cx.object(a, &ap) else { continue };
        let c = cx
            .req(a, &ap, "country")
            .and_then(|v| cx.typed(v, &format!("{ap}.country"), Country::new));
        let locality = cx
            .req(a, &ap, "addressLocalityText")
            .and_then(|v| cx.typed(v, &format!("{ap}.addressLocalityText"), Text::new));
        let region_code = cx.opt_typed(a, &ap, "subnationalDivisionL1", Text::new);
        let region = cx.opt_typed(a, &ap, "subnationalDivisionL1Text", Text::new);
        if country.is_none() {
            country = c;
            address = locality.map(|locality| Address {
                locality,
                region_code,
                region,
            });
        }
    }
    if country.is_none() {
        match m.get("madini:country") {
            Some(v) => country = cx.typed(v, &p("madini:country"), Country::new),
            None => cx.fail(
                &p("legalAddress"),
                ProblemKind::Missing,
                "no country: give legalAddress, physicalAddress or madini:country",
            ),
        }
    }

    let creds = id.as_ref().and_then(|i| opts.credentials.get(i.as_str()));
    let mut roles = Vec::new();
    match m.get("madini:roles") {
        Some(v) => {
            if let Some(list) = cx.array(v, &p("madini:roles")) {
                for (i, r) in list.iter().enumerate() {
                    let rp = format!("{}[{i}]", p("madini:roles"));
                    let Some(s) = cx.string(r, &rp) else { continue };
                    match s.parse::<Role>() {
                        Ok(r) if roles.contains(&r) => {
                            cx.fail(&rp, ProblemKind::Value, "duplicate role");
                        }
                        Ok(r) => roles.push(r),
                        Err(e) => cx.fail(&rp, ProblemKind::Code, e.0),
                    }
                }
            }
        }
        None => roles = creds.map(|c| c.roles.clone()).unwrap_or_default(),
    }
    if roles.is_empty() {
        cx.fail(
            &p("madini:roles"),
            ProblemKind::Missing,
            "no roles: give madini:roles or roles in the credentials",
        );
    }
    let keys = creds.map(|c| c.keys.clone()).unwrap_or_default();
    if id.is_some() && (keys.is_empty() || keys.len() > 8) {
        cx.fail(
            &p("identifier"),
            ProblemKind::Missing,
            "the caller must supply 1 to 8 public keys for this entity",
        );
    }
    for (i, k) in keys.iter().enumerate() {
        if k.check_strong().is_err() {
            cx.fail(
                &p("identifier"),
                ProblemKind::Value,
                format!("supplied key {i} is not a usable Ed25519 key"),
            );
        }
        if keys[..i].contains(k) {
            cx.fail(
                &p("identifier"),
                ProblemKind::Value,
                format!("supplied key {i} is listed twice"),
            );
        }
    }
    if let Some(state) = opts.state {
        if let Some(i) = &id
            && matches!(state.actor(i), Ok(Some(_)))
        {
            cx.fail(
                &p("identifier"),
                ProblemKind::Exists,
                format!("actor {i} is already registered"),
            );
        }
        for k in &keys {
            if matches!(state.key(&k.key_id()), Ok(Some(_))) {
                cx.fail(
                    &p("identifier"),
                    ProblemKind::Exists,
                    format!("key {} is already registered", k.key_id()),
                );
            }
        }
    }
    let contact = contact?;
    Some(ActorRegister {
        actor: ActorRecord {
            id: id?,
            name: name?,
            country: country?,
            roles,
            keys,
            tin,
            address,
            contact: Some(Contact {
                representative: Some(contact.representative?),
                phone: Some(contact.phone?),
                email: Some(contact.email?),
            }),
        },
    })
}

/// The MD.09 e-mail pattern `^[\w.\-]+@([\w-]+\.)+[\w-]{2,4}$`, with `\w`
/// read as ASCII letters, digits and `_`.
fn email_ok(s: &str) -> bool {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    if local.is_empty() || !local.chars().all(|c| word(c) || c == '.') {
        return false;
    }
    let labels: Vec<&str> = domain.split('.').collect();
    let Some((tld, rest)) = labels.split_last() else {
        return false;
    };
    !rest.is_empty()
        && rest.iter().all(|l| !l.is_empty() && l.chars().all(word))
        && (2..=4).contains(&tld.len())
        && tld.chars().all(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_follow_the_md09_pattern() {
        assert!(email_ok("contact@rwandamining.rw"));
        assert!(email_ok("a.b-c@x.example.org"));
        assert!(!email_ok("no-at-sign"));
        assert!(!email_ok("a@nodot"));
        assert!(!email_ok("a@b.toolong"));
        assert!(!email_ok("a b@c.org"));
    }

    #[test]
    fn contact_gaps_name_the_md09_fields() {
        let t = |s: &str| Text::new(s).unwrap();
        assert_eq!(
            contact_gaps(None),
            ["legalRepresentative", "contactPhoneNumber", "contactEmail"]
        );
        let mut c = Contact {
            representative: Some(t("Jeanne Uwase")),
            phone: Some(Phone::new("+250788000000").unwrap()),
            email: Some(t("coop@mines.rw")),
        };
        assert!(contact_gaps(Some(&c)).is_empty());
        // A real address the schema's pattern refuses (a 6-letter TLD).
        c.email = Some(t("coop@mines.africa"));
        assert_eq!(contact_gaps(Some(&c)), ["contactEmail"]);
        c.representative = None;
        assert_eq!(
            contact_gaps(Some(&c)),
            ["legalRepresentative", "contactEmail"]
        );
    }
}
