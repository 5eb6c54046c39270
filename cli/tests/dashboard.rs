//! The public dashboard (`/`) shows the figures `madini report --from-log`
//! computes and the finding counts `madini audit` reports, on a generated
//! ledger with every planted fraud; its search answers odd input with a
//! page; site and actor pages exist for the registry and a page says "not
//! found" in the reader's language for unknown ids.

mod common;

use std::collections::BTreeMap;

use common::*;
use serde_json::Value;

fn get(url: &str) -> (u16, String) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut r = agent.get(url).call().unwrap();
    let status = r.status().as_u16();
    let body = r
        .body_mut()
        .with_config()
        .limit(1 << 26)
        .read_to_string()
        .unwrap();
    (status, body)
}

/// The value of attribute `name` in the tag text `tag`.
fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    let at = tag.find(&key)? + key.len();
    let end = tag[at..].find('"')?;
    Some(&tag[at..at + end])
}

/// The attributes of the data rows of table `id` (each begins with a space).
fn rows<'a>(html: &'a str, id: &str) -> Vec<&'a str> {
    let start = html
        .find(&format!("<table id=\"{id}\""))
        .unwrap_or_else(|| panic!("no table {id}"));
    let end = start + html[start..].find("</table>").unwrap();
    html[start..end]
        .split("<tr")
        .skip(1)
        .map(|r| &r[..r.find('>').unwrap()])
        .filter(|t| t.contains(" data-"))
        .collect()
}

fn num(tag: &str, name: &str) -> u64 {
    attr(tag, name)
        .unwrap_or_else(|| panic!("{name} missing in {tag}"))
        .parse()
        .unwrap()
}

type Figures = BTreeMap<(String, String), [u64; 5]>;

fn add(map: &mut Figures, key: (String, String), row: &Value) {
    let e = map.entry(key).or_default();
    for (k, f) in [
        "produced_g",
        "produced_lots",
        "transferred_g",
        "exported_g",
        "exported_lots",
    ]
    .iter()
    .enumerate()
    {
        e[k] += row[*f].as_u64().unwrap();
    }
}

