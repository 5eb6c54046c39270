//! The test vectors of `spec/vectors/`, built deterministically from fixed
//! keys. `ledger-core/tests/vectors.rs` regenerates them and fails on any
//! difference from the committed files (set `MADINI_BLESS=1` to rewrite
//! them after a deliberate format change, in the same commit as the spec).
//!
//! The rule cases here carry the rule each bad event must break, written by
//! hand, so a vector can never simply record whatever the code happens to do.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use serde_json::{Value, json};

use crate::bundle::{Bundle, MemIndex, build_bundle};
use crate::crypto::{PublicKey, SecretKey};
use crate::event::*;
use crate::hash::{Hash, hex_encode, leaf_hash, sha256};
use crate::jcs;
use crate::leaf::Leaf;
use crate::log::{MemLog, SignedEvent};
use crate::note::{Checkpoint, NoteKey, sign_checkpoint};
use crate::rules::Rule;
use crate::types::*;
use crate::world::*;

mod precheck;
mod seal;
mod witness;
pub use precheck::PRECHECK_RULES;

/// The origin of the vector log.
pub const ORIGIN: &str = "vectors.madini.example/log";

/// The site ids used by the vectors.
pub const S1: &str = "CD-1.6790+29.2200-00001";
/// Second site (gold).
pub const S2: &str = "CD-2.4800+28.8600-00002";

/// Builds the base log every rule case starts from. It uses every event type.
///
/// # Panics
/// If the script itself breaks a rule (a bug in this file).
pub fn base_world() -> World {
    let mut w = World::new(ORIGIN, "CD");
    let ok = |r: Result<crate::rules::Applied, crate::rules::Refusal>| {
        r.unwrap_or_else(|e| panic!("vector base script refused: {e}"))
    };
    for (a, name, roles) in [
        (
            "INSP",
            "Service d'Assistance et d'Encadrement de l'Exploitation Minière Artisanale",
            &[Role::Inspector][..],
        ),
        (
            "COOP1",
            "Coopérative Minière de Rubaya",
            &[Role::Cooperative][..],
        ),
        (
            "COOP2",
            "Coopérative Aurifère de Mwenga",
            &[Role::Cooperative][..],
        ),
        ("TR1", "Négociant Kivu Minerals", &[Role::Trader][..]),
        (
            "PROC",
            "Goma Processing Centre",
            &[Role::Processor, Role::Trader][..],
        ),
        ("EXP", "Comptoir des Grands Lacs", &[Role::Exporter][..]),
        ("EXP2", "Comptoir du Lac Kivu", &[Role::Exporter][..]),
        ("WH", "Entrepôt de Goma", &[Role::Warehouse][..]),
        ("TR3", "Négociant Bukavu", &[Role::Trader][..]),
    ] {
        ok(w.register_actor(a, name, "CD", roles));
    }
    // TR2 has two keys.
    let mut tr2 = w.actor_record("TR2", "Négociant Masisi", "CD", &[Role::Trader]);
    tr2.keys.push(w.public("TR2b"));
    ok(w.submit("AUTH", Body::ActorRegister(ActorRegister { actor: tr2 })));
    let mut tr1 = w.actor_record("TR1", "Kivu Minerals SARL", "CD", &[Role::Trader]);
    tr1.keys.clear();
    ok(w.submit(
        "AUTH",
        Body::ActorUpdate(ActorUpdate {
            actor: ActorProfile {
                id: tr1.id,
                name: tr1.name,
                country: tr1.country,
                roles: tr1.roles,
                tin: tr1.tin,
                address: tr1.address,
                contact: tr1.contact,
            },
        }),
    ));
    let s1 = w.site_record(
        S1,
        "Rubaya D2",
        &[Mineral::Cassiterite, Mineral::Coltan],
        20_000,
        &["COOP1"],
    );
    ok(w.register_site(s1));
    let mut s2 = w.site_record(S2, "Mwenga Kitutu", &[Mineral::Gold], 50, &["COOP2"]);
    ok(w.register_site(s2.clone()));
    s2.capacity.mass_g = grams(60_000);
    ok(w.submit("AUTH", Body::SiteUpdate(SiteUpdate { site: s2 })));
    ok(w.submit(
        "AUTH",
        Body::LicenceGrant(LicenceGrant {
            licence: Licence {
                id: id("LIC1"),
                kind: LicenceType::ArtisanalPermit,
                holder: id("COOP1"),
                site: Some(site_id(S1)),
                minerals: vec![Mineral::Cassiterite, Mineral::Coltan],
                granted: Millis(w.now),
                expires: Millis(w.now + 365 * DAY),
            },
        }),
    ));
    ok(w.inspect("INSP", S1, "INS-1", 1));
    ok(w.submit(
        "INSP",
        Body::SiteStatus(SiteStatus {
            site: site_id(S2),
            status: CertStatus::YELLOW,
            reason: long("unsafe shafts; six months to fix"),
        }),
    ));
    ok(w.allocate_tags(S1, "CD26", 6, 1, 100));
    ok(w.allocate_tags(S2, "CD26G", 6, 1, 50));
    let reg = |w: &mut World, lot: &str, n: u64, mineral: Mineral, kg: u64, bp: u16| {
        ok(w.register_lot(
            "COOP1",
            lot,
            S1,
            &format!("CD26-{n:06}"),
            mineral,
            kg * 1000,
            bp,
        ));
    };
    reg(&mut w, "L1", 1, Mineral::Cassiterite, 50, 6500);
    ok(w.transfer("COOP1", "TR1", "L1", 50_000, 6500));
    reg(&mut w, "L2", 2, Mineral::Cassiterite, 60, 6200);
    ok(w.offer("COOP1", "TR1", "L2", 60_000, 6200));
    reg(&mut w, "L3", 3, Mineral::Coltan, 40, 3000);
    ok(w.transfer("COOP1", "TR1", "L3", 40_000, 3000));
    reg(&mut w, "L4", 4, Mineral::Cassiterite, 55, 6400);
    ok(w.transfer("COOP1", "TR1", "L4", 55_000, 6400));
    ok(w.transfer("TR1", "EXP", "L4", 55_000, 6400));
    reg(&mut w, "L5", 5, Mineral::Cassiterite, 45, 6600);
    ok(w.transfer("COOP1", "TR1", "L5", 45_000, 6600));
    ok(w.transfer("TR1", "EXP2", "L5", 45_000, 6600));
    reg(&mut w, "L6", 6, Mineral::Cassiterite, 30, 6000);
    reg(&mut w, "L7", 7, Mineral::Cassiterite, 20, 5500);
    ok(w.transfer("COOP1", "PROC", "L6", 30_000, 6000));
    ok(w.transfer("COOP1", "PROC", "L7", 20_000, 5500));
    ok(w.merge("PROC", &["L6", "L7"], "M1", 50_000, 5800));
    ok(w.process("PROC", &["M1"], "P1", 38_000, 7200));
    ok(w.split(
        "PROC",
        "P1",
        &[("P1a", 19_000, 7200), ("P1b", 19_000, 7200)],
    ));
    ok(w.transport(
        "PROC",
        "P1a",
        ("Goma", -1_679_000, 29_222_000),
        ("Bukavu", -2_508_000, 28_860_000),
        6,
    ));
    let prev = w.head("P1a");
    ok(w.submit(
        "PROC",
        Body::LotStore(LotStore {
            lot: id("P1a"),
            prev,
            place: Place {
                name: text("Entrepôt de Bukavu"),
                lat_e6: None,
                lon_e6: None,
            },
            warehouse: Some(id("WH")),
        }),
    ));
    ok(w.pay_tax("PROC", "P1a", "royalty", 38_000, "USD"));
    ok(w.transfer("PROC", "EXP", "P1a", 19_000, 7200));
    ok(w.submit(
        "EXP",
        Body::CertRequest(CertRequest {
            request: Request {
                id: id("R1"),
                lots: vec![id("L4")],
                mineral: Mineral::Cassiterite,
                mass_g: grams(55_000),
                destination: country("BE"),
            },
        }),
    ));
    ok(w.issue_cert(
        "C1",
        "EXP",
        &["L4"],
        Mineral::Cassiterite,
        55_000,
        &["CD"],
        "BE",
    ));
    ok(w.issue_cert(
        "C2",
        "EXP",
        &["L1"],
        Mineral::Cassiterite,
        50_000,
        &["CD"],
        "BE",
    ));
    ok(w.issue_cert(
        "C3",
        "EXP",
        &["P1a"],
        Mineral::Cassiterite,
        19_000,
        &["CD"],
        "MY",
    ));
    ok(w.export("EXP", "P1a", "C3", 19_000, "MY"));
    reg(&mut w, "L8", 8, Mineral::Cassiterite, 25, 6100);
    ok(w.offer("COOP1", "TR2", "L8", 25_000, 6100));
    let prev = w.head("L8");
    ok(w.submit(
        "TR2",
        Body::LotRefuse(LotRefuse {
            lot: id("L8"),
            prev,
            reason: long("bags not sealed"),
        }),
    ));
    reg(&mut w, "L9", 9, Mineral::Cassiterite, 35, 6300);
    let reg_hash = w.head("L9");
    ok(w.submit(
        "COOP1",
        Body::LotCorrect(LotCorrect {
            lot: id("L9"),
            prev: reg_hash,
            corrects: reg_hash,
            mass_g: Some(grams(33_000)),
            grade_bp: None,
            reason: long("scale was not zeroed"),
        }),
    ));
    let report = ok(w.submit(
        "TR2",
        Body::IncidentReport(IncidentReport {
            subjects: Subjects {
                sites: Some(vec![site_id(S1)]),
                ..Subjects::default()
            },
            category: Category::IllegalTaxation,
            summary: long("Road block at Rubaya junction charging 5 USD per bag."),
            evidence_sha256: None,
            anonymous_key: None,
            sealed: None,
        }),
    ));
    let case = match report.changes.last() {
        Some(crate::state::Change::Event { hash, .. }) => *hash,
        _ => panic!("no event change"),
    };
    ok(w.submit(
        "INSP",
        Body::IncidentStatus(IncidentStatus {
            case,
            status: CaseStatus::Investigating,
            note: long("field visit planned"),
        }),
    ));
    let anon = w.public("ANON-1");
    ok(w.submit(
        "ANON-1",
        Body::IncidentReport(IncidentReport {
            subjects: Subjects {
                lots: Some(vec![id("L8")]),
                ..Subjects::default()
            },
            category: Category::TagFraud,
            summary: long("The tag on lot L8 was bought in Goma."),
            evidence_sha256: Some(sha256(b"photo")),
            anonymous_key: Some(anon),
            sealed: None,
        }),
    ));
    let new = w.public("COOP2b");
    let old = w.public("COOP2").key_id();
    ok(w.submit(
        "COOP2",
        Body::KeyRotate(KeyRotate {
            actor: id("COOP2"),
            old,
            new,
        }),
    ));
    let tr3 = w.public("TR3").key_id();
    ok(w.submit(
        "AUTH",
        Body::KeyRevoke(KeyRevoke {
            actor: id("TR3"),
            revoked: tr3,
            reason: text("laptop stolen"),
        }),
    ));
    w
}

/// One hard-rule case: from the base log (or an empty log), accepted `setup`
/// events, then `bad` must be refused with `rule`, while `good`, applied
/// instead of `bad`, must be accepted.
#[derive(Clone, Debug)]
pub struct RuleCase {
    /// File name and short name.
    pub name: &'static str,
    /// The rule `bad` breaks.
    pub rule: Rule,
    /// What the case shows.
    pub about: &'static str,
    /// Starts from an empty log instead of the base log.
    pub from_empty: bool,
    /// Accepted events to apply first.
    pub setup: Vec<SignedEvent>,
    /// The refused event.
    pub bad: SignedEvent,
    /// Its valid counterpart, if the case has one.
    pub good: Option<SignedEvent>,
}

