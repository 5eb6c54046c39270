//! The exports of `spec/exports.md`: ICGLR documents and EPCIS documents
//! validate against the reference JSON schemas (loaded from
//! `shared/reference`, `$ref`s resolved locally), the ICGLR reference
//! examples import, malformed records are refused whole with the path of
//! every bad field, and the reports match figures computed by hand on a
//! small ledger and add up on a generated one.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use jsonschema::{Draft, Registry, Validator};
use ledger_core::event::*;
use ledger_core::export::epcis::{self, Header, Selection};
use ledger_core::export::icglr::{
    self, Catalog, Credentials, EntityImport, ProblemKind, RecordError, SiteImport,
};
use ledger_core::export::report::{self, Options, Reports};
use ledger_core::export::{Entry, EntryReader, Replay, to_json};
use ledger_core::hash::leaf_hash;
use ledger_core::rules::SigMode;
use ledger_core::scenario::{self, Config, Fraud};
use ledger_core::types::*;
use ledger_core::world::*;
use serde_json::{Value, json};

// ---------------------------------------------------------------------------
// Schemas.

fn reference() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/reference")
}

fn read_json(p: &Path) -> Value {
    let text = std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Every ICGLR schema file, registered under its `$id` so that relative
/// `$ref`s resolve without any network.
fn icglr_registry() -> Registry<'static> {
    let dir = reference().join("icglr/schemas");
    let mut pairs = Vec::new();
    for sub in [
        "core",
        "mine-site",
        "chain-of-custody",
        "export-certificate",
    ] {
        let mut files: Vec<_> = std::fs::read_dir(dir.join(sub))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for f in files {
            let v = read_json(&f);
            let id = v["$id"].as_str().unwrap().to_string();
            pairs.push((id, v));
        }
    }
    let mut b = Registry::new();
    for (id, v) in pairs {
        b = b.add(id, v).unwrap();
    }
    b.prepare().unwrap()
}

struct Icglr {
    site: Validator,
    lot: Validator,
    cert: Validator,
    entity: Validator,
}

fn validator(registry: &Registry<'_>, uri: &str) -> Validator {
    jsonschema::options()
        .with_draft(Draft::Draft7)
        .should_validate_formats(true)
        .offline()
        .with_registry(registry)
        .build(&json!({"$ref": uri}))
        .unwrap_or_else(|e| panic!("{uri}: {e}"))
}

fn icglr_schemas() -> Icglr {
    let r = icglr_registry();
    let base = "https://icglr.org/schemas";
    Icglr {
        site: validator(&r, &format!("{base}/mine-site/mine-site.json")),
        lot: validator(&r, &format!("{base}/chain-of-custody/lot.json")),
        cert: validator(
            &r,
            &format!("{base}/export-certificate/export-certificate.json"),
        ),
        entity: validator(
            &r,
            &format!("{base}/core/common.json#/definitions/BusinessEntity"),
        ),
    }
}

fn epcis_schema() -> Validator {
    let schema = read_json(&reference().join("epcis/EPCIS-JSON-Schema.json"));
    jsonschema::options()
        .with_draft(Draft::Draft7)
        .should_validate_formats(true)
        .offline()
        .build(&schema)
        .unwrap()
}

fn check(v: &Validator, doc: &Value, what: &str) {
    let errors: Vec<String> = v
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .take(10)
        .collect();
    assert!(
        errors.is_empty(),
        "{what} does not validate:\n{}\n{}",
        errors.join("\n"),
        to_json(doc)
    );
}

// ---------------------------------------------------------------------------
// Ledgers.

fn entries(w: &World) -> Vec<Entry> {
    let mut r = EntryReader::new();
    w.log
        .leaves()
        .iter()
        .enumerate()
        .map(|(i, l)| r.read(i as u64, l).unwrap())
        .collect()
}

fn catalog(es: &[Entry]) -> Catalog {
    let mut c = Catalog::new();
    for e in es {
        c.entry(e);
    }
    c
}

const S1: &str = "RW-1.9641+30.0619-00001";
const S2: &str = "RW-2.0000+29.5000-00002";
const ORIGIN: &str = "test.madini.example/rw";

fn ok<T>(r: Result<T, ledger_core::rules::Refusal>) -> T {
    r.unwrap_or_else(|e| panic!("{e}"))
}

