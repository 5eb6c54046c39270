//! The authorisation matrix (`spec/events.md` section 3, rule 7): every
//! signer class (each of the nine roles, the log key, a fresh anonymous
//! key) with every event type, then each condition of each row broken in
//! turn, and each waiver used; all submitted over HTTP to a real node. The
//! expected outcome of every case comes from `ledger_core::authz::TABLE`,
//! the table the rules read and the spec is written from. A refused case
//! must leave the tree and the object it names exactly as they were.

mod common;

use common::*;
use ledger_core::authz::{self, Condition, Row, Signers};
use ledger_core::event::*;
use ledger_core::hash::Hash;
use ledger_core::log::SignedEvent;
use ledger_core::rules::Rule;
use ledger_core::types::*;
use ledger_core::world::*;
use serde_json::Value;

const ORIGIN: &str = "authz.madini.example/log";
const S0: &str = "CD-1.6790+29.2200-00000";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Class {
    Role(Role),
    Log,
    Anonymous,
}

fn classes() -> Vec<Class> {
    let mut v: Vec<Class> = Role::ALL.iter().map(|r| Class::Role(*r)).collect();
    v.push(Class::Log);
    v.push(Class::Anonymous);
    v
}

/// Whether the fixture can make condition `c` hold for a signer with role
/// `r`: custody, an offer and a figure need a custody role (the rules give
/// lots only to them), a site's operator is a cooperative, a certificate's
/// holder an exporter (both conditions of other rows).
fn can_hold(c: Condition, r: Role) -> bool {
    match c {
        Condition::Custodian | Condition::Addressee | Condition::FigureSigner => {
            authz::CUSTODY_ROLES.contains(&r)
        }
        Condition::SiteOperator => r == Role::Cooperative,
        Condition::CertHolder => r == Role::Exporter,
        Condition::OwnKey
        | Condition::OwnActor
        | Condition::ReceiverHoldsCustody
        | Condition::OperatorsCooperative
        | Condition::ExporterNamed => true,
    }
}

/// What the table says the case gets: `None` accepted, or the rule.
fn expected(class: Class, row: &Row, broken: Option<Condition>) -> Option<Rule> {
    if row.signers == Signers::LogKeyFirst {
        // Rule 4: a genesis anywhere but entry 0, before any key is looked at.
        return Some(Rule::GenesisRepeated);
    }
    let r = match class {
        Class::Log | Class::Anonymous if row.signers == Signers::Anyone => return None,
        // Rule 5: the log key signs only genesis and intake reports.
        Class::Log => return Some(Rule::RoleNotAllowed),
        // A fresh key is registered to nobody.
        Class::Anonymous => return Some(Rule::UnknownKey),
        Class::Role(r) => r,
    };
    if !row.admits(&[r]) {
        return Some(Rule::RoleNotAllowed);
    }
    row.conditions
        .iter()
        .find(|c| {
            let holds = broken != Some(**c) && can_hold(**c, r);
            !holds && !c.waived_for().contains(&r)
        })
        .map(|c| c.rule())
}

struct Case {
    name: String,
    ev: SignedEvent,
    expect: Option<Rule>,
    /// A read of what the event would change, equal before and after a refusal.
    probe: String,
}

/// Builds the ledger every case needs, and the cases.
struct Fixture {
    w: World,
    k: usize,
    next_tag: u64,
    case_report: Hash,
}

fn ok<T>(r: Result<T, ledger_core::rules::Refusal>, what: &str) -> T {
    r.unwrap_or_else(|e| panic!("fixture {what} refused: {e}"))
}

fn event_hash(a: &ledger_core::rules::Applied) -> Hash {
    a.changes
        .iter()
        .find_map(|c| match c {
            ledger_core::state::Change::Event { hash, .. } => Some(*hash),
            _ => None,
        })
        .expect("an applied event records its hash")
}

