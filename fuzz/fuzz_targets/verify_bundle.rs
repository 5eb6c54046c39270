//! Verifies arbitrary JSON as a lot bundle; it must never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use ledger_core::bundle::{Bundle, verify_bundle};
use ledger_core::note::NoteKey;
use ledger_core::world::named_key;

fuzz_target!(|data: &[u8]| {
    let key = NoteKey::new("vectors.madini.example/log", named_key("log:vectors.madini.example/log").public()).expect("key");
    if let Ok(b) = serde_json::from_slice::<Bundle>(data) {
        let _ = verify_bundle(&b, &key);
    }
});