/// The small ledger whose figures `reports_match_hand_computed_figures`
/// checks: three lots mined in January 2026 at two sites, one bought, one
/// split, a merge, a processing, a refused sale, a correction in February,
/// two exports, one of them (L3) with no tax anywhere along its chain.
fn small() -> World {
    let mut w = World::new(ORIGIN, "RW");
    for (id, name, role) in [
        (
            "COOP-1",
            "Coopérative Minière de Rutongo",
            Role::Cooperative,
        ),
        ("INSP-1", "Rwanda Mines Board Inspectorate", Role::Inspector),
        ("TRADER-1", "Négociant Kigali SARL", Role::Trader),
        ("PROC-1", "Kigali Concentrates Ltd", Role::Processor),
        ("EXP-1", "Great Lakes Export Ltd", Role::Exporter),
        ("WH-1", "Kigali Bonded Warehouse", Role::Warehouse),
    ] {
        ok(w.register_actor(id, name, "RW", &[role]));
    }
    let mut s1 = w.site_record(
        S1,
        "Rutongo",
        &[Mineral::Cassiterite, Mineral::Coltan],
        10_000,
        &["COOP-1"],
    );
    s1.national_id = Some(id("RW-MINE-001"));
    s1.location.region_code = Some(text("RW-03"));
    s1.location.region = Some(text("Northern Province"));
    s1.location.locality = Some(text("Rulindo"));
    ok(w.register_site(s1));
    let s2 = w.site_record(S2, "Nyungwe coltan", &[Mineral::Coltan], 5_000, &["COOP-1"]);
    ok(w.register_site(s2));
    let now = w.now;
    ok(w.submit(
        "AUTH",
        Body::LicenceGrant(LicenceGrant {
            licence: Licence {
                id: id("L-001"),
                kind: LicenceType::ArtisanalPermit,
                holder: id("COOP-1"),
                site: Some(site_id(S1)),
                minerals: vec![Mineral::Cassiterite, Mineral::Coltan],
                granted: Millis(now),
                expires: Millis(now + 365 * DAY),
            },
        }),
    ));
    ok(w.inspect("INSP-1", S1, "INS-1", 1));
    ok(w.inspect("INSP-1", S2, "INS-2", 2));
    ok(w.submit(
        "INSP-1",
        Body::SiteStatus(SiteStatus {
            site: site_id(S2),
            status: CertStatus(1),
            reason: long("safety issues fixed"),
        }),
    ));
    ok(w.allocate_tags(S1, "RW26", 6, 1, 100));
    ok(w.allocate_tags(S2, "RW26C", 6, 1, 100));
    ok(w.register_lot(
        "COOP-1",
        "L1",
        S1,
        "RW26-000001",
        Mineral::Cassiterite,
        1_000_000,
        5000,
    ));
    ok(w.register_lot(
        "COOP-1",
        "L2",
        S1,
        "RW26-000002",
        Mineral::Cassiterite,
        500_000,
        4000,
    ));
    ok(w.register_lot(
        "COOP-1",
        "L3",
        S2,
        "RW26C-000001",
        Mineral::Coltan,
        250_500,
        3000,
    ));
    ok(w.pay_tax("COOP-1", "L1", "royalty", 5_000, "USD"));
    let prev = w.head("L1");
    ok(w.submit(
        "COOP-1",
        Body::LotOffer(LotOffer {
            lot: id("L1"),
            prev,
            to: id("TRADER-1"),
            mass_g: grams(1_000_000),
            grade_bp: grade(5000),
            price: Some(Money {
                amount: Minor(2_500_000),
                currency: Currency::new("USD").unwrap(),
            }),
        }),
    ));
    ok(w.accept("TRADER-1", "L1", 998_000, 5000));
    ok(w.transfer("COOP-1", "TRADER-1", "L2", 500_000, 4000));
    ok(w.split(
        "TRADER-1",
        "L2",
        &[("L2a", 300_000, 4000), ("L2b", 200_000, 4000)],
    ));
    ok(w.pay_tax("TRADER-1", "L2b", "fee", 20_000, "RWF"));
    let prev = w.head("L2b");
    ok(w.submit(
        "TRADER-1",
        Body::LotOffer(LotOffer {
            lot: id("L2b"),
            prev,
            to: id("PROC-1"),
            mass_g: grams(200_000),
            grade_bp: grade(4000),
            price: Some(Money {
                amount: Minor(150_000),
                currency: Currency::new("USD").unwrap(),
            }),
        }),
    ));
    let prev = w.head("L2b");
    ok(w.submit(
        "PROC-1",
        Body::LotRefuse(LotRefuse {
            lot: id("L2b"),
            prev,
            reason: long("price too high"),
        }),
    ));
    ok(w.transfer("TRADER-1", "PROC-1", "L2b", 200_000, 4000));
    ok(w.process("PROC-1", &["L2b"], "P1", 120_000, 6000));
    ok(w.merge("TRADER-1", &["L1", "L2a"], "M1", 1_298_000, 4768));
    ok(w.transport(
        "TRADER-1",
        "M1",
        ("Rutongo", -1_800_000, 30_050_000),
        ("Kigali", -1_944_000, 30_062_000),
        3,
    ));
    // February.
    w.now += 40 * DAY;
    let prev = w.head("L3");
    let reg = w.figure("L3", Some(0));
    ok(w.submit(
        "COOP-1",
        Body::LotCorrect(LotCorrect {
            lot: id("L3"),
            prev,
            corrects: reg,
            mass_g: Some(grams(250_000)),
            grade_bp: None,
            reason: long("the scale was not zeroed"),
        }),
    ));
    ok(w.transfer("TRADER-1", "EXP-1", "M1", 1_298_000, 4768));
    ok(w.transfer("COOP-1", "EXP-1", "L3", 250_000, 3000));
    let prev = w.head("M1");
    ok(w.submit(
        "EXP-1",
        Body::LotStore(LotStore {
            lot: id("M1"),
            prev,
            place: Place {
                name: text("Kigali bonded warehouse, bay 3"),
                lat_e6: None,
                lon_e6: None,
            },
            warehouse: Some(id("WH-1")),
        }),
    ));
    ok(w.pay_tax("EXP-1", "M1", "export tax", 12_000, "USD"));
    ok(w.issue_cert(
        "C-001",
        "EXP-1",
        &["M1"],
        Mineral::Cassiterite,
        1_298_000,
        &["RW"],
        "BE",
    ));
    ok(w.issue_cert(
        "C-002",
        "EXP-1",
        &["L3"],
        Mineral::Coltan,
        250_000,
        &["RW"],
        "CN",
    ));
    ok(w.export("EXP-1", "M1", "C-001", 1_298_000, "BE"));
    ok(w.export("EXP-1", "L3", "C-002", 250_000, "CN"));
    w
}

fn scenario_world() -> World {
    let mut cfg = Config::new(5, 250);
    cfg.frauds = vec![Fraud::UntaxedExport, Fraud::OverCapacity];
    scenario::generate(&cfg).main
}

// ---------------------------------------------------------------------------
// Entries.

#[test]
fn entry_reader_and_replay_agree() {
    let w = small();
    let fast = entries(&w);
    let mut replay = Replay::new();
    for (i, l) in w.log.leaves().iter().enumerate() {
        let e = replay.push(l, SigMode::Verify).unwrap();
        assert_eq!(e, fast[i], "entry {i}");
        assert_eq!(e.leaf_hash, leaf_hash(l));
    }
    // A broken chain, a gap filled out of order and an unknown key are refused.
    let leaves = w.log.leaves();
    let mut r = EntryReader::new();
    r.read(0, &leaves[0]).unwrap();
    assert!(matches!(
        r.read(1, &leaves[2]),
        Err(ledger_core::export::EntryError::Chain { index: 1 })
    ));
    assert!(matches!(
        r.read(0, &leaves[0]),
        Err(ledger_core::export::EntryError::Order { index: 0 })
    ));
    let mut fresh = EntryReader::new();
    assert!(matches!(
        fresh.read(5, &leaves[5]),
        Err(ledger_core::export::EntryError::UnknownKey { index: 5, .. })
    ));
}