impl Fixture {
    fn new() -> Fixture {
        let mut w = World::new(ORIGIN, "CD");
        for (a, roles) in [
            ("COOP", Role::Cooperative),
            ("TR", Role::Trader),
            ("INSP", Role::Inspector),
            ("EXP", Role::Exporter),
        ] {
            ok(w.register_actor(a, a, "CD", &[roles]), a);
        }
        let s0 = w.site_record(S0, "Site zero", &[Mineral::Cassiterite], 1_000, &["COOP"]);
        ok(w.register_site(s0), "site");
        ok(w.allocate_tags(S0, "T", 5, 0, 99_999), "tags");
        ok(
            w.register_lot(
                "COOP",
                "L0",
                S0,
                "T-00000",
                Mineral::Cassiterite,
                50_000,
                6_000,
            ),
            "lot",
        );
        let report = ok(
            w.submit("COOP", report_on_l0("a shaft without supports", None)),
            "report",
        );
        Fixture {
            case_report: event_hash(&report),
            w,
            k: 0,
            next_tag: 1,
        }
    }

    /// A lot registered by COOP at S0; if `holder` is given (and is not
    /// COOP), offered to it and accepted, so it is the custodian.
    fn lot(&mut self, name: &str, holder: Option<&str>) -> String {
        let tag = format!("T-{:05}", self.next_tag);
        self.next_tag += 1;
        ok(
            self.w
                .register_lot("COOP", name, S0, &tag, Mineral::Cassiterite, 40_000, 6_000),
            "lot",
        );
        if let Some(h) = holder.filter(|h| *h != "COOP") {
            ok(self.w.transfer("COOP", h, name, 40_000, 6_000), "transfer");
        }
        name.to_string()
    }

    fn profile(&self, actor: &str, name: &str) -> ActorProfile {
        let mut p = self
            .w
            .actor_record(actor, name, "CD", &[Role::Trader])
            .profile();
        p.name = text(name);
        p
    }