fn resign(ev: &SignedEvent, signer: &str, edit: impl FnOnce(&mut Value)) -> SignedEvent {
    let mut v: Value = serde_json::from_slice(&ev.bytes).unwrap_or(Value::Null);
    edit(&mut v);
    let bytes = jcs::encode(&v).unwrap_or_default();
    SignedEvent {
        signature: named_key(signer).sign_event(&bytes),
        bytes,
    }
}

fn raw(bytes: Vec<u8>, signer: &str) -> SignedEvent {
    SignedEvent {
        signature: named_key(signer).sign_event(&bytes),
        bytes,
    }
}

fn incident(subjects: Subjects, summary: &str) -> Body {
    Body::IncidentReport(IncidentReport {
        subjects,
        category: Category::Other,
        summary: long(summary),
        evidence_sha256: None,
        anonymous_key: None,
        sealed: None,
    })
}

fn about_site(site: &str) -> Subjects {
    Subjects {
        sites: Some(vec![site_id(site)]),
        ..Subjects::default()
    }
}

fn transport_body(w: &World, lot: &str, prev: Hash) -> Body {
    let _ = w;
    Body::LotTransport(LotTransport {
        lot: id(lot),
        prev,
        from: Place {
            name: text("Rubaya"),
            lat_e6: None,
            lon_e6: None,
        },
        to: Place {
            name: text("Goma"),
            lat_e6: None,
            lon_e6: None,
        },
        departed: Millis(w.now),
        arrived: Millis(w.now + 4 * 3_600_000),
        carrier: None,
        method: None,
    })
}

fn new_lot(lot: &str, site: &str, tag: &str, mineral: Mineral) -> Body {
    Body::LotRegister(LotRegister {
        lot: id(lot),
        site: site_id(site),
        tag: TagId::new(tag).unwrap_or_else(|e| panic!("{e}")),
        mineral,
        mass_g: grams(42_000),
        grade_bp: grade(6000),
        miner: Some(text("Équipe Bisimwa")),
        gps: Some(Point {
            lat_e6: Lat(-1_679_000),
            lon_e6: Lon(29_220_000),
        }),
        packages: Some(Packages(1)),
    })
}

/// The weak key used by the weak-key case: the identity point.
pub fn identity_point_key() -> PublicKey {
    let mut b = [0u8; 32];
    b[0] = 1;
    PublicKey(b)
}

