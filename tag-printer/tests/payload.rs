//! Payload round trips and refusals (`spec/tags.md` sections 3 to 5):
//! random claims encode, decode and verify; every truncation, every flipped
//! bit of the signed part, a changed mass and another key are refused; and
//! the longest ids allowed still fit QR version 10 at level M.

use ledger_core::crypto::SecretKey;
use ledger_core::types::{Grade, Grams, Id, Mineral, SiteId, TagId};
use ledger_core::world::named_key;
use proptest::prelude::*;
use tag_printer::claim::{MAX_LOT_LEN, MAX_SITE_LEN, MAX_TAG_LEN};
use tag_printer::qr::MAX_QR_VERSION;
use tag_printer::{
    BaseUrl, Claim, ClaimError, PayloadError, QrError, QrMatrix, SignedClaim, VerifyError,
    decode_payload, encode_payload,
};

fn key() -> SecretKey {
    named_key("COOP-1")
}

fn claim() -> Claim {
    Claim {
        tag: TagId::new("RW24-000123").expect("tag"),
        lot: Id::new("LOT-RW-2026-000123").expect("lot"),
        site: SiteId::new("RW-1.9641+30.0619-12345").expect("site"),
        mineral: Mineral::Cassiterite,
        mass: Grams(25_300),
        grade: Grade(6_500),
        day: 20_458,
        key_id: key().public().key_id(),
    }
}

fn base(s: &str) -> BaseUrl {
    BaseUrl::new(s).expect("base url")
}

fn payload() -> String {
    encode_payload(
        &base("https://minerals-registry.gov.cd"),
        &claim().sign(&key()).expect("sign"),
    )
}

/// The worst case of `spec/tags.md` section 5: ids at their limits in
/// characters that force byte mode, the largest numbers.
fn worst_claim(tag_len: usize, lot_len: usize) -> Claim {
    let tag = format!(
        "{}-1",
        "t_".repeat(MAX_TAG_LEN).get(..tag_len - 2).expect("tag")
    );
    let lot = "l_"
        .repeat(MAX_LOT_LEN)
        .get(..lot_len)
        .expect("lot")
        .to_string();
    Claim {
        tag: TagId::new(tag).expect("tag"),
        lot: Id::new(lot).expect("lot"),
        site: SiteId::new("CD--10.1234+100.1234-1234567").expect("site"),
        mineral: Mineral::Gold,
        mass: Grams(9_007_199_254_740_991),
        grade: Grade(10_000),
        day: u16::MAX,
        key_id: key().public().key_id(),
    }
}

#[test]
fn example_round_trips_and_verifies() {
    let p = payload();
    let decoded = decode_payload(&p).expect("decodes");
    assert_eq!(decoded.claim.claim(), &claim());
    assert_eq!(
        decoded.base_url.as_str(),
        "https://minerals-registry.gov.cd"
    );
    assert_eq!(
        decoded.lot_page(),
        "https://minerals-registry.gov.cd/lots/LOT-RW-2026-000123"
    );
    decoded.claim.verify(&key().public()).expect("verifies");
    assert_eq!(encode_payload(&decoded.base_url, &decoded.claim), p);
    assert_eq!(decoded.to_string(), p);
    assert_eq!(p.parse::<tag_printer::Payload>(), Ok(decoded));
}

#[test]
fn changed_mass_is_refused() {
    let p = payload().replacen("/25300/", "/25301/", 1);
    let decoded = decode_payload(&p).expect("still well formed");
    assert_eq!(decoded.claim.claim().mass, Grams(25_301));
    assert_eq!(
        decoded.claim.verify(&key().public()),
        Err(VerifyError::BadSignature)
    );
}

#[test]
fn other_keys_are_refused() {
    let other = named_key("COOP-2");
    let p = decode_payload(&payload()).expect("decodes");
    let err = p.claim.verify(&other.public()).expect_err("other key");
    assert_eq!(
        err,
        VerifyError::WrongKey {
            claim: key().public().key_id(),
            key: other.public().key_id()
        }
    );
    assert!(
        err.to_string()
            .contains(&key().public().key_id().to_string())
    );
    // A claim naming COOP-1's key but signed by COOP-2.
    let forged =
        SignedClaim::from_parts(claim(), other.sign_raw(&claim().message())).expect("parts");
    assert_eq!(
        forged.verify(&key().public()),
        Err(VerifyError::BadSignature)
    );
    // Signing refuses a key the claim does not name.
    assert!(matches!(
        claim().sign(&other),
        Err(ClaimError::WrongKey { .. })
    ));
}

#[test]
fn every_truncation_is_refused() {
    let p = payload();
    let hash = p.find('#').expect("#");
    for cut in 0..p.len() {
        let err = decode_payload(&p[..cut]).expect_err("truncated payload decoded");
        let want = if cut <= hash {
            // Without its '#', a payload is only a URL.
            "missing-claim"
        } else {
            "truncated"
        };
        assert_eq!(err.id(), want, "cut at {cut}: {err}");
    }
}