    /// One case: `ty` signed by `class`, every condition of the row made to
    /// hold where the signer's role allows, except `broken`.
    fn case(&mut self, ty: &str, class: Class, broken: Option<Condition>) -> Case {
        self.k += 1;
        let k = self.k;
        let row = authz::row_of(ty).expect("a row");
        let me: Option<String> = match class {
            Class::Role(r) => {
                let name = format!("S{k}");
                ok(self.w.register_actor(&name, &name, "CD", &[r]), "signer");
                Some(name)
            }
            _ => None,
        };
        let key_name = match class {
            Class::Role(_) => me.clone().unwrap_or_default(),
            Class::Log => format!("log:{ORIGIN}"),
            Class::Anonymous => format!("anon{k}"),
        };
        let hold = |c: Condition| match class {
            Class::Role(r) => broken != Some(c) && can_hold(c, r),
            _ => false,
        };
        // The signer when a condition holds for it, someone else otherwise.
        let mine = |c: Condition, other: &str| -> String {
            if hold(c) {
                me.clone().unwrap_or_default()
            } else {
                other.to_string()
            }
        };
        let other = format!("X{k}");
        let (body, probe) = match ty {
            "genesis" => {
                let a = self.w.actor_record(
                    &format!("GA{k}"),
                    "Second registry",
                    "CD",
                    &[Role::Authority],
                );
                (
                    Body::Genesis(Genesis {
                        log_key: self.w.public(&key_name),
                        authorities: vec![a],
                    }),
                    "/v1/log".to_string(),
                )
            }
            "actor.register" => {
                let actor =
                    self.w
                        .actor_record(&format!("N{k}"), "New trader", "CD", &[Role::Trader]);
                (
                    Body::ActorRegister(ActorRegister { actor }),
                    format!("/v1/actors/N{k}"),
                )
            }
            "actor.update" => {
                ok(
                    self.w
                        .register_actor(&other, "Trader", "CD", &[Role::Trader]),
                    "x",
                );
                (
                    Body::ActorUpdate(ActorUpdate {
                        actor: self.profile(&other, "Renamed trader"),
                    }),
                    format!("/v1/actors/{other}"),
                )
            }
            "key.rotate" | "key.revoke" => {
                let c = row.conditions[0];
                if !hold(c) {
                    ok(
                        self.w
                            .register_actor(&other, "Trader", "CD", &[Role::Trader]),
                        "x",
                    );
                }
                let actor = mine(c, &other);
                let old = self.w.public(&actor).key_id();
                let body = if ty == "key.rotate" {
                    Body::KeyRotate(KeyRotate {
                        actor: id(&actor),
                        old,
                        new: self.w.public(&format!("new{k}")),
                    })
                } else {
                    Body::KeyRevoke(KeyRevoke {
                        actor: id(&actor),
                        revoked: old,
                        reason: text("device lost"),
                    })
                };
                (body, format!("/v1/actors/{actor}"))
            }
            "licence.grant" => (
                Body::LicenceGrant(LicenceGrant {
                    licence: Licence {
                        id: id(&format!("LIC{k}")),
                        kind: LicenceType::ArtisanalPermit,
                        holder: id("COOP"),
                        site: Some(site_id(S0)),
                        minerals: vec![Mineral::Cassiterite],
                        granted: Millis(self.w.now),
                        expires: Millis(self.w.now + 365 * DAY),
                    },
                }),
                "/v1/actors/COOP".to_string(),
            ),
            "site.register" | "site.update" => {
                let op =
                    if hold(Condition::OperatorsCooperative) || !matches!(class, Class::Role(_)) {
                        "COOP"
                    } else {
                        "TR"
                    };
                let (sid, name) = if ty == "site.register" {
                    (format!("CD-1.6790+29.2200-{k:05}"), "New site".to_string())
                } else {
                    (S0.to_string(), format!("Site zero, update {k}"))
                };
                let site = self
                    .w
                    .site_record(&sid, &name, &[Mineral::Cassiterite], 1_000, &[op]);
                let body = if ty == "site.register" {
                    Body::SiteRegister(SiteRegister { site })
                } else {
                    Body::SiteUpdate(SiteUpdate { site })
                };
                (body, format!("/v1/sites/{sid}"))
            }
            "site.inspect" => (
                Body::SiteInspect(SiteInspect {
                    site: site_id(S0),
                    inspection: Inspection {
                        id: id(&format!("INS{k}")),
                        date: Millis(self.w.now - self.w.now % DAY),
                        result: InspectionResult(1),
                        report_sha256: None,
                        report_uri: None,
                        purpose: None,
                        summary: None,
                    },
                }),
                format!("/v1/sites/{S0}"),
            ),
            "site.status" => (
                Body::SiteStatus(SiteStatus {
                    site: site_id(S0),
                    status: CertStatus(1),
                    reason: long("inspection confirmed"),
                }),
                format!("/v1/sites/{S0}"),
            ),
            "tags.allocate" => (
                Body::TagsAllocate(TagsAllocate {
                    site: site_id(S0),
                    prefix: id(&format!("P{k}")),
                    width: TagWidth(3),
                    first: 0,
                    last: 9,
                }),
                format!("/v1/tags/P{k}-000"),
            ),
            "cert.request" => (
                Body::CertRequest(CertRequest {
                    request: Request {
                        id: id(&format!("REQ{k}")),
                        lots: vec![id("L0")],
                        mineral: Mineral::Cassiterite,
                        mass_g: grams(50_000),
                        destination: country("BE"),
                    },
                }),
                "/v1/lots/L0".to_string(),
            ),
            "cert.issue" => {
                let exporter = if hold(Condition::ExporterNamed) || !matches!(class, Class::Role(_))
                {
                    "EXP"
                } else {
                    "TR"
                };
                (
                    cert(&format!("C{k}"), exporter, "L0", self.w.now),
                    "/v1/lots/L0".to_string(),
                )
            }
            "lot.register" => {
                let (site, tag) = if hold(Condition::SiteOperator) {
                    let sid = format!("CD-1.6790+29.2200-{k:05}");
                    let me = me.clone().unwrap_or_default();
                    let s = self.w.site_record(
                        &sid,
                        "Own site",
                        &[Mineral::Cassiterite],
                        1_000,
                        &[&me],
                    );
                    ok(self.w.register_site(s), "own site");
                    ok(
                        self.w.allocate_tags(&sid, &format!("Q{k}"), 3, 0, 9),
                        "own tags",
                    );
                    (sid, format!("Q{k}-000"))
                } else {
                    let t = format!("T-{:05}", self.next_tag);
                    self.next_tag += 1;
                    (S0.to_string(), t)
                };
                (
                    Body::LotRegister(LotRegister {
                        lot: id(&format!("N{k}")),
                        site: site_id(&site),
                        tag: TagId::new(&tag).unwrap(),
                        mineral: Mineral::Cassiterite,
                        mass_g: grams(10_000),
                        grade_bp: grade(6_000),
                        miner: None,
                        gps: None,
                        packages: None,
                    }),
                    format!("/v1/lots/N{k}"),
                )
            }
            "lot.accept" | "lot.refuse" => {
                let lot = self.lot(&format!("L{k}"), None);
                let to = mine(Condition::Addressee, "TR");
                ok(self.w.offer("COOP", &to, &lot, 40_000, 6_000), "offer");
                let prev = self.w.head(&lot);
                let body = if ty == "lot.accept" {
                    Body::LotAccept(LotAccept {
                        lot: id(&lot),
                        prev,
                        mass_g: grams(40_000),
                        grade_bp: grade(6_000),
                    })
                } else {
                    Body::LotRefuse(LotRefuse {
                        lot: id(&lot),
                        prev,
                        reason: long("wet ore"),
                    })
                };
                (body, format!("/v1/lots/{lot}"))
            }
            "lot.correct" => {
                let lot = self.lot(&format!("L{k}"), None);
                let corrects = if hold(Condition::FigureSigner) {
                    // The signer states a figure, then hands the lot on: it
                    // signed the figure but no longer holds the lot.
                    let me = me.clone().unwrap_or_default();
                    ok(self.w.transfer("COOP", &me, &lot, 40_000, 6_000), "in");
                    let fig = self.w.figure(&lot, None);
                    ok(self.w.transfer(&me, "TR", &lot, 40_000, 6_000), "out");
                    fig
                } else {
                    self.w.figure(&lot, Some(0))
                };
                (
                    Body::LotCorrect(LotCorrect {
                        lot: id(&lot),
                        prev: self.w.head(&lot),
                        corrects,
                        mass_g: Some(grams(39_000)),
                        grade_bp: None,
                        reason: long("scale recalibrated"),
                    }),
                    format!("/v1/lots/{lot}"),
                )
            }
            "incident.report" => (
                report_on_l0(
                    "no helmets at the pit",
                    (class == Class::Anonymous).then(|| self.w.public(&key_name)),
                ),
                "/v1/lots/L0".to_string(),
            ),
            "incident.status" => (
                Body::IncidentStatus(IncidentStatus {
                    case: self.case_report,
                    status: CaseStatus::Investigating,
                    note: long("a team is on its way"),
                }),
                format!("/v1/cases/{}", self.case_report),
            ),
            lot_ty => {
                // Events by the custodian of an existing lot.
                let holder = mine(Condition::Custodian, "COOP");
                let lot = self.lot(&format!("L{k}"), Some(&holder));
                let prev = self.w.head(&lot);
                let body = match lot_ty {
                    "lot.offer" => {
                        let to = if hold(Condition::ReceiverHoldsCustody)
                            || !matches!(class, Class::Role(_))
                        {
                            "TR"
                        } else {
                            "INSP"
                        };
                        let to = if to == holder { "EXP" } else { to };
                        Body::LotOffer(LotOffer {
                            lot: id(&lot),
                            prev,
                            to: id(to),
                            mass_g: grams(40_000),
                            grade_bp: grade(6_000),
                            price: None,
                        })
                    }
                    "lot.split" => Body::LotSplit(LotSplit {
                        lot: id(&lot),
                        prev,
                        children: ["a", "b"]
                            .iter()
                            .map(|s| SplitChild {
                                lot: id(&format!("{lot}{s}")),
                                mass_g: grams(20_000),
                                grade_bp: grade(6_000),
                            })
                            .collect(),
                    }),
                    "lot.merge" | "lot.process" => {
                        let second = self.lot(&format!("L{k}b"), Some(&holder));
                        let inputs = vec![
                            Input {
                                lot: id(&lot),
                                prev,
                            },
                            Input {
                                lot: id(&second),
                                prev: self.w.head(&second),
                            },
                        ];
                        if lot_ty == "lot.merge" {
                            Body::LotMerge(LotMerge {
                                inputs,
                                lot: id(&format!("M{k}")),
                                mass_g: grams(80_000),
                                grade_bp: grade(6_000),
                            })
                        } else {
                            Body::LotProcess(LotProcess {
                                inputs,
                                lot: id(&format!("M{k}")),
                                mass_g: grams(70_000),
                                grade_bp: grade(6_500),
                                method: text("washing"),
                            })
                        }
                    }
                    "lot.transport" => Body::LotTransport(LotTransport {
                        lot: id(&lot),
                        prev,
                        from: place("Rubaya"),
                        to: place("Goma"),
                        departed: Millis(self.w.now),
                        arrived: Millis(self.w.now + 3_600_000),
                        carrier: None,
                        method: None,
                    }),
                    "lot.store" => Body::LotStore(LotStore {
                        lot: id(&lot),
                        prev,
                        place: place("Goma"),
                        warehouse: None,
                    }),
                    "lot.tax" => Body::LotTax(LotTax {
                        lot: id(&lot),
                        prev,
                        tax: Tax {
                            kind: text("royalty"),
                            amount: Minor(12_000),
                            currency: Currency::new("USD").unwrap(),
                            authority: text("Division des Mines"),
                            receipt: text(&format!("R{k}")),
                            paid: Millis(self.w.now),
                        },
                    }),
                    "lot.export" => {
                        let to = mine(Condition::CertHolder, "EXP");
                        let c = cert(&format!("C{k}"), &to, &lot, self.w.now);
                        ok(self.w.submit("AUTH", c), "cert");
                        Body::LotExport(LotExport {
                            lot: id(&lot),
                            prev,
                            cert: id(&format!("C{k}")),
                            mass_g: grams(40_000),
                            destination: country("BE"),
                        })
                    }
                    other => panic!("no fixture for event type {other}: add one"),
                };
                (body, format!("/v1/lots/{lot}"))
            }
        };
        Case {
            name: format!(
                "{ty} signed by {class:?}{}",
                broken.map_or(String::new(), |c| format!(", {c:?} broken"))
            ),
            ev: self.w.sign(&key_name, body),
            expect: expected(class, row, broken),
            probe,
        }
    }
}

