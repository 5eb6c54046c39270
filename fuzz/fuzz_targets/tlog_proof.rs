//! Parses arbitrary text as a C2SP tlog-proof (`spec/log.md` section 4,
//! "Bundle files"); whatever parses must encode back to the input, and a
//! `madini-bundle/v2` document built around it must read without panicking.
#![no_main]
use libfuzzer_sys::fuzz_target;
use ledger_core::tlogproof::{ProofBundle, ProofEntry, TlogProof, read_bundle};

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(p) = TlogProof::parse(s) {
        assert_eq!(p.encode(), s);
        assert!(p.hashes.len() <= ledger_core::tlogproof::MAX_PROOF_LINES);
    }
    let b = ProofBundle {
        format: ledger_core::tlogproof::BUNDLE_FORMAT_V2.to_string(),
        origin: "fuzz.example/log".to_string(),
        lot: "L".to_string(),
        entries: vec![ProofEntry {
            leaf: String::new(),
            proof: s.to_string(),
        }],
    };
    let _ = read_bundle(&serde_json::to_string(&b).unwrap_or_default());
});