/// Flips each of the low seven bits of every byte (the eighth would leave
/// ASCII, which a `&str` decoder never sees as a valid payload anyway).
#[test]
fn every_flipped_bit_is_refused_unless_in_the_unsigned_base_url() {
    let p = payload();
    let original = decode_payload(&p).expect("decodes");
    let base_len = original.base_url.as_str().len();
    let pk = key().public();
    let mut refused = 0;
    for i in 0..p.len() {
        for bit in 0..7 {
            let mut bytes = p.clone().into_bytes();
            bytes[i] ^= 1 << bit;
            let Ok(text) = String::from_utf8(bytes) else {
                continue;
            };
            match decode_payload(&text) {
                Err(_) => refused += 1,
                Ok(d) => {
                    if d.claim.verify(&pk).is_err() {
                        refused += 1;
                    } else {
                        // Only the base URL is outside the signature
                        // (spec/tags.md section 4): a change there must
                        // leave the claim exactly as it was.
                        assert!(i < base_len, "flip at byte {i} bit {bit} verified: {text}");
                        assert_eq!(d.claim, original.claim);
                        assert_ne!(d.base_url, original.base_url);
                    }
                }
            }
        }
    }
    assert!(refused > 7 * (p.len() - base_len) - 1, "{refused} refused");
}

#[test]
fn decode_errors_name_what_and_where() {
    let p = payload();
    let seal = p.len() - 128;
    let lower = format!("{}z{}", &p[..seal + 3], &p[seal + 4..]);
    let err = decode_payload(&lower).expect_err("lower case");
    assert_eq!(err, PayloadError::BadBase32(seal + 3));
    assert_eq!(
        err.to_string(),
        format!(
            "byte {} of the payload is not a base32 character (A-Z, 2-7) in key-signature",
            seal + 3
        )
    );
    let err = decode_payload(&p.replacen("/6500/", "/06500/", 1)).expect_err("leading zero");
    assert_eq!(
        err.to_string(),
        "claim field grade: not a canonical decimal integer (digits, no sign, no leading zero)"
    );
    let err = decode_payload(&p.replacen("#1/", "#2/", 1)).expect_err("version");
    assert_eq!(
        err.to_string(),
        "claim version \"2\" is not supported (this decoder reads version 1)"
    );
    let err = decode_payload(&p[..p.find("/25300").expect("mass")]).expect_err("cut");
    assert_eq!(err.to_string(), "claim is truncated: field mass is missing");
    let err = decode_payload(&p[..p.len() - 1]).expect_err("cut");
    assert_eq!(
        err.to_string(),
        "claim is truncated: key-signature has 127 of 128 base32 characters"
    );
    let err = decode_payload(&p.replacen("https://", "https://a b", 1)).expect_err("space");
    assert_eq!(
        err.to_string(),
        "base url: byte 9 of the base url (0x20) is not allowed (no ?, #, %, space or non-ascii)"
    );
}

#[test]
fn ids_over_the_limits_cannot_be_signed() {
    let mut c = claim();
    c.lot = Id::new("L".repeat(MAX_LOT_LEN + 1)).expect("lot");
    assert_eq!(
        c.sign(&key()),
        Err(ClaimError::TooLong {
            field: "lot",
            len: MAX_LOT_LEN + 1,
            max: MAX_LOT_LEN
        })
    );
    let mut c = claim();
    c.site = SiteId::new("CD--10.1234+100.1234-12345678").expect("site");
    assert_eq!(c.site.len(), MAX_SITE_LEN + 1);
    assert!(matches!(
        SignedClaim::from_parts(c, [0; 64]),
        Err(ClaimError::TooLong { field: "site", .. })
    ));
}

#[test]
fn longest_ids_fit_version_10_at_level_m() {
    let long_base = base("https://minerals-registry.gov.cd");
    assert_eq!(long_base.as_str().len(), 32);
    let worst = worst_claim(MAX_TAG_LEN, MAX_LOT_LEN);
    assert_eq!(worst.site.len(), MAX_SITE_LEN);
    let p = encode_payload(&long_base, &worst.sign(&key()).expect("sign"));
    assert_eq!(p.len(), 270);
    let qr = QrMatrix::encode(&p).expect("fits");
    assert_eq!(qr.version(), MAX_QR_VERSION);
    assert_eq!(qr.width(), 57);
    // qrcode's own segmentation alone would need version 11 here: the
    // spec's split is what keeps the bound.
    let auto = qrcode::QrCode::with_error_correction_level(&p, qrcode::EcLevel::M)
        .expect("qrcode encodes");
    assert_eq!(auto.version(), qrcode::Version::Normal(11));
    // The spec's bound is a base URL of 33 bytes, and it is tight: 33
    // fits, 34 does not.
    let b33 = base("https://registry.minemines.gov.rw");
    assert_eq!(b33.as_str().len(), 33);
    let p33 = encode_payload(&b33, &worst.sign(&key()).expect("sign"));
    assert_eq!(
        QrMatrix::encode(&p33).expect("fits").version(),
        MAX_QR_VERSION
    );
    let p34 = encode_payload(
        &base("https://registry.minemines.gov.rwa"),
        &worst.sign(&key()).expect("sign"),
    );
    assert_eq!(QrMatrix::encode(&p34), Err(QrError::TooLarge(272)));
    // Every shorter combination fits as well.
    for tag_len in 3..=MAX_TAG_LEN {
        for lot_len in 1..=MAX_LOT_LEN {
            let c = worst_claim(tag_len, lot_len);
            let p = encode_payload(&b33, &c.sign(&key()).expect("sign"));
            let v = QrMatrix::encode(&p).expect("fits").version();
            assert!(
                v <= MAX_QR_VERSION,
                "tag {tag_len}, lot {lot_len}: version {v}"
            );
        }
    }
}