#[test]
fn skipping_and_batching_readers_give_the_same_entries() {
    let w = scenario_world();
    let all = entries(&w);
    let leaves: Vec<(u64, &[u8])> = w
        .log
        .leaves()
        .iter()
        .enumerate()
        .map(|(i, l)| (i as u64, l.as_slice()))
        .collect();
    // The type read from the top level of the bytes is the decoded type.
    for (e, (_, l)) in all.iter().zip(&leaves) {
        let bytes = &l[ledger_core::leaf::LEAF_HEADER..];
        assert_eq!(
            ledger_core::export::entry::event_type(bytes),
            Some(e.event.type_name())
        );
    }
    assert_eq!(
        ledger_core::export::entry::event_type(
            br#" {"a":{"type":"x"},"b":[1,"]",{"c":"\""}],"type" : "lot.tax"}"#
        ),
        Some("lot.tax")
    );
    assert_eq!(ledger_core::export::entry::event_type(br#"{"a":1}"#), None);
    assert_eq!(ledger_core::export::entry::event_type(br#"[1]"#), None);
    // Batches on several threads, skipping what reports do not read; and
    // with only lot events wanted, whose signers the reader still knows
    // from the registrations it decoded for itself.
    for threads in [1, 2, 3] {
        let mut r = EntryReader::new();
        let mut got = Vec::new();
        for batch in leaves.chunks(500) {
            got.extend(
                r.read_batch(batch, report::Builder::wants, threads)
                    .unwrap(),
            );
        }
        let expected: Vec<Entry> = all
            .iter()
            .filter(|e| report::Builder::wants(e.event.type_name()))
            .cloned()
            .collect();
        assert_eq!(got, expected, "{threads} threads");
        let skipped = report::reports(Options { year: 2026 }, &got).unwrap();
        let full = report::reports(Options { year: 2026 }, &all).unwrap();
        assert_eq!(
            report::to_json_string(&skipped),
            report::to_json_string(&full)
        );

        let mut r = EntryReader::new();
        let mut lots = Vec::new();
        for batch in leaves.chunks(333) {
            lots.extend(
                r.read_batch(batch, epcis::Exporter::wants, threads)
                    .unwrap(),
            );
        }
        let expected: Vec<Entry> = all
            .iter()
            .filter(|e| e.event.type_name().starts_with("lot."))
            .cloned()
            .collect();
        assert_eq!(lots, expected, "{threads} threads, lot events");
    }
    // A broken chain inside a batch is found at its index.
    let mut broken = leaves.clone();
    broken.swap(40, 41);
    let mut r = EntryReader::new();
    let err = broken
        .chunks(16)
        .map(|b| r.read_batch(b, |_| true, 2))
        .find_map(Result::err)
        .unwrap();
    assert!(
        matches!(
            err,
            ledger_core::export::EntryError::Order { index: 40 }
                | ledger_core::export::EntryError::Chain { index: 40 }
        ),
        "{err:?}"
    );
}

// ---------------------------------------------------------------------------
// ICGLR export.

fn validate_catalog(c: &Catalog, s: &Icglr) -> usize {
    let mut n = 0;
    for id in c.site_ids() {
        check(&s.site, &c.mine_site(id).unwrap(), &format!("site {id}"));
        n += 1;
    }
    for id in c.lot_ids() {
        check(&s.lot, &c.lot(id).unwrap(), &format!("lot {id}"));
        n += 1;
    }
    for id in c.cert_ids() {
        check(
            &s.cert,
            &c.export_certificate(id).unwrap(),
            &format!("cert {id}"),
        );
        n += 1;
    }
    for id in c.actor_ids() {
        check(
            &s.entity,
            &c.business_entity(id).unwrap(),
            &format!("actor {id}"),
        );
        n += 1;
    }
    n
}

#[test]
fn icglr_documents_of_the_small_ledger_validate_and_say_what_happened() {
    let w = small();
    let c = catalog(&entries(&w));
    let s = icglr_schemas();
    // 2 sites, 7 lots (L1 L2 L3 L2a L2b P1 M1), 2 certificates, 7 actors.
    assert_eq!(validate_catalog(&c, &s), 2 + 7 + 2 + 7);

    let m1 = c.lot("M1").unwrap();
    assert_eq!(
        m1["inputLot"],
        json!([{"lotNumber": "L1"}, {"lotNumber": "L2a"}])
    );
    assert_eq!(m1["mass"], json!(1298));
    assert_eq!(m1["concentration"], json!(47.68));
    assert_eq!(m1["originatingOperation"], json!([3, 5, 6, 8]));
    assert_eq!(m1["creator"]["identifier"], "TRADER-1");
    assert_eq!(m1["recipient"]["identifier"], "EXP-1");
    assert_eq!(m1["exportCertificateId"], "C-001");
    assert_eq!(m1["taxPaid"][0]["taxAmount"], json!(120));
    assert_eq!(m1["transportationRoute"], "Rutongo to Kigali");
    assert_eq!(m1["madini:originSites"], json!([S1]));
    assert!(m1.get("tag").is_none() && m1.get("mineSiteId").is_none());

    let l1 = c.lot("L1").unwrap();
    assert_eq!(l1["originatingOperation"], json!([1, 2]));
    assert_eq!(l1["mineSiteId"], S1);
    assert_eq!(l1["tag"]["identifier"], "RW26-000001");
    assert_eq!(l1["tag"]["issuer"]["identifier"], "AUTH");
    assert_eq!(l1["taxPaid"][0]["taxAmount"], json!(50));
    assert_eq!(l1["taxPaid"][0]["currency"], "USD");
    assert_eq!(l1["mass"], json!(998));
    assert_eq!(l1["madini:status"], "merged");
    let l2b = c.lot("L2b").unwrap();
    assert_eq!(
        l2b["taxPaid"][0]["taxAmount"],
        json!(20000),
        "RWF has no minor unit"
    );
    // The correction is the lot's figure (and was accepted as such).
    assert_eq!(c.lot("L3").unwrap()["madini:massG"], json!(250_000));

    let site = c.mine_site(S1).unwrap();
    assert_eq!(site["nationalId"], "RW-MINE-001");
    assert_eq!(site["certificationStatus"], json!(1));
    assert_eq!(
        site["mineSiteLocation"]["geolocalization"],
        json!({"latitude": -1.9641, "longitude": 30.0619}),
        "World reads an unsigned latitude after the country code as south, as ICGLR's example does"
    );
    assert_eq!(site["license"][0]["licenseType"], "artisanal_permit");
    assert_eq!(site["owner"]["identifier"], "COOP-1");
    assert_eq!(
        site["statusChange"].as_array().unwrap().len(),
        2,
        "registration (Blue) then the Green inspection"
    );
    let s2 = c.mine_site(S2).unwrap();
    let history: Vec<&Value> = s2["statusChange"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| &h["newStatus"])
        .collect();
    assert_eq!(history, [&json!(0), &json!(2), &json!(1)]);
    assert_eq!(s2["license"][0]["licenseType"], "unlicensed");
    assert_eq!(s2["inspection"][0]["inspectionResult"], json!(2));

    let cert = c.export_certificate("C-001").unwrap();
    assert_eq!(cert["lotWeight"], json!(1298));
    assert_eq!(cert["lotGrade"], "47.68%");
    assert_eq!(cert["mineralOrigin"], "RW");
    assert_eq!(cert["issuingCountry"], "RW");
    assert_eq!(cert["importer"]["madini:recorded"], json!(false));
    assert_eq!(cert["importer"]["legalAddress"]["country"], "BE");

    let coop = c.business_entity("COOP-1").unwrap();
    assert_eq!(coop["madini:cocRoles"], json!([1]));
    assert_eq!(coop["tin"], "TIN-COOP-1");
    assert!(c.lot("nope").is_none() && c.mine_site("nope").is_none());
}

#[test]
fn icglr_documents_of_a_generated_ledger_validate() {
    let w = scenario_world();
    let c = catalog(&entries(&w));
    let n = validate_catalog(&c, &icglr_schemas());
    assert!(c.lot_ids().count() > 250, "derived lots are exported too");
    assert!(c.cert_ids().count() > 0);
    assert!(n > 300);
}

// ---------------------------------------------------------------------------
// ICGLR import.

fn example(name: &str) -> String {
    std::fs::read_to_string(reference().join("icglr/examples").join(name)).unwrap()
}

fn capacity() -> Capacity {
    Capacity {
        mass_g: grams(20_000_000),
        days: Days(30),
    }
}

fn problems(r: &Result<impl std::fmt::Debug, RecordError>) -> Vec<(String, ProblemKind)> {
    match r {
        Ok(v) => panic!("expected a refusal, got {v:?}"),
        Err(e) => e
            .problems
            .iter()
            .map(|p| (p.path.clone(), p.kind))
            .collect(),
    }
}

#[test]
fn reference_mine_sites_import() {
    let opts = SiteImport {
        default_capacity: Some(capacity()),
        state: None,
    };
    let one = icglr::import_mine_sites(&example("mine-site-example.json"), &opts);
    assert_eq!(one.len(), 1);
    let site = one[0].as_ref().unwrap();
    let r = &site.register.site;
    assert_eq!(r.id.as_str(), "RW-1.9641+30.0619-00001");
    assert_eq!(r.national_id.as_ref().unwrap().as_str(), "RW-MINE-2024-001");
    assert_eq!(
        (r.location.lat_e6.0, r.location.lon_e6.0),
        (-1_964_100, 30_061_900)
    );
    assert_eq!(r.location.region_code.as_ref().unwrap().as_str(), "RW-02");
    assert_eq!(r.name.as_str(), "Muhanga");
    assert_eq!(r.minerals, [Mineral::Gold, Mineral::Wolframite]);
    assert_eq!(
        r.operators,
        [id("COMP-RW-001")],
        "no operator: the owner operates"
    );
    assert_eq!(r.capacity, capacity());
    assert_eq!(site.declared_status, CertStatus(1));
    assert_eq!(site.inspections.len(), 1);
    assert_eq!(site.inspections[0].inspection.result, InspectionResult(1));
    assert_eq!(
        site.inspections[0].inspection.date.0,
        ledger_core::time::parse("2024-03-15").unwrap()
    );

    let two = icglr::import_mine_sites(
        &example("mine-site-with-multiple-inspections-example.json"),
        &opts,
    );
    let s = two[0].as_ref().unwrap();
    assert_eq!(s.register.site.country.as_str(), "CD");
    assert_eq!(s.inspections.len(), 2);
    assert!(s.inspections[0].inspection.date < s.inspections[1].inspection.date);

    // Both in one array, and each imported body encodes as a valid event.
    let both = format!(
        "[{},{}]",
        example("mine-site-example.json"),
        example("mine-site-with-multiple-inspections-example.json")
    );
    let all = icglr::import_mine_sites(&both, &opts);
    assert!(all.iter().all(Result::is_ok));
    for s in all.into_iter().map(Result::unwrap) {
        let ev = Event {
            log: Origin::new(ORIGIN).unwrap(),
            key: named_key("AUTH").public().key_id(),
            time: Millis(DEFAULT_START),
            body: Body::SiteRegister(s.register),
        };
        Event::decode(&ev.encode().unwrap()).unwrap();
    }
}

fn credentials(ids: &[&str]) -> BTreeMap<String, Credentials> {
    ids.iter()
        .map(|i| {
            (
                i.to_string(),
                Credentials {
                    keys: vec![named_key(i).public()],
                    roles: vec![Role::Exporter],
                },
            )
        })
        .collect()
}

#[test]
fn reference_business_entities_import() {
    let cert: Value = serde_json::from_str(&example("export-certificate-example.json")).unwrap();
    let lot: Value = serde_json::from_str(&example("lot-example.json")).unwrap();
    let site: Value = serde_json::from_str(&example("mine-site-example.json")).unwrap();
    let input = json!([
        cert["exporter"],
        cert["importer"],
        lot["recipient"],
        lot["tag"]["issuer"],
        site["owner"],
    ]);
    let creds = credentials(&["COMP-RW-001", "COMP-BE-001", "COMP-RW-002", "GOV-RW-001"]);
    let out = icglr::import_business_entities_value(
        &input,
        &EntityImport {
            credentials: &creds,
            state: None,
        },
    );
    assert_eq!(out.len(), 5);
    let a: Vec<ActorRegister> = out.into_iter().map(Result::unwrap).collect();
    let exp = &a[0].actor;
    assert_eq!(exp.id.as_str(), "COMP-RW-001");
    assert_eq!(exp.country.as_str(), "RW");
    assert_eq!(exp.tin.as_ref().unwrap().as_str(), "123456789");
    assert_eq!(exp.address.as_ref().unwrap().locality.as_str(), "Kigali");
    assert_eq!(
        exp.contact
            .as_ref()
            .unwrap()
            .phone
            .as_ref()
            .unwrap()
            .as_str(),
        "+250788123456"
    );
    assert_eq!(exp.roles, [Role::Exporter]);
    assert_eq!(exp.keys, [named_key("COMP-RW-001").public()]);
    assert_eq!(a[1].actor.country.as_str(), "BE");
}

#[test]
fn exported_sites_and_entities_import_back_unchanged() {
    let w = small();
    let c = catalog(&entries(&w));
    let doc = c.mine_site(S1).unwrap();
    let back = icglr::import_mine_sites_value(
        &doc,
        &SiteImport {
            default_capacity: None,
            state: None,
        },
    );
    let site = back[0].as_ref().unwrap();
    let original = w
        .log
        .state
        .sites()
        .find(|s| s.record.id.as_str() == S1)
        .unwrap();
    assert_eq!(site.register.site, original.record);
    assert_eq!(site.inspections.len(), 1);
    assert_eq!(site.inspections[0].inspection.id.as_str(), "INS-1");

    let doc = c.business_entity("COOP-1").unwrap();
    let creds = BTreeMap::from([(
        "COOP-1".to_string(),
        Credentials {
            keys: vec![named_key("COOP-1").public()],
            roles: Vec::new(),
        },
    )]);
    let back = icglr::import_business_entities_value(
        &doc,
        &EntityImport {
            credentials: &creds,
            state: None,
        },
    );
    let expected = w.actor_record(
        "COOP-1",
        "Coopérative Minière de Rutongo",
        "RW",
        &[Role::Cooperative],
    );
    assert_eq!(back[0].as_ref().unwrap().actor, expected);
}

fn site_json() -> Value {
    serde_json::from_str(&example("mine-site-example.json")).unwrap()
}

#[test]
fn malformed_mine_sites_are_refused_whole_with_paths() {
    let w = small();
    let opts = SiteImport {
        default_capacity: Some(capacity()),
        state: None,
    };
    let one = |v: Value| icglr::import_mine_sites_value(&v, &opts).remove(0);

    // Wrong schema: a lot is not a mine site.
    let lot: Value = serde_json::from_str(&example("lot-example.json")).unwrap();
    let p = problems(&one(lot));
    assert!(
        p.contains(&("$.icglrId".into(), ProblemKind::Schema)),
        "{p:?}"
    );
    assert!(p.contains(&("$.mineSiteLocation".into(), ProblemKind::Schema)));

    // A mineral outside MDC.03, a status outside MDC.01, an inspection
    // result of 0: all reported at once.
    let mut v = site_json();
    v["mineral"][1] = json!("1234.56.78");
    v["certificationStatus"] = json!(7);
    v["inspection"][0]["inspectionResult"] = json!(0);
    let p = problems(&one(v));
    assert_eq!(
        p,
        [
            ("$.certificationStatus".to_string(), ProblemKind::Code),
            ("$.mineral[1]".to_string(), ProblemKind::Code),
            (
                "$.inspection[0].inspectionResult".to_string(),
                ProblemKind::Code
            ),
        ]
    );

    // A site id outside the ICGLR pattern, and a country that is not the id's.
    let mut v = site_json();
    v["icglrId"] = json!("RW-1.96+30.06-1");
    let p = problems(&one(v));
    assert_eq!(p, [("$.icglrId".to_string(), ProblemKind::Value)]);
    let mut v = site_json();
    v["addressCountry"] = json!("CD");
    let p = problems(&one(v));
    assert_eq!(p, [("$.addressCountry".to_string(), ProblemKind::Value)]);
    let mut v = site_json();
    v["addressCountry"] = json!("FR");
    assert_eq!(
        problems(&one(v)),
        [("$.addressCountry".to_string(), ProblemKind::Code)]
    );

    // Capacity: a unit outside KGM/TNE, a mass that is not whole grams, no capacity at all.
    let mut v = site_json();
    v["madini:capacity"] = json!({"mass": 12, "unitOfMeasurement": "LBR", "days": 30});
    assert_eq!(
        problems(&one(v)),
        [(
            "$.madini:capacity.unitOfMeasurement".to_string(),
            ProblemKind::Code
        )]
    );
    let mut v = site_json();
    v["madini:capacity"] = json!({"mass": 0.0001, "unitOfMeasurement": "KGM", "days": 30});
    assert_eq!(
        problems(&one(v)),
        [("$.madini:capacity.mass".to_string(), ProblemKind::Mass)]
    );
    let mut v = site_json();
    v["madini:capacity"] = json!({"mass": "1.5", "unitOfMeasurement": "TNE", "days": 30});
    let s = one(v).unwrap();
    assert_eq!(s.register.site.capacity.mass_g, grams(1_500_000));
    let none = icglr::import_mine_sites_value(&site_json(), &SiteImport::default()).remove(0);
    assert_eq!(
        problems(&none),
        [("$.madini:capacity".to_string(), ProblemKind::Missing)]
    );

    // Against the small ledger: an unknown operator, a non-cooperative
    // operator, and a site already registered.
    let with_state = SiteImport {
        default_capacity: Some(capacity()),
        state: Some(&w.log.state),
    };
    let mut v = site_json();
    v["icglrId"] = json!("RW-1.9641+30.0619-00077");
    v["operator"] =
        json!([{"identifier": "NOBODY"}, {"identifier": "TRADER-1"}, {"identifier": "COOP-1"}]);
    let p = problems(&icglr::import_mine_sites_value(&v, &with_state).remove(0));
    assert_eq!(
        p,
        [
            (
                "$.operator[0].identifier".to_string(),
                ProblemKind::UnknownActor
            ),
            (
                "$.operator[1].identifier".to_string(),
                ProblemKind::UnknownActor
            ),
        ]
    );
    let exported = catalog(&entries(&w)).mine_site(S1).unwrap();
    let p = problems(&icglr::import_mine_sites_value(&exported, &with_state).remove(0));
    assert_eq!(p, [("$.icglrId".to_string(), ProblemKind::Exists)]);

    // One bad record in an array does not stop the others, and its path
    // says which one.
    let mut bad = site_json();
    bad["mineSiteLocation"]["geolocalization"]["latitude"] = json!(123.4);
    let out = icglr::import_mine_sites_value(&json!([site_json(), bad, 42]), &opts);
    assert!(out[0].is_ok());
    assert_eq!(
        problems(&out[1]),
        [(
            "$[1].mineSiteLocation.geolocalization.latitude".to_string(),
            ProblemKind::Value
        )]
    );
    assert_eq!(out[1].as_ref().unwrap_err().record, 1);
    assert_eq!(
        problems(&out[2]),
        [("$[2]".to_string(), ProblemKind::Schema)]
    );
    let text = icglr::import_mine_sites("{not json", &opts);
    assert_eq!(problems(&text[0]), [("$".to_string(), ProblemKind::Schema)]);
}

#[test]
fn malformed_business_entities_are_refused_whole_with_paths() {
    let w = small();
    let site = site_json();
    let owner = site["owner"].clone();
    let creds = credentials(&["COMP-RW-001"]);
    let opts = EntityImport {
        credentials: &creds,
        state: None,
    };
    let one = |v: Value| icglr::import_business_entities_value(&v, &opts).remove(0);

    let no_keys = icglr::import_business_entities_value(
        &owner,
        &EntityImport {
            credentials: &BTreeMap::new(),
            state: None,
        },
    );
    assert_eq!(
        problems(&no_keys[0]),
        [
            ("$.madini:roles".to_string(), ProblemKind::Missing),
            ("$.identifier".to_string(), ProblemKind::Missing),
        ]
    );

    let mut v = owner.clone();
    v["contactDetails"]["contactPhoneNumber"] = json!("0788123456");
    v["contactDetails"]["contactEmail"] = json!("nobody");
    v["madini:roles"] = json!(["exporter", "smuggler"]);
    assert_eq!(
        problems(&one(v)),
        [
            (
                "$.contactDetails.contactPhoneNumber".to_string(),
                ProblemKind::Value
            ),
            (
                "$.contactDetails.contactEmail".to_string(),
                ProblemKind::Value
            ),
            ("$.madini:roles[1]".to_string(), ProblemKind::Code),
        ]
    );

    let mut v = owner.clone();
    v.as_object_mut().unwrap().remove("contactDetails");
    v.as_object_mut().unwrap().remove("legalAddress");
    v.as_object_mut().unwrap().remove("physicalAddress");
    assert_eq!(
        problems(&one(v)),
        [
            ("$.contactDetails".to_string(), ProblemKind::Schema),
            ("$.legalAddress".to_string(), ProblemKind::Missing),
        ]
    );

    // Against the small ledger: the actor id and its key are taken.
    let mut v = owner.clone();
    v["identifier"] = json!("COOP-1");
    let creds = BTreeMap::from([(
        "COOP-1".to_string(),
        Credentials {
            keys: vec![named_key("COOP-1").public()],
            roles: vec![Role::Cooperative],
        },
    )]);
    let out = icglr::import_business_entities_value(
        &v,
        &EntityImport {
            credentials: &creds,
            state: Some(&w.log.state),
        },
    );
    assert_eq!(
        problems(&out[0]),
        [
            ("$.identifier".to_string(), ProblemKind::Exists),
            ("$.identifier".to_string(), ProblemKind::Exists),
        ]
    );
}

// ---------------------------------------------------------------------------
// EPCIS.

fn document(w: &World, selection: Selection) -> (String, epcis::Summary) {
    let header = Header {
        origin: w.origin.clone(),
        created: 1_780_000_000_000,
    };
    let mut out = String::new();
    let leaves = w.log.leaves();
    let summary = epcis::write_document(&mut out, &header, selection, || {
        leaves
            .iter()
            .enumerate()
            .map(|(i, l)| Ok::<_, std::convert::Infallible>((i as u64, l.as_slice())))
    })
    .unwrap();
    (out, summary)
}

fn events(doc: &str) -> Vec<Value> {
    let v: Value = serde_json::from_str(doc).unwrap();
    v["epcisBody"]["eventList"].as_array().unwrap().clone()
}

fn count_types(evs: &[Value]) -> BTreeMap<String, usize> {
    let mut m = BTreeMap::new();
    for e in evs {
        *m.entry(e["type"].as_str().unwrap().to_string())
            .or_default() += 1;
    }
    m
}

#[test]
fn epcis_document_of_the_small_ledger_validates_and_points_to_the_log() {
    let w = small();
    let schema = epcis_schema();
    let (doc, summary) = document(&w, Selection::All);
    let parsed: Value = serde_json::from_str(&doc).unwrap();
    check(&schema, &parsed, "EPCIS document");
    let evs = events(&doc);
    assert_eq!(summary.events, evs.len() as u64);
    assert_eq!(
        count_types(&evs),
        BTreeMap::from([
            ("AssociationEvent".to_string(), 3),
            ("ObjectEvent".to_string(), 24),
            ("TransactionEvent".to_string(), 3),
            ("TransformationEvent".to_string(), 3),
        ])
    );
    // Every event names its entry, and the entry's leaf hash is the log's.
    let leaves = w.log.leaves();
    for e in &evs {
        let entry = &e["madini:entry"];
        let i = entry["index"].as_u64().unwrap() as usize;
        assert_eq!(entry["leafHash"], json!(leaf_hash(&leaves[i])), "{e}");
        let id = e["eventID"].as_str().unwrap();
        assert!(
            id.starts_with(&epcis::event_id(&leaf_hash(&leaves[i]), 0))
                || e.get("errorDeclaration").is_some()
        );
    }
    // Event ids are unique except for the error declaration, which repeats
    // the id of the event it declares wrong.
    let ids: Vec<&str> = evs.iter().map(|e| e["eventID"].as_str().unwrap()).collect();
    let unique: BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len() - 1);
    let decl = evs
        .iter()
        .find(|e| e.get("errorDeclaration").is_some())
        .unwrap();
    let corrective = evs
        .iter()
        .find(|e| e.get("madini:correction").is_some())
        .unwrap();
    assert_eq!(
        decl["errorDeclaration"]["correctiveEventIDs"],
        json!([corrective["eventID"]])
    );
    assert_eq!(decl["bizStep"], "commissioning");
    assert_eq!(decl["epcList"], json!([epcis::urn(ORIGIN, "lot", "L3")]));
    assert_eq!(
        corrective["madini:correction"]["correctsEventID"],
        decl["eventID"]
    );
    assert_eq!(corrective["quantityList"][0]["quantity"], json!(250));

    // The merge states the inputs as they stood: L1 as accepted, L2a as split.
    let merge = evs
        .iter()
        .find(|e| {
            e["type"] == "TransformationEvent"
                && e["bizStep"] == "repackaging"
                && e["inputEPCList"].as_array().unwrap().len() == 2
        })
        .unwrap();
    let q: Vec<&Value> = merge["inputQuantityList"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| &x["quantity"])
        .collect();
    assert_eq!(q, [&json!(998), &json!(300)]);
    assert_eq!(merge["outputQuantityList"][0]["quantity"], json!(1298));
    assert_eq!(merge["outputQuantityList"][0]["uom"], "KGM");

    // The sale: offer with a price, acceptance, and a refused sale deleted.
    let tx: Vec<&Value> = evs
        .iter()
        .filter(|e| e["type"] == "TransactionEvent")
        .collect();
    assert_eq!(tx[0]["action"], "ADD");
    assert_eq!(tx[2]["action"], "DELETE");
    assert_eq!(tx[1]["bizTransactionList"], tx[2]["bizTransactionList"]);
    let accept_l1 = evs
        .iter()
        .find(|e| e["bizStep"] == "receiving" && e["epcList"][0] == epcis::urn(ORIGIN, "lot", "L1"))
        .unwrap();
    assert_eq!(accept_l1["bizTransactionList"], tx[0]["bizTransactionList"]);
    assert_eq!(
        accept_l1["sourceList"][0],
        json!({"type": "owning_party", "source": epcis::urn(ORIGIN, "actor", "COOP-1")})
    );
    assert_eq!(
        accept_l1["destinationList"][1],
        json!({"type": "possessing_party", "destination": epcis::urn(ORIGIN, "actor", "TRADER-1")})
    );
    let export = evs
        .iter()
        .find(|e| e["certificationInfo"].is_string())
        .unwrap();
    assert_eq!(
        export["certificationInfo"],
        epcis::urn(ORIGIN, "cert", "C-001")
    );

    // Streaming in chunks gives the same bytes, whatever the chunk size.
    let leaves = w.log.leaves();
    let source = || {
        leaves
            .iter()
            .enumerate()
            .map(|(i, l)| Ok::<_, std::convert::Infallible>((i as u64, l.as_slice())))
    };
    let plan = epcis::plan(Selection::All, source()).unwrap();
    for size in [1, 700, 1 << 20] {
        let header = Header {
            origin: w.origin.clone(),
            created: 1_780_000_000_000,
        };
        let chunked: String = epcis::chunks(header, plan.clone(), source(), size)
            .map(Result::unwrap)
            .collect();
        assert_eq!(chunked, doc, "chunk size {size}");
    }
}

#[test]
fn epcis_provenance_and_window_exports() {
    let w = small();
    let schema = epcis_schema();
    let (doc, _) = document(&w, Selection::Lot(id("M1")));
    check(
        &schema,
        &serde_json::from_str(&doc).unwrap(),
        "provenance of M1",
    );
    let evs = events(&doc);
    let lots: BTreeSet<String> = evs
        .iter()
        .flat_map(|e| {
            ["epcList", "inputEPCList", "outputEPCList"]
                .iter()
                .filter_map(|k| e[*k].as_array())
                .flatten()
                .chain(e["parentID"].as_str().map(|_| &e["parentID"]))
                .map(|x| x.as_str().unwrap().rsplit(':').next().unwrap().to_string())
                .collect::<Vec<_>>()
        })
        .collect();
    // L2b appears only as the split's sibling output; L3 and P1 never.
    assert_eq!(
        lots,
        ["L1", "L2", "L2a", "L2b", "M1"].map(String::from).into()
    );
    assert_eq!(evs.len(), 18);

    // February only: the correction's error declaration still repeats the
    // January registration it declares wrong.
    let feb = ledger_core::time::parse("2026-02-01").unwrap();
    let mar = ledger_core::time::parse("2026-03-01").unwrap();
    let (doc, summary) = document(&w, Selection::Window { from: feb, to: mar });
    check(
        &schema,
        &serde_json::from_str(&doc).unwrap(),
        "February window",
    );
    let evs = events(&doc);
    assert!(summary.selected > 0 && summary.selected < summary.entries);
    for e in &evs {
        let i = e["madini:entry"]["index"].as_u64().unwrap() as usize;
        let leaf = ledger_core::leaf::Leaf::decode(&w.log.leaves()[i]).unwrap();
        if e.get("errorDeclaration").is_none() {
            assert!((feb..mar).contains(&leaf.record_time), "{e}");
        }
    }
    let decl = evs
        .iter()
        .find(|e| e.get("errorDeclaration").is_some())
        .unwrap();
    assert_eq!(decl["madini:entry"]["eventType"], "lot.register");
}

#[test]
fn epcis_document_of_a_generated_ledger_validates() {
    let w = scenario_world();
    let (doc, summary) = document(&w, Selection::All);
    check(
        &epcis_schema(),
        &serde_json::from_str(&doc).unwrap(),
        "scenario EPCIS document",
    );
    let evs = events(&doc);
    let types = count_types(&evs);
    for t in ["ObjectEvent", "AssociationEvent", "TransformationEvent"] {
        assert!(types[t] > 0, "{types:?}");
    }
    // Every lot event of the log is in the document.
    let lot_entries: BTreeSet<u64> = entries(&w)
        .iter()
        .filter(|e| e.event.type_name().starts_with("lot."))
        .map(|e| e.index)
        .collect();
    let seen: BTreeSet<u64> = evs
        .iter()
        .map(|e| e["madini:entry"]["index"].as_u64().unwrap())
        .collect();
    assert_eq!(seen, lot_entries);
    assert_eq!(
        summary.entries,
        lot_entries.len() as u64,
        "only lot events are decoded"
    );
    // The mapper gives the same events one entry at a time.
    let mut mapper = epcis::Mapper::new();
    let one_by_one: usize = entries(&w).iter().map(|e| mapper.events(e).len()).sum();
    let declarations = evs
        .iter()
        .filter(|e| e.get("errorDeclaration").is_some())
        .count();
    assert_eq!(one_by_one + declarations, evs.len());
}

// ---------------------------------------------------------------------------
// Reports.

/// (month, site, mineral, the six flow figures) of one flow row.
type FlowCell<'a> = (Option<&'a str>, Option<&'a str>, &'a str, [u64; 6]);

fn reports_of(w: &World, year: i64) -> Reports {
    report::reports(Options { year }, &entries(w)).unwrap()
}

#[test]
fn reports_match_hand_computed_figures() {
    let w = small();
    let r = reports_of(&w, 2026);

    let flows: Vec<FlowCell> = r
        .flows
        .monthly
        .iter()
        .map(|f| {
            (
                f.month.as_deref(),
                f.site.as_deref(),
                f.mineral.code(),
                [
                    f.produced_g,
                    f.produced_lots,
                    f.transferred_g,
                    f.transfers,
                    f.exported_g,
                    f.exported_lots,
                ],
            )
        })
        .collect();
    assert_eq!(
        flows,
        [
            (
                Some("2026-01"),
                Some(S1),
                "2609.00.00",
                [1_500_000, 2, 1_698_000, 3, 0, 0]
            ),
            (
                Some("2026-01"),
                Some(S2),
                "2615.90.00",
                [250_000, 1, 0, 0, 0, 0]
            ),
            (
                Some("2026-02"),
                Some(S1),
                "2609.00.00",
                [0, 0, 1_298_000, 1, 1_298_000, 1]
            ),
            (
                Some("2026-02"),
                Some(S2),
                "2615.90.00",
                [0, 0, 250_000, 1, 250_000, 1]
            ),
        ]
    );
    assert!(
        r.flows
            .monthly
            .iter()
            .all(|f| f.country.as_deref() == Some("RW"))
    );
    let totals: Vec<[u64; 6]> = r
        .flows
        .totals
        .iter()
        .map(|f| {
            [
                f.produced_g,
                f.produced_lots,
                f.transferred_g,
                f.transfers,
                f.exported_g,
                f.exported_lots,
            ]
        })
        .collect();
    assert_eq!(
        totals,
        [
            [1_500_000, 2, 2_996_000, 4, 1_298_000, 1],
            [250_000, 1, 250_000, 1, 250_000, 1]
        ]
    );

    assert_eq!(
        report::tax_lines_csv(&r.tax),
        "month,country,site,actor,mineral,authority,tax_type,currency,amount,amount_minor,payments\r\n\
         2026-01,RW,RW-1.9641+30.0619-00001,COOP-1,2609.00.00,Provincial Mining Division,royalty,USD,50,5000,1\r\n\
         2026-01,RW,RW-1.9641+30.0619-00001,TRADER-1,2609.00.00,Provincial Mining Division,fee,RWF,20000,20000,1\r\n\
         2026-02,RW,RW-1.9641+30.0619-00001,EXP-1,2609.00.00,Provincial Mining Division,export tax,USD,120,12000,1\r\n"
    );
    assert_eq!(
        report::tax_periods_csv(&r.tax),
        "month,country,site,mineral,produced_g,exported_g,payments,taxes\r\n\
         2026-01,RW,RW-1.9641+30.0619-00001,2609.00.00,1500000,0,2,RWF 20000;USD 50\r\n\
         2026-01,RW,RW-2.0000+29.5000-00002,2615.90.00,250000,0,0,\r\n\
         2026-02,RW,RW-1.9641+30.0619-00001,2609.00.00,0,1298000,1,USD 120\r\n\
         2026-02,RW,RW-2.0000+29.5000-00002,2615.90.00,0,250000,0,\r\n"
    );
    assert_eq!(r.tax.untaxed_exports.len(), 1);
    let u = &r.tax.untaxed_exports[0];
    assert_eq!(
        (
            u.lot.as_str(),
            u.cert.as_str(),
            u.mass_g,
            u.destination.as_str(),
            u.site.as_deref()
        ),
        ("L3", "C-002", 250_000, "CN", Some(S2))
    );
    assert_eq!(u.exporter.as_deref(), Some("EXP-1"));

    let sites: Vec<(&str, u8, u64, u64, Option<u64>)> = r
        .registry
        .sites
        .iter()
        .map(|s| {
            (
                s.id.as_str(),
                s.status,
                s.capacity_year_g,
                s.produced_year_g,
                s.capacity_use_bp,
            )
        })
        .collect();
    // 10 t per 30 days over 365 days is 121 666 666 g; 1.5 t of it is 123 bp.
    assert_eq!(
        sites,
        [
            (S1, 1, 121_666_666, 1_500_000, Some(123)),
            (S2, 1, 60_833_333, 250_000, Some(41))
        ]
    );
    assert_eq!(
        r.registry.sites[0].last_inspection.as_deref(),
        Some("2026-01-05")
    );
    let ids: Vec<&str> = r.registry.actors.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "AUTH", "COOP-1", "EXP-1", "INSP-1", "PROC-1", "TRADER-1", "WH-1"
        ]
    );
    assert_eq!(r.registry.actors[1].licences[0].id.as_str(), "L-001");
    let csv = report::actors_csv(&r.registry);
    assert!(
        csv.contains("\r\nCOOP-1,Coopérative Minière de Rutongo,RW,cooperative,1,Goma,L-001\r\n"),
        "{csv}"
    );
    let sites_csv = report::sites_csv(&r.registry);
    assert!(
        sites_csv.contains(",-1.9641,30.0619,COOP-1\r\n"),
        "{sites_csv}"
    );

    let geo = report::sites_geojson(&r.registry);
    assert_eq!(geo["type"], "FeatureCollection");
    assert_eq!(
        geo["features"][0]["geometry"],
        json!({"type": "Point", "coordinates": [30.0619, -1.9641]})
    );
    assert_eq!(
        geo["features"][0]["properties"]["produced_year_g"],
        json!(1_500_000)
    );
    assert_eq!(geo["features"].as_array().unwrap().len(), 2);

    // Another year: no production counted against capacity.
    assert_eq!(reports_of(&w, 2025).registry.sites[0].produced_year_g, 0);
}

