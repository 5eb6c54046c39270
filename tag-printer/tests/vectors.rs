//! The tag vectors in `spec/vectors/tags/` (one JSON file per case): this
//! test derives every case again and fails if a committed file differs or is
//! missing or stale; then it reads each file as an outside implementer would
//! and checks that decoding and verifying give the outcome the file states;
//! and it checks that the worked example in `spec/tags.md` is the valid
//! vector, byte for byte.
//!
//! After a deliberate format change, regenerate with
//! `MADINI_BLESS=1 cargo test -p tag-printer --test vectors` and commit the
//! spec change with it.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use ledger_core::crypto::{PublicKey, SecretKey};
use ledger_core::types::{Grade, Grams, Id, Mineral, SiteId, TagId};
use ledger_core::world::named_key;
use serde_json::{Value, json};
use tag_printer::claim::mineral_code;
use tag_printer::{BaseUrl, Claim, QrMatrix, SignedClaim, decode_payload, encode_payload};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/vectors/tags")
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// The cooperative key every valid vector is signed with.
fn coop() -> SecretKey {
    named_key("COOP-1")
}

/// The worked example of `spec/tags.md` section 7.
fn example_claim() -> Claim {
    Claim {
        tag: TagId::new("RW24-000123").expect("tag"),
        lot: Id::new("L-0001").expect("lot"),
        site: SiteId::new("RW-1.9641+30.0619-12345").expect("site"),
        mineral: Mineral::Cassiterite,
        mass: Grams(25_300),
        grade: Grade(6_500),
        day: 20_458,
        key_id: coop().public().key_id(),
    }
}

/// The longest ids the spec allows, in the characters that cost most in a
/// QR code (lower case and `_` force byte mode, and the tag has a single
/// digit), the largest numbers, and the base URL length of the spec's bound.
fn max_claim() -> Claim {
    Claim {
        tag: TagId::new("coop_rubaya_pit_00-1").expect("tag"),
        lot: Id::new("lot_2026_rubaya_0042").expect("lot"),
        site: SiteId::new("CD--10.1234+100.1234-1234567").expect("site"),
        mineral: Mineral::Gold,
        mass: Grams(9_007_199_254_740_991),
        grade: Grade(10_000),
        day: u16::MAX,
        key_id: coop().public().key_id(),
    }
}

const EXAMPLE_BASE: &str = "https://registry.example";
const LONG_BASE: &str = "https://registry.minemines.gov.rw";

fn base(s: &str) -> BaseUrl {
    BaseUrl::new(s).expect("base url")
}

fn sign(c: &Claim, key: &SecretKey) -> SignedClaim {
    c.sign(key).expect("sign")
}

