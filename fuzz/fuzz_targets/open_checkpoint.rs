//! Opens arbitrary text as a signed checkpoint; it must never panic, and
//! whatever opens must carry the trusted key's origin.
#![no_main]
use libfuzzer_sys::fuzz_target;
use ledger_core::note::{NoteKey, open_checkpoint};
use ledger_core::world::named_key;

fuzz_target!(|data: &[u8]| {
    let key = NoteKey::new("fuzz.example/log", named_key("fuzz log").public()).expect("key");
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(cp) = open_checkpoint(text, &key) {
            assert_eq!(cp.origin, "fuzz.example/log");
        }
    }
});