/// Every hard-rule case, built from `base` (a clone of `base_world()`).
pub fn rule_cases(base: &World) -> Vec<RuleCase> {
    let mut cases = Vec::new();
    let mut add =
        |name: &'static str,
         rule: Rule,
         about: &'static str,
         build: &dyn Fn(&mut World) -> (SignedEvent, Option<SignedEvent>)| {
            let mut w = base.clone();
            let before = w.accepted.len();
            let (bad, good) = build(&mut w);
            cases.push(RuleCase {
                name,
                rule,
                about,
                from_empty: false,
                setup: w.accepted[before..].to_vec(),
                bad,
                good,
            });
        };
    let ok = |r: Result<crate::rules::Applied, crate::rules::Refusal>| {
        r.unwrap_or_else(|e| panic!("case setup refused: {e}"))
    };
    let reg_l10 = |_: &World| new_lot("L10", S1, "CD26-000010", Mineral::Cassiterite);

    add(
        "invalid-event-not-canonical",
        Rule::InvalidEvent,
        "event bytes with a space after a colon are refused, not re-serialised",
        &|w| {
            let good = w.sign("COOP1", reg_l10(w));
            let text = String::from_utf8(good.bytes.clone())
                .unwrap_or_default()
                .replacen("\":", "\": ", 1);
            (raw(text.into_bytes(), "COOP1"), Some(good))
        },
    );
    add(
        "invalid-event-unknown-field",
        Rule::InvalidEvent,
        "a field the type does not define is refused",
        &|w| {
            let good = w.sign("COOP1", reg_l10(w));
            let bad = resign(&good, "COOP1", |v| {
                v["note"] = json!("unsigned meaning");
            });
            (bad, Some(good))
        },
    );
    add(
        "invalid-event-float",
        Rule::InvalidEvent,
        "a mass written with a fraction is refused",
        &|w| {
            let good = w.sign("COOP1", reg_l10(w));
            let text = String::from_utf8(good.bytes.clone())
                .unwrap_or_default()
                .replace("\"mass_g\":42000", "\"mass_g\":42000.0");
            (raw(text.into_bytes(), "COOP1"), Some(good))
        },
    );
    add(
        "invalid-event-grade",
        Rule::InvalidEvent,
        "a grade above 10000 basis points is refused",
        &|w| {
            let good = w.sign("COOP1", reg_l10(w));
            let bad = resign(&good, "COOP1", |v| v["grade_bp"] = json!(10001));
            (bad, Some(good))
        },
    );
    add(
        "unsupported-version",
        Rule::UnsupportedVersion,
        "an event of version 2 is refused",
        &|w| {
            let good = w.sign("COOP1", reg_l10(w));
            let bad = resign(&good, "COOP1", |v| v["v"] = json!(2));
            (bad, Some(good))
        },
    );
    add(
        "wrong-log",
        Rule::WrongLog,
        "an event signed for another log cannot be replayed here",
        &|w| {
            let good = w.sign("COOP1", reg_l10(w));
            let bad = resign(&good, "COOP1", |v| v["log"] = json!("other.example/log"));
            (bad, Some(good))
        },
    );
    add(
        "duplicate-event",
        Rule::DuplicateEvent,
        "an event already in the log cannot enter it twice",
        &|w| {
            let bad = w.accepted[w.accepted.len() - 3].clone();
            (bad, Some(w.sign("COOP1", reg_l10(w))))
        },
    );
    add(
        "genesis-repeated",
        Rule::GenesisRepeated,
        "a second genesis is refused",
        &|w| {
            let log_pk = w.log_key.public();
            let body = Body::Genesis(Genesis {
                log_key: log_pk,
                authorities: vec![w.actor_record(
                    "AUTH9",
                    "Another registry",
                    "RW",
                    &[Role::Authority],
                )],
            });
            let ev = Event {
                log: w.origin.clone(),
                key: log_pk.key_id(),
                time: Millis(w.now),
                body,
            };
            let bad = SignedEvent::sign(&ev, &w.log_key).unwrap_or_else(|e| panic!("{e}"));
            let good = w.sign(
                "AUTH",
                Body::ActorRegister(ActorRegister {
                    actor: w.actor_record("AUTH9", "Another registry", "RW", &[Role::Authority]),
                }),
            );
            (bad, Some(good))
        },
    );
    add(
        "unknown-key",
        Rule::UnknownKey,
        "a key that was never registered cannot sign",
        &|w| {
            (
                w.sign("STRANGER", incident(about_site(S1), "test")),
                Some(w.sign("TR1", incident(about_site(S1), "test"))),
            )
        },
    );
    add(
        "key-revoked",
        Rule::KeyRevoked,
        "a revoked key cannot sign; the actor's other key still can",
        &|w| {
            let tr2 = w.public("TR2").key_id();
            ok(w.submit(
                "AUTH",
                Body::KeyRevoke(KeyRevoke {
                    actor: id("TR2"),
                    revoked: tr2,
                    reason: text("phone lost"),
                }),
            ));
            (
                w.sign("TR2", incident(about_site(S1), "test")),
                Some(w.sign("TR2b", incident(about_site(S1), "test"))),
            )
        },
    );
    add(
        "key-retired",
        Rule::KeyRetired,
        "after a rotation the old key cannot sign, the new one can",
        &|w| {
            let old = w.public("TR2").key_id();
            let new = w.public("TR2c");
            ok(w.submit(
                "TR2",
                Body::KeyRotate(KeyRotate {
                    actor: id("TR2"),
                    old,
                    new,
                }),
            ));
            (
                w.sign("TR2", incident(about_site(S1), "test")),
                Some(w.sign("TR2c", incident(about_site(S1), "test"))),
            )
        },
    );
    add(
        "bad-signature",
        Rule::BadSignature,
        "a signature with one bit flipped is refused",
        &|w| {
            let good = w.sign("COOP1", reg_l10(w));
            let mut bad = good.clone();
            bad.signature[10] ^= 0x01;
            (bad, Some(good))
        },
    );
    add(
        "bad-signature-wrong-domain",
        Rule::BadSignature,
        "a signature over the bytes without the domain prefix is refused",
        &|w| {
            let good = w.sign("COOP1", reg_l10(w));
            let mut bad = good.clone();
            bad.signature = named_key("COOP1").sign_raw(&good.bytes);
            (bad, Some(good))
        },
    );
    add(
        "role-not-allowed",
        Rule::RoleNotAllowed,
        "only an authority registers actors",
        &|w| {
            let body = Body::ActorRegister(ActorRegister {
                actor: w.actor_record("NEW", "New trader", "CD", &[Role::Trader]),
            });
            (w.sign("TR1", body.clone()), Some(w.sign("AUTH", body)))
        },
    );
    add(
        "log-key-signs-only-intake-reports",
        Rule::RoleNotAllowed,
        "after genesis the log key signs intake incident reports (spec/events.md section 6) and nothing else",
        &|w| {
            let by_log_key = |body: Body| {
                let ev = Event {
                    log: w.origin.clone(),
                    key: w.log_key.public().key_id(),
                    time: Millis(w.now),
                    body,
                };
                SignedEvent::sign(&ev, &w.log_key).unwrap_or_else(|e| panic!("{e}"))
            };
            let bad = by_log_key(Body::SiteStatus(SiteStatus {
                site: site_id(S1),
                status: CertStatus::RED,
                reason: long("signed by the log key"),
            }));
            let good = by_log_key(incident(about_site(S1), "received on the node's form"));
            (bad, Some(good))
        },
    );
    add(
        "role-not-allowed-process",
        Rule::RoleNotAllowed,
        "only a processor processes lots",
        &|w| {
            let inputs = vec![Input {
                lot: id("L1"),
                prev: w.head("L1"),
            }];
            let body = |inputs: Vec<Input>| {
                Body::LotProcess(LotProcess {
                    inputs,
                    lot: id("L1p"),
                    mass_g: grams(40_000),
                    grade_bp: grade(7000),
                    method: text("washing"),
                })
            };
            let bad = w.sign("TR1", body(inputs));
            ok(w.transfer("TR1", "PROC", "L1", 50_000, 6500));
            let good_inputs = vec![Input {
                lot: id("L1"),
                prev: w.head("L1"),
            }];
            (bad, Some(w.sign("PROC", body(good_inputs))))
        },
    );
    add(
        "weak-key",
        Rule::WeakKey,
        "a small-order public key is refused at registration",
        &|w| {
            let mut rec = w.actor_record("NEW", "New trader", "CD", &[Role::Trader]);
            let good = w.sign(
                "AUTH",
                Body::ActorRegister(ActorRegister { actor: rec.clone() }),
            );
            rec.keys = vec![identity_point_key()];
            (
                w.sign("AUTH", Body::ActorRegister(ActorRegister { actor: rec })),
                Some(good),
            )
        },
    );
    add(
        "key-exists",
        Rule::KeyExists,
        "a key registered to one actor cannot be registered to another",
        &|w| {
            let mut rec = w.actor_record("NEW", "New trader", "CD", &[Role::Trader]);
            let good = w.sign(
                "AUTH",
                Body::ActorRegister(ActorRegister { actor: rec.clone() }),
            );
            rec.keys = vec![w.public("TR1")];
            (
                w.sign("AUTH", Body::ActorRegister(ActorRegister { actor: rec })),
                Some(good),
            )
        },
    );
    add(
        "key-unknown",
        Rule::KeyUnknown,
        "a revocation must name a key of that actor",
        &|w| {
            let other = w.public("TR1").key_id();
            let own = w.public("TR2b").key_id();
            let body = |k| {
                Body::KeyRevoke(KeyRevoke {
                    actor: id("TR2"),
                    revoked: k,
                    reason: text("lost"),
                })
            };
            (w.sign("AUTH", body(other)), Some(w.sign("AUTH", body(own))))
        },
    );
    add(
        "actor-exists",
        Rule::ActorExists,
        "an actor id is registered once",
        &|w| {
            let rec = w.actor_record("TR1", "Copy", "CD", &[Role::Trader]);
            let mut fresh = w.actor_record("TR9", "Copy", "CD", &[Role::Trader]);
            fresh.keys = vec![w.public("TR9")];
            let mut dup = rec;
            dup.keys = vec![w.public("TR9")];
            (
                w.sign("AUTH", Body::ActorRegister(ActorRegister { actor: dup })),
                Some(w.sign("AUTH", Body::ActorRegister(ActorRegister { actor: fresh }))),
            )
        },
    );
    add(
        "actor-unknown",
        Rule::ActorUnknown,
        "a lot cannot be offered to an unregistered actor",
        &|w| {
            let prev = w.head("L1");
            let body = |to: &str| {
                Body::LotOffer(LotOffer {
                    lot: id("L1"),
                    prev,
                    to: id(to),
                    mass_g: grams(50_000),
                    grade_bp: grade(6500),
                    price: None,
                })
            };
            (
                w.sign("TR1", body("NOBODY")),
                Some(w.sign("TR1", body("TR2"))),
            )
        },
    );
    add(
        "licence-exists",
        Rule::LicenceExists,
        "a licence number is registered once",
        &|w| {
            let lic = |i: &str| {
                Body::LicenceGrant(LicenceGrant {
                    licence: Licence {
                        id: id(i),
                        kind: LicenceType::Other,
                        holder: id("TR1"),
                        site: None,
                        minerals: vec![Mineral::Cassiterite],
                        granted: Millis(w.now),
                        expires: Millis(w.now + DAY),
                    },
                })
            };
            (
                w.sign("AUTH", lic("LIC1")),
                Some(w.sign("AUTH", lic("LIC2"))),
            )
        },
    );
    add(
        "site-exists",
        Rule::SiteExists,
        "a site id is registered once",
        &|w| {
            let s = w.site_record(S1, "Copy", &[Mineral::Cassiterite], 1000, &["COOP1"]);
            let fresh = w.site_record(
                "CD-1.7000+29.3000-00003",
                "New",
                &[Mineral::Cassiterite],
                1000,
                &["COOP1"],
            );
            (
                w.sign("AUTH", Body::SiteRegister(SiteRegister { site: s })),
                Some(w.sign("AUTH", Body::SiteRegister(SiteRegister { site: fresh }))),
            )
        },
    );
    add(
        "site-unknown",
        Rule::SiteUnknown,
        "an inspection names a registered site",
        &|w| {
            let body = |s: &str| {
                Body::SiteStatus(SiteStatus {
                    site: site_id(s),
                    status: CertStatus::RED,
                    reason: long("armed group present"),
                })
            };
            (
                w.sign("INSP", body("CD-0.0000+00.0000-99999")),
                Some(w.sign("INSP", body(S1))),
            )
        },
    );
    add(
        "not-site-operator",
        Rule::NotSiteOperator,
        "a cooperative registers lots only at sites it operates",
        &|w| {
            (
                w.sign("COOP2b", reg_l10(w)),
                Some(w.sign("COOP1", reg_l10(w))),
            )
        },
    );
    add(
        "mineral-not-at-site",
        Rule::MineralNotAtSite,
        "a site registered for tin and coltan does not produce gold",
        &|w| {
            (
                w.sign("COOP1", new_lot("L10", S1, "CD26-000010", Mineral::Gold)),
                Some(w.sign("COOP1", reg_l10(w))),
            )
        },
    );
    add(
        "inspection-exists",
        Rule::InspectionExists,
        "an inspection id is recorded once per site",
        &|w| {
            let body = |i: &str| {
                Body::SiteInspect(SiteInspect {
                    site: site_id(S1),
                    inspection: Inspection {
                        id: id(i),
                        date: Millis(w.now - w.now % DAY),
                        result: InspectionResult(1),
                        report_sha256: None,
                        report_uri: None,
                        purpose: None,
                        summary: None,
                    },
                })
            };
            (
                w.sign("INSP", body("INS-1")),
                Some(w.sign("INSP", body("INS-2"))),
            )
        },
    );
    add(
        "tags-overlap",
        Rule::TagsOverlap,
        "a tag range cannot overlap one already allocated",
        &|w| {
            let body = |first: u64, last: u64| {
                Body::TagsAllocate(TagsAllocate {
                    site: site_id(S2),
                    prefix: id("CD26"),
                    width: TagWidth(6),
                    first,
                    last,
                })
            };
            (
                w.sign("AUTH", body(90, 150)),
                Some(w.sign("AUTH", body(101, 150))),
            )
        },
    );
    add(
        "tag-not-allocated",
        Rule::TagNotAllocated,
        "a tag must come from an allocated range",
        &|w| {
            (
                w.sign(
                    "COOP1",
                    new_lot("L10", S1, "CD26-000500", Mineral::Cassiterite),
                ),
                Some(w.sign("COOP1", reg_l10(w))),
            )
        },
    );
    add(
        "tag-wrong-site",
        Rule::TagWrongSite,
        "a tag allocated to one site cannot tag a lot of another",
        &|w| {
            (
                w.sign(
                    "COOP1",
                    new_lot("L10", S1, "CD26G-000001", Mineral::Cassiterite),
                ),
                Some(w.sign("COOP1", reg_l10(w))),
            )
        },
    );
    add(
        "tag-used",
        Rule::TagUsed,
        "a tag is attached to one lot, once",
        &|w| {
            (
                w.sign(
                    "COOP1",
                    new_lot("L10", S1, "CD26-000001", Mineral::Cassiterite),
                ),
                Some(w.sign("COOP1", reg_l10(w))),
            )
        },
    );
    add(
        "lot-exists",
        Rule::LotExists,
        "a lot id is registered once",
        &|w| {
            (
                w.sign(
                    "COOP1",
                    new_lot("L1", S1, "CD26-000010", Mineral::Cassiterite),
                ),
                Some(w.sign("COOP1", reg_l10(w))),
            )
        },
    );
    add(
        "lot-unknown",
        Rule::LotUnknown,
        "events name registered lots",
        &|w| {
            let prev = w.head("L1");
            (
                w.sign("TR1", transport_body(w, "L404", prev)),
                Some(w.sign("TR1", transport_body(w, "L1", prev))),
            )
        },
    );
    add(
        "lot-closed",
        Rule::LotClosed,
        "a lot split into children cannot be moved again; its children can",
        &|w| {
            ok(w.split("TR1", "L1", &[("L1a", 25_000, 6500), ("L1b", 25_000, 6500)]));
            let head = w.head("L1");
            (
                w.sign("TR1", transport_body(w, "L1", head)),
                Some(w.sign("TR1", transport_body(w, "L1a", head))),
            )
        },
    );
    add(
        "stale-head",
        Rule::StaleHead,
        "an event naming an old head of the lot (a double spend) is refused",
        &|w| {
            let old = w.figure("L1", Some(0));
            (
                w.sign("TR1", transport_body(w, "L1", old)),
                Some(w.sign("TR1", transport_body(w, "L1", w.head("L1")))),
            )
        },
    );
    add(
        "not-custodian",
        Rule::NotCustodian,
        "only the custodian moves a lot",
        &|w| {
            let prev = w.head("L1");
            (
                w.sign("TR2", transport_body(w, "L1", prev)),
                Some(w.sign("TR1", transport_body(w, "L1", prev))),
            )
        },
    );
    add(
        "no-pending-offer",
        Rule::NoPendingOffer,
        "a lot must be offered before it is accepted",
        &|w| {
            let body = |lot: &str, prev| {
                Body::LotAccept(LotAccept {
                    lot: id(lot),
                    prev,
                    mass_g: grams(60_000),
                    grade_bp: grade(6200),
                })
            };
            (
                w.sign("TR1", body("L1", w.head("L1"))),
                Some(w.sign("TR1", body("L2", w.head("L2")))),
            )
        },
    );
    add(
        "offer-not-for-you",
        Rule::OfferNotForYou,
        "only the addressee accepts an offer",
        &|w| {
            let body = |prev| {
                Body::LotAccept(LotAccept {
                    lot: id("L2"),
                    prev,
                    mass_g: grams(60_000),
                    grade_bp: grade(6200),
                })
            };
            let prev = w.head("L2");
            (w.sign("TR2", body(prev)), Some(w.sign("TR1", body(prev))))
        },
    );
    add(
        "mineral-mismatch",
        Rule::MineralMismatch,
        "cassiterite and coltan cannot be merged",
        &|w| {
            let body = |w: &World, lots: &[&str]| {
                Body::LotMerge(LotMerge {
                    inputs: lots
                        .iter()
                        .map(|l| Input {
                            lot: id(l),
                            prev: w.head(l),
                        })
                        .collect(),
                    lot: id("MX"),
                    mass_g: grams(90_000),
                    grade_bp: grade(5000),
                })
            };
            let bad = w.sign("TR1", body(w, &["L1", "L3"]));
            reg_and_take(w);
            (bad, Some(w.sign("TR1", body(w, &["L1", "L10"]))))
        },
    );
    add(
        "cert-exists",
        Rule::CertExists,
        "a certificate number is issued once",
        &|w| {
            let c = |i: &str| {
                Body::CertIssue(CertIssue {
                    cert: Cert {
                        id: id(i),
                        exporter: id("EXP"),
                        lots: vec![id("L4")],
                        mineral: Mineral::Cassiterite,
                        mass_g: grams(55_000),
                        origins: vec![country("CD")],
                        destination: country("BE"),
                        issued: Millis(w.now),
                        expires: Millis(w.now + 30 * DAY),
                        request: None,
                    },
                })
            };
            (w.sign("AUTH", c("C1")), Some(w.sign("AUTH", c("C9"))))
        },
    );
    add(
        "cert-unknown",
        Rule::CertUnknown,
        "an export needs an issued certificate",
        &|w| {
            let body = |cert: &str| {
                Body::LotExport(LotExport {
                    lot: id("L4"),
                    prev: w.head("L4"),
                    cert: id(cert),
                    mass_g: grams(55_000),
                    destination: country("BE"),
                })
            };
            (w.sign("EXP", body("C404")), Some(w.sign("EXP", body("C1"))))
        },
    );
    add(
        "cert-not-yours",
        Rule::CertNotYours,
        "an exporter cannot use another exporter's certificate",
        &|w| {
            let prev = w.head("L5");
            let body = |cert: &str| {
                Body::LotExport(LotExport {
                    lot: id("L5"),
                    prev,
                    cert: id(cert),
                    mass_g: grams(45_000),
                    destination: country("BE"),
                })
            };
            let bad = w.sign("EXP2", body("C1"));
            ok(w.issue_cert(
                "C5",
                "EXP2",
                &["L5"],
                Mineral::Cassiterite,
                45_000,
                &["CD"],
                "BE",
            ));
            (bad, Some(w.sign("EXP2", body("C5"))))
        },
    );
    add(
        "lot-not-on-cert",
        Rule::LotNotOnCert,
        "a certificate covers only the lots it names",
        &|w| {
            let body = |cert: &str| {
                Body::LotExport(LotExport {
                    lot: id("L4"),
                    prev: w.head("L4"),
                    cert: id(cert),
                    mass_g: grams(55_000),
                    destination: country("BE"),
                })
            };
            (w.sign("EXP", body("C2")), Some(w.sign("EXP", body("C1"))))
        },
    );
    add(
        "request-exists",
        Rule::RequestExists,
        "a request id is used once",
        &|w| {
            let r = |i: &str| {
                Body::CertRequest(CertRequest {
                    request: Request {
                        id: id(i),
                        lots: vec![id("L4")],
                        mineral: Mineral::Cassiterite,
                        mass_g: grams(55_000),
                        destination: country("BE"),
                    },
                })
            };
            (w.sign("EXP", r("R1")), Some(w.sign("EXP", r("R2"))))
        },
    );
    add(
        "request-unknown",
        Rule::RequestUnknown,
        "a certificate answers a request that exists",
        &|w| {
            let c = |r: &str| {
                Body::CertIssue(CertIssue {
                    cert: Cert {
                        id: id("C9"),
                        exporter: id("EXP"),
                        lots: vec![id("L4")],
                        mineral: Mineral::Cassiterite,
                        mass_g: grams(55_000),
                        origins: vec![country("CD")],
                        destination: country("BE"),
                        issued: Millis(w.now),
                        expires: Millis(w.now + 30 * DAY),
                        request: Some(id(r)),
                    },
                })
            };
            (w.sign("AUTH", c("R404")), Some(w.sign("AUTH", c("R1"))))
        },
    );
    add(
        "not-correctable",
        Rule::NotCorrectable,
        "a correction names an event that stated this lot's figures",
        &|w| {
            let l2 = w.figure("L2", Some(0));
            let l1 = w.figure("L1", None);
            let body = |corrects| {
                Body::LotCorrect(LotCorrect {
                    lot: id("L1"),
                    prev: w.head("L1"),
                    corrects,
                    mass_g: Some(grams(49_500)),
                    grade_bp: None,
                    reason: long("re-weighed"),
                })
            };
            (w.sign("TR1", body(l2)), Some(w.sign("TR1", body(l1))))
        },
    );
    add(
        "case-unknown",
        Rule::CaseUnknown,
        "a status change names an existing case",
        &|w| {
            let case = w
                .log
                .state
                .cases()
                .min_by_key(|c| c.opened)
                .map(|c| c.id)
                .unwrap_or_default();
            let body = |case| {
                Body::IncidentStatus(IncidentStatus {
                    case,
                    status: CaseStatus::Resolved,
                    note: long("road block removed"),
                })
            };
            (
                w.sign("INSP", body(sha256(b"no such case"))),
                Some(w.sign("INSP", body(case))),
            )
        },
    );

    // From an empty log.
    let empty = World::new(ORIGIN, "CD");
    let genesis = empty.accepted[0].clone();
    let bad = empty.sign(
        "AUTH",
        Body::ActorRegister(ActorRegister {
            actor: empty.actor_record("TR1", "Trader", "CD", &[Role::Trader]),
        }),
    );
    cases.push(RuleCase {
        name: "genesis-required",
        rule: Rule::GenesisRequired,
        about: "the first entry of a log must be genesis",
        from_empty: true,
        setup: Vec::new(),
        bad,
        good: Some(genesis),
    });
    condition_cases(base, &mut cases);
    genesis_cases(&mut cases);
    cases
}