/// Independent totals from the signed events: each figure event's mass as
/// finally corrected.
fn corrected_totals(w: &World) -> (u64, u64, u64) {
    let evs: Vec<(ledger_core::hash::Hash, Event)> = w
        .accepted
        .iter()
        .map(|s| (s.hash(), Event::decode(&s.bytes).unwrap()))
        .collect();
    let mut correction: BTreeMap<ledger_core::hash::Hash, u64> = BTreeMap::new();
    for (_, e) in &evs {
        if let Body::LotCorrect(c) = &e.body
            && let Some(m) = c.mass_g
        {
            correction.insert(c.corrects, m.0);
        }
    }
    let (mut p, mut t, mut x) = (0, 0, 0);
    for (h, e) in &evs {
        let m = |g: Grams| correction.get(h).copied().unwrap_or(g.0);
        match &e.body {
            Body::LotRegister(b) => p += m(b.mass_g),
            Body::LotAccept(b) => t += m(b.mass_g),
            Body::LotExport(b) => x += m(b.mass_g),
            _ => {}
        }
    }
    (p, t, x)
}

#[test]
fn reports_of_a_generated_ledger_add_up() {
    let mut cfg = Config::new(5, 250);
    cfg.frauds = vec![Fraud::UntaxedExport, Fraud::OverCapacity];
    let s = scenario::generate(&cfg);
    let w = &s.main;
    let r = reports_of(w, 2026);

    // Sums over months equal the totals, key by key.
    let mut summed: BTreeMap<(Option<String>, Option<String>, Mineral), [u64; 6]> = BTreeMap::new();
    for f in &r.flows.monthly {
        let k = (
            f.country.as_ref().map(|c| c.to_string()),
            f.site.as_ref().map(|c| c.to_string()),
            f.mineral,
        );
        let t = summed.entry(k).or_default();
        for (a, b) in t.iter_mut().zip([
            f.produced_g,
            f.produced_lots,
            f.transferred_g,
            f.transfers,
            f.exported_g,
            f.exported_lots,
        ]) {
            *a += b;
        }
    }
    let totals: BTreeMap<_, _> = r
        .flows
        .totals
        .iter()
        .map(|f| {
            (
                (
                    f.country.as_ref().map(|c| c.to_string()),
                    f.site.as_ref().map(|c| c.to_string()),
                    f.mineral,
                ),
                [
                    f.produced_g,
                    f.produced_lots,
                    f.transferred_g,
                    f.transfers,
                    f.exported_g,
                    f.exported_lots,
                ],
            )
        })
        .collect();
    assert_eq!(summed, totals);
    assert!(r.flows.totals.iter().all(|f| f.month.is_none()));

    // The totals equal the signed figures, as corrected.
    let (p, t, x) = corrected_totals(w);
    let sum = |f: fn(&report::FlowRow) -> u64| r.flows.totals.iter().map(f).sum::<u64>();
    assert_eq!(sum(|f| f.produced_g), p);
    assert_eq!(sum(|f| f.transferred_g), t);
    assert_eq!(sum(|f| f.exported_g), x);
    let registered = entries(w)
        .iter()
        .filter(|e| e.event.type_name() == "lot.register")
        .count() as u64;
    assert_eq!(sum(|f| f.produced_lots), registered);
    assert!(x > 0 && t > p / 2);

    // The tax periods are the same cells, with the tax lines summed into them.
    type Cell = (String, Option<String>, Option<String>, Mineral, String);
    let mut per_cell: BTreeMap<Cell, u64> = BTreeMap::new();
    for l in &r.tax.lines {
        let key = (
            l.month.clone(),
            l.country.as_ref().map(|c| c.to_string()),
            l.site.as_ref().map(|s| s.to_string()),
            l.mineral,
            l.currency.to_string(),
        );
        *per_cell.entry(key).or_default() += l.amount_minor;
    }
    let mut from_periods = BTreeMap::new();
    for p in &r.tax.periods {
        for a in &p.taxes {
            let key = (
                p.month.clone(),
                p.country.as_ref().map(|c| c.to_string()),
                p.site.as_ref().map(|s| s.to_string()),
                p.mineral,
                a.currency.to_string(),
            );
            assert!(from_periods.insert(key, a.amount_minor).is_none());
        }
    }
    assert_eq!(per_cell, from_periods);
    assert!(!r.tax.lines.is_empty());

    // The planted untaxed export is listed.
    let planted = s
        .planted
        .iter()
        .find(|p| p.fraud == Fraud::UntaxedExport)
        .unwrap();
    for lot in &planted.lots {
        assert!(
            r.tax.untaxed_exports.iter().any(|u| u.lot.as_str() == lot),
            "{lot} not in {:?}",
            r.tax.untaxed_exports
        );
    }

    // Production this year is the year's monthly production of each site.
    for site in &r.registry.sites {
        let made: u64 = r
            .flows
            .monthly
            .iter()
            .filter(|f| {
                f.site.as_ref() == Some(&site.id)
                    && f.month.as_deref().unwrap().starts_with("2026-")
            })
            .map(|f| f.produced_g)
            .sum();
        assert_eq!(site.produced_year_g, made, "{}", site.id);
    }
    // The over-capacity site registered three times its 30-day capacity.
    let planted = s
        .planted
        .iter()
        .find(|p| p.fraud == Fraud::OverCapacity)
        .unwrap();
    let site_of = |lot: &str| {
        entries(w).into_iter().find_map(|e| match e.event.body {
            Body::LotRegister(b) if b.lot.as_str() == lot => Some(b.site),
            _ => None,
        })
    };
    let site = site_of(&planted.lots[0]).unwrap();
    let row = r.registry.sites.iter().find(|s| s.id == site).unwrap();
    assert!(row.produced_year_g >= 3 * row.capacity_g, "{row:?}");

    // Same bytes whichever way the entries were produced.
    let mut replay = Replay::new();
    let replayed: Vec<Entry> = w
        .log
        .leaves()
        .iter()
        .map(|l| replay.push(l, SigMode::Known(true)).unwrap())
        .collect();
    let again = report::reports(Options { year: 2026 }, &replayed).unwrap();
    assert_eq!(report::to_json_string(&again), report::to_json_string(&r));
    assert_eq!(
        report::flows_csv(&again.flows.monthly),
        report::flows_csv(&r.flows.monthly)
    );
}