/// What a vector expects: decoding fails with this id, or decoding succeeds
/// and verification against the vector's key gives `Ok` or this id.
enum Expect {
    DecodeError(&'static str),
    Verify(Result<(), &'static str>),
}

struct Case {
    name: &'static str,
    description: &'static str,
    key: PublicKey,
    payload: String,
    expect: Expect,
}

/// Replaces the `n`th `/`-separated field of the claim text (0 = version).
fn with_field(payload: &str, n: usize, value: &str) -> String {
    let (url, frag) = payload.split_once('#').expect("fragment");
    let mut fields: Vec<&str> = frag.split('/').collect();
    fields[n] = value;
    format!("{url}#{}", fields.join("/"))
}

/// The signature with `S` replaced by `S + l` (the group order): the same
/// point equation, a non-canonical scalar that `verify_strict` refuses.
fn malleable(sig: &[u8; 64]) -> [u8; 64] {
    const L: [u8; 32] = [
        0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde,
        0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
    ];
    let mut out = *sig;
    let mut carry = 0u16;
    for i in 0..32 {
        let v = u16::from(sig[32 + i]) + u16::from(L[i]) + carry;
        out[32 + i] = (v & 0xff) as u8;
        carry = v >> 8;
    }
    out
}

fn cases() -> Vec<Case> {
    let key = coop();
    let pk = key.public();
    let other = named_key("COOP-2");
    let example = sign(&example_claim(), &key);
    let good = encode_payload(&base(EXAMPLE_BASE), &example);
    let max = encode_payload(&base(LONG_BASE), &sign(&max_claim(), &key));
    let min = {
        let mut c = example_claim();
        c.tag = TagId::new("A-0").expect("tag");
        c.lot = Id::new("L").expect("lot");
        c.site = SiteId::new("UG-0.0000+0.0000-0").expect("site");
        c.mineral = Mineral::Coltan;
        c.mass = Grams(1);
        c.grade = Grade(0);
        c.day = 0;
        encode_payload(&base("http://127.0.0.1:8080"), &sign(&c, &key))
    };
    let wolframite = {
        let mut c = example_claim();
        c.mineral = Mineral::Wolframite;
        c.lot = Id::new("LOT-RW-2026-000123").expect("lot");
        encode_payload(&base(EXAMPLE_BASE), &sign(&c, &key))
    };
    let by_other = {
        let mut c = example_claim();
        c.key_id = other.public().key_id();
        encode_payload(&base(EXAMPLE_BASE), &sign(&c, &other))
    };
    let forged_key_id = {
        // The claim names COOP-1's key but COOP-2 signed it.
        let sig = other.sign_raw(&example_claim().message());
        let s = SignedClaim::from_parts(example_claim(), sig).expect("parts");
        encode_payload(&base(EXAMPLE_BASE), &s)
    };
    let high_s = {
        let s = SignedClaim::from_parts(example_claim(), malleable(example.signature()))
            .expect("parts");
        encode_payload(&base(EXAMPLE_BASE), &s)
    };
    let seal_at = good.len() - 128;
    let ok = |name, description, payload: &str| Case {
        name,
        description,
        key: pk,
        payload: payload.to_string(),
        expect: Expect::Verify(Ok(())),
    };
    let refused = |name, description, payload: String, id| Case {
        name,
        description,
        key: pk,
        payload,
        expect: Expect::Verify(Err(id)),
    };
    let bad = |name, description, payload: String, id| Case {
        name,
        description,
        key: pk,
        payload,
        expect: Expect::DecodeError(id),
    };
    vec![
        ok(
            "valid-example",
            "the worked example of spec/tags.md section 7",
            &good,
        ),
        ok(
            "valid-max-length",
            "the worst case of spec/tags.md section 5: the longest ids allowed (tag 20, lot 20, site 28 bytes) in byte-mode characters, a tag with one digit, the largest mass, grade and day, and a 33-byte base URL: still QR version 10 at level M",
            &max,
        ),
        ok(
            "valid-min-values",
            "the shortest ids, mass 1 g, grade 0, day 0 (1970-01-01), an http base URL with a port",
            &min,
        ),
        ok(
            "valid-wolframite",
            "mineral code 3 and a longer lot id",
            &wolframite,
        ),
        ok(
            "valid-base-url-changed",
            "the example with another base URL: the base URL is not signed, so the claim still verifies (spec/tags.md section 4)",
            &good.replacen(EXAMPLE_BASE, "https://mirror.example/madini", 1),
        ),
        refused(
            "tampered-mass",
            "the example with the mass changed from 25300 to 35300",
            with_field(&good, 4, "35300"),
            "bad-signature",
        ),
        refused(
            "tampered-grade",
            "the example with the grade changed from 6500 to 7500",
            with_field(&good, 5, "7500"),
            "bad-signature",
        ),
        refused(
            "tampered-lot",
            "the example with the lot id in the URL path changed: the lot is signed although it travels in the path",
            good.replacen("/lots/L-0001#", "/lots/L-0002#", 1),
            "bad-signature",
        ),
        refused(
            "tampered-signature",
            "the example with the last base32 character of the signature changed",
            format!(
                "{}{}",
                &good[..good.len() - 1],
                if good.ends_with('A') { "B" } else { "A" }
            ),
            "bad-signature",
        ),
        refused(
            "foreign-key",
            "a claim signed by another cooperative (COOP-2), naming its own key, checked against COOP-1's key",
            by_other,
            "wrong-key",
        ),
        refused(
            "forged-key-id",
            "a claim naming COOP-1's key id but signed by COOP-2",
            forged_key_id,
            "bad-signature",
        ),
        refused(
            "signature-s-not-canonical",
            "the example signature with S replaced by S + l: the Ed25519 equation still holds, but verify_strict refuses S >= l",
            high_s,
            "bad-signature",
        ),
        bad(
            "truncated-fields",
            "the example cut inside the mass field",
            good[..good.find("/25300/").expect("mass") + 3].to_string(),
            "truncated",
        ),
        bad(
            "truncated-signature",
            "the example with the last 10 characters of the key-signature field cut",
            good[..good.len() - 10].to_string(),
            "truncated",
        ),
        bad(
            "truncated-after-hash",
            "the example cut right after the '#'",
            good[..good.find('#').expect("#") + 1].to_string(),
            "truncated",
        ),
        bad(
            "missing-claim",
            "the lot page URL without a fragment",
            good[..good.find('#').expect("#")].to_string(),
            "missing-claim",
        ),
        bad(
            "bad-base32-lowercase",
            "a lower-case letter in the key-signature field (base32 is upper case only)",
            format!("{}a{}", &good[..seal_at + 5], &good[seal_at + 6..]),
            "bad-base32",
        ),
        bad(
            "bad-base32-padding",
            "a '=' in the key-signature field",
            format!("{}={}", &good[..seal_at + 127], &good[seal_at + 128..]),
            "bad-base32",
        ),
        bad(
            "signature-too-long",
            "129 characters in the key-signature field",
            format!("{good}A"),
            "bad-field",
        ),
        bad(
            "unsupported-version",
            "version 2 in the first field",
            with_field(&good, 0, "2"),
            "unsupported-version",
        ),
        bad(
            "extra-field",
            "a ninth field",
            format!("{good}/X"),
            "extra-fields",
        ),
        bad(
            "mass-leading-zero",
            "mass written 025300: not canonical",
            with_field(&good, 4, "025300"),
            "bad-field",
        ),
        bad(
            "mass-zero",
            "mass 0 g",
            with_field(&good, 4, "0"),
            "bad-field",
        ),
        bad(
            "mass-too-large",
            "mass 2^53 g",
            with_field(&good, 4, "9007199254740992"),
            "bad-field",
        ),
        bad(
            "grade-over-10000",
            "grade 10001 bp",
            with_field(&good, 5, "10001"),
            "bad-field",
        ),
        bad(
            "day-over-65535",
            "day 65536",
            with_field(&good, 6, "65536"),
            "bad-field",
        ),
        bad(
            "mineral-unknown",
            "mineral code 5",
            with_field(&good, 3, "5"),
            "bad-field",
        ),
        bad(
            "mineral-zero",
            "mineral code 0",
            with_field(&good, 3, "0"),
            "bad-field",
        ),
        bad(
            "tag-too-long",
            "a 21-byte tag id",
            with_field(&good, 1, "RW24-0000000000000123"),
            "bad-field",
        ),
        bad(
            "tag-not-a-tag-id",
            "a tag id without its digits",
            with_field(&good, 1, "RW24"),
            "bad-field",
        ),
        bad(
            "site-not-icglr",
            "a site id that does not follow the ICGLR pattern",
            with_field(&good, 2, "RW-1.96+30.0619-12345"),
            "bad-field",
        ),
        bad(
            "lot-too-long",
            "a 21-byte lot id in the path",
            good.replacen("/lots/L-0001#", "/lots/L-0000000000000000001#", 1),
            "bad-field",
        ),
        bad(
            "lot-empty",
            "an empty lot id",
            good.replacen("/lots/L-0001#", "/lots/#", 1),
            "bad-field",
        ),
        bad(
            "not-a-lot-page",
            "the path /lot/ instead of /lots/",
            good.replacen("/lots/", "/lot/", 1),
            "not-a-lot-page",
        ),
        bad(
            "base-url-query",
            "a '?' in the base URL",
            good.replacen(EXAMPLE_BASE, "https://registry.example?x=1", 1),
            "base-url",
        ),
        bad(
            "base-url-scheme",
            "a base URL that is not http or https",
            good.replacen("https://", "ftp://", 1),
            "base-url",
        ),
        bad(
            "too-long",
            "a payload of 513 bytes",
            good.replacen(
                EXAMPLE_BASE,
                &format!(
                    "https://{}",
                    "r".repeat(513 - good.len() + EXAMPLE_BASE.len() - 8)
                ),
                1,
            ),
            "too-long",
        ),
    ]
}

/// Runs a case through the decoder and verifier: the outcome as the vector
/// files spell it.
fn outcome(payload: &str, key: &PublicKey) -> (String, Option<String>) {
    match decode_payload(payload) {
        Err(e) => (e.id().to_string(), None),
        Ok(p) => (
            "ok".to_string(),
            Some(match p.claim.verify(key) {
                Ok(()) => "ok".to_string(),
                Err(e) => e.id().to_string(),
            }),
        ),
    }
}

fn render(case: &Case) -> String {
    let (decode, verify) = outcome(&case.payload, &case.key);
    // The generator states each expectation by hand; a case whose actual
    // outcome differs is a bug in the case or in the code, never a vector.
    match &case.expect {
        Expect::DecodeError(id) => assert_eq!(decode, *id, "{}", case.name),
        Expect::Verify(r) => {
            assert_eq!(decode, "ok", "{}", case.name);
            let want = match r {
                Ok(()) => "ok",
                Err(id) => id,
            };
            assert_eq!(verify.as_deref(), Some(want), "{}", case.name);
        }
    }
    let mut v = json!({
        "description": case.description,
        "public_key": case.key.to_string(),
        "payload": case.payload,
        "payload_len": case.payload.len(),
        "decode": decode,
    });
    match decode_payload(&case.payload) {
        Err(e) => {
            v["error"] = json!(e.to_string());
        }
        Ok(p) => {
            let c = p.claim.claim();
            v["verify"] = json!(verify);
            v["base_url"] = json!(p.base_url.as_str());
            v["claim"] = json!({
                "tag": c.tag.as_str(),
                "lot": c.lot.as_str(),
                "site": c.site.as_str(),
                "mineral": c.mineral.code(),
                "mineral_code": mineral_code(c.mineral),
                "mass_g": c.mass.0,
                "grade_bp": c.grade.0,
                "day": c.day,
                "key_id": c.key_id.to_string(),
            });
            v["claim_bytes_hex"] = json!(hex(&c.encode()));
            v["signed_message_hex"] = json!(hex(&c.message()));
            v["signature_hex"] = json!(hex(p.claim.signature()));
            if let Ok(q) = QrMatrix::encode(&case.payload) {
                v["qr_version_m"] = json!(q.version());
            }
        }
    }
    let mut s = serde_json::to_string_pretty(&v).expect("json");
    s.push('\n');
    s
}

fn generated() -> Vec<(String, String)> {
    cases()
        .iter()
        .map(|c| (format!("{}.json", c.name), render(c)))
        .collect()
}

#[test]
fn committed_vectors_match_the_generator() {
    let root = dir();
    let generated = generated();
    let bless = std::env::var_os("MADINI_BLESS").is_some();
    let mut expected = BTreeSet::new();
    let mut drift = Vec::new();
    for (name, content) in &generated {
        expected.insert(name.clone());
        let path = root.join(name);
        if bless {
            fs::create_dir_all(&root).expect("mkdir");
            fs::write(&path, content).expect("write vector");
        } else if fs::read_to_string(&path).ok().as_deref() != Some(content.as_str()) {
            drift.push(name.clone());
        }
    }
    let on_disk: Vec<String> = fs::read_dir(&root)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".json"))
                .collect()
        })
        .unwrap_or_default();
    let stale: Vec<&String> = on_disk.iter().filter(|n| !expected.contains(*n)).collect();
    if bless {
        for n in &stale {
            fs::remove_file(root.join(n)).expect("remove stale vector");
        }
        return;
    }
    assert!(
        drift.is_empty(),
        "tag vectors differ from the generator (run with MADINI_BLESS=1 after a deliberate change): {drift:?}"
    );
    assert!(
        stale.is_empty(),
        "tag vector files the generator no longer writes: {stale:?}"
    );
    assert!(generated.len() >= 30, "only {} vectors", generated.len());
}