/// A key with a torsion component: a prime-order point plus the point of
/// order 2. `check_strong` refuses it, yet it can sign so that
/// `verify_strict` accepts: with `A = aB + T`, `[s]B - [k]A = R - [k]T`,
/// which is `R` whenever the challenge `k` is even, so the signer draws
/// nonces until it is. The weak-key cases sign with it so that their refusal
/// cannot come from the signature instead.
pub struct MixedOrderKey {
    secret: curve25519_dalek::scalar::Scalar,
    /// The weak public key.
    pub public: PublicKey,
}

impl MixedOrderKey {
    /// The mixed-order key derived from `name`.
    ///
    /// # Panics
    /// If the point of order 2, a constant, did not decompress (a bug here).
    pub fn new(name: &str) -> MixedOrderKey {
        use curve25519_dalek::edwards::{CompressedEdwardsY, EdwardsPoint};
        use curve25519_dalek::scalar::Scalar;
        let secret = Scalar::from_bytes_mod_order(sha256(name.as_bytes()).0);
        let mut t2 = [0xffu8; 32];
        t2[0] = 0xec;
        t2[31] = 0x7f;
        let order2 = CompressedEdwardsY(t2)
            .decompress()
            .unwrap_or_else(|| panic!("the point of order 2 decompresses"));
        let public = PublicKey((EdwardsPoint::mul_base(&secret) + order2).compress().0);
        MixedOrderKey { secret, public }
    }

    /// Signs event bytes under the event domain, as `SecretKey::sign_event`.
    pub fn sign_event(&self, event: &[u8]) -> crate::crypto::Signature {
        use curve25519_dalek::edwards::EdwardsPoint;
        use curve25519_dalek::scalar::Scalar;
        use sha2::{Digest, Sha512};
        let msg = crate::crypto::event_message(event);
        let mut counter = 0u64;
        loop {
            let mut h = Sha512::new();
            h.update(b"madini test mixed-order nonce");
            h.update(self.secret.as_bytes());
            h.update(counter.to_le_bytes());
            h.update(&msg);
            let r = Scalar::from_bytes_mod_order_wide(&h.finalize().into());
            let big_r = EdwardsPoint::mul_base(&r).compress();
            let mut h = Sha512::new();
            h.update(big_r.as_bytes());
            h.update(self.public.0);
            h.update(&msg);
            let k = Scalar::from_bytes_mod_order_wide(&h.finalize().into());
            if k.as_bytes()[0] & 1 == 0 {
                let s = r + k * self.secret;
                let mut sig = [0u8; 64];
                sig[..32].copy_from_slice(big_r.as_bytes());
                sig[32..].copy_from_slice(s.as_bytes());
                return sig;
            }
            counter += 1;
        }
    }

    /// Encodes and signs `event`.
    ///
    /// # Panics
    /// If the event cannot be encoded (typed events always can).
    pub fn sign(&self, event: &Event) -> SignedEvent {
        let bytes = event.encode().unwrap_or_else(|e| panic!("{e}"));
        SignedEvent {
            signature: self.sign_event(&bytes),
            bytes,
        }
    }
}

type Build<'a> = &'a dyn Fn(&mut World) -> (SignedEvent, Option<SignedEvent>);

fn case_from(
    base: &World,
    name: &'static str,
    rule: Rule,
    about: &'static str,
    build: Build<'_>,
) -> RuleCase {
    let mut w = base.clone();
    let before = w.accepted.len();
    let (bad, good) = build(&mut w);
    RuleCase {
        name,
        rule,
        about,
        from_empty: false,
        setup: w.accepted[before..].to_vec(),
        bad,
        good,
    }
}

/// The third site id, free in the base log.
const S3: &str = "CD-1.7000+29.3000-00003";