#[test]
fn the_schemas_do_reject_broken_documents() {
    // Guards the checks above: the validators resolve `$ref`s across files
    // and check formats, so a broken document fails.
    let w = small();
    let c = catalog(&entries(&w));
    let s = icglr_schemas();
    let good = c.mine_site(S1).unwrap();
    assert!(s.site.is_valid(&good));
    for (pointer, bad) in [
        ("/certificationStatus", json!(7)),
        ("/mineSiteLocation/geolocalization/latitude", json!(100)),
        ("/inspection/0/inspectionDate", json!("5 Jan 2026")),
        ("/owner/contactDetails/contactPhoneNumber", json!("0788")),
        ("/addressCountry", json!("FR")),
    ] {
        let mut doc = good.clone();
        *doc.pointer_mut(pointer).unwrap() = bad;
        assert!(!s.site.is_valid(&doc), "{pointer}");
    }
    let mut lot = c.lot("L1").unwrap();
    lot.as_object_mut().unwrap().remove("creator");
    assert!(!s.lot.is_valid(&lot));
    let mut cert = c.export_certificate("C-001").unwrap();
    cert["lotWeightUOM"] = json!("LBR");
    assert!(!s.cert.is_valid(&cert));

    let schema = epcis_schema();
    let (doc, _) = document(&w, Selection::All);
    let good: Value = serde_json::from_str(&doc).unwrap();
    assert!(schema.is_valid(&good));
    for (pointer, bad) in [
        ("/epcisBody/eventList/0/eventTime", json!("yesterday")),
        ("/epcisBody/eventList/0/action", json!("MOVE")),
        (
            "/epcisBody/eventList/0/bizStep",
            json!("urn:epcglobal:cbv:bizstep:mining"),
        ),
        (
            "/epcisBody/eventList/0/quantityList/0/uom",
            json!("kilograms"),
        ),
        ("/creationDate", json!("2026")),
    ] {
        let mut doc = good.clone();
        *doc.pointer_mut(pointer).unwrap() = bad;
        assert!(!schema.is_valid(&doc), "{pointer}");
    }
}