#[test]
fn the_dashboard_shows_what_report_and_audit_compute() {
    let root = tempdir("dashboard");
    let (data, _) = generated(&root, &["--seed", "7", "--lots", "120", "--frauds", "all"]);
    let node = NodeProc::start(&data);
    let d = Device::new(&root, "AUDITOR", &node.url);
    d.run(&["log", "status"]).expect(0);
    let (status, html) = get(&format!("{}/?lang=en", node.url));
    assert_eq!(status, 200, "{html}");

    // Findings per rule, and the open incidents and lots under review.
    let audit = d.run(&["--json", "audit"]);
    assert!(audit.code == 0 || audit.code == 1, "{audit:?}");
    let report = audit.json();
    let mut want: BTreeMap<String, u64> = BTreeMap::new();
    for f in report["findings"].as_array().unwrap() {
        *want
            .entry(f["rule"].as_str().unwrap().to_string())
            .or_default() += 1;
    }
    assert!(
        want.len() >= 5,
        "the planted frauds give findings: {want:?}"
    );
    let shown: BTreeMap<String, u64> = rows(&html, "findings-per-rule")
        .iter()
        .map(|r| {
            (
                attr(r, "data-rule").unwrap().to_string(),
                num(r, "data-count"),
            )
        })
        .collect();
    assert_eq!(shown, want, "findings per rule");
    let total: u64 = want.values().sum();
    assert!(html.contains(&format!(
        "<td class=\"num\" id=\"findings-total\">{total}</td>"
    )));
    let open = want.get("incident-open").copied().unwrap_or(0);
    assert!(
        html.contains(&format!("id=\"open-incidents\" data-count=\"{open}\"")),
        "open incidents"
    );
    let review = report["under_review"].as_array().unwrap().len();
    assert!(
        html.contains(&format!("id=\"under-review\" data-count=\"{review}\"")),
        "lots under review: {review}"
    );

    // Flows per country and mineral, and per month and mineral.
    let flows = d.ok_json(&["report", "flows", "--from-log", "--format", "json"]);
    let mut want = Figures::new();
    for r in flows["totals"].as_array().unwrap() {
        let country = r["country"].as_str().unwrap_or("").to_string();
        let mineral = r["mineral"].as_str().unwrap().to_string();
        add(&mut want, (country, mineral), r);
    }
    let mut shown = Figures::new();
    for r in rows(&html, "flows-by-country") {
        let key = (
            attr(r, "data-country").unwrap().to_string(),
            attr(r, "data-mineral").unwrap().to_string(),
        );
        let figures = [
            num(r, "data-produced-g"),
            num(r, "data-produced-lots"),
            num(r, "data-transferred-g"),
            num(r, "data-exported-g"),
            num(r, "data-exported-lots"),
        ];
        assert!(shown.insert(key, figures).is_none(), "one row each");
    }
    assert!(want.values().any(|f| f[0] > 0), "{want:?}");
    assert_eq!(shown, want, "flows per country and mineral");
    let mut want: BTreeMap<(String, String), (u64, u64)> = BTreeMap::new();
    for r in flows["monthly"].as_array().unwrap() {
        let e = want
            .entry((
                r["month"].as_str().unwrap().to_string(),
                r["mineral"].as_str().unwrap().to_string(),
            ))
            .or_default();
        e.0 += r["produced_g"].as_u64().unwrap();
        e.1 += r["exported_g"].as_u64().unwrap();
    }
    // The dashboard shows the latest 24 months (the CSV has them all).
    let months: std::collections::BTreeSet<String> = want.keys().map(|k| k.0.clone()).collect();
    if let Some(first) = months.iter().rev().nth(23) {
        want.retain(|k, _| k.0 >= *first);
        assert!(
            html.contains("id=\"months-window\""),
            "the page says it shows the latest months"
        );
    }
    let shown: BTreeMap<(String, String), (u64, u64)> = rows(&html, "flows-by-month")
        .iter()
        .map(|r| {
            (
                (
                    attr(r, "data-month").unwrap().to_string(),
                    attr(r, "data-mineral").unwrap().to_string(),
                ),
                (num(r, "data-produced-g"), num(r, "data-exported-g")),
            )
        })
        .collect();
    assert_eq!(shown, want, "flows per month and mineral");

    // The registry's counts.
    let sites = d.ok_json(&["report", "sites", "--from-log", "--format", "json"]);
    let actors = d.ok_json(&["report", "actors", "--from-log", "--format", "json"]);
    let (ns, na) = (
        sites["sites"].as_array().unwrap().len(),
        actors["actors"].as_array().unwrap().len(),
    );
    assert!(
        html.contains(&format!("{ns} mine sites, {na} actors,")),
        "counts"
    );
    // One map symbol per site, each a link to its page.
    let map = &html[html.find("<svg class=\"map\"").unwrap()..];
    let map = &map[..map.find("</svg>").unwrap()];
    assert_eq!(map.matches("<a href=\"/sites/").count(), ns);

    // Every site and actor has a page; unknown ids get a page saying so.
    let site = sites["sites"][0]["id"].as_str().unwrap();
    let (s, page) = get(&format!(
        "{}/sites/{}?lang=fr",
        node.url,
        ledger_core::text::percent_encode(site)
    ));
    assert_eq!(s, 200, "{page}");
    assert!(page.contains("<html lang=\"fr\">") && page.contains("Historique du statut"));
    let actor = actors["actors"][1]["id"].as_str().unwrap();
    let (s, page) = get(&format!("{}/actors/{actor}?lang=sw", node.url));
    assert_eq!(s, 200, "{page}");
    assert!(page.contains("Funguo za kusaini"), "{page}");
    let (s, page) = get(&format!("{}/sites/NO-SUCH-SITE?lang=fr", node.url));
    assert_eq!(s, 404);
    assert!(
        page.contains("Le site minier NO-SUCH-SITE n") && page.contains("pas dans ce registre.")
    );
    let (s, page) = get(&format!("{}/actors/%3Cb%3E", node.url));
    assert_eq!(s, 404);
    assert!(
        page.contains("&#60;b&#62;") && !page.contains("<b>"),
        "{page}"
    );

    // Search: ids, names, and odd input answered with an escaped page.
    // In a query string `+` is a space: it is sent as %2B.
    let (s, page) = get(&format!(
        "{}/search?q={}",
        node.url,
        ledger_core::text::percent_encode(site).replace('+', "%2B")
    ));
    assert_eq!(s, 200);
    assert!(page.contains("id=\"hits\""), "{page}");
    let long = "x".repeat(5000);
    for q in [
        "",
        "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        long.as_str(),
        "%FF%FE",
        "%",
        "a/b",
    ] {
        let (s, page) = get(&format!("{}/search?q={q}", node.url));
        assert_eq!(s, 200, "q={q}: {page}");
        assert!(!page.contains("<script>"), "q={q}");
    }
    let (_, page) = get(&format!(
        "{}/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        node.url
    ));
    assert!(
        page.contains("&#60;script&#62;alert(1)&#60;/script&#62;"),
        "{page}"
    );
}