/// One case per condition that the type rules of `spec/events.md` (sections
/// 4 to 6) name beyond the first case of each rule id: each refused with the
/// id the spec gives for that condition and paired with an accepted event.
/// Conditions checked when the event is decoded say so in `about`.
fn condition_cases(base: &World, cases: &mut Vec<RuleCase>) {
    let mut add = |name: &'static str, rule: Rule, about: &'static str, build: Build<'_>| {
        cases.push(case_from(base, name, rule, about, build));
    };

    // actor.register
    add(
        "actor-register-key-listed-twice",
        Rule::InvalidEvent,
        "an actor's keys are a list without duplicates: a key listed twice is refused when the event is decoded",
        &|w| {
            let mut rec = w.actor_record("NEW", "New trader", "CD", &[Role::Trader]);
            let good = w.sign(
                "AUTH",
                Body::ActorRegister(ActorRegister { actor: rec.clone() }),
            );
            rec.keys.push(rec.keys[0]);
            (
                w.sign("AUTH", Body::ActorRegister(ActorRegister { actor: rec })),
                Some(good),
            )
        },
    );

    // key.rotate
    let rotate = |new: PublicKey| {
        Body::KeyRotate(KeyRotate {
            actor: id("TR2"),
            old: named_key("TR2").public().key_id(),
            new,
        })
    };
    add(
        "key-rotate-role-not-allowed",
        Rule::RoleNotAllowed,
        "a key is rotated by itself or by an authority, not by another key of the same actor",
        &|w| {
            (
                w.sign("TR2b", rotate(w.public("TR2c"))),
                Some(w.sign("AUTH", rotate(w.public("TR2c")))),
            )
        },
    );
    add(
        "key-rotate-weak-key",
        Rule::WeakKey,
        "the new key of a rotation must be a prime-order point",
        &|w| {
            (
                w.sign("TR2", rotate(identity_point_key())),
                Some(w.sign("TR2", rotate(w.public("TR2c")))),
            )
        },
    );
    add(
        "key-rotate-key-exists",
        Rule::KeyExists,
        "the new key of a rotation must not be registered already (here: another actor's key)",
        &|w| {
            (
                w.sign("TR2", rotate(w.public("TR1"))),
                Some(w.sign("TR2", rotate(w.public("TR2c")))),
            )
        },
    );

    // key.revoke
    add(
        "key-revoke-role-not-allowed",
        Rule::RoleNotAllowed,
        "a key is revoked by its own actor or by an authority, not by another actor",
        &|w| {
            let body = Body::KeyRevoke(KeyRevoke {
                actor: id("TR2"),
                revoked: w.public("TR2").key_id(),
                reason: text("phone lost"),
            });
            (w.sign("TR1", body.clone()), Some(w.sign("TR2b", body)))
        },
    );

    // licence.grant
    let licence = |w: &World, holder: &str, site: &str, days: u64| {
        Body::LicenceGrant(LicenceGrant {
            licence: Licence {
                id: id("LIC2"),
                kind: LicenceType::ArtisanalPermit,
                holder: id(holder),
                site: Some(site_id(site)),
                minerals: vec![Mineral::Gold],
                granted: Millis(w.now),
                expires: Millis(w.now + days * DAY),
            },
        })
    };
    add(
        "licence-actor-unknown",
        Rule::ActorUnknown,
        "a licence is held by a registered actor",
        &|w| {
            (
                w.sign("AUTH", licence(w, "NOBODY", S2, 365)),
                Some(w.sign("AUTH", licence(w, "COOP2", S2, 365))),
            )
        },
    );
    add(
        "licence-site-unknown",
        Rule::SiteUnknown,
        "a licence that names a site names a registered one",
        &|w| {
            (
                w.sign("AUTH", licence(w, "COOP2", S3, 365)),
                Some(w.sign("AUTH", licence(w, "COOP2", S2, 365))),
            )
        },
    );
    add(
        "licence-expiry-not-after-grant",
        Rule::InvalidEvent,
        "a licence expires after it is granted (checked when the event is decoded)",
        &|w| {
            (
                w.sign("AUTH", licence(w, "COOP2", S2, 0)),
                Some(w.sign("AUTH", licence(w, "COOP2", S2, 365))),
            )
        },
    );

    // site.register
    let register = |site: SiteRecord| Body::SiteRegister(SiteRegister { site });
    let s3 = |w: &World, operators: &[&str]| {
        w.site_record(S3, "Bibatama", &[Mineral::Coltan], 1000, operators)
    };
    add(
        "site-register-country-mismatch",
        Rule::InvalidEvent,
        "a site's country is the first two letters of its id (checked when the event is decoded)",
        &|w| {
            let good = s3(w, &["COOP1"]);
            let mut bad = good.clone();
            bad.country = country("RW");
            (
                w.sign("AUTH", register(bad)),
                Some(w.sign("AUTH", register(good))),
            )
        },
    );
    add(
        "site-register-operator-unknown",
        Rule::ActorUnknown,
        "a site's operators are registered actors",
        &|w| {
            (
                w.sign("AUTH", register(s3(w, &["NOBODY"]))),
                Some(w.sign("AUTH", register(s3(w, &["COOP1"])))),
            )
        },
    );
    add(
        "site-register-operator-not-cooperative",
        Rule::RoleNotAllowed,
        "a site's operators are cooperatives",
        &|w| {
            (
                w.sign("AUTH", register(s3(w, &["TR1"]))),
                Some(w.sign("AUTH", register(s3(w, &["COOP1"])))),
            )
        },
    );

    // site.update
    let update = |site: SiteRecord| Body::SiteUpdate(SiteUpdate { site });
    let s2 = |w: &World, operators: &[&str]| {
        w.site_record(S2, "Mwenga Kitutu", &[Mineral::Gold], 60, operators)
    };
    add(
        "site-update-country-changed",
        Rule::InvalidEvent,
        "an update cannot change a site's country, which stays the first two letters of the site id (checked when the event is decoded)",
        &|w| {
            let good = s2(w, &["COOP2"]);
            let mut bad = good.clone();
            bad.country = country("BI");
            (
                w.sign("AUTH", update(bad)),
                Some(w.sign("AUTH", update(good))),
            )
        },
    );
    add(
        "site-update-operator-not-cooperative",
        Rule::RoleNotAllowed,
        "an update keeps every operator a cooperative",
        &|w| {
            (
                w.sign("AUTH", update(s2(w, &["COOP2", "TR1"]))),
                Some(w.sign("AUTH", update(s2(w, &["COOP2", "COOP1"])))),
            )
        },
    );

    // site.inspect
    add(
        "site-inspect-role-not-allowed",
        Rule::RoleNotAllowed,
        "only an inspector records an inspection, not even an authority",
        &|w| {
            let body = Body::SiteInspect(SiteInspect {
                site: site_id(S2),
                inspection: Inspection {
                    id: id("INS-2"),
                    date: Millis(w.now - w.now % DAY),
                    result: InspectionResult(2),
                    report_sha256: None,
                    report_uri: None,
                    purpose: None,
                    summary: None,
                },
            });
            (w.sign("AUTH", body.clone()), Some(w.sign("INSP", body)))
        },
    );

    // tags.allocate
    let tags = |width: u8, first: u64, last: u64| {
        Body::TagsAllocate(TagsAllocate {
            site: site_id(S2),
            prefix: id("CD27"),
            width: TagWidth(width),
            first,
            last,
        })
    };
    add(
        "tags-allocate-first-after-last",
        Rule::InvalidEvent,
        "a tag range's first number is not above its last (checked when the event is decoded)",
        &|w| {
            (
                w.sign("AUTH", tags(6, 10, 5)),
                Some(w.sign("AUTH", tags(6, 5, 10))),
            )
        },
    );
    add(
        "tags-allocate-too-wide",
        Rule::InvalidEvent,
        "a tag range's last number fits in `width` digits (checked when the event is decoded)",
        &|w| {
            (
                w.sign("AUTH", tags(3, 1, 1000)),
                Some(w.sign("AUTH", tags(3, 1, 999))),
            )
        },
    );
    add(
        "tags-allocate-too-many",
        Rule::InvalidEvent,
        "one allocation holds at most 1000000 tags (checked when the event is decoded)",
        &|w| {
            (
                w.sign("AUTH", tags(7, 1, 1_000_001)),
                Some(w.sign("AUTH", tags(7, 1, 1_000_000))),
            )
        },
    );

    // cert.issue
    let cert = |w: &World, exporter: &str, days: u64| {
        Body::CertIssue(CertIssue {
            cert: Cert {
                id: id("C9"),
                exporter: id(exporter),
                lots: vec![id("L4")],
                mineral: Mineral::Cassiterite,
                mass_g: grams(55_000),
                origins: vec![country("CD")],
                destination: country("BE"),
                issued: Millis(w.now),
                expires: Millis(w.now + days * DAY),
                request: None,
            },
        })
    };
    add(
        "cert-issue-exporter-unknown",
        Rule::ActorUnknown,
        "a certificate is issued to a registered actor",
        &|w| {
            (
                w.sign("AUTH", cert(w, "NOBODY", 30)),
                Some(w.sign("AUTH", cert(w, "EXP", 30))),
            )
        },
    );
    add(
        "cert-issue-exporter-not-exporter",
        Rule::RoleNotAllowed,
        "a certificate is issued to an actor with role exporter",
        &|w| {
            (
                w.sign("AUTH", cert(w, "TR1", 30)),
                Some(w.sign("AUTH", cert(w, "EXP", 30))),
            )
        },
    );
    add(
        "cert-issue-expiry-not-after-issue",
        Rule::InvalidEvent,
        "a certificate expires after it is issued (checked when the event is decoded)",
        &|w| {
            (
                w.sign("AUTH", cert(w, "EXP", 0)),
                Some(w.sign("AUTH", cert(w, "EXP", 30))),
            )
        },
    );

    // lot.offer
    let offer = |w: &World, to: &str| {
        Body::LotOffer(LotOffer {
            lot: id("L1"),
            prev: w.head("L1"),
            to: id(to),
            mass_g: grams(50_000),
            grade_bp: grade(6500),
            price: None,
        })
    };
    add(
        "offer-to-oneself",
        Rule::InvalidEvent,
        "a custodian cannot offer a lot to itself",
        &|w| {
            (
                w.sign("TR1", offer(w, "TR1")),
                Some(w.sign("TR1", offer(w, "TR2"))),
            )
        },
    );
    add(
        "offer-receiver-without-custody-role",
        Rule::RoleNotAllowed,
        "a lot is offered only to an actor with a custody role (an inspector has none)",
        &|w| {
            (
                w.sign("TR1", offer(w, "INSP")),
                Some(w.sign("TR1", offer(w, "TR2"))),
            )
        },
    );

    // lot.split
    let split = |w: &World, children: &[&str]| {
        Body::LotSplit(LotSplit {
            lot: id("L1"),
            prev: w.head("L1"),
            children: children
                .iter()
                .map(|c| SplitChild {
                    lot: id(c),
                    mass_g: grams(25_000),
                    grade_bp: grade(6500),
                })
                .collect(),
        })
    };
    add(
        "split-child-id-taken",
        Rule::LotExists,
        "a split child needs a lot id that is not taken",
        &|w| {
            (
                w.sign("TR1", split(w, &["L1a", "L2"])),
                Some(w.sign("TR1", split(w, &["L1a", "L1b"]))),
            )
        },
    );
    add(
        "split-child-repeated",
        Rule::InvalidEvent,
        "split children have distinct ids (checked when the event is decoded)",
        &|w| {
            (
                w.sign("TR1", split(w, &["L1a", "L1a"])),
                Some(w.sign("TR1", split(w, &["L1a", "L1b"]))),
            )
        },
    );
    add(
        "split-child-is-parent",
        Rule::InvalidEvent,
        "a split child cannot take the parent's id (checked when the event is decoded, so not lot-exists)",
        &|w| {
            (
                w.sign("TR1", split(w, &["L1", "L1b"])),
                Some(w.sign("TR1", split(w, &["L1a", "L1b"]))),
            )
        },
    );

    // lot.merge
    let merge = |w: &World, inputs: &[(&str, Option<Hash>)], out: &str| {
        Body::LotMerge(LotMerge {
            inputs: inputs
                .iter()
                .map(|(l, prev)| Input {
                    lot: id(l),
                    prev: prev.unwrap_or_else(|| w.head(l)),
                })
                .collect(),
            lot: id(out),
            mass_g: grams(92_000),
            grade_bp: grade(6300),
        })
    };
    let good_merge = |w: &World| w.sign("TR1", merge(w, &[("L1", None), ("L10", None)], "MX"));
    add(
        "merge-second-input-stale",
        Rule::StaleHead,
        "every input of a merge names its lot's head, not only the first",
        &|w| {
            reg_and_take(w);
            let stale = w.figure("L10", Some(0));
            (
                w.sign("TR1", merge(w, &[("L1", None), ("L10", Some(stale))], "MX")),
                Some(good_merge(w)),
            )
        },
    );
    add(
        "merge-second-input-not-held",
        Rule::NotCustodian,
        "the signer of a merge holds every input, not only the first",
        &|w| {
            reg_and_take(w);
            (
                w.sign("TR1", merge(w, &[("L1", None), ("L4", None)], "MX")),
                Some(good_merge(w)),
            )
        },
    );
    add(
        "merge-output-is-input",
        Rule::InvalidEvent,
        "a merge's output id cannot be one of its inputs (checked when the event is decoded)",
        &|w| {
            reg_and_take(w);
            (
                w.sign("TR1", merge(w, &[("L1", None), ("L10", None)], "L1")),
                Some(good_merge(w)),
            )
        },
    );

    // lot.transport
    add(
        "transport-arrived-before-departed",
        Rule::InvalidEvent,
        "a transport does not arrive before it departs (checked when the event is decoded)",
        &|w| {
            let good = transport_body(w, "L1", w.head("L1"));
            let mut bad = good.clone();
            if let Body::LotTransport(t) = &mut bad {
                t.arrived = Millis(t.departed.0 - 1);
            }
            (w.sign("TR1", bad), Some(w.sign("TR1", good)))
        },
    );

    // lot.store
    let store = |w: &World, warehouse: &str| {
        Body::LotStore(LotStore {
            lot: id("L1"),
            prev: w.head("L1"),
            place: Place {
                name: text("Entrepôt de Goma"),
                lat_e6: None,
                lon_e6: None,
            },
            warehouse: Some(id(warehouse)),
        })
    };
    add(
        "store-warehouse-unknown",
        Rule::ActorUnknown,
        "a store names a registered warehouse actor",
        &|w| {
            (
                w.sign("TR1", store(w, "NOBODY")),
                Some(w.sign("TR1", store(w, "WH"))),
            )
        },
    );

    // lot.export
    add(
        "export-role-not-allowed",
        Rule::RoleNotAllowed,
        "only an exporter exports, even a custodian whose lot is on a certificate",
        &|w| {
            let export = |lot: &str, cert: &str, mass: u64| {
                Body::LotExport(LotExport {
                    lot: id(lot),
                    prev: w.head(lot),
                    cert: id(cert),
                    mass_g: grams(mass),
                    destination: country("BE"),
                })
            };
            (
                w.sign("TR1", export("L1", "C2", 50_000)),
                Some(w.sign("EXP", export("L4", "C1", 55_000))),
            )
        },
    );

    // lot.correct
    let correct = |w: &World, lot: &str, corrects: Hash, mass: Option<u64>, bp: Option<u16>| {
        Body::LotCorrect(LotCorrect {
            lot: id(lot),
            prev: w.head(lot),
            corrects,
            mass_g: mass.map(grams),
            grade_bp: bp.map(grade),
            reason: long("re-weighed"),
        })
    };
    add(
        "correct-grade-on-export",
        Rule::NotCorrectable,
        "an export states no grade, so its correction gives a mass only (the exported lot is closed and still accepts it)",
        &|w| {
            let export = w.head("P1a");
            (
                w.sign("EXP", correct(w, "P1a", export, None, Some(7000))),
                Some(w.sign("EXP", correct(w, "P1a", export, Some(18_900), None))),
            )
        },
    );
    add(
        "correct-wrong-signer",
        Rule::RoleNotAllowed,
        "a figure event is corrected by its signer or by an authority, not by the lot's later custodian",
        &|w| {
            let body = correct(w, "L1", w.figure("L1", Some(0)), Some(49_000), None);
            (w.sign("TR1", body.clone()), Some(w.sign("COOP1", body)))
        },
    );
    add(
        "correct-on-closed-lot",
        Rule::LotClosed,
        "a lot split into children refuses a transport but accepts a correction of its figures",
        &|w| {
            let fix = correct(w, "P1", w.figure("P1", Some(0)), Some(37_500), None);
            (
                w.sign("PROC", transport_body(w, "P1", w.head("P1"))),
                Some(w.sign("PROC", fix)),
            )
        },
    );

    // incident.report
    let report = |anonymous_key: PublicKey| {
        Body::IncidentReport(IncidentReport {
            subjects: about_site(S1),
            category: Category::ArmedGroup,
            summary: long("Armed men were seen at the Rubaya D2 shafts."),
            evidence_sha256: None,
            anonymous_key: Some(anonymous_key),
            sealed: None,
        })
    };
    add(
        "incident-anonymous-key-exists",
        Rule::KeyExists,
        "an anonymous report needs a fresh key: a registered key would unmask its reporter",
        &|w| {
            (
                w.sign("TR1", report(w.public("TR1"))),
                Some(w.sign("ANON-2", report(w.public("ANON-2")))),
            )
        },
    );
    add(
        "incident-anonymous-weak-key",
        Rule::WeakKey,
        "an anonymous key must be a prime-order point, even one with a torsion component whose signature verifies",
        &|w| {
            let weak = MixedOrderKey::new("ANON-W");
            let ev = Event {
                log: w.origin.clone(),
                key: weak.public.key_id(),
                time: Millis(w.now),
                body: report(weak.public),
            };
            (
                weak.sign(&ev),
                Some(w.sign("ANON-2", report(w.public("ANON-2")))),
            )
        },
    );

    // incident.status
    add(
        "incident-status-role-not-allowed",
        Rule::RoleNotAllowed,
        "only an authority or an inspector changes a case's status",
        &|w| {
            let case = w
                .log
                .state
                .cases()
                .min_by_key(|c| c.opened)
                .map(|c| c.id)
                .unwrap_or_default();
            let body = Body::IncidentStatus(IncidentStatus {
                case,
                status: CaseStatus::Resolved,
                note: long("road block removed"),
            });
            (w.sign("TR1", body.clone()), Some(w.sign("AUTH", body)))
        },
    );
}