#[test]
fn documents_of_the_demo_ledger_validate() {
    // The ledger `madini-node serve --demo` builds, as of a fixed day.
    let now = ledger_core::time::parse("2026-11-27").unwrap();
    let w = scenario::generate(&scenario::demo_config(now)).main;
    let c = catalog(&entries(&w));
    let n = validate_catalog(&c, &icglr_schemas());
    assert!(n > 300, "{n} documents");
    let (doc, _) = document(&w, Selection::All);
    check(
        &epcis_schema(),
        &serde_json::from_str(&doc).unwrap(),
        "demo EPCIS document",
    );
}

/// The list reports are written row by row; the bytes are those of the
/// whole report turned into one `Value` and written with `to_json`, and
/// the same whatever the number of decoding threads.
#[test]
fn reports_written_row_by_row_are_the_whole_value_written() {
    use ledger_core::export::views::{self, Kind};
    let w = scenario_world();
    let leaves = || {
        w.log
            .leaves()
            .iter()
            .enumerate()
            .map(|(i, l)| Ok::<_, String>((i as u64, l.as_slice())))
    };
    let r = views::compute_reports(2026, leaves(), 1).unwrap();
    assert!(r.flows.monthly.len() > 10 && !r.tax.lines.is_empty());
    let flows = views::render(&r, Kind::Flows, "json", None).unwrap();
    assert_eq!(
        flows.body,
        to_json(&serde_json::to_value(&r.flows).unwrap())
    );
    let taxes = views::render(&r, Kind::Taxes, "json", None).unwrap();
    assert_eq!(taxes.body, to_json(&serde_json::to_value(&r.tax).unwrap()));
    let r3 = views::compute_reports(2026, leaves(), 3).unwrap();
    assert_eq!(
        views::render(&r3, Kind::Flows, "json", None).unwrap().body,
        flows.body
    );
    assert_eq!(
        views::render(&r3, Kind::Taxes, "json", None).unwrap().body,
        taxes.body
    );
}