fn cert(cert_id: &str, exporter: &str, lot: &str, now: u64) -> Body {
    Body::CertIssue(CertIssue {
        cert: Cert {
            id: id(cert_id),
            exporter: id(exporter),
            lots: vec![id(lot)],
            mineral: Mineral::Cassiterite,
            mass_g: grams(40_000),
            origins: vec![country("CD")],
            destination: country("BE"),
            issued: Millis(now),
            expires: Millis(now + 60 * DAY),
            request: None,
        },
    })
}

/// An incident report about lot L0.
fn report_on_l0(summary: &str, anonymous_key: Option<ledger_core::crypto::PublicKey>) -> Body {
    Body::IncidentReport(IncidentReport {
        subjects: Subjects {
            lots: Some(vec![id("L0")]),
            ..Subjects::default()
        },
        category: Category::Safety,
        summary: long(summary),
        evidence_sha256: None,
        anonymous_key,
        sealed: None,
    })
}

fn place(name: &str) -> Place {
    Place {
        name: text(name),
        lat_e6: None,
        lon_e6: None,
    }
}

/// Every case the table implies.
fn cases(fx: &mut Fixture) -> Vec<Case> {
    let mut out = Vec::new();
    for row in authz::TABLE {
        // Every signer class, every condition made to hold where it can.
        for class in classes() {
            out.push(fx.case(row.ty, class, None));
        }
        for &c in row.conditions {
            // Broken, for a role the row admits and for which every other
            // condition can hold.
            let r = Role::ALL
                .iter()
                .copied()
                .find(|r| {
                    row.admits(&[*r])
                        && !c.waived_for().contains(r)
                        && row.conditions.iter().all(|x| can_hold(*x, *r))
                })
                .unwrap_or_else(|| panic!("{}: no role can meet every condition", row.ty));
            out.push(fx.case(row.ty, Class::Role(r), Some(c)));
            // Broken, for a role that waives it.
            for w in c.waived_for() {
                out.push(fx.case(row.ty, Class::Role(*w), Some(c)));
            }
        }
    }
    out
}