#[test]
fn typical_payload_is_version_9_or_10() {
    let p = payload();
    assert_eq!(p.len(), 242);
    assert_eq!(QrMatrix::encode(&p).expect("fits").version(), 10);
    let short = encode_payload(
        &base("https://registry.example"),
        &claim().sign(&key()).expect("sign"),
    );
    assert_eq!(QrMatrix::encode(&short).expect("fits").version(), 9);
}

/// The segments `QrMatrix` puts a text in: of one byte segment, a byte
/// segment and the longest alphanumeric suffix, and qrcode's optimiser, the
/// fewest bits, ties to the earlier (`spec/tags.md` section 5).
fn printer_bits(p: &str, version: u8) -> qrcode::bits::Bits {
    use qrcode::bits::Bits;
    let v = qrcode::Version::Normal(i16::from(version));
    let alnum = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
    let split = p.len() - p.bytes().rev().take_while(|c| alnum.contains(c)).count();
    let mut single = Bits::new(v);
    single.push_byte_data(p.as_bytes()).expect("byte");
    let mut two = Bits::new(v);
    if split > 0 {
        two.push_byte_data(&p.as_bytes()[..split]).expect("byte");
    }
    two.push_alphanumeric_data(&p.as_bytes()[split..])
        .expect("alphanumeric");
    let mut optimal = Bits::new(v);
    optimal.push_optimal_data(p.as_bytes()).expect("optimal");
    let mut best = [single, two, optimal]
        .into_iter()
        .min_by_key(Bits::len)
        .expect("three");
    best.push_terminator(qrcode::EcLevel::M).expect("fits");
    best
}

/// The symbols `QrMatrix` draws are what qrcode draws from the same
/// segments, mask choice included: its faster penalty count must not change
/// the result.
#[test]
fn symbols_match_qrcode() {
    let mut compared = 0;
    for i in 0..120u32 {
        let p = format!(
            "https://registry.example/lots/L-{i}#1/HELLO{}",
            "ABC123".repeat((i % 30) as usize)
        );
        let mine = QrMatrix::encode(&p).expect("fits");
        let theirs =
            qrcode::QrCode::with_bits(printer_bits(&p, mine.version()), qrcode::EcLevel::M)
                .expect("encodes");
        compared += 1;
        for y in 0..mine.width() {
            for x in 0..mine.width() {
                assert_eq!(
                    mine.is_dark(x, y),
                    theirs[(x, y)] == qrcode::Color::Dark,
                    "{p} at ({x}, {y})"
                );
            }
        }
    }
    assert!(compared >= 120, "only {compared} symbols compared");
}

fn arb_id(max: usize) -> impl Strategy<Value = String> {
    proptest::string::string_regex(&format!("[A-Za-z0-9][A-Za-z0-9._:+-]{{0,{}}}", max - 1))
        .expect("regex")
}

fn arb_claim() -> impl Strategy<Value = Claim> {
    (
        arb_id(MAX_TAG_LEN - 5),
        0u64..10_000,
        arb_id(MAX_LOT_LEN),
        (0u32..90, 0u32..180, 1u32..99_999),
        0usize..4,
        1u64..=9_007_199_254_740_991,
        0u16..=10_000,
        any::<u16>(),
    )
        .prop_map(
            |(prefix, n, lot, (lat, lon, site_n), m, mass, grade, day)| Claim {
                tag: TagId::new(format!("{prefix}-{n}")).expect("tag"),
                lot: Id::new(lot).expect("lot"),
                site: SiteId::new(format!("CD-{lat}.1234+{lon}.5678-{site_n}")).expect("site"),
                mineral: Mineral::ALL[m],
                mass: Grams(mass),
                grade: Grade(grade),
                day,
                key_id: key().public().key_id(),
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn random_claims_round_trip(c in arb_claim(), port in 1u16..) {
        let b = base(&format!("https://node-{port}.example:{port}/madini"));
        let signed = c.sign(&key()).expect("sign");
        let p = encode_payload(&b, &signed);
        let d = decode_payload(&p).expect("decodes");
        prop_assert_eq!(&d.claim, &signed);
        prop_assert_eq!(&d.base_url, &b);
        prop_assert!(d.claim.verify(&key().public()).is_ok());
        prop_assert_eq!(encode_payload(&d.base_url, &d.claim), p);
    }

    #[test]
    fn decoder_never_panics(s in "\\PC{0,300}") {
        let _ = decode_payload(&s);
    }
}
