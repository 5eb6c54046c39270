//! Key files: PKCS#8 PEM, mode 0600, never overwritten, refused when others
//! can read them; optional passphrase encryption; readable by OpenSSL 3.

mod common;

use std::os::unix::fs::PermissionsExt;

use common::*;

#[test]
fn key_files_are_private_and_readable_by_openssl() {
    let root = tempdir("keys");
    let d = Device::new(&root, "K", "http://127.0.0.1:9");
    let key = d.home.join("key.pem");
    let mode = std::fs::metadata(&key).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let shown = d.ok_json(&["key", "show"]);
    assert!(
        shown["public_key"]
            .as_str()
            .unwrap()
            .starts_with("ed25519:")
    );
    assert_eq!(shown["key_id"].as_str().unwrap().len(), 32);

    // Never overwritten.
    let r = d.run(&["key", "new"]).expect(2);
    assert!(r.stderr.contains("already exists"), "{}", r.stderr);

    // Refused when group or others can read it.
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let r = d.run(&["key", "show"]).expect(2);
    assert!(
        r.stderr.contains("can be read by other users"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("chmod 600"), "{}", r.stderr);
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).unwrap();

    // Encrypted with a passphrase, and read back.
    let enc = root.join("enc.pem");
    let mut c = d.cmd();
    let o = c
        .env("MADINI_PASSPHRASE", "correct horse battery")
        .args([
            "--json",
            "key",
            "new",
            "--encrypt",
            "--out",
            enc.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let made: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(
        std::fs::read_to_string(&enc)
            .unwrap()
            .contains("BEGIN ENCRYPTED PRIVATE KEY")
    );
    let o = d
        .cmd()
        .env("MADINI_PASSPHRASE", "correct horse battery")
        .args(["--json", "--key", enc.to_str().unwrap(), "key", "show"])
        .output()
        .unwrap();
    assert!(o.status.success());
    let shown: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(shown["public_key"], made["public_key"]);
    let o = d
        .cmd()
        .env("MADINI_PASSPHRASE", "wrong")
        .args(["--key", enc.to_str().unwrap(), "key", "show"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("wrong passphrase"));

    // OpenSSL 3 reads both forms and derives the same public key.
    let have_openssl = std::process::Command::new("openssl")
        .arg("version")
        .output()
        .is_ok();
    if !have_openssl {
        assert!(
            std::env::var_os("MADINI_REQUIRE_OPENSSL").is_none(),
            "openssl is required (MADINI_REQUIRE_OPENSSL) but not installed"
        );
        eprintln!("skipping the OpenSSL cross-check: openssl is not installed");
        return;
    }
    for (file, pass, expect) in [
        (&key, None, shown_key(&d)),
        (
            &enc,
            Some("correct horse battery"),
            made["public_key"].as_str().unwrap().to_string(),
        ),
    ] {
        let mut c = std::process::Command::new("openssl");
        c.args(["pkey", "-pubout", "-outform", "DER", "-in"])
            .arg(file);
        if let Some(p) = pass {
            c.args(["-passin", &format!("pass:{p}")]);
        }
        let o = c.output().unwrap();
        assert!(
            o.status.success(),
            "openssl: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        // The last 32 bytes of the SubjectPublicKeyInfo are the key.
        let raw = &o.stdout[o.stdout.len() - 32..];
        use base64::Engine as _;
        let b64 = base64::engine::general_purpose::STANDARD.encode(raw);
        assert_eq!(format!("ed25519:{b64}"), expect);
    }
}

fn shown_key(d: &Device) -> String {
    d.ok_json(&["key", "show"])["public_key"]
        .as_str()
        .unwrap()
        .to_string()
}
