//! The spec's tables say what the code's tables say: every hard rule's HTTP
//! status (`spec/http.md`, the `rules!` table) and every finding's family
//! and severities (`spec/verifier.md` section 3, the `findings!` table).

use std::collections::BTreeMap;
use std::path::Path;

use ledger_core::rules::Rule;
use ledger_core::verify::{FindingRule, Severity};

fn spec(name: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../spec")
        .join(name);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// The rows of the Markdown table whose header line is `header`, as cells.
fn table(text: &str, header: &str) -> Vec<Vec<String>> {
    let start = text
        .find(header)
        .unwrap_or_else(|| panic!("no table headed {header:?}"));
    text[start..]
        .lines()
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .map(|l| {
            l.trim_matches('|')
                .split(" | ")
                .map(|c| c.trim().to_string())
                .collect()
        })
        .collect()
}

/// The `code` spans of a cell.
fn ids(cell: &str) -> Vec<String> {
    cell.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

#[test]
fn every_rule_has_the_status_spec_http_md_gives_it() {
    let mut spec_status: BTreeMap<String, u16> = BTreeMap::new();
    for row in table(&spec("http.md"), "| status | rules |") {
        let status: u16 = row[0].parse().expect("a status");
        for id in ids(&row[1]) {
            assert!(
                spec_status.insert(id.clone(), status).is_none(),
                "{id} is listed twice"
            );
        }
    }
    for r in Rule::ALL {
        assert_eq!(
            spec_status.remove(r.id()),
            Some(r.http_status()),
            "rule {}: spec/http.md and the rules! table disagree",
            r.id()
        );
    }
    assert!(
        spec_status.is_empty(),
        "spec/http.md lists rules the code does not have: {spec_status:?}"
    );
}

#[test]
fn every_finding_has_the_family_and_severities_spec_verifier_md_gives_it() {
    let mut spec_rows: BTreeMap<String, (u8, Vec<Severity>)> = BTreeMap::new();
    for row in table(
        &spec("verifier.md"),
        "| rule | family | severity | fires when |",
    ) {
        let id = ids(&row[0]).pop().expect("a rule id");
        let family: u8 = row[1].parse().expect("a family");
        let mut sev: Vec<Severity> = [
            ("critical", Severity::Critical),
            ("error", Severity::Error),
            ("warning", Severity::Warning),
            ("info", Severity::Info),
        ]
        .into_iter()
        .filter(|(w, _)| row[2].contains(w))
        .map(|(_, s)| s)
        .collect();
        sev.sort();
        spec_rows.insert(id, (family, sev));
    }
    for f in FindingRule::ALL {
        // Integrity failures are section 1's layer, not a row of section 3.
        if *f == FindingRule::Integrity {
            assert_eq!((f.family(), f.severities()), (0, &[Severity::Critical][..]));
            continue;
        }
        let mut code = f.severities().to_vec();
        code.sort();
        assert_eq!(
            spec_rows.remove(f.as_str()),
            Some((f.family(), code)),
            "finding {f}: spec/verifier.md and the findings! table disagree"
        );
    }
    assert!(
        spec_rows.is_empty(),
        "spec/verifier.md lists findings the code does not have: {spec_rows:?}"
    );
}

#[test]
fn finding_ids_and_rule_ids_round_trip() {
    for r in Rule::ALL {
        assert_eq!(Rule::from_id(r.id()), Some(*r));
        assert!(!r.title().is_empty() && !r.section().is_empty());
    }
    for f in FindingRule::ALL {
        assert_eq!(FindingRule::from_id(f.as_str()), Some(*f));
        let json = serde_json::to_string(f).unwrap();
        assert_eq!(json, format!("\"{f}\""));
        assert_eq!(serde_json::from_str::<FindingRule>(&json).unwrap(), *f);
        assert_eq!(f.message_key(), format!("finding-{f}"));
    }
    assert!(serde_json::from_str::<FindingRule>("\"no-such-rule\"").is_err());
}

/// `spec/events.md` section 3, rule 7: the authorisation table between the
/// `authz` markers is exactly what `ledger_core::authz` holds.
/// `MADINI_BLESS=1` writes it.
#[test]
fn the_authorisation_table_of_spec_events_md_is_the_code_s() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/events.md");
    let text = spec("events.md");
    let (begin, end) = ("<!-- authz:begin -->\n", "<!-- authz:end -->");
    let a = text.find(begin).expect("an authz:begin marker") + begin.len();
    let b = text.find(end).expect("an authz:end marker");
    let want = ledger_core::authz::markdown();
    if std::env::var_os("MADINI_BLESS").is_some() {
        let mut out = text[..a].to_string();
        out.push_str(&want);
        out.push_str(&text[b..]);
        std::fs::write(&path, out).unwrap();
        return;
    }
    assert_eq!(
        text[a..b],
        want,
        "spec/events.md's authorisation table differs from ledger_core::authz::TABLE; run with MADINI_BLESS=1 to rewrite it"
    );
}