#[test]
fn every_signer_class_with_every_event_type_gets_what_the_table_says() {
    let mut fx = Fixture::new();
    let cases = cases(&mut fx);
    let dir = tempdir("authz");
    drop(node::demo::load_world(&dir, &fx.w, store(Backend::Sled, &dir)).unwrap());
    let node = NodeProc::spawn(&dir, None);
    let a = agent();
    let read = |path: &str| -> (u16, String) {
        let mut r = a.get(&format!("{}{path}", node.url)).call().unwrap();
        (r.status().as_u16(), r.body_mut().read_to_string().unwrap())
    };
    let tree = || -> (u64, String) {
        let (_, t) = read("/v1/log");
        let v: Value = serde_json::from_str(&t).unwrap();
        (
            v["tree_size"].as_u64().unwrap(),
            v["root_hash"].as_str().unwrap().to_string(),
        )
    };
    let (mut refused, mut accepted) = (0, 0);
    let mut wrong = Vec::new();
    for c in &cases {
        let before = (tree(), read(&c.probe));
        let env = c.ev.envelope();
        let mut r = a
            .post(&format!("{}/v1/events", node.url))
            .header("content-type", "application/json")
            .send(serde_json::json!({"event": env.event, "sig": env.sig}).to_string())
            .unwrap();
        let status = r.status().as_u16();
        let body: Value = r.body_mut().read_json().unwrap_or(Value::Null);
        let got = if (200..300).contains(&status) {
            None
        } else {
            Some(body["rule"].as_str().unwrap_or("?").to_string())
        };
        let want = c.expect.map(|r| r.id().to_string());
        if got != want {
            wrong.push(format!(
                "{}: expected {}, got {status} {}",
                c.name,
                want.as_deref().unwrap_or("accepted"),
                body
            ));
            continue;
        }
        match c.expect {
            Some(rule) => {
                refused += 1;
                assert_eq!(status, rule.http_status(), "{}: {body}", c.name);
                assert_eq!(
                    (tree(), read(&c.probe)),
                    before,
                    "{}: a refused event changed the log or {}",
                    c.name,
                    c.probe
                );
            }
            None => {
                accepted += 1;
                assert_eq!(tree().0, before.0.0 + 1, "{}", c.name);
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} cases disagree with the table:\n{}",
        wrong.len(),
        cases.len(),
        wrong.join("\n")
    );
    // Every row was reached: each has a class it admits and one it refuses
    // (but the report, which anyone may sign).
    for row in authz::TABLE {
        let outcomes: Vec<Option<Rule>> = classes()
            .into_iter()
            .map(|c| expected(c, row, None))
            .collect();
        if row.signers != Signers::Anyone && row.signers != Signers::LogKeyFirst {
            assert!(outcomes.contains(&None), "{}: no class is admitted", row.ty);
        }
        assert!(
            row.signers == Signers::Anyone || outcomes.iter().any(Option::is_some),
            "{}: every class is admitted",
            row.ty
        );
    }
    eprintln!(
        "authorisation matrix: {} cases ({} signer class × event type pairs), {accepted} accepted, {refused} refused",
        cases.len(),
        classes().len() * authz::TABLE.len()
    );
}

/// The field app's copy of the table (`node/assets/app/authz.js`: who may
/// sign each type, and the custody roles), which decides the screens it
/// offers, is written from `ledger_core::authz` too. `MADINI_BLESS=1`
/// writes it.
#[test]
fn the_field_app_reads_the_same_table() {
    let quote = |s: &str| format!("\"{s}\"");
    let roles = |rs: &[Role]| {
        let v: Vec<String> = rs.iter().map(|r| quote(r.as_str())).collect();
        format!("[{}]", v.join(", "))
    };
    let mut js = String::from(
        "// Who may sign each event type (spec/events.md section 3, rule 7), for the\n\
         // screens the app offers; the node checks everything again. Written from\n\
         // ledger_core::authz by `MADINI_BLESS=1 cargo test -p node --test authz`:\n\
         // do not edit.\n\n",
    );
    js.push_str(&format!(
        "export const CUSTODY_ROLES = {};\n\nexport const SIGNERS = {{\n",
        roles(authz::CUSTODY_ROLES)
    ));
    for row in authz::TABLE {
        let s = match row.signers {
            Signers::LogKeyFirst => quote("log"),
            Signers::Roles(rs) => roles(rs),
            Signers::AnyActor => quote("any"),
            Signers::Anyone => quote("anyone"),
        };
        js.push_str(&format!("  {}: {s},\n", quote(row.ty)));
    }
    js.push_str("};\n");
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/app/authz.js");
    if std::env::var_os("MADINI_BLESS").is_some() {
        std::fs::write(&path, &js).unwrap();
    }
    assert_eq!(
        std::fs::read_to_string(&path).unwrap_or_default(),
        js,
        "node/assets/app/authz.js differs from ledger_core::authz; run with MADINI_BLESS=1 to rewrite it"
    );
}