/// The genesis conditions, each from an empty log with the base log's
/// genesis as the valid counterpart.
fn genesis_cases(cases: &mut Vec<RuleCase>) {
    let empty = World::new(ORIGIN, "CD");
    let good = empty.accepted[0].clone();
    let auth =
        |id_: &str| empty.actor_record(id_, "National Mining Registry", "CD", &[Role::Authority]);
    let genesis = |log_key: PublicKey, authorities: Vec<ActorRecord>| Event {
        log: empty.origin.clone(),
        key: log_key.key_id(),
        time: Millis(DEFAULT_START),
        body: Body::Genesis(Genesis {
            log_key,
            authorities,
        }),
    };
    let by_log_key = |authorities: Vec<ActorRecord>| {
        SignedEvent::sign(
            &genesis(empty.log_key.public(), authorities),
            &empty.log_key,
        )
        .unwrap_or_else(|e| panic!("{e}"))
    };
    let mut push = |name: &'static str, rule: Rule, about: &'static str, bad: SignedEvent| {
        cases.push(RuleCase {
            name,
            rule,
            about,
            from_empty: true,
            setup: Vec::new(),
            bad,
            good: Some(good.clone()),
        });
    };

    let mut weak_auth = auth("AUTH");
    weak_auth.keys = vec![identity_point_key()];
    push(
        "genesis-weak-authority-key",
        Rule::WeakKey,
        "a genesis authority's key must be a prime-order point",
        by_log_key(vec![weak_auth]),
    );
    let weak = MixedOrderKey::new("weak log key");
    push(
        "genesis-weak-log-key",
        Rule::WeakKey,
        "the log key must be a prime-order point, even one with a torsion component whose signature verifies",
        weak.sign(&genesis(weak.public, vec![auth("AUTH")])),
    );
    let mut trader = auth("AUTH");
    trader.roles = vec![Role::Trader];
    push(
        "genesis-not-authority",
        Rule::InvalidEvent,
        "every genesis actor has role authority (checked when the event is decoded)",
        by_log_key(vec![trader]),
    );
    let mut twin = auth("AUTH");
    twin.keys = vec![named_key("AUTH2").public()];
    push(
        "genesis-duplicate-actor",
        Rule::ActorExists,
        "an actor id is listed once in genesis",
        by_log_key(vec![auth("AUTH"), twin]),
    );
    let mut shared = auth("AUTH2");
    shared.keys = auth("AUTH").keys;
    push(
        "genesis-duplicate-key",
        Rule::KeyExists,
        "a key belongs to one genesis authority",
        by_log_key(vec![auth("AUTH"), shared]),
    );
    let mut log_keyed = auth("AUTH");
    log_keyed.keys = vec![empty.log_key.public()];
    push(
        "genesis-authority-has-log-key",
        Rule::KeyExists,
        "the log key cannot also be an authority's key",
        by_log_key(vec![log_keyed]),
    );
}

fn reg_and_take(w: &mut World) {
    let r = w.submit(
        "COOP1",
        new_lot("L10", S1, "CD26-000010", Mineral::Cassiterite),
    );
    r.unwrap_or_else(|e| panic!("{e}"));
    w.transfer("COOP1", "TR1", "L10", 42_000, 6000)
        .unwrap_or_else(|e| panic!("{e}"));
}

fn env_json(ev: &SignedEvent) -> Value {
    let e = ev.envelope();
    json!({"event": e.event, "sig": e.sig})
}

fn pretty(v: &Value) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}

/// Every vector file: `(path relative to spec/vectors, contents)`.
pub fn all_vectors() -> Vec<(String, String)> {
    let mut out = Vec::new();
    jcs_vectors(&mut out);
    key_vectors(&mut out);
    let base = base_world();
    event_vectors(&base, &mut out);
    leaf_vectors(&base, &mut out);
    merkle_vectors(&base, &mut out);
    checkpoint_vectors(&base, &mut out);
    apply_vectors(&base, &mut out);
    bundle_vectors(&base, &mut out);
    tlog_proof_vectors(&base, &mut out);
    precheck::precheck_vectors(&mut out);
    seal::seal_vectors(&mut out);
    tile_vectors(&mut out);
    witness::witness_vectors(&mut out);
    out
}

