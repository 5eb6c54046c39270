//! The public lot page in a real browser: headless Chromium loads lot pages
//! from a node on loopback, in English and in French, for a clean lot and a
//! flagged one, and the test reads the rendered DOM: the verdict first,
//! then the custody timeline.

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use ledger_core::scenario::{Config, Fraud, generate};

fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|b| {
            Command::new(b)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
}

/// The DOM Chromium renders for `url`, with the browser language `lang`.
fn dom(browser: &str, url: &str, lang: &str) -> String {
    let profile = tempdir("chromium");
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--no-first-run",
            &format!("--lang={lang}"),
            &format!("--accept-lang={lang}"),
            &format!("--user-data-dir={}", profile.display()),
            "--dump-dom",
            url,
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromium starts");
    let start = Instant::now();
    loop {
        if child.try_wait().expect("wait").is_some() {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(90),
            "chromium hung on {url}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = child.wait_with_output().expect("output");
    let _ = std::fs::remove_dir_all(&profile);
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn verdict(dom: &str) -> String {
    let at = dom.find("id=\"verdict\"").expect("a verdict element");
    let rest = &dom[at..];
    let v = rest.find("data-verdict=\"").expect("data-verdict") + 14;
    rest[v..v + rest[v..].find('"').unwrap()].to_string()
}

fn fetch(url: &str) -> (u16, String) {
    let mut r = agent().get(url).call().unwrap();
    (r.status().as_u16(), r.body_mut().read_to_string().unwrap())
}

#[test]
fn lot_pages_render_in_a_real_browser_in_english_and_french() {
    let mut cfg = Config::new(23, 120);
    cfg.frauds = vec![Fraud::MergeGain];
    let s = generate(&cfg);
    let flagged = s.planted[0].lots[0].clone();
    let (_ledger, dir) = ledger_from(&s.main, Backend::Sled);
    drop(_ledger);
    let node = NodeProc::spawn(&dir, None);
    let base = node.url.trim_end_matches('/').to_string();

    // Over plain HTTP first: the flagged lot, and a clean exported lot.
    let (st, page) = fetch(&format!("{base}/lots/{flagged}"));
    assert_eq!(st, 200);
    assert_eq!(verdict(&page), "findings", "{page}");
    assert!(page.contains("data-rule=\"merge-mass\""));
    let clean = s
        .main
        .log
        .state
        .lots()
        .filter(|l| format!("{:?}", l.status) == "Exported")
        .map(|l| l.id.to_string())
        .find(|id| verdict(&fetch(&format!("{base}/lots/{id}")).1) == "verified")
        .expect("a clean exported lot");
    let (_, tagged) = fetch(&format!("{base}/lots/{clean}"));
    assert!(!tagged.contains("<script"), "no scripts on the page");
    assert!(
        !tagged.contains("http://") && !tagged.contains("https://"),
        "no external resources"
    );
    let (st, missing) = fetch(&format!("{base}/lots/NO-SUCH-LOT"));
    assert_eq!(st, 404);
    assert!(missing.contains("not in this ledger"));

    let Some(browser) = chromium() else {
        assert!(
            std::env::var_os("MADINI_REQUIRE_CHROMIUM").is_none(),
            "chromium is required (MADINI_REQUIRE_CHROMIUM) but not installed"
        );
        eprintln!("skipping the browser part: chromium is not installed");
        return;
    };
    for (lot, want) in [(&clean, "verified"), (&flagged, "findings")] {
        let url = format!("{base}/lots/{lot}");
        let en = dom(browser, &url, "en-US");
        let fr = dom(browser, &url, "fr-FR");
        for (d, lang) in [(&en, "en"), (&fr, "fr")] {
            assert!(d.contains(&format!("<html lang=\"{lang}\"")), "{lang}: {d}");
            assert_eq!(verdict(d), want, "{lot} {lang}");
            // The verdict comes before the timeline.
            let v = d.find("id=\"verdict\"").unwrap();
            let t = d.find("id=\"timeline\"").expect("timeline");
            assert!(v < t);
            assert!(d.contains("data-type=\"lot.register\""), "{lot}: {d}");
            assert!(
                d.matches("<li data-type=").count() >= 3,
                "{lot}: timeline too short"
            );
        }
        match want {
            "verified" => {
                assert!(en.contains("Verified: complete chain of origin"), "{en}");
                assert!(fr.contains("Vérifié : chaîne d'origine complète"), "{fr}");
                assert!(en.contains("Chain of custody") && fr.contains("Chaîne de traçabilité"));
            }
            _ => {
                assert!(en.contains("the numbers do not add up"), "{en}");
                assert!(fr.contains("les chiffres ne concordent pas"), "{fr}");
                assert!(en.contains("weighs more than its inputs"), "{en}");
                assert!(fr.contains("pèse plus que ses composants"), "{fr}");
            }
        }
    }
    // The language switch overrides the browser's language.
    let d = dom(browser, &format!("{base}/lots/{clean}?lang=fr"), "en-US");
    assert!(d.contains("<html lang=\"fr\""));
    // A tag's short link (what the QR code opens) shows the tagged lot.
    // Only lots registered at a mine carry a tag; split and merged lots do
    // not, so take the first registered one.
    let (tagged, tag) = s
        .main
        .log
        .state
        .lots()
        .find_map(|l| l.tag.clone().map(|t| (l.id.to_string(), t)))
        .expect("the generated ledger has tagged lots");
    let d = dom(browser, &format!("{base}/t/{tag}"), "en-US");
    assert!(d.contains(&format!("Lot {tagged}")), "{d}");
    assert!(d.contains("id=\"verdict\""), "{d}");
}