fn read(name: &str) -> Value {
    let text = fs::read_to_string(dir().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Reads each committed file with only the JSON and the public decoder, as
/// an implementer in another language would use them.
#[test]
fn vector_files_give_their_stated_outcome() {
    let mut names: Vec<String> = fs::read_dir(dir())
        .expect("vector dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    assert!(names.len() >= 30, "{} vector files", names.len());
    for name in names {
        let v = read(&name);
        let key: PublicKey = v["public_key"].as_str().expect("key").parse().expect("key");
        let payload = v["payload"].as_str().expect("payload");
        assert_eq!(
            payload.len() as u64,
            v["payload_len"].as_u64().expect("len")
        );
        let (decode, verify) = outcome(payload, &key);
        assert_eq!(decode, v["decode"].as_str().expect("decode"), "{name}");
        assert_eq!(verify.as_deref(), v["verify"].as_str(), "{name}");
        if let Ok(p) = decode_payload(payload) {
            let c = p.claim.claim();
            assert_eq!(
                hex(&c.encode()),
                v["claim_bytes_hex"].as_str().expect("bytes"),
                "{name}"
            );
            // Re-encoding a decoded payload gives back the same text.
            assert_eq!(encode_payload(&p.base_url, &p.claim), payload, "{name}");
            let msg = v["signed_message_hex"].as_str().expect("message");
            assert_eq!(hex(&c.message()), msg);
            assert!(msg.starts_with(&hex(b"madini/tag-claim/v1\0")), "{name}");
        }
    }
}

/// `spec/tags.md` section 7 shows the example's claim bytes and payload; the
/// text there must be exactly what the code produces.
#[test]
fn spec_worked_example_is_the_valid_vector() {
    let spec = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/tags.md"))
        .expect("spec/tags.md");
    let v = read("valid-example.json");
    let payload = v["payload"].as_str().expect("payload");
    assert!(
        spec.contains(payload),
        "spec/tags.md does not show the example payload {payload}"
    );
    // The spec wraps the hex of the claim bytes and signature at 64
    // characters a line.
    let unwrapped: String = spec.split_whitespace().collect();
    for field in ["claim_bytes_hex", "signature_hex"] {
        let value = v[field].as_str().expect(field);
        assert!(
            unwrapped.contains(value),
            "spec/tags.md does not show the example's {field} {value}"
        );
    }
    assert!(spec.contains(&format!("{} bytes", payload.len())));
    let max = read("valid-max-length.json");
    assert_eq!(max["qr_version_m"].as_u64(), Some(10));
}