fn jcs_vectors(out: &mut Vec<(String, String)>) {
    let cases: &[(&str, &[u8])] = &[
        ("valid-simple", br#"{"a":1,"b":"x"}"#),
        ("valid-nested", br#"{"a":{"b":[1,2,{"c":true}]},"d":false}"#),
        (
            "valid-escapes",
            b"{\"s\":\"\\\"\\\\\\b\\t\\n\\f\\r\\u0000\\u001f\x7f\"}",
        ),
        (
            "valid-unicode",
            "{\"é\":\"Kinyarwanda: murakoze, Français: épuré, € 𝄞\"}".as_bytes(),
        ),
        (
            "valid-utf16-key-order",
            "{\"\u{10000}\":1,\"\u{ffff}\":2}".as_bytes(),
        ),
        (
            "valid-max-integers",
            br#"{"max":9007199254740991,"min":-9007199254740991}"#,
        ),
        ("whitespace-after-colon", br#"{"a": 1}"#),
        ("whitespace-trailing-newline", b"{\"a\":1}\n"),
        ("key-order", br#"{"b":1,"a":2}"#),
        (
            "key-order-utf16",
            "{\"\u{ffff}\":1,\"\u{10000}\":2}".as_bytes(),
        ),
        ("duplicate-key", br#"{"a":1,"a":1}"#),
        ("float-fraction", br#"{"mass_g":1.0}"#),
        ("float-exponent", br#"{"mass_g":1e3}"#),
        ("integer-too-large", br#"{"mass_g":9007199254740992}"#),
        ("integer-leading-zero", br#"{"mass_g":0100}"#),
        ("integer-negative-zero", br#"{"lat_e6":-0}"#),
        ("null", br#"{"tin":null}"#),
        ("escape-solidus", br#"{"a":"\/"}"#),
        ("escape-unneeded-unicode", br#"{"a":"\u00e9"}"#),
        ("escape-uppercase-hex", br#"{"a":"\u001F"}"#),
        ("escape-short-form-as-unicode", br#"{"a":"\u000a"}"#),
        ("raw-control-character", b"{\"a\":\"\x01\"}"),
        ("invalid-utf8", b"{\"a\":\"\xc3\x28\"}"),
        ("truncated", br#"{"a":"b"#),
        ("trailing-bytes", br#"{"a":1}{}"#),
        ("too-deep", b"{\"a\":[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]}"),
    ];
    for (name, input) in cases {
        let result = jcs::check(input);
        let mut v = json!({
            "description": format!("canonical JSON check: {name}"),
            "input_b64": B64.encode(input),
            "canonical": result.is_ok(),
        });
        if let Ok(t) = std::str::from_utf8(input) {
            v["input"] = json!(t);
        }
        if let Err(e) = result {
            v["error"] = json!({"offset": e.offset, "kind": e.kind.id()});
        }
        out.push((format!("jcs/{name}.json"), pretty(&v)));
    }
}

fn key_vectors(out: &mut Vec<(String, String)>) {
    for name in ["COOP1", "AUTH"] {
        let sk = named_key(name);
        let pk = sk.public();
        let v = json!({
            "description": "a key id is the first 16 bytes of SHA-256(\"madini/key-id/v1\" || 0x00 || public key), in hex",
            "seed_hex": hex_encode(&sk.seed()),
            "public_key": pk.to_string(),
            "key_id": pk.key_id().to_string(),
            "strong": pk.check_strong().is_ok(),
        });
        out.push((
            format!("keys/named-{}.json", name.to_lowercase()),
            pretty(&v),
        ));
    }
    let order2 = {
        let mut b = [0xffu8; 32];
        b[0] = 0xec;
        b[31] = 0x7f;
        PublicKey(b)
    };
    let noncanonical = {
        let mut b = [0xffu8; 32];
        b[0] = 0xee;
        b[31] = 0x7f;
        PublicKey(b)
    };
    let mixed = {
        use curve25519_dalek::edwards::CompressedEdwardsY;
        let good = named_key("COOP1").public();
        let p = CompressedEdwardsY(good.0).decompress();
        let t = CompressedEdwardsY(order2.0).decompress();
        match (p, t) {
            (Some(p), Some(t)) => PublicKey((p + t).compress().0),
            _ => order2,
        }
    };
    for (name, pk, about) in [
        (
            "weak-identity",
            identity_point_key(),
            "the identity point (small order)",
        ),
        ("weak-order-2", order2, "the point of order 2, (0, -1)"),
        (
            "weak-non-canonical",
            noncanonical,
            "y = p + 1, a non-canonical encoding",
        ),
        (
            "weak-mixed-order",
            mixed,
            "a valid key plus a point of order 2: not torsion-free",
        ),
    ] {
        let v = json!({
            "description": format!("refused at registration (rule weak-key): {about}"),
            "public_key": pk.to_string(),
            "strong": pk.check_strong().is_ok(),
        });
        out.push((format!("keys/{name}.json"), pretty(&v)));
    }
}

fn signer_name(w: &World, key: &crate::crypto::KeyId) -> String {
    let names = [
        "AUTH", "INSP", "COOP1", "COOP2", "COOP2b", "TR1", "TR2", "TR2b", "TR3", "PROC", "EXP",
        "EXP2", "WH", "ANON-1",
    ];
    if w.log_key.public().key_id() == *key {
        return format!("log:{}", w.origin);
    }
    names
        .iter()
        .find(|n| named_key(n).public().key_id() == *key)
        .map(|n| (*n).to_string())
        .unwrap_or_default()
}

fn event_vectors(w: &World, out: &mut Vec<(String, String)>) {
    let mut seen = std::collections::BTreeSet::new();
    for ev in &w.accepted {
        let Ok(e) = Event::decode(&ev.bytes) else {
            continue;
        };
        if !seen.insert(e.type_name()) {
            continue;
        }
        let signer = signer_name(w, &e.key);
        let pk = named_key(&signer).public();
        let v = json!({
            "description": format!("a valid {} event: canonical bytes, event hash and signature", e.type_name()),
            "signer": signer,
            "signer_seed_hex": hex_encode(&named_key(&signer).seed()),
            "public_key": pk.to_string(),
            "event": serde_json::from_slice::<Value>(&ev.bytes).unwrap_or(Value::Null),
            "event_bytes": String::from_utf8_lossy(&ev.bytes),
            "event_hash": ev.hash().to_string(),
            "signed_message_b64": B64.encode(crate::crypto::event_message(&ev.bytes)),
            "signature_b64": B64.encode(ev.signature),
        });
        out.push((format!("events/{}.json", e.type_name()), pretty(&v)));
    }
    assert_eq!(
        seen.len(),
        EVENT_TYPES.len(),
        "the base log must use every event type"
    );
}

fn leaf_vectors(w: &World, out: &mut Vec<(String, String)>) {
    let leaves = w.log.leaves();
    for i in [0usize, 1, leaves.len() - 1] {
        let leaf = Leaf::decode(&leaves[i]).unwrap_or_else(|e| panic!("{e}"));
        let v = json!({
            "description": format!("entry {i} of the base log: the leaf and its fields"),
            "index": i,
            "leaf_b64": B64.encode(&leaves[i]),
            "leaf_hash": leaf_hash(&leaves[i]).to_base64(),
            "version": 1,
            "record_time": leaf.record_time,
            "prev_leaf_hash": leaf.prev_leaf.to_base64(),
            "signature_b64": B64.encode(leaf.signature),
            "event_bytes": String::from_utf8_lossy(&leaf.event),
        });
        out.push((format!("leaf/entry-{i}.json"), pretty(&v)));
    }
    let good = leaves[1].clone();
    let mut v2 = good.clone();
    v2[0] = 2;
    let mut late = good.clone();
    late[1] = 0x01;
    let bad: [(&str, Vec<u8>, &str); 4] = [
        ("version-2", v2, "byte 0 is the version; 2 is not supported"),
        (
            "too-short",
            good[..106].to_vec(),
            "a leaf is at least 107 bytes",
        ),
        (
            "too-long",
            vec![1u8; 65_536],
            "a leaf is at most 65535 bytes (the most a tile entry's 16-bit length holds)",
        ),
        ("record-time-too-large", late, "record time above 2^53-1"),
    ];
    for (name, bytes, about) in bad {
        let v = json!({
            "description": format!("refused (rule invalid-leaf): {about}"),
            "leaf_b64": B64.encode(&bytes),
            "valid": Leaf::decode(&bytes).is_ok(),
        });
        out.push((format!("leaf/{name}.json"), pretty(&v)));
    }
}

fn merkle_vectors(w: &World, out: &mut Vec<(String, String)>) {
    let n = w.log.size();
    let roots: Vec<String> = (1..=n)
        .map(|m| {
            crate::merkle::tree_hash(m, &w.log.tree)
                .unwrap_or_default()
                .to_base64()
        })
        .collect();
    let v = json!({
        "description": "leaf hashes of the base log and the root of every prefix (roots[k] is the root of the first k+1 leaves)",
        "leaf_hashes": (0..n).map(|i| w.log.tree.leaf(i).unwrap_or_default().to_base64()).collect::<Vec<_>>(),
        "roots": roots,
    });
    out.push(("merkle/base-log-roots.json".into(), pretty(&v)));
    for (i, size) in [(0u64, n), (n / 2, n), (n - 1, n), (5, 13)] {
        let proof = w.log.prove_inclusion(i, size).unwrap_or_default();
        let root = crate::merkle::tree_hash(size, &w.log.tree).unwrap_or_default();
        let mut v = json!({
            "description": format!("inclusion of entry {i} in the tree of size {size}"),
            "leaf_index": i, "tree_size": size,
            "leaf_hash": w.log.tree.leaf(i).unwrap_or_default().to_base64(),
            "root": root.to_base64(),
            "proof": proof.iter().map(Hash::to_base64).collect::<Vec<_>>(),
            "valid": true,
        });
        out.push((format!("merkle/inclusion-{i}-of-{size}.json"), pretty(&v)));
        if let Some(first) = proof.first() {
            let mut bad = *first;
            bad.0[0] ^= 0x80;
            let mut p: Vec<String> = proof.iter().map(Hash::to_base64).collect();
            p[0] = bad.to_base64();
            v["proof"] = json!(p);
            v["valid"] = json!(false);
            v["description"] = json!(format!(
                "inclusion of entry {i} in the tree of size {size}, first proof hash with one bit flipped"
            ));
            out.push((
                format!("merkle/inclusion-{i}-of-{size}-bit-flipped.json"),
                pretty(&v),
            ));
        }
    }
    for (m, size) in [(1u64, n), (7, n), (16, 33), (n - 1, n)] {
        let proof = w.log.prove_consistency(m, size).unwrap_or_default();
        let v = json!({
            "description": format!("consistency of the tree of size {m} with the tree of size {size}"),
            "size1": m, "size2": size,
            "root1": crate::merkle::tree_hash(m, &w.log.tree).unwrap_or_default().to_base64(),
            "root2": crate::merkle::tree_hash(size, &w.log.tree).unwrap_or_default().to_base64(),
            "proof": proof.iter().map(Hash::to_base64).collect::<Vec<_>>(),
            "valid": true,
        });
        out.push((format!("merkle/consistency-{m}-to-{size}.json"), pretty(&v)));
    }
}

fn checkpoint_vectors(w: &World, out: &mut Vec<(String, String)>) {
    let note = w.checkpoint();
    let nk = NoteKey::new(&w.origin, w.log_key.public()).unwrap_or_else(|e| panic!("{e}"));
    let cp = Checkpoint {
        origin: w.origin.to_string(),
        size: w.log.size(),
        root: w.log.root(),
    };
    let other = named_key("not the log key");
    let wrong_key = sign_checkpoint(&cp, &other).unwrap_or_default();
    let changed = note.replacen(
        &format!("\n{}\n", cp.size),
        &format!("\n{}\n", cp.size + 1),
        1,
    );
    let cosigned = format!(
        "{note}\u{2014} witness.example/w1 {}\n",
        B64.encode([0u8; 72])
    );
    let with_ext = {
        let text = format!("{}extension line\n", cp.body());
        let sig = w.log_key.sign_raw(text.as_bytes());
        let mut blob = nk.key_hash.to_be_bytes().to_vec();
        blob.extend_from_slice(&sig);
        format!("{text}\n\u{2014} {} {}\n", nk.name, B64.encode(blob))
    };
    let cases: [(&str, String, &str); 7] = [
        (
            "valid",
            note.clone(),
            "the checkpoint of the base log, signed by the log key",
        ),
        (
            "valid-cosigned",
            cosigned,
            "valid: a line from an unknown key (a witness) is ignored",
        ),
        (
            "valid-extension-line",
            with_ext,
            "valid: an extension line after the root is allowed and signed",
        ),
        (
            "truncated",
            note[..note.len() - 20].to_string(),
            "the signature line is cut short",
        ),
        (
            "size-changed",
            changed,
            "the tree size was changed after signing",
        ),
        (
            "wrong-key",
            wrong_key,
            "signed by another key under the same name",
        ),
        (
            "no-signature",
            cp.body(),
            "the note text without any signature",
        ),
    ];
    for (name, text, about) in cases {
        let result = crate::note::open_checkpoint(&text, &nk);
        let v = json!({
            "description": about,
            "vkey": nk.vkey(),
            "note": text,
            "valid": result.is_ok(),
            "origin": cp.origin, "tree_size": cp.size, "root": cp.root.to_base64(),
        });
        out.push((format!("checkpoint/{name}.json"), pretty(&v)));
    }
}

/// The base log as a vector document.
pub fn base_log_json(w: &World) -> Value {
    json!({
        "description": "the log every apply vector starts from (unless it says it starts empty); replay these leaves first",
        "origin": w.origin.as_str(),
        "log_key": w.log_key.public().to_string(),
        "vkey": NoteKey::new(&w.origin, w.log_key.public()).map(|k| k.vkey()).unwrap_or_default(),
        "leaves": w.log.leaves().iter().map(|l| B64.encode(l)).collect::<Vec<_>>(),
        "root": w.log.root().to_base64(),
        "checkpoint": w.checkpoint(),
    })
}

fn apply_vectors(w: &World, out: &mut Vec<(String, String)>) {
    out.push(("apply/base-log.json".into(), pretty(&base_log_json(w))));
    for c in rule_cases(w) {
        let mut v = json!({
            "description": c.about,
            "base": if c.from_empty { Value::Null } else { json!("base-log.json") },
            "setup": c.setup.iter().map(env_json).collect::<Vec<_>>(),
            "event": env_json(&c.bad),
            "expect_rule": c.rule.id(),
        });
        if let Some(g) = &c.good {
            v["valid_counterpart"] = env_json(g);
        }
        out.push((format!("apply/{}.json", c.name), pretty(&v)));
    }
}

/// The bundle of lot `P1a` of the base log, with the checkpoint of the whole log.
pub fn base_bundle(w: &World) -> Bundle {
    let index = MemIndex::new(w.log.leaves(), &w.log.state);
    build_bundle(
        &index,
        &id("P1a"),
        &w.origin,
        &w.checkpoint(),
        w.log.size(),
        |i, n| {
            w.log
                .prove_inclusion(i, n)
                .map_err(|e| crate::state::StateError(e.to_string()))
        },
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

fn bundle_vectors(w: &World, out: &mut Vec<(String, String)>) {
    let nk = NoteKey::new(&w.origin, w.log_key.public()).unwrap_or_else(|e| panic!("{e}"));
    let good = base_bundle(w);
    let mut tampered_leaf = good.clone();
    {
        let e = tampered_leaf
            .entries
            .iter_mut()
            .find(|e| e.index > 0)
            .unwrap_or_else(|| panic!("empty bundle"));
        let mut bytes = B64.decode(&e.leaf).unwrap_or_default();
        let last = bytes.len() - 2;
        bytes[last] ^= 0x01;
        e.leaf = B64.encode(bytes);
    }
    let mut flipped_proof = good.clone();
    {
        let e = flipped_proof
            .entries
            .iter_mut()
            .find(|e| !e.proof.is_empty())
            .unwrap_or_else(|| panic!("no proofs"));
        let mut h = Hash::from_base64(&e.proof[0]).unwrap_or_default();
        h.0[31] ^= 0x01;
        e.proof[0] = h.to_base64();
    }
    let mut truncated_cp = good.clone();
    truncated_cp
        .checkpoint
        .truncate(truncated_cp.checkpoint.len() - 12);
    let mut dropped = good.clone();
    // Drop the entry that created M1 (the merge): P1a's ancestry no longer replays.
    let merge_idx = dropped
        .entries
        .iter()
        .position(|e| {
            B64.decode(&e.leaf)
                .ok()
                .and_then(|b| Leaf::decode(&b).ok())
                .is_some_and(|l| {
                    String::from_utf8_lossy(&l.event).contains("\"type\":\"lot.merge\"")
                })
        })
        .unwrap_or(1);
    dropped.entries.remove(merge_idx);
    let mut reordered = good.clone();
    reordered.entries.swap(1, 2);
    let mut duplicated = good.clone();
    let dup = duplicated.entries[3].clone();
    duplicated.entries.insert(4, dup);
    let cases: [(&str, &Bundle, &str); 7] = [
        (
            "valid",
            &good,
            "the bundle of lot P1a (split from processed, merged lots) to the base log's checkpoint",
        ),
        (
            "tampered-leaf",
            &tampered_leaf,
            "one byte of one leaf flipped: its inclusion proof fails",
        ),
        (
            "flipped-proof-bit",
            &flipped_proof,
            "one bit of one proof hash flipped",
        ),
        (
            "truncated-checkpoint",
            &truncated_cp,
            "the checkpoint's signature line cut short",
        ),
        (
            "dropped-entry",
            &dropped,
            "the merge that created an ancestor removed: replay fails",
        ),
        (
            "reordered-entries",
            &reordered,
            "two entries swapped: indexes must strictly increase",
        ),
        ("duplicated-entry", &duplicated, "one entry given twice"),
    ];
    for (name, b, about) in cases {
        let result = crate::bundle::verify_bundle(b, &nk);
        let v = json!({
            "description": about,
            "vkey": nk.vkey(),
            "valid": result.is_ok(),
            "error": result.err().map(|e| e.to_string()),
            "bundle": serde_json::to_value(b).unwrap_or(Value::Null),
        });
        out.push((format!("bundle/{name}.json"), pretty(&v)));
    }
}

/// `madini-bundle/v2` files (`spec/log.md` section 4, "Bundle files"): the
/// valid bundle of `bundle_vectors` with its proofs as tlog-proofs, and one
/// case per way a reader refuses one.
fn tlog_proof_vectors(w: &World, out: &mut Vec<(String, String)>) {
    use crate::tlogproof::{HEADER, ProofBundle, read_bundle};
    let nk = NoteKey::new(&w.origin, w.log_key.public()).unwrap_or_else(|e| panic!("{e}"));
    let good = ProofBundle::from_bundle(&base_bundle(w)).unwrap_or_else(|e| panic!("{e}"));
    let edit = |pos: usize, f: &dyn Fn(&str) -> String| {
        let mut b = good.clone();
        b.entries[pos].proof = f(&b.entries[pos].proof);
        b
    };
    let with_index = |p: &str, index: &str| {
        p.lines()
            .map(|l| {
                if l.starts_with("index ") {
                    format!("index {index}")
                } else {
                    l.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
            + "\n"
    };
    let pos = good
        .entries
        .iter()
        .position(|e| e.proof.lines().nth(2).is_some_and(|l| !l.is_empty()))
        .unwrap_or_else(|| panic!("no entry with a proof"));
    let hash_line = |p: &str| p.lines().nth(2).unwrap_or_default().to_string();
    let cosigned = {
        let cp = &good.entries[0].proof;
        let at = cp.find("\n\n").map_or(0, |i| i + 2);
        let note = &cp[at..];
        let line = format!("— witness.example/w1 {}\n", B64.encode([0x5au8; 4 + 64]));
        format!("{}{note}{line}", &cp[..at])
    };
    let cases: Vec<(&str, ProofBundle, &str)> = vec![
        (
            "valid",
            good.clone(),
            "the valid bundle of bundle/valid.json, each proof a tlog-proof",
        ),
        (
            "extra-line",
            edit(0, &|p| {
                p.replacen(
                    &format!("{HEADER}\n"),
                    &format!("{HEADER}\nextra bWFkaW5p\n"),
                    1,
                )
            }),
            "an extra line on the first proof: unauthenticated, ignored",
        ),
        (
            "bad-header",
            edit(0, &|p| p.replacen(HEADER, "c2sp.org/tlog-proof@v2", 1)),
            "a first line other than c2sp.org/tlog-proof@v1",
        ),
        (
            "index-leading-zero",
            edit(pos, &|p| {
                let i = p
                    .lines()
                    .nth(1)
                    .unwrap_or_default()
                    .trim_start_matches("index ")
                    .to_string();
                with_index(p, &format!("0{i}"))
            }),
            "an index written with a leading zero",
        ),
        (
            "wrong-index",
            edit(pos, &|p| {
                let i: u64 = p
                    .lines()
                    .nth(1)
                    .unwrap_or_default()
                    .trim_start_matches("index ")
                    .parse()
                    .unwrap_or(0);
                with_index(p, &(i + 1).to_string())
            }),
            "an entry's index moved by one: its inclusion proof fails",
        ),
        (
            "short-hash",
            edit(pos, &|p| p.replacen(&hash_line(p), "AAAA", 1)),
            "a proof line that is the base64 of 3 bytes",
        ),
        (
            "too-many-proof-lines",
            edit(pos, &|p| {
                let h = hash_line(p);
                p.replacen(&format!("{h}\n"), &format!("{h}\n").repeat(64), 1)
            }),
            "64 proof lines: more than a tree of 2^63 entries needs",
        ),
        (
            "no-empty-line",
            edit(0, &|p| p.replacen("\n\n", "\n", 1)),
            "the empty line before the checkpoint removed",
        ),
        (
            "checkpoints-differ",
            edit(1, &|_| cosigned.clone()),
            "the second entry's checkpoint carries one more signature line than the first's",
        ),
    ];
    for (name, b, about) in cases {
        let json = serde_json::to_string(&b).unwrap_or_default();
        let result =
            read_bundle(&json).and_then(|v1| crate::bundle::verify_bundle(&v1, &nk).map(drop));
        let v = json!({
            "description": about,
            "vkey": nk.vkey(),
            "valid": result.is_ok(),
            "error": result.err().map(|e| e.to_string()),
            "bundle": serde_json::to_value(&b).unwrap_or(Value::Null),
        });
        out.push((format!("tlog-proof/{name}.json"), pretty(&v)));
    }
}

/// A signed event's canonical bytes as text (for messages and tests).
pub fn event_text(ev: &SignedEvent) -> String {
    String::from_utf8_lossy(&ev.bytes).into_owned()
}

/// The named key with `name`, for tests.
pub fn key(name: &str) -> SecretKey {
    named_key(name)
}

/// Replays a list of leaves into a fresh log.
///
/// # Errors
/// The first refusal.
pub fn replay_all(leaves: &[Vec<u8>]) -> Result<MemLog, crate::rules::Refusal> {
    let mut log = MemLog::new();
    for l in leaves {
        log.replay(l, crate::rules::SigMode::Verify)?;
    }
    Ok(log)
}

/// Leaves of the tile vectors' log: one full level-0 tile, a partial one
/// and a partial level-1 tile (`spec/log.md` section 6).
pub const TILES_LOG_SIZE: u64 = 300;
/// The older checkpoint of the tile vectors, pinning partial tiles of a
/// size that is no longer the latest.
pub const TILES_OLD_SIZE: u64 = 200;

/// The base log grown to `TILES_LOG_SIZE` entries with lot registrations,
/// and its checkpoints at `TILES_OLD_SIZE` and at the end.
///
/// # Panics
/// If the script breaks a rule (a bug in this file).
pub fn tiles_world() -> (World, String, String) {
    let mut w = base_world();
    let ok = |r: Result<crate::rules::Applied, crate::rules::Refusal>| {
        r.unwrap_or_else(|e| panic!("tile vector script refused: {e}"))
    };
    ok(w.allocate_tags(S1, "CD27", 6, 1, 999));
    let mut old = String::new();
    let mut n = 0u64;
    while w.log.size() < TILES_LOG_SIZE {
        if w.log.size() == TILES_OLD_SIZE {
            old = w.checkpoint();
        }
        n += 1;
        ok(w.register_lot(
            "COOP1",
            &format!("T{n:03}"),
            S1,
            &format!("CD27-{n:06}"),
            Mineral::Cassiterite,
            1000 + n,
            6000,
        ));
    }
    let latest = w.checkpoint();
    (w, old, latest)
}

/// The bytes of `tile` in `w`'s log at `size` leaves, as a node serves
/// them: hash tiles from the stored hashes, bundles from the leaves.
///
/// # Panics
/// If the tile is not in the tree of `size`.
pub fn tile_bytes(w: &World, tile: &crate::tiles::Tile, size: u64) -> Vec<u8> {
    use crate::tiles::{TileKind, encode_entry_bundle, read_hash_tile};
    match tile.kind {
        TileKind::Hashes(_) => {
            read_hash_tile(tile, size, &w.log.tree).unwrap_or_else(|e| panic!("{e}"))
        }
        TileKind::Entries => {
            let lo = (tile.n * 256) as usize;
            let leaves = &w.log.leaves()[lo..lo + usize::from(tile.width)];
            encode_entry_bundle(tile, leaves).unwrap_or_else(|e| panic!("{e}"))
        }
    }
}

fn tile_vectors(out: &mut Vec<(String, String)>) {
    use crate::tiles::{Tile, new_tiles, partial_tiles};
    let (w, old, latest) = tiles_world();
    let nk = NoteKey::new(&w.origin, w.log_key.public()).unwrap_or_else(|e| panic!("{e}"));
    let root_at = |n: u64| {
        crate::merkle::tree_hash(n, &w.log.tree)
            .unwrap_or_default()
            .to_base64()
    };
    let listing = |tiles: Vec<Tile>, size: u64| -> Vec<Value> {
        tiles
            .iter()
            .map(|t| json!({"path": t.to_string(), "hex": hex_encode(&tile_bytes(&w, t, size))}))
            .collect()
    };
    let v = json!({
        "description": format!(
            "the base log grown to {TILES_LOG_SIZE} entries: its checkpoint and every tile a node serves for it (spec/log.md section 6), \
             each path (no leading slash) with its bytes in hex: one full and one partial level-0 tile, a partial level-1 tile, and the entry bundles"
        ),
        "vkey": nk.vkey(),
        "checkpoint": latest,
        "tree_size": TILES_LOG_SIZE,
        "root": root_at(TILES_LOG_SIZE),
        "tiles": listing(new_tiles(0, TILES_LOG_SIZE), TILES_LOG_SIZE),
    });
    out.push((format!("tiles/size-{TILES_LOG_SIZE}.json"), pretty(&v)));
    let v = json!({
        "description": format!(
            "the same log's checkpoint at {TILES_OLD_SIZE} entries and its partial tiles, which a node still serves once the tree is larger (size-{TILES_LOG_SIZE}.json); the consistency of the two is what a reader checks"
        ),
        "vkey": nk.vkey(),
        "checkpoint": old,
        "tree_size": TILES_OLD_SIZE,
        "root": root_at(TILES_OLD_SIZE),
        "tiles": listing(partial_tiles(TILES_OLD_SIZE), TILES_OLD_SIZE),
    });
    out.push((format!("tiles/size-{TILES_OLD_SIZE}.json"), pretty(&v)));

    // What a node whose latest checkpoint is the larger one answers.
    let not_found = [
        ("tile/0/001", "level-0 tile 1 is not full at 300"),
        ("tile/0/001.p/45", "wider than the tree"),
        ("tile/0/002.p/1", "beyond the tree"),
        ("tile/1/000", "level-1 tile 0 is full only at 65536"),
        ("tile/1/000.p/2", "wider than the tree (512 leaves)"),
        ("tile/2/000.p/1", "level 2 starts at 65536 leaves"),
        ("tile/63/000.p/1", "no tree is that large"),
        ("tile/entries/001", "bundle 1 is not full"),
        ("tile/entries/001.p/45", "wider than the tree"),
        ("tile/entries/002.p/1", "beyond the tree"),
    ];
    let malformed = [
        ("tile/0/000.p/0", "a partial tile is 1 to 255 wide"),
        ("tile/0/000.p/256", "a full tile has no .p suffix"),
        ("tile/0/001.p/044", "leading zero in the width"),
        ("tile/00/000", "leading zero in the level"),
        ("tile/64/000", "levels are 0 to 63"),
        ("tile/0/0", "index groups are three digits"),
        ("tile/0/x000/001", "no leading zero group"),
        ("tile/0/x001", "the last group has no x"),
        ("tile/0/001/000", "groups but the last start with x"),
        ("tile/0/000/", "a trailing slash"),
        ("tile/data/000", "Go's name for entries is not C2SP's"),
        ("tile/8/0/000", "Go's path with the height"),
    ];
    for (path, _) in &not_found {
        let t: Tile = path.parse().unwrap_or_else(|e| panic!("{e}"));
        assert!(!t.served_at(TILES_LOG_SIZE), "{path}");
    }
    for (path, _) in &malformed {
        assert!(path.parse::<Tile>().is_err(), "{path}");
    }
    let served: Vec<String> = (1..=255u16)
        .filter_map(|wd| Tile::hashes(0, 0, wd))
        .chain((1..=44).filter_map(|wd| Tile::entries(1, wd)))
        .map(|t| t.to_string())
        .collect();
    let v = json!({
        "description": format!(
            "what a node whose latest checkpoint has {TILES_LOG_SIZE} leaves answers for tile paths besides the tiles of size-{TILES_LOG_SIZE}.json: \
             200 for the partial tiles of every smaller size (a sample: every width of tile/0/000 and tile/entries/001), 404 for a tile beyond the tree, 400 for a malformed path"
        ),
        "tree_size": TILES_LOG_SIZE,
        "served": served,
        "not_found": not_found.iter().map(|(p, why)| json!({"path": p, "why": why})).collect::<Vec<_>>(),
        "malformed": malformed.iter().map(|(p, why)| json!({"path": p, "why": why})).collect::<Vec<_>>(),
    });
    out.push(("tiles/answers.json".to_string(), pretty(&v)));
}
