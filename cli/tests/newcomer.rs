//! A newcomer's path, as the README gives it: start the demo node, run the
//! commands its tour prints exactly as printed (act as the demo
//! cooperative to register a lot and print its label, offer it, act as the
//! demo trader to accept it), then audit the log. Nothing is set up by
//! hand: the devices are the ones `serve --demo` wrote.

mod common;

use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{node_bin, tempdir};

/// Runs one printed command line (`VAR=value ... madini ARGS`) with the
/// `madini` under test, from `cwd`.
fn run_printed(line: &str, cwd: &std::path::Path) -> (i32, String, String) {
    let mut words = line.split_whitespace();
    let mut env = Vec::new();
    let mut program = None;
    for w in words.by_ref() {
        match w.split_once('=') {
            Some((k, v))
                if program.is_none() && k.chars().all(|c| c.is_ascii_uppercase() || c == '_') =>
            {
                env.push((k.to_string(), v.to_string()));
            }
            _ => {
                program = Some(w.to_string());
                break;
            }
        }
    }
    assert_eq!(
        program.as_deref(),
        Some("madini"),
        "not a madini command: {line}"
    );
    let args: Vec<&str> = words.collect();
    let out = assert_cmd::Command::cargo_bin("madini")
        .unwrap()
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", cwd)
        .env("LANG", "C")
        .envs(env)
        .args(&args)
        .current_dir(cwd)
        .timeout(Duration::from_secs(180))
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_newcomer_acts_in_the_demo_with_the_printed_commands() {
    let root = tempdir("newcomer");
    let mut node = Command::new(node_bin())
        .args(["serve", "--demo", "--listen", "127.0.0.1:0", "--data"])
        .arg(root.join("demo-data"))
        .env("MADINI_LOG", "error")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .unwrap();
    let mut out = BufReader::new(node.stdout.take().unwrap());
    let mut printed = Vec::new();
    let start = Instant::now();
    // The tour ends with the audit command.
    while start.elapsed() < Duration::from_secs(300) {
        let mut line = String::new();
        if out.read_line(&mut line).unwrap() == 0 {
            break;
        }
        let done = line.trim_start().starts_with("madini audit");
        printed.push(line.trim().to_string());
        if done {
            break;
        }
    }
    let tour = printed.join("\n");
    let commands: Vec<&String> = printed
        .iter()
        .filter(|l| l.starts_with("MADINI_HOME=") || l.starts_with("madini "))
        .collect();
    assert_eq!(
        commands.len(),
        4,
        "the tour does not print four commands:\n{tour}"
    );
    for dev in [
        "coop",
        "trader",
        "processor",
        "exporter",
        "inspector",
        "registry",
    ] {
        let dir = root.join("demo-data/devices").join(dev);
        assert!(
            dir.join("config.toml").exists(),
            "no demo device {dev}:\n{tour}"
        );
        let mode = std::fs::metadata(dir.join("demo-key.pem"))
            .unwrap()
            .permissions();
        assert_eq!(
            std::os::unix::fs::PermissionsExt::mode(&mode) & 0o777,
            0o600,
            "the {dev} key file is not 0600"
        );
        let config = std::fs::read_to_string(dir.join("config.toml")).unwrap();
        assert!(
            config.contains("DEMO KEY"),
            "the {dev} profile does not say its key is a demo key"
        );
    }

    // Register with a label, offer, accept: each as printed, each succeeds.
    for c in &commands[..3] {
        let (code, stdout, stderr) = run_printed(c, &root);
        assert_eq!(code, 0, "`{c}` failed ({code}):\n{stdout}\n{stderr}");
    }
    let lot = commands[0]
        .split_whitespace()
        .skip_while(|w| *w != "--lot")
        .nth(1)
        .unwrap()
        .to_string();
    let label = root.join(format!("{lot}.pdf"));
    let pdf = std::fs::read(&label).unwrap_or_else(|e| panic!("no label {}: {e}", label.display()));
    assert!(pdf.starts_with(b"%PDF-"), "the label is not a PDF");

    // The audit runs (the demo's planted anomalies make it exit 1), and the
    // newcomer's lot verifies with no finding, held by the demo trader.
    let (code, stdout, stderr) = run_printed(commands[3], &root);
    assert!(
        code == 0 || code == 1,
        "audit failed ({code}):\n{stdout}\n{stderr}"
    );
    assert!(
        !stdout.contains(&lot),
        "the audit found something about {lot}:\n{stdout}"
    );
    let url = commands[3].split_whitespace().last().unwrap();
    let (code, stdout, stderr) = run_printed(
        &format!(
            "MADINI_HOME={} madini --json lot show {lot} --node {url}",
            root.join("demo-data/devices/trader").display()
        ),
        &root,
    );
    assert_eq!(code, 0, "lot show failed:\n{stdout}\n{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["custodian"].as_str(), Some("TRD-CD-01"), "{stdout}");
    let _ = node.kill();
    let _ = node.wait();
}
